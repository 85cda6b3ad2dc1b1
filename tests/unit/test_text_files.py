"""A file that is not UTF-8 text is reported at the line and column of its first bad byte (or NUL), so the user can
find the cell a spreadsheet exported in a legacy code page or as UTF-16; a UTF-8 byte-order mark is not a problem."""

import codecs

import pytest

from vod_provider.spec.text_files import SAVE_AS, NotText, decode_text

NUL = f"a NUL character: this is not a text file, or it is UTF-16 text; {SAVE_AS}"


@pytest.mark.parametrize(("data", "expected"), [
    (b"videoId\nabc\n", "videoId\nabc\n"),
    (b"\xef\xbb\xbfvideoId\n", "videoId\n"),  # a spreadsheet's "CSV UTF-8" starts with a byte-order mark
    ("videoId,c\nabc,caf\u00e9\n".encode("latin-1"),
     NotText(2, 8, f"byte 0xe9 is not UTF-8 (invalid continuation byte); {SAVE_AS}")),
    ("videoId,c\n\u754c,caf".encode() + b"\xe9\n",  # columns count characters, not bytes
     NotText(2, 6, f"byte 0xe9 is not UTF-8 (invalid continuation byte); {SAVE_AS}")),
    ("videoId\n".encode("utf-16"), NotText(1, 1, f"the file is UTF-16 text (it starts with a UTF-16 byte-order mark); {SAVE_AS}")),
    ("videoId\n".encode("utf-32"), NotText(1, 1, f"the file is UTF-32 text (it starts with a UTF-32 byte-order mark); {SAVE_AS}")),
    # UTF-16 without a mark, non-ASCII text further on: its first NUL says what it is, not the é as a bad UTF-8 byte
    ("videoId\ncaf\u00e9\n".encode("utf-16-le"), NotText(1, 2, NUL)),
    (b"videoId\nab\x00c\n", NotText(2, 3, NUL)),
    (codecs.BOM_UTF8 + b"ab\x00", NotText(1, 3, NUL)),
], ids=["utf-8", "utf-8 with a byte-order mark", "latin-1", "a wide character before", "utf-16", "utf-32",
        "utf-16 without a mark", "a nul", "a nul after a byte-order mark"])
def test_a_file_is_text_or_says_where_it_stops_being_text(data: bytes, expected: str | NotText) -> None:
    assert decode_text(data) == expected


def test_the_advice_is_the_caller_s() -> None:
    assert decode_text(b"\xe9", "save it as UTF-8") == NotText(1, 1, "byte 0xe9 is not UTF-8 (unexpected end of data); save it as UTF-8")
