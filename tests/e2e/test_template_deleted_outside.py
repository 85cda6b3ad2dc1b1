"""A template deleted in VOD outside vodjobs is created again by the next up, and no job that names it runs again."""

from __future__ import annotations

from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack, steps_by_op
from tests.support.vodjobs_command import vodjobs_preview
from vod_provider.api.client import VodClient
from vod_provider.api.credentials import Credentials


def covers(trailer_template: str = "animated-cover") -> str:
    return f"""
    templates:
      animated-cover:
        format: gif
        setDefaultCover: true
      still:
        format: png
        setDefaultCover: false
    jobs:
      trailer-cover:
        videoId: {VIDEOS["trailer"]}
        template: {trailer_template}
      keynote-cover:
        videoId: {VIDEOS["keynote"]}
        template: animated-cover
      interview-cover:
        videoId: {VIDEOS["interview"]}
        templateId: {TEMPLATE}
    """


def test_a_template_deleted_outside_vodjobs_is_created_again_and_no_job_is_submitted_again(
    stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    stack.write_spec("covers.yaml", covers())
    stack.up()
    job_ids = stack.outputs()["jobIds"]
    deleted = stack.outputs()["templateIds"]["animated-cover"]
    VodClient(emulator.url, Credentials(TEST_KEY.access_key_id, TEST_KEY.access_key_secret)).delete_ai_template(deleted)

    refreshed = stack.run("refresh", "--yes", "--skip-preview", "--stack", stack.name)

    assert f"warning: template 'animated-cover' ({deleted}) is not known to the service any more" in refreshed.output
    assert steps_by_op(stack.preview_json()) == {"create": ["animated-cover"]}
    code, planned = vodjobs_preview(stack)
    assert code == 0
    assert {job["name"]: job["action"] for job in planned["jobs"]} == dict.fromkeys(job_ids, "unchanged")
    assert {t["name"]: t["action"] for t in planned["templates"]} == {"animated-cover": "create", "still": "unchanged"}
    assert planned["apiCalls"] == {"AddAITemplate": 1}

    mark = emulator.log_position()
    stack.up()

    assert [call["action"] for call in emulator.calls(mark)] == ["AddAITemplate"]
    assert stack.outputs()["jobIds"] == job_ids
    assert stack.outputs()["templateIds"]["animated-cover"] not in (deleted, None)
    stack.preview("--expect-no-changes")


def test_a_job_moved_to_another_template_is_still_submitted_again(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("covers.yaml", covers())
    stack.up()
    stack.write_spec("covers.yaml", covers(trailer_template="still"))

    digest = stack.preview_json()

    [step] = [s for s in digest["steps"] if s["op"] == "replace"]
    assert step["urn"].endswith("::trailer-cover") and step["replaceReasons"] == ["template"]
    mark = emulator.log_position()
    stack.up()
    assert len(emulator.calls(mark, "SubmitAIImageJob")) == 1
