"""A mistyped `vodjobs:<key>`, or a setting `up` would refuse, stops preview and up before anything is declared."""

from __future__ import annotations

from tests.support.account import VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack
from tests.support.specs import job, spec_yaml

ONE_JOB = spec_yaml({"teaser-cover": job(VIDEOS["teaser"])})


def test_a_mistyped_setting_stops_preview_and_up_naming_it_and_the_nearest_known_one(
    stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    stack.write_spec("teaser.yaml", ONE_JOB)
    stack.run("config", "set", "--stack", stack.name, "vodjobs:endpiont", "http://127.0.0.1:1")
    mark = emulator.log_position()

    runs = [stack.preview(check=False), stack.up(check=False)]

    for run in runs:
        assert run.returncode != 0
        assert "vodjobs:endpiont is not a vodjobs setting: did you mean vodjobs:endpoint?" in run.output
    assert emulator.calls(mark) == []
    assert stack.outputs() == {}

    stack.run("config", "rm", "--stack", stack.name, "vodjobs:endpiont")
    stack.up()
    assert len(emulator.calls(mark, "SubmitAIImageJob")) == 1


def test_an_endpoint_that_up_would_refuse_fails_the_preview_too(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("teaser.yaml", ONE_JOB)
    stack.run("config", "set", "--stack", stack.name, "vodjobs:endpoint", "http://vod.example.com")
    mark = emulator.log_position()

    preview = stack.preview(check=False)

    assert preview.returncode != 0
    assert "vodjobs:endpoint = 'http://vod.example.com' uses plain http to another host" in preview.output
    assert emulator.calls(mark) == []


def test_an_unknown_stack_fails_every_vodjobs_command_clearly_and_leaves_nothing_behind(stack: PulumiStack) -> None:
    stack.write_spec("teaser.yaml", ONE_JOB)
    before = sorted(p for p in (stack.backend_dir.rglob("*")))
    commands = [("status",), ("journal",), ("journal", "where"), ("recover",), ("preview",), ("validate",)]

    for command in commands:
        done = stack.vodjobs(*command, "--stack", "nosuch", timeout=120)
        assert done.returncode == 3, (command, done.stdout, done.stderr)
        assert "no stack 'nosuch'" in done.stderr and "Traceback" not in done.stdout + done.stderr, (command, done.stderr)

    assert sorted(p for p in (stack.backend_dir.rglob("*"))) == before  # no stack, lock or history created
    assert not (stack.project_dir / ".vodjobs").exists()
