"""A job's outputs as recorded in state: pure translations of what the API said about it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from vod_provider.api.models import AIImageJobInfo

STATUS_SUBMITTED = "submitted"  # recorded at submit time, before anyone asked the service
STATUS_NOT_FOUND = "notFound"  # the service no longer knows the JobId; kept in state, never dropped
TERMINAL_STATUSES = frozenset({"success", "fail"})


def parse_results(raw: str) -> list[dict[str, Any]]:
    """AIImageResult is a JSON string holding [{"Score": float, "Url": str}, …]; keep it as the API gives it."""
    if not raw:
        return []
    try:
        parsed = json.loads(raw)
    except ValueError:
        return []
    return [item for item in parsed if isinstance(item, dict)] if isinstance(parsed, list) else []


def status_outputs(info: AIImageJobInfo) -> dict[str, Any]:
    """status, templateId and, once known, results or errorCode/errorMessage."""
    out: dict[str, Any] = {"status": info.status, "templateId": info.template_id}
    if info.status == "success":
        out["results"] = parse_results(info.result)
    elif info.status == "fail":
        out["errorCode"] = info.code
        out["errorMessage"] = info.message
    return out


def refreshed_outputs(recorded: Mapping[str, Any], info: AIImageJobInfo | None) -> dict[str, Any]:
    """The recorded outputs brought up to date with the service's view (or marked notFound)."""
    kept = {k: v for k, v in recorded.items() if k not in ("__provider", "results", "errorCode", "errorMessage")}
    if info is None:
        return {**kept, "status": STATUS_NOT_FOUND}
    return {**kept, **status_outputs(info)}
