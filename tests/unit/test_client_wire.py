"""What VodClient puts on the wire: the request a plain `requests.Session` would send, one keep-alive connection per
thread, no redirect followed, and an answer read whole (a broken one is a VodError, never a `requests` exception)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple

import pytest
import requests

from vod_provider.api.client import VodClient
from vod_provider.api.credentials import Credentials
from vod_provider.api.errors import AmbiguousError

CREDS = Credentials("LTAIwire", "wire-secret")
VIDEO, TEMPLATE = "v" * 32, "t" * 32
SUBMITTED = json.dumps({"JobId": "j" * 32, "RequestId": "R-1"}).encode()


def http_answer(status: str, body: bytes, *headers: str, length: int | None = None) -> bytes:
    head = [f"HTTP/1.1 {status}", *headers, f"Content-Length: {len(body) if length is None else length}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class Seen(NamedTuple):
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes
    client_port: int


class RecordingServer(ThreadingHTTPServer):
    """Records every request; answers a path's raw bytes from `answers`, else a submitted job (keep-alive)."""

    daemon_threads = True

    def __init__(self, answers: dict[str, bytes]) -> None:
        self.answers = answers
        self.seen: list[Seen] = []
        super().__init__(("127.0.0.1", 0), _RecordingHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class _RecordingHandler(BaseHTTPRequestHandler):
    server: RecordingServer
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.split("?", 1)[0]
        self.server.seen.append(Seen(self.command, path, list(self.headers.items()), body, self.client_address[1]))
        raw = self.server.answers.get(path, http_answer("200 OK", SUBMITTED, "Content-Type: application/json"))
        self.wfile.write(raw)
        self.wfile.flush()
        self.close_connection = b"Connection: close" in raw

    def do_POST(self) -> None:
        self._answer()

    def do_GET(self) -> None:  # where a followed redirect would go
        self._answer()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recording() -> Iterator[list[RecordingServer]]:
    servers: list[RecordingServer] = []
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


def serve(servers: list[RecordingServer], answers: dict[str, bytes] | None = None) -> RecordingServer:
    server = RecordingServer(answers or {})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    servers.append(server)
    return server


@pytest.fixture
def no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No proxy and no ~/.netrc entry, for the client and a plain session alike."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def test_a_submit_sends_exactly_what_a_plain_session_sends(recording: list[RecordingServer], no_environment: None) -> None:
    server = serve(recording)
    client = VodClient(server.url, CREDS, clock=lambda: "2024-05-01T00:00:00Z", nonce=lambda: "n" * 32)

    client.submit_ai_image_job(VIDEO, TEMPLATE, '{"Extend":{"k":"v"}}')
    url, headers = client.signed_request_parts("SubmitAIImageJob", {"VideoId": VIDEO, "AITemplateId": TEMPLATE,
                                                                    "UserData": '{"Extend":{"k":"v"}}'})
    requests.Session().post(url, headers=headers, data=b"", timeout=5)

    by_client, by_plain_session = server.seen
    assert by_client._replace(client_port=0) == by_plain_session._replace(client_port=0)
    assert ("Content-Length", "0") in by_client.headers


def test_calls_from_one_thread_share_one_keep_alive_connection_and_each_thread_has_its_own(
    recording: list[RecordingServer], no_environment: None
) -> None:
    server = serve(recording)
    client = VodClient(server.url, CREDS)

    client.submit_ai_image_job(VIDEO, TEMPLATE)
    client.submit_ai_image_job(VIDEO, TEMPLATE)
    other = threading.Thread(target=client.submit_ai_image_job, args=(VIDEO, TEMPLATE))
    other.start()
    other.join(timeout=10)

    first, second, from_other_thread = (seen.client_port for seen in server.seen)
    assert first == second != from_other_thread


def test_a_redirect_is_not_followed_it_is_an_answer_that_is_not_json(recording: list[RecordingServer], no_environment: None) -> None:
    # A plain session would follow it with a GET to /moved (where this server answers a job) and return that answer.
    server = serve(recording, {"/": http_answer("302 Found", b"", "Location: /moved")})

    with pytest.raises(AmbiguousError) as raised:
        VodClient(server.url, CREDS).submit_ai_image_job(VIDEO, TEMPLATE)

    assert (raised.value.code, raised.value.http_status) == ("InvalidResponse", 302)
    assert "answered HTTP 302 without a JSON object" in str(raised.value)
    assert [(seen.method, seen.path) for seen in server.seen] == [("POST", "/")]


def test_an_answer_cut_short_is_a_transport_failure_not_a_requests_exception(
    recording: list[RecordingServer], no_environment: None
) -> None:
    cut = http_answer("200 OK", SUBMITTED[:10], "Content-Type: application/json", "Connection: close", length=len(SUBMITTED))
    server = serve(recording, {"/": cut})

    with pytest.raises(AmbiguousError) as raised:  # the submit may have run: it is not sent again
        VodClient(server.url, CREDS).submit_ai_image_job(VIDEO, TEMPLATE)

    assert raised.value.code == "Transport.Broken"
    assert len(server.seen) == 1


def test_a_netrc_entry_for_the_host_never_replaces_the_signature(
    recording: list[RecordingServer], no_environment: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A plain session would send Basic auth from ~/.netrc in place of the ACS3 Authorization header.
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password hunter2\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    server = serve(recording)

    VodClient(server.url, CREDS).submit_ai_image_job(VIDEO, TEMPLATE)

    [authorization] = [value for name, value in server.seen[0].headers if name.lower() == "authorization"]
    assert authorization.startswith("ACS3-HMAC-SHA256 Credential=LTAIwire,")
