"""The VOD emulator as the tests meet it: a real `python -m vod_emulator` process on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.server_process import ServerProcess

PROJECT_ROOT = Path(__file__).resolve().parents[2]
_LISTENING = re.compile(r"listening on (\S+)")


@dataclass(frozen=True)
class AccessKeyPair:
    """The one AccessKey an emulator accepts (its `--access-key id:secret`)."""

    access_key_id: str
    access_key_secret: str


@dataclass(eq=False)
class EmulatorProcess:
    """Start with `start()`, stop with `stop()`; admin calls go to /_emulator/."""

    access_key: AccessKeyPair
    job_duration: float = 0.5
    state_dir: Path | None = None  # SQLite state kept here across stop()/start()
    extra_args: Sequence[str] = ()  # more `python -m vod_emulator` flags, e.g. ("--region", "ap-southeast-1")
    url: str = field(default="", init=False)
    _server: ServerProcess = field(default_factory=lambda: ServerProcess("the VOD emulator", _LISTENING), init=False, repr=False)

    def start(self, timeout: float = 20.0) -> EmulatorProcess:
        key = f"{self.access_key.access_key_id}:{self.access_key.access_key_secret}"
        command = [sys.executable, "-m", "vod_emulator", "--port", "0", "--access-key", key,
                   "--job-duration", str(self.job_duration),
                   *(["--state-dir", str(self.state_dir)] if self.state_dir else []), *self.extra_args]
        self.url = self._server.start(command, timeout, cwd=PROJECT_ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        return self

    def stop(self) -> None:
        self._server.stop()

    # -- admin endpoints -------------------------------------------------------------------

    def _admin(self, method: str, route: str, payload: Any = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(f"{self.url}/_emulator/{route}", data=data, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def seed(self, videos: list[str], templates: list[str]) -> None:
        """Make these video and AIImage template ids exist in the emulated account."""
        self._admin("POST", "videos", [{"VideoId": v, "Title": f"video {v[:6]}"} for v in videos])
        self._admin("POST", "templates", [
            {"TemplateId": t, "TemplateName": f"template-{t[:6]}", "TemplateType": "AIImage",
             "TemplateConfig": '{"Format":"gif","SetDefaultCover":"true"}'} for t in templates
        ])

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        """Every API call served after log position `since`, oldest first."""
        entries: list[dict[str, Any]] = self._admin("GET", f"requests?since={since}")
        return entries

    def log_position(self) -> int:
        entries = self.requests()
        return int(entries[-1]["seq"]) if entries else 0

    def calls(self, since: int, action: str | None = None) -> list[dict[str, Any]]:
        return [e for e in self.requests(since) if action is None or e["action"] == action]

    def submitted_job_ids(self, since: int = 0) -> list[str]:
        """JobIds of the SubmitAIImageJob calls that succeeded after `since`."""
        return [e["response"]["JobId"] for e in self.calls(since, "SubmitAIImageJob") if e["httpStatus"] == 200]

    def add_videos(self, *videos: dict[str, Any]) -> None:
        """Seed videos with every field, e.g. {"VideoId": …, "FailAIJobs": True} or {"VideoId": …, "Status": "Uploading"}."""
        self._admin("POST", "videos", list(videos))

    def add_templates(self, *templates: dict[str, Any]) -> None:
        """Seed templates with every field, e.g. {"TemplateId": …, "TemplateName": …, "TemplateType": "AIImage", …}."""
        self._admin("POST", "templates", list(templates))

    def set_faults(self, payload: dict[str, Any]) -> dict[str, Any]:
        """POST /_emulator/faults, e.g. {"actions": {"SubmitAIImageJob": {"errorRate": 1.0}}}; returns what is in force."""
        described: dict[str, Any] = self._admin("POST", "faults", payload)
        return described

    def clear_faults(self) -> None:
        """No fault rules, and the QPS limits the process started with."""
        self._admin("POST", "faults", {"clear": True})

    def reset(self) -> None:
        """Forget every video, template, job, fault and log entry."""
        self._admin("POST", "reset", {})
