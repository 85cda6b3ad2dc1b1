"""The AccessKey reaches the provider from stack config or the environment, and never shows up anywhere."""

from __future__ import annotations

from tests.support.account import TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack
from tests.support.specs import job, spec_yaml

ONE_JOB = spec_yaml({"teaser-cover": job(VIDEOS["teaser"])})
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


def _backend_bytes(stack: PulumiStack) -> bytes:
    return b"".join(p.read_bytes() for p in stack.backend_dir.rglob("*") if p.is_file())


def test_the_secret_appears_in_zero_bytes_of_state_debug_output_or_the_request_log(
    stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    stack.write_spec("teaser.yaml", ONE_JOB)
    mark = emulator.log_position()

    runs = [stack.preview("--debug"), stack.up("--debug"), stack.run("refresh", "--yes", "--debug", "--stack", stack.name),
            stack.run("stack", "export", "--stack", stack.name)]

    secret = TEST_KEY.access_key_secret
    assert all(secret not in run.output for run in runs)
    assert secret.encode() not in _backend_bytes(stack)
    assert secret not in str(emulator.requests(mark))


def test_an_environment_secret_appears_in_zero_bytes_either(new_stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack = new_stack
    stack.run("stack", "init", stack.name)
    stack.run("config", "set", "--stack", stack.name, "vodjobs:endpoint", emulator.url)
    stack.env.update(ALIBABA_CLOUD_ACCESS_KEY_ID=TEST_KEY.access_key_id, ALIBABA_CLOUD_ACCESS_KEY_SECRET=TEST_KEY.access_key_secret)
    stack.write_spec("teaser.yaml", ONE_JOB)

    runs = [stack.up("--debug"), stack.run("stack", "export", "--stack", stack.name)]

    assert all(TEST_KEY.access_key_secret not in run.output for run in runs)
    assert TEST_KEY.access_key_secret.encode() not in _backend_bytes(stack)


def test_user_data_marked_secret_is_hidden_in_output_state_and_journal(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    token = "cb-token-4f1e9a7d2c"
    callback = {"MessageCallback": {"CallbackURL": f"https://hooks.example.com/vod?token={token}"}}
    stack.write_spec("secret.yaml", spec_yaml({"tokened-cover": job(VIDEOS["teaser"], userDataSecret=True, userData=callback)}))
    mark = emulator.log_position()

    runs = [stack.preview("--diff"), stack.up("--debug"), stack.run("stack", "export", "--stack", stack.name)]

    assert [token in e["params"]["UserData"] for e in emulator.calls(mark, "SubmitAIImageJob")] == [True]
    assert all(token not in run.output for run in runs)
    assert token.encode() not in _backend_bytes(stack)
    journal = b"".join(p.read_bytes() for p in (stack.project_dir / ".vodjobs").rglob("*") if p.is_file())
    assert journal and token.encode() not in journal
