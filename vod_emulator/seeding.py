"""Seed documents → account records: `{"videos": [...], "templates": [...]}`, checked strictly.

Read by `--seed FILE` at start and by `POST /_emulator/videos` and `POST /_emulator/templates`.
An unknown section or field, or a malformed entry, is a ValueError that names it.

    video     "VideoId" (required), "Title", "Status" (a GetVideoInfo status, default Normal),
              "FailAIJobs" (every image-AI job on it fails), "ReferenceId", "Duration" (seconds),
              "Size" (bytes), "Description", "Tags" (comma-separated), "CateId" (integer), "CateName",
              "UserData" (JSON string)
    template  "TemplateName" (required), "TemplateId" (default: a new id), "TemplateType" (default AIImage),
              "TemplateConfig" (JSON string, default "{}"; not checked, so a seed can hold what the API refuses)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from vod_emulator.entities import Video


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {value!r}")
    return value


# seed field → (record attribute, what makes the JSON value one); a field left out keeps the record's default.
# Title, Status, Duration and Size are converted as before (str, float, int), so "60" is still a Duration.
_VIDEO_FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "Title": ("title", str), "Status": ("status", str), "FailAIJobs": ("fail_ai_jobs", bool),
    "ReferenceId": ("reference_id", _text), "Duration": ("duration", float), "Size": ("size", int),
    "Description": ("description", _text), "Tags": ("tags", _text), "CateId": ("cate_id", _integer),
    "CateName": ("cate_name", _text), "UserData": ("user_data", _text),
}
_TEMPLATE_FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "TemplateType": ("template_type", str), "TemplateConfig": ("config", str), "TemplateId": ("template_id", _text),
}
VIDEO_FIELDS = frozenset({"VideoId", *_VIDEO_FIELDS})
TEMPLATE_FIELDS = frozenset({"TemplateName", *_TEMPLATE_FIELDS})
SECTIONS = ("videos", "templates")


@dataclass(frozen=True)
class TemplateSeed:
    name: str
    template_type: str = "AIImage"
    config: str = "{}"
    template_id: str | None = None  # None: the account draws a new id


@dataclass(frozen=True)
class Seed:
    videos: list[Video]
    templates: list[TemplateSeed]


def parse_seed(data: Any) -> Seed:
    """The videos and templates of a seed document, all checked before any is used."""
    if not isinstance(data, dict):
        raise ValueError(f"a seed document is a JSON object {{\"videos\": [...], \"templates\": [...]}}, got {data!r}")
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise ValueError(f"unknown seed section(s) {', '.join(unknown)}; expected {', '.join(SECTIONS)}")
    return Seed(
        videos=[parse_video(v) for v in _entries(data, "videos")],
        templates=[parse_template(t) for t in _entries(data, "templates")],
    )


def parse_video(entry: Any) -> Video:
    video = _checked(entry, VIDEO_FIELDS, "video", required="VideoId")
    return Video(video["VideoId"], **_attributes(video, _VIDEO_FIELDS))


def parse_template(entry: Any) -> TemplateSeed:
    template = _checked(entry, TEMPLATE_FIELDS, "template", required="TemplateName")
    return TemplateSeed(template["TemplateName"], **_attributes(template, _TEMPLATE_FIELDS))


def _attributes(entry: dict[str, Any], fields: dict[str, tuple[str, Callable[[Any], Any]]]) -> dict[str, Any]:
    """The record's keyword arguments for the fields `entry` has; a ValueError names a malformed one."""
    attributes: dict[str, Any] = {}
    for name, (attribute, convert) in fields.items():
        if name in entry:
            try:
                attributes[attribute] = convert(entry[name])
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{name}: {exc}") from None
    return attributes


def _entries(data: dict[str, Any], section: str) -> Iterable[Any]:
    entries = data.get(section, [])
    if not isinstance(entries, list):
        raise ValueError(f"{section} must be a JSON array, got {entries!r}")
    return entries


def _checked(entry: Any, known: frozenset[str], what: str, required: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ValueError(f"each {what} must be a JSON object, got {entry!r}")
    unknown = sorted(set(entry) - known)
    if unknown:
        raise ValueError(f"unknown {what} field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if not isinstance(entry.get(required), str) or not entry[required]:
        raise ValueError(f"a {what} needs a non-empty {required} string: {entry!r}")
    return entry
