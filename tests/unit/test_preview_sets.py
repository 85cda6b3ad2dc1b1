"""vod_provider.cli.preview_sets: a job set is reviewed as one line per operation, its rows as ranges, in every format."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.preview_plans import ITEMS_FILE, SET_NAME_PATTERN, TEMPLATE_ID, job_set_plan, job_state, user_data, video
from vod_provider.cli.github import MOST_ANNOTATIONS
from vod_provider.cli.preview_plan import Change, JobAction, JobRow, PreviewOutcome, PreviewPlan, SpecLocation, plan_preview
from vod_provider.cli.preview_render import render_github_annotations, render_json, render_markdown
from vod_provider.cli.preview_sets import (
    job_set_previews,
    operation_sentence,
    plain_jobs,
    set_notices,
)
from vod_provider.cli.spec_changes import plan_spec_changes
from vod_provider.spec.model import JobSetSummary, JobSpec, SpecSet
from vod_provider.spec.placeholders import Pattern
from vod_provider.wording import line_ranges, rows_text

SET_LINES = [
    "Job sets:",
    "",
    "- set `trailers`, declared at `specs/trailers.yaml:3`:",
    "  - 120 new jobs from `specs/trailers.csv` rows 182–301",
    "  - 1 replaced: row 57, `userData.Extend.campaign`: `'spring'` → `'summer'`",
    "  - 1 forgotten (row removed from `specs/trailers.csv`): no API call, VOD keeps the job",
    "  - 179 unchanged: rows 2–56, 58–181",
    "",
    "<details><summary>122 changing jobs of set `trailers`</summary>",
]


@pytest.mark.parametrize(("lines", "ranges", "text"), [
    ([57], ((57, 57),), "row 57"),
    ([*range(2, 122), 130, 140, 141], ((2, 121), (130, 130), (140, 141)), "rows 2–121, 130, 140–141"),
    ([3, 2, 2, 4], ((2, 4),), "rows 2–4"),  # a matrix set has a job per template on one row
    (list(range(2, 40, 2)), tuple((n, n) for n in range(2, 40, 2)), "rows 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24 and 7 more rows"),
])
def test_row_numbers_compress_into_ranges(lines: list[int], ranges: tuple[tuple[int, int], ...], text: str) -> None:
    assert line_ranges(lines) == ranges
    assert rows_text(sorted(set(lines))) == text


def test_a_grown_set_is_reviewed_as_one_line_per_operation() -> None:
    markdown = render_markdown(PreviewOutcome("prod", plan=job_set_plan())).splitlines()

    start = markdown.index("Job sets:")
    assert markdown[start:start + len(SET_LINES)] == SET_LINES
    assert markdown[2] == "**`pulumi up` will submit 120 new jobs, replace 1 job and forget 1 job; 180 jobs stay unchanged.**"


def test_the_readme_quotes_the_lines_of_the_grown_set() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()

    assert "\n".join(f"> {line}" if line else ">" for line in SET_LINES) in readme


def test_the_set_table_is_folded_and_a_plain_job_renders_as_before() -> None:
    markdown = render_markdown(PreviewOutcome("prod", plan=job_set_plan()))

    table = markdown.split("<summary>122 changing jobs of set `trailers`</summary>")[1].split("</details>")[0]
    rows = [line for line in table.splitlines() if line.startswith("| `trailers-")]
    assert len(rows) == 122
    assert "**replace**" in rows[0] and "`specs/trailers.csv:57`" in rows[0]  # what the lines cannot say comes first
    assert "**forget**" in rows[1] and "(removed)" in rows[1]
    unchanged = markdown.split("<summary>1 unchanged job outside job sets</summary>")[1]
    assert "| `keynote-cover` | `5c9a1e3b7d2f4a6c8e0b2d4f6a8c0e2d` |" in unchanged and "trailers-" not in unchanged


def test_a_comment_sized_summary_of_a_thousand_job_change_keeps_every_set_line() -> None:
    outcome = PreviewOutcome("prod", plan=job_set_plan(rows=1_000, new=1_000, replaced_row=0))
    whole, cut = render_markdown(outcome), render_markdown(outcome, 65_536, "`plan-full.md` in the artifacts")

    assert len(whole.encode()) > 65_536 >= len(cut.encode())
    assert "  - 1000 new jobs from `specs/trailers.csv` rows 2–1001" in cut.splitlines()
    assert "more changing jobs of set trailers (full summary: `plan-full.md` in the artifacts)" in cut


def test_github_notices_point_at_the_changed_rows_of_the_items_file() -> None:
    lines = render_github_annotations(PreviewOutcome("prod", plan=job_set_plan())).splitlines()

    notices = [line for line in lines if line.startswith("::notice")]
    assert notices == [
        "::notice file=specs/trailers.csv,line=57,title=vodjobs prod%3A replace trailers-00000000000000000000000000000039::"
        "job 'trailers-00000000000000000000000000000039': userData.Extend.campaign: 'spring' → 'summer'; "
        "the state forgets JobId 93000000000000000000000000000000 (VOD keeps that job)",
        "::notice file=specs/trailers.yaml,line=3,title=vodjobs prod%3A set trailers%3A forgotten jobs::set trailers: "
        "1 forgotten (row removed from specs/trailers.csv): no API call, VOD keeps the job: trailers-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
        "::notice file=specs/trailers.csv,line=182,endLine=301,title=vodjobs prod%3A set trailers%3A new jobs::"
        "set trailers: 120 new jobs from specs/trailers.csv rows 182–301",
    ]


def test_a_set_gets_no_more_notices_than_a_step_shows() -> None:
    plan = job_set_plan(rows=40, new=0)
    replaced = tuple(replace(job, action="replace", changes=(Change("revision", "0", "1"),)) if job.job_set and job.spec else job
                     for job in plan.jobs)
    lines = render_github_annotations(PreviewOutcome("prod", plan=replace(plan, jobs=replaced))).splitlines()

    notices = [line for line in lines if line.startswith("::notice")]
    assert len(notices) == MOST_ANNOTATIONS
    assert notices[0].startswith("::notice file=specs/trailers.csv,line=2,")
    assert notices[-1] == ("::notice title=vodjobs prod%3A 32 more::32 more not annotated (set trailers: 32); GitHub "
                           "shows 10 annotations of a kind a step: see the step summary")


def test_the_json_keeps_every_job_and_summarises_each_set() -> None:
    document = json.loads(render_json(PreviewOutcome("prod", plan=job_set_plan())))

    assert len(document["jobs"]) == 302
    trailers = document["jobSets"]["trailers"]
    assert trailers["spec"] == {"file": "specs/trailers.yaml", "line": 3} and trailers["rowsFile"] == ITEMS_FILE
    assert {action: (op["count"], op["rows"]) for action, op in trailers["operations"].items()} == {
        "submit": (120, [[182, 301]]), "replace": (1, [[57, 57]]), "forget": (1, []), "unchanged": (179, [[2, 56], [58, 181]])}
    assert trailers["operations"]["forget"]["jobs"] == ["trailers-" + "e" * 32]


def test_replaced_rows_are_said_together_by_what_changed() -> None:
    def row(line: int, campaign: str) -> JobRow:
        return JobRow(f"trailers-{video(line)}", "replace", video(line), TEMPLATE_ID, SpecLocation(ITEMS_FILE, line),
                      (Change("userData.Extend.campaign", "'spring'", repr(campaign)),), job_set="trailers")

    plan = PreviewPlan((*(row(n, "summer") for n in (7, 8, 9, 12)), row(20, "fall"), row(30, "winter"), row(31, "autumn")), (), (), (),
                       (JobSetSummary("trailers", "specs/trailers.yaml", 3, ITEMS_FILE, 7),))
    (job_set,) = job_set_previews(plan)

    assert operation_sentence(job_set, job_set.operations[0], str) == (
        "7 replaced: rows 7–9, 12: userData.Extend.campaign: 'spring' → 'summer'; row 20: userData.Extend.campaign: 'spring' → "
        "'fall'; row 30: userData.Extend.campaign: 'spring' → 'winter'; 1 more with other changes (in the table of the set's jobs)")


def test_a_job_forgotten_by_a_changed_name_pattern_is_said_with_its_set() -> None:
    # The set's `name:` changed (or it became a matrix) without its former pattern in `aliases:`: the jobs of the
    # former default names are forgotten with the set, in its lines and its at most 10 notices, not one notice each.
    renamed = Pattern(("c-", "template", "-", "videoId", ""))
    sets = (JobSetSummary("cat", "specs/cat.yaml", 3, ITEMS_FILE, 0, renamed),)
    steps = [{"op": "delete", "urn": state["urn"], "oldState": state} for state in (
        *(job_state(f"cat-{video(n)}-still", {"videoId": video(n), "templateId": TEMPLATE_ID, "template": "still"}) for n in range(12)),
        job_state(f"cat-{video(20)}", {"videoId": video(20), "templateId": TEMPLATE_ID}),
    )]
    plan = plan_preview({"steps": steps}, SpecSet((), (), (), sets))

    assert {job.job_set for job in plan.jobs} == {"cat"}
    (cat,) = job_set_previews(plan)
    assert [operation.action for operation in cat.operations] == ["forget"]
    assert len(set_notices("prod", cat)) == 1


def test_a_forgotten_job_belongs_to_the_set_whose_name_pattern_gives_its_name() -> None:
    matrix = Pattern(("covers-", "template", "-", "videoId", ""))
    sets = (JobSetSummary("trailers", "specs/trailers.yaml", 3, ITEMS_FILE, 0, SET_NAME_PATTERN),
            JobSetSummary("covers", "specs/covers.yaml", 2, None, 0, matrix))
    steps = [{"op": "delete", "urn": state["urn"], "oldState": state} for state in (
        job_state(f"trailers-{video(5)}", {"videoId": video(5), "templateId": TEMPLATE_ID}),
        job_state(f"covers-still-{video(6)}", {"videoId": video(6), "templateId": TEMPLATE_ID, "template": "still"}),
        job_state(f"other-{video(7)}", {"videoId": video(7), "templateId": TEMPLATE_ID}),
    )]
    plan = plan_preview({"steps": steps}, SpecSet((), (), (), sets))

    assert {job.name: job.job_set for job in plan.jobs} == {
        f"trailers-{video(5)}": "trailers", f"covers-still-{video(6)}": "covers", f"other-{video(7)}": None}
    (covers, trailers) = job_set_previews(plan)
    assert operation_sentence(covers, covers.operations[0], str) == (
        "1 forgotten (line removed from specs/covers.yaml): no API call, VOD keeps the job")
    assert operation_sentence(trailers, trailers.operations[0], str) == (
        "1 forgotten (row removed from specs/trailers.csv): no API call, VOD keeps the job")


def test_without_state_a_set_is_summarised_the_same_way() -> None:
    def set_job(row: int, campaign: str = "spring") -> JobSpec:
        return JobSpec(f"trailers-{video(row)}", video(row), TEMPLATE_ID, user_data(campaign), None, ITEMS_FILE, row, job_set="trailers")

    summary = JobSetSummary("trailers", "specs/trailers.yaml", 3, ITEMS_FILE, 4, SET_NAME_PATTERN)
    base = SpecSet(tuple(set_job(row) for row in (2, 3, 4, 5)), (), (), (summary,))
    head = SpecSet((set_job(2), set_job(3, "summer"), set_job(5), set_job(6), set_job(7)), (), (), (replace(summary, jobs=5),))
    lines = render_markdown(PreviewOutcome("prod", plan=plan_spec_changes(base, head))).splitlines()

    assert lines[lines.index("- set `trailers`, declared at `specs/trailers.yaml:3`:") + 1:][:4] == [
        "  - 2 new jobs from `specs/trailers.csv` rows 6–7",
        "  - 1 replaced: row 3, `userData.Extend.campaign`: `'spring'` → `'summer'`",
        "  - 1 forgotten (row removed from `specs/trailers.csv`): no API call, VOD keeps the job",
        "  - 2 unchanged: rows 2, 5",
    ]
    removed = render_markdown(PreviewOutcome("prod", plan=plan_spec_changes(base, SpecSet((), ())))).splitlines()
    assert removed[removed.index("- set `trailers`, no longer declared:") + 1] == (
        "  - 4 forgotten (the set is no longer declared): no API call, VOD keeps the jobs")


def test_jobs_outside_sets_get_at_most_ten_notices_too() -> None:
    steps = [{"op": "delete", "urn": state["urn"], "oldState": state}
             for state in (job_state(f"old-{n}", {"videoId": video(n), "templateId": TEMPLATE_ID}) for n in range(30))]
    plan = plan_preview({"steps": steps}, SpecSet((), (), (), ()))

    notices = [line for line in render_github_annotations(PreviewOutcome("prod", plan=plan)).splitlines()
               if line.startswith("::notice")]

    assert len(notices) == MOST_ANNOTATIONS
    assert notices[-1].endswith("::21 more not annotated (jobs outside sets: 21); GitHub shows 10 annotations of a kind "
                                "a step: see the step summary")


def test_the_sets_and_the_jobs_outside_share_the_ten_notices_of_a_step() -> None:
    # 20 replaced rows in one set, 15 new in another, 19 forgotten plain jobs: each group keeps its first notices
    # in turn, and the tenth says how many of each were left out (GitHub would drop every notice past the tenth).
    big = [JobRow(f"big-{video(n)}", "replace", video(n), TEMPLATE_ID, SpecLocation("specs/big.csv", n), job_set="big",
                  changes=(Change("revision", "0", "1"),)) for n in range(2, 22)]
    small = [JobRow(f"small-{video(n)}", "submit", video(n), TEMPLATE_ID, SpecLocation("specs/small.csv", n), job_set="small")
             for n in range(2, 32, 2)]  # 15 runs of one row: 15 notices
    plain = [JobRow(f"plain{n}", "forget", video(100 + n), TEMPLATE_ID, None) for n in range(19)]
    sets = (JobSetSummary("big", "specs/big.yaml", 3, "specs/big.csv", 20), JobSetSummary("small", "specs/small.yaml", 3, "specs/small.csv", 15))
    plan = PreviewPlan((*big, *small, *plain), (), (), (), sets)

    notices = [line for line in render_github_annotations(PreviewOutcome("prod", plan=plan)).splitlines()
               if line.startswith("::notice")]

    assert len(notices) == MOST_ANNOTATIONS
    assert [line.split("title=vodjobs prod%3A ", 1)[1].split(" ", 1)[0] for line in notices[:-1]] == [
        "replace", "replace", "replace", "set", "set", "set", "forget", "forget", "forget"]
    assert notices[-1].endswith("::45 more not annotated (set big: 17, set small: 12, jobs outside sets: 16); GitHub "
                                "shows 10 annotations of a kind a step: see the step summary")


def test_the_new_jobs_of_a_template_added_to_a_matrix_say_which_template() -> None:
    def row(line: int, template: str, action: JobAction) -> JobRow:
        return JobRow(f"cat-{video(line)}-{template}", action, video(line), template, SpecLocation(ITEMS_FILE, line),
                      job_set="cat")

    plan = PreviewPlan((*(row(n, "still", "unchanged") for n in range(2, 52)), *(row(n, "animated", "submit") for n in range(2, 52))),
                       (), (), (), (JobSetSummary("cat", "specs/cat.yaml", 3, ITEMS_FILE, 100),))
    (job_set,) = job_set_previews(plan)

    assert operation_sentence(job_set, job_set.operations[0], str) == (
        "50 new jobs from specs/trailers.csv rows 2–51, template animated")


def test_a_set_says_which_forgotten_jobs_are_its_rows_under_another_name() -> None:
    # The name pattern changed without an alias: of 4 forgotten jobs, 3 have their row still in the file under a new
    # name (one of them with a new campaign as well), 1 lost its row. "Rows removed" for all 4 would send the reviewer
    # looking for deletions that are not there. A job named by a former custom pattern (`tr-…`, no default pattern
    # gives it) is the set's too: the set submits a job of its video and template.
    new = Pattern(("c-", "videoId", ""))
    kept = {video(2): "spring", video(3): "spring", video(4): "fall"}
    jobs = tuple(JobSpec(f"c-{v}", v, TEMPLATE_ID, user_data(campaign), None, ITEMS_FILE, n, job_set="cat")
                 for n, (v, campaign) in enumerate(kept.items(), start=2))
    sets = (JobSetSummary("cat", "specs/cat.yaml", 3, ITEMS_FILE, 3, new),)
    olds = [job_state(f"cat-{video(2)}", {"videoId": video(2), "templateId": TEMPLATE_ID, "userData": user_data("spring")}),
            job_state(f"tr-{video(3)}", {"videoId": video(3), "templateId": TEMPLATE_ID, "userData": user_data("spring")}),
            job_state(f"cat-{video(4)}", {"videoId": video(4), "templateId": TEMPLATE_ID, "userData": user_data("spring")}),
            job_state(f"cat-{video(9)}", {"videoId": video(9), "templateId": TEMPLATE_ID})]
    steps = [{"op": "delete", "urn": state["urn"], "oldState": state} for state in olds]
    steps += [{"op": "create", "urn": state["urn"], "newState": state} for state in (
        job_state(f"c-{v}", {"videoId": v, "templateId": TEMPLATE_ID, "userData": user_data(campaign)}) for v, campaign in kept.items())]
    plan = plan_preview({"steps": steps}, SpecSet(jobs, ("specs/cat.yaml",), (), sets))

    assert not plain_jobs(plan)
    (cat,) = job_set_previews(plan)
    forget = next(operation for operation in cat.operations if operation.action == "forget")
    assert operation_sentence(cat, forget, str) == (
        "4 forgotten (1 row removed from specs/trailers.csv; 3 rows still there under another name, submitted again: "
        "to keep them, put the set's former name pattern in its aliases:): no API call, VOD keeps the jobs")


def test_without_state_a_changed_name_pattern_is_said_as_with_state() -> None:
    # A fork's pull request (--no-state) changes the set's `name:` and removes a row: the spec comparison knows both
    # sides, so it says the rows still there, and warns of the look-alike renames, as the preview with state does.
    def specs(prefix: str, rows: range) -> SpecSet:
        jobs = tuple(JobSpec(f"{prefix}-{video(n)}", video(n), TEMPLATE_ID, user_data("spring"), None, ITEMS_FILE, n,
                             job_set="cat") for n in rows)
        return SpecSet(jobs, ("specs/cat.yaml",), (), (JobSetSummary("cat", "specs/cat.yaml", 3, ITEMS_FILE, len(jobs)),))

    plan = plan_spec_changes(specs("cat", range(2, 6)), specs("c", range(2, 5)))

    (cat,) = job_set_previews(plan)
    forget = next(operation for operation in cat.operations if operation.action == "forget")
    assert operation_sentence(cat, forget, str).startswith("4 forgotten (1 row removed from specs/trailers.csv; 3 rows still there")
    assert plan.look_alike_renames == tuple((f"cat-{video(n)}", f"c-{video(n)}") for n in range(2, 5))
