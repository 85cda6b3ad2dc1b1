"""The emulated API actions: parse each action's parameters, call the account, shape the JSON answer.

Field names and types follow the official SDK's models (alibabacloud-vod20170321 3.12.1),
which name every field the service returns. No rule of the service lives here (see models.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from vod_emulator import errors, rules
from vod_emulator.entities import STATUS_FAIL, STATUS_PROCESSING, STATUS_SUCCESS, AIImage, Job, Template, Video, iso_utc
from vod_emulator.models import VodAccount

# CHOICE: parameters an action does not take (the SDK-only OwnerId…, or any other) are ignored, not rejected.
Params = Mapping[str, str]
ActionHandler = Callable[[VodAccount, Params], dict[str, Any]]

# CHOICE: FileURL is signed with CDN URL authentication type A (auth_key=<expiry>-<rand>-<uid>-<md5>),
# valid for 30 minutes, under a key of the emulator's own.
URL_AUTH_PRIVATE_KEY = "vod-emulator-url-auth-key"
URL_AUTH_TTL_SECONDS = 1800


def _required(params: Params, name: str) -> str:
    value = params.get(name)
    if value is None or value == "":
        raise errors.missing_parameter(name)
    return value


def _optional(params: Params, name: str) -> str | None:
    # CHOICE: an optional parameter sent empty ("UserData=") counts as absent.
    return params.get(name) or None


# -- image-AI jobs ----------------------------------------------------------------------------

def submit_ai_image_job(account: VodAccount, params: Params) -> dict[str, Any]:
    job = account.submit_ai_image_job(
        video_id=_required(params, "VideoId"),
        template_id=_required(params, "AITemplateId"),
        user_data=_optional(params, "UserData"),
        pipeline_id=_optional(params, "AIPipelineId"),
    )
    return {"JobId": job.job_id}


def get_ai_image_jobs(account: VodAccount, params: Params) -> dict[str, Any]:
    job_ids = rules.split_job_ids(_required(params, "JobIds"))
    now = account.now()
    return {"AIImageJobList": [render_job(job, now) for job in account.get_ai_image_jobs(job_ids)]}


def list_ai_image_info(account: VodAccount, params: Params) -> dict[str, Any]:
    found = account.list_ai_image_info(_required(params, "VideoId"))
    now = account.now()
    return {"AIImageInfoList": [render_image_info(job, image, now) for job, image in found]}


def render_job(job: Job, now: float) -> dict[str, Any]:
    status = job.status(now)
    if status == STATUS_FAIL:
        # CHOICE: the Code and Message of a failed job (the docs show only the success pair).
        code, message = "AIImageJobFailed", "The image AI job failed on this video."
    elif status == STATUS_PROCESSING:
        code, message = "Processing", "processing"
    else:
        code, message = "Success", "success"
    results = [{"Score": image.score, "Url": image.url} for image in job.images] if status == STATUS_SUCCESS else []
    item: dict[str, Any] = {
        "JobId": job.job_id,
        "VideoId": job.video_id,
        "Status": status,
        "Code": code,
        "Message": message,
        # A JSON string, as the cloud sends it; CHOICE: "" until the job has succeeded.
        "AIImageResult": json.dumps(results, separators=(",", ":")) if results else "",
        "TemplateId": job.template_id,
        "TemplateConfig": job.template_config,
        "CreationTime": iso_utc(job.created_at),
    }
    if job.user_data is not None:
        item["UserData"] = job.user_data
    return item


def render_image_info(job: Job, image: AIImage, now: float) -> dict[str, Any]:
    """One AIImageInfoList entry; only for a job that has ended with success."""
    assert job.ends_at is not None, "ListAIImageInfo lists the images of ended jobs only"
    return {
        "AIImageInfoId": image.info_id,
        "JobId": job.job_id,
        "VideoId": job.video_id,
        "FileURL": signed_url(image.url, now),
        "Format": image.image_format,
        "Score": f"{image.score}",
        "Version": image.version,  # "the data version ID" (SDK model): an id, like the docs' b547f3f0e199c3b457369f3cf****
        "CreationTime": iso_utc(job.ends_at),  # CHOICE: an image exists from the moment its job finished
    }


def signed_url(url: str, now: float) -> str:
    """The URL with a type-A auth_key, as ListAIImageInfo's FileURL carries one."""
    expiry = int(now) + URL_AUTH_TTL_SECONDS
    digest = hashlib.md5(f"{urlsplit(url).path}-{expiry}-0-0-{URL_AUTH_PRIVATE_KEY}".encode()).hexdigest()
    return f"{url}?auth_key={expiry}-0-0-{digest}"


# -- videos -----------------------------------------------------------------------------------

def get_video_info(account: VodAccount, params: Params) -> dict[str, Any]:
    video_id, reference_id = _optional(params, "VideoId"), _optional(params, "ReferenceId")
    if video_id is None and reference_id is None:
        raise errors.missing_parameter("VideoId")  # CHOICE: ReferenceId is the SDK's alternative; VideoId is named
    video, cover_url = account.get_video(video_id, reference_id)
    return {"Video": render_video(video, cover_url, account.region)}


def render_video(video: Video, cover_url: str, region: str) -> dict[str, Any]:
    """GetVideoInfo's Video: the fields of the SDK model (GetVideoInfoResponseBodyVideo) that apply.

    Left out, always: CustomMediaInfo (deprecated, "no longer returned"), RestoreStatus and
    RestoreExpiration (only for archived media being restored; these videos are Standard) and
    Snapshots (only after snapshot jobs, which the emulator does not run). Left out when unset:
    ReferenceId, Description, Tags, CateId, CateName, UserData, and CoverURL until a cover is set.
    """
    rendered: dict[str, Any] = {
        "VideoId": video.video_id,
        "Title": video.title,
        "Status": video.status,
        # CHOICE: the review passed unless the video is blocked (the emulator runs no review).
        "AuditStatus": "Blocked" if video.status == "Blocked" else "Normal",
        "Duration": video.duration,
        "Size": video.size,
        "CreationTime": iso_utc(video.created_at),
        "ModificationTime": iso_utc(video.created_at),
        "RegionId": region,
        "StorageLocation": f"outin-emulator.oss-{region}.aliyuncs.com",
        "StorageClass": "Standard",
        "DownloadSwitch": "on",
        "AppId": "app-1000000",
        # CHOICE: the template group VOD documents for media uploaded without transcoding.
        "TemplateGroupId": "VOD_NO_TRANSCODE",
    }
    optional = {"ReferenceId": video.reference_id, "Description": video.description, "Tags": video.tags,
                "CateId": video.cate_id, "CateName": video.cate_name, "UserData": video.user_data,
                "CoverURL": cover_url or None}
    rendered.update({name: value for name, value in optional.items() if value is not None})
    return rendered


# -- AI templates -----------------------------------------------------------------------------

def add_ai_template(account: VodAccount, params: Params) -> dict[str, Any]:
    template = account.add_ai_template(
        _required(params, "TemplateName"), _required(params, "TemplateType"), _required(params, "TemplateConfig")
    )
    return {"TemplateId": template.template_id}


def get_ai_template(account: VodAccount, params: Params) -> dict[str, Any]:
    return {"TemplateInfo": render_template(account.get_ai_template(_required(params, "TemplateId")))}


def list_ai_template(account: VodAccount, params: Params) -> dict[str, Any]:
    templates = account.list_ai_templates(_required(params, "TemplateType"))
    return {"TemplateInfoList": [render_template(t) for t in templates]}


def update_ai_template(account: VodAccount, params: Params) -> dict[str, Any]:
    template = account.update_ai_template(
        _required(params, "TemplateId"), _required(params, "TemplateName"), _required(params, "TemplateConfig")
    )
    return {"TemplateId": template.template_id}


def delete_ai_template(account: VodAccount, params: Params) -> dict[str, Any]:
    return {"TemplateId": account.delete_ai_template(_required(params, "TemplateId")).template_id}


def set_default_ai_template(account: VodAccount, params: Params) -> dict[str, Any]:
    return {"TemplateId": account.set_default_ai_template(_required(params, "TemplateId")).template_id}


def get_default_ai_template(account: VodAccount, params: Params) -> dict[str, Any]:
    template = account.get_default_ai_template(_required(params, "TemplateType"))
    return {} if template is None else {"TemplateInfo": render_template(template)}


def render_template(template: Template) -> dict[str, Any]:
    return {
        "TemplateId": template.template_id,
        "TemplateName": template.name,
        "TemplateType": template.template_type,
        "TemplateConfig": template.config,
        "Source": template.source,
        "IsDefault": "Default" if template.is_default else "NotDefault",
        "CreationTime": iso_utc(template.created_at),
        "ModifyTime": iso_utc(template.modified_at),
    }


ACTIONS: dict[str, ActionHandler] = {
    "SubmitAIImageJob": submit_ai_image_job,
    "GetAIImageJobs": get_ai_image_jobs,
    "ListAIImageInfo": list_ai_image_info,
    "AddAITemplate": add_ai_template,
    "GetAITemplate": get_ai_template,
    "ListAITemplate": list_ai_template,
    "UpdateAITemplate": update_ai_template,
    "DeleteAITemplate": delete_ai_template,
    "SetDefaultAITemplate": set_default_ai_template,
    "GetDefaultAITemplate": get_default_ai_template,
    "GetVideoInfo": get_video_info,
}
