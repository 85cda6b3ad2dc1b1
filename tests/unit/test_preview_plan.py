"""vod_provider.cli.preview_plan: each kind of engine step becomes the job action a reviewer reads, with its API calls."""

from __future__ import annotations

from typing import Any

import pytest

from vod_provider.cli.preview_plan import (
    JOB_TYPE,
    TEMPLATE_TYPE,
    Change,
    PreviewDigestError,
    TemplateUse,
    look_alike_sentence,
    plan_preview,
)
from vod_provider.providers.diff import UNKNOWN
from vod_provider.spec.model import JobSpec, SpecSet, TemplateSpec

VIDEO, OTHER_VIDEO = "a" * 32, "b" * 32
TEMPLATE_ID, TEMPLATE_RESOURCE_ID = "c" * 32, "d" * 32


def job(name: str, template_id: str | None = TEMPLATE_ID, template_name: str | None = None, **fields: Any) -> JobSpec:
    return JobSpec(name, fields.pop("video_id", VIDEO), template_id if template_name is None else None, fields.pop("user_data", None),
                   None, "specs/jobs.yaml", fields.pop("line", 3), template_name=template_name, **fields)


def specs(*jobs: JobSpec, templates: tuple[TemplateSpec, ...] = ()) -> SpecSet:
    return SpecSet(tuple(jobs), ("specs/jobs.yaml",), templates)


def state(name: str, inputs: dict[str, Any] | None, type_: str = JOB_TYPE, id_: str | None = "f" * 32) -> dict[str, Any] | None:
    if inputs is None:
        return None
    return {"urn": f"urn:pulumi:prod::vodjobs::{type_}::{name}", "type": type_, "id": id_, "inputs": inputs}


def step(op: str, name: str, old: dict[str, Any] | None = None, new: dict[str, Any] | None = None, *,
         type_: str = JOB_TYPE, old_name: str | None = None, reasons: list[str] | None = None, old_id: str = "f" * 32) -> dict[str, Any]:
    return {"op": op, "urn": f"urn:pulumi:prod::vodjobs::{type_}::{name}", "replaceReasons": reasons or [],
            "oldState": state(old_name or name, old, type_, old_id), "newState": state(name, new, type_, None)}


JOB_INPUTS = {"videoId": VIDEO, "templateId": TEMPLATE_ID}
GIF = {"templateName": "cover", "templateConfig": '{"Format":"gif","SetDefaultCover":"true"}'}
PNG = {"templateName": "cover", "templateConfig": '{"Format":"png","SetDefaultCover":"true"}'}
COVER = TemplateSpec("cover", "png", True, "specs/jobs.yaml", 1)


@pytest.mark.parametrize(("the_step", "declared", "action", "changes"), [
    (step("create", "new", new=JOB_INPUTS), job("new"), "submit", ()),
    (step("same", "kept", JOB_INPUTS, JOB_INPUTS), job("kept"), "unchanged", ()),
    (step("replace", "edited", {**JOB_INPUTS, "userData": '{"Extend":{"a":1}}'}, {**JOB_INPUTS, "userData": '{"Extend":{"a":2}}'},
          reasons=["userData"]),
     job("edited"), "replace", (Change("userData.Extend.a", "1", "2"),)),
    (step("replace", "retagged", {**JOB_INPUTS, "userData": '{"Extend":{"campaign":"spring","old":1}}'},
          {**JOB_INPUTS, "userData": '{"Extend":{"campaign":"summer","new":[1]}}'}, reasons=["userData"]),
     job("retagged"), "replace", (Change("userData.Extend.campaign", "'spring'", "'summer'"), Change("userData.Extend.new", "(none)", "[1]"),
                                  Change("userData.Extend.old", "1", "(none)"))),
    (step("replace", "tagged", JOB_INPUTS, {**JOB_INPUTS, "userData": '{"Extend":{"a":1}}'}, reasons=["userData"]),
     job("tagged"), "replace", (Change("userData", "(none)", '{"Extend":{"a":1}}'),)),
    (step("replace", "rerun", JOB_INPUTS, {**JOB_INPUTS, "revision": 1.0}, reasons=["revision"]),
     job("rerun", revision=1), "replace", (Change("revision", "0", "1"),)),
    (step("replace", "moved", JOB_INPUTS, {**JOB_INPUTS, "pipelineId": "e" * 32}, reasons=["pipelineId"]),
     job("moved"), "replace", (Change("pipelineId", "(none)", "e" * 32),)),
    (step("replace", "retemplated", JOB_INPUTS, {**JOB_INPUTS, "templateId": UNKNOWN}, reasons=["templateId"]),
     job("retemplated", template_name="cover"), "replace", (Change("templateId", TEMPLATE_ID, "cover (new)"),)),
    (step("replace", "switched", {**JOB_INPUTS, "template": "cover"}, {**JOB_INPUTS, "template": "still", "templateId": UNKNOWN},
          reasons=["template"]),
     job("switched", template_name="still"), "replace", (Change("template", "cover", "still"),)),
    (step("replace", "hidden", {**JOB_INPUTS, "userData": "[secret]"}, {**JOB_INPUTS, "userData": "[secret]"}, reasons=["userData"]),
     job("hidden", user_data_secret=True), "replace", (Change("userData", "[secret]", "[secret]"),)),
], ids=["submit", "unchanged", "replace-userData", "replace-userData-keys-changed-added-removed", "replace-userData-added",
        "replace-revision", "replace-pipelineId", "replace-template-to-be-created",
        "replace-other-template", "replace-secret-userData-stays-hidden"])
def test_each_step_becomes_the_job_action_with_the_fields_that_changed(
    the_step: dict[str, Any], declared: JobSpec, action: str, changes: tuple[Change, ...]
) -> None:
    (row,) = plan_preview({"steps": [the_step]}, specs(declared)).jobs

    assert (row.name, row.action, row.changes) == (declared.name, action, changes)
    assert str(row.spec) == "specs/jobs.yaml:3"


def test_a_new_job_that_adopts_a_job_id_is_adopted_and_submits_nothing() -> None:
    plan = plan_preview({"steps": [step("create", "legacy", new={**JOB_INPUTS, "adopt": "9" * 32})]},
                        specs(job("legacy", adopt="9" * 32)))

    assert [(r.action, r.adopt, r.adopt_verified) for r in plan.jobs] == [("adopt", "9" * 32, True)]
    assert plan.api_calls == ()


def test_an_adoption_the_provider_could_not_look_up_for_want_of_a_key_is_not_verified() -> None:
    digest = {"steps": [step("create", "legacy", new={**JOB_INPUTS, "adopt": "9" * 32}),
                        step("create", "checked", new={**JOB_INPUTS, "adopt": "8" * 32})],
              "diagnostics": [{"message": f"vodjobs: job 'legacy': will adopt {'9' * 32} (not verified: no read key)\n\n",
                               "severity": "info#err"}]}

    plan = plan_preview(digest, specs(job("legacy", adopt="9" * 32), job("checked", adopt="8" * 32)))

    assert [(r.name, r.adopt_verified) for r in plan.jobs] == [("checked", True), ("legacy", False)]


def test_a_replaced_or_removed_job_names_the_job_id_the_state_forgets() -> None:
    plan = plan_preview({"steps": [
        step("replace", "rerun", JOB_INPUTS, {**JOB_INPUTS, "revision": 1.0}, reasons=["revision"], old_id="1" * 32),
        step("delete", "gone", JOB_INPUTS, old_id="2" * 32),
        step("same", "kept", JOB_INPUTS, JOB_INPUTS, old_id="3" * 32),
    ]}, specs(job("rerun", revision=1), job("kept")))

    assert [(r.name, r.action, r.job_id) for r in plan.jobs] == [("rerun", "replace", "1" * 32), ("gone", "forget", "2" * 32),
                                                                  ("kept", "unchanged", None)]


def test_an_unchanged_job_recorded_under_an_alias_is_a_rename() -> None:
    plan = plan_preview({"steps": [step("same", "new-name", JOB_INPUTS, JOB_INPUTS, old_name="old-name")]},
                        specs(job("new-name", aliases=("old-name",))))

    assert [(r.action, r.former_name) for r in plan.jobs] == [("rename", "old-name")]


def test_a_removed_job_is_forgotten_and_named_by_its_template_when_vodjobs_manages_it() -> None:
    plan = plan_preview({"steps": [
        step("delete", "gone", {"videoId": OTHER_VIDEO, "templateId": TEMPLATE_RESOURCE_ID}),
        step("same", "cover", GIF, GIF, type_=TEMPLATE_TYPE, old_id=TEMPLATE_RESOURCE_ID),
    ]}, specs(templates=(TemplateSpec("cover", "gif", True, "specs/jobs.yaml", 1),)))

    (row,) = plan.jobs
    assert (row.action, row.video_id, row.template, row.spec) == ("forget", OTHER_VIDEO, "cover", None)
    assert plan.api_calls == ()


def test_a_template_created_again_outside_vodjobs_replaces_none_of_the_jobs_that_name_it() -> None:
    named = {**JOB_INPUTS, "template": "cover", "templateId": TEMPLATE_RESOURCE_ID}
    plan = plan_preview({"steps": [
        step("create", "cover", new=PNG, type_=TEMPLATE_TYPE),
        step("same", "kept", named, {**named, "templateId": UNKNOWN}),
    ]}, specs(job("kept", template_name="cover"), templates=(COVER,)))

    assert [(r.name, r.action, r.template) for r in plan.jobs] == [("kept", "unchanged", "cover")]
    assert plan.api_calls == (("AddAITemplate", 1),)
    assert plan.jobs_per_template == (TemplateUse("cover", 1, 0),)


def test_a_removed_job_that_named_a_template_is_shown_with_that_name() -> None:
    plan = plan_preview({"steps": [step("delete", "gone", {**JOB_INPUTS, "template": "cover"})]}, specs())

    assert [(r.action, r.template) for r in plan.jobs] == [("forget", "cover")]


def test_template_steps_become_template_calls_and_an_edit_names_what_changed() -> None:
    plan = plan_preview({"steps": [
        step("update", "cover", GIF, PNG, type_=TEMPLATE_TYPE),
        step("create", "still", new={"templateName": "still", "templateConfig": '{"Format":"png","SetDefaultCover":"false"}'},
             type_=TEMPLATE_TYPE),
        step("delete", "old", {"templateName": "old", "templateConfig": '{"Format":"gif","SetDefaultCover":"false"}'}, type_=TEMPLATE_TYPE),
    ]}, specs(templates=(COVER, TemplateSpec("still", "png", False, "specs/jobs.yaml", 2))))

    assert [(t.name, t.action, t.config, t.changes) for t in plan.templates] == [
        ("still", "create", "format png, setDefaultCover false", ()),
        ("cover", "update", "format png, setDefaultCover true", (Change("format", "gif", "png"),)),
        ("old", "delete", "format gif, setDefaultCover false", ()),
    ]
    assert plan.api_calls == (("AddAITemplate", 1), ("UpdateAITemplate", 1), ("DeleteAITemplate", 1))


def test_submits_and_replacements_are_counted_as_submit_calls_and_per_template() -> None:
    plan = plan_preview({"steps": [
        step("create", "a", new=JOB_INPUTS),
        step("create", "b", new={**JOB_INPUTS, "templateId": UNKNOWN, "waitSeconds": 60}),
        step("replace", "c", JOB_INPUTS, {**JOB_INPUTS, "revision": 2}, reasons=["revision"]),
        step("same", "d", JOB_INPUTS, JOB_INPUTS),
        step("delete", "e", JOB_INPUTS),
        step("create", "cover", new=PNG, type_=TEMPLATE_TYPE),
    ]}, specs(job("a"), job("b", template_name="cover", wait_seconds=60.0), job("c", revision=2), job("d"), templates=(COVER,)))

    assert [(r.name, r.action) for r in plan.jobs] == [("a", "submit"), ("b", "submit"), ("c", "replace"), ("e", "forget"), ("d", "unchanged")]
    assert plan.api_calls == (("SubmitAIImageJob", 3), ("AddAITemplate", 1))
    assert plan.waiting_jobs == 1
    assert plan.jobs_per_template == (TemplateUse(TEMPLATE_ID, 3, 2), TemplateUse("cover", 1, 1))


@pytest.mark.parametrize(("the_step", "message"), [
    (step("import", "a", JOB_INPUTS, JOB_INPUTS), "plans a 'import' step"),
    (step("create", "undeclared", new=JOB_INPUTS), "in no spec file"),
    (step("replace", "cover", GIF, PNG, type_=TEMPLATE_TYPE), "plans a 'replace' step"),
], ids=["job-import", "job-without-spec", "template-replace"])
def test_a_step_vodjobs_cannot_explain_is_an_error_not_a_guess(the_step: dict[str, Any], message: str) -> None:
    with pytest.raises(PreviewDigestError, match=message):
        plan_preview({"steps": [the_step]}, specs(job("a"), templates=(COVER,)))


def test_the_stack_and_the_halves_of_a_replacement_are_not_jobs() -> None:
    stack = {"op": "same", "urn": "urn:pulumi:prod::vodjobs::pulumi:pulumi:Stack::vodjobs-prod",
             "oldState": {"urn": "x", "type": "pulumi:pulumi:Stack"}, "newState": {"urn": "x", "type": "pulumi:pulumi:Stack"}}
    halves = [step("create-replacement", "a", JOB_INPUTS, JOB_INPUTS), step("delete-replaced", "a", JOB_INPUTS, JOB_INPUTS)]

    assert plan_preview({"steps": [stack, *halves]}, specs(job("a"))).jobs == ()


def test_a_new_job_with_the_inputs_of_a_forgotten_one_is_named_as_a_look_alike_rename() -> None:
    other = {"videoId": "b" * 32, "templateId": TEMPLATE_ID}
    plan = plan_preview({"steps": [
        step("delete", "spring-cover", old=JOB_INPUTS),
        step("create", "summer-cover", new=JOB_INPUTS),  # same inputs, new name, no alias
        step("create", "fresh-cover", new=other),
        step("delete", "gone-cover", old={**other, "revision": 1}),  # not the same job: another revision
    ]}, specs(job("summer-cover"), job("fresh-cover")))

    assert plan.look_alike_renames == (("spring-cover", "summer-cover"),)
    sentence = look_alike_sentence(plan.look_alike_renames, lambda name: f"`{name}`")
    assert sentence is not None and sentence.startswith("looks like a rename: 1 new job has the same inputs as jobs this up "
                                                         "forgets (`spring-cover` → `summer-cover`)")
    assert look_alike_sentence((), str) is None
