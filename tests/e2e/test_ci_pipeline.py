"""A media team reviews job specs in pull requests; merges submit them; state lives in a shared bucket.

Each test runs the steps of examples/ci/ as runners would: fresh checkouts, the real pulumi CLI
on a DIY backend in a real S3-compatible server process, the real emulator counting API calls.
The server enforces IAM: ups hold the bucket's read/write key, previews a read-only one (GetObject
and ListBucket) and no VOD key, so a preview that wrote anything, or needed to submit, would fail.
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
from tests.support.s3_server import BucketKeys, S3Server, running_s3_server
from tests.support.specs import animated_cover, job, job_entries, spec_yaml, templated_job, two_covers
from tests.support.waiting import wait_for

_buckets = itertools.count(1)
BUCKETS = "vodjobs-state-"  # the keys' policies cover every bucket named so; each test has one of its own

COVERS = two_covers()

# The pull request: one job changed, one added beside it (after a blank line: the golden files
# name its line), two more in a new file with a new template.
PR_COVERS = two_covers("summer") + "\n" + job_entries({"interview-cover": job(VIDEOS["interview"])})
PR_LAUNCH = spec_yaml({"launch-teaser-gif": templated_job(VIDEOS["teaser"]), "launch-trailer-gif": templated_job(VIDEOS["trailer"])},
                      templates=animated_cover())
MAIN = {"covers.yaml": COVERS}
SHOWN_JOB_ID = "6f1e3d5c7b9a4e8d2c4b6a8e0f2d4c6b"
PULL_REQUEST = {"covers.yaml": PR_COVERS, "launch.yaml": PR_LAUNCH}


@pytest.fixture(scope="module")
def guarded_s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """An S3 server of this module's own: enforce_keys() makes it refuse unsigned and unpermitted requests server-wide."""
    with running_s3_server(tmp_path_factory.mktemp("s3-guarded") / "moto_server.log") as server:
        yield server


@pytest.fixture(scope="module")
def bucket_keys(guarded_s3_server: S3Server) -> BucketKeys:
    return guarded_s3_server.enforce_keys(f"{BUCKETS}*")


@pytest.fixture
def pipeline(tmp_path: Path, pulumi_home: Path, guarded_s3_server: S3Server, bucket_keys: BucketKeys,
             emulator: EmulatorProcess) -> Iterator[Pipeline]:
    """A repository whose `prod` stack lives in a fresh bucket and points at the emulator."""
    bucket = f"{BUCKETS}{next(_buckets)}"
    guarded_s3_server.create_bucket(bucket)
    secrets = {  # what the recipes take from the CI's secret store
        "STATE_READ_ACCESS_KEY_ID": bucket_keys.read_only[0],
        "STATE_READ_ACCESS_KEY_SECRET": bucket_keys.read_only[1],
        "STATE_WRITE_ACCESS_KEY_ID": bucket_keys.read_write[0],
        "STATE_WRITE_ACCESS_KEY_SECRET": bucket_keys.read_write[1],
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "VOD_ACCESS_KEY_ID": TEST_KEY.access_key_id,
        "VOD_ACCESS_KEY_SECRET": TEST_KEY.access_key_secret,
        # no VOD_READ_ACCESS_KEY_*: the optional read key is not configured, so `adopt:` previews unverified
    }
    repository = Pipeline(tmp_path, pulumi_home, guarded_s3_server, bucket, secrets, S3Server.key_environment(bucket_keys.read_write))
    repository.init_stack(f"config:\n  vodjobs:endpoint: {emulator.url}\n")
    yield repository
    assert repository.lock_keys() == [], "a run left its lock behind"


def submits(emulator: EmulatorProcess, since: int) -> list[tuple[str, str]]:
    """(videoId, templateId) of every SubmitAIImageJob call since `since`, in order."""
    return [(e["params"]["VideoId"], e["params"]["AITemplateId"]) for e in emulator.calls(since, "SubmitAIImageJob")]


def test_a_pull_request_previews_its_jobs_and_its_merge_submits_exactly_them(
    pipeline: Pipeline, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    main = pipeline.checkout("main", MAIN)
    up = main.run_steps(github_steps("up"))
    assert up.returncode == 0, up.output
    assert "PULUMI_SKIP_CHECKPOINTS=true" in up.output  # the journal is in the bucket: the fast mode is safe
    replaced = main.stack.outputs()["jobIds"]["trailer-cover"]
    pr = pipeline.checkout("pull-request", PULL_REQUEST, job="preview")
    step_summary = tmp_path / "step-summary.md"
    mark = emulator.log_position()

    preview = pr.run_steps(github_steps("preview"), GITHUB_STEP_SUMMARY=str(step_summary))
    gitlab = pipeline.checkout("merge-request", PULL_REQUEST, job="preview").run_steps(gitlab_steps("preview"))

    assert preview.returncode == 0, preview.output
    # The emulator's JobIds depend on the tests run before: the golden file (and the README) shows a fixed one.
    assert_matches_golden(step_summary.read_text().replace(replaced, SHOWN_JOB_ID), "preview/pull-request.md")
    assert (pr.path / "vodjobs-preview.md").read_text() == step_summary.read_text()  # the comment
    assert (pr.path / "vodjobs-preview-full.md").read_text() == step_summary.read_text()  # the artifact
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


LEGACY_JOB_ID = "0b1c2d3e4f5a4b6c8d0e1f2a3b4c5d6e"  # submitted outside vodjobs; no preview here can look it up
PR_ADOPT = {"covers.yaml": COVERS + "\n" + job_entries({"legacy-cover": job(VIDEOS["interview"], adopt=LEGACY_JOB_ID)})}


def test_a_preview_with_a_read_only_bucket_key_and_no_vod_key_shows_a_new_adopt_job_as_not_verified(
    pipeline: Pipeline, emulator: EmulatorProcess, bucket_keys: BucketKeys, tmp_path: Path
) -> None:
    assert pipeline.checkout("main", MAIN).run_steps(github_steps("up")).returncode == 0
    objects = pipeline.s3.keys(pipeline.bucket)
    pr = pipeline.checkout("pull-request", PR_ADOPT, job="preview")
    assert (pr.env["AWS_ACCESS_KEY_ID"], pr.env["ALIBABA_CLOUD_ACCESS_KEY_ID"]) == (bucket_keys.read_only[0], "")
    mark = emulator.log_position()

    preview = pr.run_steps(github_steps("preview"), GITHUB_STEP_SUMMARY=str(tmp_path / "step-summary.md"))
    gitlab = pipeline.checkout("merge-request", PR_ADOPT, job="preview").run_steps(gitlab_steps("preview"))

    assert preview.returncode == 0, preview.output
    assert gitlab.returncode == 0, gitlab.output
    (row,) = [line for line in gitlab.stdout.splitlines() if line.startswith("| `legacy-cover`")]
    assert "| **adopt** |" in row and f"will adopt `{LEGACY_JOB_ID}` (not verified: no read key); nothing is submitted" in row
    assert emulator.calls(mark) == []
    assert pipeline.s3.keys(pipeline.bucket) == objects  # the previews wrote nothing, and took no lock
    refused = pipeline.checkout("probe", {}, job="preview").run_step(
        f"python -c \"import boto3; boto3.client('s3', endpoint_url='{pipeline.s3.url}', region_name='us-east-1')"
        f".put_object(Bucket='{pipeline.bucket}', Key='probe', Body=b'')\"")
    assert refused.returncode != 0 and "AccessDenied" in refused.output  # the preview's key could not have written

    # An up without a VOD key fails on the adopt job rather than recording a job it could not check.
    no_vod_key = pipeline.checkout("merge", PR_ADOPT, secrets={**pipeline.secrets, "VOD_ACCESS_KEY_ID": "", "VOD_ACCESS_KEY_SECRET": ""})
    up = no_vod_key.run_steps(github_steps("up"))
    assert up.returncode != 0 and "no Alibaba Cloud AccessKey found" in up.output
    assert "legacy-cover" not in no_vod_key.stack.outputs()["jobIds"]


def test_a_pull_request_from_a_fork_gets_the_spec_changes_without_state_and_is_told_so(
    pipeline: Pipeline, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    assert pipeline.checkout("main", MAIN).run_steps(github_steps("up")).returncode == 0
    fork = pipeline.checkout("fork", MAIN, job="preview", secrets={})  # GitHub gives a fork's pull request no secret
    base = fork.commit("main")
    for filename, text in PULL_REQUEST.items():
        fork.stack.write_spec(filename, text)
    fork.commit("the pull request")
    fork.env["BASE_REF"] = base  # the recipe's ${{ github.event.pull_request.base.sha }}
    step_summary = tmp_path / "step-summary.md"
    mark = emulator.log_position()

    preview = fork.run_steps(github_steps("preview"), GITHUB_STEP_SUMMARY=str(step_summary))

    assert preview.returncode == 0, preview.output
    assert "no state key (a pull request from a fork gets no secrets)" in preview.stderr
    comment = (fork.path / "vodjobs-preview.md").read_text()
    assert f"> **Not verified against the stack's state (no state was read, as for a pull request from a fork, which gets no " \
           f"secrets): these are the spec changes since `{base[:12]}`, the merge base;" in comment
    assert "**`pulumi up` will submit 3 new jobs, replace 1 job and create 1 template; 1 job stays unchanged.**" in comment
    (row,) = [line for line in comment.splitlines() if line.startswith("| `trailer-cover`")]
    assert row.endswith("| `userData.Extend.campaign`: `'spring'` → `'summer'` |"), row
    assert any(line.startswith("::warning title=vodjobs prod%3A not verified against state::") for line in preview.stdout.splitlines())
    assert step_summary.read_text() == comment
    assert emulator.calls(mark) == []
