"""The API layer: one OpenAPI call → parse → verify → throttle → faults → the action → JSON or XML.

API calls go to `/` (RPC style); routes.py sends them here and the `/_emulator/` calls to admin.py.
Each call runs these stages, and the first that fails answers: method and path → Action and Version
→ signature, clock and nonce (auth.py) → QPS limit → injected faults (faults.py) → the action
(actions.py, models.py). Every call answered goes into the state's request log (request_log.py).
"""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from vod_emulator import errors
from vod_emulator.actions import ACTIONS, ActionHandler
from vod_emulator.auth import V1_AUTH_PARAMETERS, RawRequest, RequestVerifier
from vod_emulator.faults import NO_FAULT, Decision, FaultInjector, RateLimiter
from vod_emulator.http_request import HttpRequest
from vod_emulator.models import VodAccount
from vod_emulator.responses import HttpResponse
from vod_emulator.state import EmulatorState

API_VERSION = "2017-03-21"

__all__ = ["ACTIONS", "API_VERSION", "EmulatorApp", "HttpResponse"]


@dataclass(frozen=True)
class _Call:
    """What the first stage made of a request."""

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
    """The API layer over one EmulatorState; the server routes every request through routes.py with it.

    `EmulatorApp(VodAccount(...), verifier)`, the older form, wraps the account in a new EmulatorState
    (with `limiter` and `faults`, when given). `seed`, `requests` and `log_position` are shortcuts to
    the state, for tests that run the emulator in their own process.
    """

    def __init__(self, state: EmulatorState | VodAccount, verifier: RequestVerifier,
                 limiter: RateLimiter | None = None, faults: FaultInjector | None = None) -> None:
        if isinstance(state, VodAccount):
            state = EmulatorState(state, limiter, faults)
        elif limiter is not None or faults is not None:
            raise TypeError("give the limiter and fault injector to the EmulatorState, not beside it")
        self.state = state
        self.verifier = verifier

    def serve_api(self, request: HttpRequest) -> HttpResponse:
        """Answer one API call (any method, any path outside /_emulator/), as the cloud would."""
        call = _parse(request)
        request_id = self.state.account.new_request_id()
        entry: dict[str, Any] = {
            "action": call.action, "params": {k: v for k, v in call.params.items() if k not in V1_AUTH_PARAMETERS},
            "requestId": request_id, "time": time.time(), "auth": None, "fault": None,
        }
        headers = {"x-acs-request-id": request_id}
        try:
            result, drop = self._run_stages(call, entry)
        except errors.ApiError as error:
            entry.update(httpStatus=error.http_status, code=error.code)
            self.state.log.record(entry)
            body = errors.error_body(error, request_id, self.state.account.region)
            return HttpResponse(error.http_status, body, headers, xml_root="Error" if call.wants_xml else None)
        entry.update(httpStatus=200, code="Success", response=result)
        self.state.log.record(entry)
        return HttpResponse(200, {"RequestId": request_id, **result}, headers,
                            xml_root=f"{call.action}Response" if call.wants_xml else None, drop_connection=drop)

    def _run_stages(self, call: _Call, entry: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The action's result and whether to drop the connection; fills the log entry's auth and fault."""
        handler = _route(call)
        entry["auth"] = self.verifier.verify(
            RawRequest(call.method, call.path, call.query, call.headers, call.body, call.form)).scheme
        # CHOICE: flow control counts authenticated calls only, before their parameters are checked.
        if not self.state.limiter.allow(call.action):
            raise errors.THROTTLED()
        decision = self.state.faults.decide(call.action)
        if decision is not NO_FAULT:
            entry["fault"] = {"latencyMs": decision.latency * 1000, "droppedResponse": decision.drop_response,
                              "injectedError": decision.error.code if decision.error else None}
            _apply(decision)
        return self._run(handler, entry["params"]), decision.drop_response

    def _run(self, handler: ActionHandler, params: dict[str, str]) -> dict[str, Any]:
        try:
            return handler(self.state.account, params)
        except errors.ApiError:
            raise
        except Exception:  # an emulator bug: answer as the cloud does for unknown failures, and say where
            traceback.print_exc(file=sys.stderr)
            raise errors.INTERNAL_ERROR() from None

    # -- shortcuts to the state (in-process tests) -----------------------------------------------

    def seed(self, data: dict[str, Any]) -> list[str]:
        return self.state.seed(data)

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        """Every API call logged after position `since`, oldest first."""
        return self.state.log.since(since)

    def log_position(self) -> int:
        return self.state.log.position()


def _parse(request: HttpRequest) -> _Call:
    query = request.query()
    headers = dict(request.headers)
    form: list[tuple[str, str]] = []
    if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        form = parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    params = dict(query + form)
    is_v3 = "authorization" in headers
    action = headers.get("x-acs-action", "") if is_v3 else params.get("Action", "")
    # CHOICE: V3 answers JSON unless `accept` asks for XML; V1 answers XML unless Format=JSON (the docs' default).
    wants_xml = "xml" in headers.get("accept", "") if is_v3 else params.get("Format", "XML").upper() != "JSON"
    return _Call(request.method, request.path, action, query, form, params, headers, request.body, wants_xml)


def _route(call: _Call) -> ActionHandler:
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


def _apply(decision: Decision) -> None:
    if decision.latency:
        time.sleep(decision.latency)
    if decision.error is not None:
        raise decision.error
