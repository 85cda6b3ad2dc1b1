"""The program registers its resources without the SDK's per-resource debug messages and stack traces.

`vod_provider/registration_overhead.py`: they cost the program and the CLI a third of their CPU in a cold up and
are about vodjobs' own code. Through the real CLI: `pulumi up --debug` shows none of the SDK's registration
messages and the state keeps no stack trace for a job; with PULUMI_DEBUG=1 both come back, and either way a
second run sees nothing to change.
"""

from __future__ import annotations

import json

from tests.support.account import VIDEOS
from tests.support.pulumi_stack import PulumiStack
from tests.support.specs import job, spec_yaml

SDK_MESSAGE = "registering resource: ty=pulumi-python:dynamic/vod:AIImageJob"


def job_stack_traces(stack: PulumiStack) -> dict[str, bool]:
    """Job name → whether the state keeps a stack trace (or source position) for it."""
    resources = json.loads(stack.state_text())["checkpoint"]["latest"]["resources"]
    return {resource["urn"].rsplit("::", 1)[1]: bool(resource.get("stackTrace") or resource.get("sourcePosition"))
            for resource in resources if resource["type"].endswith("vod:AIImageJob")}


def test_registrations_carry_no_sdk_debug_messages_or_stack_traces_unless_pulumi_debug(stack: PulumiStack) -> None:
    stack.write_spec("covers.yaml", spec_yaml({"keynote-cover": job(VIDEOS["keynote"])}))

    quiet = stack.up("--debug")

    assert SDK_MESSAGE not in quiet.output
    assert job_stack_traces(stack) == {"keynote-cover": False}

    stack.write_spec("covers.yaml", spec_yaml({"keynote-cover": job(VIDEOS["keynote"]),
                                               "trailer-cover": job(VIDEOS["trailer"])}))
    stack.env["PULUMI_DEBUG"] = "1"
    debug = stack.up("--debug")

    assert SDK_MESSAGE in debug.output
    assert job_stack_traces(stack) == {"keynote-cover": True, "trailer-cover": True}

    del stack.env["PULUMI_DEBUG"]
    assert stack.preview("--expect-no-changes").returncode == 0  # a stack trace in state or not: no change
    stack.up("--expect-no-changes")
    assert job_stack_traces(stack) == {"keynote-cover": False, "trailer-cover": False}
