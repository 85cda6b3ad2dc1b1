"""The `vodjobs` command: one module per subcommand, imported only when that subcommand runs.

Importing this package loads argparse and the command table, nothing else: `vodjobs validate` (the pre-commit hook)
needs PyYAML alone, and never loads `requests` or the providers.
"""

from vod_provider.cli.main import main

__all__ = ["main"]
