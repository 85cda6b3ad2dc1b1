"""`pulumi up --target` submits one job; the stack outputs hold real values only, never the engine's placeholder."""

from __future__ import annotations

import json

from tests.support.account import TEMPLATE, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack
from vod_provider.providers.diff import UNKNOWN

KEPT = f"""
    jobs:
      keynote-cover: {{videoId: {VIDEOS["keynote"]}, templateId: {TEMPLATE}}}
    """
GROWN = f"""
    templates:
      animated-cover: {{format: gif, setDefaultCover: true}}
    jobs:
      keynote-cover: {{videoId: {VIDEOS["keynote"]}, templateId: {TEMPLATE}}}
      trailer-cover: {{videoId: {VIDEOS["trailer"]}, template: animated-cover}}
      interview-cover: {{videoId: {VIDEOS["interview"]}, templateId: {TEMPLATE}}}
    """


def test_a_targeted_up_exports_only_what_exists_and_the_next_up_the_rest(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("covers.yaml", KEPT)
    stack.up()
    kept = stack.outputs()["jobIds"]["keynote-cover"]
    stack.write_spec("covers.yaml", GROWN)
    target = f"urn:pulumi:{stack.name}::vodjobs::pulumi-python:dynamic/vod:AIImageJob::interview-cover"
    mark = emulator.log_position()

    stack.up("--target", target)

    [submitted] = emulator.submitted_job_ids(mark)
    outputs = stack.outputs()
    assert outputs == {
        "jobIds": {"keynote-cover": kept, "interview-cover": submitted},
        "jobs": {"keynote-cover": {"jobId": kept, "status": "submitted"},
                 "interview-cover": {"jobId": submitted, "status": "submitted"}},
        "templateIds": {},
    }
    assert UNKNOWN not in stack.state_text()

    stack.up()

    outputs = stack.outputs()
    assert sorted(outputs["jobIds"]) == ["interview-cover", "keynote-cover", "trailer-cover"]
    assert list(outputs["templateIds"]) == ["animated-cover"]
    assert UNKNOWN not in json.dumps(outputs)
    stack.preview("--expect-no-changes")
