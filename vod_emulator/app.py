"""HTTP layer of the emulator: parse a request, verify its signature, dispatch the Action, render JSON.

API calls go to `/` (RPC style). Admin endpoints live under `/_emulator/` and are
never mistaken for API actions.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from vod_emulator import errors
from vod_emulator.auth import V1_AUTH_PARAMETERS, RawRequest, RequestVerifier
from vod_emulator.models import VodAccount

API_VERSION = "2017-03-21"
ADMIN_PREFIX = "/_emulator/"


@dataclass
class HttpResponse:
    status: int
    body: dict[str, Any] | list[Any]
    headers: dict[str, str] = field(default_factory=dict)


def _required(params: dict[str, str], name: str) -> str:
    value = params.get(name)
    if value is None or value == "":
        raise errors.missing_parameter(name)
    return value


def submit_ai_image_job(account: VodAccount, params: dict[str, str]) -> dict[str, Any]:
    job = account.submit_ai_image_job(
        video_id=_required(params, "VideoId"),
        template_id=_required(params, "AITemplateId"),
        user_data=params.get("UserData"),
        pipeline_id=params.get("AIPipelineId"),
    )
    return {"JobId": job.job_id}


def get_ai_image_jobs(account: VodAccount, params: dict[str, str]) -> dict[str, Any]:
    job_ids = [j.strip() for j in _required(params, "JobIds").split(",") if j.strip()]
    if not job_ids:
        raise errors.invalid_parameter("JobIds", "JobIds must name at least one job.")
    return {"AIImageJobList": account.get_ai_image_jobs(job_ids)}


ACTIONS: dict[str, Callable[[VodAccount, dict[str, str]], dict[str, Any]]] = {
    "SubmitAIImageJob": submit_ai_image_job,
    "GetAIImageJobs": get_ai_image_jobs,
}


class EmulatorApp:
    """Turns raw HTTP requests into responses; records every API call in a log tests can read."""

    def __init__(self, account: VodAccount, verifier: RequestVerifier) -> None:
        self.account = account
        self.verifier = verifier
        self._log_lock = threading.Lock()
        self._log: list[dict[str, Any]] = []

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> HttpResponse:
        path, _, raw_query = target.partition("?")
        if path.startswith(ADMIN_PREFIX):
            return self._admin(method, path[len(ADMIN_PREFIX):], raw_query, body)
        return self._api(method, path, raw_query, headers, body)

    # -- API -------------------------------------------------------------------------------

    def _api(self, method: str, path: str, raw_query: str, headers: dict[str, str], body: bytes) -> HttpResponse:
        request_id = str(uuid.uuid4()).upper()
        query = parse_qsl(raw_query, keep_blank_values=True)
        form: list[tuple[str, str]] = []
        if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            form = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        params = dict(query + form)
        action = headers.get("x-acs-action") or params.get("Action", "")
        entry: dict[str, Any] = {
            "action": action,
            "params": {k: v for k, v in params.items() if k not in V1_AUTH_PARAMETERS},
            "requestId": request_id,
            "time": time.time(),
        }
        try:
            if method not in ("GET", "POST"):
                raise errors.unsupported_method(method)
            verified = self.verifier.verify(RawRequest(method, path, query, headers, body, form))
            entry["auth"] = verified.scheme
            version = headers.get("x-acs-version") or params.get("Version", "")
            if not action:
                raise errors.missing_parameter("Action")
            handler = ACTIONS.get(action)
            if handler is None:
                raise errors.unknown_action(action)
            if version != API_VERSION:
                raise errors.invalid_version(version)
            result = handler(self.account, entry["params"])
        except errors.ApiError as error:
            entry.update(httpStatus=error.http_status, code=error.code)
            self._record(entry)
            return HttpResponse(error.http_status, self._error_body(error, request_id))
        entry.update(httpStatus=200, code="Success", response=result)
        self._record(entry)
        return HttpResponse(200, {"RequestId": request_id, **result})

    def _error_body(self, error: errors.ApiError, request_id: str) -> dict[str, Any]:
        return {
            "RequestId": request_id,
            "HostId": f"vod.{self.account.region}.aliyuncs.com",
            "Code": error.code,
            "Message": error.message,
            "Recommend": f"https://next.api.aliyun.com/troubleshoot?q={error.code}&product=vod",
        }

    def _record(self, entry: dict[str, Any]) -> None:
        with self._log_lock:
            entry["seq"] = len(self._log) + 1
            self._log.append(entry)

    # -- admin -----------------------------------------------------------------------------

    def _admin(self, method: str, route: str, raw_query: str, body: bytes) -> HttpResponse:
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            return HttpResponse(400, {"error": "the admin endpoints take a JSON body"})
        if (method, route) == ("GET", "requests"):
            since = int(dict(parse_qsl(raw_query)).get("since", "0") or 0)
            with self._log_lock:
                return HttpResponse(200, [e for e in self._log if e["seq"] > since])
        if (method, route) in (("POST", "videos"), ("POST", "templates")):
            items = payload if isinstance(payload, list) else [payload]
            try:
                created = self.seed({route: items})
            except (KeyError, TypeError) as exc:
                return HttpResponse(400, {"error": f"bad {route} entry: missing or malformed {exc}"})
            return HttpResponse(200, {"TemplateIds": created} if route == "templates" else {"videos": len(items)})
        if (method, route) == ("POST", "reset"):
            self.account.reset()
            with self._log_lock:
                self._log.clear()
            return HttpResponse(200, {"reset": True})
        return HttpResponse(404, {"error": f"no admin endpoint {method} {ADMIN_PREFIX}{route}"})

    def seed(self, data: dict[str, Any]) -> list[str]:
        """Load videos and templates from a seed document ({"videos": [...], "templates": [...]}).

        Returns the ids of the templates created.
        """
        for video in data.get("videos", []):
            self.account.add_video(video["VideoId"], video.get("Title", ""), bool(video.get("FailAIJobs", False)))
        return [
            self.account.add_template(
                t["TemplateName"], t.get("TemplateType", "AIImage"), t.get("TemplateConfig", "{}"), t.get("TemplateId")
            ).template_id
            for t in data.get("templates", [])
        ]
