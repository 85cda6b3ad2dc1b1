"""GitHub Actions workflow commands (`::error file=…,line=…::message`), escaped as the runner expects.

Escaping from the runner's own rules (actions/toolkit `command.ts`): data escapes %, CR and LF; property values
also escape `:` and `,`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

from vod_provider.spec.model import SpecIssue


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
    """`::error` for the first `most` issues; the rest as plain lines of the log (every problem is still said)."""
    lines = [spec_issue_annotation(issue) for issue in issues[:most]]
    if len(issues) > most:
        lines.append(f"{len(issues) - most} more problems (GitHub shows {most} annotations a step):")
        lines += [f"  {issue}" for issue in issues[most:]]
    return lines


def capped_notices(found: Sequence[Notice], more: Notice, most: int = MOST_ANNOTATIONS) -> list[str]:
    """`::notice` lines for `found`, at most `most`: past that, the last one is `more` (where, title and what the rest
    are, e.g. "changes of set trailers"), saying how many it stands for and that the step summary has them all."""
    if len(found) > most:
        rest = len(found) - most + 1
        where, title, what = more
        found = [*found[:most - 1], (where, title, f"{rest} more {what}, not annotated (GitHub shows {most} notices a "
                                                     "step): see the step summary")]
    return [annotation("notice", {**where, "title": title}, message) for where, title, message in found]
