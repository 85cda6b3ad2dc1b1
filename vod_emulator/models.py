"""The emulated VOD account: videos, AI templates and image-AI jobs, and the service's rules over them.

No HTTP and no SQL: every rule of the service lives here or in `rules.py`; `actions.py` only parses and
shapes JSON. The records themselves are in entities.py. State is kept in memory and written through to
an optional `StateStore` (SQLite, see store.py). When a job ends is the job progress mode's business (progress.py).
"""

from __future__ import annotations

import dataclasses
import json
import random
import threading
import time
from collections.abc import Callable
from typing import Protocol

from vod_emulator import errors, rules
from vod_emulator.entities import (
    IMAGES_PER_JOB,
    STATUS_FAIL,
    STATUS_PROCESSING,
    STATUS_SUCCESS,
    VIDEO_STATES,
    VIDEO_STATES_WITHOUT_SOURCE,
    AIImage,
    Job,
    Template,
    Video,
    iso_utc,
)
from vod_emulator.progress import TIME, JobProgress

# The records are imported from here by older code (store.py, tests); they live in entities.py.
__all__ = [
    "STATUS_FAIL", "STATUS_PROCESSING", "STATUS_SUCCESS", "VIDEO_STATES", "VIDEO_STATES_WITHOUT_SOURCE",
    "AIImage", "Job", "JobEndedError", "StateStore", "Template", "UnknownJobError", "Video", "VodAccount", "iso_utc",
]

class UnknownJobError(LookupError):
    """No job has this JobId (an admin call named it)."""


class JobEndedError(ValueError):
    """The job has already ended; an ended job never changes."""


class StateStore(Protocol):
    """Where the account writes every change (store.SqliteStore); loaded once at start."""

    def load(self) -> tuple[list[Video], list[Template], list[Job]]: ...
    def put_video(self, video: Video) -> None: ...
    def put_template(self, template: Template) -> None: ...
    def delete_template(self, template_id: str) -> None: ...
    def put_job(self, job: Job) -> None: ...
    def clear(self) -> None: ...


class VodAccount:
    """One account in one region. Thread-safe; time comes from an injectable clock.

    `job_duration` (seconds) and `job_progress` (a mode of progress.MODES) start the job progress setting.
    """

    def __init__(
        self,
        region: str,
        job_duration: float = 2.0,
        seed: int | None = None,
        clock: Callable[[], float] = time.time,
        store: StateStore | None = None,
        job_progress: str = TIME,
    ) -> None:
        self.region = region
        self._progress = JobProgress(job_progress, job_duration)
        self._clock = clock
        self._random = random.Random(seed)  # the one source of every generated id and score
        self._lock = threading.Lock()
        self._store = store
        self.videos: dict[str, Video] = {}
        self.templates: dict[str, Template] = {}
        self.jobs: dict[str, Job] = {}
        if store is not None:
            videos, templates, jobs = store.load()
            self.videos = {v.video_id: v for v in videos}
            self.templates = {t.template_id: t for t in templates}
            self.jobs = {j.job_id: j for j in jobs}
        self._ids_in_use = {*self.templates, *self.jobs, *(
            i for j in self.jobs.values() for image in j.images for i in (image.info_id, image.version, image.output_id))}

    def now(self) -> float:
        return self._clock()

    @property
    def job_progress(self) -> JobProgress:
        with self._lock:
            return self._progress

    def set_job_progress(self, progress: JobProgress) -> None:
        """Jobs submitted from now on progress this way; jobs already submitted keep their end."""
        with self._lock:
            self._progress = progress

    @property
    def job_duration(self) -> float:
        """Seconds a job stays processing in the `time` mode."""
        return self.job_progress.job_duration

    def new_request_id(self) -> str:
        with self._lock:
            h = f"{self._random.getrandbits(128):032X}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def _new_id_locked(self) -> str:
        # A restarted emulator with the same --random-seed replays its ids; skip those in use.
        while True:
            candidate = f"{self._random.getrandbits(128):032x}"
            if candidate not in self._ids_in_use:
                self._ids_in_use.add(candidate)
                return candidate

    # -- seeding (admin) -------------------------------------------------------------------

    def add_video(self, video: Video) -> Video:
        if video.status not in VIDEO_STATES:
            raise ValueError(f"Status must be one of {', '.join(VIDEO_STATES)}")
        if not video.created_at:
            video = dataclasses.replace(video, created_at=self._clock())
        with self._lock:
            self.videos[video.video_id] = video
            if self._store:
                self._store.put_video(video)
        return video

    def add_template(self, name: str, template_type: str, config: str, template_id: str | None = None) -> Template:
        """Create (or with a given id, replace) a template without the API's checks of name and config."""
        rules.check_template_type(template_type)
        with self._lock:
            now = self._clock()
            template = Template(template_id or self._new_id_locked(), name, template_type, config, now, now)
            self._put_template_locked(template)
        return template

    def reset(self) -> None:
        with self._lock:
            self.videos.clear()
            self.templates.clear()
            self.jobs.clear()
            self._ids_in_use.clear()
            if self._store:
                self._store.clear()

    def _put_template_locked(self, template: Template) -> None:
        self.templates[template.template_id] = template
        if self._store:
            self._store.put_template(template)

    # -- image-AI jobs ---------------------------------------------------------------------

    def submit_ai_image_job(self, video_id: str, template_id: str, user_data: str | None, pipeline_id: str | None) -> Job:
        rules.require_region("SubmitAIImageJob", self.region, rules.SUBMIT_REGIONS)
        if user_data is not None:
            rules.check_user_data(user_data)
        # CHOICE: AIPipelineId is accepted as given (any value), stored, and changes nothing.
        with self._lock:
            video = self._video_locked(video_id)
            if video.status in VIDEO_STATES_WITHOUT_SOURCE:
                raise errors.VIDEO_ILLEGAL_STATUS(status=video.status)
            template = self._template_locked(template_id)
            if template.template_type != "AIImage":
                # CHOICE: a template of another type is an invalid parameter, not a missing template.
                raise errors.INVALID_PARAMETER(name="AITemplateId", why=f"Template {template_id} is of type {template.template_type}, not AIImage.")
            now = self._clock()
            job_id = self._new_id_locked()
            job = Job(job_id, video_id, template_id, template.config, user_data, pipeline_id,
                      created_at=now, ends_at=self._progress.ends_at(now), fails=video.fail_ai_jobs)
            # A job whose outcome is known now gets its images now; a manual one when its admin call ends it.
            if job.ends_at is not None and not job.fails:
                job = dataclasses.replace(job, images=self._images_locked(job))
            self._put_job_locked(job)
        return job

    def finish_job(self, job_id: str, succeeded: bool) -> Job:
        """End a job that is still processing, now: success (with its images) or fail. The admin's call."""
        with self._lock:
            job = self.jobs.get(job_id)
            if job is None:
                raise UnknownJobError(f"no job {job_id}")
            now = self._clock()
            if job.status(now) != STATUS_PROCESSING:
                raise JobEndedError(f"job {job_id} has already ended ({job.status(now)}); an ended job never changes")
            # CHOICE: the admin's word decides the outcome; FailAIJobs is not consulted.
            images = (job.images or self._images_locked(job)) if succeeded else ()
            ended = dataclasses.replace(job, ends_at=now, fails=not succeeded, images=images)
            self._put_job_locked(ended)
        return ended

    def _put_job_locked(self, job: Job) -> None:
        self.jobs[job.job_id] = job
        if self._store:
            self._store.put_job(job)

    def get_ai_image_jobs(self, job_ids: list[str]) -> list[Job]:
        rules.require_region("GetAIImageJobs", self.region, rules.SUBMIT_REGIONS)
        with self._lock:
            # CHOICE: unknown JobIds are left out of AIImageJobList (no NonExist… field is documented).
            return [self.jobs[j] for j in job_ids if j in self.jobs]

    def list_ai_image_info(self, video_id: str) -> list[tuple[Job, AIImage]]:
        """The images of the video's finished, successful jobs, oldest job first."""
        rules.require_region("ListAIImageInfo", self.region, rules.SUBMIT_REGIONS)
        now = self._clock()
        with self._lock:
            self._video_locked(video_id)
            done = [j for j in self.jobs.values() if j.video_id == video_id and j.status(now) == STATUS_SUCCESS]
        return [(job, image) for job in sorted(done, key=Job.finish_order) for image in job.images]

    def _images_locked(self, job: Job) -> tuple[AIImage, ...]:
        extension = "png" if json.loads(job.template_config or "{}").get("Format") == "png" else "gif"
        # CHOICE: the files are named after an output id of their own, numbered -00001, -00002 (the docs'
        # example `<VideoId>/image/ai/b0a7612554d6400013-0****.gif` shares nothing with its JobId).
        output_id = self._new_id_locked()
        return tuple(
            AIImage(
                info_id=self._new_id_locked(),
                url=f"http://outin-emulator.oss-{self.region}.aliyuncs.com/{job.video_id}/image/ai/{output_id}-{n:05d}.{extension}",
                score=round(self._random.uniform(3.0, 9.0), 6),
                image_format=extension,
                version=self._new_id_locked(),
            )
            for n in range(1, IMAGES_PER_JOB + 1)
        )

    # -- videos ----------------------------------------------------------------------------

    def get_video(self, video_id: str | None, reference_id: str | None) -> tuple[Video, str]:
        """The video and its cover URL ("" when none)."""
        now = self._clock()
        with self._lock:
            found = self.videos.get(video_id) if video_id is not None else next(
                (v for v in self.videos.values() if v.reference_id == reference_id), None)
            if found is None:
                raise errors.VIDEO_NOT_FOUND()
            video = found
            # CHOICE: SetDefaultCover makes the best-scored image of the latest successful job the cover.
            covering = [j for j in self.jobs.values()
                        if j.video_id == video.video_id and j.status(now) == STATUS_SUCCESS and j.sets_cover() and j.images]
        if not covering:
            return video, ""
        latest = max(covering, key=Job.finish_order)
        return video, max(latest.images, key=lambda i: i.score).url

    def _video_locked(self, video_id: str) -> Video:
        video = self.videos.get(video_id)
        if video is None:
            raise errors.VIDEO_NOT_FOUND()
        return video

    # -- AI templates ----------------------------------------------------------------------

    def add_ai_template(self, name: str, template_type: str, config: str) -> Template:
        rules.require_region("AddAITemplate", self.region, rules.TEMPLATE_REGIONS)
        rules.check_template_type(template_type)
        rules.check_template_name(name)
        rules.check_template_config(template_type, config)
        # CHOICE: template names need not be unique (the docs set no rule).
        return self.add_template(name, template_type, config)

    def get_ai_template(self, template_id: str) -> Template:
        rules.require_region("GetAITemplate", self.region, rules.TEMPLATE_REGIONS)
        with self._lock:
            return self._template_locked(template_id)

    def list_ai_templates(self, template_type: str) -> list[Template]:
        rules.require_region("ListAITemplate", self.region, rules.TEMPLATE_REGIONS)
        rules.check_template_type(template_type)
        with self._lock:
            found = [t for t in self.templates.values() if t.template_type == template_type]
        # CHOICE: oldest first (the docs give no order).
        return sorted(found, key=lambda t: (t.created_at, t.template_id))

    def update_ai_template(self, template_id: str, name: str, config: str) -> Template:
        rules.require_region("UpdateAITemplate", self.region, rules.TEMPLATE_REGIONS)
        rules.check_template_name(name)
        with self._lock:
            template = self._template_locked(template_id)
            rules.check_template_config(template.template_type, config)
            updated = dataclasses.replace(template, name=name, config=config, modified_at=self._clock())
            self._put_template_locked(updated)
        return updated

    def delete_ai_template(self, template_id: str) -> Template:
        rules.require_region("DeleteAITemplate", self.region, rules.TEMPLATE_REGIONS)
        with self._lock:
            template = self._template_locked(template_id)
            if template.is_default:
                raise errors.DEFAULT_TEMPLATE_NOT_DELETABLE()
            del self.templates[template_id]
            if self._store:
                self._store.delete_template(template_id)
        # Jobs keep their snapshot of the config; GetAIImageJobs still reports them.
        return template

    def set_default_ai_template(self, template_id: str) -> Template:
        # CHOICE: same regions as the other template actions (SetDefault's docstring names none).
        rules.require_region("SetDefaultAITemplate", self.region, rules.TEMPLATE_REGIONS)
        with self._lock:
            template = self._template_locked(template_id)
            now = self._clock()
            for other in list(self.templates.values()):
                if other.template_type == template.template_type and other.is_default and other.template_id != template_id:
                    self._put_template_locked(dataclasses.replace(other, is_default=False, modified_at=now))
            chosen = dataclasses.replace(template, is_default=True, modified_at=now)
            self._put_template_locked(chosen)
        return chosen

    def get_default_ai_template(self, template_type: str) -> Template | None:
        rules.require_region("GetDefaultAITemplate", self.region, rules.TEMPLATE_REGIONS)
        rules.check_template_type(template_type, allowed=("AIMediaAudit",))  # documented: AIImage is refused
        with self._lock:
            # CHOICE: with no default set, the answer has no TemplateInfo (no error).
            return next((t for t in self.templates.values() if t.template_type == template_type and t.is_default), None)

    def _template_locked(self, template_id: str) -> Template:
        template = self.templates.get(template_id)
        if template is None:
            raise errors.AI_TEMPLATE_NOT_FOUND()
        return template
