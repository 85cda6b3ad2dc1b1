"""`vodjobs discover`'s pure parts with fixed vectors: which jobs are adopted, the spec written for them (loaded back
by the real loader), the videos file, progress; and its calls against an in-process emulator (10 JobIds per read)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.account import TEMPLATE, TEST_KEY
from vod_emulator.server import EmulatorServer
from vod_provider.api.client import VodClient
from vod_provider.api.credentials import Credentials
from vod_provider.api.models import AIImageJobInfo
from vod_provider.cli.discover import DiscoverUsageError, _check_loads, _refuse_clashes, discover
from vod_provider.cli.discover_plan import PassedOver, plan_discovery
from vod_provider.cli.discover_report import render_report, repeated_sentence
from vod_provider.cli.main import main
from vod_provider.cli.progress import Progress
from vod_provider.spec.adoption_spec import FoundJob, render_adoption_spec, set_names, user_data_value
from vod_provider.spec.loader import load_spec_files, read_video_ids
from vod_provider.spec.model import SpecError
from vod_provider.spec.set_decl import user_data_json

V1, V2, V3, V4 = (str(n) * 32 for n in range(1, 5))
T1, T2 = "a" * 32, "b" * 32
J_OLD, J_NEW, J_FAIL, J_OTHER, J_V2 = "e" * 32, "f" * 32, "c" * 32, "d" * 32, "9" * 31 + "b"


def info(job_id: str, video: str, template: str = T1, status: str = "success", created: str = "2024-05-01T10:00:00Z",
         user_data: str = "") -> AIImageJobInfo:
    return AIImageJobInfo(job_id, video, status, "", "", "", template, "", created, user_data)


# -- which jobs are adopted --------------------------------------------------------------------------------------


def test_the_newest_successful_job_of_each_video_and_template_is_adopted_and_the_rest_named() -> None:
    listed = {V1: [J_OLD, J_NEW, J_FAIL, J_OTHER], V2: [J_V2], V3: [], V4: None}
    found = [info(J_OLD, V1, created="2024-01-01T00:00:00Z"), info(J_NEW, V1, created="2024-02-01T00:00:00Z"),
             info(J_FAIL, V1, status="fail", created="2024-03-01T00:00:00Z"), info(J_OTHER, V1, template=T2),
             info(J_V2, V2, user_data='{"Extend":{"campaign":"spring"}}')]

    plan = plan_discovery([V1, V2, V3, V4], listed, found)

    assert plan.adopted == (FoundJob(V1, T1, J_NEW), FoundJob(V1, T2, J_OTHER),
                            FoundJob(V2, T1, J_V2, {"Extend": {"campaign": "spring"}}))
    assert plan.without_job == (V3,)
    assert plan.unknown_videos == (V4,)
    assert plan.passed_over == (PassedOver(J_FAIL, V1, T1, "its status is fail, not success"),
                                PassedOver(J_OLD, V1, T1, f"an older job of the same video and template; {J_NEW} is adopted"))


def test_a_job_the_stack_already_holds_is_not_adopted_again_and_its_video_has_a_job() -> None:
    listed = {V1: [J_OLD, J_NEW], V2: [J_V2]}
    found = [info(J_OLD, V1, created="2024-01-01T00:00:00Z"), info(J_NEW, V1, created="2024-02-01T00:00:00Z"), info(J_V2, V2)]

    plan = plan_discovery([V1, V2], listed, found, managed={J_NEW: "launch-cover"})

    assert plan.adopted == (FoundJob(V2, T1, J_V2),)  # not J_OLD either: V1 and T1 already have their job in the stack
    assert plan.without_job == ()
    assert PassedOver(J_NEW, V1, T1, "the stack already holds it, as job 'launch-cover'") in plan.passed_over


@pytest.mark.parametrize(("found", "template_ids", "reason"), [
    ([], (), "ListAIImageInfo lists it, but GetAIImageJobs does not know it"),
    ([info(J_NEW, V2)], (), f"GetAIImageJobs reports it on video {V2}, not {V1}"),
    ([info(J_NEW, V1, status="processing")], (), "its status is processing, not success"),
    ([info(J_NEW, V1)], (T2,), "its template is not one of --template-id"),
    ([info(J_NEW, V1, user_data='{"Other":{}}')], (), "its UserData holds Other; a spec's userData holds only MessageCallback, Extend"),
])
def test_a_job_that_cannot_be_adopted_leaves_its_video_without_job_and_says_why(
    found: list[AIImageJobInfo], template_ids: tuple[str, ...], reason: str
) -> None:
    plan = plan_discovery([V1], {V1: [J_NEW]}, found, template_ids)

    assert plan.adopted == ()
    assert plan.without_job == (V1,)
    assert [p.reason for p in plan.passed_over] == [reason]


@pytest.mark.parametrize(("text", "value", "problem"), [
    ("", None, None),
    ('{"Extend":{"a":"b"}}', {"Extend": {"a": "b"}}, None),
    ('{"MessageCallback":{"CallbackURL":"https://x"}}', {"MessageCallback": {"CallbackURL": "https://x"}}, None),
    ("not json", None, "its UserData is not JSON"),
    ("[1]", None, "its UserData is not a JSON object with MessageCallback, Extend"),
    ('{"Extend":"text"}', None, "its UserData's Extend is not a JSON object, as a spec's must be"),
    ('{"Extend":{"a":"' + "x" * 600 + '"}}', None, "its UserData is 619 bytes as compact JSON; a spec's is at most 512"),
])
def test_user_data_is_declarable_only_as_a_spec_holds_it(text: str, value: Any, problem: str | None) -> None:
    assert user_data_value(text) == (value, problem)


# -- the spec written --------------------------------------------------------------------------------------------


def load(tmp_path: Path, jobs: list[FoundJob], set_name: str = "discovered") -> tuple[str, dict[str, str], dict[str, Any]]:
    rendered = render_adoption_spec(set_name, jobs, "discovered", ["a comment"])
    (tmp_path / "discovered.yaml").write_text(rendered.spec_text)
    for name, text in rendered.items.items():
        (tmp_path / name).write_text(text)
    loaded = load_spec_files([tmp_path / "discovered.yaml"], tmp_path)
    return rendered.spec_text, dict(rendered.items), {job.name: job for job in loaded.jobs}


def test_one_template_is_one_set_over_a_csv_and_varying_texts_are_columns(tmp_path: Path) -> None:
    jobs = [FoundJob(V1, T1, J_OLD, {"Extend": {"campaign": "spring", "batch": 3, "note": "{x}"}}),
            FoundJob(V2, T1, J_NEW, {"Extend": {"campaign": "summer, hot", "batch": 3, "note": "{x}"}})]

    text, items, loaded = load(tmp_path, jobs)

    assert text == f"""# a comment
jobSets:
  discovered:
    items: discovered.csv
    templateId: {T1}
    userData:
      Extend:
        campaign: '{{userData.Extend.campaign}}'
        batch: 3
        note: '{{{{x}}}}'
"""
    assert items == {"discovered.csv": f'videoId,adopt,userData.Extend.campaign\n{V1},{J_OLD},spring\n{V2},{J_NEW},"summer, hot"\n'}
    for job in jobs:
        declared = loaded[f"discovered-{job.video_id}"]
        assert (declared.video_id, declared.template_id, declared.adopt) == (job.video_id, T1, job.job_id)
        assert declared.user_data is not None and json.loads(declared.user_data) == job.user_data


def test_jobs_without_user_data_make_a_set_with_no_user_data(tmp_path: Path) -> None:
    text, items, loaded = load(tmp_path, [FoundJob(V1, T1, J_OLD), FoundJob(V2, T1, J_NEW)])

    assert "userData" not in text
    assert items == {"discovered.csv": f"videoId,adopt\n{V1},{J_OLD}\n{V2},{J_NEW}\n"}
    assert {name: (job.adopt, job.user_data) for name, job in loaded.items()} == {
        f"discovered-{V1}": (J_OLD, None), f"discovered-{V2}": (J_NEW, None)}


def test_a_row_of_another_user_data_shape_is_a_plain_job_named_as_its_set_would(tmp_path: Path) -> None:
    jobs = [FoundJob(V1, T1, J_OLD, {"Extend": {"campaign": "a"}}), FoundJob(V2, T1, J_NEW, {"Extend": {"campaign": "b"}}),
            FoundJob(V3, T1, J_V2), FoundJob(V4, T1, J_FAIL, {"Extend": {"campaign": "c", "n": 1}})]

    text, items, loaded = load(tmp_path, jobs)

    assert items == {"discovered.csv": f"videoId,adopt,userData.Extend.campaign\n{V1},{J_OLD},a\n{V2},{J_NEW},b\n"}
    assert text.endswith(f"""jobs:
  discovered-{V3}:
    videoId: '{V3}'
    templateId: {T1}
    adopt: {J_V2}
  discovered-{V4}:
    videoId: '{V4}'
    templateId: {T1}
    userData:
      Extend:
        campaign: c
        n: 1
    adopt: {J_FAIL}
""")
    assert {name: job.adopt for name, job in loaded.items()} == {
        f"discovered-{V1}": J_OLD, f"discovered-{V2}": J_NEW, f"discovered-{V3}": J_V2, f"discovered-{V4}": J_FAIL}
    assert loaded[f"discovered-{V4}"].user_data == user_data_json({"Extend": {"campaign": "c", "n": 1}})


def test_a_number_that_varies_cannot_be_a_column_so_only_the_first_rows_value_goes_to_the_set(tmp_path: Path) -> None:
    jobs = [FoundJob(V1, T1, J_OLD, {"Extend": {"n": 1}}), FoundJob(V2, T1, J_NEW, {"Extend": {"n": 2}})]

    text, items, loaded = load(tmp_path, jobs)

    assert items == {"discovered.csv": f"videoId,adopt\n{V1},{J_OLD}\n"}
    assert "        n: 1\n" in text and f"jobs:\n  discovered-{V2}:\n" in text
    assert [json.loads(loaded[f"discovered-{v}"].user_data or "") for v in (V1, V2)] == [{"Extend": {"n": 1}}, {"Extend": {"n": 2}}]


def test_a_key_a_placeholder_cannot_name_keeps_its_rows_whole_under_jobs(tmp_path: Path) -> None:
    jobs = [FoundJob(V1, T1, J_OLD, {"Extend": {"{odd}": "a"}}), FoundJob(V2, T1, J_NEW, {"Extend": {"{odd}": "b"}})]

    text, items, loaded = load(tmp_path, jobs)

    assert items == {} and "jobSets" not in text
    assert [json.loads(loaded[f"discovered-{v}"].user_data or "") for v in (V1, V2)] == [j.user_data for j in jobs]


def test_user_data_secret_marks_the_set_and_the_plain_jobs(tmp_path: Path) -> None:
    jobs = [FoundJob(V1, T1, J_OLD, {"Extend": {"token": "a"}}), FoundJob(V2, T1, J_NEW, {"Extend": {"token": "b", "n": 1}})]
    rendered = render_adoption_spec("discovered", jobs, "discovered", user_data_secret=True)
    (tmp_path / "discovered.yaml").write_text(rendered.spec_text)
    for name, text in rendered.items.items():
        (tmp_path / name).write_text(text)

    loaded = load_spec_files([tmp_path / "discovered.yaml"], tmp_path)

    assert rendered.plain_jobs == (f"discovered-{V2}",)
    assert [(job.name, job.user_data_secret) for job in loaded.jobs] == [(f"discovered-{V1}", True), (f"discovered-{V2}", True)]


def test_several_templates_make_one_set_each_named_by_the_shortest_unique_prefix(tmp_path: Path) -> None:
    assert set_names("s", [T1]) == {T1: "s"}
    assert set_names("s", [T1, T2, T1]) == {T1: "s-aaaaaaaa", T2: "s-bbbbbbbb"}
    assert set_names("s", ["ab" + "0" * 30, "ab" + "0" * 7 + "1" * 23]) == {
        "ab" + "0" * 30: "s-ab00000000", "ab" + "0" * 7 + "1" * 23: "s-ab00000001"}

    _, items, loaded = load(tmp_path, [FoundJob(V1, T1, J_OLD), FoundJob(V1, T2, J_NEW)])

    assert sorted(items) == ["discovered-aaaaaaaa.csv", "discovered-bbbbbbbb.csv"]
    assert {name: (job.template_id, job.adopt) for name, job in loaded.items()} == {
        f"discovered-aaaaaaaa-{V1}": (T1, J_OLD), f"discovered-bbbbbbbb-{V1}": (T2, J_NEW)}


# -- the videos file -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "text"), [
    ("videos.csv", f"title,videoId\nA,{V1}\nB,{V2}\nA again,{V1}\n"),
    ("videos.txt", f"{V1}  # the trailer\n\n{V2}\n"),
    ("videos.yaml", f"- '{V1}'\n- videoId: '{V2}'\n"),
])
def test_videos_are_read_as_a_job_set_reads_its_items_each_once(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    assert read_video_ids(tmp_path / name, tmp_path).video_ids == [V1, V2]


def test_a_video_listed_twice_is_looked_up_once_and_said(tmp_path: Path) -> None:
    # A catalogue export may list a video on two rows (two campaigns): not an error, but not silent either.
    (tmp_path / "videos.csv").write_text(f"title,videoId\nA,{V1}\nB,{V2}\nA again,{V1}\nA once more,{V1}\n")
    listed = read_video_ids(tmp_path / "videos.csv", tmp_path)

    assert listed.video_ids == [V1, V2]
    assert listed.repeated == {V1: [2, 4, 5]}
    assert repeated_sentence(Path("videos.csv"), listed.repeated) == (
        f"videos.csv lists 1 video more than once ({V1} on lines 2, 4–5): each is looked up and adopted once")
    assert len(repeated_sentence(Path("v.csv"), {V1: list(range(2, 100_002, 2))})) < 300  # 50,000 lines: 12 ranges shown


def test_a_bad_videos_file_names_each_bad_row(tmp_path: Path) -> None:
    (tmp_path / "videos.csv").write_text(f"videoId,title\n{V1},ok\nnot-an-id,bad\n")
    (tmp_path / "videos.json").write_text("[]")

    with pytest.raises(SpecError) as bad_row:
        read_video_ids(tmp_path / "videos.csv", tmp_path)
    with pytest.raises(SpecError) as bad_suffix:
        read_video_ids(tmp_path / "videos.json", tmp_path)

    assert [str(issue) for issue in bad_row.value.issues] == [
        "videos.csv:3:1: videoId: 'not-an-id' is not a VOD id: ids are 32 lower-case hex characters [id-shape]"]
    assert [issue.code for issue in bad_suffix.value.issues] == ["items-format"]
    assert str(bad_row.value).startswith("1 problem in the videos file:")


# -- progress and report ---------------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_at_most_eleven_lines_in_a_log() -> None:
    log, terminal = io.StringIO(), Terminal()
    for err in (log, terminal):
        progress = Progress(err, "videos listed", 250)
        for _ in range(250):
            progress.advance()

    assert log.getvalue().splitlines() == [f"{done}/250 videos listed" for done in (1, *range(25, 251, 25))]
    assert terminal.getvalue().count("\r") == 250 and terminal.getvalue().endswith("] 250/250 videos listed\n")


def test_the_report_names_every_video_without_a_job(tmp_path: Path) -> None:
    plan = plan_discovery([V1, V2, V3], {V1: [J_NEW], V2: [], V3: None}, [info(J_NEW, V1)])
    rendered = render_adoption_spec("discovered", plan.adopted, "discovered")

    report = render_report(plan, tmp_path / "specs" / "discovered.yaml", rendered, tmp_path,
                           tmp_path / "specs" / "discovered-without-job.txt")

    assert report.splitlines() == [
        "Found 1 job to adopt on 1 video.",
        "Wrote specs/discovered.yaml: 1 job in job sets (items specs/discovered.csv).",
        "Next: `pulumi preview` shows 1 adoption (+ create, each job checked against the service), and `pulumi up` "
        "records their JobIds, submitting nothing.",
        "",
        "1 video without a job (listed in specs/discovered-without-job.txt); declare them to submit one:",
        f"  {V2}",
        "",
        "1 video unknown to the service (InvalidVideo.NotFound); check the ids and vodjobs:region:",
        f"  {V3}",
    ]


def test_the_report_says_a_filtered_video_has_no_job_on_those_templates_and_a_spec_the_stack_does_not_read(tmp_path: Path) -> None:
    plan = plan_discovery([V1, V2], {V1: [J_NEW], V2: []}, [info(J_NEW, V1)])
    rendered = render_adoption_spec("discovered", plan.adopted, "discovered")

    report = render_report(plan, tmp_path / "other" / "discovered.yaml", rendered, tmp_path, None, [TEMPLATE],
                           ("dev", "specs/**/*.{yaml,yml}"))

    assert ("Not read yet: stack dev reads the spec files 'specs/**/*.{yaml,yml}', which do not include "
            "other/discovered.yaml; move it there, or change the stack's vodjobs:specs, before `pulumi preview`.") in report
    assert "Next:" not in report
    assert ("1 video without a job on the template of --template-id (jobs on other templates are listed below as not "
            "adopted); declare them to submit one:") in report


# -- the command line and the calls ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("argv", "message"), [
    (["--set", "bad name", V1], "--set 'bad name' cannot name a job set"),
    (["not-an-id"], "VIDEO_ID 'not-an-id' is not a VOD id"),
    (["--template-id", "x", V1], "--template-id 'x' is not a VOD id"),
    ([], "no videos: give --videos FILE or video ids as arguments"),
    (["--out", "specs/x.json", V1], "--out 'x.json': a spec file ends in .yaml or .yml"),
])
def test_usage_problems_exit_2_before_any_call(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                               message: str) -> None:
    assert main(["discover", "--cwd", str(tmp_path), *argv]) == 2
    assert message in capsys.readouterr().err


def test_an_existing_spec_is_not_overwritten_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "discovered.yaml").write_text("jobs: {}\n")

    assert main(["discover", "--cwd", str(tmp_path), V1]) == 2
    assert "specs/discovered.yaml already exists: add --force" in capsys.readouterr().err


def test_an_unknown_option_names_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["discover", "--templat-id", T1, V1])
    assert exited.value.code == 2
    assert "unknown option --templat-id (did you mean --template-id?)" in capsys.readouterr().err


def test_videos_are_listed_one_call_each_and_jobs_read_ten_per_call(inprocess_emulator: EmulatorServer) -> None:
    client = VodClient(inprocess_emulator.url, Credentials(TEST_KEY.access_key_id, TEST_KEY.access_key_secret))
    videos = [f"{n:032x}" for n in range(1, 16)]
    inprocess_emulator.app.seed({"videos": [{"VideoId": video} for video in videos]})
    job_ids = {video: client.submit_ai_image_job(video, TEMPLATE).job_id for video in videos[:12]}
    unknown = "f" * 32
    mark = inprocess_emulator.app.log_position()

    plan = discover(client, [*videos, unknown], [], io.StringIO())

    calls = inprocess_emulator.app.requests(mark)
    assert [c["action"] for c in calls].count("ListAIImageInfo") == 16
    reads = [c["params"]["JobIds"].split(",") for c in calls if c["action"] == "GetAIImageJobs"]
    assert sorted(len(ids) for ids in reads) == [2, 10]
    assert {job.video_id: job.job_id for job in plan.adopted} == job_ids
    assert plan.without_job == tuple(videos[12:]) and plan.unknown_videos == (unknown,)


def test_a_spec_that_would_clash_with_the_stack_s_specs_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    # The stack already has a set `cat` whose items are specs/cat.csv, and adopts J_NEW: a discover with --set cat
    # (and --force, which would overwrite cat.csv) would leave a stack that no longer loads.
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "cat.yaml").write_text(f"jobSets:\n  cat:\n    items: cat.csv\n    templateId: {TEMPLATE}\n"
                                                 f"jobs:\n  legacy:\n    videoId: '{V3}'\n    templateId: {TEMPLATE}\n"
                                                 f"    adopt: {J_NEW}\n")
    (tmp_path / "specs" / "cat.csv").write_text(f"videoId\n{V2}\n")
    plan = plan_discovery([V1], {V1: [J_NEW]}, [info(J_NEW, V1)])
    rendered = render_adoption_spec("cat", plan.adopted, "cat")
    spec_path = tmp_path / "specs" / "new-cat.yaml"
    written = _check_loads(rendered, "cat.yaml", 1)

    with pytest.raises(DiscoverUsageError) as refused:
        _refuse_clashes([tmp_path / "specs" / "cat.yaml"], tmp_path, spec_path, rendered, written)

    assert str(refused.value).splitlines() == [
        "what it would write clashes with the stack's specs, so nothing was written:",
        "  job set 'cat' is already declared at specs/cat.yaml:2",
        f"  JobId {J_NEW} is already adopted by job 'legacy' at specs/cat.yaml:6",
        "  specs/cat.csv is the items file of job set 'cat' (specs/cat.yaml:2); writing it would change that set's jobs",
        "choose another --set or --out (or remove what it names first)",
    ]
    assert not spec_path.exists()
