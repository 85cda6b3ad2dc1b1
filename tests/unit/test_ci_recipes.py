"""The pipeline recipes, the stacks' config and the README's CI section say what the tested targets do."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.support.ci_pipeline import SETUP_STEP, github_steps, github_workflow, gitlab_pipeline, gitlab_steps
from tests.support.pulumi_stack import PROJECT_ROOT
from vod_provider.program import load_declared_jobs

MAKE_TARGETS = set(re.findall(r"^([a-z][a-z-]*):", (PROJECT_ROOT / "Makefile").read_text(), re.MULTILINE))


def every_step() -> list[str]:
    github = [step for job in github_workflow()["jobs"] for step in github_steps(job)]
    gitlab = [line for name, job in gitlab_pipeline().items() if isinstance(job, dict) and "script" in job for line in gitlab_steps(name)]
    return github + gitlab


def test_every_pipeline_step_is_a_make_target_or_a_vodjobs_command() -> None:
    steps = every_step()

    assert len(steps) == 12
    for step in steps:
        words = step.split()
        assert (words[0] == "make" and words[1] in MAKE_TARGETS) or words[0] == "vodjobs", step
    assert {step.split()[1] for step in steps} == {"setup", "ci-preview", "ci-up", "ci-recover"}
    assert SETUP_STEP in steps


def test_ups_run_one_at_a_time_per_stack_and_are_never_cancelled() -> None:
    github_up = github_workflow()["jobs"]["up"]
    gitlab_up = gitlab_pipeline()["up"]

    assert github_up["concurrency"]["cancel-in-progress"] is False and "prod" in github_up["concurrency"]["group"]
    assert gitlab_up["resource_group"] == "vodjobs-prod" and gitlab_up["interruptible"] is False
    # The recovery removes a dead run's lock: only where no up of the stack can be alive.
    assert github_workflow()["jobs"]["recover"]["concurrency"] == github_up["concurrency"]
    assert gitlab_pipeline()["recover"]["resource_group"] == gitlab_up["resource_group"]
    assert "ALIBABA_CLOUD_ACCESS_KEY_SECRET" not in github_workflow()["env"]  # the VOD key reaches the up job only


def test_the_preview_job_runs_with_read_only_keys_and_the_write_keys_live_in_the_prod_environment() -> None:
    jobs = github_workflow()["jobs"]
    secrets_of = {name: " ".join(str(value) for value in job.get("env", {}).values()) for name, job in jobs.items()}

    assert not any("secrets." in str(value) for value in github_workflow()["env"].values())  # no key for every job
    assert "secrets.STATE_READ_ACCESS_KEY_ID" in secrets_of["preview"] and "secrets.VOD_READ_ACCESS_KEY_ID" in secrets_of["preview"]
    assert "WRITE" not in secrets_of["preview"] and "secrets.VOD_ACCESS_KEY" not in secrets_of["preview"]
    for name in ("up", "recover"):
        assert jobs[name]["environment"] == "prod"
        assert "secrets.STATE_WRITE_ACCESS_KEY_ID" in secrets_of[name] and "secrets.VOD_ACCESS_KEY_ID" in secrets_of[name]
    assert gitlab_pipeline()["preview"]["environment"] == {"name": "preview", "action": "prepare"}
    assert gitlab_pipeline()["up"]["environment"] == gitlab_pipeline()["recover"]["environment"] == "prod"


def test_the_prod_stack_uses_the_real_endpoint_in_another_region_with_its_own_valid_specs() -> None:
    prod = yaml.safe_load((PROJECT_ROOT / "Pulumi.prod.yaml").read_text())["config"]
    dev = yaml.safe_load((PROJECT_ROOT / "Pulumi.dev.template.yaml").read_text())["config"]  # the demo copies it to Pulumi.dev.yaml

    assert prod["vodjobs:region"] == "cn-beijing" != dev["vodjobs:region"]
    assert "vodjobs:endpoint" not in prod and "vodjobs:endpoint" in dev
    assert not any("secret" in key.lower() for key in prod), "no secret is committed for prod, not even encrypted"
    assert load_declared_jobs(prod["vodjobs:specs"], PROJECT_ROOT).files == ("specs-prod/covers.yaml",)
    assert not Path(PROJECT_ROOT / "specs" / "prod").exists(), "the dev stack reads every file under specs/"


def test_the_readme_shows_the_summary_a_reviewer_sees() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    golden = (PROJECT_ROOT / "tests" / "golden" / "preview" / "pull-request.md").read_text()

    quoted = "\n".join(f"> {line}" if line else ">" for line in golden.rstrip("\n").splitlines())
    assert quoted in readme, "README's CI/CD section must quote tests/golden/preview/pull-request.md exactly"
