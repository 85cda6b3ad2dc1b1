"""A server as the tests meet it: a real child process on 127.0.0.1, ready once its output says where it listens.

The emulator and the S3 server start and stop alike; only their command and the line that names their URL differ.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.support.waiting import wait_for


class ServerProcess:
    """Start with `start()`, stop with `stop()`, as often as needed; output goes to a file, so a full pipe never blocks it."""

    def __init__(self, name: str, listening: re.Pattern[str], log_file: Path | None = None) -> None:
        self.name = name
        self.listening = listening  # a line of the server's output; group 1 is its URL
        self.log_file = log_file  # None: a temp file of its own, removed by stop()
        self._log: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, command: Sequence[str], timeout: float, cwd: Path | None = None,
              env: Mapping[str, str] | None = None) -> str:
        """Run `command` until its output names its URL; that URL. RuntimeError with its output if it does not in time."""
        self._log = self.log_file or self._temp_log()
        with self._log.open("wb") as log:
            try:
                self._process = subprocess.Popen(list(command), cwd=cwd, env=None if env is None else dict(env),
                                                 stdout=log, stderr=subprocess.STDOUT)
            except FileNotFoundError:
                self.stop()
                raise RuntimeError(f"{self.name} cannot start: {command[0]} is not installed; run `make setup`") from None
        process = self._process
        try:
            wait_for(lambda: self._url() is not None or process.poll() is not None, timeout,
                     f"{self.name} to say where it listens")
            url = self._url()
            if url is None:
                raise RuntimeError(f"it exited with code {process.returncode}")
        except (AssertionError, RuntimeError) as failed:
            output = self.output()
            self.stop()
            raise RuntimeError(f"{self.name} did not start: {failed}; its output:\n{output}") from None
        return url

    def output(self) -> str:
        """What the server has printed so far."""
        return self._log.read_text(errors="replace") if self._log is not None and self._log.exists() else ""

    def stop(self) -> None:
        """Terminate the process (kill it after 10 s); a no-op when it is not running."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        if self._log is not None and self.log_file is None:
            self._log.unlink(missing_ok=True)
        self._log = None

    def _url(self) -> str | None:
        found = self.listening.search(self.output())
        return found.group(1) if found else None

    def _temp_log(self) -> Path:
        descriptor, path = tempfile.mkstemp(prefix="vodjobs-server-", suffix=".log")
        os.close(descriptor)
        return Path(path)
