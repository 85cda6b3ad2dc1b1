"""The demo scripts as a user's clone runs them: a copy of this checkout with its own state, stack config and port.

Sources are linked, not copied. What the demo writes (Pulumi.dev.yaml, .pulumi-state/, .vodjobs/) is the copy's own,
so a test never touches the checkout it runs from, and two copies run side by side as two clones would.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from tests.support.pulumi_stack import PROJECT_ROOT, SCRUBBED_ENV, VENV_BIN

LINKED = ("Pulumi.yaml", "Pulumi.dev.template.yaml", "__main__.py", "vod_provider", "vod_emulator", "scripts", "specs",
          ".venv")
# What `make emulator` exports for the other shell: a test's own shell must not have it already.
DEMO_ENV = ("PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION")
# The demo's jobs: two plain jobs and a job set of three rows (specs/demo.yaml, specs/trailers.csv).
DEMO_JOBS = ["keynote-cover", "launch-trailer-cover", "trailers-4d6f8a0c2e4b4d6f8a0c2e4b6d8f0a2c",
             "trailers-8e1a3c5b7d9f4e2a6c8b0d2f4a6c8e1b", "trailers-a1c3e5b7d9f14a3c5e7b9d1f3a5c7e9b"]


def demo_checkout(dest: Path) -> Path:
    """A new checkout at `dest` whose sources are this one's; `dest`."""
    dest.mkdir(parents=True)
    for item in LINKED:
        (dest / item).symlink_to(PROJECT_ROOT / item)
    return dest


def user_env(pulumi_home: Path) -> dict[str, str]:
    """A user's shell: the machine's environment less what could decide the outcome, with its own Pulumi home."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV + DEMO_ENV}
    env.update(PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}", PULUMI_HOME=str(pulumi_home),
               PYTHONDONTWRITEBYTECODE="1", ALIBABA_CLOUD_CREDENTIALS_FILE=str(pulumi_home / "no-credentials-file.ini"))
    return env


def start_demo(checkout: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """`scripts/demo` of `checkout`, started; its output (stdout and stderr together) is read from the pipe."""
    return subprocess.Popen(["scripts/demo"], cwd=checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def finish_demo(demo: subprocess.Popen[str], timeout: float = 300) -> str:
    """The output of a started demo that succeeded; AssertionError with its output otherwise."""
    output, _ = demo.communicate(timeout=timeout)
    assert demo.returncode == 0, output
    return output


def job_lines(output: str) -> dict[str, str]:
    """Job name → JobId, from the demo's `pulumi stack output jobIds` lines or `vodjobs status`'s table."""
    return dict(re.findall(r"^ *(\S+)\s+([0-9a-f]{32})\b", output, re.M))


def recorded_endpoint(checkout: Path) -> str:
    """The dev stack's vodjobs:endpoint, as the demo left it in the checkout's Pulumi.dev.yaml."""
    found = re.search(r"^  vodjobs:endpoint: (\S+)", (checkout / "Pulumi.dev.yaml").read_text(), re.M)
    assert found, "Pulumi.dev.yaml has no vodjobs:endpoint"
    return found.group(1)
