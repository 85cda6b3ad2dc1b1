"""Adopting a job submitted outside vodjobs (spec field `adopt: <JobId>`): does it match the spec?"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from vod_provider.api.models import AIImageJobInfo


def _same_json(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return not a and not b
    try:
        return bool(json.loads(a) == json.loads(b))
    except ValueError:
        return a == b


def adoption_mismatches(declared: Mapping[str, Any], found: AIImageJobInfo, hide_user_data: bool = False) -> list[str]:
    """Each declared input that differs from what GetAIImageJobs reports, as 'field: spec X, job Y'."""
    problems = []
    if declared.get("videoId") != found.video_id:
        problems.append(f"videoId: spec {declared.get('videoId')!r}, job {found.video_id!r}")
    if declared.get("templateId") != found.template_id:
        problems.append(f"templateId: spec {declared.get('templateId')!r}, job {found.template_id!r}")
    if not _same_json(declared.get("userData"), found.user_data or None):
        problems.append("userData: differs (secret, not shown)" if hide_user_data
                        else f"userData: spec {declared.get('userData')!r}, job {found.user_data or None!r}")
    return problems
