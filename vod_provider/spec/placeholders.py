"""`{column}` placeholders in the text fields of a job set, compiled once per set and filled once per row.

Syntax: `{name}` is replaced by the row's value of `name` (a column, or `set`, `videoId`, `template`); `{{` and
`}}` stand for `{` and `}`. Any other `{` or `}` is an error, and so is an empty `{}`. A name is any text without
braces, so a CSV column named `Video title` is `{Video title}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class PlaceholderError(ValueError):
    """The text is not a valid pattern; the message says where and why."""


@dataclass(frozen=True)
class Pattern:
    """Text with placeholders: `parts` alternate literal text (even indexes) and placeholder names (odd)."""

    parts: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return self.parts[1::2]

    @property
    def is_literal(self) -> bool:
        return len(self.parts) == 1

    @cached_property
    def _format(self) -> str:
        # str.format does the joining in C: filling is on the path of every row of a 10,000-row set.
        literal = [part.replace("{", "{{").replace("}", "}}") for part in self.parts[::2]]
        return "".join(f"{text}{{{index}}}" for index, text in enumerate(literal[:-1])) + literal[-1]

    def fill(self, values: Mapping[str, str]) -> str:
        """The text with each placeholder replaced; KeyError names a placeholder `values` lacks."""
        if len(self.parts) == 1:
            return self.parts[0]
        return self._format.format(*[values[name] for name in self.parts[1::2]])


def compile_pattern(text: str) -> Pattern:
    """Split `text` into literal parts and placeholder names; PlaceholderError when a brace is unbalanced."""
    if "{" not in text and "}" not in text:
        return Pattern((text,))
    parts: list[str] = []
    literal: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        literal.append(text[position:match.start()])
        position = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            literal.append(token[0])
        elif match.group(1) is None:
            raise PlaceholderError(f"{token!r} at character {match.start() + 1} of {text!r} opens or closes no placeholder; "
                                   f"write {token * 2!r} for a literal {token!r}")
        elif not match.group(1).strip():
            raise PlaceholderError(f"empty placeholder '{{}}' in {text!r}; name a column, e.g. '{{campaign}}'")
        else:
            parts += ["".join(literal), match.group(1)]
            literal = []
    literal.append(text[position:])
    parts.append("".join(literal))
    return Pattern(tuple(parts))


def has_placeholder(text: str) -> bool:
    """Whether `text` holds a brace at all: only then can it be a pattern (cheap test before compiling)."""
    return "{" in text or "}" in text
