"""Job sets: one `jobSets:` entry and a catalogue file (CSV, plain list, YAML list) expand into ordinary jobs.

Each story writes a spec file and its items beside it, loads the set as `pulumi preview` would, and checks the
JobSpecs or every issue, exactly.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from vod_provider.spec.loader import DEFAULT_SPEC_GLOB, JobSpec, SpecError, SpecSet, find_spec_files, load_spec_files
from vod_provider.spec.placeholders import Pattern, PlaceholderError, compile_pattern

V = [f"{n:x}" * 32 for n in range(10, 16)]  # aaaa…, bbbb…, … ffff…: six VideoIds
TEMPLATE_ID = "7d2e4f6a8b0c4d1e9f3a5b7c9d1e3f5a"
PIPELINE = "6492025b8f4a4b1e96ba5bb755a33438"
TEMPLATES = "templates:\n  animated-cover: {format: gif}\n  still: {format: png}\n"


def write(folder: Path, files: dict[str, str]) -> list[Path]:
    (folder / "specs").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        head = TEMPLATES if text.startswith(TEMPLATES) else ""  # a story's own text is indented with its code
        body = textwrap.dedent(text[len(head):]).lstrip("\n")
        (folder / "specs" / name).write_text(head + body, encoding="utf-8")
    return find_spec_files(DEFAULT_SPEC_GLOB, folder)


def load(folder: Path, files: dict[str, str]) -> SpecSet:
    return load_spec_files(write(folder, files), folder)


def problems(folder: Path, files: dict[str, str]) -> list[str]:
    with pytest.raises(SpecError) as raised:
        load(folder, files)
    return [str(issue) for issue in raised.value.issues]


def by_name(specs: SpecSet) -> dict[str, JobSpec]:
    return {job.name: job for job in specs.jobs}


def csv(*rows: str) -> str:
    return "\n".join(rows) + "\n"


# -- what a set declares ---------------------------------------------------------------------------------------


def test_a_csv_row_fills_the_set_fields_and_the_job_is_named_by_its_key(tmp_path: Path) -> None:
    specs = load(tmp_path, {
        "covers.yaml": TEMPLATES + """
            defaults:
              wait: 10m
              userData: {MessageCallback: {CallbackURL: "https://hooks.example.com/vod"}}
            jobSets:
              trailers:
                items: trailers.csv
                template: animated-cover
                pipelineId: "{pipeline}"
                userData: {Extend: {campaign: "{campaign}", set: "{set}", braces: "{{literal}}"}}
            """,
        "trailers.csv": csv("videoId,campaign,pipeline,revision", f"{V[0]},spring,{PIPELINE},2", f"{V[1]},summer,{PIPELINE},"),
    })

    jobs = by_name(specs)
    assert sorted(jobs) == [f"trailers-{V[0]}", f"trailers-{V[1]}"]
    first = jobs[f"trailers-{V[0]}"]
    assert (first.video_id, first.template_name, first.template_id, first.pipeline_id, first.revision, first.wait_seconds) == (
        V[0], "animated-cover", None, PIPELINE, 2, 600.0)
    assert first.user_data == ('{"Extend":{"braces":"{literal}","campaign":"spring","set":"trailers"},'
                               '"MessageCallback":{"CallbackURL":"https://hooks.example.com/vod"}}')
    assert (first.file, first.line, first.job_set) == ("specs/trailers.csv", 2, "trailers")
    assert jobs[f"trailers-{V[1]}"].revision == 0  # an empty cell sets nothing
    assert [(s.name, s.file, s.line, s.items_file, s.jobs) for s in specs.job_sets] == [
        ("trailers", "specs/covers.yaml", 8, "specs/trailers.csv", 2)]
    assert specs.files == ("specs/covers.yaml",)


def test_reordering_rows_changes_no_job_and_removing_one_forgets_only_its_job(tmp_path: Path) -> None:
    spec = {"covers.yaml": TEMPLATES + "jobSets:\n  trailers:\n    items: t.csv\n    template: still\n"
                                       "    userData: {Extend: {campaign: '{campaign}'}}\n"}
    rows = [f"{V[n]},c{n}" for n in range(5)]
    before = load(tmp_path / "a", {**spec, "t.csv": csv("videoId,campaign", *rows)}).jobs
    shuffled = load(tmp_path / "b", {**spec, "t.csv": csv("campaign,videoId", *(",".join(r.split(",")[::-1]) for r in rows[::-1]))}).jobs
    removed = load(tmp_path / "c", {**spec, "t.csv": csv("videoId,campaign", *rows[:2], *rows[3:])}).jobs

    assert shuffled == before
    assert set(before) - set(removed) == {before[2]} and set(removed) < set(before)


def test_a_matrix_runs_every_template_on_every_video_and_names_both(tmp_path: Path) -> None:
    specs = load(tmp_path, {
        "covers.yaml": TEMPLATES + f"""
            jobSets:
              season:
                items: [{V[0]}, {{videoId: {V[1]}, revision: 1}}]
                templates: [animated-cover, still]
              by-id:
                items: [{V[2]}]
                templateIds: [{TEMPLATE_ID}]
                name: "cover-{{videoId}}-{{template}}"
                aliases: ["{{set}}-{{videoId}}-{{template}}"]
            """,
    })

    assert sorted((j.name, j.template_name or j.template_id, j.revision) for j in specs.jobs) == [
        (f"cover-{V[2]}-{TEMPLATE_ID}", TEMPLATE_ID, 0),
        (f"season-{V[0]}-animated-cover", "animated-cover", 0), (f"season-{V[0]}-still", "still", 0),
        (f"season-{V[1]}-animated-cover", "animated-cover", 1), (f"season-{V[1]}-still", "still", 1),
    ]
    assert by_name(specs)[f"cover-{V[2]}-{TEMPLATE_ID}"].aliases == (f"by-id-{V[2]}-{TEMPLATE_ID}",)


def test_former_name_patterns_become_each_job_aliases(tmp_path: Path) -> None:
    specs = load(tmp_path, {"covers.yaml": f"""
        jobSets:
          trailers:
            items: [{V[0]}, {V[1]}]
            templateId: {TEMPLATE_ID}
            name: "trailer-{{videoId}}"
            aliases: ["{{set}}-{{videoId}}", "old.{{videoId}}"]
        """})

    assert {j.name: j.aliases for j in specs.jobs} == {
        f"trailer-{v}": (f"trailers-{v}", f"old.{v}") for v in V[:2]}


def test_a_set_of_one_template_becomes_a_matrix_of_it_keeping_its_jobs_by_an_alias(tmp_path: Path) -> None:
    # `templateId: X` → `templateIds: [X]` (to add templates later): the former names `<set>-<videoId>` stay the jobs'
    # aliases, so nothing is submitted again; with two templates the alias would name two jobs, and is refused.
    one = load(tmp_path / "one", {"covers.yaml": f"""
        jobSets:
          trailers:
            items: [{V[0]}]
            templateIds: [{TEMPLATE_ID}]
            aliases: ["{{set}}-{{videoId}}"]
        """})
    two = problems(tmp_path / "two", {"covers.yaml": f"""
        jobSets:
          trailers:
            items: [{V[0]}]
            templateIds: [{TEMPLATE_ID}, {PIPELINE}]
            aliases: ["{{set}}-{{videoId}}"]
        """})

    assert [(job.name, job.aliases) for job in one.jobs] == [(f"trailers-{V[0]}-{TEMPLATE_ID}", (f"trailers-{V[0]}",))]
    assert [line.rsplit(" ", 1)[1] for line in two] == ["[name-pattern]"]


def test_defaults_may_name_the_template_of_every_job_and_set_of_the_file(tmp_path: Path) -> None:
    specs = load(tmp_path, {"covers.yaml": TEMPLATES + f"""
        defaults:
          template: still
        jobs:
          plain:
            videoId: {V[0]}
          own:
            videoId: {V[1]}
            templateId: {TEMPLATE_ID}       # a job's template or templateId replaces the default one
        jobSets:
          listed:
            items: ids.txt
        """, "ids.txt": f"# trailers of season 1\n{V[2]}\n\n  {V[3]}   # the finale\n"})

    assert {j.name: (j.template_name, j.template_id) for j in specs.jobs} == {
        "plain": ("still", None), "own": (None, TEMPLATE_ID),
        f"listed-{V[2]}": ("still", None), f"listed-{V[3]}": ("still", None)}


def test_a_column_named_like_a_job_field_sets_it_for_its_row(tmp_path: Path) -> None:
    job_id = "fbbf28864586d6bf6a816745c18b80c3"
    specs = load(tmp_path, {
        "covers.yaml": TEMPLATES + "jobSets:\n  mixed:\n    items: m.csv\n    template: still\n    wait: 5m\n",
        "m.csv": csv("videoId,template,templateId,pipelineId,revision,adopt,wait",
                     f"{V[0]},animated-cover,,{PIPELINE},3,{job_id},false",
                     f"{V[1]},,{TEMPLATE_ID},,,,true",
                     f"{V[2]},,,,,,"),
    })

    assert {j.video_id: (j.template_name, j.template_id, j.pipeline_id, j.revision, j.adopt, j.wait_seconds) for j in specs.jobs} == {
        V[0]: ("animated-cover", None, PIPELINE, 3, job_id, None),
        V[1]: (None, TEMPLATE_ID, None, 0, None, 1800.0),
        V[2]: ("still", None, None, 0, None, 300.0),
    }


def test_the_default_glob_reads_yml_files_and_an_items_file_is_not_a_spec_file(tmp_path: Path) -> None:
    specs = load(tmp_path, {
        "covers.yml": f"jobSets:\n  listed:\n    items: ids.yaml\n    templateId: {TEMPLATE_ID}\n",
        "ids.yaml": f"- {V[0]}\n- videoId: {V[1]}\n",
    })

    assert specs.files == ("specs/covers.yml",)
    assert sorted(j.name for j in specs.jobs) == [f"listed-{V[0]}", f"listed-{V[1]}"]
    assert [(j.file, j.line) for j in specs.jobs] == [("specs/ids.yaml", 1), ("specs/ids.yaml", 2)]


# -- what is refused, each at its row --------------------------------------------------------------------------


def test_every_bad_row_is_reported_at_once_at_its_line(tmp_path: Path) -> None:
    lines = problems(tmp_path, {
        "covers.yaml": TEMPLATES + """
            jobs:
              plain:
                videoId: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
                template: still
                aliases: [trailers-cccccccccccccccccccccccccccccccc]
            jobSets:
              trailers:
                items: trailers.csv
                template: animated-cover
                userData: {Extend: {note: "{note}"}}
            """,
        "trailers.csv": csv("videoId,note,revision",
                            f"{V[0]},ok,0",
                            "not-an-id,ok,0",
                            f"{V[1]},ok,one",
                            f"{V[0]},dup,0",
                            f"{V[3]},{'x' * 600},0",
                            f"{V[4]},ok",
                            f"{V[2]}ok,ok,0",
                            f"{V[2]},ok,0"),
    })

    assert lines == [
        "specs/trailers.csv:3:1: videoId: 'not-an-id' is not a VOD id: ids are 32 lower-case hex characters [id-shape]",
        "specs/trailers.csv:4:37: revision: must be a whole number (0, 1, 2, …), not the text 'one' [type]",
        f"specs/trailers.csv:5:1: videoId: videoId {V[0]} is also at line 2 (specs/trailers.csv:2); a set lists each video "
        "once, as its jobs are named by it: remove one of the two rows [duplicate-item]",
        "specs/trailers.csv:6:1: userData: userData filled from this item serialises to 622 bytes of UTF-8 JSON; the API "
        "accepts at most 512: shorten this item's values or the set's userData [user-data-size]",
        "specs/trailers.csv:7:1: (row): the row has 2 values, the header has 3 columns (videoId, note, revision); quote a "
        "value that holds a comma [csv-row]",
        f"specs/trailers.csv:8:1: videoId: '{V[2]}ok' is not a VOD id: ids are 32 lower-case hex characters [id-shape]",
        f"specs/trailers.csv:9:1: videoId: job 'trailers-{V[2]}' is also an alias of job 'plain' at specs/covers.yaml:8; "
        "job names and aliases are unique across all spec files [duplicate-alias]",
    ]


def test_a_job_of_a_set_that_clashes_with_a_plain_job_is_reported_at_its_row(tmp_path: Path) -> None:
    lines = problems(tmp_path, {
        "a.yaml": f"jobs:\n  trailers-{V[1]}:\n    videoId: {V[1]}\n    templateId: {TEMPLATE_ID}\n",
        "b.yaml": f"jobSets:\n  trailers:\n    items: t.txt\n    templateId: {TEMPLATE_ID}\n",
        "t.txt": f"{V[0]}\n{V[1]}\n",
    })

    assert lines == [f"specs/t.txt:2:1: videoId: job 'trailers-{V[1]}' is also declared at specs/a.yaml:2; "
                     "job names and aliases are unique across all spec files [duplicate-job]"]


def test_a_placeholder_naming_no_column_is_reported_once_at_the_header_or_at_each_item(tmp_path: Path) -> None:
    lines = problems(tmp_path, {
        "covers.yaml": f"""
            jobSets:
              from-csv:
                items: t.csv
                templateId: {TEMPLATE_ID}
                userData: {{Extend: {{campaign: "{{campaign}}"}}}}
              inline:
                items:
                  - {{videoId: {V[0]}, campaign: spring}}
                  - {{videoId: {V[1]}}}
                templateId: {TEMPLATE_ID}
                userData: {{Extend: {{campaign: "{{campaign}}"}}}}
            """,
        "t.csv": csv("videoId", V[0], V[1]),
    })

    assert lines == [
        "specs/covers.yaml:9:9: jobSets.inline.items.1.userData: {campaign} in the set's userData names no value of this "
        "item (it has: videoId) [missing-column]",
        "specs/t.csv:1:1: (header): the set 'from-csv' fills {campaign} in its userData from this file, which has no column "
        "'campaign' (columns: videoId) [missing-column]",
    ]


def test_a_row_s_every_problem_and_its_set_s_are_reported_in_one_run(tmp_path: Path) -> None:
    # One fix-and-validate round, not one per problem: a typo in the set does not hide its rows, nor one bad field
    # of a row the next, nor a placeholder naming no column a row's name clash.
    lines = problems(tmp_path, {
        "covers.yaml": f"""
            jobs:
              plain:
                videoId: {V[2]}
                templateId: {TEMPLATE_ID}
                aliases: [trailers-{V[1]}, typo-{V[2]}]
            jobSets:
              typo:
                items: typo.csv
                templateId: {TEMPLATE_ID}
                pipelineID: {PIPELINE}
              trailers:
                items: trailers.csv
                templateId: {TEMPLATE_ID}
                userData: {{Extend: {{region: "{{region}}"}}}}
            """,
        "typo.csv": csv("videoId", "not-an-id", V[2]),
        "trailers.csv": csv("videoId,revision,wait,adopt", f"{V[0]},abc,forever,XYZ", f"{V[1]},,,"),
    })

    assert [line.split(": ", 1)[0] + " " + line.rsplit(" ", 1)[1] for line in lines] == [
        "specs/covers.yaml:10:5 [unknown-key]",
        "specs/trailers.csv:1:1 [missing-column]",
        "specs/trailers.csv:2:34 [type]",
        "specs/trailers.csv:2:38 [type]",
        "specs/trailers.csv:2:46 [id-shape]",
        "specs/trailers.csv:3:1 [duplicate-alias]",
        "specs/typo.csv:2:1 [id-shape]",
        "specs/typo.csv:3:1 [duplicate-alias]",
    ]
    assert "pipelineId" in lines[0]  # the nearest known key


def test_the_rules_of_a_whole_set_are_checked_once_where_the_set_is_written(tmp_path: Path) -> None:
    lines = problems(tmp_path, {
        "covers.yaml": TEMPLATES + f"""
            jobSets:
              bad-name:
                items: [{V[0]}]
                templateId: {TEMPLATE_ID}
                name: "{{set}}-{{campaign}}"
              no-video:
                items: [{V[0]}]
                templates: [still]
                name: "{{set}}-{{template}}"
              matrix-without-template:
                items: [{V[0]}]
                templates: [still, animated-cover]
                name: "{{videoId}}"
              unbalanced:
                items: [{V[0]}]
                templateId: {TEMPLATE_ID}
                pipelineId: "{{pipeline"
              wrong-file:
                items: trailers.xlsx
                templateId: {TEMPLATE_ID}
              missing-file:
                items: nowhere.csv
                templateId: {TEMPLATE_ID}
              empty:
                items: []
                templateId: {TEMPLATE_ID}
              two-templates:
                items: [{V[0]}]
                template: still
                templateIds: [{TEMPLATE_ID}]
            """,
    })

    assert lines == [
        "specs/covers.yaml:8:11: jobSets.bad-name.name: the name pattern may use only the key fields {set}, {videoId}, not "
        "{campaign}: a job's name is its identity, so a change of any other value replaces the job instead of renaming it "
        "[name-pattern]",
        "specs/covers.yaml:12:11: jobSets.no-video.name: the name pattern must use {videoId}: without it every item of the "
        "set gets the same name [name-pattern]",
        "specs/covers.yaml:16:11: jobSets.matrix-without-template.name: the name pattern must use {template} in a matrix "
        "(`templates:` or `templateIds:`): without it the templates of one video get the same name [name-pattern]",
        "specs/covers.yaml:20:17: jobSets.unbalanced.pipelineId: '{' at character 1 of '{pipeline' opens or closes no "
        "placeholder; write '{{' for a literal '{' [placeholder]",
        "specs/covers.yaml:22:12: jobSets.wrong-file.items: items file 'trailers.xlsx' must end in .csv, .txt, .list, .yaml, "
        ".yml (CSV with a header row, one videoId per line, or a YAML list) [items-format]",
        "specs/covers.yaml:25:12: jobSets.missing-file.items: cannot read the items file specs/nowhere.csv: No such file "
        "or directory [items-file]",
        "specs/covers.yaml:28:12: jobSets.empty.items: a job set lists at least one item; to forget every job of the set, "
        "remove the set [items-empty]",
        "specs/covers.yaml:31:5: jobSets.two-templates: set only one of template, templateId, templates or templateIds "
        "[one-of]",
    ]


def test_spaces_around_a_csv_value_are_refused_at_its_cell_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    # `a, b` would send " b": refused, as a videoId with spaces is; lines of spaces and rows of empty cells (a
    # spreadsheet's export may end with `,,`) are blank lines.
    lines = problems(tmp_path, {
        "covers.yaml": f"jobSets:\n  s:\n    items: s.csv\n    templateId: {TEMPLATE_ID}\n"
                       "    userData: {Extend: {campaign: \"{campaign}\"}}\n",
        "s.csv": f"videoId, campaign\n{V[0]},spring\n   \n{V[1]}, summer \n,\n{V[2]} ,fall\n",
    })

    assert lines == [
        "specs/s.csv:1:9: (header): ' campaign' has spaces around it; remove them (a value is used as written: `a, b` "
        "would send ' b') [whitespace]",
        "specs/s.csv:4:34: campaign: ' summer ' has spaces around it; remove them (a value is used as written: `a, b` "
        "would send ' b') [whitespace]",
        "specs/s.csv:6:1: videoId: " + repr(V[2] + " ") + " has spaces around it; remove them (a value is used as "
        "written: `a, b` would send ' b') [whitespace]",
    ]


def test_a_csv_header_needs_a_video_id_column_and_distinct_names(tmp_path: Path) -> None:
    lines = problems(tmp_path, {
        "covers.yaml": f"jobSets:\n  a:\n    items: a.csv\n    templateId: {TEMPLATE_ID}\n"
                       f"  b:\n    items: b.csv\n    templateId: {TEMPLATE_ID}\n",
        "a.csv": csv("video,campaign", f"{V[0]},x"),
        "b.csv": csv("videoId,note,note", f"{V[0]},x,y"),
    })

    assert lines == [
        "specs/a.csv:1:1: (header): the header row has no videoId column (columns: video, campaign); the first row of a CSV "
        "of items names its columns, one of them videoId [missing-column]",
        "specs/b.csv:1:14: note: column 'note' is named twice in the header; rename one [duplicate-column]",
    ]


def test_a_row_of_a_matrix_cannot_choose_its_template_and_a_row_needs_one(tmp_path: Path) -> None:
    lines = problems(tmp_path, {
        "covers.yaml": TEMPLATES + "jobSets:\n  m:\n    items: m.csv\n    templates: [still]\n"
                                   "  n:\n    items: n.csv\n",
        "m.csv": csv("videoId,template", f"{V[0]},animated-cover", f"{V[1]},"),
        "n.csv": csv("videoId,template", f"{V[0]},", f"{V[1]},nope"),
    })

    assert lines == [
        "specs/m.csv:2:34: template: a matrix set (`templates:`/`templateIds:`) runs each of its templates on every item; "
        "leave this column empty, or list the templates per item in sets of their own [template-column]",
        "specs/n.csv:2:1: template: no template for this item: give the set `template:`, `templateId:`, `templates:` or "
        "`templateIds:`, a template or templateId column, or one in the file's `defaults:` [one-of]",
        "specs/n.csv:3:34: template: no template named 'nope' is declared under `templates:` in any spec file (declared: "
        "animated-cover, still); declare it, or use templateId for an existing template [unknown-template]",
    ]


def test_two_sets_of_one_name_collide_across_files(tmp_path: Path) -> None:
    body = f"jobSets:\n  trailers:\n    items: [{{videoId: {V[0]}}}]\n    templateId: {TEMPLATE_ID}\n"

    lines = problems(tmp_path, {"a.yaml": body, "b.yaml": body.replace("trailers:", "trailers:\n    name: '{videoId}-b'")})

    assert lines[0] == ("specs/b.yaml:2:3: jobSets.trailers: job set 'trailers' is also declared at specs/a.yaml:2; "
                        "set names are unique across all spec files [duplicate-set]")


# -- placeholders ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "parts"), [
    ("plain", ("plain",)),
    ("{set}-{videoId}", ("", "set", "-", "videoId", "")),
    ("{{literal}} {Video title}", ("{literal} ", "Video title", "")),
    ("a}}b{{c", ("a}b{c",)),
])
def test_a_pattern_splits_into_literal_text_and_placeholder_names(text: str, parts: tuple[str, ...]) -> None:
    assert compile_pattern(text) == Pattern(parts)


@pytest.mark.parametrize("text", ["{open", "close}", "{}", "a{b{c}}"])
def test_an_unbalanced_or_empty_brace_is_refused(text: str) -> None:
    with pytest.raises(PlaceholderError):
        compile_pattern(text)


def test_filling_a_pattern_keeps_braces_of_the_values_and_names_a_missing_one() -> None:
    pattern = compile_pattern("{{x}}{a}-{b}")

    assert pattern.fill({"a": "{1}", "b": "2"}) == "{x}{1}-2"
    with pytest.raises(KeyError, match="b"):
        pattern.fill({"a": "1"})


def test_an_emptied_items_file_or_one_outside_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path.parent / "elsewhere.csv").write_text(csv("videoId", V[0]))
    lines = problems(tmp_path, {
        "covers.yaml": f"jobSets:\n  header-only:\n    items: a.csv\n    templateId: {TEMPLATE_ID}\n"
                       f"  comments-only:\n    items: b.txt\n    templateId: {TEMPLATE_ID}\n"
                       f"  empty-list:\n    items: c.yml\n    templateId: {TEMPLATE_ID}\n"
                       f"  outside:\n    items: ../../elsewhere.csv\n    templateId: {TEMPLATE_ID}\n",
        "a.csv": csv("videoId,campaign"),
        "b.txt": "# nothing yet\n\n",
        "c.yml": "[]\n",
    })

    assert [line.split(": ", 2)[1] + " " + line.rsplit(" ", 1)[1] for line in lines] == [
        "jobSets.header-only.items [items-empty]", "jobSets.comments-only.items [items-empty]",
        "jobSets.empty-list.items [items-empty]", "jobSets.outside.items [items-path]"]
    assert "specs/a.csv lists no item; a job set lists at least one" in lines[0]


SECRET_LINE = "ALIBABA_CLOUD_ACCESS_KEY_SECRET=not-for-the-log"


def test_a_symlink_to_a_file_outside_the_project_is_never_read_as_items_or_as_a_spec(tmp_path: Path) -> None:
    # A pull request can add symlinks: one to the runner's environment or a credentials file must not be read, or its
    # lines would come back as "not a VOD id" messages in the CI log and the pull-request annotations.
    outside = tmp_path / "runner-home"
    outside.mkdir()
    (outside / "credentials.csv").write_text(csv("videoId", SECRET_LINE))
    (outside / "config.yaml").write_text(f"jobs:\n  - {{name: a, videoId: '{SECRET_LINE}', templateId: {TEMPLATE_ID}}}\n")
    project = tmp_path / "project"
    (project / "specs").mkdir(parents=True)
    (project / "specs" / "covers.yaml").write_text(f"jobSets:\n  s:\n    items: link.csv\n    templateId: {TEMPLATE_ID}\n")
    (project / "specs" / "link.csv").symlink_to(outside / "credentials.csv")
    (project / "specs" / "linked.yaml").symlink_to(outside / "config.yaml")

    with pytest.raises(SpecError) as raised:
        load_spec_files(find_spec_files(DEFAULT_SPEC_GLOB, project), project)

    lines = [str(issue) for issue in raised.value.issues]
    assert [line.rsplit(" ", 1)[1] for line in lines] == ["[items-path]", "[spec-path]"]
    assert "specs/covers.yaml:3:12: jobSets.s.items: items file 'link.csv' is a symlink to a file outside the project" in lines[0]
    assert lines[1].startswith("specs/linked.yaml:1:1: (file): specs/linked.yaml is a symlink to a file outside the project")
    assert not any("ALIBABA" in line for line in lines)


def test_a_set_naming_a_spec_file_as_its_items_is_refused_and_the_spec_file_is_kept(tmp_path: Path) -> None:
    # `items: demo.yaml` for `demo.csv`: taking a spec file as items would forget every job it declares.
    lines = problems(tmp_path, {
        "demo.yaml": f"jobs:\n  plain:\n    videoId: {V[0]}\n    templateId: {TEMPLATE_ID}\n"
                     f"jobSets:\n  self:\n    items: demo.yaml\n    templateId: {TEMPLATE_ID}\n"
                     f"  other:\n    items: other.yaml\n    templateId: {TEMPLATE_ID}\n",
        "other.yaml": f"jobs:\n  kept:\n    videoId: {V[1]}\n    templateId: {TEMPLATE_ID}\n",
    })

    assert lines == [
        "specs/demo.yaml:7:12: jobSets.self.items: items file 'demo.yaml' is the spec file specs/demo.yaml (it declares "
        "jobs, sets or templates); an items file lists videos: a CSV, a plain list or a YAML list [items-path]",
        "specs/demo.yaml:10:12: jobSets.other.items: items file 'other.yaml' is the spec file specs/other.yaml (it "
        "declares jobs, sets or templates); an items file lists videos: a CSV, a plain list or a YAML list [items-path]",
    ]


def test_the_spec_glob_never_walks_into_a_symlinked_folder_and_says_so(tmp_path: Path) -> None:
    # A link to / or back to a parent, which a pull request can add, would be walked for ever (a CI run stalled); a
    # folder skipped in silence would forget its jobs, so each is named. Hidden files match only when named.
    write(tmp_path, {"a.yaml": "jobs: {}\n"})
    (tmp_path / "specs" / "root").symlink_to("/")
    (tmp_path / "specs" / "loop").symlink_to("..")
    (tmp_path / "specs" / ".draft.yaml").write_text("jobs: {}\n")

    with pytest.raises(SpecError) as raised:
        find_spec_files(DEFAULT_SPEC_GLOB, tmp_path)

    assert sorted(issue.file for issue in raised.value.issues) == ["specs/loop", "specs/root"]
    assert {issue.code for issue in raised.value.issues} == {"spec-path"}
    (tmp_path / "specs" / "root").unlink()
    (tmp_path / "specs" / "loop").unlink()
    assert find_spec_files(DEFAULT_SPEC_GLOB, tmp_path) == [tmp_path / "specs" / "a.yaml"]
    assert find_spec_files("specs/.draft.yaml", tmp_path) == [tmp_path / "specs" / ".draft.yaml"]


def test_the_top_folder_of_the_glob_may_be_a_link(tmp_path: Path) -> None:
    elsewhere = tmp_path / "shared"
    (elsewhere / "team").mkdir(parents=True)
    (elsewhere / "team" / "a.yaml").write_text("jobs: {}\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "specs").symlink_to(elsewhere)

    assert find_spec_files(DEFAULT_SPEC_GLOB, project) == [project / "specs" / "team" / "a.yaml"]


def test_a_symlink_that_stays_in_the_project_is_read(tmp_path: Path) -> None:
    (tmp_path / "catalogue").mkdir()
    (tmp_path / "catalogue" / "trailers.csv").write_text(csv("videoId", V[0]))
    write(tmp_path, {"covers.yaml": f"jobSets:\n  s:\n    items: trailers.csv\n    templateId: {TEMPLATE_ID}\n"})
    (tmp_path / "specs" / "trailers.csv").symlink_to(tmp_path / "catalogue" / "trailers.csv")

    assert [job.name for job in load_spec_files(find_spec_files(DEFAULT_SPEC_GLOB, tmp_path), tmp_path).jobs] == [f"s-{V[0]}"]


def test_a_long_wrong_value_is_quoted_cut_with_its_length(tmp_path: Path) -> None:
    lines = problems(tmp_path, {
        "covers.yaml": f"jobSets:\n  s:\n    items: s.csv\n    templateId: {TEMPLATE_ID}\n",
        "s.csv": csv("videoId", "x" * 200),
    })

    assert lines == ["specs/s.csv:2:1: videoId: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'… (200 characters) is not a VOD id: "
                     "ids are 32 lower-case hex characters [id-shape]"]


def test_an_items_file_reached_through_a_symlinked_specs_folder_is_inside_the_project(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "covers.yaml").write_text(f"jobSets:\n  s:\n    items: s.csv\n    templateId: {TEMPLATE_ID}\n")
    (elsewhere / "s.csv").write_text(csv("videoId", V[0]))
    project = tmp_path / "project"
    project.mkdir()
    (project / "specs").symlink_to(elsewhere)  # a checkout that links its specs, as the demo's test clones do

    loaded = load_spec_files([project / "specs" / "covers.yaml"], project)

    assert [job.name for job in loaded.jobs] == [f"s-{V[0]}"]


def test_an_items_file_that_is_not_utf8_text_or_has_an_unclosed_quote_is_reported_where_it_breaks(tmp_path: Path) -> None:
    # A spreadsheet's export in a legacy code page (é as 0xe9), its "Unicode text" (UTF-16: a NUL after each ASCII
    # character, read here without its byte-order mark), and a quote left open, found only at the end of the file.
    write(tmp_path, {
        "covers.yaml": f"jobSets:\n  latin:\n    items: a.csv\n    templateId: {TEMPLATE_ID}\n"
                       f"  wide:\n    items: b.txt\n    templateId: {TEMPLATE_ID}\n"
                       f"  quoted:\n    items: c.csv\n    templateId: {TEMPLATE_ID}\n",
        "c.csv": csv("videoId,campaign", f"{V[0]},spring", f'{V[1]},"summer', f"{V[2]},fall"),
    })
    (tmp_path / "specs" / "a.csv").write_bytes(f"videoId,campaign\n{V[0]},spring\n{V[1]},caf".encode() + b"\xe9\n")
    (tmp_path / "specs" / "b.txt").write_bytes(f"{V[0]}\n{V[1]}\n".encode("utf-16-le"))
    with pytest.raises(SpecError) as raised:
        load_spec_files(find_spec_files(DEFAULT_SPEC_GLOB, tmp_path), tmp_path)

    csv_save_as = "save the file as UTF-8 text (in a spreadsheet: 'CSV UTF-8')"
    assert [str(issue) for issue in raised.value.issues] == [
        f"specs/a.csv:3:37: (file): byte 0xe9 is not UTF-8 (invalid continuation byte); {csv_save_as} [not-text]",
        "specs/b.txt:1:2: (file): a NUL character: this is not a text file, or it is UTF-16 text; save the file as UTF-8 "
        "text [not-text]",
        "specs/c.csv:3:1: (file): not valid CSV: unexpected end of data (the record starting on this line runs on to "
        "line 4 inside a quoted value: is a closing quote missing?) [csv-syntax]",
    ]


def test_a_spec_file_that_is_not_utf8_is_reported_at_its_first_bad_byte_once_even_as_items(tmp_path: Path) -> None:
    # items.yaml is matched by the spec glob and named as a set's items: read both ways, reported once.
    write(tmp_path, {"covers.yaml": f"jobSets:\n  s:\n    items: items.yaml\n    templateId: {TEMPLATE_ID}\n"})
    (tmp_path / "specs" / "legacy.yaml").write_bytes(b"jobs:\n  cover:\n    videoId: x\n    # caf\xe9\n")
    (tmp_path / "specs" / "items.yaml").write_bytes(b"- videoId: x\n  # caf\xe9\n")
    (tmp_path / "specs" / "nul.yaml").write_bytes(b"jobs:\n  a\x00: {}\n")
    with pytest.raises(SpecError) as raised:
        load_spec_files(find_spec_files(DEFAULT_SPEC_GLOB, tmp_path), tmp_path)

    assert [str(issue) for issue in raised.value.issues] == [
        "specs/items.yaml:2:8: (file): byte 0xe9 is not UTF-8 (invalid continuation byte); save the file as UTF-8 text "
        "[not-text]",
        "specs/legacy.yaml:4:10: (file): byte 0xe9 is not UTF-8 (invalid continuation byte); save the file as UTF-8 "
        "text [not-text]",
        "specs/nul.yaml:2:4: (file): a NUL character: this is not a text file, or it is UTF-16 text; save the file as "
        "UTF-8 text [not-text]"]


def test_a_quote_closed_on_a_later_line_is_refused_not_read_as_one_value_of_the_rows_between(tmp_path: Path) -> None:
    # `"autumn` opened by mistake and closed by a quote two rows down would make one value of three rows: valid CSV,
    # but the set would lose the two rows' jobs (forgotten) and replace the first one's. No value holds a line break.
    lines = problems(tmp_path, {
        "covers.yaml": f"jobSets:\n  s:\n    items: s.csv\n    templateId: {TEMPLATE_ID}\n"
                       "    userData: {Extend: {campaign: \"{campaign}\"}}\n",
        "s.csv": csv("videoId,title,campaign", f'{V[0]},Season 1,"autumn', f"{V[1]},Season 2,spring",
                     f'{V[2]},Extras,spring"', f"{V[3]},Season 3,fall"),
    })

    assert lines == [
        "specs/s.csv:2:43: campaign: the value runs on from line 2 to line 4: a quote opened here closes only there, so "
        "the lines between are read as part of it, not as rows; a value is one line: close its quote on this line "
        "[csv-line-break]"]
