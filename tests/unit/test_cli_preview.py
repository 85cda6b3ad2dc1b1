"""`vodjobs preview` before Pulumi runs: the stack's spec glob, invalid specs, and what it refuses."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

from vod_provider.cli import main
from vod_provider.cli.github import spec_issue_lines
from vod_provider.cli.preview_stateless import _specs_at
from vod_provider.cli.stack_files import StackFileError, spec_glob, stack_spec_glob
from vod_provider.spec.loader import DEFAULT_SPEC_GLOB
from vod_provider.spec.model import SpecIssue


@pytest.mark.parametrize(("config", "glob"), [
    (None, DEFAULT_SPEC_GLOB),
    ("config:\n  vodjobs:region: cn-beijing\n", DEFAULT_SPEC_GLOB),
    ("config:\n  vodjobs:specs: specs-prod/**/*.yaml\n", "specs-prod/**/*.yaml"),
], ids=["no-config-file", "unset", "set"])
def test_the_spec_glob_is_the_stacks_vodjobs_specs(tmp_path: Path, config: str | None, glob: str) -> None:
    if config is not None:
        (tmp_path / "Pulumi.prod.yaml").write_text(config)

    assert stack_spec_glob("prod", tmp_path, required=False) == glob


def test_a_spec_glob_that_is_not_text_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.prod.yaml").write_text("config:\n  vodjobs:specs: [a, b]\n")

    with pytest.raises(StackFileError, match=r"Pulumi.prod.yaml:2: vodjobs:specs must be a glob"):
        stack_spec_glob("prod", tmp_path)


def test_a_glob_that_matches_nothing_is_a_spec_problem_at_the_line_that_set_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Pulumi.prod.yaml").write_text("# prod\nconfig:\n  vodjobs:region: cn-beijing\n  vodjobs:specs: spec-prod/*.yaml\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))  # no pulumi: it must not be needed
    out = io.StringIO()

    code = main(["preview", "--stack", "prod", "--format", "json"], out=out)

    assert code == 1
    assert spec_glob("prod", tmp_path).no_files_issue().file == "Pulumi.prod.yaml"
    assert "Pulumi.prod.yaml:4:18: vodjobs:specs: no spec file matches 'spec-prod/*.yaml'" in str(spec_glob("prod", tmp_path).no_files_issue())
    assert "no spec file matches 'spec-prod/*.yaml'" in out.getvalue() and "pulumi preview failed" not in out.getvalue()


def test_invalid_specs_are_reported_with_their_lines_without_running_pulumi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.yaml").write_text("jobs:\n  cover:\n    videoID: x\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))  # no pulumi: it must not be needed
    out = io.StringIO()

    code = main(["preview", "--stack", "prod", "--format", "json"], out)

    assert code == 1
    assert '"file": "specs/a.yaml"' in out.getvalue() and '"line": 3' in out.getvalue()


def test_a_missing_pulumi_is_an_error_with_advice_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.yaml").write_text("jobs: {}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    out = io.StringIO()

    code = main(["preview", "--stack", "prod"], out)

    assert code == 3  # the command could not do its work (README "The vodjobs command")
    err = capsys.readouterr().err
    assert "the pulumi CLI is not on PATH: run `make setup`" in err and "Traceback" not in err


def test_the_github_format_outside_github_actions_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(os.environ, "GITHUB_STEP_SUMMARY", raising=False)

    code = main(["preview", "--stack", "prod", "--format", "github"], io.StringIO())

    assert code == 2
    assert "GITHUB_STEP_SUMMARY, which is not set" in capsys.readouterr().err


def test_the_base_revision_s_specs_are_read_although_its_tree_holds_a_symlink_leading_out(tmp_path: Path) -> None:
    # tarfile's "data" filter refuses such a member; the base's specs are read all the same, without it.
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "covers.yaml").write_text(
        "jobs:\n  a: {videoId: 0123456789abcdef0123456789abcdef, templateId: 7d2e4f6a8b0c4d1e9f3a5b7c9d1e3f5a}\n")
    (tmp_path / "specs" / "passwd.csv").symlink_to("/etc/passwd")
    (tmp_path / "Pulumi.yaml").write_text("name: vodjobs\nruntime: python\n")
    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=tmp_path, check=True, capture_output=True, text=True).stdout.strip()
    checkout = tmp_path.parent / f"{tmp_path.name}-checkout"
    checkout.mkdir()

    specs = _specs_at(commit, "dev", tmp_path, checkout)

    assert [job.name for job in specs.jobs] == ["a"]
    assert not (checkout / "specs" / "passwd.csv").exists()


def test_a_file_of_many_bad_rows_makes_ten_error_annotations_and_says_the_rest_in_the_log() -> None:
    issues = [SpecIssue("specs/a.csv", n, 1, "videoId", "id-shape", "'x' is not a VOD id") for n in range(2, 32)]

    lines = spec_issue_lines(issues)

    assert sum(line.startswith("::error") for line in lines) == 10
    assert lines[9] == ("::error title=21 more problems::21 more problems in the specs, not annotated (GitHub shows 10 "
                        "annotations a step): each is in the log below")
    assert lines[10] == "  specs/a.csv:11:1: videoId: 'x' is not a VOD id [id-shape]"
    assert lines[-1] == "  specs/a.csv:31:1: videoId: 'x' is not a VOD id [id-shape]"
    assert spec_issue_lines(issues[:11])[9].startswith("::error title=2 more problems::")
    assert len(spec_issue_lines(issues[:10])) == 10  # all ten annotated, nothing more to say
