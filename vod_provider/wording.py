"""English for counts and line numbers in messages: "1 job", "3 jobs", "rows 2–121, 130". The bottom layer beside
`errors`: every part may import it.

Regular plurals only (an `s`); a noun that needs more says it where it is used ("job has"/"jobs have").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# A line of ranges stays short whatever the count: past this many ranges, "and N more rows".
MOST_RANGES = 12


def plural(count: int, noun: str) -> str:
    """`noun` as it reads after `count`: plural(1, "job") is "job", plural(0, "job") and plural(2, "job") "jobs"."""
    return noun if count == 1 else f"{noun}s"


def counted(count: int, noun: str) -> str:
    """The count with its noun: counted(1, "row") is "1 row", counted(0, "row") is "0 rows"."""
    return f"{count} {plural(count, noun)}"


def line_ranges(lines: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """Line numbers as (first, last) runs of consecutive numbers: 2, 3, 4, 7 → (2, 4), (7, 7)."""
    runs: list[tuple[int, int]] = []
    for line in sorted(set(lines)):
        if runs and line == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], line)
        else:
            runs.append((line, line))
    return tuple(runs)


def rows_text(lines: Sequence[int], noun: str = "row", most: int = MOST_RANGES) -> str:
    """E.g. "rows 2–121, 130, 140–141", "row 57"; past `most` ranges "… and 37 more rows" (lines: ascending, distinct)."""
    runs = line_ranges(lines)
    shown = ", ".join(str(first) if first == last else f"{first}–{last}" for first, last in runs[:most])
    rest = sum(last - first + 1 for first, last in runs[most:])
    more = f" and {rest} more {plural(rest, noun)}" if rest else ""
    return f"{plural(len(lines), noun)} {shown}{more}"
