"""`make demo` installs requirements.txt alone (the development tools come with `make test`): it must hold, directly or
through their own dependencies, every package the program, the providers, the CLI and the emulator import."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

from tests.support.pulumi_stack import PROJECT_ROOT

RUNTIME_CODE = ("__main__.py", "vod_provider", "vod_emulator")
OWN = {"vod_provider", "vod_emulator"}


def imported_top_modules(paths: list[Path]) -> set[str]:
    """The top-level module names imported anywhere in these files (at module level or inside functions)."""
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def runtime_distributions() -> set[str]:
    """requirements.txt's distributions and, recursively, what they require (extras left out), normalised names."""
    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    todo = [norm(line.split("==")[0]) for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for requirement in metadata.requires(name) or []:
            if "extra ==" not in requirement:
                todo.append(norm(re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0]))
    return seen


def test_requirements_txt_holds_every_package_the_runtime_code_imports() -> None:
    files = [p for item in RUNTIME_CODE for p in ([PROJECT_ROOT / item] if item.endswith(".py") else (PROJECT_ROOT / item).rglob("*.py"))]
    third_party = imported_top_modules(files) - set(sys.stdlib_module_names) - OWN - {"__future__"}
    providers = metadata.packages_distributions()
    installed = runtime_distributions()

    missing = {module: providers.get(module) for module in third_party
               if not any(re.sub(r"[-_.]+", "-", dist).lower() in installed for dist in providers.get(module, []))}
    assert not missing, f"imported by the runtime code but not installed by requirements.txt: {missing}"
    assert {"pulumi", "yaml", "requests"} <= third_party, "the scan sees the program's own imports"


def test_the_demo_installs_the_runtime_packages_only_and_the_tests_add_the_development_tools() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text()

    assert re.search(r"^demo: setup$", makefile, re.M) and re.search(r"^emulator: setup$", makefile, re.M)
    assert re.search(r"^setup:\n\t@scripts/setup$", makefile, re.M)
    assert re.search(r"^test: setup-dev\b", makefile, re.M) and re.search(r"^lint: setup-dev$", makefile, re.M)
    assert re.search(r"^setup-dev:\n\t@scripts/setup --dev$", makefile, re.M)
