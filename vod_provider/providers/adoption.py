"""Adopting a job submitted outside vodjobs (spec field `adopt: <JobId>`): does it match the spec?"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vod_provider.api.models import AIImageJobInfo

# With no AccessKey at all, a preview cannot look the adopted job up: it says so instead of failing, in this line,
# which `vodjobs preview` finds among the digest's diagnostics (cli/preview_plan.py).
NOT_VERIFIED = "not verified: no read key"
_UNVERIFIED = re.compile(r": will adopt (\S+) \(" + re.escape(NOT_VERIFIED) + r"\)")

# An adopting job's input naming the JobIds adopted by its batch of adopting jobs (program.adoption_batches), so that
# their checks, which the engine makes one after another, share GetAIImageJobs calls (ReadBatcher.lookup_with). A hint
# for check only: the inputs check returns, which the state keeps and diff compares, never hold it.
ADOPTION_BATCH = "adoptionBatch"
# An adopting job's input saying where the spec declares it ("specs/legacy.csv:7"), so that an adoption check that
# fails names the row as every other spec problem does. A hint for check only, as ADOPTION_BATCH.
DECLARED_AT = "declaredAt"


@dataclass(frozen=True)
class AdoptionHints:
    """What the program tells an adopting job's check besides its inputs (never kept in state)."""

    batch: tuple[str, ...]  # the JobIds its batch adopts, this one among them; empty: it is looked up alone
    declared_at: str | None  # where the spec declares it, "specs/legacy.csv:7"

    def prefix(self) -> str:
        """"specs/legacy.csv:7: " to start a check failure's message with, or "" when the program did not say."""
        return f"{self.declared_at}: " if self.declared_at else ""


def hint_inputs(declared_at: str, batch: Sequence[str]) -> dict[str, Any]:
    """An adopting job's hint inputs (a batch of one is no batch: None, which never travels)."""
    return {ADOPTION_BATCH: list(batch) if len(batch) > 1 else None, DECLARED_AT: declared_at}


def adoption_hints(inputs: Mapping[str, Any]) -> AdoptionHints:
    """The hints among a job's check inputs; anything malformed (a state or program of another version) is no hint."""
    batch, declared_at = inputs.get(ADOPTION_BATCH), inputs.get(DECLARED_AT)
    return AdoptionHints(tuple(one for one in batch if isinstance(one, str)) if isinstance(batch, list) else (),
                         declared_at if isinstance(declared_at, str) else None)


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
