"""What the Pulumi Python SDK does for every resource the program registers that vodjobs' program goes without.

For each resource, the SDK (pulumi 3.272, `pulumi/runtime/resource.py`, `register_resource`):
- sends three debug messages to the engine, each a blocking `Log` call ("registering resource: …", "resource
  registration prepared: …", "resource registration successful: …"), which the engine receives, logs and hands to
  its display, which shows them only under `pulumi up --debug`;
- captures the Python stack (`traceback.extract_stack`, one StackFrame per frame) and sends it with the registration;
  the engine keeps it in the state beside the resource (`sourcePosition`, `stackTrace`).
For vodjobs' resources both are about vodjobs itself: the stack ends in `vod_provider/resources.py` and
`__main__.py`, never at a line the user wrote (their jobs are rows of spec files, which vodjobs' own errors name),
and the messages say a registration happened. In a cold up of 1,000 jobs they cost the program 28 % and the CLI
20 % of their CPU (bench/README.md, job sets), and the state 1.1 KB per job (2,730 → 1,573 bytes at 10,000 jobs).

`PULUMI_DEBUG=1` keeps both, as it keeps tracebacks (errors.traceback_wanted).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import ModuleType
from typing import Any

import pulumi.log
import pulumi.runtime.resource
from pulumi.runtime.proto import source_pb2

from vod_provider.errors import traceback_wanted


class _LogWithoutDebug:
    """`pulumi.log` for the SDK's resource module: its debug messages go nowhere, everything else as before."""

    def __getattr__(self, name: str) -> Any:
        return getattr(pulumi.log, name)

    @staticmethod
    def debug(*_args: Any, **_kwargs: Any) -> None:
        """Drop one debug message (a blocking Log call to the engine, shown only by `pulumi up --debug`)."""


def _no_stack_trace() -> source_pb2.StackTrace:
    """An empty stack trace: the engine then records no source position for the resource."""
    return source_pb2.StackTrace()


def lighten_registrations(environ: Mapping[str, str] = os.environ,
                          sdk_resource: ModuleType = pulumi.runtime.resource) -> bool:
    """Make the SDK's resource registrations send no debug messages and no stack trace, unless PULUMI_DEBUG is set.

    Call it before the program registers its first resource. Returns whether it changed anything. Raises
    AttributeError when the SDK no longer has the two names it replaces (a newer SDK: tests/unit pins them).
    """
    if traceback_wanted(environ):
        return False
    for name in ("log", "_get_stack_trace"):
        getattr(sdk_resource, name)  # the SDK still calls them so: replacing a name it no longer uses would do nothing
    sdk_resource.log = _LogWithoutDebug()  # type: ignore[attr-defined]
    sdk_resource._get_stack_trace = _no_stack_trace  # type: ignore[attr-defined]
    return True
