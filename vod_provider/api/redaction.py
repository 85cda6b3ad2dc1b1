"""Keeping what a request carried out of the cloud's error messages (pure: text and values in, text out).

The client's own messages never quote a request. The cloud's `Message` is the one text it passes on, and an
endpoint may echo what it was sent: the AccessKey secret, the STS token, or the UserData (which may hold a
callback token). Each is removed in every form it travels in: as given, JSON-escaped, percent-encoded once
(the query string) and twice (a V1 string-to-sign), and form-encoded. The client cannot know which part of a
UserData is secret, so the whole of it goes, and so does every string inside it and every part of such a string
between URL delimiters (a `?token=…` alone).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from urllib.parse import quote, quote_plus

MASK = "***"
# Shorter UserData leaves ("gif", "true") are not worth hiding, and hiding them would garble the message.
MIN_LEAF = 6
_URL_PARTS = re.compile(r"[?&=#]")


def encoded_forms(value: str) -> set[str]:
    """`value` as given and in each encoding a request or an echo of it may use."""
    once = quote(value, safe="~")
    return {value, json.dumps(value)[1:-1], once, quote(once, safe="~"), quote_plus(value)}


def user_data_values(user_data: str) -> Iterator[str]:
    """The UserData and every string inside it (UserData nests JSON in JSON strings, e.g. MessageCallback)."""
    yield user_data
    try:
        parsed = json.loads(user_data)
    except ValueError:
        return
    pending = [parsed]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending += list(item.values())
        elif isinstance(item, list):
            pending += item
        elif isinstance(item, str) and len(item) >= MIN_LEAF:
            yield item
            # A callback URL's query may carry the token alone: each of its parts is hidden too.
            yield from (part for part in _URL_PARTS.split(item) if len(part) >= MIN_LEAF)
            if item.lstrip().startswith(("{", "[")):
                pending += list(user_data_values(item))[1:]


def secret_texts(secrets: Iterable[str], user_data: str | None) -> list[str]:
    """Every text to remove from a message, longest first (so no part of a longer one is left behind)."""
    values = [s for s in secrets if s] + (list(user_data_values(user_data)) if user_data else [])
    forms = {form for value in values for form in encoded_forms(value) if form}
    return sorted(forms, key=len, reverse=True)


def redact(text: str, secret_texts: Iterable[str]) -> str:
    for secret in secret_texts:
        text = text.replace(secret, MASK)
    return text
