"""A provider process holds only what its journal lookups read: at 1,000 jobs the journal is thousands of entries."""

from __future__ import annotations

from pathlib import Path

from vod_provider.safety.journal import LOOKUP_FIELDS, SubmissionJournal, inputs_hash

OPEN_KEY, SETTLED_KEY = "vodjobs/prod/open-cover", "vodjobs/prod/settled-cover"
H1 = inputs_hash({"videoId": "v1", "templateId": "t"})
FINDABLE = {"videoId": "v1", "templateId": "t", "userDataSha256": ""}


def test_compaction_copies_the_lines_it_keeps_byte_for_byte(tmp_path: Path) -> None:
    journal = SubmissionJournal(tmp_path)
    journal.record("submitting", SETTLED_KEY, H1, token="n1", input=FINDABLE)
    journal.record("submitted", SETTLED_KEY, H1, jobId="J1", requestId="R1")
    journal.record("recorded", SETTLED_KEY, jobId="J1", durable=False)
    journal.record("submitting", OPEN_KEY, H1, token="n2", input=FINDABLE)
    journal.record("ambiguous", OPEN_KEY, H1, requestId="R2", token="n2", code="InternalError")
    path = tmp_path / "vodjobs.prod.jsonl"
    open_lines = [line for line in path.read_text().splitlines() if OPEN_KEY in line]

    SubmissionJournal(tmp_path).lookup(OPEN_KEY, H1)  # the first open compacts

    assert path.read_text().splitlines() == open_lines


def test_lookups_hold_only_the_fields_they_read_and_still_find_the_job_id(tmp_path: Path) -> None:
    writer = SubmissionJournal(tmp_path)
    writer.record("submitting", OPEN_KEY, H1, token="n1", input=FINDABLE)
    writer.record("submitted", OPEN_KEY, H1, jobId="J1", requestId="R1")
    reader = SubmissionJournal(tmp_path)

    found = reader.lookup(OPEN_KEY, H1)

    assert found is not None and (found.state, found.job_id, found.request_id) == ("submitted", "J1", "R1")
    assert reader.holds_job(OPEN_KEY, "J1")
    held = [entry for view in reader._views.values() for history in view.by_job.values() for entry in history]
    assert len(held) == 2 and all(set(entry) <= set(LOOKUP_FIELDS) for entry in held)
    assert SubmissionJournal(tmp_path).stack_entries("vodjobs", "prod")[0]["input"] == FINDABLE  # on disk, in full
