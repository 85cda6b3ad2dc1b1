"""Editors and the loader agree: the committed JSON Schema comes from the loader's own tables.

It accepts every valid example and rejects every invalid case that JSON Schema can express;
the cases it cannot express are listed here with the reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.specs.corpus import Case, invalid_cases, spec_files, valid_cases
from tests.support.pulumi_stack import PROJECT_ROOT
from vod_provider.spec import checks as spec_checks
from vod_provider.spec import jsonschema as spec_jsonschema
from vod_provider.spec.loader import SpecError, load_spec_files, parse_spec_text
from vod_provider.spec.schema import SECTION_OF, Kind

SCHEMA_FILE = PROJECT_ROOT / "schema" / "vodjobs.schema.json"
README = PROJECT_ROOT / "specs" / "README.md"
EXAMPLE_SPECS = sorted((PROJECT_ROOT / "specs").glob("*.yaml"))

# Invalid cases JSON Schema cannot reject, and why. PyYAML's safe_load is how an editor would see them.
NOT_IN_JSON_SCHEMA = {
    "alias-bomb": "expansion is a YAML matter",
    "alias-collides-with-job": "names across files",
    "alias-is-own-name": "compares a value with its key",
    "custom-tag": "a YAML tag",
    "dangling-template-reference": "a reference across files",
    "deep-nesting": "Extend is any mapping",
    "duplicate-adopt": "ids across files",
    "duplicate-field-in-job": "YAML keeps the last duplicate",
    "duplicate-job-across-files": "names across files",
    "duplicate-job-in-file": "YAML keeps the last duplicate",
    "duplicate-key-in-defaults": "YAML keeps the last duplicate",
    "duplicate-key-in-templates": "YAML keeps the last duplicate",
    "duplicate-key-in-user-data": "YAML keeps the last duplicate",
    "duplicate-template-across-files": "names across files",
    "duplicate-top-level-key": "YAML keeps the last duplicate",
    "no-template": "`defaults:` may give the template (JSON Schema checks each job alone)",
    "file-too-large": "a size in bytes",
    "merge-key": "YAML applies the merge",
    "multiple-documents": "a YAML matter",
    "non-text-key": "a YAML matter",
    "python-tag": "a YAML tag",
    "tab-indentation": "not YAML",
    "user-data-multibyte-over-512": "a size in bytes",
    "user-data-over-512-with-defaults": "a size in bytes, after merging defaults",
    "wait-out-of-range": "a range of durations",
    "yaml-1.1-surprises": "YAML 1.1 resolution",
    "yaml-syntax-error": "not YAML",
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def readme_examples() -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", README.read_text(encoding="utf-8"), re.S | re.M)


def editor_view(path: Path) -> Any:
    """The document as a JSON-Schema-driven editor sees it."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_committed_schema_is_what_the_loader_tables_give() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == spec_jsonschema.render(), "run `make schema` and commit schema/"
    assert spec_jsonschema.main(["--check"]) == 0


def test_the_check_fails_on_a_stale_schema(tmp_path: Path) -> None:
    stale = tmp_path / "vodjobs.schema.json"
    stale.write_text("{}\n")

    assert spec_jsonschema.main(["--check", "--output", str(stale)]) == 1
    assert spec_jsonschema.main(["--output", str(stale)]) == 0
    assert spec_jsonschema.main(["--check", "--output", str(stale)]) == 0


def test_every_kind_of_value_has_a_loader_check_and_a_schema_fragment() -> None:
    named = {Kind.JOBS, Kind.TEMPLATES}
    assert set(Kind) == spec_checks.SCALAR_KINDS | set(SECTION_OF) | named
    for kind in Kind:
        assert spec_jsonschema._value(kind)  # raises KeyError for a kind the generator forgot


def test_the_example_specs_point_editors_at_the_schema() -> None:
    assert EXAMPLE_SPECS
    for path in EXAMPLE_SPECS:
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schema/vodjobs.schema.json\n")


def test_the_readme_shows_an_example_of_every_feature() -> None:
    examples = "\n".join(readme_examples())
    for key in ("templates:", "template:", "templateId:", "userData:", "MessageCallback:", "Extend:", "defaults:",
                "pipelineId:", "aliases:", "revision:", "wait:", "adopt:", "setDefaultCover:", "jobSets:", "items:", "templateIds:", "name:"):
        assert key in examples, key


@pytest.mark.parametrize("index", range(len(readme_examples())))
def test_every_readme_example_is_a_valid_spec_the_schema_accepts(index: int, validator: jsonschema.protocols.Validator) -> None:
    text = readme_examples()[index]

    parsed = parse_spec_text(text, f"specs/README.md#example{index + 1}")

    assert parsed.issues == []
    validator.validate(yaml.safe_load(text))


@pytest.mark.parametrize("case", valid_cases(), ids=lambda c: c.name)
def test_the_schema_accepts_every_valid_example(case: Case, validator: jsonschema.protocols.Validator) -> None:
    for path in spec_files(case.folder):
        validator.validate(editor_view(path))


def test_the_schema_accepts_the_example_specs(validator: jsonschema.protocols.Validator) -> None:
    load_spec_files(EXAMPLE_SPECS, PROJECT_ROOT)
    for path in EXAMPLE_SPECS:
        validator.validate(editor_view(path))


def test_every_case_the_schema_cannot_express_exists() -> None:
    assert set(NOT_IN_JSON_SCHEMA) <= {case.name for case in invalid_cases()}


@pytest.mark.parametrize("case", [c for c in invalid_cases() if c.name not in NOT_IN_JSON_SCHEMA], ids=lambda c: c.name)
def test_the_schema_rejects_every_file_the_loader_rejects(case: Case, validator: jsonschema.protocols.Validator) -> None:
    with pytest.raises(SpecError) as raised:
        load_spec_files(spec_files(case.folder), case.folder)
    for filename in sorted({issue.file for issue in raised.value.issues}):
        errors = list(validator.iter_errors(editor_view(case.folder / filename)))
        assert errors, f"{case.name}/{filename}: the schema accepts what the loader rejects"


@pytest.mark.parametrize("case", [c for c in invalid_cases() if c.name in NOT_IN_JSON_SCHEMA and c.name not in (
    "alias-bomb", "file-too-large")], ids=lambda c: c.name)
def test_what_the_schema_cannot_express_it_lets_through_for_the_loader(case: Case, validator: jsonschema.protocols.Validator) -> None:
    """Keeps the list above honest: a case listed there is one the schema really accepts (or YAML cannot load)."""
    for path in spec_files(case.folder):
        try:
            document = editor_view(path)
        except yaml.YAMLError:
            continue
        assert list(validator.iter_errors(document)) == [], f"{case.name}: the schema rejects it; remove it from NOT_IN_JSON_SCHEMA"
