"""HTTP layer of the emulator: parse a request, verify it, dispatch the Action, render JSON or XML.

API calls go to `/` (RPC style). Admin endpoints live under `/_emulator/` (admin.py) and are
never mistaken for API actions. Each API call runs these stages, and the first that fails
answers: method and path → Action and Version → signature, clock and nonce (auth.py) →
QPS limit → injected faults (faults.py) → the action (actions.py, models.py).
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from vod_emulator import errors
from vod_emulator.actions import ACTIONS, ActionHandler
from vod_emulator.admin import handle_admin
from vod_emulator.auth import V1_AUTH_PARAMETERS, RawRequest, RequestVerifier
from vod_emulator.faults import NO_FAULT, Decision, FaultInjector, RateLimiter
from vod_emulator.models import Template, Video, VodAccount
from vod_emulator.responses import HttpResponse

API_VERSION = "2017-03-21"
ADMIN_PREFIX = "/_emulator/"
LOG_LIMIT = 100_000  # entries kept for GET /_emulator/requests; older ones are forgotten
_SEED_VIDEO_KEYS = {"VideoId", "Title", "FailAIJobs", "Status", "ReferenceId", "Duration", "Size"}
_SEED_TEMPLATE_KEYS = {"TemplateId", "TemplateName", "TemplateType", "TemplateConfig"}

__all__ = ["ACTIONS", "EmulatorApp", "HttpResponse"]


@dataclass
class _Call:
    """What stage 1 made of a request."""

    method: str
    path: str
    action: str
    query: list[tuple[str, str]]
    form: list[tuple[str, str]]
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    wants_xml: bool


class EmulatorApp:
    """Turns raw HTTP requests into responses; records every API call in a log tests can read."""

    def __init__(self, account: VodAccount, verifier: RequestVerifier,
                 limiter: RateLimiter | None = None, faults: FaultInjector | None = None) -> None:
        self.account = account
        self.verifier = verifier
        self.limiter = limiter or RateLimiter()
        self.faults = faults or FaultInjector()
        self._initial_limits = self.limiter.describe()
        self._log_lock = threading.Lock()
        self._log: list[dict[str, Any]] = []
        self._seq = 0

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> HttpResponse:
        path, _, raw_query = target.partition("?")
        if path.startswith(ADMIN_PREFIX):
            return handle_admin(self, method, path[len(ADMIN_PREFIX):], raw_query, body)
        return self._api(self._parse(method, path, raw_query, headers, body))

    # -- API -------------------------------------------------------------------------------

    @staticmethod
    def _parse(method: str, path: str, raw_query: str, headers: dict[str, str], body: bytes) -> _Call:
        query = parse_qsl(raw_query, keep_blank_values=True)
        form: list[tuple[str, str]] = []
        if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            form = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        params = dict(query + form)
        is_v3 = "authorization" in headers
        action = headers.get("x-acs-action", "") if is_v3 else params.get("Action", "")
        # CHOICE: V3 answers JSON unless `accept` asks for XML; V1 answers XML unless Format=JSON (the docs' default).
        wants_xml = "xml" in headers.get("accept", "") if is_v3 else params.get("Format", "XML").upper() != "JSON"
        return _Call(method, path, action, query, form, params, headers, body, wants_xml)

    def _api(self, call: _Call) -> HttpResponse:
        request_id = self.account.new_request_id()
        api_params = {k: v for k, v in call.params.items() if k not in V1_AUTH_PARAMETERS}
        entry: dict[str, Any] = {
            "action": call.action, "params": api_params, "requestId": request_id, "time": time.time(),
            "auth": None, "fault": None,
        }
        headers = {"x-acs-request-id": request_id}
        drop = False
        try:
            handler = self._route(call)
            entry["auth"] = self.verifier.verify(
                RawRequest(call.method, call.path, call.query, call.headers, call.body, call.form)).scheme
            # CHOICE: flow control counts authenticated calls only, before their parameters are checked.
            if not self.limiter.allow(call.action):
                raise errors.THROTTLED()
            decision = self.faults.decide(call.action)
            if decision is not NO_FAULT:
                entry["fault"] = {"latencyMs": decision.latency * 1000, "droppedResponse": decision.drop_response,
                                  "injectedError": decision.error.code if decision.error else None}
                self._apply(decision)
            result = self._run(handler, api_params)
            drop = decision.drop_response
        except errors.ApiError as error:
            entry.update(httpStatus=error.http_status, code=error.code)
            self._record(entry)
            return HttpResponse(error.http_status, self._error_body(error, request_id), headers,
                                xml_root="Error" if call.wants_xml else None)
        entry.update(httpStatus=200, code="Success", response=result)
        self._record(entry)
        return HttpResponse(200, {"RequestId": request_id, **result}, headers,
                            xml_root=f"{call.action}Response" if call.wants_xml else None, drop_connection=drop)

    def _run(self, handler: ActionHandler, params: dict[str, str]) -> dict[str, Any]:
        try:
            return handler(self.account, params)
        except errors.ApiError:
            raise
        except Exception:  # an emulator bug: answer as the cloud does for unknown failures, and say where
            traceback.print_exc(file=sys.stderr)
            raise errors.INTERNAL_ERROR() from None

    def _route(self, call: _Call) -> ActionHandler:
        if call.method not in ("GET", "POST"):
            raise errors.UNSUPPORTED_METHOD(method=call.method)
        if not call.action:
            raise errors.missing_parameter("Action")
        handler = ACTIONS.get(call.action)
        # CHOICE: the API is found (path, Action, Version) before the signature is checked, as a gateway
        # must know an API to know how it is authenticated.
        if handler is None or call.path not in ("/", ""):
            raise errors.UNKNOWN_ACTION()
        version = call.headers.get("x-acs-version", "") if "authorization" in call.headers else call.params.get("Version", "")
        if not version:
            raise errors.missing_parameter("Version")
        if version != API_VERSION:
            raise errors.INVALID_VERSION(version=version)
        return handler

    @staticmethod
    def _apply(decision: Decision) -> None:
        if decision.latency:
            time.sleep(decision.latency)
        if decision.error is not None:
            raise decision.error

    def _error_body(self, error: errors.ApiError, request_id: str) -> dict[str, Any]:
        return {
            "RequestId": request_id,
            "HostId": f"vod.{self.account.region}.aliyuncs.com",
            "Code": error.code,
            "Message": error.message,
            "Recommend": f"https://next.api.aliyun.com/troubleshoot?q={error.code}&product=vod",
        }

    # -- the request log -------------------------------------------------------------------

    def _record(self, entry: dict[str, Any]) -> None:
        with self._log_lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._log.append(entry)
            if len(self._log) > LOG_LIMIT:
                del self._log[: LOG_LIMIT // 2]

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        """Every API call logged after position `since`, oldest first."""
        with self._log_lock:
            return [e for e in self._log if e["seq"] > since]

    def log_position(self) -> int:
        with self._log_lock:
            return self._seq

    # -- state -----------------------------------------------------------------------------

    def restore_faults(self) -> None:
        """No fault rules, and the QPS limits the emulator started with."""
        self.faults.clear()
        self.limiter.restore(self._initial_limits["qps"], self._initial_limits["qpsLimits"])

    def reset(self) -> None:
        """Forget every video, template, job and fault; QPS limits back to their start values."""
        self.account.reset()
        self.restore_faults()
        with self._log_lock:
            self._log.clear()  # positions keep counting, so a `since` taken before stays valid

    def seed(self, data: dict[str, Any]) -> list[str]:
        """Load videos and templates from a seed document ({"videos": [...], "templates": [...]}).

        Returns the ids of the templates created. Raises ValueError on an unknown or malformed entry.
        """
        unknown = sorted(set(data) - {"videos", "templates"})
        if unknown:
            raise ValueError(f"unknown seed section(s) {', '.join(unknown)}; expected videos, templates")
        videos = [_seed_video(v) for v in data.get("videos", [])]
        templates = [_checked(t, _SEED_TEMPLATE_KEYS, "template", required="TemplateName") for t in data.get("templates", [])]
        for video in videos:
            self.account.add_video(video)
        created: list[Template] = [
            self.account.add_template(str(t["TemplateName"]), str(t.get("TemplateType", "AIImage")),
                                      str(t.get("TemplateConfig", "{}")), t.get("TemplateId"))
            for t in templates
        ]
        return [t.template_id for t in created]


def _checked(entry: Any, known: set[str], what: str, required: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ValueError(f"each {what} must be a JSON object, got {entry!r}")
    unknown = sorted(set(entry) - known)
    if unknown:
        raise ValueError(f"unknown {what} field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if not isinstance(entry.get(required), str) or not entry[required]:
        raise ValueError(f"a {what} needs a non-empty {required} string: {entry!r}")
    return entry


def _seed_video(entry: Any) -> Video:
    video = _checked(entry, _SEED_VIDEO_KEYS, "video", required="VideoId")
    return Video(
        video_id=video["VideoId"],
        title=str(video.get("Title", "")),
        status=str(video.get("Status", "Normal")),
        fail_ai_jobs=bool(video.get("FailAIJobs", False)),
        reference_id=video.get("ReferenceId"),
        duration=float(video.get("Duration", 60.0)),
        size=int(video.get("Size", 10_485_760)),
    )
