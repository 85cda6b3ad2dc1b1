"""A revoked AccessKey is a failed run, never "the templates are gone": refresh and destroy keep the state.

The stack's key is revoked on the service's side (the emulator restarts on the same port and state without it),
so the provider config Pulumi recorded in state, which refresh and destroy use, still names it; every call is
then answered InvalidAccessKeyId.NotFound. That code once read as "template not found".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.account import TEST_KEY, VIDEOS
from tests.support.emulator_process import AccessKeyPair, EmulatorProcess
from tests.support.emulators import emulators
from tests.support.pulumi_stack import PulumiStack, RecordedResource
from tests.support.specs import animated_cover, job, spec_yaml, templated_job

SOMEONE_ELSE = AccessKeyPair("LTAI5tSomeoneElseKey0009", "someone-else-secret-0b1c2d")
TEMPLATES_ONLY = spec_yaml(templates={**animated_cover(), "still-cover": {"format": "png", "setDefaultCover": False}})
TEMPLATES_AND_JOBS = spec_yaml({"trailer-cover": templated_job(VIDEOS["trailer"]), "keynote-cover": job(VIDEOS["keynote"])},
                               templates=animated_cover())
Revoke = Callable[[], EmulatorProcess]


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[EmulatorProcess, Revoke]]:
    """An emulator of the test's own with its state on disk, and a way to revoke the stack's AccessKey in it."""
    state_dir = tmp_path / "vod-state"
    with emulators() as fleet, emulators(SOMEONE_ELSE) as others:
        first = fleet.start(job_duration=0.2, state_dir=state_dir)

        def revoke() -> EmulatorProcess:
            """The same service (port and state), which no longer knows the stack's AccessKeyId."""
            first.stop()
            return others.start("--port", str(urlsplit(first.url).port), job_duration=0.2, state_dir=state_dir, seed=False)

        yield first, revoke


def up_with(new_stack: PulumiStack, emulator: EmulatorProcess, spec: str) -> PulumiStack:
    """The stack, pointed at the test's emulator with the good key, after an up of `spec`."""
    stack = new_stack.init(emulator.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
    stack.write_spec("covers.yaml", spec)
    stack.up()
    return stack


def recorded_resources(stack: PulumiStack) -> dict[str, RecordedResource]:
    """Each job and template in state: its id and outputs."""
    return {f"{kind}/{name}": resource for kind in ("AIImageJob", "AITemplate") for name, resource in stack.recorded(kind).items()}


@pytest.mark.parametrize("spec", [TEMPLATES_ONLY, TEMPLATES_AND_JOBS], ids=["templates-only", "templates-and-jobs"])
def test_refresh_with_a_revoked_key_fails_and_leaves_the_checkpoint_byte_identical(
    new_stack: PulumiStack, service: tuple[EmulatorProcess, Revoke], spec: str
) -> None:
    emulator, revoke = service
    stack = up_with(new_stack, emulator, spec)
    before = stack.state_text()
    revoked = revoke()

    # Without --skip-preview, as a person runs it: the refresh's preview fails, so nothing is written.
    run = stack.run("refresh", "--yes", "--stack", stack.name, check=False)

    assert run.returncode != 0, run.output
    assert "InvalidAccessKeyId.NotFound" in run.output and "check vodjobs:accessKeyId" in run.output
    assert {c["code"] for c in revoked.requests()} == {"InvalidAccessKeyId.NotFound"}
    assert stack.state_text() == before


def test_refresh_without_its_preview_fails_and_keeps_every_job_and_template(
    new_stack: PulumiStack, service: tuple[EmulatorProcess, Revoke]
) -> None:
    emulator, revoke = service
    stack = up_with(new_stack, emulator, TEMPLATES_AND_JOBS)
    before = recorded_resources(stack)
    revoke()

    run = stack.run("refresh", "--yes", "--skip-preview", "--stack", stack.name, check=False)

    # Pulumi rewrites the checkpoint file after any refresh that ran (a new manifest time, secrets encrypted
    # afresh): what vodjobs answers for is that every resource stays, with its id and outputs.
    assert run.returncode != 0, run.output
    assert len(before) == 3 and recorded_resources(stack) == before


def test_destroy_with_a_revoked_key_fails_and_keeps_every_template_in_state(
    new_stack: PulumiStack, service: tuple[EmulatorProcess, Revoke]
) -> None:
    emulator, revoke = service
    stack = up_with(new_stack, emulator, TEMPLATES_ONLY)
    template_ids = stack.outputs()["templateIds"]
    revoked = revoke()

    run = stack.run("destroy", "--yes", "--skip-preview", "--stack", stack.name, check=False)

    assert run.returncode != 0, run.output
    assert "InvalidAccessKeyId.NotFound" in run.output
    assert [c["action"] for c in revoked.requests() if c["httpStatus"] == 200] == []  # VOD still holds both templates
    assert sorted(stack.recorded("AITemplate")) == ["animated-cover", "still-cover"]
    assert stack.outputs()["templateIds"] == template_ids
