"""What both dynamic providers share: configuration through the process's one runtime, no secret in the pickle, and
how they tell the user something.

The provider classes (vod_provider.resources, vod_provider.template_resource) are pickled *by reference*: their own
module path and name are state format; this base class is not named in state and may move.
"""

from __future__ import annotations

import os
import sys

from pulumi.dynamic import ConfigureRequest, ResourceProvider

from vod_provider.providers.engine_errors import render_errors_as_messages
from vod_provider.providers.runtime import RUNTIME
from vod_provider.providers.serving_threads import widen_serving_pool


class ConfiguredProvider(ResourceProvider):
    """A dynamic provider whose stack settings reach RUNTIME through configure(), never its own instance."""

    # The pickled instance is empty (by reference, ~100 bytes) and holds nothing
    # secret, so it need not be encrypted once per resource.
    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        # The engine configures each provider before its first call: from then on our errors reach it as messages.
        render_errors_as_messages()
        # More than the server's 4 calls at once, so a far runner's round trips overlap (serving_threads.py).
        widen_serving_pool()
        # The SDK's Config offers get() alone; the engine sends the whole stack config (pulumi-dynamic.md §1.6), and
        # every key is needed to refuse an unknown one.
        RUNTIME.configure(req.config._props, os.environ)


def report(line: str) -> None:
    """Tell the user something about a resource, as `vodjobs: <line>` (pulumi.log does not work in the provider)."""
    # The engine shows the provider's stderr with the step that was running (a diagnostic in `preview --json`).
    print(f"vodjobs: {line}", file=sys.stderr, flush=True)
