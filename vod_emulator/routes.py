"""The one table of what the emulator serves: each (method, path) → the API layer or an admin endpoint.

Routes are tried in order and the first that matches answers. In a path, `{Name}` matches one
segment and hands it to the endpoint as `path_params["Name"]`; `*` as the method matches any.
The last two rows catch the rest: any other `/_emulator/` call is an unknown admin endpoint (404,
plain JSON), and any other path is an API call, so the API layer answers it as the cloud would
(InvalidAction.NotFound, UnsupportedHTTPMethod, …): an admin path is never taken for an API action.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from vod_emulator import admin
from vod_emulator.admin import ADMIN_PREFIX, AdminEndpoint
from vod_emulator.app import EmulatorApp
from vod_emulator.http_request import HttpRequest
from vod_emulator.responses import HttpResponse

ANY_METHOD = "*"
Endpoint = Callable[[EmulatorApp, HttpRequest], HttpResponse]
_SEGMENT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Route:
    method: str  # "GET", "POST" or ANY_METHOD
    path: str  # "/_emulator/jobs/{JobId}"; a trailing "…" matches the rest of any path that starts so
    endpoint: Endpoint
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", _pattern(self.path))  # compiled once: every request tries each route

    def match(self, request: HttpRequest) -> dict[str, str] | None:
        """The path's named segments when this route serves the request, else None."""
        if self.method not in (ANY_METHOD, request.method):
            return None
        found = self.pattern.fullmatch(request.path)
        return found.groupdict() if found else None


def _pattern(path: str) -> re.Pattern[str]:
    parts = _SEGMENT.split(path)  # literal, name, literal, name, …, literal
    regex = "".join(f"(?P<{part}>[^/]+)" if i % 2 else re.escape(part) for i, part in enumerate(parts))
    return re.compile(regex.replace("…", ".*"))  # re.escape leaves "…" as it is


def _admin(endpoint: AdminEndpoint) -> Endpoint:
    """An admin endpoint (state, call) as a route's endpoint (app, request)."""
    return lambda app, request: admin.serve(endpoint, app.state, request)


ROUTES: tuple[Route, ...] = (
    Route("GET", "/_emulator/requests", _admin(admin.list_requests)),
    Route("POST", "/_emulator/videos", _admin(admin.add_videos)),
    Route("POST", "/_emulator/templates", _admin(admin.add_templates)),
    Route("GET", "/_emulator/faults", _admin(admin.describe_faults)),
    Route("POST", "/_emulator/faults", _admin(admin.set_faults)),
    Route("GET", "/_emulator/job-progress", _admin(admin.describe_job_progress)),
    Route("POST", "/_emulator/job-progress", _admin(admin.set_job_progress)),
    Route("POST", "/_emulator/jobs/{JobId}", _admin(admin.finish_job)),
    Route("POST", "/_emulator/reset", _admin(admin.reset)),
    Route(ANY_METHOD, f"{ADMIN_PREFIX}…", _admin(admin.no_such_endpoint)),
    Route(ANY_METHOD, "…", EmulatorApp.serve_api),  # RPC calls go to "/"; the API layer refuses other paths
)


def dispatch(app: EmulatorApp, request: HttpRequest, routes: tuple[Route, ...] = ROUTES) -> HttpResponse:
    """Answer a request with the first route that matches it."""
    for route in routes:
        path_params = route.match(request)
        if path_params is not None:
            return route.endpoint(app, replace(request, path_params=path_params))
    raise AssertionError(f"no route for {request.method} {request.path}: the table must end with a catch-all")
