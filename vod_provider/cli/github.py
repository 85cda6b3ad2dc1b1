"""GitHub Actions workflow commands (`::error file=…,line=…::message`), escaped as the runner expects.

Escaping from the runner's own rules (actions/toolkit `command.ts`): data escapes %, CR and LF; property values
also escape `:` and `,`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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


# GitHub shows at most 10 error annotations per step (actions/toolkit docs/problem-matchers.md), as for notices.
MOST_ERROR_ANNOTATIONS = 10


def spec_issue_lines(issues: Sequence[SpecIssue], most: int = MOST_ERROR_ANNOTATIONS) -> list[str]:
    """`::error` for the first `most` issues; the rest as plain lines of the log (every problem is still said, but a
    file of 300,000 bad rows does not make 300,000 workflow commands, of which GitHub would show 10)."""
    lines = [spec_issue_annotation(issue) for issue in issues[:most]]
    if len(issues) > most:
        lines.append(f"{len(issues) - most} more problems (GitHub shows {most} annotations a step):")
        lines += [f"  {issue}" for issue in issues[most:]]
    return lines
