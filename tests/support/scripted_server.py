"""A stand-in HTTP endpoint that answers with a fixed script: for failures the emulator cannot stage."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedServer(ThreadingHTTPServer):
    """Answers each request with the next (status, body) of its script; None closes the connection unanswered."""

    def __init__(self, script: list[tuple[int, dict[str, str]] | None]) -> None:
        self.script = list(script)
        self.hits = 0
        super().__init__(("127.0.0.1", 0), _ScriptedHandler)


class _ScriptedHandler(BaseHTTPRequestHandler):
    server: ScriptedServer
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.server.hits += 1
        step = self.server.script.pop(0)
        if step is None:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        data = json.dumps(step[1]).encode()
        self.send_response(step[0])
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass
