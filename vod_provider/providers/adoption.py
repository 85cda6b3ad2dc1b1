"""Adopting a job submitted outside vodjobs (spec field `adopt: <JobId>`): does it match the spec?"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from vod_provider.api.models import AIImageJobInfo

# With no AccessKey at all, a preview cannot look the adopted job up: it says so instead of failing, in this line,
# which `vodjobs preview` finds among the digest's diagnostics (cli/preview_plan.py).
NOT_VERIFIED = "not verified: no read key"
_UNVERIFIED = re.compile(r": will adopt (\S+) \(" + re.escape(NOT_VERIFIED) + r"\)")


def unverified_adoption(label: str, job_id: str) -> str:
    """E.g. "job 'legacy': will adopt 0123… (not verified: no read key)"."""
    return f"{label}: will adopt {job_id} ({NOT_VERIFIED})"


def unverified_job_ids(messages: Iterable[str]) -> frozenset[str]:
    """The JobIds whose adoption the provider reported as not verified, in these diagnostic messages."""
    return frozenset(match[1] for message in messages for match in _UNVERIFIED.finditer(message))


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
