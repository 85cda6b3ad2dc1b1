"""`make demo`'s job, as a new user meets it: the first run submits the example specs, the second nothing."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from tests.support.pulumi_stack import PROJECT_ROOT, SCRUBBED_ENV, VENV_BIN


def run_demo(state_dir: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update(VODJOBS_DEMO_STATE=str(state_dir), PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}")
    done = subprocess.run(["scripts/demo"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def job_lines(output: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\S+)\s+([0-9a-f]{32})$", output, re.M))


def test_the_demo_submits_the_example_jobs_once(tmp_path: Path) -> None:
    first = run_demo(tmp_path)
    second = run_demo(tmp_path)

    assert "this run submitted 5 job(s)" in first
    assert "this run submitted 0 job(s)" in second
    assert sorted(job_lines(first)) == ["keynote-cover", "launch-trailer-cover", "trailers-4d6f8a0c2e4b4d6f8a0c2e4b6d8f0a2c",
                                        "trailers-8e1a3c5b7d9f4e2a6c8b0d2f4a6c8e1b", "trailers-a1c3e5b7d9f14a3c5e7b9d1f3a5c7e9b"]
    assert job_lines(second) == job_lines(first)
