"""No setup step runs silently: scripts/lib/progress.sh, which pip's installs and the engine build run under, says what
a step does and how long it usually takes, then how long it has run (and its command's last line) at a fixed beat."""

from __future__ import annotations

import itertools
import os
import re
import subprocess

from tests.support.pulumi_stack import PROJECT_ROOT

HARNESS = """
set -euo pipefail
say() { printf 'setup: %s\\n' "$*" >&2; }
die() { printf 'setup: error: %s\\n' "$*" >&2; exit 1; }
source scripts/lib/progress.sh
run_with_progress "installing things" "~3 s" "$LOG" -- bash -c "$STEP"
echo after
"""


def run_step(step: str, tmp_log: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VODJOBS_PROGRESS_EVERY": "1", "LOG": tmp_log, "STEP": step}
    return subprocess.run(["bash", "-c", HARNESS], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_a_long_step_reports_at_every_beat_with_its_last_output_line(tmp_path: object) -> None:
    done = run_step("echo Collecting pulumi; sleep 3.5", f"{tmp_path}/step.log")

    assert done.returncode == 0 and done.stdout == "after\n", done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "setup: installing things (usually ~3 s) ..."
    beats = [int(m[1]) for line in lines if (m := re.fullmatch(r"setup:   \.\.\. installing things: (\d+)s \(Collecting pulumi\)", line))]
    # A beat every second here (every 10 s in setup), give or take the second a loaded machine adds.
    assert len(beats) >= 2 and beats[0] <= 2 and all(0 < b - a <= 2 for a, b in itertools.pairwise(beats)), lines
    assert len(beats) + 2 == len(lines) and re.fullmatch(r"setup:   done: installing things in [3-6]s", lines[-1]), lines


def test_a_failed_step_shows_its_output_and_stops_setup(tmp_path: object) -> None:
    done = run_step("echo 'ERROR: No matching distribution found for pulumi==0'; exit 3", f"{tmp_path}/step.log")

    assert done.returncode == 1 and done.stdout == ""
    assert "ERROR: No matching distribution found for pulumi==0" in done.stderr
    assert "setup: error: installing things failed (exit 3)" in done.stderr
