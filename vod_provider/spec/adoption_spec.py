"""Jobs that already exist in VOD → a spec that adopts them (`vodjobs discover`). Pure: values in, file texts out.

What is written, for the jobs of one discovery (each a video, a template, a JobId and the UserData it was submitted
with, one per video and template):

- one job set per template (`<set>`, or `<set>-<template id prefix>` when the jobs ran on several templates: a
  set lists each video once), whose items are a CSV beside the spec, `videoId,adopt[,userData.<path>…]`;
- the set's `userData` is what its rows share: a value every row has the same is written as it is; a text that
  varies between rows is a `{userData.<path>}` placeholder filled from the CSV column of that name (a literal `{`
  or `}` is doubled, as placeholders require). The rows of a set must share one UserData shape: the largest group of
  rows with the same shape (same keys, same non-text values) goes to the set;
- every other job (another shape, a number that varies, a key a column cannot name) under `jobs:`, in full, named
  as its set would have named it (`<set>-<videoId>`), so moving it into the set later changes nothing.

Each job keeps exactly the videoId, templateId and UserData the service reports, so the adoption check of the
preview passes; GetAIImageJobs reports no pipeline, so none is written (the adoption check does not compare it).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from vod_provider.spec import schema
from vod_provider.spec.set_decl import user_data_json

USER_DATA_COLUMN = "userData"  # the prefix of the CSV columns that fill the set's userData
TEMPLATE_PREFIX_LENGTH = 8


@dataclass(frozen=True)
class FoundJob:
    """One existing job to adopt: `user_data` is the parsed UserData (a declarable mapping, see user_data_value)."""

    video_id: str
    template_id: str
    job_id: str
    user_data: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class AdoptionSpec:
    """The files to write: the spec's text and each items file's (name beside the spec → text)."""

    spec_text: str
    items: Mapping[str, str]
    set_jobs: int
    plain_jobs: tuple[str, ...]  # names of the jobs written under `jobs:`


def user_data_value(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """The UserData a job reports, as a spec can declare it: (mapping or None, None), or (None, why it cannot).

    A spec's userData is a mapping of MessageCallback and/or Extend, each a mapping, at most 512 bytes as compact JSON.
    """
    if not text:
        return None, None
    try:
        value = json.loads(text)
    except ValueError:
        return None, "its UserData is not JSON"
    keys = ", ".join(schema.USER_DATA.keys)
    if not isinstance(value, dict) or not value:
        return None, f"its UserData is not a JSON object with {keys}"
    unknown = sorted(set(value) - set(schema.USER_DATA.keys))
    if unknown:
        return None, f"its UserData holds {', '.join(unknown)}; a spec's userData holds only {keys}"
    not_objects = sorted(key for key, item in value.items() if not isinstance(item, dict))
    if not_objects:
        return None, f"its UserData's {', '.join(not_objects)} is not a JSON object, as a spec's must be"
    size = len(user_data_json(value).encode("utf-8"))
    if size > schema.USER_DATA_MAX_BYTES:
        return None, f"its UserData is {size} bytes as compact JSON; a spec's is at most {schema.USER_DATA_MAX_BYTES}"
    return value, None


def set_names(set_name: str, template_ids: Sequence[str]) -> dict[str, str]:
    """Template id → the name of its set: `set_name` alone for one template, else with the shortest unique prefix."""
    unique = list(dict.fromkeys(template_ids))
    if len(unique) <= 1:
        return {template: set_name for template in unique}
    length = TEMPLATE_PREFIX_LENGTH
    while len({template[:length] for template in unique}) < len(unique):
        length += 1
    return {template: f"{set_name}-{template[:length]}" for template in unique}


@dataclass
class _Rendered:
    document: dict[str, Any] = field(default_factory=dict)
    items: dict[str, str] = field(default_factory=dict)
    set_jobs: int = 0
    plain: dict[str, Any] = field(default_factory=dict)


def render_adoption_spec(set_name: str, jobs: Sequence[FoundJob], items_stem: str, comment: Sequence[str] = (),
                         user_data_secret: bool = False) -> AdoptionSpec:
    """The spec (and its CSV items files, named `<items_stem>[-<prefix>].csv`) that adopts `jobs`, in their order.

    `jobs` holds one job per video and template. `comment` lines open the spec as YAML comments.
    """
    names = set_names(set_name, [job.template_id for job in jobs])
    out = _Rendered()
    for template_id, name in names.items():
        rows = [job for job in jobs if job.template_id == template_id]
        items_file = f"{items_stem}{name[len(set_name):]}.csv"
        _render_set(out, name, template_id, rows, items_file, user_data_secret)
    document = dict(out.document)
    if out.plain:
        document["jobs"] = out.plain
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1_000_000)
    header = "".join(f"# {line}\n" if line else "#\n" for line in comment)
    return AdoptionSpec(header + text, out.items, out.set_jobs, tuple(out.plain))


def _render_set(out: _Rendered, name: str, template_id: str, rows: Sequence[FoundJob], items_file: str,
                user_data_secret: bool) -> None:
    by_shape: dict[str, list[FoundJob]] = {}
    for job in rows:
        by_shape.setdefault(_shape(job.user_data), []).append(job)
    chosen = max(by_shape.values(), key=len)  # the first of the largest: ties go to the shape met first
    columns: dict[str, tuple[str, ...]] = {}
    try:
        tree = _unify([job.user_data for job in chosen], (), columns)
    except _Unfit:
        chosen, tree = [], None
    for job in rows:
        if not any(job is member for member in chosen):
            out.plain[f"{name}-{job.video_id}"] = _plain_job(job, user_data_secret)
    if not chosen:
        return
    body: dict[str, Any] = {"items": items_file, "templateId": template_id}
    if tree is not None:
        body["userData"] = tree
        if user_data_secret:
            body["userDataSecret"] = True
    out.document.setdefault("jobSets", {})[name] = body
    out.items[items_file] = _csv(chosen, columns)
    out.set_jobs += len(chosen)


def _plain_job(job: FoundJob, user_data_secret: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"videoId": job.video_id, "templateId": job.template_id}
    if job.user_data is not None:
        body["userData"] = dict(job.user_data)
        if user_data_secret:
            body["userDataSecret"] = True
    body["adopt"] = job.job_id
    return body


def _csv(rows: Sequence[FoundJob], columns: Mapping[str, tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["videoId", "adopt", *columns])
    for job in rows:
        writer.writerow([job.video_id, job.job_id, *(_leaf(job.user_data, path) for path in columns.values())])
    return buffer.getvalue()


def _shape(user_data: Any) -> str:
    """What rows must share to fill one userData template: everything but the texts."""
    def blank(value: Any) -> Any:
        if isinstance(value, str):
            return ""
        if isinstance(value, dict):
            return {key: blank(item) for key, item in value.items()}
        if isinstance(value, list):
            return [blank(item) for item in value]
        return value
    return json.dumps(blank(user_data), sort_keys=True)


class _Unfit(Exception):
    """The values cannot be one userData template with text placeholders."""


def _unify(values: Sequence[Any], path: tuple[str, ...], columns: dict[str, tuple[str, ...]]) -> Any:
    """The template all `values` fill: a value they share as is, a varying text as a placeholder (its column added)."""
    first = values[0]
    if all(_same(value, first) for value in values):
        return _escaped(first)
    if all(isinstance(value, dict) and value.keys() == first.keys() for value in values):
        return {key: _unify([value[key] for value in values], path + (key,), columns) for key in first}
    if all(isinstance(value, list) and len(value) == len(first) for value in values):
        return [_unify([value[index] for value in values], path + (str(index),), columns) for index in range(len(first))]
    column = ".".join((USER_DATA_COLUMN, *path))
    if not all(isinstance(value, str) for value in values) or "{" in column or "}" in column or column in columns:
        raise _Unfit()
    columns[column] = path
    return "{" + column + "}"


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)  # 1, 1.0 and true differ in JSON


def _escaped(value: Any) -> Any:
    """A literal in a set's userData: braces doubled, since a set reads `{…}` in its texts as a placeholder."""
    if isinstance(value, str):
        return value.replace("{", "{{").replace("}", "}}")
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    return value


def _leaf(value: Any, path: tuple[str, ...]) -> str:
    for key in path:
        value = value[int(key)] if isinstance(value, list) else value[key]
    return str(value)
