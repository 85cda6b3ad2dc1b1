"""What `vodjobs discover` found, sorted into the jobs to adopt and everything it leaves out (pure: answers in, plan out).

One job is adopted per video and template: the newest finished one (by CreationTime, then JobId). A spec can adopt
a JobId once and names a set's jobs by video, so a second job of the same video and template is passed over, and
named in the report with the JobId adopted in its place.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from vod_provider.api.models import AIImageJobInfo
from vod_provider.spec.adoption_spec import FoundJob, user_data_value

STATUS_SUCCESS = "success"


@dataclass(frozen=True)
class PassedOver:
    """A job found but not adopted, and why (one sentence)."""

    job_id: str
    video_id: str
    template_id: str
    reason: str


@dataclass(frozen=True)
class Discovery:
    """`adopted`: one job per video and template, in the videos' order; the rest, each with its reason."""

    adopted: tuple[FoundJob, ...]
    without_job: tuple[str, ...]  # listed videos with no job to adopt (on the chosen templates)
    unknown_videos: tuple[str, ...]  # listed videos the service does not know
    passed_over: tuple[PassedOver, ...]


def plan_discovery(videos: Sequence[str], listed: Mapping[str, Sequence[str] | None], found: Iterable[AIImageJobInfo],
                   template_ids: Collection[str] = (), managed: Mapping[str, str] | None = None) -> Discovery:
    """Sort the jobs of `videos` into adoptions.

    `listed`: video → the JobIds ListAIImageInfo gave (None: the video does not exist); `found`: what GetAIImageJobs
    answered for them; `template_ids`: keep only jobs on these templates (empty: every template); `managed`: JobId →
    job name of the jobs the stack already holds. A video and template whose newest job the stack holds adopts
    nothing (a JobId recorded twice would be two jobs in state for one in VOD), and its video counts as having a job.
    """
    managed = managed or {}
    infos = {info.job_id: info for info in found}
    adopted: list[FoundJob] = []
    passed: list[PassedOver] = []
    held: set[str] = set()  # videos whose job the stack already holds
    for video in videos:
        job_ids = listed.get(video) or ()
        candidates: list[tuple[AIImageJobInfo, FoundJob]] = []
        for job_id in job_ids:
            info = infos.get(job_id)
            reason = _unfit(info, video, template_ids)
            if info is not None and reason is None:
                user_data, reason = user_data_value(info.user_data)
                if reason is None:
                    candidates.append((info, FoundJob(video, info.template_id, job_id, user_data)))
                    continue
            passed.append(PassedOver(job_id, video, info.template_id if info else "", reason or ""))
        adopted_here, passed_here = _newest_per_template(candidates)
        adopted += [job for job in adopted_here if job.job_id not in managed]
        passed += passed_here + [PassedOver(job.job_id, job.video_id, job.template_id,
                                            f"the stack already holds it, as job {managed[job.job_id]!r}")
                                 for job in adopted_here if job.job_id in managed]
        if any(job.job_id in managed for job in adopted_here):
            held.add(video)
    with_job = {job.video_id for job in adopted} | held
    unknown = tuple(video for video in videos if listed.get(video, ()) is None)
    without = tuple(video for video in videos if video not in with_job and listed.get(video, ()) is not None)
    return Discovery(tuple(adopted), without, unknown, tuple(passed))


def _unfit(info: AIImageJobInfo | None, video: str, template_ids: Collection[str]) -> str | None:
    """Why a listed job cannot be adopted, before its UserData is read; None when it can."""
    if info is None:
        return "ListAIImageInfo lists it, but GetAIImageJobs does not know it"
    if info.video_id != video:
        return f"GetAIImageJobs reports it on video {info.video_id}, not {video}"
    if info.status != STATUS_SUCCESS:
        return f"its status is {info.status or 'empty'}, not {STATUS_SUCCESS}"
    if template_ids and info.template_id not in template_ids:
        return "its template is not one of --template-id"
    return None


def _newest_per_template(candidates: Sequence[tuple[AIImageJobInfo, FoundJob]]) -> tuple[list[FoundJob], list[PassedOver]]:
    """The newest job of each template (sorted by template id); the older ones, passed over."""
    ordered = sorted(candidates, key=lambda pair: (pair[0].creation_time, pair[0].job_id), reverse=True)
    newest: dict[str, FoundJob] = {}
    passed: list[PassedOver] = []
    for _info, job in ordered:
        kept = newest.setdefault(job.template_id, job)
        if kept is not job:
            passed.append(PassedOver(job.job_id, job.video_id, job.template_id,
                                     f"an older job of the same video and template; {kept.job_id} is adopted"))
    return sorted(newest.values(), key=lambda job: job.template_id), passed
