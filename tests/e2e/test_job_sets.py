"""A media team's catalogue as a job set, through the real pulumi CLI and the emulator: a CSV of 300 trailers.

One cold `up` of 300 rows (the module's `cold_catalogue`, the slow step, done once) serves two stories: issue #15's
acceptance, every edit read from previews of that stack (a job's identity is its key (set, videoId, template), never
its row's position), then the job-set edition of bench/scale.py, the API calls of every step counted.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.account import OTHER_TEMPLATE, TEMPLATE, TEST_KEY
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiRun, PulumiStack, steps_by_op

ROWS = 300  # issue #15's catalogue, and bench/scale.py --job-set's edition for make test (a few hundred rows)
VIDEOS = [hashlib.md5(f"job-sets-trailer-{n}".encode()).hexdigest() for n in range(ROWS)]
NEW_VIDEO = hashlib.md5(f"job-sets-trailer-{ROWS}".encode()).hexdigest()  # the row the scale story adds
HEADER = "videoId,campaign"
ROW_LINES = [f"{video},campaign-{n % 5}" for n, video in enumerate(VIDEOS)]


def season_spec(*template_ids: str) -> str:
    ids = ", ".join(template_ids)
    return f"""
        jobSets:
          trailers:
            items: trailers.csv
            templateIds: [{ids}]
            userData:
              Extend:
                campaign: "{{campaign}}"
        """


def catalogue(rows: list[str]) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def job_name(video: str, template: str = TEMPLATE) -> str:
    return f"trailers-{video}-{template}"


def actions(calls: list[dict[str, Any]]) -> Counter[str]:
    return Counter(c["action"] for c in calls)


def throttled(calls: list[dict[str, Any]]) -> int:
    return sum(1 for c in calls if str(c.get("code") or "").startswith("Throttling"))


@dataclass(frozen=True)
class ColdCatalogue:
    """The 300-row stack right after its cold `up`, with what that `up` and a second look at the stack cost."""

    stack: PulumiStack
    cold_calls: list[dict[str, Any]]  # every API call of the cold `up`
    job_ids: dict[str, str]  # the `jobIds` output right after it
    second_look: PulumiRun  # `pulumi preview --expect-no-changes` right after it
    second_look_calls: list[dict[str, Any]]


@pytest.fixture(scope="module")
def cold_catalogue(
    tmp_path_factory: pytest.TempPathFactory, pulumi_home: Path, emulator: EmulatorProcess
) -> ColdCatalogue:
    """One stack of the 300-row catalogue, `up` once in the README's mode for large sets (the journal keeps every JobId).

    Both stories read the cold `up` and the second look from here. The issue's story only previews its edits; the scale
    story, after it in this file, is the one that runs another `up` (the catalogue plus one row).
    """
    stack = PulumiStack(tmp_path_factory.mktemp("catalogue"), "catalogue", pulumi_home)
    stack.init(emulator.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
    stack.env["PULUMI_SKIP_CHECKPOINTS"] = "true"
    emulator.add_videos(*({"VideoId": video} for video in [*VIDEOS, NEW_VIDEO]))
    stack.write_spec("season.yaml", season_spec(TEMPLATE))
    stack.write_spec("trailers.csv", catalogue(ROW_LINES))

    mark = emulator.log_position()
    stack.up()
    cold_calls = emulator.calls(mark)
    job_ids = stack.outputs()["jobIds"]

    mark = emulator.log_position()
    second_look = stack.preview("--expect-no-changes", check=False)
    return ColdCatalogue(stack, cold_calls, job_ids, second_look, emulator.calls(mark))


def test_a_300_row_catalogue_is_submitted_once_and_each_edit_touches_only_its_rows(
    cold_catalogue: ColdCatalogue,
) -> None:
    stack, rows = cold_catalogue.stack, ROW_LINES[:]
    assert actions(cold_catalogue.cold_calls) == {"SubmitAIImageJob": ROWS}, "the first up submits each row once"
    assert sorted(cold_catalogue.job_ids) == sorted(job_name(video) for video in VIDEOS), "a job per row, named by key"

    assert cold_catalogue.second_look.returncode == 0, f"a second up would change something:\n{cold_catalogue.second_look.output}"
    assert cold_catalogue.second_look_calls == [], "a second look at the stack makes no API call"

    status = stack.vodjobs("status", "--stack", stack.name, "--json", timeout=300)
    assert status.returncode == 0, status.stderr
    assert len(json.loads(status.stdout)["jobs"]) == ROWS, "vodjobs status shows every row's job"

    # Removing row 150 forgets exactly its job.
    stack.write_spec("trailers.csv", catalogue(rows[:149] + rows[150:]))
    digest = stack.preview_json()
    assert steps_by_op(digest) == {"delete": [job_name(VIDEOS[149])]}, "removing row 150 forgets its job only"
    assert digest["changeSummary"] == {"delete": 1, "same": ROWS}, "removing row 150: 1 delete, 0 replaces"  # the stack and 299 jobs

    # Reordering every row changes nothing.
    shuffled = rows[:]
    random.Random(15).shuffle(shuffled)
    stack.write_spec("trailers.csv", catalogue(shuffled))
    reordered = stack.preview("--expect-no-changes", check=False)
    assert reordered.returncode == 0, f"reordering every row changed something:\n{reordered.output}"

    # Changing one row's campaign replaces that job only, naming the field.
    edited = rows[:]
    edited[42] = f"{VIDEOS[42]},campaign-new"
    stack.write_spec("trailers.csv", catalogue(edited))
    digest = stack.preview_json()
    assert digest["changeSummary"] == {"replace": 1, "same": ROWS}, "one row's new campaign replaces one job"  # the stack and 299 jobs
    [replaced] = [step for step in digest["steps"] if step["op"] == "replace"]
    assert replaced["urn"].endswith(job_name(VIDEOS[42])) and replaced["replaceReasons"] == ["userData"], (
        "the replaced job is the edited row's, for its userData")

    # The reviewer reads that edit, a removed row and two new ones as one line per operation, rows as ranges.
    added = [f"{hashlib.md5(f'job-sets-new-{n}'.encode()).hexdigest()},campaign-0" for n in range(2)]
    stack.write_spec("trailers.csv", catalogue(edited[:149] + edited[150:] + added))
    done = stack.vodjobs("preview", "--stack", stack.name, "--format", "markdown")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[lines.index("- set `trailers`, declared at `specs/season.yaml:2`:") + 1:][:4] == [
        "  - 2 new jobs from `specs/trailers.csv` rows 301–302",
        "  - 1 replaced: row 44, `userData.Extend.campaign`: `'campaign-2'` → `'campaign-new'`",
        "  - 1 forgotten (row removed from `specs/trailers.csv`): no API call, VOD keeps the job",
        "  - 298 unchanged: rows 2–43, 45–300",
    ], "vodjobs preview: one line per operation, rows as ranges"

    # A second template in the matrix: one new job per row, nothing replaced.
    stack.write_spec("trailers.csv", catalogue(rows))
    stack.write_spec("season.yaml", season_spec(TEMPLATE, OTHER_TEMPLATE))
    digest = stack.preview_json()
    assert digest["changeSummary"] == {"create": ROWS, "same": ROWS + 1}, (  # the stack and the first template's 300 jobs
        "a second template: one new job per row, nothing replaced")
    assert steps_by_op(digest)["create"] == sorted(job_name(video, OTHER_TEMPLATE) for video in VIDEOS), (
        "a second template: the new jobs are the second template's")


def test_a_job_set_of_300_rows_costs_one_submit_each_and_a_new_row_one_more(
    cold_catalogue: ColdCatalogue, emulator: EmulatorProcess
) -> None:
    """The job-set edition of bench/scale.py (--job-set) at 300 rows: counts only, never times."""
    stack, cold = cold_catalogue.stack, cold_catalogue.cold_calls
    assert actions(cold) == {"SubmitAIImageJob": ROWS} and throttled(cold) == 0, "cold up: one submit per row, none throttled"
    assert sorted(c["params"]["VideoId"] for c in cold) == sorted(VIDEOS), "cold up: each row's video once, no duplicate"
    assert sorted(cold_catalogue.job_ids) == sorted(job_name(video) for video in VIDEOS), "cold up: every row's JobId recorded"

    assert cold_catalogue.second_look.returncode == 0, f"a preview after the cold up changes something:\n{cold_catalogue.second_look.output}"
    assert cold_catalogue.second_look_calls == [], "a preview after the cold up makes no API call"

    # The story above leaves the specs edited (previews only): the catalogue as `up` left it, plus one row.
    stack.write_spec("season.yaml", season_spec(TEMPLATE))
    stack.write_spec("trailers.csv", catalogue([*ROW_LINES, f"{NEW_VIDEO},campaign-0"]))
    mark = emulator.log_position()
    stack.up()
    assert [c["params"]["VideoId"] for c in emulator.calls(mark)] == [NEW_VIDEO], "a new row costs one submit, its own"
    assert len(stack.outputs()["jobIds"]) == ROWS + 1, "a new row: its JobId recorded beside the others"


def test_a_catalogue_with_three_bad_rows_is_reported_row_by_row_and_submits_nothing(
    stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    rows = [f"{video},spring" for video in VIDEOS[:20]]
    rows[4] = "not-a-video-id,spring"  # line 6
    rows[9] = f"{VIDEOS[9].upper()},spring"  # line 11
    rows[14] = f"{VIDEOS[0]},again"  # line 16: a duplicate of line 2
    stack.write_spec("season.yaml", season_spec(TEMPLATE))
    stack.write_spec("trailers.csv", catalogue(rows))
    expected = [
        "specs/trailers.csv:6:1: videoId: 'not-a-video-id' is not a VOD id: ids are 32 lower-case hex characters [id-shape]",
        f"specs/trailers.csv:11:1: videoId: '{VIDEOS[9].upper()}' is not a VOD id: ids are 32 lower-case hex characters [id-shape]",
        f"specs/trailers.csv:16:1: videoId: videoId {VIDEOS[0]} is also at line 2 (specs/trailers.csv:2); a set lists each "
        "video once, as its jobs are named by it: remove one of the two rows [duplicate-item]",
    ]

    validate = stack.vodjobs("validate")
    assert validate.returncode == 1
    assert validate.stdout.splitlines()[:-1] == expected

    mark = emulator.log_position()
    preview = stack.preview(check=False)
    assert preview.returncode != 0
    for line in expected:
        assert line in preview.output
    up = stack.up(check=False)
    assert up.returncode != 0 and "3 problems in the job specs" in up.output
    assert emulator.calls(mark, "SubmitAIImageJob") == []
