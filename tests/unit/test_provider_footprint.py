"""The provider process stays small: Pulumi starts one per run, and bench/scale.py holds its peak RSS to 1.2 × a
do-nothing provider's. What it imports is what it weighs."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.pulumi_stack import PROJECT_ROOT

# The spec loader (only the program reads specs) and any diff library (job inputs are flat: plain equality).
NOT_IN_THE_PROVIDER = ("vod_provider.spec.loader", "vod_provider.spec.yaml_nodes", "vod_provider.spec.checks", "deepdiff", "pydantic")


def test_unpickling_the_provider_loads_neither_the_spec_loader_nor_a_diff_library() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import json, sys, vod_provider.resources; print(json.dumps(sorted(sys.modules)))"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True, timeout=60,
    )
    modules = set(json.loads(loaded.stdout))

    assert "vod_provider.resources" in modules
    assert [name for name in NOT_IN_THE_PROVIDER if name in modules] == []
