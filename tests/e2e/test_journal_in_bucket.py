"""A stack whose state is in a bucket keeps its journal beside it, at the cost the README states, read from the server's log."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from tests.support.account import TEST_KEY
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack
from tests.support.s3_server import S3Server
from tests.support.specs import numbered_jobs

JOBS = 12
_buckets = itertools.count(1)
_REQUEST = re.compile(r'"(GET|PUT|POST|DELETE|HEAD) /([^/? ]+)([^ ]*) HTTP')


def journal_requests(s3_server: S3Server, bucket: str, since: int) -> dict[str, int]:
    """The journal's requests to `bucket` logged after line `since`, by kind: PUT, LIST, GET, DELETE."""
    counts: dict[str, int] = {}
    for line in s3_server.log_file.read_text(errors="replace").splitlines()[since:]:
        found = _REQUEST.search(line)
        if not found or found.group(2) != bucket:
            continue
        method, rest = found.group(1), found.group(3)
        if ".vodjobs" not in rest and rest != "?delete":  # Pulumi's own requests (vodjobs alone uses DeleteObjects)
            continue
        kind = "LIST" if "list-type=2" in rest else "DELETE" if method == "POST" and "delete" in rest else method
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def log_length(s3_server: S3Server) -> int:
    return len(s3_server.log_file.read_text(errors="replace").splitlines())


def bucket_stack(tmp_path: Path, pulumi_home: Path, s3_server: S3Server, emulator: EmulatorProcess) -> tuple[PulumiStack, str]:
    bucket = f"journal-e2e-{next(_buckets)}"
    s3_server.create_bucket(bucket)
    stack = PulumiStack(tmp_path, "ci", pulumi_home, backend_url=s3_server.backend_url(bucket))
    stack.env.update(S3Server.environment(tmp_path))
    stack.env["CI"] = "true"
    stack.init(emulator.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
    stack.write_spec("many.yaml", numbered_jobs(JOBS))
    return stack, bucket


def test_a_submit_costs_two_bucket_writes_and_a_run_one_list(
    tmp_path: Path, pulumi_home: Path, s3_server: S3Server, emulator: EmulatorProcess,
) -> None:
    stack, bucket = bucket_stack(tmp_path, pulumi_home, s3_server, emulator)
    since = log_length(s3_server)

    first = stack.up()

    assert journal_requests(s3_server, bucket, since) == {"PUT": 2 * JOBS, "LIST": 1}
    assert len(s3_server.keys(bucket, ".vodjobs/journal/vodjobs/ci/")) == 2 * JOBS
    assert "journal" not in first.output.lower()  # no warning: the journal outlives the runner

    since = log_length(s3_server)
    stack.up("--expect-no-changes")

    # State holds every JobId now: the run reads the journal once and deletes all of it in one batch.
    assert journal_requests(s3_server, bucket, since) == {"LIST": 1, "DELETE": 1}
    assert s3_server.keys(bucket, ".vodjobs/journal/") == []


def test_a_local_journal_on_a_ci_runner_is_named_once(stack: PulumiStack) -> None:
    stack.env["CI"] = "true"
    stack.write_spec("one.yaml", numbered_jobs(1))

    done = stack.up()

    diagnostics = done.output.split("Diagnostics:", 1)[1].split("Outputs:", 1)[0]
    assert diagnostics.count("crash safety dies with its disk") == 1  # one warning (pulumi also shows it while running)
    assert "vodjobs:journalUrl" in diagnostics


def test_a_journal_bucket_that_does_not_exist_stops_the_up_before_any_submit(
    stack: PulumiStack, s3_server: S3Server, emulator: EmulatorProcess, tmp_path: Path,
) -> None:
    stack.env.update(S3Server.environment(tmp_path))
    url = s3_server.backend_url("no-such-journal-bucket").replace("s3://no-such-journal-bucket?", "s3://no-such-journal-bucket/prod?")
    stack.run("config", "set", "--stack", stack.name, "vodjobs:journalUrl", url)
    stack.write_spec("one.yaml", numbered_jobs(2))
    since = emulator.log_position()

    failed = stack.up(check=False)

    assert failed.returncode != 0
    assert "s3://no-such-journal-bucket/prod" in failed.output and "NoSuchBucket" in failed.output
    assert "the bucket does not exist: create it" in failed.output
    assert emulator.calls(since, "SubmitAIImageJob") == []
    assert "vodjobs-test-state-secret" not in failed.output
