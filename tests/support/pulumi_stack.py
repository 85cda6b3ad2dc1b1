"""A vodjobs project in a temp directory, driven through the real `pulumi` CLI on a file backend.

The project links the repository's Pulumi.yaml, __main__.py, vod_provider/ and .venv, and owns
its specs/ directory, so each test declares exactly the jobs of its story.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
LINKED = ("Pulumi.yaml", "__main__.py", "vod_provider", ".venv", "Makefile")
PASSPHRASE = "vodjobs-test-passphrase"
# Variables that would let a test's outcome depend on the machine it runs on.
SCRUBBED_ENV = (
    "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
    "MAKEFLAGS", "MAKELEVEL", "MFLAGS",  # a test that runs `make` must not look like a sub-make of `make test`
    "ALIBABA_CLOUD_PROFILE", "PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE_FILE", "PULUMI_PYTHON_CMD",
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
    "CI",  # CI=true makes an up warn about a local journal: a test that plays a runner sets it itself
)


class PulumiFailed(AssertionError):
    pass


@dataclass(frozen=True)
class PulumiRun:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass(frozen=True)
class RecordedResource:
    """A resource as a checkpoint records it: its id and its outputs."""

    id: str
    outputs: dict[str, Any]


def checkpoint_resources(checkpoint_text: str, type_name: str = "AIImageJob") -> dict[str, RecordedResource]:
    """The vod:`type_name` resources of a checkpoint file's text, by name; a replaced one pending delete left out."""
    state = json.loads(checkpoint_text)
    return {
        r["urn"].rsplit("::", 1)[1]: RecordedResource(r["id"], r.get("outputs", {}))
        for r in state["checkpoint"]["latest"].get("resources", [])
        if r["type"] == f"pulumi-python:dynamic/vod:{type_name}" and not r.get("delete")
    }


def find_pulumi() -> str:
    """The pulumi binary the project installed; a clear failure if there is none."""
    found = shutil.which("pulumi", path=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        raise PulumiFailed(
            "the pulumi CLI is not installed: run `make setup` (it builds the engine from the Go module "
            "proxy, or links an official CLI found on PATH). End-to-end tests never skip without it."
        )
    return found


class PulumiStack:
    """One stack of a temp vodjobs project; on a local file backend unless `backend_url` names another."""

    def __init__(self, workdir: Path, name: str, pulumi_home: Path, backend_url: str | None = None) -> None:
        self.project_dir = workdir / "project"
        self.backend_dir = workdir / "state"
        self.name = name
        self.project_dir.mkdir(parents=True)
        self.backend_dir.mkdir(parents=True)
        (self.project_dir / "specs").mkdir()
        for item in LINKED:
            (self.project_dir / item).symlink_to(PROJECT_ROOT / item)
        path = os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "")])
        self.env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
        self.env.update(
            PATH=path,
            PULUMI_BACKEND_URL=backend_url or f"file://{self.backend_dir}",
            PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
            PULUMI_HOME=str(pulumi_home),
            PULUMI_SKIP_UPDATE_CHECK="true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
            PYTHONDONTWRITEBYTECODE="1",
            # No credentials file of the machine's user may leak into a test's outcome.
            ALIBABA_CLOUD_CREDENTIALS_FILE=str(workdir / "no-credentials-file.ini"),
        )
        self.pulumi = find_pulumi()

    # -- running the CLI -------------------------------------------------------------------

    def run(self, *args: str, check: bool = True, timeout: float = 300) -> PulumiRun:
        completed = subprocess.run(
            [self.pulumi, *args, "--non-interactive"] if args[0] not in ("version",) else [self.pulumi, *args],
            cwd=self.project_dir, env=self.env, capture_output=True, text=True, timeout=timeout,
        )
        result = PulumiRun(tuple(args), completed.returncode, completed.stdout, completed.stderr)
        if check and completed.returncode != 0:
            raise PulumiFailed(f"pulumi {' '.join(args)} exited {completed.returncode}:\n{result.output}")
        return result

    def init(self, endpoint: str, access_key_id: str, access_key_secret: str) -> PulumiStack:
        self.run("stack", "init", self.name)
        self.run("config", "set-all", "--stack", self.name,
                 "--plaintext", f"vodjobs:endpoint={endpoint}",
                 "--plaintext", f"vodjobs:accessKeyId={access_key_id}",
                 "--secret", f"vodjobs:accessKeySecret={access_key_secret}")
        return self

    def preview(self, *extra: str, check: bool = True) -> PulumiRun:
        return self.run("preview", "--stack", self.name, *extra, check=check)

    def preview_json(self) -> dict[str, Any]:
        digest: dict[str, Any] = json.loads(self.run("preview", "--json", "--stack", self.name).stdout)
        return digest

    def up(self, *extra: str, check: bool = True) -> PulumiRun:
        return self.run("up", "--yes", "--skip-preview", "--stack", self.name, *extra, check=check)

    def outputs(self) -> dict[str, Any]:
        values: dict[str, Any] = json.loads(self.run("stack", "output", "--json", "--stack", self.name).stdout)
        return values

    def state_text(self) -> str:
        """The stack's checkpoint file exactly as stored on the (file) backend."""
        found = list(self.backend_dir.glob(f".pulumi/stacks/*/{self.name}.json"))
        assert len(found) == 1, f"expected one checkpoint for stack {self.name}, found {found}"
        return found[0].read_text()

    def recorded(self, type_name: str = "AIImageJob") -> dict[str, RecordedResource]:
        """The AIImageJob (or other vod:`type_name`) resources in the stack's checkpoint, by name."""
        return checkpoint_resources(self.state_text(), type_name)

    def vodjobs(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run the vodjobs command as a user would, in the stack's project; never raises on its exit code."""
        return subprocess.run([sys.executable, "-m", "vod_provider.cli", *args], cwd=self.project_dir, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    # -- specs -----------------------------------------------------------------------------

    def write_spec(self, filename: str, text: str) -> Path:
        path = self.project_dir / "specs" / filename
        path.write_text(textwrap.dedent(text).lstrip())
        return path

    def remove_spec(self, filename: str) -> None:
        (self.project_dir / "specs" / filename).unlink()


def steps_by_op(digest: dict[str, Any]) -> dict[str, list[str]]:
    """Resource names per step op ('create', 'replace', 'same', …) of a `preview --json` digest."""
    out: dict[str, list[str]] = {}
    for step in digest.get("steps", []):
        urn = step["urn"]
        if "::pulumi:pulumi:Stack::" in urn:
            continue
        out.setdefault(step["op"], []).append(urn.rsplit("::", 1)[1])
    return {op: sorted(names) for op, names in out.items()}
