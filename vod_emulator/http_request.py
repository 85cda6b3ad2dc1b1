"""What the server hands to a route: one HTTP request, read whole (the answer is a responses.HttpResponse)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl


@dataclass(frozen=True)
class HttpRequest:
    method: str  # "GET", "POST", …
    path: str  # "/" or "/_emulator/jobs/<JobId>", without the query
    raw_query: str  # as sent, still percent-encoded ("" when none)
    headers: Mapping[str, str]  # names lower-cased
    body: bytes
    path_params: Mapping[str, str] = field(default_factory=dict)  # named segments of the route's path

    @classmethod
    def from_target(cls, method: str, target: str, headers: Mapping[str, str], body: bytes) -> HttpRequest:
        """From the request line's target (`/path?query`)."""
        path, _, raw_query = target.partition("?")
        return cls(method, path, raw_query, headers, body)

    def query(self) -> list[tuple[str, str]]:
        """The query's pairs in order, decoded; blank values kept."""
        return parse_qsl(self.raw_query, keep_blank_values=True)
