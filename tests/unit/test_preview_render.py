"""vod_provider.cli.preview_render: what reviewers and machines read, compared whole with golden files.

every-action/ holds a real digest (see capture_every_action.py) that touches every job and
template action, and the specs it was previewed with.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.golden import GOLDEN_DIR, assert_matches_golden
from tests.support.preview_plans import job_set_plan
from vod_provider.cli.preview_plan import PreviewFailure, PreviewOutcome, PreviewPlan, plan_preview
from vod_provider.cli.preview_render import render_github_annotations, render_json, render_markdown
from vod_provider.spec.loader import JobSpec, SpecIssue, SpecSet, load_spec_files

EVERY_ACTION = GOLDEN_DIR / "preview" / "every-action"


def every_action_plan() -> PreviewPlan:
    specs = load_spec_files(sorted((EVERY_ACTION / "specs").glob("*.yaml")), EVERY_ACTION)
    return plan_preview(json.loads((EVERY_ACTION / "digest.json").read_text()), specs)


def failed_earlier_plan() -> PreviewPlan:
    """A stack holding a job that failed in an earlier run, previewed with one new job beside it."""
    urn = "urn:pulumi:prod::vodjobs::pulumi-python:dynamic/vod:AIImageJob::"
    inputs = {"videoId": "d" * 32, "templateId": "7d2e4f6a8b0c4d1e9f3a5b7c9d1e3f5a"}
    outputs = {**inputs, "jobId": "e" * 32, "status": "fail", "errorCode": "AIImageJobFailed", "errorMessage": "no frames | none"}
    kept = {"urn": f"{urn}broken-cover", "type": "pulumi-python:dynamic/vod:AIImageJob", "id": "e" * 32}
    steps = [{"op": "same", "urn": kept["urn"], "oldState": {**kept, "inputs": inputs, "outputs": outputs},
              "newState": {**kept, "inputs": inputs}},
             {"op": "create", "urn": f"{urn}new-cover", "newState": {"urn": f"{urn}new-cover", "type": kept["type"], "inputs": inputs}}]
    specs = SpecSet(tuple(JobSpec(name, "d" * 32, inputs["templateId"], None, None, "specs/covers.yaml", line)
                          for name, line in (("broken-cover", 2), ("new-cover", 5))), ("specs/covers.yaml",))
    return plan_preview({"steps": steps}, specs)


OUTCOMES = {
    "failed-earlier": lambda: PreviewOutcome("prod", plan=failed_earlier_plan()),
    "every-action": lambda: PreviewOutcome("prod", plan=every_action_plan()),
    "job-set": lambda: PreviewOutcome("prod", plan=job_set_plan(rows=12, new=4, replaced_row=5)),
    "no-changes": lambda: PreviewOutcome("prod", plan=PreviewPlan((), (), (), ())),
    "invalid-specs": lambda: PreviewOutcome("prod", issues=(
        SpecIssue("specs/a.yaml", 4, 5, "jobs.cover.videoID", "unknown-key", "unknown key 'videoID'; did you mean 'videoId'?"),
        SpecIssue("specs/a|b.yaml", 9, 15, "jobs.x.userData", "user-data-too-large", "UserData is 600 bytes, at most 512"),
    )),
    "preview-failed": lambda: PreviewOutcome("prod", failure=PreviewFailure(255, (
        "job 'legacy' adopts 9f…: videoId differs: the spec says aa…, the service bb…",
        "an unhandled error occurred: program exited with non-zero exit code: 1"))),
}


@pytest.mark.parametrize("case", sorted(OUTCOMES))
@pytest.mark.parametrize(("format_", "render"), [("md", render_markdown), ("github.txt", render_github_annotations), ("json", render_json)])
def test_every_outcome_renders_as_its_golden_file(case: str, format_: str, render: Callable[[PreviewOutcome], str]) -> None:
    assert_matches_golden(render(OUTCOMES[case]()), f"preview/{case}.{format_}")


def test_the_every_action_digest_holds_every_action() -> None:
    plan = every_action_plan()

    assert {job.action for job in plan.jobs} == {"submit", "replace", "adopt", "rename", "forget", "unchanged"}
    assert {template.action for template in plan.templates} == {"create", "update", "delete"}


def test_a_value_with_a_pipe_stays_inside_its_table_cell() -> None:
    markdown = render_markdown(OUTCOMES["every-action"]())

    (row,) = [line for line in markdown.splitlines() if line.startswith("| `trailer-cover`")]
    assert row.count("|") - row.count("\\|") == 7  # six cells


def test_golden_files_are_only_those_the_tests_write() -> None:
    expected = {f"{case}.{fmt}" for case in OUTCOMES for fmt in ("md", "github.txt", "json")}
    expected |= {"pull-request.md", "pull-request-invalid.md"}
    found = {p.name for p in Path(GOLDEN_DIR / "preview").iterdir() if p.is_file() and p.suffix in (".md", ".txt", ".json")}
    assert found == expected


# -- a summary that must fit a pull request comment ------------------------------------------------

GITHUB_COMMENT_LIMIT = 65_536
URN = "urn:pulumi:prod::vodjobs::pulumi-python:dynamic/vod:AIImageJob::"


def thousand_job_plan() -> PreviewPlan:
    """1,000 jobs whose userData changes (a campaign renamed across a catalogue), 50 new ones and 300 unchanged."""
    steps, declared = [], []
    for n in range(1_350):
        name, inputs = f"catalogue-{n:04d}-cover", {"videoId": f"{n:032x}", "templateId": "7d2e4f6a8b0c4d1e9f3a5b7c9d1e3f5a"}
        old = {**inputs, "userData": json.dumps({"Extend": {"campaign": "spring", "shelf": str(n)}}, separators=(",", ":"))}
        new = {**old, "userData": old["userData"].replace("spring", "summer")} if n < 1_000 else old
        state = {"urn": URN + name, "type": "pulumi-python:dynamic/vod:AIImageJob", "id": f"{n:032x}"}
        if n < 1_000:
            steps.append({"op": "replace", "urn": URN + name, "replaceReasons": ["userData"],
                          "oldState": {**state, "inputs": old}, "newState": {**state, "inputs": new}})
        elif n < 1_050:
            steps.append({"op": "create", "urn": URN + name, "newState": {**state, "inputs": new}})
        else:
            steps.append({"op": "same", "urn": URN + name, "oldState": {**state, "inputs": old}, "newState": {**state, "inputs": new}})
        declared.append(JobSpec(name, inputs["videoId"], inputs["templateId"], new["userData"], None, "specs/catalogue.yaml", n + 2))
    return plan_preview({"steps": steps}, SpecSet(tuple(declared), ("specs/catalogue.yaml",)))


def test_a_thousand_job_change_fits_a_github_comment_with_its_totals_intact() -> None:
    outcome = PreviewOutcome("prod", plan=thousand_job_plan())
    whole = render_markdown(outcome)

    comment = render_markdown(outcome, GITHUB_COMMENT_LIMIT, "artifact `vodjobs-preview`")

    assert len(whole) > 2 * GITHUB_COMMENT_LIMIT
    assert len(comment) < GITHUB_COMMENT_LIMIT and len(comment.encode()) <= GITHUB_COMMENT_LIMIT
    assert comment.splitlines()[:5] == whole.splitlines()[:5] == [
        "## vodjobs preview: stack `prod`", "",
        "**`pulumi up` will submit 50 new jobs and replace 1000 jobs; 300 jobs stay unchanged.**", "",
        "`pulumi up` will make 1050 API calls: 1050 × SubmitAIImageJob."]
    shown = [line for line in comment.splitlines() if line.startswith("| `catalogue-")]
    (more,) = [line for line in comment.splitlines() if line.startswith("… ") and "changing jobs" in line]
    assert more == f"… {1_050 - len(shown)} more changing jobs (full summary: artifact `vodjobs-preview`)"
    assert 100 < len(shown) < 1_050
    assert all(line in whole.splitlines() for line in shown)
    assert "<details><summary>300 unchanged jobs</summary>" in comment and "… 300 unchanged jobs (full summary" in comment


def test_a_summary_within_the_limit_is_the_whole_summary() -> None:
    outcome = OUTCOMES["every-action"]()

    assert render_markdown(outcome, GITHUB_COMMENT_LIMIT) == render_markdown(outcome)


def test_a_changed_user_data_shows_the_changed_key_and_the_job_id_the_state_forgets() -> None:
    (row,) = [line for line in render_markdown(OUTCOMES["every-action"]()).splitlines() if line.startswith("| `trailer-cover`")]
    digest = json.loads((EVERY_ACTION / "digest.json").read_text())
    (recorded,) = [s["oldState"]["id"] for s in digest["steps"] if s["urn"].endswith("::trailer-cover") and s["op"] == "replace"]

    assert row.endswith("| `userData.Extend.campaign`: `'spring'` → `'summer\\|fall'`; "
                        f"the state forgets JobId `{recorded}` (VOD keeps that job) |")
