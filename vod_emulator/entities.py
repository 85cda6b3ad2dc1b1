"""The records of the emulated account: videos, AI templates, jobs and their images (frozen; no HTTP, no SQL).

A change makes a new record (dataclasses.replace), so a reader never sees one half-updated.
Times are epoch seconds (UTC); ids are 32 lower-case hex digits from the account's one random source.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

# CHOICE: while a job runs, GetAIImageJobs reports Status "processing" (the docs only list success/fail).
STATUS_PROCESSING = "processing"
STATUS_SUCCESS = "success"
STATUS_FAIL = "fail"
# CHOICE: a job can run on a video that has its source file; these states have none (or are blocked).
VIDEO_STATES_WITHOUT_SOURCE = ("Uploading", "UploadFail", "Blocked")
VIDEO_STATES = ("Uploading", "UploadFail", "UploadSucc", "Transcoding", "TranscodeFail", "Blocked", "Normal")
IMAGES_PER_JOB = 2  # CHOICE: a successful job yields two images (the docs' example shows one or more)


def iso_utc(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


@dataclass(frozen=True)
class Video:
    video_id: str
    title: str = ""
    status: str = "Normal"
    fail_ai_jobs: bool = False  # seeded so that every image-AI job on it fails
    reference_id: str | None = None
    duration: float = 60.0
    size: int = 10_485_760
    created_at: float = 0.0
    # Optional metadata GetVideoInfo reports when set (seeded); None: the field is left out of the answer.
    description: str | None = None
    tags: str | None = None  # comma-separated
    cate_id: int | None = None
    cate_name: str | None = None
    user_data: str | None = None  # JSON string, as set at upload


@dataclass(frozen=True)
class Template:
    template_id: str
    name: str
    template_type: str
    config: str
    created_at: float
    modified_at: float
    is_default: bool = False
    source: str = "Custom"


@dataclass(frozen=True)
class AIImage:
    """One image a successful job produced (an entry of ListAIImageInfo once the job is done)."""

    info_id: str
    url: str  # the raw OSS URL, without auth_key
    score: float
    image_format: str
    version: str  # the data version id ListAIImageInfo reports (an id, like AIImageInfoId)

    @property
    def output_id(self) -> str:
        """The id the image's file is named after: `…/image/ai/<output_id>-00001.gif`."""
        return self.url.rsplit("/", 1)[-1].split("-", 1)[0]


@dataclass(frozen=True)
class Job:
    job_id: str
    video_id: str
    template_id: str
    template_config: str  # snapshot taken at submission
    user_data: str | None
    pipeline_id: str | None
    created_at: float
    ends_at: float | None  # epoch seconds; None: processing until an admin call ends it (manual progress)
    fails: bool
    images: tuple[AIImage, ...] = ()

    def status(self, now: float) -> str:
        if self.ends_at is None or now < self.ends_at:
            return STATUS_PROCESSING
        return STATUS_FAIL if self.fails else STATUS_SUCCESS

    def finish_order(self) -> tuple[float, str]:
        """Sort key: jobs that ended first come first; jobs still waiting for an end come last."""
        return (self.ends_at if self.ends_at is not None else float("inf"), self.job_id)

    def sets_cover(self) -> bool:
        return bool(json.loads(self.template_config or "{}").get("SetDefaultCover") == "true")
