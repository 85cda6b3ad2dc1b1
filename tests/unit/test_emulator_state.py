"""The emulator's one state object (vod_emulator.state) and the route table over it, without a server.

Requests go through routes.dispatch as the server sends them, so admin answers are checked as JSON
without a socket; what the API layer does over HTTP is tests/emulator's business.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from vod_emulator.app import EmulatorApp
from vod_emulator.auth import AccessKey, RequestVerifier
from vod_emulator.faults import DEFAULT_QPS, FaultInjector, FaultRule, RateLimiter
from vod_emulator.http_request import HttpRequest
from vod_emulator.models import VodAccount
from vod_emulator.progress import JobProgress
from vod_emulator.routes import dispatch
from vod_emulator.state import EmulatorState

VIDEO, TEMPLATE, GIF = "v" * 32, "t" * 32, '{"Format":"gif","SetDefaultCover":"true"}'
SEED = {"videos": [{"VideoId": VIDEO}], "templates": [{"TemplateId": TEMPLATE, "TemplateName": "t", "TemplateConfig": GIF}]}
START_FAULTS = {"actions": {}, "qpsLimits": True, "qps": dict(sorted(DEFAULT_QPS.items()))}


def new_state(mode: str = "time") -> EmulatorState:
    state = EmulatorState(VodAccount("cn-shanghai", job_duration=5.0, seed=7, job_progress=mode))
    state.seed(SEED)
    return state


def call(state: EmulatorState, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """One request through the route table, as the server hands it over; (HTTP status, JSON body)."""
    app = EmulatorApp(state, RequestVerifier([AccessKey("key", "secret")]))
    data = b"" if body is None else json.dumps(body).encode()
    response = dispatch(app, HttpRequest.from_target(method, path, {}, data))
    return response.status, response.body


# -- reset and restore ------------------------------------------------------------------------------

CHANGES_RESET_UNDOES = {
    "fault rules and QPS limits": lambda s: s.configure_faults(
        {"*": FaultRule(error_rate=1.0)}, {"GetVideoInfo": 1}, qps_limits=False),
    "job progress": lambda s: s.set_job_progress(JobProgress("manual", 0.1)),
    "videos, templates and jobs": lambda s: s.account.submit_ai_image_job(VIDEO, TEMPLATE, None, None),
    "log entries": lambda s: s.log.record({"action": "GetVideoInfo"}),
}


@pytest.mark.parametrize("change", list(CHANGES_RESET_UNDOES.values()), ids=list(CHANGES_RESET_UNDOES))
def test_reset_brings_back_the_start_state_and_log_positions_keep_counting(change: Any) -> None:
    state = new_state()
    state.log.record({"action": "before"})
    change(state)
    position = state.log.position()

    state.reset()

    assert state.describe_faults() == START_FAULTS
    assert state.job_progress == JobProgress("time", 5.0)
    assert (state.account.videos, state.account.templates, state.account.jobs) == ({}, {}, {})
    assert state.log.since(0) == [] and state.log.record({"action": "after"}) == position + 1


def test_restore_faults_keeps_the_account_and_the_job_progress() -> None:
    state = new_state(mode="manual")
    state.configure_faults({"SubmitAIImageJob": FaultRule(latency_ms=5)}, {"AddAITemplate": 50})

    state.restore_faults()

    assert state.describe_faults() == START_FAULTS
    assert state.job_progress.mode == "manual" and VIDEO in state.account.videos


# -- faults and limits -------------------------------------------------------------------------------

@pytest.mark.parametrize(("rules", "qps", "problem"), [
    ({"DeleteVideo": FaultRule(error_rate=1.0)}, {}, "no such action DeleteVideo; use one of"),
    ({}, {"DeleteVideo": 2}, "no such action DeleteVideo for qps"),
])
def test_a_fault_change_naming_an_unknown_action_changes_nothing(
    rules: dict[str, FaultRule], qps: dict[str, float], problem: str
) -> None:
    state = new_state()
    state.configure_faults({"GetVideoInfo": FaultRule(error_rate=0.5)}, {})
    before = state.describe_faults()

    with pytest.raises(ValueError, match=problem):
        state.configure_faults(rules, qps, clear=True)

    assert state.describe_faults() == before


def test_an_emulator_app_made_from_an_account_owns_a_new_state_with_its_limiter_and_faults() -> None:
    limiter, faults = RateLimiter(enabled=False), FaultInjector(seed=1)
    verifier = RequestVerifier([AccessKey("key", "secret")])

    app = EmulatorApp(VodAccount("cn-shanghai"), verifier, limiter, faults)

    assert (app.state.limiter, app.state.faults) == (limiter, faults)
    with pytest.raises(TypeError, match="give the limiter and fault injector to the EmulatorState"):
        EmulatorApp(app.state, verifier, limiter)


# -- the route table -----------------------------------------------------------------------------------

# method, path, body → HTTP status, and the answer (or the start of its "error")
ADMIN_CALLS = [
    ("GET", "/_emulator/job-progress", None, 200, {"mode": "time", "jobDuration": 5.0}),
    ("POST", "/_emulator/job-progress", {"mode": "manual"}, 200, {"mode": "manual", "jobDuration": 5.0}),
    ("POST", "/_emulator/job-progress", {"mode": "never"}, 400,
     "POST /_emulator/job-progress: mode must be one of time, manual, immediate, got 'never'"),
    ("POST", "/_emulator/jobs/" + "0" * 32, {"status": "success"}, 404, f"POST /_emulator/jobs/{'0' * 32}: no job {'0' * 32}"),
    ("POST", "/_emulator/jobs/x", {"status": "done"}, 400, "POST /_emulator/jobs/x: status must be 'success' or 'fail', got 'done'"),
    ("POST", "/_emulator/jobs/x", {"status": "fail", "why": "?"}, 400, "POST /_emulator/jobs/x: unknown field(s) why; known: status"),
    ("GET", "/_emulator/jobs/x", None, 404, "no admin endpoint GET /_emulator/jobs/x"),
    ("POST", "/_emulator/jobs/x/y", {"status": "fail"}, 404, "no admin endpoint POST /_emulator/jobs/x/y"),
    ("DELETE", "/_emulator/reset", None, 404, "no admin endpoint DELETE /_emulator/reset"),
    ("GET", "/_emulator/faults", None, 200, START_FAULTS),
    ("POST", "/_emulator/faults", {"colour": 1}, 400,
     "POST /_emulator/faults: unknown field(s) colour; known: actions, clear, qps, qpsLimits"),
    ("GET", "/_emulator/requests?since=0", None, 200, []),
    ("POST", "/_emulator/reset", {}, 200, {"reset": True}),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "answer"), ADMIN_CALLS)
def test_each_admin_route_answers_plain_json(method: str, path: str, body: Any, status: int, answer: Any) -> None:
    got_status, got = call(new_state(), method, path, body)

    assert (got_status, got if status == 200 else got["error"]) == (status, answer)


@pytest.mark.parametrize(("method", "path", "code"), [
    ("GET", "/", "MissingAction"),
    ("POST", "/?Action=DeleteVideo", "InvalidAction.NotFound"),
    ("GET", "/_emulator", "MissingAction"),
    ("GET", "/emulator/requests", "MissingAction"),
    ("PUT", "/", "UnsupportedHTTPMethod"),
])
def test_every_path_outside_the_admin_prefix_is_an_api_call_answered_as_the_cloud_does(
    method: str, path: str, code: str
) -> None:
    state = new_state()

    status, body = call(state, method, path)

    assert (status >= 400, body["Code"]) == (True, code)
    assert [e["code"] for e in state.log.since(0)] == [code]


def test_a_job_waits_in_manual_progress_until_its_admin_call() -> None:
    state = new_state(mode="manual")
    job = state.account.submit_ai_image_job(VIDEO, TEMPLATE, None, None)

    ended = call(state, "POST", f"/_emulator/jobs/{job.job_id}", {"status": "success"})
    again = call(state, "POST", f"/_emulator/jobs/{job.job_id}", {"status": "fail"})

    assert ended == (200, {"JobId": job.job_id, "Status": "success"})
    assert again == (409, {"error": f"POST /_emulator/jobs/{job.job_id}: job {job.job_id} has already ended "
                                    "(success); an ended job never changes"})
    assert len(state.account.list_ai_image_info(VIDEO)) == 2
