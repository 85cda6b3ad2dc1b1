"""Job spec files as the tests write them: YAML built from plain mappings, so a story names only what it declares.

`spec_yaml` writes block style, two spaces a level, keys in the order given, so a test can count on a
key's line number. Values are written as given (a string may hold flow YAML such as "[teaser-cover]");
booleans as `true`/`false`. A file that must be broken in a way a mapping cannot hold (a duplicate
key) stays literal text in its test.
"""

from __future__ import annotations

from collections.abc import Mapping

from tests.support.account import TEMPLATE, VIDEOS

Value = str | int | bool | Mapping[str, "Value"]
Fields = Mapping[str, Value]


def spec_yaml(jobs: Mapping[str, Fields] | None = None, *, templates: Mapping[str, Fields] | None = None,
              defaults: Fields | None = None) -> str:
    """A spec file: `defaults:`, `templates:`, then `jobs:`, each only when given."""
    lines: list[str] = []
    for section, entries in (("defaults", defaults), ("templates", templates), ("jobs", jobs)):
        if entries is not None:
            lines += [f"{section}:", *_block(entries, 1)]
    return "\n".join(lines) + "\n"


def job_entries(jobs: Mapping[str, Fields]) -> str:
    """More entries for a spec file that ends with its `jobs:` section, to append to its text."""
    return "\n".join(_block(jobs, 1)) + "\n"


def job(video_id: str, template_id: str = TEMPLATE, **fields: Value) -> dict[str, Value]:
    """A job's fields: its video, the shared AIImage template unless another is named, then `fields` in order."""
    return {"videoId": video_id, "templateId": template_id, **fields}


def templated_job(video_id: str, template: str = "animated-cover") -> dict[str, Value]:
    """A job on a template the spec set declares (by its name, not an id)."""
    return {"videoId": video_id, "template": template}


def animated_cover(fmt: str = "gif") -> dict[str, Fields]:
    """The `templates:` entry of the one template the stories declare."""
    return {"animated-cover": {"format": fmt, "setDefaultCover": True}}


def campaign(name: str) -> dict[str, Value]:
    """UserData that tags a job with a campaign: the field a story edits to force a replacement."""
    return {"Extend": {"campaign": name}}


def two_covers(campaign_name: str = "spring") -> str:
    """The team's first spec file: two covers on the shared template, the trailer's tagged with a campaign."""
    return spec_yaml({
        "trailer-cover": job(VIDEOS["trailer"], userData=campaign(campaign_name)),
        "keynote-cover": job(VIDEOS["keynote"]),
    })


def numbered_jobs(count: int, name: str = "job-{n:04d}") -> str:
    """`count` jobs on the shared videos, each with its number in UserData.Extend so every submission can be told apart."""
    videos = list(VIDEOS.values())
    return spec_yaml({
        name.format(n=n): job(videos[n % len(videos)], userData={"Extend": {"n": f"'{n}'"}}) for n in range(count)
    })


def _block(entries: Fields, depth: int) -> list[str]:
    indent = "  " * depth
    lines: list[str] = []
    for key, value in entries.items():
        if isinstance(value, Mapping):
            lines += [f"{indent}{key}:", *_block(value, depth + 1)]
        else:
            lines.append(f"{indent}{key}: {_scalar(value)}")
    return lines


def _scalar(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
