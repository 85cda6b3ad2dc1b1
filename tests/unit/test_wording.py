"""The counts in messages read as English: one noun singular, every other count plural."""

import pytest

from vod_provider.wording import counted, plural


@pytest.mark.parametrize(("count", "expected"), [(0, "0 rows"), (1, "1 row"), (2, "2 rows"), (10_000, "10000 rows")])
def test_a_count_reads_with_its_noun(count: int, expected: str) -> None:
    assert counted(count, "row") == expected


def test_the_noun_alone_follows_the_count() -> None:
    assert [plural(n, "job") for n in (0, 1, 2)] == ["jobs", "job", "jobs"]
