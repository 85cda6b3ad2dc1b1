"""A mistyped `vodjobs:<key>` stops preview and up before anything is declared: it would otherwise be ignored."""

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
