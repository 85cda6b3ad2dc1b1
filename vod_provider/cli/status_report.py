"""Where recorded jobs stand now: batched GetAIImageJobs lookups and the table people read (pure but the fetch)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from vod_provider.api.models import MAX_JOB_IDS_PER_QUERY, AIImageJobInfo
from vod_provider.cli.stack_reader import RecordedJob
from vod_provider.providers.outputs import STATUS_NOT_FOUND, parse_results


@dataclass(frozen=True)
class JobStatus:
    name: str
    job_id: str
    status: str
    results: int
    error: str

    @property
    def failed(self) -> bool:
        return self.status in ("fail", STATUS_NOT_FOUND)


def batches(job_ids: Sequence[str], size: int = MAX_JOB_IDS_PER_QUERY) -> list[list[str]]:
    return [list(job_ids[n:n + size]) for n in range(0, len(job_ids), size)]


def current_status(
    jobs: Sequence[RecordedJob],
    fetch: Callable[[Sequence[str]], list[AIImageJobInfo]],
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> list[JobStatus]:
    """Ask the service about every job, 10 JobIds per call; a JobId it does not know is notFound."""
    found: dict[str, AIImageJobInfo] = {}
    ids = list(dict.fromkeys(j.job_id for j in jobs))
    done = 0
    for batch in batches(ids):
        found.update((info.job_id, info) for info in fetch(batch))
        done += len(batch)
        progress(done, len(ids))
    out = []
    for job in jobs:
        info = found.get(job.job_id)
        if info is None:
            out.append(JobStatus(job.name, job.job_id, STATUS_NOT_FOUND, 0, "the service does not know this JobId"))
        else:
            error = f"{info.code}: {info.message}" if info.status == "fail" else ""
            out.append(JobStatus(job.name, job.job_id, info.status, len(parse_results(info.result)), error))
    return out


def render_table(statuses: Sequence[JobStatus]) -> str:
    rows = [("JOB", "JOBID", "STATUS", "RESULTS / ERROR")]
    rows += [(s.name, s.job_id, s.status, s.error or str(s.results)) for s in statuses]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3] for row in rows]
    counts: dict[str, int] = {}
    for s in statuses:
        counts[s.status] = counts.get(s.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no jobs recorded"
    return "\n".join([*lines, "", f"{len(statuses)} jobs: {summary}"]) + "\n"


def render_json(statuses: Sequence[JobStatus]) -> str:
    return json.dumps({"jobs": [asdict(s) for s in statuses]}, indent=2) + "\n"
