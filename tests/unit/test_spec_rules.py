"""What a valid spec means: the values a JobSpec or TemplateSpec gets from the YAML a user writes."""

from __future__ import annotations

import textwrap

import pytest

from tests.support.account import TEMPLATE, VIDEOS
from vod_provider.spec.loader import JobSpec, ParsedSpec, TemplateSpec, parse_spec_text
from vod_provider.spec.schema import WAIT_DEFAULT_SECONDS, parse_duration
from vod_provider.spec.yaml_nodes import MAX_DEPTH, MAX_NODES

PIPELINE = "6492025b8f4a4b1e96ba5bb755a33438"
JOB_ID = "fbbf28864586d6bf6a816745c18b80c3"


def parse(text: str) -> ParsedSpec:
    return parse_spec_text(textwrap.dedent(text), "covers.yaml")


def one_job(fields: str, defaults: str = "") -> JobSpec:
    body = textwrap.indent(textwrap.dedent(fields).strip(), " " * 4)
    head = f"defaults:\n{textwrap.indent(textwrap.dedent(defaults).strip(), '  ')}\n" if defaults else ""
    parsed = parse(f"{head}jobs:\n  cover:\n    videoId: {VIDEOS['trailer']}\n{body}\n")
    assert parsed.issues == [], "\n".join(map(str, parsed.issues))
    [job] = parsed.jobs
    return job


@pytest.mark.parametrize(
    ("fields", "defaults", "expected"),
    [
        pytest.param(f"templateId: {TEMPLATE}", "", {"template_id": TEMPLATE, "template_name": None, "user_data": None,
                                                     "pipeline_id": None, "aliases": (), "revision": 0, "wait_seconds": None,
                                                     "adopt": None}, id="the minimum"),
        pytest.param(f"templateId: {TEMPLATE}", f"pipelineId: {PIPELINE}", {"pipeline_id": PIPELINE}, id="pipelineId from defaults"),
        pytest.param(f"templateId: {TEMPLATE}\npipelineId: {JOB_ID}", f"pipelineId: {PIPELINE}", {"pipeline_id": JOB_ID},
                     id="the job's pipelineId wins"),
        pytest.param(f"templateId: {TEMPLATE}", "wait: 10m", {"wait_seconds": 600.0}, id="wait from defaults"),
        pytest.param(f"templateId: {TEMPLATE}\nwait: false", "wait: 10m", {"wait_seconds": None}, id="a job opts out of the default wait"),
        pytest.param(f"templateId: {TEMPLATE}\nwait: true", "", {"wait_seconds": WAIT_DEFAULT_SECONDS}, id="wait true is 30 minutes"),
        pytest.param(f"templateId: {TEMPLATE}\nwait: 1h30m", "", {"wait_seconds": 5400.0}, id="wait duration"),
        pytest.param(f"templateId: {TEMPLATE}\nrevision: 3", "", {"revision": 3}, id="revision"),
        pytest.param(f"templateId: {TEMPLATE}\naliases: [old-cover, cover.v1]", "", {"aliases": ("old-cover", "cover.v1")}, id="aliases"),
        pytest.param(f"templateId: {TEMPLATE}\nadopt: {JOB_ID}", "", {"adopt": JOB_ID}, id="adopt"),
        pytest.param(
            f"templateId: {TEMPLATE}\nuserData:\n  Extend:\n    campaign: spring",
            "userData:\n  MessageCallback:\n    CallbackURL: https://hooks.example.com/vod\n  Extend:\n    team: media",
            {"user_data": '{"Extend":{"campaign":"spring"},"MessageCallback":{"CallbackURL":"https://hooks.example.com/vod"}}'},
            id="the job's Extend replaces the default Extend, MessageCallback stays",
        ),
        pytest.param(f"templateId: {TEMPLATE}\nuserData:\n  Extend:\n    note: 界", "",
                     {"user_data": '{"Extend":{"note":"界"}}'}, id="UserData keeps non-ASCII text as UTF-8"),
    ],
)
def test_a_job_gets_its_values_from_its_fields_and_the_file_defaults(fields: str, defaults: str, expected: dict[str, object]) -> None:
    job = one_job(fields, defaults)

    assert {key: getattr(job, key) for key in expected} == expected


def test_a_job_names_a_template_declared_in_the_same_set() -> None:
    parsed = parse(f"""
        templates:
          animated-cover:
            format: gif
            setDefaultCover: true
        jobs:
          cover:
            videoId: {VIDEOS['trailer']}
            template: animated-cover
        """)

    assert parsed.issues == []
    assert [(j.template_name, j.template_id) for j in parsed.jobs] == [("animated-cover", None)]
    assert parsed.templates == [TemplateSpec("animated-cover", "gif", True, "covers.yaml", 3)]


@pytest.mark.parametrize(
    ("template", "config"),
    [
        pytest.param(TemplateSpec("a", "gif", True, "t.yaml", 1), '{"Format":"gif","SetDefaultCover":"true"}', id="gif cover"),
        pytest.param(TemplateSpec("b", "png", False, "t.yaml", 1), '{"Format":"png","SetDefaultCover":"false"}', id="png"),
    ],
)
def test_a_template_serialises_its_config_as_the_cloud_expects(template: TemplateSpec, config: str) -> None:
    assert template.template_config() == config


def test_set_default_cover_defaults_to_false() -> None:
    parsed = parse("templates:\n  still:\n    format: png\n")

    assert [t.set_default_cover for t in parsed.templates] == [False]


def test_a_job_spec_holds_exactly_one_template_reference() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        JobSpec("cover", VIDEOS["trailer"], TEMPLATE, None, None, "covers.yaml", 1, template_name="cover")
    with pytest.raises(ValueError, match="exactly one"):
        JobSpec("cover", VIDEOS["trailer"], None, None, None, "covers.yaml", 1)


def test_where_a_job_is_written_does_not_change_what_it_is() -> None:
    here = JobSpec("cover", VIDEOS["trailer"], TEMPLATE, None, None, "a.yaml", 3)
    there = JobSpec("cover", VIDEOS["trailer"], TEMPLATE, None, None, "b.yaml", 40)

    assert here == there


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90.0), ("10m", 600.0), ("1h", 3600.0), ("1h30m", 5400.0), ("2h0m5s", 7205.0),
     ("", None), ("10", None), ("m", None), ("10 m", None), ("1m1h", None), ("-5m", None), ("1.5h", None)],
)
def test_durations_read_hours_minutes_and_seconds_in_that_order(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == seconds


def test_a_file_with_any_problem_declares_nothing_but_reports_everything() -> None:
    parsed = parse(f"""
        jobs:
          good:
            videoId: {VIDEOS['trailer']}
            templateId: {TEMPLATE}
          bad:
            videoId: nope
            templateId: {TEMPLATE}
            colour: red
        """)

    assert parsed.jobs == []
    assert [(i.field, i.code) for i in parsed.issues] == [("jobs.bad.colour", "unknown-key"), ("jobs.bad.videoId", "id-shape")]


def test_an_alias_bomb_stops_at_the_expansion_bound_and_says_so() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]

    parsed = parse("\n".join(lines) + "\n")

    assert [i.code for i in parsed.issues] == ["too-many-nodes"]
    assert f"more than {MAX_NODES} values" in parsed.issues[0].message


def test_nesting_is_bounded_before_yaml_recursion_could_overflow() -> None:
    parsed = parse("x: " + "[" * 100_000 + "]" * 100_000 + "\n")

    # The top-level mapping is depth 0; the bracket at column 4 + MAX_DEPTH is the first one too many.
    assert [(i.line, i.column, i.code) for i in parsed.issues] == [(1, 4 + MAX_DEPTH, "too-deep")]


def test_aliases_nested_into_each_other_are_bounded_in_depth_too() -> None:
    lines = ["a0: &a0 [x]"] + [f"a{n}: &a{n} [*a{n - 1}]" for n in range(1, MAX_DEPTH + 2)]

    parsed = parse("\n".join(lines) + "\n")

    assert [i.code for i in parsed.issues] == ["too-deep"]
