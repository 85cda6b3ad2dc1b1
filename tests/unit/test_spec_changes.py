"""vod_provider.cli.spec_changes: a pull request's spec changes against its base, with no state (the fork fallback)."""

from __future__ import annotations

from typing import Any

from vod_provider.cli.preview_plan import Change, TemplateUse
from vod_provider.cli.spec_changes import plan_spec_changes
from vod_provider.spec.model import JobSpec, SpecSet, TemplateSpec

VIDEO, OTHER_VIDEO, TEMPLATE_ID = "a" * 32, "b" * 32, "c" * 32


def job(name: str, **fields: Any) -> JobSpec:
    template_name = fields.pop("template_name", None)
    return JobSpec(name, fields.pop("video_id", VIDEO), None if template_name else TEMPLATE_ID, fields.pop("user_data", None),
                   None, "specs/jobs.yaml", fields.pop("line", 3), template_name=template_name, **fields)


def specs(*jobs: JobSpec, templates: tuple[TemplateSpec, ...] = ()) -> SpecSet:
    return SpecSet(tuple(jobs), ("specs/jobs.yaml",), templates)


def test_each_kind_of_spec_change_becomes_the_action_an_up_would_take_if_the_state_matched_the_base() -> None:
    base = specs(job("kept"), job("edited", user_data='{"Extend":{"campaign":"spring"}}'), job("old-name"), job("removed"),
                 job("rerun"), templates=(TemplateSpec("cover", "gif", True, "specs/jobs.yaml", 1),))
    head = specs(job("kept"), job("edited", user_data='{"Extend":{"campaign":"summer"}}'), job("new-name", aliases=("old-name",)),
                 job("added", template_name="still"), job("legacy", adopt="9" * 32), job("rerun", revision=1),
                 templates=(TemplateSpec("cover", "png", True, "specs/jobs.yaml", 1), TemplateSpec("still", "png", False, "specs/jobs.yaml", 2)))

    plan = plan_spec_changes(base, head)

    assert [(r.name, r.action, r.changes) for r in plan.jobs] == [
        ("added", "submit", ()),
        ("edited", "replace", (Change("userData.Extend.campaign", "'spring'", "'summer'"),)),
        ("rerun", "replace", (Change("revision", "0", "1"),)),
        ("legacy", "adopt", ()),
        ("new-name", "rename", ()),
        ("removed", "forget", ()),
        ("kept", "unchanged", ()),
    ]
    assert [r.adopt_verified for r in plan.jobs if r.action == "adopt"] == [False]
    assert [(t.name, t.action, t.changes) for t in plan.templates] == [
        ("still", "create", ()), ("cover", "update", (Change("format", "gif", "png"),))]
    assert plan.api_calls == (("SubmitAIImageJob", 3), ("AddAITemplate", 1), ("UpdateAITemplate", 1))
    assert TemplateUse("still", 1, 1) in plan.jobs_per_template


def test_a_secret_user_data_change_is_shown_as_a_secret() -> None:
    base = specs(job("hidden", user_data='{"Extend":{"token":"old"}}', user_data_secret=True))
    head = specs(job("hidden", user_data='{"Extend":{"token":"new"}}', user_data_secret=True))

    (row,) = plan_spec_changes(base, head).jobs

    assert row.changes == (Change("userData", "[secret]", "[secret]"),)


def test_an_empty_base_submits_every_job() -> None:
    plan = plan_spec_changes(SpecSet((), ()), specs(job("first"), job("second", video_id=OTHER_VIDEO)))

    assert [r.action for r in plan.jobs] == ["submit", "submit"]
