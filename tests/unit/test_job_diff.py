"""Which declared changes re-run a job: a table of recorded job → declared job → replaced fields."""

from __future__ import annotations

from typing import Any

import pytest

from vod_provider.providers.diff import UNKNOWN, diff_job, job_essence

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


def test_a_change_says_old_and_new_value() -> None:
    diff = diff_job(RECORDED, {**DECLARED, "userData": '{"Extend":{"campaign":"summer"}}'})

    assert [str(c) for c in diff.changes] == [
        """userData: '{"Extend":{"campaign":"spring"}}' → '{"Extend":{"campaign":"summer"}}'"""
    ]


def test_the_essence_drops_provider_outputs_and_nones() -> None:
    assert job_essence({**RECORDED, "pipelineId": None}) == {
        "videoId": RECORDED["videoId"], "templateId": RECORDED["templateId"], "userData": RECORDED["userData"],
    }
