"""A file that is not UTF-8 text is reported at the line and column of its first bad byte (or NUL), so the user can
find the cell a spreadsheet exported in a legacy code page; a UTF-8 byte-order mark is not a problem."""

import pytest

from vod_provider.spec.text_files import SAVE_ITEMS_AS, NotText, decode_text, nul_character

SAVE_AS = "save the file as UTF-8 text (in a spreadsheet: 'CSV UTF-8')"
assert SAVE_AS == SAVE_ITEMS_AS


@pytest.mark.parametrize(("data", "expected"), [
    (b"videoId\nabc\n", "videoId\nabc\n"),
    (b"\xef\xbb\xbfvideoId\n", "videoId\n"),  # a spreadsheet's "CSV UTF-8" starts with a byte-order mark
    ("videoId,c\nabc,caf\u00e9\n".encode("latin-1"),
     NotText(2, 8, f"byte 0xe9 is not UTF-8 (invalid continuation byte); {SAVE_AS}")),
    ("videoId,c\n\u754c,caf".encode("utf-8") + b"\xe9\n",  # columns count characters, not bytes
     NotText(2, 6, f"byte 0xe9 is not UTF-8 (invalid continuation byte); {SAVE_AS}")),
    ("videoId\n".encode("utf-16"), NotText(1, 1, f"the file is UTF-16 text (it starts with a UTF-16 byte-order mark); {SAVE_AS}")),
], ids=["utf-8", "utf-8 with a byte-order mark", "latin-1", "a wide character before", "utf-16"])
def test_a_file_is_text_or_says_where_it_stops_being_text(data: bytes, expected: str | NotText) -> None:
    assert decode_text(data, SAVE_ITEMS_AS) == expected


def test_a_nul_character_is_located() -> None:
    assert nul_character("videoId\nab\x00c\n") == NotText(2, 3, f"a NUL character: this is not a text file, or it is UTF-16 text; {SAVE_AS}")
    assert nul_character("videoId\nabc\n") is None
