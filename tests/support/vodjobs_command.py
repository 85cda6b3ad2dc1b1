"""`vodjobs preview` of a test stack, read as a machine reads it (--format json)."""

from __future__ import annotations

import json
from typing import Any

from tests.support.pulumi_stack import PulumiStack


def vodjobs_preview(stack: PulumiStack) -> tuple[int, dict[str, Any]]:
    """Exit code and JSON document of `vodjobs preview --stack <stack> --format json`."""
    done = stack.vodjobs("preview", "--stack", stack.name, "--format", "json")
    assert done.stdout, f"vodjobs preview printed nothing (exit {done.returncode}):\n{done.stderr}"
    document: dict[str, Any] = json.loads(done.stdout)
    return done.returncode, document
