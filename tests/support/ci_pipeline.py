"""The pipeline recipes of examples/ci/, run as a CI runner would: each runner a fresh checkout, one S3 stack.

A checkout is a temp project (PulumiStack) with the branch's specs and the committed
Pulumi.<stack>.yaml. Its steps are the recipe's own `run:` / `script:` lines, run by bash with the
recipe's environment; only the values a CI system would fill in (`${{ secrets.X }}`, `${{ github.X }}`),
and the backend URL, are the tests' own. A secret the tests give no value is empty, as GitHub makes
every secret for a pull request from a fork. `make setup` is left out: the test session has already set up.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
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


_EXPRESSION = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")


def github_env(job: str, values: Mapping[str, str]) -> dict[str, str]:
    """The workflow's and the job's environment, each `${{ X }}` replaced by values[X] ("" for a secret not given)."""
    workflow = github_workflow()
    merged = {key: str(value) for key, value in {**workflow.get("env", {}), **workflow["jobs"][job].get("env", {})}.items()}
    used = {name for value in merged.values() for name in _EXPRESSION.findall(value)}
    missing = {name for name in used if not name.startswith("secrets.") and name not in values}
    assert not missing, f"the workflow's {job} job reads {sorted(missing)}; give the tests a value for each"
    return {key: _EXPRESSION.sub(lambda m: values.get(m[1], ""), value) for key, value in merged.items()}


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

    def commit(self, message: str) -> str:
        """Commit the checkout's specs and stack config on its branch (a git repository from the first call); the SHA."""
        def git(*args: str) -> str:
            return subprocess.run(["git", *args], cwd=self.path, check=True, capture_output=True, text=True, env={
                **self.env, "GIT_AUTHOR_NAME": "ci", "GIT_AUTHOR_EMAIL": "ci@example.com", "GIT_COMMITTER_NAME": "ci",
                "GIT_COMMITTER_EMAIL": "ci@example.com"}).stdout.strip()

        if not (self.path / ".git").exists():
            git("init", "-q", "-b", "main")
        git("add", "-A", "specs", *[p.name for p in self.path.glob("Pulumi.*.yaml")])
        git("commit", "-q", "-m", message)
        return git("rev-parse", "HEAD")

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
    secrets: dict[str, str]  # the tests' value of every `${{ secrets.X }}` of the recipes, by X
    operator_key: dict[str, str]  # AWS_* of the bucket's read/write key: what the operator runs `stack init` with
    stack_name: str = "prod"
    stack_config: str = ""  # Pulumi.<stack>.yaml as committed, once the stack exists

    def checkout(self, name: str, specs: dict[str, str], job: str = "up", secrets: Mapping[str, str] | None = None,
                 base_sha: str = "") -> Checkout:
        """A runner of the workflow's `job` checking out a branch with these spec files.

        `secrets` replaces the repository's (a pull request from a fork: {}); `base_sha` is the pull request's base.
        """
        backend = self.s3.backend_url(self.bucket)
        stack = PulumiStack(self.workdir / name, self.stack_name, self.pulumi_home, backend_url=backend)
        # The test's own view of the stack (stack.outputs()) reads with the operator's key; the steps with the job's.
        stack.env.update(S3Server.environment(self.workdir), **self.operator_key,
                         PULUMI_CONFIG_PASSPHRASE=self.secrets["PULUMI_CONFIG_PASSPHRASE"])
        values = {f"secrets.{key}": value for key, value in (self.secrets if secrets is None else secrets).items()}
        values["github.event.pull_request.base.sha"] = base_sha
        # The recipe's backend is a real OSS bucket; the runner's is the test server's.
        env = {**stack.env, **github_env(job, values), "PULUMI_BACKEND_URL": backend, "CI": "true"}  # as on a runner
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
