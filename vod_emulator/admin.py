"""The admin layer: endpoints under /_emulator/ that seed data, read the request log, set faults, QPS
limits and job progress, end jobs, and reset. They exist only on the emulator, take and answer plain
JSON, and need no signature. routes.py maps each (method, path) to one of these functions.

    GET  /_emulator/requests?since=N   API calls logged after position N (request_log.py lists the fields)
    POST /_emulator/videos             a video object or a list: {"VideoId", "Title", "FailAIJobs", "Status", ...}
    POST /_emulator/templates          a template object or a list: {"TemplateId", "TemplateName", "TemplateType", "TemplateConfig"}
    GET  /_emulator/faults             the fault rules and QPS limits in force
    POST /_emulator/faults             {"clear": true, "actions": {"SubmitAIImageJob": {"errorRate": 0.5, ...}},
                                        "qps": {"GetAIImageJobs": 2, "AddAITemplate": null}, "qpsLimits": false}
                                       "clear" first drops every rule and restores the start QPS limits; an action's
                                       rule replaces its old one ({} or null removes it); a qps of null restores
                                       that action's start value. Rule fields: errorRate, errorCode, httpStatus,
                                       latencyMs, dropResponseRate; the action "*" applies to every action.
    GET  /_emulator/job-progress       the job progress setting: {"mode": "time"|"manual"|"immediate", "jobDuration": s}
    POST /_emulator/job-progress       change it, e.g. {"mode": "manual"} or {"mode": "time", "jobDuration": 0.5};
                                       jobs submitted from then on follow it; answers the setting in force
    POST /_emulator/jobs/<JobId>       {"status": "success"|"fail"}: end a job that is still processing, now
                                       (any mode); answers {"JobId", "Status"}. 404: no such job; 409: it has ended
    POST /_emulator/reset              forget all state, faults and log entries; QPS limits and job progress back
                                       to their start values

An error answers {"error": "<METHOD> /_emulator/<route>: <what is wrong>"}: 400 for a bad request,
404 for an unknown endpoint or job, 409 for a job that has already ended.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from vod_emulator import errors
from vod_emulator.entities import STATUS_FAIL, STATUS_SUCCESS
from vod_emulator.faults import FaultRule
from vod_emulator.http_request import HttpRequest
from vod_emulator.models import JobEndedError, UnknownJobError
from vod_emulator.responses import HttpResponse
from vod_emulator.state import EmulatorState

ADMIN_PREFIX = "/_emulator/"
_FAULT_FIELDS = ("actions", "clear", "qps", "qpsLimits")
_JOB_OUTCOMES = {STATUS_SUCCESS: True, STATUS_FAIL: False}


@dataclass(frozen=True)
class AdminCall:
    """An admin request, parsed: what an endpoint function reads."""

    method: str
    route: str  # the path after /_emulator/, e.g. "jobs/<JobId>"
    payload: Any  # the JSON body; {} when there is none
    query: Mapping[str, str]
    path_params: Mapping[str, str]


AdminEndpoint = Callable[[EmulatorState, AdminCall], Any]


class _NoSuchEndpoint(LookupError):
    pass


def serve(endpoint: AdminEndpoint, state: EmulatorState, request: HttpRequest) -> HttpResponse:
    """Run one admin endpoint and answer its result as JSON, or the error as {"error": …}."""
    route = request.path[len(ADMIN_PREFIX):]
    try:
        payload = json.loads(request.body) if request.body else {}
    except ValueError:
        return HttpResponse(400, {"error": "the admin endpoints take a JSON body"})
    call = AdminCall(request.method, route, payload, dict(parse_qsl(request.raw_query)), request.path_params)
    try:
        return HttpResponse(200, endpoint(state, call))
    except _NoSuchEndpoint:
        return HttpResponse(404, {"error": f"no admin endpoint {request.method} /_emulator/{route}"})
    except UnknownJobError as exc:
        status, message = 404, str(exc)
    except JobEndedError as exc:
        status, message = 409, str(exc)
    except (ValueError, TypeError, KeyError, errors.ApiError) as exc:
        status, message = 400, str(exc)
    return HttpResponse(status, {"error": f"{request.method} /_emulator/{route}: {message}"})


# -- the endpoints (state, call) → JSON -------------------------------------------------------------

def list_requests(state: EmulatorState, call: AdminCall) -> list[dict[str, Any]]:
    return state.log.since(int(call.query.get("since", "0") or "0"))


def add_videos(state: EmulatorState, call: AdminCall) -> dict[str, Any]:
    items = _one_or_many(call.payload)
    state.seed({"videos": items})
    return {"videos": len(items)}


def add_templates(state: EmulatorState, call: AdminCall) -> dict[str, Any]:
    return {"TemplateIds": state.seed({"templates": _one_or_many(call.payload)})}


def describe_faults(state: EmulatorState, call: AdminCall) -> dict[str, Any]:
    return state.describe_faults()


def set_faults(state: EmulatorState, call: AdminCall) -> dict[str, Any]:
    payload = _object(call.payload, _FAULT_FIELDS)
    rules = {
        action: None if rule is None else FaultRule.from_json(rule)
        for action, rule in dict(payload.get("actions") or {}).items()
    }
    qps = dict(payload.get("qps") or {})
    if any(rate is not None and (not isinstance(rate, (int, float)) or rate <= 0) for rate in qps.values()):
        raise ValueError("each qps value must be a positive number, or null for the start value")
    enabled = payload.get("qpsLimits")
    if enabled is not None and not isinstance(enabled, bool):
        raise ValueError("qpsLimits must be true or false")
    state.configure_faults(rules, qps, enabled, clear=bool(payload.get("clear", False)))
    return state.describe_faults()


def describe_job_progress(state: EmulatorState, call: AdminCall) -> dict[str, Any]:
    return state.job_progress.to_json()


def set_job_progress(state: EmulatorState, call: AdminCall) -> dict[str, Any]:
    state.set_job_progress(state.job_progress.updated(_object(call.payload)))  # it names unknown fields
    return state.job_progress.to_json()


def finish_job(state: EmulatorState, call: AdminCall) -> dict[str, Any]:
    status = _object(call.payload, ("status",)).get("status")
    if status not in _JOB_OUTCOMES:
        raise ValueError(f"status must be {' or '.join(map(repr, _JOB_OUTCOMES))}, got {status!r}")
    job = state.finish_job(call.path_params["JobId"], succeeded=_JOB_OUTCOMES[status])
    return {"JobId": job.job_id, "Status": status}


def reset(state: EmulatorState, call: AdminCall) -> dict[str, Any]:
    state.reset()
    return {"reset": True}


def no_such_endpoint(state: EmulatorState, call: AdminCall) -> None:
    raise _NoSuchEndpoint


def _one_or_many(payload: Any) -> list[Any]:
    return payload if isinstance(payload, list) else [payload]


def _object(payload: Any, known: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The payload, which must be a JSON object with only `known` fields (any, when None)."""
    if not isinstance(payload, dict):
        raise ValueError("expected a JSON object")
    unknown = sorted(set(payload) - set(known or payload))
    if unknown and known:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return payload
