"""Progress of a long command on stderr: a bar redrawn in place on a terminal, a plain line every tenth otherwise.

A log (CI, a pipe) gets at most 11 lines per phase, and never a carriage return.
"""

from __future__ import annotations

from typing import TextIO

BAR_WIDTH = 30
LINES_PER_PHASE = 10


class Progress:
    """Counts `done` of `total` things of one phase (e.g. "videos listed"); call `advance` as each is done."""

    def __init__(self, err: TextIO, what: str, total: int, prefix: str = "") -> None:
        self._err = err
        self._what = what
        self._total = total
        self._prefix = prefix
        self._done = 0
        self._shown_step = -1
        self._tty = err.isatty()

    def advance(self, count: int = 1) -> None:
        self._done = min(self._done + count, self._total)
        if self._tty:
            filled = BAR_WIDTH * self._done // max(self._total, 1)
            self._err.write(f"\r{self._prefix}[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self._done}/{self._total} {self._what}")
            if self._done == self._total:
                self._err.write("\n")
        else:
            step = LINES_PER_PHASE * self._done // max(self._total, 1)
            if step == self._shown_step:
                return
            self._shown_step = step
            self._err.write(f"{self._prefix}{self._done}/{self._total} {self._what}\n")
        self._err.flush()
