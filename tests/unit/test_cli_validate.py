"""`vodjobs validate`, as a developer, pre-commit and a CI job run it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.account import TEMPLATE, VIDEOS
from tests.support.pulumi_stack import PROJECT_ROOT, VENV_BIN
from vod_provider.cli import main

GOOD = f"jobs:\n  trailer-cover:\n    videoId: {VIDEOS['trailer']}\n    templateId: {TEMPLATE}\n"
BAD = f"jobs:\n  keynote-cover:\n    videoId: {VIDEOS['keynote']}\n    templateid: {TEMPLATE}\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "specs" / "more").mkdir(parents=True)
    (tmp_path / "specs" / "good.yaml").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["validate", *args], out=out)
    return code, out.getvalue()


def test_valid_specs_exit_0_with_a_summary(project: Path) -> None:
    assert run() == (0, "valid: 1 job and 0 templates in 1 file\n")


def test_one_bad_file_exits_1_listing_every_problem(project: Path) -> None:
    (project / "specs" / "bad.yaml").write_text(BAD)

    code, text = run()

    assert code == 1
    assert text.splitlines()[0].startswith("specs/bad.yaml:3:5: jobs.keynote-cover: templateId is required")
    assert text.splitlines()[1] == ("specs/bad.yaml:4:5: jobs.keynote-cover.templateid: "
                                    "unknown key 'templateid'; did you mean 'templateId'? [unknown-key]")
    assert text.splitlines()[2] == "invalid: 2 problems in the job specs; fix every one (nothing is submitted until then)"


@pytest.mark.parametrize(
    ("args", "files"),
    [
        pytest.param((), ["specs/good.yaml", "specs/more/other.yaml"], id="default glob specs/**/*.yaml"),
        pytest.param(("specs",), ["specs/good.yaml", "specs/more/other.yaml"], id="a directory"),
        pytest.param(("specs/more/*.yaml",), ["specs/more/other.yaml"], id="a glob"),
        pytest.param(("specs/good.yaml", "specs/good.yaml", "specs"), ["specs/good.yaml", "specs/more/other.yaml"],
                     id="a file named twice is read once"),
    ],
)
def test_paths_name_files_directories_or_globs(project: Path, args: tuple[str, ...], files: list[str]) -> None:
    other = GOOD.replace("trailer-cover", "keynote-cover").replace(VIDEOS["trailer"], VIDEOS["keynote"])
    (project / "specs" / "more" / "other.yaml").write_text(other)

    code, text = run("--format", "json", *args)

    assert code == 0, text
    assert json.loads(text)["files"] == files


def test_a_path_that_names_nothing_is_a_problem_not_an_empty_set(project: Path) -> None:
    code, text = run("--format", "json", "spec/*.yaml")

    assert code == 1
    assert json.loads(text)["issues"] == [{"file": "spec/*.yaml", "line": 1, "column": 1, "field": "(file)",
                                           "code": "no-files", "message": "no spec file matches this path"}]


def test_json_format_lists_files_jobs_templates_and_issues(project: Path) -> None:
    (project / "specs" / "bad.yaml").write_text(BAD)

    code, text = run("--format", "json")

    report = json.loads(text)
    assert code == 1
    assert report["valid"] is False and report["jobs"] == [] and report["templates"] == []
    assert report["files"] == ["specs/bad.yaml", "specs/good.yaml"]
    assert [(i["file"], i["line"], i["column"], i["code"]) for i in report["issues"]] == [
        ("specs/bad.yaml", 3, 5, "one-of"), ("specs/bad.yaml", 4, 5, "unknown-key")]


def test_github_format_prints_one_annotation_per_problem_on_its_line(project: Path) -> None:
    (project / "specs" / "bad.yaml").write_text(BAD)

    code, text = run("--format", "github")

    assert code == 1
    assert text.splitlines()[1] == ("::error file=specs/bad.yaml,line=4,col=5,title=jobs.keynote-cover.templateid [unknown-key]::"
                                    "unknown key 'templateid'; did you mean 'templateId'?")
    assert sum(line.startswith("::error ") for line in text.splitlines()) == 2


def test_github_annotations_escape_what_would_end_a_property_or_a_line(project: Path) -> None:
    (project / "specs" / "a,b:c%.yaml").write_text("jobs: 5\n")

    code, text = run("--format", "github", "specs/a,b:c%.yaml")

    assert code == 1
    assert text.splitlines()[0] == "::error file=specs/a%2Cb%3Ac%25.yaml,line=1,col=7,title=jobs [type]::" \
                                   "must be a mapping of job name → job (write `jobs: {}` for none), not the number 5"


def test_an_unknown_format_is_a_usage_error(project: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        run("--format", "xml")

    assert exited.value.code == 2


def test_the_installed_console_command_validates(project: Path) -> None:
    command = VENV_BIN / "vodjobs"
    assert command.exists(), "the vodjobs command is not installed: run `make setup` (pip install -e . into .venv)"
    (project / "specs" / "bad.yaml").write_text(BAD)

    done = subprocess.run([str(command), "validate", "--format", "github"], cwd=project, capture_output=True, text=True, timeout=60)

    assert done.returncode == 1, done.stderr
    assert sum(line.startswith("::error file=specs/bad.yaml,") for line in done.stdout.splitlines()) == 2


def test_stack_checks_the_files_its_settings_name(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "specs-prod").mkdir()
    (project / "specs-prod" / "bad.yaml").write_text(BAD)
    (project / "Pulumi.prod.yaml").write_text("config:\n  vodjobs:specs: specs-prod/**/*.yaml\n")
    (project / "Pulumi.dev.yaml").write_text("config:\n  vodjobs:region: cn-shanghai\n")

    code, text = run("--stack", "prod")
    assert code == 1
    assert text.splitlines()[0] == "stack prod (specs-prod/**/*.yaml):"
    assert text.splitlines()[1].startswith("specs-prod/bad.yaml:3:5: jobs.keynote-cover: templateId is required")

    assert run("--stack", "dev") == (0, "stack dev (specs/**/*.{yaml,yml}):\nvalid: 1 job and 0 templates in 1 file\n")

    code, text = run("--all-stacks")
    assert code == 1  # one invalid set fails the whole check
    assert [line for line in text.splitlines() if line.startswith(("stack", "valid", "invalid"))] == [
        "stack dev (specs/**/*.{yaml,yml}):", "valid: 1 job and 0 templates in 1 file",
        "stack prod (specs-prod/**/*.yaml):",
        "invalid: 2 problems in the job specs; fix every one (nothing is submitted until then)"]


def test_an_unknown_stack_is_an_error_naming_the_nearest(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "Pulumi.prod.yaml").write_text("config: {}\n")

    assert run("--stack", "prdo") == (3, "")
    err = capsys.readouterr().err
    assert "no stack 'prdo': Pulumi.prdo.yaml does not exist" in err and "did you mean 'prod'?" in err
    assert run("--stack", "prod", "specs") == (2, "")
    assert not list(project.glob("**/*.lock"))


def test_stack_files_read_the_same_key_as_the_stack_settings() -> None:
    from vod_provider.api.settings import CONFIG_SPECS
    from vod_provider.cli import stack_files

    assert stack_files.CONFIG_SPECS == CONFIG_SPECS


def test_the_project_default_glob_applies_to_a_stack_without_one(project: Path) -> None:
    from vod_provider.cli.stack_files import stack_spec_glob

    (project / "Pulumi.yaml").write_text("name: p\nconfig:\n  vodjobs:specs:\n    default: jobs/*.yaml\n")
    (project / "Pulumi.ci.yaml").write_text("encryptionsalt: x\n")
    assert stack_spec_glob("ci", project) == "jobs/*.yaml"


def test_a_stack_committed_as_a_template_is_checked_from_it(project: Path) -> None:
    from vod_provider.cli.stack_files import stack_names, stack_spec_glob

    (project / "Pulumi.dev.template.yaml").write_text("config:\n  vodjobs:specs: jobs/*.yaml\n")
    (project / "Pulumi.prod.yaml").write_text("config: {}\n")
    assert stack_names(project) == ["dev", "prod"]
    assert stack_spec_glob("dev", project) == "jobs/*.yaml"
    (project / "Pulumi.dev.yaml").write_text("config:\n  vodjobs:specs: mine/*.yaml\n")  # the checkout's own wins
    assert stack_spec_glob("dev", project) == "mine/*.yaml"


def test_a_reader_that_stops_early_is_not_an_error(project: Path) -> None:
    for index in range(200):  # enough output to outrun the pipe's buffer once the reader is gone
        (project / "specs" / f"bad-{index:03d}.yaml").write_text(BAD)
    done = subprocess.run(f"{sys.executable} -m vod_provider.cli validate | head -1", shell=True, cwd=project,
                          capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})

    assert done.stdout.count("\n") == 1
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_a_stacks_glob_that_matches_nothing_is_reported_where_it_was_set(project: Path) -> None:
    (project / "Pulumi.prod.yaml").write_text("config:\n  vodjobs:specs: spces/**/*.yaml\n")

    code, text = run("--stack", "prod")

    assert code == 1
    assert text.splitlines()[1] == ("Pulumi.prod.yaml:2:18: vodjobs:specs: no spec file matches 'spces/**/*.yaml'; to "
                                    "remove every job on purpose, keep one file containing `jobs: {}` [no-files]")
