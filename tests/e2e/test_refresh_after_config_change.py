"""What README "Refresh after a change of endpoint or AccessKey" says: refresh reads with the config recorded in state
and leaves the stack outputs as the last up left them; `refresh --run-program` applies the new config and exports again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.account import OTHER_TEMPLATE, TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack
from tests.support.waiting import wait_for
from vod_provider.api.client import VodClient
from vod_provider.api.credentials import Credentials


@pytest.fixture
def moved_to() -> Iterator[EmulatorProcess]:
    """A second VOD endpoint, which has never heard of the stack's jobs."""
    process = EmulatorProcess(TEST_KEY).start()
    try:
        process.seed(list(VIDEOS.values()), [TEMPLATE, OTHER_TEMPLATE])
        yield process
    finally:
        process.stop()


def test_refresh_uses_the_recorded_endpoint_until_run_program_applies_the_new_one(
    stack: PulumiStack, emulator: EmulatorProcess, moved_to: EmulatorProcess
) -> None:
    stack.write_spec("covers.yaml", f"jobs:\n  trailer-cover: {{videoId: {VIDEOS['trailer']}, templateId: {TEMPLATE}}}\n")
    stack.up()
    job_id = stack.outputs()["jobIds"]["trailer-cover"]
    client = VodClient(emulator.url, Credentials(TEST_KEY.access_key_id, TEST_KEY.access_key_secret))
    wait_for(lambda: client.get_ai_image_jobs([job_id])[0].status == "success", 30, "the job to succeed", every=0.2)
    stack.run("config", "set", "--stack", stack.name, "vodjobs:endpoint", moved_to.url)
    old, new = emulator.log_position(), moved_to.log_position()

    stack.run("refresh", "--yes", "--skip-preview", "--stack", stack.name)

    assert (len(emulator.calls(old)), moved_to.calls(new)) == (1, [])  # the endpoint recorded in state
    assert stack.recorded()["trailer-cover"].outputs["status"] == "success"  # the job's own outputs
    assert stack.outputs()["jobs"] == {"trailer-cover": {"jobId": job_id, "status": "submitted"}}  # as the up left it

    old, new = emulator.log_position(), moved_to.log_position()
    stack.run("refresh", "--yes", "--skip-preview", "--run-program", "--stack", stack.name)

    assert (emulator.calls(old), len(moved_to.calls(new))) == ([], 1)  # the stack's config now
    assert stack.outputs()["jobs"] == {"trailer-cover": {"jobId": job_id, "status": "notFound"}}  # exported again
    new = moved_to.log_position()
    stack.run("refresh", "--yes", "--skip-preview", "--stack", stack.name)
    assert len(moved_to.calls(new)) == 1  # and recorded for later refreshes
