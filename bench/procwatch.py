"""Run a command and record the peak RSS of it and of the processes it starts, from /proc (Linux only).

Each process's kernel high-water mark (VmHWM) is read every `interval` seconds while the command
runs; the last reading before a process exits is its peak, so a short poll interval only matters
for processes that live less than one interval.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.process_tree import PROC, descendants, stat_fields


@dataclass
class ProcessPeaks:
    """Per role ("cli", the command itself, and the roles `classify` gives descendants): peak RSS in bytes,
    and CPU seconds (user + system, summed over the processes of that role, as last seen alive)."""

    rss: dict[str, int] = field(default_factory=dict)
    cpu_by_pid: dict[int, tuple[str, float]] = field(default_factory=dict)

    def note(self, pid: int, role: str, rss: int, cpu: float | None) -> None:
        self.rss[role] = max(self.rss.get(role, 0), rss)
        if cpu is not None:
            self.cpu_by_pid[pid] = (role, cpu)

    def cpu(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for role, seconds in self.cpu_by_pid.values():
            out[role] = round(out.get(role, 0.0) + seconds, 2)
        return out


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peaks: dict[str, int]
    cpu: dict[str, float]


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a live process (None once it is gone)."""
    fields = stat_fields(pid)
    return None if fields is None else (int(fields[11]) + int(fields[12])) / TICKS


def command_children(parent: int, word: str) -> list[int]:
    """The direct child processes of `parent` whose command line holds `word`."""
    return [pid for pid in descendants(parent) if _is_child(pid, parent) and word in _cmdline(pid)]


def _is_child(pid: int, parent: int) -> bool:
    fields = stat_fields(pid)
    return fields is not None and int(fields[1]) == parent


def _peak_rss(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def classify(cmdline: str) -> str | None:
    """The role of a descendant process of a `pulumi` command, or None when it is not worth a column."""
    if "pulumi.dynamic" in cmdline or "pulumi-resource-pulumi-python" in cmdline:
        return "provider"
    if "pulumi-language-python-exec" in cmdline:
        return "program"
    return None


def run_watched(command: Sequence[str], cwd: Path, env: Mapping[str, str], interval: float = 0.1,
                timeout: float = 3600) -> Finished:
    """Run `command` to completion; its output, wall time and peak RSS per role."""
    peaks = ProcessPeaks()
    roles: dict[int, str | None] = {}
    began = time.perf_counter()
    process = subprocess.Popen(list(command), cwd=cwd, env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            for pid in [process.pid, *descendants(process.pid)]:
                if pid not in roles:
                    roles[pid] = "cli" if pid == process.pid else classify(_cmdline(pid))
                role = roles[pid]
                if role is not None:
                    peaks.note(pid, role, _peak_rss(pid), cpu_seconds(pid))
            done.wait(interval)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        done.set()
        watcher.join()
    return Finished(process.returncode, stdout, stderr, time.perf_counter() - began, dict(peaks.rss), peaks.cpu())


