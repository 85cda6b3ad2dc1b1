"""The JSON Schema editors use (schema/vodjobs.schema.json), rendered from the tables in `spec.schema`.

    python -m vod_provider.spec.jsonschema           # rewrite the committed file
    python -m vod_provider.spec.jsonschema --check   # exit 1 when the committed file is out of date

The schema covers what JSON Schema can say: keys, types, id and name shapes,
at most one of `template` and `templateId`. The loader alone checks YAML-level problems,
byte sizes, and names and references across files.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vod_provider.spec import schema
from vod_provider.spec.schema import Field, Kind, Section

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "vodjobs.schema.json"
_DEFS = {Kind.DEFAULTS: "defaults", Kind.USER_DATA: "userData"}
_NAMED = {Kind.JOBS: "job", Kind.TEMPLATES: "template", Kind.JOB_SETS: "jobSet"}


def json_schema() -> dict[str, Any]:
    """The whole schema of one spec file (draft 2020-12)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "vodjobs spec file",
        "description": "Image-AI jobs and AIImage templates of Alibaba Cloud VOD, managed by vodjobs (see specs/README.md).",
        **_section(schema.DOCUMENT),
        "$defs": {
            "job": _section(schema.JOB),
            "jobSet": _section(schema.JOB_SET),
            "template": _section(schema.TEMPLATE),
            "defaults": _section(schema.DEFAULTS),
            "userData": _section(schema.USER_DATA),
        },
    }


def render() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _section(section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": {f.key: {**_field_value(f), "description": f.description} for f in section.fields},
        "additionalProperties": False,
    }
    required = [f.key for f in section.fields if f.required]
    if required:
        out["required"] = required
    if section.one_of:  # at most one of them (`defaults:` or a job set's column may give the one)
        pairs = [[a, b] for i, a in enumerate(section.one_of) for b in section.one_of[i + 1:]]
        out["not"] = {"anyOf": [{"required": pair} for pair in pairs]}
    if section.any_of:
        out["anyOf"] = [{"required": [key]} for key in section.any_of]
    return out


def _field_value(f: Field) -> dict[str, Any]:
    if f.placeholders:  # in a job set, text with a {column} placeholder is checked once filled from a row
        return {"anyOf": [_value(f.kind), {"type": "string", "pattern": _PLACEHOLDER}]}
    return _value(f.kind)


_PLACEHOLDER = r"\{[^{}]+\}"


def _value(kind: Kind) -> dict[str, Any]:
    name = {"type": "string", "pattern": schema.NAME_PATTERN}
    if kind in _NAMED:
        return {"type": "object", "propertyNames": name, "additionalProperties": {"$ref": f"#/$defs/{_NAMED[kind]}"}}
    if kind in _DEFS:
        return {"$ref": f"#/$defs/{_DEFS[kind]}"}
    cloud_id = {"type": "string", "pattern": schema.ID_PATTERN}
    fragments: dict[Kind, dict[str, Any]] = {
        Kind.CLOUD_ID: cloud_id,
        Kind.NAME: name,
        Kind.NAME_LIST: {"type": "array", "items": name, "uniqueItems": True},
        Kind.JSON_OBJECT: {"type": "object"},
        Kind.WAIT: {"anyOf": [
            {"type": "boolean"},
            {"type": "string", "pattern": schema.DURATION_PATTERN, "minLength": schema.DURATION_MIN_LENGTH},
        ]},
        Kind.REVISION: {"type": "integer", "minimum": 0},
        Kind.TEMPLATE_FORMAT: {"enum": list(schema.TEMPLATE_FORMATS)},
        Kind.BOOLEAN: {"type": "boolean"},
        Kind.ITEMS: {"anyOf": [
            {"type": "string", "minLength": 1},
            {"type": "array", "minItems": 1, "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
        ]},
        Kind.NAMES: {"type": "array", "items": name, "uniqueItems": True, "minItems": 1},
        Kind.CLOUD_IDS: {"type": "array", "items": cloud_id, "uniqueItems": True, "minItems": 1},
        Kind.NAME_PATTERN: {"type": "string"},
        Kind.NAME_PATTERNS: {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "minItems": 1},
    }
    return fragments[kind]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vod_provider.spec.jsonschema", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file differs from what the loader's tables give")
    parser.add_argument("--output", type=Path, default=SCHEMA_PATH)
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run `make schema` (python -m vod_provider.spec.jsonschema) and commit it",
                  file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
