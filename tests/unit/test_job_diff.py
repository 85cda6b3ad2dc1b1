"""Which declared changes re-run a job: tables of recorded job → declared job → replaced fields."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from vod_provider.providers.diff import UNKNOWN, diff_job, job_essence, job_identity

RECORDED = {
    "__provider": "gASV...",
    "videoId": "2b8f0c6e4d1a4f7e9c3b5a7d6e8f0a1b",
    "templateId": "7d2e4f6a8b0c4d1e9f3a5b7c9d1e3f5a",
    "userData": '{"Extend":{"campaign":"spring"}}',
    "jobId": "fbbf28864586d6bf6a816745c18b80c3",
    "requestId": "E5A87E1F-734F-4BCF-90CC-C1C00545D253",
}
DECLARED = {k: v for k, v in RECORDED.items() if k not in ("jobId", "requestId")}


@pytest.mark.parametrize(
    ("declared", "replaced"),
    [
        pytest.param(DECLARED, [], id="same inputs"),
        pytest.param({**DECLARED, "__provider": "gASV-other"}, [], id="provider pickle changed"),
        pytest.param({**DECLARED, "pipelineId": None}, [], id="absent and None optional input"),
        pytest.param({**DECLARED, "videoId": "5c9a1e3b7d2f4a6c8e0b2d4f6a8c0e2d"}, ["videoId"], id="other video"),
        pytest.param({**DECLARED, "userData": '{"Extend":{"campaign":"summer"}}'}, ["userData"], id="other userData"),
        pytest.param({k: v for k, v in DECLARED.items() if k != "userData"}, ["userData"], id="userData removed"),
        pytest.param({**DECLARED, "pipelineId": "6492025b8f4a4b1e96ba5bb755a33438"}, ["pipelineId"], id="pipeline added"),
        pytest.param({**DECLARED, "templateId": UNKNOWN}, ["templateId"], id="unknown during preview"),
        pytest.param({**DECLARED, "videoId": "x", "templateId": "y"}, ["videoId", "templateId"], id="two fields"),
    ],
)
def test_only_job_inputs_decide_a_replacement(declared: dict[str, Any], replaced: list[str]) -> None:
    diff = diff_job(RECORDED, declared)

    assert diff.changed_fields == replaced
    assert bool(diff) == bool(replaced)


TEMPLATE_ID, RECREATED_ID, OTHER_ID = "7d2e4f6a8b0c4d1e9f3a5b7c9d1e3f5a", "a" * 32, "b" * 32
NAMED = {**DECLARED, "template": "animated-cover", "templateId": TEMPLATE_ID}
LEGACY = {k: v for k, v in NAMED.items() if k != "template"}  # recorded before jobs named their template: by id only


@pytest.mark.parametrize(
    ("recorded", "declared", "replaced"),
    [
        pytest.param(NAMED, NAMED, [], id="same template"),
        pytest.param(NAMED, {**NAMED, "templateId": RECREATED_ID}, [], id="template created again: new id"),
        pytest.param(NAMED, {**NAMED, "templateId": UNKNOWN}, [], id="template to be created again: id unknown"),
        pytest.param(NAMED, {**NAMED, "template": "still", "templateId": UNKNOWN}, ["template"], id="other template"),
        pytest.param(NAMED, {**NAMED, "template": "still", "templateId": OTHER_ID}, ["template"], id="other existing template"),
        pytest.param(LEGACY, NAMED, [], id="recorded by id, same id"),
        pytest.param(LEGACY, {**NAMED, "templateId": UNKNOWN}, ["templateId"], id="recorded by id, template to be created"),
        pytest.param(LEGACY, {**NAMED, "templateId": OTHER_ID}, ["templateId"], id="recorded by id, other id"),
        pytest.param(NAMED, LEGACY, [], id="named, now the same id literally"),
        pytest.param(NAMED, {**LEGACY, "templateId": OTHER_ID}, ["templateId"], id="named, now another id literally"),
        pytest.param(NAMED, {**NAMED, "templateId": RECREATED_ID, "revision": 1.0}, ["revision"], id="revision bumped"),
    ],
)
def test_a_job_naming_a_template_is_identified_by_the_name_and_else_by_the_id(
    recorded: dict[str, Any], declared: dict[str, Any], replaced: list[str]
) -> None:
    assert diff_job(recorded, declared).changed_fields == replaced


def test_an_unknown_value_is_shown_as_known_after_the_up() -> None:
    (change,) = diff_job(LEGACY, {**NAMED, "templateId": Unknown()}).changes

    assert str(change) == f"templateId: '{TEMPLATE_ID}' → (known after the up)"


def test_a_change_says_old_and_new_value() -> None:
    diff = diff_job(RECORDED, {**DECLARED, "userData": '{"Extend":{"campaign":"summer"}}'})

    assert [str(c) for c in diff.changes] == [
        """userData: '{"Extend":{"campaign":"spring"}}' → '{"Extend":{"campaign":"summer"}}'"""
    ]


def test_the_essence_drops_provider_outputs_and_nones() -> None:
    assert job_essence({**RECORDED, "pipelineId": None}) == {
        "videoId": RECORDED["videoId"], "templateId": RECORDED["templateId"], "userData": RECORDED["userData"],
    }


def test_the_identity_adds_the_named_template_to_the_essence_the_journal_digests() -> None:
    essence = {"videoId": NAMED["videoId"], "templateId": TEMPLATE_ID, "userData": NAMED["userData"]}

    assert job_essence(NAMED) == essence
    assert job_identity(NAMED) == {**essence, "template": "animated-cover"}
    assert job_identity(LEGACY) == essence


def test_an_absent_revision_reads_as_its_default_0_as_in_the_summary() -> None:
    from vod_provider.providers.diff import FieldChange

    assert str(FieldChange("revision", None, 1.0)) == "revision: 0 → 1"
    assert str(FieldChange("pipelineId", None, "p")) == "pipelineId: (none) → 'p'"
