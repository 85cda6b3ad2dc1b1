"""The emulated VOD account: videos, AI templates and image-AI jobs, as plain objects (no HTTP).

Every rule of the service lives here; `app.py` only parses and renders.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vod_emulator import errors

SUBMIT_REGIONS = ("cn-shanghai", "cn-beijing")
USER_DATA_MAX_BYTES = 512
MAX_JOB_IDS_PER_QUERY = 10

# CHOICE: while a job runs, GetAIImageJobs reports Status "processing" (the docs only list success/fail).
STATUS_PROCESSING = "processing"
STATUS_SUCCESS = "success"
STATUS_FAIL = "fail"


def iso_utc(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


@dataclass
class Video:
    video_id: str
    title: str = ""
    fail_ai_jobs: bool = False  # seeded so that every image-AI job on it fails


@dataclass
class Template:
    template_id: str
    name: str
    template_type: str
    config: str
    created_at: float


@dataclass
class Job:
    job_id: str
    video_id: str
    template_id: str
    template_config: str
    user_data: str | None
    pipeline_id: str | None
    created_at: float
    ends_at: float
    fails: bool
    request_id: str = ""
    results: list[dict[str, Any]] = field(default_factory=list)

    def status(self, now: float) -> str:
        if now < self.ends_at:
            return STATUS_PROCESSING
        return STATUS_FAIL if self.fails else STATUS_SUCCESS


class VodAccount:
    """One account in one region. Thread-safe; time comes from an injectable clock."""

    def __init__(
        self,
        region: str,
        job_duration: float = 2.0,
        seed: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.region = region
        self.job_duration = job_duration
        self._clock = clock
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.videos: dict[str, Video] = {}
        self.templates: dict[str, Template] = {}
        self.jobs: dict[str, Job] = {}

    def new_id(self) -> str:
        with self._lock:
            return f"{self._random.getrandbits(128):032x}"

    # -- seeding (admin) -------------------------------------------------------------------

    def add_video(self, video_id: str, title: str = "", fail_ai_jobs: bool = False) -> Video:
        video = Video(video_id, title, fail_ai_jobs)
        with self._lock:
            self.videos[video_id] = video
        return video

    def add_template(self, name: str, template_type: str, config: str, template_id: str | None = None) -> Template:
        template = Template(template_id or self.new_id(), name, template_type, config, self._clock())
        with self._lock:
            self.templates[template.template_id] = template
        return template

    def reset(self) -> None:
        with self._lock:
            self.videos.clear()
            self.templates.clear()
            self.jobs.clear()

    # -- actions ---------------------------------------------------------------------------

    def submit_ai_image_job(
        self, video_id: str, template_id: str, user_data: str | None, pipeline_id: str | None
    ) -> Job:
        if self.region not in SUBMIT_REGIONS:
            raise errors.region_not_supported("SubmitAIImageJob", self.region)
        if user_data is not None:
            check_user_data(user_data)
        with self._lock:
            video = self.videos.get(video_id)
            if video is None:
                raise errors.video_not_found()
            template = self.templates.get(template_id)
            if template is None or template.template_type != "AIImage":
                # CHOICE: an unknown template (or one of another type) is an InvalidParameter.
                raise errors.invalid_parameter("AITemplateId", f"No AIImage template {template_id!r} exists.")
            now = self._clock()
            job = Job(
                job_id=f"{self._random.getrandbits(128):032x}",
                video_id=video_id,
                template_id=template_id,
                template_config=template.config,
                user_data=user_data,
                pipeline_id=pipeline_id,
                created_at=now,
                ends_at=now + self.job_duration,
                fails=video.fail_ai_jobs,
            )
            job.results = self._results_for(job)
            self.jobs[job.job_id] = job
        return job

    def get_ai_image_jobs(self, job_ids: list[str]) -> list[dict[str, Any]]:
        if len(job_ids) > MAX_JOB_IDS_PER_QUERY:
            raise errors.invalid_parameter("JobIds", f"At most {MAX_JOB_IDS_PER_QUERY} JobIds per call.")
        now = self._clock()
        with self._lock:
            # CHOICE: unknown JobIds are left out of AIImageJobList (no NonExist… field is documented).
            found = [self.jobs[j] for j in dict.fromkeys(job_ids) if j in self.jobs]
            return [render_job(job, now) for job in found]

    def _results_for(self, job: Job) -> list[dict[str, Any]]:
        if job.fails:
            return []
        config = json.loads(job.template_config or "{}")
        extension = "gif" if config.get("Format", "gif") == "gif" else "png"
        return [
            {
                "Score": round(self._random.uniform(3.0, 9.0), 6),
                "Url": f"http://outin-emulator.oss-{self.region}.aliyuncs.com/{job.video_id}/image/ai/{job.job_id}-{n:05d}.{extension}",
            }
            for n in (1, 2)
        ]


def check_user_data(user_data: str) -> None:
    if len(user_data.encode("utf-8")) > USER_DATA_MAX_BYTES:
        raise errors.invalid_parameter("UserData", f"UserData must be at most {USER_DATA_MAX_BYTES} bytes.")
    try:
        parsed = json.loads(user_data)
    except ValueError:
        raise errors.invalid_parameter("UserData", "UserData must be a JSON string.") from None
    if not isinstance(parsed, dict) or not ({"MessageCallback", "Extend"} & parsed.keys()):
        raise errors.invalid_parameter("UserData", "UserData must contain MessageCallback or Extend.")


def render_job(job: Job, now: float) -> dict[str, Any]:
    status = job.status(now)
    if status == STATUS_FAIL:
        code, message = "AIImageJobFailed", "The image AI job failed on this video."
    elif status == STATUS_PROCESSING:
        code, message = "Processing", "processing"
    else:
        code, message = "Success", "success"
    item: dict[str, Any] = {
        "JobId": job.job_id,
        "VideoId": job.video_id,
        "Status": status,
        "Code": code,
        "Message": message,
        "AIImageResult": json.dumps(job.results, separators=(",", ":")) if status == STATUS_SUCCESS else "",
        "TemplateId": job.template_id,
        "TemplateConfig": job.template_config,
        "CreationTime": iso_utc(job.created_at),
    }
    if job.user_data is not None:
        item["UserData"] = job.user_data
    return item
