"""The pipeline recipes of examples/ci/, run as a CI runner would: each runner a fresh checkout, one S3 stack.

A checkout is a temp project (PulumiStack) with the branch's specs and the committed
Pulumi.<stack>.yaml. Its steps are the recipe's own `run:` / `script:` lines, run by bash with the
recipe's environment; only the values a CI system would take from its secret store, and the
backend URL, are the tests' own. `make setup` is left out: the test session has already set up.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.support.pulumi_stack import PROJECT_ROOT, PulumiRun, PulumiStack
from tests.support.s3_server import S3Server

RECIPES = PROJECT_ROOT / "examples" / "ci"
SETUP_STEP = "make setup"


def github_workflow() -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load((RECIPES / "github-actions.yml").read_text())
    return workflow


def gitlab_pipeline() -> dict[str, Any]:
    pipeline: dict[str, Any] = yaml.safe_load((RECIPES / "gitlab-ci.yml").read_text())
    return pipeline


def github_steps(job: str) -> list[str]:
    """The `run:` lines of a job of the GitHub workflow, in order."""
    return [step["run"] for step in github_workflow()["jobs"][job]["steps"] if "run" in step]


def gitlab_steps(job: str) -> list[str]:
    script: list[str] = gitlab_pipeline()[job]["script"]
    return script


def github_env(job: str, secrets: dict[str, str]) -> dict[str, str]:
    """The workflow's and the job's environment, each `${{ secrets.… }}` value replaced by the tests' own."""
    workflow = github_workflow()
    merged = {key: str(value) for key, value in {**workflow.get("env", {}), **workflow["jobs"][job].get("env", {})}.items()}
    from_store = {key for key, value in merged.items() if "${{ secrets." in value}
    missing = from_store - set(secrets)
    assert not missing, f"the workflow's {job} job takes {sorted(missing)} from secrets; give the tests a value for each"
    return {**merged, **{key: secrets[key] for key in from_store}}


@dataclass
class Checkout:
    """One runner's checkout of one branch."""

    stack: PulumiStack
    env: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.stack.project_dir

    def run_step(self, command: str, **extra_env: str) -> PulumiRun:
        completed = subprocess.run(["bash", "-e", "-c", command], cwd=self.path, env={**self.env, **extra_env},
                                   capture_output=True, text=True, timeout=600)
        return PulumiRun((command,), completed.returncode, completed.stdout, completed.stderr)

    def start_step(self, command: str) -> subprocess.Popen[str]:
        return subprocess.Popen(["bash", "-e", "-c", command], cwd=self.path, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def run_steps(self, commands: list[str], **extra_env: str) -> PulumiRun:
        """Run the steps in order, stopping at the first that fails (as a CI job does); the last run."""
        steps = [command for command in commands if command != SETUP_STEP]
        assert steps, f"no step to run in {commands}"
        for command in steps:
            result = self.run_step(command, **extra_env)
            if result.returncode != 0:
                break
        return result


@dataclass
class Pipeline:
    """A repository whose pipelines share one stack on one bucket of the S3 server."""

    workdir: Path
    pulumi_home: Path
    s3: S3Server
    bucket: str
    secrets: dict[str, str]  # the tests' value of every variable the recipes take from the CI's secret store
    stack_name: str = "prod"
    stack_config: str = ""  # Pulumi.<stack>.yaml as committed, once the stack exists

    def checkout(self, name: str, specs: dict[str, str], job: str = "up") -> Checkout:
        """A runner of the workflow's `job` checking out a branch with these spec files."""
        backend = self.s3.backend_url(self.bucket)
        stack = PulumiStack(self.workdir / name, self.stack_name, self.pulumi_home, backend_url=backend)
        stack.env.update(S3Server.environment(self.workdir), PULUMI_CONFIG_PASSPHRASE=self.secrets["PULUMI_CONFIG_PASSPHRASE"])
        # The recipe's backend is a real OSS bucket; the runner's is the test server's.
        env = {**stack.env, **github_env(job, self.secrets), "PULUMI_BACKEND_URL": backend, "CI": "true"}  # as on a runner
        if self.stack_config:
            (stack.project_dir / f"Pulumi.{self.stack_name}.yaml").write_text(self.stack_config)
        for filename, text in specs.items():
            stack.write_spec(filename, text)
        return Checkout(stack, env)

    def init_stack(self, config: str) -> None:
        """What an operator does once: write the stack's config, `pulumi stack init`, commit the file."""
        first = self.checkout("operator", {})
        config_file = first.path / f"Pulumi.{self.stack_name}.yaml"
        config_file.write_text(config)
        first.stack.run("stack", "init", self.stack_name)
        self.stack_config = config_file.read_text()

    def state_keys(self) -> list[str]:
        return self.s3.keys(self.bucket, ".pulumi/")

    def lock_keys(self) -> list[str]:
        return self.s3.keys(self.bucket, ".pulumi/locks/")
