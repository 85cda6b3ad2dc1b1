"""Stacks recorded by older vodjobs keep working: the provider import paths pickled into state are state format.

`vod_provider.resources.AIImageJobProvider` and `vod_provider.template_resource.AITemplateProvider` are unpickled by
the engine from every resource's `__provider` to diff, refresh and delete it. Moving or renaming either class would
strand every stack in the field, so a checkpoint recorded before the layout change is replayed here, through the
real CLI: import, preview (0 changes), refresh, destroy.
"""

from __future__ import annotations

import base64
import json
import pickletools
from pathlib import Path

from tests.support.account import TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PROJECT_ROOT, PulumiStack, steps_by_op

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "checkpoints" / "layout-v1-legacy.json"
LEGACY_TEMPLATE = {"TemplateId": "fc4a6694eea835e6ad884da2939dee60", "TemplateName": "legacy-covers",
                   "TemplateType": "AIImage", "TemplateConfig": '{"Format":"gif","SetDefaultCover":"true"}'}
LEGACY_JOBS = {"legacy-keynote-cover": "4f6194b60251905bde61032dff905535",
               "legacy-trailer-cover": "e4163026add51a8cc4ecd05c48cd168d"}
LEGACY_SPEC = f"""
    templates:
      legacy-covers:
        format: gif
        setDefaultCover: true
    jobs:
      legacy-trailer-cover:
        videoId: {VIDEOS["trailer"]}
        template: legacy-covers
        userData:
          Extend:
            campaign: legacy
      legacy-keynote-cover:
        videoId: {VIDEOS["keynote"]}
        templateId: 7d2e4f6a8b0c4d1e9f3a5b7c9d1e3f5a
        revision: 2
"""


def pickled_class_paths(checkpoint: dict[str, object]) -> set[str]:
    """`module.Class` of every `__provider` pickle in a checkpoint (by-reference pickles name exactly that)."""
    paths = set()
    for resource in checkpoint["deployment"]["resources"]:  # type: ignore[index]
        pickled = (resource.get("outputs") or {}).get("__provider")
        if isinstance(pickled, str):
            strings = [arg for op, arg, _ in pickletools.genops(base64.b64decode(pickled)) if isinstance(arg, str)]
            paths.add(".".join(strings[:2]))
    return paths


def legacy_stack(tmp_path: Path, pulumi_home: Path, emulator: EmulatorProcess) -> PulumiStack:
    stack = PulumiStack(tmp_path, "legacy", pulumi_home).init(emulator.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
    stack.write_spec("legacy.yaml", LEGACY_SPEC)
    recorded = tmp_path / "legacy.json"
    # refresh and destroy use the provider config recorded in state: point it at this test's emulator.
    recorded.write_text(FIXTURE.read_text().replace("@ENDPOINT@", emulator.url))
    stack.run("stack", "import", "--stack", stack.name, "--file", str(recorded))
    return stack


def test_the_recorded_provider_paths_are_the_two_kept_forever() -> None:
    checkpoint = json.loads(FIXTURE.read_text())

    assert pickled_class_paths(checkpoint) == {
        "vod_provider.resources.AIImageJobProvider", "vod_provider.template_resource.AITemplateProvider",
    }


def test_a_stack_recorded_before_the_layout_change_previews_refreshes_and_destroys(
    tmp_path: Path, pulumi_home: Path, emulator: EmulatorProcess,
) -> None:
    emulator.add_templates(LEGACY_TEMPLATE)
    stack = legacy_stack(tmp_path, pulumi_home, emulator)
    since = emulator.log_position()

    digest = json.loads(stack.run("preview", "--json", "--show-sames", "--stack", stack.name).stdout)
    assert steps_by_op(digest) == {"same": ["legacy-covers", *sorted(LEGACY_JOBS)]}
    assert digest["changeSummary"] == {"same": 4}  # the three resources and the stack
    assert emulator.calls(since) == []  # a preview of recorded jobs asks the API nothing

    stack.run("refresh", "--yes", "--stack", stack.name)
    assert {name: r.id for name, r in stack.recorded("AITemplate").items()} == {"legacy-covers": LEGACY_TEMPLATE["TemplateId"]}
    # This emulator never ran the legacy jobs: they stay recorded, marked notFound, never dropped.
    assert {name: (r.id, r.outputs["status"]) for name, r in stack.recorded().items()} == {
        name: (job_id, "notFound") for name, job_id in LEGACY_JOBS.items()}

    stack.run("destroy", "--yes", "--stack", stack.name)
    assert [c["params"]["TemplateId"] for c in emulator.calls(since, "DeleteAITemplate")] == [LEGACY_TEMPLATE["TemplateId"]]
    assert emulator.calls(since, "SubmitAIImageJob") == []
