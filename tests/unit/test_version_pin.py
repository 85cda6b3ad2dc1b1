"""One pin for the Pulumi CLI: .pulumi.version, read by scripts/install-pulumi and by the pipeline recipes."""

from __future__ import annotations

import re

from tests.support.ci_pipeline import github_workflow, gitlab_pipeline
from tests.support.pulumi_stack import PROJECT_ROOT

PINNED = (PROJECT_ROOT / ".pulumi.version").read_text().strip()


def test_the_pin_is_one_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", PINNED), PINNED


def test_the_install_script_builds_the_pinned_cli_from_the_module_the_go_wrapper_requires() -> None:
    script = (PROJECT_ROOT / "scripts" / "install-pulumi").read_text()
    go_mod = (PROJECT_ROOT / "tools" / "pulumi-engine" / "go.mod").read_text()

    assert 'cli_version=v$(tr -d \'[:space:]\' < "$root/.pulumi.version")' in script
    assert re.search(r"^require github\.com/pulumi/pulumi/pkg/v3 v(\S+)$", go_mod, re.M)[1] == PINNED  # type: ignore[index]
    assert "cli=" not in (PROJECT_ROOT / "tools" / "pulumi-engine" / "VERSION").read_text()  # no second pin


def test_every_github_job_installs_the_cli_from_the_pin_file() -> None:
    installs = [step for job in github_workflow()["jobs"].values() for step in job["steps"]
                if str(step.get("uses", "")).startswith("pulumi/actions@")]

    assert len(installs) == 3
    assert all(step["with"] == {"pulumi-version-file": ".pulumi.version"} for step in installs)


def test_the_gitlab_image_is_the_pinned_cli() -> None:
    assert gitlab_pipeline()["default"]["image"] == f"pulumi/pulumi-python:{PINNED}"
