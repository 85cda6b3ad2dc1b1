"""The text of a spec or items file from its bytes, or where it stops being text: the line and column of the first
byte that is not UTF-8, or of a NUL character. Pure: bytes in, text or (line, column, message) out.

A spreadsheet's export is the usual culprit: "CSV" in a legacy code page (é as the single byte 0xe9) or "Unicode
text" (UTF-16: a NUL beside every ASCII character, with or without a byte-order mark). Naming the line and column
lets the user find the cell. Every such problem has one code, NOT_TEXT, wherever the file is read (as a spec file, as
items, or both), so a file read both ways is reported once.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

NOT_TEXT = "not-text"
SAVE_AS = "save the file as UTF-8 text"
SAVE_CSV_AS = "save the file as UTF-8 text (in a spreadsheet: 'CSV UTF-8')"  # a CSV is usually an export
# UTF-32's little-endian mark starts with UTF-16's: checked first.
_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"), (codecs.BOM_UTF16_LE, "UTF-16"),
         (codecs.BOM_UTF16_BE, "UTF-16"))


@dataclass(frozen=True)
class NotText:
    """Where a file stops being UTF-8 text (1-based line and column, in characters) and what to do about it."""

    line: int
    column: int
    message: str


def decode_text(data: bytes, save_as: str = SAVE_AS) -> str | NotText:
    """The file's text (a leading UTF-8 byte-order mark dropped, as a spreadsheet's export may start with one);
    `save_as`: what the message tells the user to do."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return NotText(1, 1, f"the file is {encoding} text (it starts with a {encoding} byte-order mark); {save_as}")
    body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    nul = body.find(b"\x00")  # before decoding: UTF-16 without a mark decodes as UTF-8 up to its first non-ASCII text
    if nul >= 0:
        return NotText(*_position(body, nul), f"a NUL character: this is not a text file, or it is UTF-16 text; {save_as}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return NotText(*_position(body, exc.start), f"byte 0x{body[exc.start]:02x} is not UTF-8 ({exc.reason}); {save_as}")


def _position(body: bytes, at: int) -> tuple[int, int]:
    """Line and column (in characters, as far as the line's bytes before `at` decode) of byte `at`."""
    line_start = body.rfind(b"\n", 0, at) + 1
    return body.count(b"\n", 0, at) + 1, len(body[line_start:at].decode("utf-8", "replace")) + 1
