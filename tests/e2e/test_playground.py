"""`make emulator`, the playground: it keeps the demo's emulator running and prints the exports with which
`pulumi preview`, `pulumi up` and `vodjobs status`, typed in another shell, work as the README shows."""

from __future__ import annotations

import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support.demo_checkout import DEMO_JOBS, demo_checkout, finish_demo, job_lines, start_demo, user_env
from tests.support.pulumi_stack import PROJECT_ROOT
from tests.support.server_process import ServerProcess

READY = re.compile(r"the calls it answered: curl -s (http://127\.0\.0\.1:\d+)/_emulator/requests")


class Playground:
    """scripts/playground of one checkout, started and stopped as a user does (its log in the test's folder)."""

    def __init__(self, checkout: Path, env: dict[str, str]) -> None:
        self.checkout, self.env = checkout, env
        self.server = ServerProcess("make emulator", READY, checkout / "playground.out")

    def start(self) -> str:
        """The emulator's URL, once the playground has printed its exports."""
        return self.server.start(["scripts/playground"], timeout=120, cwd=self.checkout, env=self.env)

    def exports(self) -> str:
        """The lines it asks the user to paste into another shell."""
        return "\n".join(line for line in self.server.output().splitlines() if line.startswith(("cd ", "export ")))

    def stop(self) -> None:
        self.server.stop()


def in_another_shell(env: dict[str, str], exports: str, command: str) -> subprocess.CompletedProcess[str]:
    """`command` typed in a new bash after pasting `exports`: the user's shell has none of the demo's settings."""
    return subprocess.run(["bash", "-c", f"set -e\n{exports}\n{command}"], env=env, capture_output=True, text=True,
                          timeout=300)


def ran(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{done.args[-1]!r} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture
def playground(tmp_path: Path) -> Playground:
    return Playground(demo_checkout(tmp_path / "clone"), user_env(tmp_path / "pulumi-home"))


def test_preview_up_and_status_work_by_hand_while_the_playground_runs(playground: Playground) -> None:
    url = playground.start()
    try:
        exports = playground.exports()
        preview = ran(in_another_shell(playground.env, exports, "pulumi preview --non-interactive"))
        up = ran(in_another_shell(playground.env, exports, "pulumi up --yes --non-interactive"))
        status = ran(in_another_shell(playground.env, exports, "vodjobs status"))
    finally:
        playground.stop()

    exported = re.findall(r"^export (\w+)=", exports, re.M)
    assert {"PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PATH"} <= set(exported)
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert all(f"\nexport {name}=" in readme for name in exported), "README's Working by hand shows every export"
    assert f"+ {len(DEMO_JOBS) + 1} to create" in preview, preview  # the jobs of specs/ and the stack
    assert f"+ {len(DEMO_JOBS) + 1} created" in up, up
    assert sorted(job_lines(status)) == DEMO_JOBS
    with pytest.raises(urllib.error.URLError):  # stopping the playground stops its emulator
        urllib.request.urlopen(f"{url}/_emulator/requests", timeout=5)


def test_the_playground_keeps_the_jobs_across_restarts(playground: Playground) -> None:
    playground.start()
    try:
        up = ran(in_another_shell(playground.env, playground.exports(), "pulumi up --yes --non-interactive"))
    finally:
        playground.stop()
    playground.start()
    try:
        exports = playground.exports()
        status = ran(in_another_shell(playground.env, exports, "vodjobs status"))
        again = ran(in_another_shell(playground.env, exports, "pulumi up --yes --non-interactive"))
    finally:
        playground.stop()

    assert f"+ {len(DEMO_JOBS) + 1} created" in up, up
    assert sorted(job_lines(status)) == DEMO_JOBS, "the restarted emulator still knows the JobIds"
    assert "created" not in again and "replaced" not in again, again


def test_the_demo_uses_the_running_playground_and_a_second_playground_refuses(playground: Playground) -> None:
    url = playground.start()
    try:
        demo = finish_demo(start_demo(playground.checkout, playground.env))
        second = subprocess.run(["scripts/playground"], cwd=playground.checkout, env=playground.env,
                                capture_output=True, text=True, timeout=60)
        urllib.request.urlopen(f"{url}/_emulator/requests", timeout=5).close()  # the demo left it running
    finally:
        playground.stop()

    assert f"using the emulator already running on this state (make emulator) at {url}" in demo, demo
    assert f"this run submitted {len(DEMO_JOBS)} job(s)" in demo, demo
    assert second.returncode == 1 and "this state's emulator already runs" in second.stderr, second.stderr
