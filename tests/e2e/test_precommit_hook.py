"""The published pre-commit hook works as published: a venv with only what `.pre-commit-hooks.yaml` installs.

pre-commit installs the repository itself (`pip install .`, no dependencies declared) plus the hook's
`additional_dependencies`, then runs its `entry`. If any module `vodjobs validate` imports needed more than PyYAML,
every user's commit would fail with ModuleNotFoundError.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.account import VIDEOS
from tests.support.pulumi_stack import PROJECT_ROOT
from tests.support.specs import job, spec_yaml

GOOD = spec_yaml({"cover": job(VIDEOS["trailer"])})
BAD = GOOD.replace("templateId", "templateid")


@pytest.fixture(scope="module")
def hook_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding exactly what pre-commit would install for the hook."""
    hook = yaml.safe_load((PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    home = tmp_path_factory.mktemp("hook")
    # pre-commit installs from its own clone; a copy keeps the build's leftovers (build/, *.egg-info) out of this tree.
    clone = home / "clone"
    for package in ("vod_provider", "vod_emulator"):
        shutil.copytree(PROJECT_ROOT / package, clone / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", clone / "pyproject.toml")
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    installed = subprocess.run([*pip, str(clone), *hook["additional_dependencies"]],
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, f"pip could not install the hook's environment:\n{installed.stdout}{installed.stderr}"
    return venv


def run_hook(venv: Path, project: Path, spec: str) -> subprocess.CompletedProcess[str]:
    """The hook's entry, run in `project` as pre-commit would, with `spec` as its only spec file."""
    (project / "specs").mkdir(exist_ok=True)
    (project / "specs" / "covers.yaml").write_text(spec)
    hook = yaml.safe_load((PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    assert re.search(hook["files"], "specs/covers.yaml") and re.search(hook["files"], "specs-prod/covers.yml")
    hook = yaml.safe_load((PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    command, *args = shlex.split(hook["entry"])
    return subprocess.run([str(venv / "bin" / command), *args], cwd=project, capture_output=True, text=True, timeout=60,
                          env={"PATH": str(venv / "bin")})


def test_the_hook_venv_has_pyyaml_and_nothing_that_vodjobs_runs_on(hook_venv: Path) -> None:
    probe = subprocess.run([str(hook_venv / "bin" / "python"), "-c",
                            "import importlib.util as u; print([m for m in ('yaml', 'requests', 'pulumi') if u.find_spec(m)])"],
                           capture_output=True, text=True, check=True, cwd="/")
    assert probe.stdout.strip() == "['yaml']"


def test_the_hook_passes_a_valid_spec_set(hook_venv: Path, tmp_path: Path) -> None:
    done = run_hook(hook_venv, tmp_path, GOOD)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid: 1 job and 0 templates in 1 file" in done.stdout


def test_the_hook_stops_an_invalid_spec_with_its_location(hook_venv: Path, tmp_path: Path) -> None:
    done = run_hook(hook_venv, tmp_path, BAD)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "specs/covers.yaml:4:5: jobs.cover.templateid: unknown key" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_the_hook_checks_every_stacks_spec_set(hook_venv: Path, tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  vodjobs:region: cn-shanghai\n")
    (tmp_path / "Pulumi.prod.yaml").write_text("config:\n  vodjobs:specs: specs-prod/**/*.yaml\n")
    (tmp_path / "specs-prod").mkdir()
    (tmp_path / "specs-prod" / "covers.yaml").write_text(BAD)

    done = run_hook(hook_venv, tmp_path, GOOD)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "stack dev (specs/**/*.{yaml,yml}):\nvalid: 1 job" in done.stdout
    prod = done.stdout.split("stack prod (specs-prod/**/*.yaml):\n")[1]
    assert "specs-prod/covers.yaml:4:5: jobs.cover.templateid: unknown key" in prod
