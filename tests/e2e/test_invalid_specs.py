"""A reviewer missed a typo: `pulumi preview` and `pulumi up` list every problem and touch nothing.

The real pulumi CLI runs the program against the real emulator process; the emulator's
request log proves that not one API call was made.
"""

from __future__ import annotations

from tests.support.account import TEMPLATE, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack
from tests.support.specs import job, spec_yaml

COVERS = spec_yaml({"trailer-cover": job(VIDEOS["trailer"])})
INTERVIEWS = spec_yaml({"interview-cover": job(VIDEOS["interview"])}, defaults={"userData": {"Extend": {"team": "interviews"}}})

# Literal text: a mapping cannot hold the duplicate key this file must have.
BROKEN = f"""
    jobs:
      keynote-cover:
        videoId: {VIDEOS["keynote"]}
        templateid: {TEMPLATE}
        userData:
          Extend:
            campaign: spring
            campaign: summer
      teaser-cover:
        videoId: {VIDEOS["teaser"].upper()}
        templateId: {TEMPLATE}
    """

EXPECTED = [
    "4 problems in the job specs:",
    "specs/broken.yaml:3:5: jobs.keynote-cover: templateId is required",
    "specs/broken.yaml:4:5: jobs.keynote-cover.templateid: unknown key 'templateid'; did you mean 'templateId'? [unknown-key]",
    "specs/broken.yaml:8:9: jobs.keynote-cover.userData.Extend.campaign: duplicate key 'campaign' (first at line 7, column 9)",
    f"specs/broken.yaml:10:14: jobs.teaser-cover.videoId: '{VIDEOS['teaser'].upper()}' is not a VOD id",
]


def test_one_invalid_file_among_valid_ones_stops_preview_and_up_before_any_api_call(
    stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    stack.write_spec("covers.yaml", COVERS)
    stack.write_spec("interviews.yaml", INTERVIEWS)
    stack.write_spec("broken.yaml", BROKEN)
    mark = emulator.log_position()

    preview = stack.preview(check=False)
    up = stack.up(check=False)

    for run in (preview, up):
        assert run.returncode != 0, run.output
        for line in EXPECTED:
            assert line in run.output, f"pulumi {run.args[0]} did not print {line!r}:\n{run.output}"
    assert emulator.calls(mark) == []
    assert "AIImageJob" not in stack.state_text()


def test_an_invalid_edit_after_up_submits_nothing_and_forgets_nothing(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("covers.yaml", COVERS)
    stack.write_spec("interviews.yaml", INTERVIEWS)
    stack.up()
    recorded = stack.outputs()["jobIds"]
    stack.write_spec("interviews.yaml", INTERVIEWS.replace("videoId", "videoID"))
    mark = emulator.log_position()

    up = stack.up(check=False)

    assert up.returncode != 0
    assert "specs/interviews.yaml:7:5: jobs.interview-cover.videoID: unknown key 'videoID'; did you mean 'videoId'?" in up.output
    assert emulator.calls(mark) == []
    assert stack.outputs()["jobIds"] == recorded
