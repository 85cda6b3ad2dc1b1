"""English for counts in messages: "1 job", "3 jobs". The bottom layer beside `errors`: every part may import it.

Regular plurals only (an `s`); a noun that needs more says it where it is used ("job has"/"jobs have").
"""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """`noun` as it reads after `count`: plural("job", 1) is "job", for 0 or 2 "jobs"."""
    return noun if count == 1 else f"{noun}s"


def counted(count: int, noun: str) -> str:
    """The count with its noun: counted(1, "row") is "1 row", counted(0, "row") is "0 rows"."""
    return f"{count} {plural(count, noun)}"
