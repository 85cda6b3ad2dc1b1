"""The provider process stays small: Pulumi starts one per run, and bench/scale.py holds its peak RSS to 1.2 × a
do-nothing provider's. What it imports is what it weighs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.pulumi_stack import PROJECT_ROOT

# The spec loader (only the program reads specs) and any diff library (job inputs are flat: plain equality).
NOT_IN_THE_PROVIDER = ("vod_provider.spec.loader", "vod_provider.spec.yaml_nodes", "vod_provider.spec.checks", "deepdiff", "pydantic")


def loaded_modules(statement: str) -> set[str]:
    """Every module a fresh interpreter holds after `statement`."""
    loaded = subprocess.run([sys.executable, "-c", f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, check=True, timeout=60)
    return set(json.loads(loaded.stdout))


# Both provider classes are unpickled in the provider process: a stack that declares a template loads both modules.
@pytest.mark.parametrize("module", ["vod_provider.resources", "vod_provider.template_resource"])
def test_unpickling_a_provider_loads_neither_the_spec_loader_nor_a_diff_library(module: str) -> None:
    modules = loaded_modules(f"import {module}")

    assert module in modules
    assert [name for name in NOT_IN_THE_PROVIDER if name in modules] == []


def test_the_vodjobs_command_loads_neither_requests_nor_the_provider_until_a_subcommand_needs_them() -> None:
    # What `vodjobs validate` loads: the command table, argparse, the validate module and the spec loader.
    modules = loaded_modules("from vod_provider.cli.main import build_parser; build_parser('validate')")

    assert "vod_provider.cli.validate" in modules
    heavy = ("requests", "pulumi", "vod_provider.api", "vod_provider.providers", "vod_provider.resources", "vod_provider.safety")
    assert [name for name in heavy if name in modules] == []
