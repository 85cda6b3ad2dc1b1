"""A provider process holds only what its journal lookups read: at 1,000 jobs the journal is thousands of entries."""

from __future__ import annotations

from pathlib import Path

from vod_provider.safety.journal import SubmissionJournal, inputs_hash

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
    # One folded submission per open (job, inputs), nothing per line.
    assert [len(view.open) for view in reader._views.values()] == [1]
    assert SubmissionJournal(tmp_path).stack_entries("vodjobs", "prod")[0]["input"] == FINDABLE  # on disk, in full


def test_a_thousand_submissions_read_back_hold_a_thousand_small_values(tmp_path: Path) -> None:
    writer = SubmissionJournal(tmp_path)
    for n in range(1000):
        writer.record("submitting", f"vodjobs/prod/cover-{n}", H1, token=f"n{n}", input=FINDABLE)
        writer.record("submitted", f"vodjobs/prod/cover-{n}", H1, jobId=f"J{n}", requestId=f"R{n}")
    for n in range(500):  # the next run's state holds half of them
        writer.record("recorded", f"vodjobs/prod/cover-{n}", jobId=f"J{n}", durable=False)

    reader = SubmissionJournal(tmp_path)

    assert reader.lookup("vodjobs/prod/cover-999", H1).job_id == "J999"  # type: ignore[union-attr]
    assert reader.lookup("vodjobs/prod/cover-0", H1) is None
    assert [len(view.open) for view in reader._views.values()] == [500]
    assert len((tmp_path / "vodjobs.prod.jsonl").read_text().splitlines()) == 1000  # compacted: the open half's lines
    assert [len(view.open) for view in writer._views.values()] == [500]  # the writer folded its own lines too
