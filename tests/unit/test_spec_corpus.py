"""A reviewer's typo never becomes a silently wrong job: every broken spec in the corpus is reported, exactly.

Each case under tests/specs/invalid/ is a folder of spec files checked as one set, with
`expected.txt` holding every line the loader must print. `vodjobs validate` must say the
same thing in each of its formats.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.specs.corpus import Case, invalid_cases, spec_files, valid_cases
from vod_provider.cli import main
from vod_provider.spec.loader import SpecError, load_spec_files

INVALID = invalid_cases()
VALID = valid_cases()


def loader_lines(folder: Path, reverse: bool = False) -> list[str]:
    files = spec_files(folder)
    with pytest.raises(SpecError) as raised:
        load_spec_files(files[::-1] if reverse else files, folder)
    return [str(issue) for issue in raised.value.issues]


def validate(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(folder)
    out = io.StringIO()
    code = main(["validate", *args, *(f.name for f in spec_files(folder))], out=out)
    return code, out.getvalue()


def test_the_corpus_covers_at_least_25_broken_specs() -> None:
    assert len(INVALID) >= 25
    assert all(case.expected for case in INVALID), "every case states the lines it expects"


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.name)
def test_the_loader_reports_every_expected_problem_and_nothing_else(case: Case, tmp_path: Path) -> None:
    folder = case.materialise(tmp_path)

    assert loader_lines(folder) == case.expected
    assert loader_lines(folder, reverse=True) == case.expected  # the order files are read in changes nothing


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.name)
def test_validate_agrees_with_the_loader_in_every_format(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = case.materialise(tmp_path)

    text_code, text = validate(folder, monkeypatch)
    json_code, machine = validate(folder, monkeypatch, "--format", "json")
    github_code, annotations = validate(folder, monkeypatch, "--format", "github")

    assert (text_code, json_code, github_code) == (1, 1, 1)
    assert text.splitlines()[:-1] == case.expected
    report = json.loads(machine)
    assert report["valid"] is False
    assert [f"{i['file']}:{i['line']}:{i['column']}: {i['field']}: {i['message']} [{i['code']}]" for i in report["issues"]] == case.expected
    errors = [line for line in annotations.splitlines() if line.startswith("::error ")]
    assert [line.split(",line=")[0] for line in errors] == [f"::error file={line.split(':')[0]}" for line in case.expected]


@pytest.mark.parametrize("case", VALID, ids=lambda c: c.name)
def test_valid_examples_load_and_validate(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_spec_files(spec_files(case.folder), case.folder)

    code, text = validate(case.folder, monkeypatch)

    assert code == 0, text
    assert text.startswith(f"valid: {len(loaded.jobs)} job")
