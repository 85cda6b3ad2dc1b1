"""Pure checks of single values (ids, names, waits, revisions…): a value in, the converted value out, or BadValue.

Shared by the document checker (values written in a spec file) and the job-set expansion (values from a row of a
catalogue file, where every cell is text), so a bad id reads the same wherever it was written.
"""

from __future__ import annotations

import re
from typing import Any

from vod_provider.spec import schema


class BadValue(Exception):
    """One value is wrong: `code` is the issue code, `message` says what is wrong and how to fix it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def kind_of(value: Any) -> str:
    """How a YAML value reads in a message: 'a mapping', 'the number 3', …"""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {shown_text(value)}"
    return {dict: "a mapping", list: "a list", type(None): "nothing (null)"}.get(type(value), f"a {type(value).__name__}")


# A wrong value is quoted in its message up to this many characters: enough to recognise an id (32), while a file that
# is not a catalogue at all (a mistake, or a symlink someone slipped in) does not end up whole in a CI log.
SHOWN_CHARACTERS = 40


def shown_text(text: str) -> str:
    """`text` quoted for a message, cut to SHOWN_CHARACTERS with its length said: `'abc…' (120 characters)`."""
    if len(text) <= SHOWN_CHARACTERS:
        return repr(text)
    return f"{text[:SHOWN_CHARACTERS]!r}… ({len(text)} characters)"


def wrong_type(expected: str, value: Any) -> BadValue:
    return BadValue("type", f"must be {expected}, not {kind_of(value)}")


def cloud_id(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        raise wrong_type("a VOD id in quotes (YAML reads an unquoted all-digit id as a number)", value)
    return _shaped_text(value, schema.ID_SHAPE, ("a VOD id (32 lower-case hex characters)", "id-shape",
                                                 "is not a VOD id: ids are 32 lower-case hex characters"))


def template_name(value: Any) -> str:
    return _shaped_text(value, schema.NAME_SHAPE, ("a template name", "name-shape",
                                                   "is not a template name: letters, digits, '_', '.', '-' (at most 100)"))


def _shaped_text(value: Any, shape: re.Pattern[str], wording: tuple[str, str, str]) -> str:
    """`value` if it is text matching `shape`. wording: (expected type, issue code, problem)."""
    expected, code, problem = wording
    if not isinstance(value, str):
        raise wrong_type(expected, value)
    if not shape.match(value):
        raise BadValue(code, f"{shown_text(value)} {problem}")
    return value


def json_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise wrong_type("a mapping (it is sent as a JSON object)", value)
    return value


def wait(value: Any) -> float | None:
    """Seconds to wait (None: do not wait) from false, true or a duration such as 10m."""
    if isinstance(value, bool):
        return schema.WAIT_DEFAULT_SECONDS if value else None
    seconds = schema.parse_duration(value) if isinstance(value, str) else None
    if seconds is None:
        raise wrong_type("false, true or a duration such as 10m, 1h30m, 90s", value)
    if not 0 < seconds <= schema.WAIT_MAX_SECONDS:
        raise BadValue("wait-range", f"wait {value} is out of range: use more than 0s and at most 24h, or false")
    return seconds


def wait_text(text: str) -> float | None:
    """`wait` from a catalogue cell, where everything is text: `true`/`false` are the booleans."""
    return wait({"true": True, "false": False}.get(text, text))


def revision(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise wrong_type("a whole number (0, 1, 2, …)", value)
    if value < 0:
        raise BadValue("revision-range", f"revision {value} is negative; revisions count up from 0")
    return value


def revision_text(value: Any) -> int:
    """`revision` from a catalogue cell: digits only (`3`, not `3.0` or `+3`)."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return revision(value)


def template_format(value: Any) -> str:
    if value not in schema.TEMPLATE_FORMATS:
        raise wrong_type(" or ".join(schema.TEMPLATE_FORMATS), value)
    return str(value)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise wrong_type("true or false", value)
    return value
