"""Everything one emulator owns, in one object that the API layer (app.py) and the admin layer (admin.py) share.

    account   the VOD account: videos, templates, jobs, job progress (models.VodAccount, with its store)
    log       every API call answered (request_log.RequestLog)
    limiter   the QPS limits in force (faults.RateLimiter)
    faults    the fault rules in force (faults.FaultInjector)

and the start values that `restore_faults` and `reset` go back to (QPS limits, job progress).
Neither layer imports the other: both take an EmulatorState, and routes.py maps requests to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vod_emulator.actions import ACTIONS
from vod_emulator.entities import Job
from vod_emulator.faults import FaultInjector, FaultRule, RateLimiter
from vod_emulator.models import VodAccount
from vod_emulator.progress import JobProgress
from vod_emulator.request_log import RequestLog
from vod_emulator.seeding import parse_seed


class EmulatorState:
    """Thread-safe as its parts are; a change that touches two parts (e.g. `reset`) is not atomic."""

    def __init__(self, account: VodAccount, limiter: RateLimiter | None = None,
                 faults: FaultInjector | None = None, log: RequestLog | None = None) -> None:
        self.account = account
        self.limiter = limiter or RateLimiter()
        self.faults = faults or FaultInjector()
        self.log = log or RequestLog()
        self._start_limits = self.limiter.describe()
        self._start_progress = account.job_progress

    # -- faults and QPS limits -----------------------------------------------------------------

    def configure_faults(self, rules: Mapping[str, FaultRule | None], qps: Mapping[str, float | None],
                         qps_limits: bool | None = None, clear: bool = False) -> None:
        """Replace fault rules per action (None removes one) and QPS rates per action (None: the start value).

        `clear` first drops every rule and restores the start limits; `qps_limits` switches throttling on or off.
        Raises ValueError, before changing anything, on an action the emulator does not serve.
        """
        unknown = sorted(set(qps) - set(ACTIONS))
        if unknown:
            raise ValueError(f"no such action {', '.join(unknown)} for qps")
        self.faults.check_actions(rules, ACTIONS)
        if clear:
            self.restore_faults()
        self.faults.set_rules(rules, ACTIONS)
        self.limiter.configure(qps, qps_limits)

    def describe_faults(self) -> dict[str, Any]:
        """{"actions": {action: rule}, "qpsLimits": bool, "qps": {action: calls per second}}"""
        return {**self.faults.describe(), **self.limiter.describe()}

    def restore_faults(self) -> None:
        """No fault rules, and the QPS limits the emulator started with."""
        self.faults.clear()
        self.limiter.restore(self._start_limits["qps"], self._start_limits["qpsLimits"])

    # -- job progress ----------------------------------------------------------------------------

    @property
    def job_progress(self) -> JobProgress:
        return self.account.job_progress

    def set_job_progress(self, progress: JobProgress) -> None:
        self.account.set_job_progress(progress)

    def finish_job(self, job_id: str, succeeded: bool) -> Job:
        """End a job still processing, now (models.UnknownJobError, models.JobEndedError otherwise)."""
        return self.account.finish_job(job_id, succeeded)

    # -- seeding and reset -----------------------------------------------------------------------

    def seed(self, data: Any) -> list[str]:
        """Load videos and templates from a seed document (seeding.py); the ids of the templates created.

        Raises ValueError on an unknown or malformed entry (the account's own rules, such as a video's
        Status, are checked as each record is added).
        """
        seed = parse_seed(data)
        for video in seed.videos:
            self.account.add_video(video)
        return [
            self.account.add_template(t.name, t.template_type, t.config, t.template_id).template_id
            for t in seed.templates
        ]

    def reset(self) -> None:
        """Forget every video, template, job, fault and log entry; QPS limits and job progress back to start."""
        self.account.reset()
        self.account.set_job_progress(self._start_progress)
        self.restore_faults()
        self.log.clear()  # positions keep counting, so a `since` taken before stays valid
