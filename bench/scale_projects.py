"""The two Pulumi projects `bench/scale.py` drives through the same CLI, backend and flags.

- the engine floor: `bench/floor_program.py` declaring one do-nothing resource per job (floor_provider.py);
- vodjobs: the repository's own program and provider, with the jobs written as spec files.

Each lives in its own temp directory with a backend of its own (a file backend, or a bucket of the bench's S3
server: scale_bucket.py); both get the same environment.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bench.procwatch import Finished, run_watched

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
PASSPHRASE = "vodjobs-bench-passphrase"
SPEC_FILE_SIZE = 200  # jobs per generated spec file
SCRUBBED_ENV = ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
                "ALIBABA_CLOUD_PROFILE", "PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE_FILE", "PULUMI_PYTHON_CMD",
                "PULUMI_SKIP_CHECKPOINTS", "PULUMI_PARALLEL")


@dataclass(frozen=True)
class Job:
    name: str
    video_id: str
    template_id: str


class CommandFailed(Exception):
    pass


class Backend(Protocol):
    """Where a project's stack keeps its state: the URL pulumi logs in to, what it needs in its environment."""

    @property
    def url(self) -> str: ...

    def env(self) -> dict[str, str]: ...

    def state_bytes(self, stack: str) -> int: ...


@dataclass(frozen=True)
class FileBackend:
    directory: Path

    @property
    def url(self) -> str:
        return f"file://{self.directory}"

    def env(self) -> dict[str, str]:
        return {}

    def state_bytes(self, stack: str) -> int:
        [checkpoint] = self.directory.glob(f".pulumi/stacks/*/{stack}.json")
        return checkpoint.stat().st_size


class BenchProject:
    """A Pulumi project in `directory` with one stack on a backend of its own (by default a file backend there)."""

    def __init__(self, directory: Path, stack: str, flags: Mapping[str, str], backend: Backend | None = None) -> None:
        self.directory = directory / "project"
        self.stack = stack
        self.directory.mkdir(parents=True)
        if backend is None:
            (directory / "state").mkdir()
            backend = FileBackend(directory / "state")
        self.backend = backend
        self.env = {key: value for key, value in os.environ.items() if key not in SCRUBBED_ENV}
        self.env.update(
            PATH=os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "")]),
            PULUMI_BACKEND_URL=backend.url,
            PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
            PULUMI_HOME=str(directory / "pulumi-home"),
            PULUMI_SKIP_UPDATE_CHECK="true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
            ALIBABA_CLOUD_CREDENTIALS_FILE=str(directory / "no-credentials-file.ini"),
            **backend.env(),
            **flags,
        )

    def link(self, *names: str, target: Path = PROJECT_ROOT) -> None:
        for name in names:
            (self.directory / name).symlink_to(target / name)

    def run(self, command: Sequence[str]) -> Finished:
        finished = run_watched(command, self.directory, self.env)
        if finished.returncode != 0:
            raise CommandFailed(f"{' '.join(command)} exited {finished.returncode}:\n{finished.stdout[-3000:]}{finished.stderr[-3000:]}")
        return finished

    def pulumi(self, *args: str) -> Finished:
        return self.run(["pulumi", *args, "--stack", self.stack, "--non-interactive"])

    def state_bytes(self) -> int:
        return self.backend.state_bytes(self.stack)


def floor_project(directory: Path, flags: Mapping[str, str], jobs: Sequence[Job],
                  backend: Backend | None = None) -> BenchProject:
    project = BenchProject(directory, "floor", flags, backend)
    (project.directory / "Pulumi.yaml").write_text(
        "name: vodjobs-floor\nruntime:\n  name: python\n  options:\n    virtualenv: .venv\n")
    (project.directory / "__main__.py").symlink_to(PROJECT_ROOT / "bench" / "floor_program.py")
    project.link(".venv", "bench")
    write_floor_jobs(project, jobs)
    project.run(["pulumi", "stack", "init", project.stack, "--non-interactive"])
    return project


def write_floor_jobs(project: BenchProject, jobs: Sequence[Job]) -> None:
    rows = [{"name": job.name, "videoId": job.video_id, "templateId": job.template_id} for job in jobs]
    (project.directory / "jobs.json").write_text(json.dumps(rows))


def vodjobs_project(directory: Path, flags: Mapping[str, str], jobs: Sequence[Job], endpoint: str,
                    access_key: tuple[str, str], backend: Backend | None = None, job_set: bool = False) -> BenchProject:
    """The repository's program and provider on `jobs`: spec files of SPEC_FILE_SIZE jobs each, or (`job_set`) one
    spec declaring them all as the job set JOB_SET over one CSV (the jobs must be named by job_set_jobs)."""
    project = BenchProject(directory, "bench", flags, backend)
    project.link("Pulumi.yaml", "__main__.py", "vod_provider", ".venv")
    (project.directory / "specs").mkdir()
    if job_set:
        write_job_set(project, jobs)
    else:
        for start in range(0, len(jobs), SPEC_FILE_SIZE):
            write_spec(project, f"batch-{start // SPEC_FILE_SIZE:03d}.yaml", jobs[start:start + SPEC_FILE_SIZE])
    project.run(["pulumi", "stack", "init", project.stack, "--non-interactive"])
    project.run(["pulumi", "config", "set-all", "--stack", project.stack, "--non-interactive",
                 "--plaintext", f"vodjobs:endpoint={endpoint}",
                 "--plaintext", f"vodjobs:accessKeyId={access_key[0]}",
                 "--secret", f"vodjobs:accessKeySecret={access_key[1]}"])
    return project


def write_spec(project: BenchProject, filename: str, jobs: Sequence[Job]) -> None:
    lines = ["jobs:"]
    for job in jobs:
        lines += [f"  {job.name}:", f"    videoId: {job.video_id}", f"    templateId: {job.template_id}"]
    (project.directory / "specs" / filename).write_text("\n".join(lines) + "\n")


JOB_SET = "bench"  # its jobs are named `bench-<videoId>` (specs/README.md, "Job sets")
JOB_SET_CSV = "videos.csv"


def job_set_name(video_id: str) -> str:
    """The name vodjobs gives the job of `video_id` in the bench's job set (both sides use it, so state compares)."""
    return f"{JOB_SET}-{video_id}"


def write_job_set(project: BenchProject, jobs: Sequence[Job]) -> None:
    """specs/jobs.yaml declaring the job set over specs/videos.csv (one row per job; one template for all)."""
    [template] = {job.template_id for job in jobs}
    assert all(job.name == job_set_name(job.video_id) for job in jobs), "job-set jobs are named <set>-<videoId>"
    (project.directory / "specs" / "jobs.yaml").write_text(
        f"jobSets:\n  {JOB_SET}:\n    items: {JOB_SET_CSV}\n    templateId: {template}\n")
    write_job_set_rows(project, jobs)


def write_job_set_rows(project: BenchProject, jobs: Sequence[Job]) -> None:
    """Rewrite the job set's CSV with one row per job (adding a row is how a job-set user adds a job)."""
    (project.directory / "specs" / JOB_SET_CSV).write_text("videoId\n" + "".join(f"{job.video_id}\n" for job in jobs))


def vodjobs_validate(project: BenchProject) -> Finished:
    """`vodjobs validate` of the project's specs (the default glob), as the pre-commit hook runs it; fails unless valid."""
    finished = run_watched([sys.executable, "-m", "vod_provider.cli", "validate"], project.directory, project.env)
    if finished.returncode != 0:
        raise CommandFailed(f"vodjobs validate exited {finished.returncode}:\n{finished.stdout[-3000:]}{finished.stderr[-3000:]}")
    return finished


def journal_where(project: BenchProject) -> tuple[bool, str]:
    """`vodjobs journal where`, as `make ci-up` asks it: does the stack's journal outlive the runner, and where is it."""
    finished = run_watched([sys.executable, "-m", "vod_provider.cli", "journal", "where", "--stack", project.stack],
                           project.directory, project.env)
    return finished.returncode == 0, (finished.stdout + finished.stderr).strip()


def vodjobs_status(project: BenchProject) -> Finished:
    """`vodjobs status` as a user runs it from the project directory (this worktree's code, not the installed one)."""
    return run_watched([sys.executable, "-m", "vod_provider.cli", "status", "--stack", project.stack], project.directory,
                       project.env)
