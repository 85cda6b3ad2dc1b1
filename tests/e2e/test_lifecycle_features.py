"""Templates, renames, re-runs, waiting and adoption, as a media team uses them through `pulumi up`."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from alibabacloud_tea_openapi.models import Config
from alibabacloud_vod20170321.client import Client
from alibabacloud_vod20170321.models import SubmitAIImageJobRequest

from tests.support.account import OTHER_TEMPLATE, TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack, steps_by_op
from tests.support.specs import animated_cover, spec_yaml, templated_job

FAILING_VIDEO = "d" * 32


def recorded(stack: PulumiStack, type_name: str = "AIImageJob") -> dict[str, dict[str, object]]:
    return {name: resource.outputs for name, resource in stack.recorded(type_name).items()}


def templated(fmt: str) -> str:
    return spec_yaml({"trailer-cover": templated_job(VIDEOS["trailer"]), "keynote-cover": templated_job(VIDEOS["keynote"])},
                     templates=animated_cover(fmt))


def test_a_template_is_created_first_edited_in_place_and_deleted_last(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("covers.yaml", templated("gif"))
    mark = emulator.log_position()
    stack.up()
    actions = [c["action"] for c in emulator.calls(mark)]
    assert actions[0] == "AddAITemplate" and actions.count("SubmitAIImageJob") == 2
    template_id = stack.outputs()["templateIds"]["animated-cover"]
    assert {o["templateId"] for o in recorded(stack).values()} == {template_id}
    job_ids = stack.outputs()["jobIds"]

    stack.write_spec("covers.yaml", templated("png"))
    assert steps_by_op(stack.preview_json()) == {"update": ["animated-cover"]}
    mark = emulator.log_position()
    stack.up()
    assert [c["action"] for c in emulator.calls(mark)] == ["UpdateAITemplate"]
    assert emulator.calls(mark)[0]["params"]["TemplateConfig"] == '{"Format":"png","SetDefaultCover":"true"}'
    assert stack.outputs()["jobIds"] == job_ids

    stack.write_spec("covers.yaml", "jobs: {}\n")
    mark = emulator.log_position()
    stack.up()
    assert [c["action"] for c in emulator.calls(mark)] == ["DeleteAITemplate"]
    assert recorded(stack) == {} and recorded(stack, "AITemplate") == {}


BASE = {"videoId": VIDEOS["trailer"], "templateId": TEMPLATE, "userData": "{Extend: {campaign: spring}}",
        "pipelineId": "6492025b8f4a4b1e96ba5bb755a33438"}
CHANGED = {"videoId": VIDEOS["interview"], "templateId": OTHER_TEMPLATE, "userData": "{Extend: {campaign: summer}}",
           "pipelineId": "1111111111111111aaaaaaaaaaaaaaaa", "revision": "1"}


def job_yaml(name: str, fields: dict[str, str]) -> str:
    return spec_yaml({name: fields})


def test_changing_any_job_field_replaces_the_job_naming_that_field(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("job.yaml", job_yaml("cover", BASE))
    stack.up()
    for field, value in CHANGED.items():
        fields = {**BASE, field: value}
        stack.write_spec("job.yaml", job_yaml("cover", fields))

        digest = stack.preview_json()
        [step] = [s for s in digest["steps"] if s["op"] == "replace"]
        assert step["replaceReasons"] == [field]
        mark = emulator.log_position()
        stack.up()
        assert len(emulator.calls(mark, "SubmitAIImageJob")) == 1, field
        BASE[field] = value  # the next change starts from here


def test_renaming_a_job_with_aliases_submits_nothing_and_records_the_new_name(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    fields = {"videoId": VIDEOS["teaser"], "templateId": TEMPLATE}
    stack.write_spec("job.yaml", job_yaml("teaser-cover", fields))
    stack.up()
    job_id = stack.outputs()["jobIds"]["teaser-cover"]
    stack.write_spec("job.yaml", job_yaml("spring-teaser-cover", {**fields, "aliases": "[teaser-cover]"}))
    mark = emulator.log_position()

    preview = stack.preview_json()
    assert [step["op"] for step in preview["steps"] if step["urn"].endswith("::spring-teaser-cover")] == ["update"]
    assert "renamed from 'teaser-cover'; nothing is submitted" in json.dumps(preview.get("diagnostics", []))
    shown = stack.preview().stdout
    assert f'+ spring-teaser-cover: "{job_id}"' in shown, shown  # the renamed job's JobId stays known in the preview
    stack.up()
    stack.up("--expect-no-changes")

    assert emulator.calls(mark, "SubmitAIImageJob") == []
    assert stack.outputs()["jobIds"] == {"spring-teaser-cover": job_id}
    assert stack.recorded()["spring-teaser-cover"].outputs["jobName"] == "spring-teaser-cover"
    # Removing it later names it as the specs last did (the delete sees only the recorded outputs).
    stack.write_spec("job.yaml", "jobs: {}\n")
    removed = stack.up()
    assert "job 'spring-teaser-cover': forgot job" in removed.output and "'teaser-cover'" not in removed.output


def test_a_waited_job_that_fails_is_recorded_reported_and_rerun_by_revision(
    stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    emulator.add_videos({"VideoId": FAILING_VIDEO, "Title": "broken upload", "FailAIJobs": True})
    fields = {"videoId": FAILING_VIDEO, "templateId": TEMPLATE, "wait": "1m"}
    stack.write_spec("job.yaml", job_yaml("broken-cover", fields))

    run = stack.up(check=False)

    assert run.returncode != 0
    assert "job 'broken-cover'" in run.output and "AIImageJobFailed" in run.output
    [outs] = recorded(stack).values()
    assert outs["status"] == "fail" and outs["errorCode"] == "AIImageJobFailed"
    first_job = outs["jobId"]

    stack.write_spec("job.yaml", job_yaml("broken-cover", {**fields, "revision": "1"}))
    mark = emulator.log_position()
    stack.up(check=False)
    assert len(emulator.calls(mark, "SubmitAIImageJob")) == 1
    assert recorded(stack)["broken-cover"]["jobId"] != first_job


def test_a_job_submitted_with_the_official_sdk_is_adopted_without_submitting(
    stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    sdk = Client(Config(access_key_id=TEST_KEY.access_key_id, access_key_secret=TEST_KEY.access_key_secret,
                        region_id="cn-shanghai", endpoint=urlsplit(emulator.url).netloc, protocol="http"))
    legacy = sdk.submit_aiimage_job(SubmitAIImageJobRequest(video_id=VIDEOS["keynote"], aitemplate_id=OTHER_TEMPLATE))
    job_id = legacy.body.job_id
    fields = {"videoId": VIDEOS["keynote"], "templateId": OTHER_TEMPLATE, "adopt": job_id}
    stack.write_spec("legacy.yaml", job_yaml("legacy-cover", fields))
    mark = emulator.log_position()

    stack.up()

    assert emulator.calls(mark, "SubmitAIImageJob") == []
    assert stack.outputs()["jobIds"] == {"legacy-cover": job_id}
    stack.preview("--expect-no-changes")

    stack.write_spec("legacy.yaml", job_yaml("other-cover", {**fields, "videoId": VIDEOS["trailer"]}))
    refused = stack.preview(check=False)
    assert refused.returncode != 0
    assert f"videoId: spec '{VIDEOS['trailer']}', job '{VIDEOS['keynote']}'" in refused.output
