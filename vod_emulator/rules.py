"""The service's documented limits on inputs, as pure checks that raise the cloud's errors.

Sources: shared/reference/vod-api.md §1 (UserData), §2 (JobIds), §3 (AI templates and TemplateConfig).
"""

from __future__ import annotations

import json
from typing import Any

from vod_emulator import errors

SUBMIT_REGIONS = ("cn-shanghai", "cn-beijing")
TEMPLATE_REGIONS = ("cn-shanghai", "cn-beijing", "ap-southeast-1")
USER_DATA_MAX_BYTES = 512
MAX_JOB_IDS_PER_QUERY = 10
TEMPLATE_NAME_MAX_BYTES = 128
TEMPLATE_TYPES = ("AIMediaAudit", "AIImage")

_AI_IMAGE_FIELDS = {"Format": ("gif", "png"), "SetDefaultCover": ("true", "false")}
_AUDIT_LIST_FIELDS = {
    "AuditItem": ("terrorism", "porn", "ad", "logo", "live"),
    "AuditRange": ("video", "image-cover", "text-title"),
    "AuditContent": ("screen",),
}
_AUDIT_AUTO_BLOCK = ("yes", "no")


def check_user_data(user_data: str) -> None:
    """JSON, at most 512 bytes, with MessageCallback or Extend."""
    if len(user_data.encode("utf-8")) > USER_DATA_MAX_BYTES:
        raise errors.INVALID_PARAMETER(name="UserData", why=f"UserData must be at most {USER_DATA_MAX_BYTES} bytes.")
    try:
        parsed = json.loads(user_data)
    except ValueError:
        raise errors.INVALID_PARAMETER(name="UserData", why="UserData must be a JSON string.") from None
    if not isinstance(parsed, dict) or not ({"MessageCallback", "Extend"} & parsed.keys()):
        raise errors.INVALID_PARAMETER(name="UserData", why="UserData must contain MessageCallback or Extend.")
    # CHOICE: MessageCallback and Extend may be nested objects or embedded JSON strings (the docs show both).


def split_job_ids(job_ids: str) -> list[str]:
    """The distinct JobIds of a comma-separated list, in order; 1 to 10 of them."""
    # CHOICE: blanks around and between commas are ignored; a repeated JobId is reported once.
    ids = list(dict.fromkeys(j.strip() for j in job_ids.split(",") if j.strip()))
    if not ids:
        raise errors.INVALID_PARAMETER(name="JobIds", why="JobIds must name at least one job.")
    if len(ids) > MAX_JOB_IDS_PER_QUERY:
        raise errors.INVALID_PARAMETER(name="JobIds", why=f"At most {MAX_JOB_IDS_PER_QUERY} JobIds per call, got {len(ids)}.")
    return ids


def check_template_type(template_type: str, allowed: tuple[str, ...] = TEMPLATE_TYPES) -> None:
    if template_type not in allowed:
        raise errors.INVALID_PARAMETER(name="TemplateType", why=f"TemplateType must be one of {', '.join(allowed)}.")


def check_template_name(name: str) -> None:
    if len(name.encode("utf-8")) > TEMPLATE_NAME_MAX_BYTES:
        raise errors.INVALID_PARAMETER(name="TemplateName", why=f"TemplateName must be at most {TEMPLATE_NAME_MAX_BYTES} bytes.")


def check_template_config(template_type: str, config: str) -> None:
    """The TemplateConfig schema of the template's type (doc 89863)."""
    try:
        parsed = json.loads(config)
    except ValueError:
        raise errors.INVALID_PARAMETER(name="TemplateConfig", why="TemplateConfig must be a JSON object.") from None
    if not isinstance(parsed, dict):
        raise errors.INVALID_PARAMETER(name="TemplateConfig", why="TemplateConfig must be a JSON object.")
    if template_type == "AIImage":
        _check_ai_image_config(parsed)
    else:
        _check_audit_config(parsed)


def _check_ai_image_config(config: dict[str, Any]) -> None:
    # CHOICE: strict schema: exactly Format and SetDefaultCover, both strings ("true", not true).
    _no_unknown_fields(config, set(_AI_IMAGE_FIELDS))
    for name, allowed in _AI_IMAGE_FIELDS.items():
        if config.get(name) not in allowed:
            raise errors.INVALID_PARAMETER(name="TemplateConfig", why=f"{name} must be one of the strings {', '.join(allowed)}.")


def _check_audit_config(config: dict[str, Any]) -> None:
    _no_unknown_fields(config, {*_AUDIT_LIST_FIELDS, "AuditAutoBlock"})
    for name, allowed in _AUDIT_LIST_FIELDS.items():
        value = config.get(name)
        if not isinstance(value, list) or not value or any(item not in allowed for item in value):
            raise errors.INVALID_PARAMETER(name="TemplateConfig", why=f"{name} must be a non-empty list of {', '.join(allowed)}.")
    if config.get("AuditAutoBlock") not in _AUDIT_AUTO_BLOCK:
        raise errors.INVALID_PARAMETER(name="TemplateConfig", why="AuditAutoBlock must be yes or no.")


def _no_unknown_fields(config: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(config) - known)
    if unknown:
        raise errors.INVALID_PARAMETER(name="TemplateConfig", why=f"Unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(known))}.")


def require_region(action: str, region: str, regions: tuple[str, ...]) -> None:
    if region not in regions:
        raise errors.REGION_NOT_SUPPORTED(action=action, region=region, regions=" or ".join(regions))
