"""The AccessKey reaches the provider from stack config or the environment, and never shows up anywhere."""

from __future__ import annotations

from tests.conftest import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack

ONE_JOB = f"""
    jobs:
      teaser-cover:
        videoId: {VIDEOS["teaser"]}
        templateId: {TEMPLATE}
    """
WRONG_SECRET = "wrong-secret-5d1b8e2c7a"


def test_a_wrong_secret_fails_with_the_clouds_error_and_never_shows_the_secret(
    new_stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    stack = new_stack.init(emulator.url, TEST_KEY.access_key_id, WRONG_SECRET)
    stack.write_spec("teaser.yaml", ONE_JOB)
    mark = emulator.log_position()

    preview = stack.preview()
    run = stack.up(check=False)

    assert run.returncode != 0
    assert "SignatureDoesNotMatch" in run.output
    rejected = emulator.calls(mark, "SubmitAIImageJob")
    assert [(e["httpStatus"], e["code"]) for e in rejected] == [(400, "SignatureDoesNotMatch")]
    for text in (preview.output, run.output, stack.state_text()):
        assert WRONG_SECRET not in text
        assert TEST_KEY.access_key_secret not in text
    assert stack.outputs() == {}  # the failed create recorded nothing


def test_the_secret_never_reaches_state_or_cli_output(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("teaser.yaml", ONE_JOB)

    runs = [stack.preview("--diff"), stack.up(), stack.run("stack", "export", "--stack", stack.name)]

    for text in [r.output for r in runs] + [stack.state_text()]:
        assert TEST_KEY.access_key_secret not in text
    assert "teaser-cover" in stack.outputs()["jobIds"]


def test_credentials_can_come_from_the_environment(new_stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack = new_stack
    stack.run("stack", "init", stack.name)
    stack.run("config", "set", "--stack", stack.name, "vodjobs:endpoint", emulator.url)
    stack.env.update(ALIBABA_CLOUD_ACCESS_KEY_ID=TEST_KEY.access_key_id,
                     ALIBABA_CLOUD_ACCESS_KEY_SECRET=TEST_KEY.access_key_secret)
    stack.write_spec("teaser.yaml", ONE_JOB)
    mark = emulator.log_position()

    stack.up()

    assert stack.outputs()["jobIds"]["teaser-cover"] == emulator.submitted_job_ids(mark)[0]


def test_missing_credentials_let_preview_run_but_stop_up_with_a_clear_message(
    new_stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    stack = new_stack
    stack.run("stack", "init", stack.name)
    stack.run("config", "set", "--stack", stack.name, "vodjobs:endpoint", emulator.url)
    stack.write_spec("teaser.yaml", ONE_JOB)
    mark = emulator.log_position()

    preview = stack.preview()
    run = stack.up(check=False)

    assert "+ 2 to create" in preview.stdout or "2 to create" in preview.stdout
    assert run.returncode != 0
    assert "no Alibaba Cloud AccessKey found" in run.output
    assert emulator.calls(mark) == []
