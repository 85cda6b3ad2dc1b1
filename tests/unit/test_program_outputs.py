"""The stack outputs the program exports for its jobs, and what a run says about failed jobs (pure)."""

from __future__ import annotations

import calendar
import time
from typing import Any

import pytest

from vod_provider.program import FailedJobsReport, JobOutcome, PendingOutputs, adoption_batches, failed_jobs_report, stack_exports
from vod_provider.spec.model import JobSpec

RUN_STARTED = calendar.timegm(time.strptime("2026-12-03T18:00:00Z", "%Y-%m-%dT%H:%M:%SZ")) + 0.7
DONE = JobOutcome("a" * 32, "success", None, None, "2026-12-03T17:00:00Z")
NEW = JobOutcome(None, None, None, None)  # a preview of a job not submitted yet
BROKEN_EARLIER = JobOutcome("b" * 32, "fail", "AIImageJobFailed", "no frames", "2026-12-03T17:59:59Z")
BROKEN_NOW = JobOutcome("c" * 32, "fail", "AIImageJobFailed", "No frames.", "2026-12-03T18:00:00Z")  # same second
NO_TIME = JobOutcome("d" * 32, "fail", "AIImageJobFailed", "no frames")


PENDING = PendingOutputs({"new-cover": {"jobId": "<output jobId>", "status": "<output status>"}}, {"still": "<output templateId>"})


@pytest.mark.parametrize(("pending", "expected"), [
    pytest.param(PENDING, {
        "jobIds": {"done-cover": "a" * 32, "new-cover": "<output jobId>"},
        "jobs": {"done-cover": {"jobId": "a" * 32, "status": "success"}, "new-cover": {"jobId": "<output jobId>", "status": "<output status>"}},
        "templateIds": {"animated-cover": "f" * 32, "still": "<output templateId>"},
    }, id="preview: what is not known yet is pending"),
    pytest.param(None, {
        "jobIds": {"done-cover": "a" * 32},
        "jobs": {"done-cover": {"jobId": "a" * 32, "status": "success"}},
        "templateIds": {"animated-cover": "f" * 32},
    }, id="up: what is not known (left out by --target) is absent, never a placeholder"),
])
def test_known_jobs_and_templates_export_their_ids_and_the_others_depend_on_the_run(
    pending: PendingOutputs | None, expected: dict[str, Any]
) -> None:
    exports = stack_exports({"done-cover": DONE, "new-cover": NEW}, {"animated-cover": "f" * 32, "still": None}, pending)

    assert exports == expected


def named(text: str | None) -> list[str]:
    """The job names a report's paragraph names, in order."""
    return [line.split("'")[1] for line in (text or "").splitlines() if line.startswith("job '")]


@pytest.mark.parametrize(("outcomes", "run_started", "fail_on_failed_jobs", "failing", "warned"), [
    pytest.param({"now": BROKEN_NOW, "done": DONE}, RUN_STARTED, False, ["now"], [], id="failed in this up: the up fails"),
    pytest.param({"old": BROKEN_EARLIER, "done": DONE}, RUN_STARTED, False, [], ["old"], id="failed earlier: a warning"),
    pytest.param({"old": BROKEN_EARLIER, "now": BROKEN_NOW}, RUN_STARTED, False, ["now"], ["old"], id="both"),
    pytest.param({"old": NO_TIME}, RUN_STARTED, False, [], ["old"], id="no submit time recorded: earlier"),
    pytest.param({"old": BROKEN_EARLIER, "now": BROKEN_NOW}, None, False, [], ["now", "old"], id="preview: warnings only"),
    pytest.param({"old": BROKEN_EARLIER, "now": BROKEN_NOW}, None, True, [], ["now", "old"], id="preview ignores the option"),
    pytest.param({"old": BROKEN_EARLIER, "now": BROKEN_NOW}, RUN_STARTED, True, ["now", "old"], [], id="option: any failed job fails the up"),
    pytest.param({"done": DONE, "new": NEW}, RUN_STARTED, True, [], [], id="nothing failed"),
])
def test_a_failed_job_fails_the_run_that_saw_it_fail_and_is_a_warning_afterwards(
    outcomes: dict[str, JobOutcome], run_started: float | None, fail_on_failed_jobs: bool, failing: list[str], warned: list[str],
) -> None:
    report = failed_jobs_report(outcomes, run_started, fail_on_failed_jobs)

    assert (named(report.error), named(report.warning)) == (failing, warned)


def test_each_failed_job_is_named_with_its_job_id_error_and_how_to_run_it_again() -> None:
    report = failed_jobs_report({"old": BROKEN_EARLIER, "now": BROKEN_NOW}, RUN_STARTED)

    assert report == FailedJobsReport(
        error=f"job 'now' ({'c' * 32}) failed: AIImageJobFailed: No frames. It stays recorded with its JobId and error and "
              "is not run again; to run it again, bump `revision:` in its spec.",
        warning=f"job 'old' ({'b' * 32}) failed in an earlier run: AIImageJobFailed: no frames. It stays recorded with its "
                "JobId and error and is not run again; to run it again, bump `revision:` in its spec.",
    )


def test_the_option_says_why_an_earlier_failure_fails_the_up() -> None:
    report = failed_jobs_report({"old": BROKEN_EARLIER}, RUN_STARTED, fail_on_failed_jobs=True)

    assert report.error is not None and report.warning is None
    assert report.error.endswith("(stack config vodjobs:failOnFailedJobs is true: `pulumi up` fails while the stack holds a failed job)")


def test_a_renamed_job_in_a_preview_exports_its_known_job_id_and_a_pending_status() -> None:
    renamed = JobOutcome("r" * 32, None, None, None)  # an update in a preview: the id is known, the outputs are not
    pending = PendingOutputs({"renamed-cover": {"jobId": "<output jobId>", "status": "<output status>"}}, {})

    exports = stack_exports({"renamed-cover": renamed}, {}, pending)

    assert exports["jobIds"] == {"renamed-cover": "r" * 32}
    assert exports["jobs"] == {"renamed-cover": {"jobId": "r" * 32, "status": "<output status>"}}


def test_each_adopting_job_names_the_jobs_its_batch_of_ten_adopting_jobs_adopts() -> None:
    def job(n: int, adopt: bool) -> JobSpec:
        return JobSpec(f"job-{n:02d}", "v" * 32, "t" * 32, None, None, "specs/a.yaml", n, adopt=f"{n:032d}" if adopt else None)

    jobs = [job(n, adopt=n % 3 != 0) for n in range(30)]

    batches = adoption_batches(jobs)

    adopting = [j for j in jobs if j.adopt]
    assert set(batches) == {j.name for j in adopting}
    assert batches["job-01"] == batches[adopting[9].name] == tuple(str(j.adopt) for j in adopting[:10])
    assert len(adopting) == 20 and batches[adopting[-1].name] == tuple(str(j.adopt) for j in adopting[10:])
