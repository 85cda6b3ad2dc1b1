"""An adopting job's hint inputs (its batch's JobIds, where the spec declares it) go from the program to the check;
what a state or program of another version could send instead is no hint, never an error."""

from typing import Any

import pytest

from vod_provider.providers.adoption import ADOPTION_BATCH, DECLARED_AT, AdoptionHints, adoption_hints, hint_inputs

A, B = "a" * 32, "b" * 32


@pytest.mark.parametrize(("inputs", "expected"), [
    (hint_inputs("specs/legacy.csv:7", [A, B]), AdoptionHints((A, B), "specs/legacy.csv:7")),
    (hint_inputs("specs/a.yaml:3", [A]), AdoptionHints((), "specs/a.yaml:3")),  # a batch of one is no batch
    ({}, AdoptionHints((), None)),
    ({ADOPTION_BATCH: "not a list", DECLARED_AT: 7}, AdoptionHints((), None)),
    ({ADOPTION_BATCH: [A, 3, None, B]}, AdoptionHints((A, B), None)),
])
def test_the_check_reads_the_hints_the_program_gave(inputs: dict[str, Any], expected: AdoptionHints) -> None:
    assert adoption_hints(inputs) == expected


def test_a_failure_names_the_row_only_when_the_program_said_where() -> None:
    assert AdoptionHints((), "specs/legacy.csv:7").prefix() == "specs/legacy.csv:7: "
    assert AdoptionHints((), None).prefix() == ""
