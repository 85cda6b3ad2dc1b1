"""The stack outputs the program exports for its jobs, and the message of a run whose jobs failed (pure)."""

from __future__ import annotations

from vod_provider.program import JobOutcome, failed_jobs_message, job_exports

DONE = JobOutcome("a" * 32, "success", None, None)
NEW = JobOutcome(None, None, None, None)  # a preview of a job not submitted yet
BROKEN = JobOutcome("b" * 32, "fail", "AIImageJobFailed", "no frames")


def test_known_jobs_export_their_job_id_and_status_and_new_ones_what_is_pending() -> None:
    pending = {"new-cover": {"jobId": "<output jobId>", "status": "<output status>"}}

    exports = job_exports({"done-cover": DONE, "new-cover": NEW}, pending)

    assert exports == {
        "jobIds": {"done-cover": "a" * 32, "new-cover": "<output jobId>"},
        "jobs": {"done-cover": {"jobId": "a" * 32, "status": "success"},
                 "new-cover": {"jobId": "<output jobId>", "status": "<output status>"}},
    }


def test_every_failed_job_is_named_with_its_job_id_and_error_and_the_others_are_not() -> None:
    message = failed_jobs_message({"z-cover": BROKEN, "done-cover": DONE, "a-cover": BROKEN, "new-cover": NEW})

    assert message is not None
    lines = message.splitlines()
    assert len(lines) == 2 and lines[0].startswith("job 'a-cover' (" + "b" * 32 + ") failed: AIImageJobFailed: no frames.")
    assert lines[1].startswith("job 'z-cover'")
    assert failed_jobs_message({"done-cover": DONE, "new-cover": NEW}) is None
