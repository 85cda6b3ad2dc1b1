"""A media team reviews job specs in pull requests; merges submit them; state lives in a shared bucket.

Each test runs the steps of examples/ci/ as runners would: fresh checkouts, the real pulumi CLI
on a DIY backend in a real S3-compatible server process, the real emulator counting API calls.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.ci_pipeline import Pipeline, github_steps, gitlab_steps
from tests.support.emulator_process import EmulatorProcess
from tests.support.golden import assert_matches_golden
from tests.support.pulumi_stack import PASSPHRASE, checkpoint_resources
from tests.support.s3_server import S3Server
from tests.support.specs import animated_cover, job, job_entries, spec_yaml, templated_job, two_covers
from tests.support.waiting import wait_for

_buckets = itertools.count(1)

COVERS = two_covers()

# The pull request: one job changed, one added beside it (after a blank line: the golden files
# name its line), two more in a new file with a new template.
PR_COVERS = two_covers("summer") + "\n" + job_entries({"interview-cover": job(VIDEOS["interview"])})
PR_LAUNCH = spec_yaml({"launch-teaser-gif": templated_job(VIDEOS["teaser"]), "launch-trailer-gif": templated_job(VIDEOS["trailer"])},
                      templates=animated_cover())
MAIN = {"covers.yaml": COVERS}
PULL_REQUEST = {"covers.yaml": PR_COVERS, "launch.yaml": PR_LAUNCH}


@pytest.fixture
def pipeline(tmp_path: Path, pulumi_home: Path, s3_server: S3Server, emulator: EmulatorProcess) -> Iterator[Pipeline]:
    """A repository whose `prod` stack lives in a fresh bucket and points at the emulator."""
    bucket = f"vodjobs-state-{next(_buckets)}"
    s3_server.create_bucket(bucket)
    state_key = S3Server.environment(tmp_path)
    secrets = {  # what the recipes take from the CI's secret store
        "AWS_ACCESS_KEY_ID": state_key["AWS_ACCESS_KEY_ID"],
        "AWS_SECRET_ACCESS_KEY": state_key["AWS_SECRET_ACCESS_KEY"],
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "ALIBABA_CLOUD_ACCESS_KEY_ID": TEST_KEY.access_key_id,
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": TEST_KEY.access_key_secret,
    }
    repository = Pipeline(tmp_path, pulumi_home, s3_server, bucket, secrets)
    repository.init_stack(f"config:\n  vodjobs:endpoint: {emulator.url}\n")
    yield repository
    assert repository.lock_keys() == [], "a run left its lock behind"


def submits(emulator: EmulatorProcess, since: int) -> list[tuple[str, str]]:
    """(videoId, templateId) of every SubmitAIImageJob call since `since`, in order."""
    return [(e["params"]["VideoId"], e["params"]["AITemplateId"]) for e in emulator.calls(since, "SubmitAIImageJob")]


def test_a_pull_request_previews_its_jobs_and_its_merge_submits_exactly_them(
    pipeline: Pipeline, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    assert pipeline.checkout("main", MAIN).run_steps(github_steps("up")).returncode == 0
    pr = pipeline.checkout("pull-request", PULL_REQUEST, job="preview")
    step_summary = tmp_path / "step-summary.md"
    mark = emulator.log_position()

    preview = pr.run_steps(github_steps("preview"), GITHUB_STEP_SUMMARY=str(step_summary))
    gitlab = pipeline.checkout("merge-request", PULL_REQUEST, job="preview").run_steps(gitlab_steps("preview"))

    assert preview.returncode == 0, preview.output
    assert_matches_golden(step_summary.read_text(), "preview/pull-request.md")
    assert (pr.path / "vodjobs-preview.md").read_text() == step_summary.read_text()  # the comment
    notices = [line for line in preview.stdout.splitlines() if line.startswith("::notice ")]
    assert [n.split("title=", 1)[1].split("::", 1)[0] for n in notices] == [
        "vodjobs prod%3A submit interview-cover", "vodjobs prod%3A submit launch-teaser-gif",
        "vodjobs prod%3A submit launch-trailer-gif", "vodjobs prod%3A replace trailer-cover"]
    assert notices[3].startswith("::notice file=specs/covers.yaml,line=2,")
    assert gitlab.returncode == 0 and gitlab.stdout == step_summary.read_text()  # the job log
    assert (pipeline.workdir / "merge-request" / "project" / "vodjobs-preview.md").read_text() == gitlab.stdout  # the artifact
    assert emulator.calls(mark) == []

    merge = pipeline.checkout("merge", PULL_REQUEST)
    assert merge.run_steps(github_steps("up")).returncode == 0
    submitted = submits(emulator, mark)
    assert len(submitted) == len(set(submitted)) == 4
    assert [c["action"] for c in emulator.calls(mark)].count("AddAITemplate") == 1
    outputs = merge.stack.outputs()["jobIds"]
    checkpoint = pipeline.s3.read(pipeline.bucket, ".pulumi/stacks/vodjobs/prod.json")
    recorded = {name: resource.id for name, resource in checkpoint_resources(checkpoint).items()}
    assert recorded == outputs and len(outputs) == 5
    assert not (merge.path / ".pulumi").exists()

    again = emulator.log_position()
    assert pipeline.checkout("next-merge", PULL_REQUEST).run_steps(github_steps("up")).returncode == 0
    assert emulator.calls(again) == []


FIRST_MERGE = {"covers.yaml": PR_COVERS}
SECOND_MERGE = {"covers.yaml": PR_COVERS + "\n" + job_entries({"teaser-cover": job(VIDEOS["teaser"])})}


def test_two_ups_at_once_one_fails_on_the_lock_and_its_retry_submits_only_what_is_left(
    pipeline: Pipeline, emulator: EmulatorProcess
) -> None:
    first, second = pipeline.checkout("runner-1", FIRST_MERGE), pipeline.checkout("runner-2", SECOND_MERGE)
    (up,) = [step for step in github_steps("up") if step != "make setup"]
    mark = emulator.log_position()
    # Slow submits keep the first run inside its update (and its lock) while the second starts.
    emulator.set_faults({"actions": {"SubmitAIImageJob": {"latencyMs": 4000}}})
    try:
        running = first.start_step(up)
        wait_for(lambda: bool(pipeline.lock_keys()), 60, "the first run to take the stack lock")
        blocked = second.run_step(up)
        first_output, _ = running.communicate(timeout=300)
    finally:
        emulator.clear_faults()

    assert running.returncode == 0, first_output
    assert blocked.returncode != 0
    assert "the stack is currently locked by 1 lock(s)" in blocked.output
    assert len(submits(emulator, mark)) == 3  # the first run's jobs; the blocked run submitted nothing

    retry = emulator.log_position()
    assert second.run_step(up).returncode == 0
    assert submits(emulator, retry) == [(VIDEOS["teaser"], TEMPLATE)]
    assert len(set(submits(emulator, mark))) == len(submits(emulator, mark)) == 4
    assert sorted(second.stack.outputs()["jobIds"]) == ["interview-cover", "keynote-cover", "teaser-cover", "trailer-cover"]


BROKEN = spec_yaml({"trailer-cover": job(VIDEOS["trailer"], userdata="{Extend: {campaign: spring}}"),
                    "keynote-cover": job(VIDEOS["keynote"].upper())})


def test_a_pull_request_with_two_spec_errors_gets_two_error_annotations_and_fails(
    pipeline: Pipeline, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    pr = pipeline.checkout("pull-request", {"covers.yaml": BROKEN}, job="preview")
    step_summary = tmp_path / "step-summary.md"
    mark = emulator.log_position()

    preview = pr.run_steps(github_steps("preview"), GITHUB_STEP_SUMMARY=str(step_summary))

    assert preview.returncode != 0
    errors = [line for line in preview.stdout.splitlines() if line.startswith("::error ")]
    assert [e.split(",col=", 1)[0] for e in errors] == ["::error file=specs/covers.yaml,line=5", "::error file=specs/covers.yaml,line=7"]
    assert "Traceback" not in preview.output
    assert_matches_golden(step_summary.read_text(), "preview/pull-request-invalid.md")
    assert emulator.calls(mark) == []
