"""How a provider call's error reaches the user: a VodjobsError as its message alone, anything else with its traceback.

Pulumi's Python dynamic provider server (`pulumi/dynamic/__main__.py`, SDK 3.272.0) answers every exception a
provider method raises with gRPC status UNKNOWN and `traceback.format_exc()` as the details (its decorator
`_abort_with_traceback`), and the engine prints those details whole under the resource: ~25 lines of frames above
our one-paragraph message. The server has no exception type it renders as a plain message, and the handlers are
bound to the gRPC server before any provider code is loaded, so they cannot be wrapped. What can change is the one
name the decorator looks up at call time: the server module's global `traceback`. `render_errors_as_messages()`
replaces it, in the provider process only, with a stand-in whose `format_exc()` gives a VodjobsError's message
(what happened, to which job or action, what to do) and defers to the real `traceback` for anything else (a bug,
whose frames are what a report needs). With `PULUMI_DEBUG=1` every error keeps its traceback. The provider process
cannot see `pulumi --debug` (the engine passes it no flag or variable), so PULUMI_DEBUG is the switch there.

If a later SDK formats errors another way, the stand-in is simply not used and the tracebacks come back;
tests/e2e/test_error_messages.py would say so.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from vod_provider.errors import VodjobsError, traceback_wanted

# The module `python -m pulumi.dynamic` runs as __main__: the dynamic provider server.
DYNAMIC_SERVER_MODULE = "pulumi.dynamic.__main__"

_install_lock = threading.Lock()


class MessagesNotTracebacks(ModuleType):
    """`traceback` as the dynamic provider server sees it: the real module, but format_exc() renders our errors as messages."""

    def __init__(self) -> None:
        super().__init__("traceback", traceback.__doc__)

    def format_exc(self, limit: int | None = None, chain: bool = True) -> str:
        """The error being handled as the engine will print it: a VodjobsError's message, else the traceback."""
        return error_details(sys.exc_info()[1], lambda: traceback.format_exc(limit, chain), os.environ)

    def __getattr__(self, name: str) -> Any:
        return getattr(traceback, name)


def error_details(error: BaseException | None, formatted_traceback: Callable[[], str], environ: Mapping[str, str]) -> str:
    """What the engine is sent for `error`: its message when it is a VodjobsError (unless PULUMI_DEBUG), else
    `formatted_traceback()`. Pure but for calling `formatted_traceback`."""
    if isinstance(error, VodjobsError) and not traceback_wanted(environ):
        return str(error).strip()
    return formatted_traceback()


def dynamic_server_main(modules: Mapping[str, ModuleType] | None = None) -> ModuleType | None:
    """The dynamic provider server's module, when this process is that server (`python -m pulumi.dynamic`), else None."""
    main = (sys.modules if modules is None else modules).get("__main__")
    return main if getattr(getattr(main, "__spec__", None), "name", None) == DYNAMIC_SERVER_MODULE else None


def render_errors_as_messages(modules: Mapping[str, ModuleType] | None = None) -> bool:
    """In the dynamic provider process, make the server send our errors' messages without their frames.

    Returns whether the server was found (and is now patched); elsewhere (the program, tests, the CLI) nothing
    changes. Idempotent and thread-safe: every configure() calls it.
    """
    main = dynamic_server_main(modules)
    if main is None:
        return False
    with _install_lock:
        current = getattr(main, "traceback", None)
        if isinstance(current, MessagesNotTracebacks):
            return True
        if current is not traceback:
            return False  # the server no longer formats errors with the traceback module: leave it alone
        main.traceback = MessagesNotTracebacks()  # type: ignore[attr-defined]
    return True
