"""The text of a spec or items file from its bytes, or where it stops being text: the line and column of the first
byte that is not UTF-8, or of a NUL character. Pure: bytes in, text or (line, column, message) out.

A spreadsheet's export is the usual culprit: "CSV" in a legacy code page (é as the single byte 0xe9) or "Unicode
text" (UTF-16, a NUL after every ASCII character). Naming the line and column lets the user find the cell.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
SAVE_AS = "save the file as UTF-8 text"
SAVE_ITEMS_AS = "save the file as UTF-8 text (in a spreadsheet: 'CSV UTF-8')"  # an items file is often an export


@dataclass(frozen=True)
class NotText:
    """Where a file stops being UTF-8 text (1-based line and column, in characters) and what to do about it."""

    line: int
    column: int
    message: str


def decode_text(data: bytes, save_as: str = SAVE_AS) -> str | NotText:
    """The file's text (a leading UTF-8 byte-order mark dropped, as a spreadsheet's export may start with one);
    `save_as`: what the message tells the user to do."""
    if data.startswith(_UTF16_BOMS):
        return NotText(1, 1, f"the file is UTF-16 text (it starts with a UTF-16 byte-order mark); {save_as}")
    body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = body.rfind(b"\n", 0, exc.start) + 1
        column = len(body[line_start:exc.start].decode("utf-8", "replace")) + 1
        return NotText(body.count(b"\n", 0, exc.start) + 1, column,
                       f"byte 0x{body[exc.start]:02x} is not UTF-8 ({exc.reason}); {save_as}")


def nul_character(text: str, save_as: str = SAVE_ITEMS_AS) -> NotText | None:
    """Where the text's first NUL character is, or None: no text file holds one (a UTF-16 file read as UTF-8 does)."""
    at = text.find("\x00")
    if at < 0:
        return None
    line_start = text.rfind("\n", 0, at) + 1
    return NotText(text.count("\n", 0, at) + 1, at - line_start + 1,
                   f"a NUL character: this is not a text file, or it is UTF-16 text; {save_as}")
