"""`make lint` holds vod_provider to its layers (pyproject.toml [tool.importlinter]); an upward import breaks it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.pulumi_stack import PROJECT_ROOT, VENV_BIN


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    command = VENV_BIN / "lint-imports"
    assert command.exists(), "import-linter is not installed: run `make setup-dev` (requirements-dev.txt; `make test` runs it)"
    return subprocess.run([str(command), "--no-logo", "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120,
                          env={"PATH": str(VENV_BIN), "PYTHONPATH": str(root)})


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    for package in ("vod_provider", "vod_emulator"):
        shutil.copytree(PROJECT_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract(tree_copy: Path) -> None:
    done = lint_imports(tree_copy)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(("module", "upward_import", "contract"), [
    ("vod_provider/api/signing.py", "from vod_provider.safety import journal", "The data walks one way"),
    ("vod_provider/spec/model.py", "from vod_provider.api import client", "The data walks one way"),
    ("vod_provider/providers/diff.py", "from vod_provider.spec import loader", "loads the spec model only"),
    ("vod_provider/template_resource.py", "from vod_provider import resources", "The data walks one way"),
    ("vod_emulator/auth.py", "from vod_provider.api import signing", "never import each other"),
])
def test_an_import_against_the_layers_fails_lint(tree_copy: Path, module: str, upward_import: str, contract: str) -> None:
    path = tree_copy / module
    path.write_text(path.read_text() + f"\n{upward_import}  # noqa\n")

    done = lint_imports(tree_copy)

    assert done.returncode == 1, done.stdout + done.stderr
    assert contract in done.stdout.replace("\n", " ") and "BROKEN" in done.stdout
