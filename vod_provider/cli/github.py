"""GitHub Actions workflow commands (`::error file=…,line=…::message`), escaped as the runner expects.

Escaping from the runner's own rules (actions/toolkit `command.ts`): data escapes %, CR and LF; property values
also escape `:` and `,`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

from vod_provider.spec.model import SpecIssue
from vod_provider.wording import counted


def annotation(kind: str, properties: Mapping[str, str], message: str) -> str:
    """One workflow command line (no newline), e.g. annotation("error", {"file": "specs/a.yaml", "line": "3"}, "…")."""
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{kind} {rendered}::{escape_data(message)}" if rendered else f"::{kind}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def spec_issue_annotation(issue: SpecIssue) -> str:
    """`::error` on the spec file's line, titled with the field and the problem's code."""
    properties = {"file": issue.file, "line": str(issue.line), "col": str(issue.column), "title": f"{issue.field} [{issue.code}]"}
    return annotation("error", properties, issue.message)


# GitHub shows at most 10 annotations of each kind (error, warning, notice) a step (actions/toolkit
# docs/problem-matchers.md): past that, a run of 300,000 bad rows or 10,000 new jobs is said in a few lines instead.
MOST_ANNOTATIONS = 10

Notice: TypeAlias = tuple[Mapping[str, str], str, str]  # (where: file/line/endLine properties, title, message)


def spec_issue_lines(issues: Sequence[SpecIssue], most: int = MOST_ANNOTATIONS) -> list[str]:
    """`::error` for each issue, at most `most`: past that, the last one says how many more there are, and they follow
    as plain lines of the log (every problem is still said)."""
    if len(issues) <= most:
        return [spec_issue_annotation(issue) for issue in issues]
    shown, rest = most - 1, len(issues) - (most - 1)
    more = counted(rest, "more problem")
    return [*(spec_issue_annotation(issue) for issue in issues[:shown]),
            annotation("error", {"title": more}, f"{more} in the specs, not annotated (GitHub shows {most} annotations "
                                                 "a step): each is in the log below"),
            *(f"  {issue}" for issue in issues[shown:])]


def shared_annotations(kind: str, groups: Sequence[tuple[str, Sequence[Notice]]], title: str,
                       most: int = MOST_ANNOTATIONS) -> list[str]:
    """`::<kind>` lines for the annotations of every group (what they are about, e.g. "set trailers", and its own),
    at most `most` in all, as GitHub shows a step: past that, the groups take turns, each keeping its first ones, and
    the last line says how many of each were left out (the step summary has them all)."""
    total = sum(len(found) for _, found in groups)
    kept: list[list[Notice]] = [list(found) if total <= most else [] for _, found in groups]
    slots, depth = (most - 1, 0) if total > most else (0, 0)
    while slots:
        for index, (_, found) in enumerate(groups):
            if slots and depth < len(found):
                kept[index].append(found[depth])
                slots -= 1
        depth += 1
    lines = [annotation(kind, {**where, "title": heading}, message) for one in kept for where, heading, message in one]
    if total > most:
        rest = total - (most - 1)
        left = ", ".join(f"{about}: {len(found) - len(one)}" for (about, found), one in zip(groups, kept, strict=True)
                         if len(found) > len(one))
        lines.append(annotation(kind, {"title": f"{title}: {rest} more"}, f"{rest} more not annotated ({left}); GitHub "
                                f"shows {most} annotations of a kind a step: see the step summary"))
    return lines
