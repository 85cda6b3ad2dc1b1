"""Our errors reach the user as their message; a bug, or PULUMI_DEBUG=1, keeps the traceback."""

from __future__ import annotations

import argparse
import importlib
import importlib.machinery
import traceback
from types import ModuleType, SimpleNamespace
from typing import Any, TextIO

import pulumi
import pytest

from vod_provider.api.errors import VodError
from vod_provider.cli.exit_codes import ExitCode
from vod_provider.cli.main import Command
from vod_provider.errors import traceback_wanted
from vod_provider.program import run_error
from vod_provider.providers.engine_errors import (
    DYNAMIC_SERVER_MODULE,
    MessagesNotTracebacks,
    error_details,
    render_errors_as_messages,
)

# The module, not the function `vod_provider.cli.main` that the package exports under the same name.
cli_main = importlib.import_module("vod_provider.cli.main")
WRONG_SECRET = VodError("SubmitAIImageJob", "SignatureDoesNotMatch", "no match", request_id="RID-1", http_status=400)


def fake_traceback() -> str:
    return "Traceback (most recent call last):\n  ...\nboom"


@pytest.mark.parametrize(
    ("error", "environ", "shown"),
    [
        (WRONG_SECRET, {}, str(WRONG_SECRET)),
        (WRONG_SECRET, {"PULUMI_DEBUG": "1"}, fake_traceback()),
        (WRONG_SECRET, {"PULUMI_DEBUG": "true"}, fake_traceback()),
        (WRONG_SECRET, {"PULUMI_DEBUG": "0"}, str(WRONG_SECRET)),
        (KeyError("jobId"), {}, fake_traceback()),  # a bug: its frames are what a report needs
        (None, {}, fake_traceback()),
    ],
)
def test_the_engine_is_sent_our_message_or_else_the_traceback(error: BaseException | None, environ: dict[str, str], shown: str) -> None:
    assert error_details(error, fake_traceback, environ) == shown


def test_debug_is_asked_for_with_pulumi_debug() -> None:
    assert [traceback_wanted({"PULUMI_DEBUG": v}) for v in ("1", "TRUE", "yes", "", "0", "false")] == [True] * 3 + [False] * 3
    assert not traceback_wanted({})


@pytest.mark.parametrize(("environ", "with_frames"), [({}, False), ({"PULUMI_DEBUG": "1"}, True)])
def test_the_program_raises_our_errors_as_a_run_error_of_their_message(environ: dict[str, str], with_frames: bool) -> None:
    try:
        raise WRONG_SECRET
    except VodError as error:
        raised = run_error(error, environ)

    assert isinstance(raised, pulumi.RunError) and str(raised).startswith(str(WRONG_SECRET))
    assert ("Traceback (most recent call last)" in str(raised)) is with_frames


def dynamic_server(name: str = DYNAMIC_SERVER_MODULE) -> ModuleType:
    """A stand-in for the module `python -m pulumi.dynamic` runs: its spec's name and its `traceback` global."""
    server = ModuleType("__main__")
    server.__spec__ = importlib.machinery.ModuleSpec(name, None)
    server.traceback = traceback  # type: ignore[attr-defined]
    return server


def test_in_the_provider_process_the_server_formats_our_errors_as_messages_and_bugs_as_tracebacks() -> None:
    server = dynamic_server()

    assert render_errors_as_messages({"__main__": server}) and render_errors_as_messages({"__main__": server})
    stand_in: Any = server.traceback  # type: ignore[attr-defined]
    assert isinstance(stand_in, MessagesNotTracebacks)
    try:
        raise WRONG_SECRET
    except VodError:
        assert stand_in.format_exc() == str(WRONG_SECRET)
    try:
        raise KeyError("jobId")
    except KeyError:
        assert stand_in.format_exc().startswith("Traceback (most recent call last)")
    assert stand_in.format_exception is traceback.format_exception  # the rest is the real module


def test_elsewhere_nothing_is_changed() -> None:
    program = dynamic_server("pulumi_language_python_exec")
    changed_server = dynamic_server()
    changed_server.traceback = SimpleNamespace()  # type: ignore[attr-defined]

    assert not render_errors_as_messages({"__main__": program}) and program.traceback is traceback  # type: ignore[attr-defined]
    assert not render_errors_as_messages({"__main__": changed_server})
    assert not render_errors_as_messages({})


def failing_command(error: Exception) -> Command:
    class Failing(Command):
        def load(self) -> Any:
            def run(_args: argparse.Namespace, _out: TextIO) -> int:
                raise error
            return SimpleNamespace(add_arguments=lambda parser: None, run=run)
    return Failing("status", "status", "fails")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (WRONG_SECRET, f"vodjobs status: {WRONG_SECRET}"),
        (FileNotFoundError(2, "No such file or directory", "Pulumi.prod.yaml"), "vodjobs status: No such file or directory: Pulumi.prod.yaml"),
    ],
)
def test_the_vodjobs_command_prints_one_message_and_the_traceback_only_when_asked(
    error: Exception, message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(cli_main, "COMMANDS", (failing_command(error),))
    monkeypatch.delenv("PULUMI_DEBUG", raising=False)

    assert cli_main.main(["status"]) == ExitCode.ERROR
    plain = capsys.readouterr().err
    assert cli_main.main(["status", "--debug"]) == cli_main.main(["--debug", "status"]) == ExitCode.ERROR
    debug = capsys.readouterr().err
    monkeypatch.setenv("PULUMI_DEBUG", "1")
    assert cli_main.main(["status"]) == ExitCode.ERROR
    from_environment = capsys.readouterr().err

    assert plain == f"{message}\n"
    assert debug.count("Traceback (most recent call last)") == 2 and debug.endswith(f"{message}\n")
    assert from_environment.startswith("Traceback (most recent call last)") and from_environment.endswith(f"{message}\n")


def test_a_bug_in_the_vodjobs_command_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_main, "COMMANDS", (failing_command(KeyError("jobId")),))

    with pytest.raises(KeyError):
        cli_main.main(["status"])
