"""`vodjobs status` asks about jobs 10 at a time and prints a table a person can scan."""

from __future__ import annotations

from collections.abc import Sequence

from vod_provider.api.models import AIImageJobInfo
from vod_provider.cli.stack_reader import RecordedJob, recorded_jobs
from vod_provider.cli.status_report import batches, current_status, render_table


def test_jobs_are_asked_about_ten_at_a_time() -> None:
    assert [len(b) for b in batches([str(n) for n in range(25)])] == [10, 10, 5]


def test_the_table_shows_results_or_errors_and_a_summary() -> None:
    jobs = [RecordedJob("a-cover", "a" * 32, "submitted"), RecordedJob("b-cover", "b" * 32, "submitted"),
            RecordedJob("lost-cover", "f" * 32, "submitted")]

    def fetch(ids: Sequence[str]) -> list[AIImageJobInfo]:
        return [AIImageJobInfo("a" * 32, "v", "success", "Success", "success", '[{"Score":5,"Url":"u"}]', "t", "{}", "", ""),
                AIImageJobInfo("b" * 32, "v", "fail", "AIImageJobFailed", "The job failed.", "", "t", "{}", "", "")]

    statuses = current_status(jobs, fetch)

    assert [(s.status, s.failed) for s in statuses] == [("success", False), ("fail", True), ("notFound", True)]
    assert render_table(statuses).splitlines() == [
        "JOB         JOBID                             STATUS    RESULTS / ERROR",
        f"a-cover     {'a' * 32}  success   1",
        f"b-cover     {'b' * 32}  fail      AIImageJobFailed: The job failed.",
        f"lost-cover  {'f' * 32}  notFound  the service does not know this JobId",
        "",
        "3 jobs: 1 fail, 1 notFound, 1 success",
    ]


def test_replaced_jobs_pending_delete_are_not_listed() -> None:
    deployment = {"deployment": {"resources": [
        {"urn": "urn:pulumi:s::vodjobs::pulumi-python:dynamic/vod:AIImageJob::x", "type": "pulumi-python:dynamic/vod:AIImageJob",
         "id": "new", "outputs": {"status": "submitted"}},
        {"urn": "urn:pulumi:s::vodjobs::pulumi-python:dynamic/vod:AIImageJob::x", "type": "pulumi-python:dynamic/vod:AIImageJob",
         "id": "old", "delete": True, "outputs": {}},
    ]}}
    assert recorded_jobs(deployment) == [RecordedJob("x", "new", "submitted")]
