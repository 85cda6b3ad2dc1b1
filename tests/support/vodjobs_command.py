"""The `vodjobs` command run as a user runs it, in a test stack's project with that stack's environment."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from tests.support.pulumi_stack import PulumiStack


def run_vodjobs(stack: PulumiStack, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vod_provider.cli", *args], cwd=stack.project_dir, env=stack.env,
                          capture_output=True, text=True, timeout=300)


def vodjobs_preview(stack: PulumiStack) -> tuple[int, dict[str, Any]]:
    """Exit code and JSON document of `vodjobs preview --stack <stack> --format json`."""
    done = run_vodjobs(stack, "preview", "--stack", stack.name, "--format", "json")
    assert done.stdout, f"vodjobs preview printed nothing (exit {done.returncode}):\n{done.stderr}"
    document: dict[str, Any] = json.loads(done.stdout)
    return done.returncode, document
