"""The emulator as a real threaded HTTP server on a loopback address: bytes in, routes.dispatch, bytes out."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from vod_emulator import routes
from vod_emulator.app import EmulatorApp
from vod_emulator.http_request import HttpRequest


class _Handler(BaseHTTPRequestHandler):
    server: EmulatorServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; without this each answer waits ~40 ms

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        response = routes.dispatch(self.server.app, HttpRequest.from_target(self.command, self.path, headers, body))
        if response.drop_connection:
            # The action ran; the caller sees the connection close with no answer at all.
            self.close_connection = True
            return
        data, content_type = response.encoded()
        self.send_response(response.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve  # noqa: N815 - http.server dispatches on these names

    def log_message(self, format: str, *args: object) -> None:
        pass  # the request log at /_emulator/requests replaces access logs


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, app: EmulatorApp, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _Handler)
        self.app = app

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="vod-emulator", daemon=True)
        thread.start()
        return thread
