"""Preview plans made from a digest as `pulumi preview --json --show-sames` writes it, for the preview's unit tests.

`job_set_plan`: the issue's story of a grown catalogue. The set `trailers` (declared at specs/trailers.yaml:3, its
rows in specs/trailers.csv) has 300 rows, lines 2–301: the last 120 (rows 182–301) are new, row 57's campaign went
from spring to summer, and the row of one video was removed. A plain job `keynote-cover` beside it is unchanged.
The golden files tell the same story with fewer rows.
"""

from __future__ import annotations

import json
from typing import Any

from vod_provider.cli.preview_plan import JOB_TYPE, PreviewPlan, plan_preview
from vod_provider.spec.model import JobSetSummary, JobSpec, SpecSet
from vod_provider.spec.placeholders import Pattern

TEMPLATE_ID = "7d2e4f6a8b0c4d1e9f3a5b7c9d1e3f5a"
ITEMS_FILE = "specs/trailers.csv"
REPLACED_ROW = 57
FORGOTTEN_VIDEO = "e" * 32
SET_NAME_PATTERN = Pattern(("", "set", "-", "videoId", ""))


def video(row: int) -> str:
    """The videoId on a row of the set's CSV."""
    return f"{row:032x}"


def user_data(campaign: str) -> str:
    return json.dumps({"Extend": {"campaign": campaign}}, separators=(",", ":"))


def job_state(name: str, inputs: dict[str, Any], job_id: str | None = None) -> dict[str, Any]:
    return {"urn": f"urn:pulumi:prod::vodjobs::{JOB_TYPE}::{name}", "type": JOB_TYPE, "id": job_id, "inputs": inputs}


def job_set_plan(rows: int = 300, new: int = 120, replaced_row: int = REPLACED_ROW) -> PreviewPlan:
    """The plan of the story above (by default 120 new, 1 replaced, 1 forgotten, 179 unchanged set jobs; 1 plain job)."""
    jobs, steps = [], []
    new_rows = range(rows + 2 - new, rows + 2)
    for row in range(2, rows + 2):
        name, campaign = f"trailers-{video(row)}", "summer" if row == replaced_row else "spring"
        jobs.append(JobSpec(name, video(row), TEMPLATE_ID, user_data(campaign), None, ITEMS_FILE, row, job_set="trailers"))
        inputs = {"videoId": video(row), "templateId": TEMPLATE_ID, "userData": user_data(campaign)}
        if row in new_rows:
            steps.append({"op": "create", "urn": job_state(name, inputs)["urn"], "newState": job_state(name, inputs)})
            continue
        old = job_state(name, {**inputs, "userData": user_data("spring")}, f"{row:032x}"[::-1])
        replaced = row == replaced_row
        steps.append({"op": "replace" if replaced else "same", "urn": old["urn"], "oldState": old, "newState": job_state(name, inputs),
                      **({"replaceReasons": ["userData"]} if replaced else {})})
    gone = job_state(f"trailers-{FORGOTTEN_VIDEO}", {"videoId": FORGOTTEN_VIDEO, "templateId": TEMPLATE_ID}, "d" * 32)
    steps.append({"op": "delete", "urn": gone["urn"], "oldState": gone})
    plain = {"videoId": "5c9a1e3b7d2f4a6c8e0b2d4f6a8c0e2d", "templateId": TEMPLATE_ID}
    jobs.append(JobSpec("keynote-cover", plain["videoId"], TEMPLATE_ID, None, None, "specs/covers.yaml", 8))
    kept = job_state("keynote-cover", plain, "c" * 32)
    steps.append({"op": "same", "urn": kept["urn"], "oldState": kept, "newState": kept})
    summary = JobSetSummary("trailers", "specs/trailers.yaml", 3, ITEMS_FILE, rows, SET_NAME_PATTERN)
    specs = SpecSet(tuple(sorted(jobs, key=lambda job: job.name)), ("specs/covers.yaml", "specs/trailers.yaml"), (), (summary,))
    return plan_preview({"steps": steps}, specs)
