"""How a submitted image-AI job gets from `processing` to its end: the emulator's job progress modes.

One setting chooses the model of time, as moto's state manager does for its resources
(`moto/moto_api/_internal/state_manager.py`: a transition is `immediate`, `time` or `manual`):

    time       a job stays processing for `job_duration` seconds after it was submitted, then ends
               (the default, and the emulator's only behaviour before the modes existed)
    immediate  a job has ended by the time SubmitAIImageJob answers
    manual     a job stays processing until `POST /_emulator/jobs/<JobId>` ends it with success or fail

The mode in force when a job is submitted fixes when it ends: changing the mode later moves no job
already submitted (a `manual` job still waits for its admin call, a `time` job keeps its end).
Set with `--job-progress` and `--job-duration`, or `GET`/`POST /_emulator/job-progress` as
`{"mode": "time", "jobDuration": 2.0}`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

TIME, MANUAL, IMMEDIATE = "time", "manual", "immediate"
MODES = (TIME, MANUAL, IMMEDIATE)
_JSON_KEYS = {"mode": "mode", "jobDuration": "job_duration"}


@dataclass(frozen=True)
class JobProgress:
    """The progress mode, and the `time` mode's duration (kept while another mode is in force)."""

    mode: str = TIME
    job_duration: float = 2.0  # seconds a job stays processing in the `time` mode

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        duration = self.job_duration
        if isinstance(duration, bool) or not isinstance(duration, (int, float)) or not math.isfinite(duration) or duration < 0:
            raise ValueError(f"jobDuration must be a number of seconds ≥ 0, got {duration!r}")

    def ends_at(self, submitted_at: float) -> float | None:
        """When a job submitted at `submitted_at` (epoch seconds) ends; None: when an admin call says so."""
        if self.mode == MANUAL:
            return None
        if self.mode == IMMEDIATE:
            return submitted_at
        return submitted_at + self.job_duration

    def updated(self, data: Mapping[str, Any]) -> JobProgress:
        """This setting with the fields of a JSON object changed (`mode`, `jobDuration`); others kept."""
        unknown = sorted(set(data) - set(_JSON_KEYS))
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(_JSON_KEYS)}")
        return replace(self, **{_JSON_KEYS[key]: value for key, value in data.items()})

    def to_json(self) -> dict[str, Any]:
        return {"mode": self.mode, "jobDuration": self.job_duration}
