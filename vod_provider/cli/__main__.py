"""`python -m vod_provider.cli …`, the same as the `vodjobs` console command."""

import sys

from vod_provider.cli.main import main

sys.exit(main())
