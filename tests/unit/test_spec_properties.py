"""Properties over generated specs: whatever valid spec a user writes loads as declared and round-trips,
UserData never exceeds 512 bytes, and no text at all makes the loader crash instead of reporting."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import yaml
from hypothesis import HealthCheck, assume, given, settings, target
from hypothesis import strategies as st

from vod_provider.spec.jsonschema import SCHEMA_PATH
from vod_provider.spec.loader import JobSpec, TemplateSpec, parse_spec_text
from vod_provider.spec.render import render_spec

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
WAITS = {False: None, True: 1800.0, "90s": 90.0, "10m": 600.0, "1h30m": 5400.0, "24h": 86400.0}

names = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,24}", fullmatch=True)
ids = st.from_regex(r"[0-9a-f]{32}", fullmatch=True)
# PyYAML writes NEL and the Unicode line separators raw inside quotes, and YAML folds them into spaces on reading.
texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x85\u2028\u2029"), max_size=30)
json_scalars = (st.none() | st.booleans() | st.integers(-(2**63), 2**63)
                | st.floats(allow_nan=False, allow_infinity=False) | texts)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
                           max_leaves=8)
json_objects = st.dictionaries(texts, json_values, max_size=4)
user_data = st.fixed_dictionaries({}, optional={"MessageCallback": json_objects, "Extend": json_objects}).filter(bool)


@st.composite
def spec_documents(draw: st.DrawFn) -> dict[str, Any]:
    """One spec document as a user could write it: every feature, in any combination."""
    template_names = draw(st.lists(names, max_size=3, unique=True))
    templates = {name: draw(st.fixed_dictionaries({"format": st.sampled_from(["gif", "png"])},
                                                  optional={"setDefaultCover": st.booleans()})) for name in template_names}
    job_names = draw(st.lists(names, max_size=5, unique=True))
    taken, adopted = set(job_names), set()
    jobs = {}
    for name in job_names:
        body: dict[str, Any] = {"videoId": draw(ids)}
        if template_names and draw(st.booleans()):
            body["template"] = draw(st.sampled_from(template_names))
        else:
            body["templateId"] = draw(ids)
        body.update(draw(st.fixed_dictionaries({}, optional={
            "userData": user_data, "pipelineId": ids, "revision": st.integers(0, 10**9), "wait": st.sampled_from(list(WAITS)),
        })))
        if draw(st.booleans()):
            body["aliases"] = draw(st.lists(names.filter(lambda n: n not in taken), max_size=2, unique=True))
            taken.update(body["aliases"])
        if draw(st.booleans()):
            body["adopt"] = draw(ids.filter(lambda i: i not in adopted))
            adopted.add(body["adopt"])
        jobs[name] = body
    document: dict[str, Any] = {}
    if templates:
        document["templates"] = templates
    defaults = draw(st.fixed_dictionaries({}, optional={"pipelineId": ids, "userData": user_data, "wait": st.sampled_from(list(WAITS))}))
    if defaults:
        document["defaults"] = defaults
    if jobs or not templates:
        document["jobs"] = jobs
    return document


def as_yaml(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1_000_000)


def compact(user_data: dict[str, Any]) -> str:
    return json.dumps(user_data, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def declared_jobs(document: dict[str, Any]) -> list[JobSpec]:
    """What the document declares, worked out independently of the loader."""
    defaults = document.get("defaults", {})
    out = []
    for name, body in document.get("jobs", {}).items():
        merged = {**defaults.get("userData", {}), **body.get("userData", {})}
        out.append(JobSpec(
            name, body["videoId"], body.get("templateId"), compact(merged) if merged else None,
            body.get("pipelineId", defaults.get("pipelineId")), "", 0, template_name=body.get("template"),
            aliases=tuple(body.get("aliases", ())), revision=body.get("revision", 0),
            wait_seconds=WAITS[body.get("wait", defaults.get("wait", False))], adopt=body.get("adopt"),
        ))
    return sorted(out, key=lambda j: j.name)


def declared_templates(document: dict[str, Any]) -> list[TemplateSpec]:
    return sorted((TemplateSpec(name, body["format"], body.get("setDefaultCover", False), "", 0)
                   for name, body in document.get("templates", {}).items()), key=lambda t: t.name)


def by_name(specs: list[JobSpec] | list[TemplateSpec]) -> dict[str, JobSpec | TemplateSpec]:
    return {spec.name: spec for spec in specs}


def oversized(job: JobSpec) -> bool:
    return job.user_data is not None and len(job.user_data.encode("utf-8")) > 512


@SETTINGS
@given(spec_documents())
def test_a_generated_spec_loads_as_declared_unless_its_user_data_is_over_512_bytes(document: dict[str, Any]) -> None:
    expected = declared_jobs(document)

    parsed = parse_spec_text(as_yaml(document), "generated.yaml")

    too_big = sorted(f"jobs.{job.name}" for job in expected if oversized(job))
    if too_big:
        assert sorted(i.field.removesuffix(".userData") for i in parsed.issues) == too_big
        assert {i.code for i in parsed.issues} == {"user-data-size"}
        return
    assert parsed.issues == []
    assert sorted(parsed.jobs, key=lambda j: j.name) == expected
    assert sorted(parsed.templates, key=lambda t: t.name) == declared_templates(document)
    VALIDATOR.validate(document)  # editors accept what the loader accepts


@SETTINGS
@given(spec_documents())
def test_loaded_specs_round_trip_through_yaml(document: dict[str, Any]) -> None:
    first = parse_spec_text(as_yaml(document), "generated.yaml")
    assume(first.issues == [])

    again = parse_spec_text(render_spec(first.jobs, first.templates), "rendered.yaml")

    assert again.issues == []
    assert by_name(again.jobs) == by_name(first.jobs)
    assert by_name(again.templates) == by_name(first.templates)


@SETTINGS
@given(user_data, st.integers(0, 200))
def test_user_data_is_never_over_512_bytes(data: dict[str, Any], padding: int) -> None:
    data = {**data, "Extend": {**data.get("Extend", {}), "pad": "界" * padding}}  # 3 bytes a character: both sides of 512
    size = len(compact(data).encode("utf-8"))
    target(-abs(size - 512))  # steer examples to the boundary, where off-by-one and byte/character mistakes live
    document = {"jobs": {"cover": {"videoId": "2b8f0c6e4d1a4f7e9c3b5a7d6e8f0a1b",
                                   "templateId": "7d2e4f6a8b0c4d1e9f3a5b7c9d1e3f5a", "userData": data}}}

    parsed = parse_spec_text(as_yaml(document), "generated.yaml")

    loaded = [len(job.user_data.encode("utf-8")) for job in parsed.jobs if job.user_data is not None]
    assert all(n <= 512 for n in loaded)
    assert (loaded == [size]) == (size <= 512)
    assert [i.code for i in parsed.issues] == ([] if size <= 512 else ["user-data-size"])


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_is_reported_never_crashes_the_loader(text: str) -> None:
    parsed = parse_spec_text(text, "fuzz.yaml")

    assert all(issue.line >= 1 and issue.column >= 1 for issue in parsed.issues)
    assert not (parsed.issues and (parsed.jobs or parsed.templates))  # a file with a problem declares nothing


@SETTINGS
@given(spec_documents(), st.data())
def test_a_damaged_valid_spec_is_reported_never_crashes_the_loader(document: dict[str, Any], data: st.DataObject) -> None:
    text = as_yaml(document)
    at = data.draw(st.integers(0, len(text)))
    damaged = text[:at] + data.draw(st.sampled_from(["", "\t", ":", "- ", "&a ", "*a", "!!python/name:os.system ", "{", "'"])) \
        + text[at + data.draw(st.integers(0, 3)):]

    parsed = parse_spec_text(damaged, "damaged.yaml")

    assert all(issue.line >= 1 and issue.column >= 1 for issue in parsed.issues)
