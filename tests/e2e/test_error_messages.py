"""Every error a user can cause or meet reaches the console as one short message, never as a Python traceback.

Each story provokes one error through the real `pulumi up` and checks what Pulumi prints: a non-zero exit, no
"Traceback" anywhere in stdout or stderr, each error diagnostic at most 6 lines, under the failing job's name (or
the stack's, for the program's errors), saying what to do. PULUMI_DEBUG=1 brings the traceback back.
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.diagnostics import ErrorDiagnostic, error_diagnostics
from tests.support.emulator_process import EmulatorProcess
from tests.support.emulators import emulators
from tests.support.pulumi_stack import PulumiRun, PulumiStack
from tests.support.s3_server import S3Server
from tests.support.specs import job, spec_yaml, two_covers

MAX_LINES = 6
JOB = "pulumi-python:dynamic/vod:AIImageJob"
STACK = "pulumi:pulumi:Stack"
FAILING_VIDEO = "f" * 32


@pytest.fixture(scope="module")
def account() -> Iterator[EmulatorProcess]:
    """An emulator of this module's own: its stories inject faults, which must not reach other tests."""
    with emulators() as fleet:
        process = fleet.start(job_duration=0.3)
        process.add_videos({"VideoId": FAILING_VIDEO, "Title": "broken upload", "FailAIJobs": True})
        yield process


@pytest.fixture
def faults_cleared(account: EmulatorProcess) -> Iterator[EmulatorProcess]:
    yield account
    account.clear_faults()


def refused_endpoint() -> str:
    """An http endpoint on this machine where nothing listens: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def failed_with_messages(run: PulumiRun, *, jobs: tuple[str, ...] = (), stack_errors: int = 0) -> list[ErrorDiagnostic]:
    """Assert that `run` failed with short messages only: an error under each of `jobs`, none longer than 6 lines."""
    assert run.returncode != 0, run.output
    assert "Traceback" not in run.output and "KeyboardInterrupt" not in run.output, run.output
    assert len(run.stderr.splitlines()) <= MAX_LINES, run.stderr
    errors = error_diagnostics(run.stdout)
    assert errors, run.stdout
    too_long = [e for e in errors if len(e.lines) > MAX_LINES]
    assert not too_long, too_long
    assert sorted(e.resource_name for e in errors if e.resource_type == JOB) == sorted(jobs), errors
    assert len([e for e in errors if e.resource_type == STACK]) >= stack_errors, errors
    return errors


def job_errors(errors: list[ErrorDiagnostic]) -> list[str]:
    return [e.text for e in errors if e.resource_type == JOB]


def test_an_endpoint_that_refuses_connections_fails_each_job_in_seconds_with_one_message(new_stack: PulumiStack) -> None:
    stack = new_stack.init(refused_endpoint(), TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
    stack.write_spec("covers.yaml", two_covers())

    started = time.monotonic()
    run = stack.up(check=False)
    took = time.monotonic() - started

    messages = job_errors(failed_with_messages(run, jobs=("keynote-cover", "trailer-cover")))
    for message in messages:
        assert "SubmitAIImageJob failed: Transport.Refused" in message and "nothing was sent" in message
        assert "What to do: is the endpoint up? check vodjobs:region" in message
        backoff = float(re.search(r"3 attempts over ([\d.]+) s", message).group(1))  # type: ignore[union-attr]
        assert backoff <= 0.65  # README: at most 0.6 s of backoff, printed to a tenth
    assert took < 30, f"pulumi up took {took:.0f} s"  # the engine's own start and stop included


def test_a_wrong_secret_names_the_action_its_request_id_and_the_setting_to_fix(
    new_stack: PulumiStack, account: EmulatorProcess
) -> None:
    stack = new_stack.init(account.url, TEST_KEY.access_key_id, "not-the-secret-of-this-key")
    stack.write_spec("covers.yaml", two_covers())

    run = stack.up(check=False)

    for message in job_errors(failed_with_messages(run, jobs=("keynote-cover", "trailer-cover"))):
        assert re.search(r"SubmitAIImageJob failed: SignatureDoesNotMatch: .*\(RequestId [0-9A-F-]{36}; HTTP 400\)", message)
        assert "pulumi config set --secret vodjobs:accessKeySecret" in message
    assert "not-the-secret-of-this-key" not in run.output


def test_with_pulumi_debug_the_traceback_comes_back_under_the_message(new_stack: PulumiStack, account: EmulatorProcess) -> None:
    stack = new_stack.init(account.url, TEST_KEY.access_key_id, "not-the-secret-of-this-key")
    stack.write_spec("covers.yaml", spec_yaml({"keynote-cover": job(VIDEOS["keynote"])}))
    stack.env["PULUMI_DEBUG"] = "1"

    run = stack.up(check=False)

    assert run.returncode != 0
    assert "Traceback (most recent call last)" in run.stdout and "SignatureDoesNotMatch" in run.stdout


def test_missing_credentials_say_where_an_access_key_can_come_from(new_stack: PulumiStack, account: EmulatorProcess) -> None:
    new_stack.run("stack", "init", new_stack.name)
    new_stack.run("config", "set", "--stack", new_stack.name, "vodjobs:endpoint", account.url)
    new_stack.write_spec("covers.yaml", two_covers())
    mark = account.log_position()

    run = new_stack.up(check=False)

    for message in job_errors(failed_with_messages(run, jobs=("keynote-cover", "trailer-cover"))):
        assert message.startswith("no Alibaba Cloud AccessKey found")
        assert "vodjobs:accessKeyId" in message and "ALIBABA_CLOUD_ACCESS_KEY_ID" in message
    assert account.calls(mark) == []


def test_throttling_that_outlasts_the_retries_advises_a_lower_max_qps(
    new_stack: PulumiStack, faults_cleared: EmulatorProcess
) -> None:
    account = faults_cleared
    stack = new_stack.init(account.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
    stack.write_spec("covers.yaml", spec_yaml({"keynote-cover": job(VIDEOS["keynote"])}))
    account.set_faults({"actions": {"SubmitAIImageJob": {"errorRate": 1.0, "errorCode": "Throttling.User", "httpStatus": 400}}})

    run = stack.up(check=False)  # 10 attempts: about 21 s of backoff on average, at most 43 s (README)

    [message] = job_errors(failed_with_messages(run, jobs=("keynote-cover",)))
    assert re.search(r"SubmitAIImageJob failed: Throttling.User: .*\(RequestId [0-9A-F-]{36}; HTTP 400; 10 attempts over", message)
    assert "pulumi config set vodjobs:maxQps" in message and "PULUMI_PARALLEL" not in message


def test_a_journal_bucket_that_does_not_exist_is_named_with_the_fix(
    new_stack: PulumiStack, account: EmulatorProcess, s3_server: S3Server, tmp_path: Path
) -> None:
    stack = new_stack.init(account.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
    stack.env.update(S3Server.environment(tmp_path))
    url = s3_server.backend_url("no-such-bucket").replace("s3://no-such-bucket?", "s3://no-such-bucket/prod?")
    stack.run("config", "set", "--stack", stack.name, "vodjobs:journalUrl", url)
    stack.write_spec("covers.yaml", two_covers())
    mark = account.log_position()

    run = stack.up(check=False)

    for message in job_errors(failed_with_messages(run, jobs=("keynote-cover", "trailer-cover"))):
        assert "s3://no-such-bucket/prod" in message and "NoSuchBucket" in message
        assert "create it, or fix the bucket in vodjobs:journalUrl" in message
    assert account.calls(mark, "SubmitAIImageJob") == []


def test_an_unknown_setting_stops_the_program_naming_the_nearest_key(new_stack: PulumiStack, account: EmulatorProcess) -> None:
    stack = new_stack.init(account.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
    stack.run("config", "set", "--stack", stack.name, "vodjobs:endpiont", account.url)
    stack.write_spec("covers.yaml", two_covers())

    run = stack.up(check=False)

    errors = failed_with_messages(run, stack_errors=1)
    assert any("vodjobs:endpiont is not a vodjobs setting: did you mean vodjobs:endpoint?" in e.text for e in errors)
    debug = stack.up("--debug", check=False)
    assert "debug: Traceback (most recent call last)" in debug.stdout and "SettingsError" in debug.stdout


def test_a_waited_job_that_fails_is_named_with_its_job_id_and_how_to_run_it_again(
    new_stack: PulumiStack, account: EmulatorProcess
) -> None:
    stack = new_stack.init(account.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
    stack.write_spec("covers.yaml", spec_yaml({
        "broken-cover": job(FAILING_VIDEO, TEMPLATE, wait="1m"),
        "keynote-cover": job(VIDEOS["keynote"]),
    }))

    run = stack.up(check=False)

    errors = failed_with_messages(run, stack_errors=1)
    job_id = stack.outputs()["jobIds"]["broken-cover"]
    assert any(f"job 'broken-cover' ({job_id}) failed: AIImageJobFailed" in e.text and "bump `revision:`" in e.text
               for e in errors)


def test_the_vodjobs_command_prints_a_message_and_the_traceback_only_with_debug(
    new_stack: PulumiStack, account: EmulatorProcess
) -> None:
    stack = new_stack.init(account.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
    stack.run("config", "set", "--stack", stack.name, "vodjobs:endpiont", account.url)

    plain = stack.vodjobs("status", "--stack", stack.name)
    debug = stack.vodjobs("status", "--stack", stack.name, "--debug")

    assert plain.returncode == debug.returncode == 3
    assert "Traceback" not in plain.stdout + plain.stderr and len(plain.stderr.splitlines()) <= MAX_LINES
    assert plain.stderr.startswith("vodjobs status: vodjobs:endpiont is not a vodjobs setting: did you mean vodjobs:endpoint?")
    assert "Traceback (most recent call last)" in debug.stderr and "did you mean vodjobs:endpoint?" in debug.stderr
