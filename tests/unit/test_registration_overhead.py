"""registration_overhead: the SDK's resource module sends no debug message and no stack trace, unless PULUMI_DEBUG."""

from __future__ import annotations

import inspect
from types import ModuleType

import pulumi.log
import pulumi.runtime.resource
import pytest

from vod_provider.registration_overhead import _LogWithoutDebug, _no_stack_trace, lighten_registrations


def sdk_copy() -> ModuleType:
    """A stand-in for pulumi.runtime.resource with the two names it replaces (tests that run the program, with
    Pulumi's mocks, replace them in the real module of this process)."""
    copy = ModuleType("resource")
    copy.log = pulumi.log  # type: ignore[attr-defined]
    copy._get_stack_trace = lambda: "the SDK's stack trace"  # type: ignore[attr-defined]
    return copy


def test_the_pinned_sdk_registers_a_resource_through_the_two_names_replaced() -> None:
    # If an SDK upgrade stops calling them so, replacing them does nothing: this fails, and the bench would show why.
    source = inspect.getsource(pulumi.runtime.resource.register_resource)
    assert 'log.debug(\n        f"registering resource' in source
    assert source.count("log.debug(") >= 3
    assert "stack_trace = _get_stack_trace()" in source
    # It looks both up in its module's globals, where lighten_registrations replaces them (a program test run
    # earlier in this process may already have: either the SDK's or vodjobs' value is there, nothing else).
    sdk = pulumi.runtime.resource
    assert sdk.register_resource.__globals__ is vars(sdk)
    assert sdk.log is pulumi.log or isinstance(sdk.log, _LogWithoutDebug)
    assert sdk._get_stack_trace is _no_stack_trace or sdk._get_stack_trace.__module__ == sdk.__name__


def test_debug_messages_are_dropped_and_every_other_log_call_is_the_sdk_s(monkeypatch: pytest.MonkeyPatch) -> None:
    sdk = sdk_copy()
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(pulumi.log, "debug", lambda message, *a, **k: sent.append(("debug", message)))
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *a, **k: sent.append(("warn", message)))

    assert lighten_registrations({}, sdk) is True

    sdk.log.debug("registering resource: ty=…")
    sdk.log.warn("a warning")
    assert sent == [("warn", "a warning")]
    assert list(sdk._get_stack_trace().frames) == []


@pytest.mark.parametrize("value", ["1", "true"])
def test_pulumi_debug_keeps_both(value: str) -> None:
    sdk = sdk_copy()
    before = (sdk.log, sdk._get_stack_trace)

    assert lighten_registrations({"PULUMI_DEBUG": value}, sdk) is False

    assert (sdk.log, sdk._get_stack_trace) == before


def test_an_sdk_without_the_names_is_an_error_not_a_silent_no_op() -> None:
    with pytest.raises(AttributeError):
        lighten_registrations({}, ModuleType("resource"))
