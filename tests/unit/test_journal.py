"""The submission journal remembers every submit until Pulumi's state does, across crashes and processes."""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from vod_provider.safety.journal import OpenSubmissions, Submission, SubmissionJournal, fold, inputs_hash, live_entries

KEY = "vodjobs/prod/trailer-cover"
H1 = inputs_hash({"videoId": "v1", "templateId": "t"})
H2 = inputs_hash({"videoId": "v2", "templateId": "t"})


def entry(event: str, digest: str | None = H1, **fields: str) -> dict[str, object]:
    out: dict[str, object] = {"event": event, "job": KEY, "at": 1.0, **fields}
    if digest is not None:
        out["inputs"] = digest
    return out


def test_the_hash_ignores_key_order_and_sees_every_value() -> None:
    assert inputs_hash({"a": "1", "b": "2"}) == inputs_hash({"b": "2", "a": "1"}) != inputs_hash({"a": "1", "b": "3"})


def test_fold_follows_a_submission_through_its_life() -> None:
    submitting = [entry("submitting")]
    submitted = [*submitting, entry("submitted", jobId="J1", requestId="R1")]

    assert fold([], KEY, H1) is None
    assert fold(submitting, KEY, H1).state == "submitting"  # type: ignore[union-attr]
    assert fold(submitted, KEY, H1).job_id == "J1"  # type: ignore[union-attr]
    assert fold(submitted, KEY, H2) is None  # other inputs: another submission
    assert fold([*submitted, entry("recorded", None, jobId="J1")], KEY, H1) is None
    assert fold([*submitted, entry("recorded", None, jobId="J0")], KEY, H1) is not None
    assert fold([entry("submitting"), entry("ambiguous", requestId="R9"), entry("forgotten")], KEY, H1) is None


def test_compaction_keeps_only_open_submissions() -> None:
    old_job = [entry("submitting"), entry("submitted", jobId="J1"), entry("recorded", None, jobId="J1")]
    in_doubt = [entry("submitting", H2), entry("ambiguous", H2, requestId="R2")]

    assert live_entries(old_job) == []
    assert live_entries(old_job + in_doubt) == in_doubt
    # state recording the old job must not settle the new, ambiguous submission of the same name
    assert live_entries(in_doubt + [entry("recorded", None, jobId="J1")]) == in_doubt


def test_a_journaled_job_id_survives_a_new_process(tmp_path: Path) -> None:
    SubmissionJournal(tmp_path).record("submitting", KEY, H1)
    SubmissionJournal(tmp_path).record("submitted", KEY, H1, jobId="J1", requestId="R1")

    found = SubmissionJournal(tmp_path).lookup(KEY, H1)

    assert found is not None and (found.state, found.job_id, found.request_id) == ("submitted", "J1", "R1")
    assert [json.loads(line)["event"] for line in (tmp_path / "vodjobs.prod.jsonl").read_text().splitlines()] == [
        "submitting", "submitted"]


def test_settled_entries_are_pruned_when_the_journal_is_next_opened(tmp_path: Path) -> None:
    journal = SubmissionJournal(tmp_path)
    journal.record("submitting", KEY, H1)
    journal.record("submitted", KEY, H1, jobId="J1")
    assert journal.holds_job(KEY, "J1") and not journal.holds_job(KEY, "J2")
    journal.record("recorded", KEY, jobId="J1", durable=False)

    reopened = SubmissionJournal(tmp_path)

    assert reopened.lookup(KEY, H1) is None
    assert (tmp_path / "vodjobs.prod.jsonl").read_text() == ""


def test_a_torn_last_line_is_ignored(tmp_path: Path) -> None:
    journal = SubmissionJournal(tmp_path)
    journal.record("submitting", KEY, H1)
    with (tmp_path / "vodjobs.prod.jsonl").open("a") as handle:
        handle.write('{"event":"submitted","job":"vodjobs/prod/trailer-co')

    found = SubmissionJournal(tmp_path).lookup(KEY, H1)

    assert found is not None and found.state == "submitting"


def _append_from_another_process(directory: str) -> None:
    SubmissionJournal(Path(directory)).record("submitted", KEY, H1, jobId="J-orphan")


def test_entries_appended_by_another_process_are_seen(tmp_path: Path) -> None:
    journal = SubmissionJournal(tmp_path)
    journal.record("submitting", KEY, H1)
    assert journal.lookup(KEY, H1).state == "submitting"  # type: ignore[union-attr]

    process = multiprocessing.get_context("spawn").Process(target=_append_from_another_process, args=(str(tmp_path),))
    process.start()
    process.join(30)

    assert journal.lookup(KEY, H1).job_id == "J-orphan"  # type: ignore[union-attr]


def test_an_entry_appended_after_a_torn_line_is_a_line_of_its_own(tmp_path: Path) -> None:
    journal = SubmissionJournal(tmp_path)
    journal.record("submitting", KEY, H1)
    with (tmp_path / "vodjobs.prod.jsonl").open("a") as handle:
        handle.write('{"event":"submitted","job":"vodjobs/prod/trailer-co')

    journal.record("submitted", KEY, H1, jobId="J1")

    for reader in (journal, SubmissionJournal(tmp_path)):
        found = reader.lookup(KEY, H1)
        assert found is not None and found.job_id == "J1"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["submitting", "submitted", "not-submitted", "ambiguous", "recorded",
                                           "forgotten"]),
                          st.sampled_from(["vodjobs/prod/a", "vodjobs/prod/b"]), st.sampled_from([H1, H2]),
                          st.sampled_from([None, "J1", "J2"])), max_size=12))
def test_folding_entry_by_entry_gives_what_fold_gives(events: list[tuple[str, str, str, str | None]]) -> None:
    entries: list[dict[str, Any]] = []
    folded = OpenSubmissions()
    for n, (event, key, digest, job_id) in enumerate(events):
        entry: dict[str, Any] = {"event": event, "job": key, "at": float(n)}
        if event != "recorded":
            entry["inputs"] = digest
        if job_id is not None:
            entry["jobId"] = job_id
        entries.append(entry)
        folded.apply(entry)
    for key in ("vodjobs/prod/a", "vodjobs/prod/b"):
        for digest in (H1, H2):
            assert folded.lookup(key, digest) == fold(entries, key, digest)
        for job_id in ("J1", "J2"):
            assert folded.holds_job(key, job_id) == any(
                (found := fold(entries, key, d)) is not None and found.job_id == job_id for d in (H1, H2))


def test_values_that_hold_the_record_separator_come_back_as_written() -> None:
    folded = OpenSubmissions()
    odd = "J\x1f1"
    folded.apply({"event": "submitted", "job": KEY, "inputs": H1, "at": 2.5, "jobId": odd, "requestId": ""})
    folded.apply({"event": "submitting", "job": KEY, "inputs": H2, "at": 3.0})

    assert folded.lookup(KEY, H1) == Submission("submitted", 2.5, odd, "")
    assert folded.lookup(KEY, H2) == Submission("submitting", 3.0, None, None)
    assert folded.holds_job(KEY, odd) and len(folded) == 2


def test_a_journal_directory_removed_while_a_provider_runs_is_made_again(tmp_path: Path) -> None:
    journal = SubmissionJournal(tmp_path / "journal")
    journal.record("submitting", KEY, H1)
    shutil.rmtree(tmp_path / "journal")

    journal.record("submitted", KEY, H2, jobId="J2")

    assert SubmissionJournal(tmp_path / "journal").lookup(KEY, H2).job_id == "J2"  # type: ignore[union-attr]
