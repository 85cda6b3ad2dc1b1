"""A media team's catalogue as a job set, through the real pulumi CLI and the emulator: a CSV of 300 trailers.

One `up` of 300 rows, then every other acceptance point of issue #15 is read from previews of that stack: a job's
identity is its key (set, videoId, template), never its row's position.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter

from tests.support.account import OTHER_TEMPLATE, TEMPLATE
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack, steps_by_op

ROWS = 300
VIDEOS = [hashlib.md5(f"job-sets-trailer-{n}".encode()).hexdigest() for n in range(ROWS)]
HEADER = "videoId,campaign"


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


def test_a_300_row_catalogue_is_submitted_once_and_each_edit_touches_only_its_rows(
    stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    stack.env["PULUMI_SKIP_CHECKPOINTS"] = "true"  # the README's mode for large sets: the journal keeps every JobId
    emulator.add_videos(*({"VideoId": video} for video in VIDEOS))
    rows = [f"{video},campaign-{n % 5}" for n, video in enumerate(VIDEOS)]
    stack.write_spec("season.yaml", season_spec(TEMPLATE))
    stack.write_spec("trailers.csv", catalogue(rows))

    mark = emulator.log_position()
    stack.up()
    assert Counter(c["action"] for c in emulator.calls(mark)) == {"SubmitAIImageJob": ROWS}
    assert sorted(stack.outputs()["jobIds"]) == sorted(job_name(video) for video in VIDEOS)

    mark = emulator.log_position()
    stack.preview("--expect-no-changes")
    assert emulator.calls(mark) == []

    status = stack.vodjobs("status", "--stack", stack.name, "--json", timeout=300)
    assert status.returncode == 0, status.stderr
    assert len(json.loads(status.stdout)["jobs"]) == ROWS

    # Removing row 150 forgets exactly its job.
    stack.write_spec("trailers.csv", catalogue(rows[:149] + rows[150:]))
    digest = stack.preview_json()
    assert steps_by_op(digest) == {"delete": [job_name(VIDEOS[149])]}
    assert digest["changeSummary"] == {"delete": 1, "same": ROWS}  # the stack and 299 jobs

    # Reordering every row changes nothing.
    shuffled = rows[:]
    random.Random(15).shuffle(shuffled)
    stack.write_spec("trailers.csv", catalogue(shuffled))
    stack.preview("--expect-no-changes")

    # Changing one row's campaign replaces that job only, naming the field.
    edited = rows[:]
    edited[42] = f"{VIDEOS[42]},campaign-new"
    stack.write_spec("trailers.csv", catalogue(edited))
    digest = stack.preview_json()
    assert digest["changeSummary"] == {"replace": 1, "same": ROWS}  # the stack and 299 jobs
    [replaced] = [step for step in digest["steps"] if step["op"] == "replace"]
    assert replaced["urn"].endswith(job_name(VIDEOS[42])) and replaced["replaceReasons"] == ["userData"]

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
    ]

    # A second template in the matrix: one new job per row, nothing replaced.
    stack.write_spec("trailers.csv", catalogue(rows))
    stack.write_spec("season.yaml", season_spec(TEMPLATE, OTHER_TEMPLATE))
    digest = stack.preview_json()
    assert digest["changeSummary"] == {"create": ROWS, "same": ROWS + 1}  # the stack and the 300 jobs of the first template
    assert steps_by_op(digest)["create"] == sorted(job_name(video, OTHER_TEMPLATE) for video in VIDEOS)


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
