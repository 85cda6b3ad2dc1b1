"""Admin endpoints under /_emulator/: seed data, read the request log, set faults and QPS limits, reset.

They exist only on the emulator, take and answer plain JSON, and need no signature.

    GET  /_emulator/requests?since=N   API calls logged after position N
    POST /_emulator/videos             a video object or a list: {"VideoId", "Title", "FailAIJobs", "Status", ...}
    POST /_emulator/templates          a template object or a list: {"TemplateId", "TemplateName", "TemplateType", "TemplateConfig"}
    GET  /_emulator/faults             the fault rules and QPS limits in force
    POST /_emulator/faults             {"clear": true, "actions": {"SubmitAIImageJob": {"errorRate": 0.5, ...}},
                                        "qps": {"GetAIImageJobs": 2, "AddAITemplate": null}, "qpsLimits": false}
                                       "clear" first drops every rule and restores the start QPS limits; an action's
                                       rule replaces its old one ({} or null removes it); a qps of null restores
                                       that action's start value. Rule fields: errorRate, errorCode, httpStatus,
                                       latencyMs, dropResponseRate; the action "*" applies to every action.
    POST /_emulator/reset              forget all state, faults and log entries; QPS limits back to start values
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from vod_emulator import errors
from vod_emulator.actions import ACTIONS
from vod_emulator.faults import FaultRule
from vod_emulator.responses import HttpResponse

if TYPE_CHECKING:
    from vod_emulator.app import EmulatorApp


def handle_admin(app: EmulatorApp, method: str, route: str, raw_query: str, body: bytes) -> HttpResponse:
    try:
        payload = json.loads(body) if body else {}
    except ValueError:
        return HttpResponse(400, {"error": "the admin endpoints take a JSON body"})
    try:
        result = _dispatch(app, method, route, raw_query, payload)
    except (ValueError, TypeError, KeyError, errors.ApiError) as exc:
        return HttpResponse(400, {"error": f"{method} /_emulator/{route}: {exc}"})
    if result is None:
        return HttpResponse(404, {"error": f"no admin endpoint {method} /_emulator/{route}"})
    return HttpResponse(200, result)


def _dispatch(app: EmulatorApp, method: str, route: str, raw_query: str, payload: Any) -> dict[str, Any] | list[Any] | None:
    if (method, route) == ("GET", "requests"):
        since = dict(parse_qsl(raw_query)).get("since", "0") or "0"
        return app.requests(int(since))
    if (method, route) in (("POST", "videos"), ("POST", "templates")):
        items = payload if isinstance(payload, list) else [payload]
        created = app.seed({route: items})
        return {"TemplateIds": created} if route == "templates" else {"videos": len(items)}
    if (method, route) == ("GET", "faults"):
        return _describe_faults(app)
    if (method, route) == ("POST", "faults"):
        _set_faults(app, payload)
        return _describe_faults(app)
    if (method, route) == ("POST", "reset"):
        app.reset()
        return {"reset": True}
    return None


def _set_faults(app: EmulatorApp, payload: Any) -> None:
    if not isinstance(payload, dict):
        raise ValueError("expected a JSON object")
    unknown = sorted(set(payload) - {"actions", "clear", "qps", "qpsLimits"})
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}; known: actions, clear, qps, qpsLimits")
    rules = {
        action: None if rule is None else FaultRule.from_json(rule)
        for action, rule in dict(payload.get("actions") or {}).items()
    }
    qps = dict(payload.get("qps") or {})
    unknown_qps = sorted(set(qps) - set(ACTIONS))
    if unknown_qps:
        raise ValueError(f"no such action {', '.join(unknown_qps)} for qps")
    if any(rate is not None and (not isinstance(rate, (int, float)) or rate <= 0) for rate in qps.values()):
        raise ValueError("each qps value must be a positive number, or null for the start value")
    enabled = payload.get("qpsLimits")
    if enabled is not None and not isinstance(enabled, bool):
        raise ValueError("qpsLimits must be true or false")
    if payload.get("clear", False):
        app.restore_faults()
    app.faults.set_rules(rules, ACTIONS)
    app.limiter.configure(qps, enabled)


def _describe_faults(app: EmulatorApp) -> dict[str, Any]:
    return {**app.faults.describe(), **app.limiter.describe()}
