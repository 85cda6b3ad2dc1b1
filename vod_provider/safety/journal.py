"""The submission journal: what was submitted, written to disk before Pulumi's state can know it.

Between SubmitAIImageJob returning a JobId and Pulumi writing its checkpoint, a crash would
lose the JobId and the next run would submit the job again. So every submit is bracketed by
fsync'd lines in an append-only file per stack (`.vodjobs/journal/<project>.<stack>.jsonl`):

    {"event": "submitting", "job": KEY, "inputs": HASH, "at": …}              before the call
    {"event": "submitted", …, "jobId": …, "requestId": …}                      after a JobId came back
    {"event": "not-submitted", …}                                              the call provably did not run
    {"event": "ambiguous", …, "requestId": …}                                  it may have run (no JobId)
    {"event": "recorded", "job": KEY, "jobId": …}                              Pulumi's state has the JobId
    {"event": "forgotten", "job": KEY, "inputs": HASH}                         an operator resolved it

KEY is `<project>/<stack>/<job name>`, HASH a digest of the job-defining inputs. The next
`create` of the same KEY and HASH reads the journal first: a `submitted` JobId is adopted instead
of submitting again; a `submitting` or `ambiguous` one is never resubmitted blindly. Entries of
jobs whose last event is `recorded` or `forgotten` are dropped when the journal is next opened.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

DEFAULT_DIR = Path(".vodjobs") / "journal"
SETTLED = frozenset({"recorded", "forgotten"})
# What `lookup` and `holds_job` read of an entry (the bucket journal keeps these of each object it lists; the local
# one folds them at once, OpenSubmissions). What it takes to find a job in the service stays stored for `recover`.
LOOKUP_FIELDS = ("event", "job", "inputs", "at", "jobId", "requestId")


def inputs_hash(essence: Mapping[str, Any]) -> str:
    """A stable digest of the job-defining inputs (what makes a submission 'the same job')."""
    canonical = json.dumps(dict(essence), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def journal_key_parts(key: str) -> tuple[str, str, str]:
    """`<project>/<stack>/<job>` → (project, stack, job). Pure."""
    project, stack, job = key.split("/", 2)
    return project, stack, job


def journal_file(directory: Path, key: str) -> Path:
    """One file per stack: the key's `<project>/<stack>` part names it."""
    project, stack, _ = journal_key_parts(key)
    return directory / f"{project}.{stack}.jsonl"


class Journal(Protocol):
    """What the provider, the recovery and the CLI need of a stack's journal; two stores implement it:
    SubmissionJournal (a local directory, below) and BucketJournal (objects in an S3-API bucket, bucket_journal.py)."""

    def describe(self) -> str:
        """Where it lives, for messages."""

    def lookup(self, key: str, digest: str) -> Submission | None:
        """The latest open submission of job `key` with inputs `digest`."""

    def holds_job(self, key: str, job_id: str) -> bool:
        """Whether an open `submitted` entry of `key` names `job_id`."""

    def record(self, event: str, key: str, digest: str | None = None, durable: bool = True, **fields: Any) -> None:
        """Append one event; stored before it returns (but for the events a store writes behind, see its docstring)."""

    def settle(self, key: str, job_id: str) -> None:
        """Pulumi's state now holds `job_id`: the submission's entries may go."""

    def stack_entries(self, project: str, stack: str) -> list[dict[str, Any]]:
        """Every entry of one stack, oldest first, with everything it was written with."""

    def flush(self, timeout: float = 30.0) -> None:
        """Wait for writes behind, if the store has any."""


@dataclass(frozen=True, slots=True)
class Submission:
    """What the journal knows of one job's latest submission with these inputs."""

    state: str  # "submitting" | "submitted" | "not-submitted" | "ambiguous"
    at: float
    job_id: str | None = None
    request_id: str | None = None

    @property
    def unresolved(self) -> bool:
        return self.state in ("submitting", "ambiguous")


def fold(entries: Iterable[Mapping[str, Any]], key: str, digest: str) -> Submission | None:
    """The latest open submission of `key` with inputs `digest`, or None. Pure."""
    latest: Submission | None = None
    for entry in entries:
        if entry.get("job") != key:
            continue
        event = entry.get("event")
        if event == "recorded":
            if latest is not None and latest.job_id == entry.get("jobId"):
                latest = None
            continue
        if entry.get("inputs") != digest:
            continue
        if event == "forgotten":
            latest = None
            continue
        latest = Submission(str(event), float(entry.get("at", 0)), entry.get("jobId"), entry.get("requestId"))
    return latest


def live_entries(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries still worth keeping: those of submissions that are still open. Pure.

    A submission (job key + inputs) is open until a `recorded` entry names its JobId or a
    `forgotten` entry closes it; settled entries themselves are never kept.
    """
    by_job: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_job.setdefault(str(entry.get("job")), []).append(entry)
    keep: list[dict[str, Any]] = []
    for key, history in by_job.items():
        digests = {str(e.get("inputs")) for e in history if e.get("event") not in SETTLED}
        open_digests = {d for d in digests if fold(history, key, d) is not None}
        keep += [e for e in history if e.get("event") not in SETTLED and str(e.get("inputs")) in open_digests]
    return sorted(keep, key=lambda e: float(e.get("at", 0)))


@dataclass(frozen=True)
class OpenSubmission:
    """An unresolved submission, with the inputs the journal kept to look for it in the service."""

    key: str
    digest: str
    submission: Submission
    job: dict[str, Any]


def unresolved_submissions(entries: list[dict[str, Any]]) -> list[OpenSubmission]:
    """Every (job, inputs) whose latest state is `submitting` or `ambiguous`, in the order first seen. Pure."""
    by_job: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_job.setdefault(str(entry.get("job")), []).append(entry)
    out = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        pair = (str(entry.get("job")), str(entry.get("inputs")))
        if pair in seen or entry.get("event") in SETTLED:
            continue
        seen.add(pair)
        history = by_job[pair[0]]
        found = fold(history, *pair)
        if found is not None and found.unresolved:
            inputs: dict[str, Any] = next((e["input"] for e in reversed(history) if e.get("inputs") == pair[1] and "input" in e), {})
            out.append(OpenSubmission(pair[0], pair[1], found, dict(inputs)))
    return out


class OpenSubmissions:
    """What `fold` gives for every (job, inputs) of a journal at once, folded one entry at a time.

    Holds one record per open (job, inputs), nothing per entry, and what it appends itself is applied without reading
    it back. A record is one string (`_pack`): a provider that submitted 10,000 jobs holds 10,000 of them, about 3 MB
    (a Submission object and its four values each took twice that: the provider's peak RSS at 10,000 jobs, bench/).
    Not thread-safe (the journal's lock guards it).
    """

    __slots__ = ("_by_job",)

    def __init__(self) -> None:
        # job key → its one open record (nearly always), or a tuple of them (one per inputs digest)
        self._by_job: dict[str, _Record | tuple[_Record, ...]] = {}

    def apply(self, entry: Mapping[str, Any]) -> None:
        """Fold in the next entry, in file order (as `fold` reads them)."""
        key, event = str(entry.get("job")), entry.get("event")
        records = self._records(key)
        if event == "recorded":  # closes whichever of the job's submissions carries this JobId
            if records:
                job_id = entry.get("jobId")
                self._store(key, [r for r in records if _unpack(r)[1].job_id != job_id])
            return
        digest = entry.get("inputs")
        if digest is None:
            return
        kept = [r for r in records if _unpack(r)[0] != str(digest)]
        if event != "forgotten":
            submission = Submission(str(event), float(entry.get("at", 0)), entry.get("jobId"), entry.get("requestId"))
            kept.append(_pack(str(digest), submission))
        self._store(key, kept)

    def lookup(self, key: str, digest: str) -> Submission | None:
        """= fold(every entry applied, key, digest)."""
        return next((found for d, found in map(_unpack, self._records(key)) if d == digest), None)

    def holds_job(self, key: str, job_id: str) -> bool:
        """Whether an open submission of `key` carries `job_id`."""
        return any(found.job_id == job_id for _, found in map(_unpack, self._records(key)))

    def __len__(self) -> int:
        return sum(len(self._records(key)) for key in self._by_job)

    def _records(self, key: str) -> list[_Record]:
        held = self._by_job.get(key)
        return [] if held is None else list(held) if isinstance(held, tuple) else [held]

    def _store(self, key: str, records: list[_Record]) -> None:
        if not records:
            self._by_job.pop(key, None)
        else:
            self._by_job[key] = records[0] if len(records) == 1 else tuple(records)


@dataclass(frozen=True, slots=True)
class _Unpacked:
    digest: str
    submission: Submission


# One open submission: "<digest>␟<state>␟<at>␟<jobId>␟<requestId>", a value written "=<text>" or "-" for none; or,
# for a value that holds the separator itself (never from the service, but the file is text anyone could edit), the
# two as they are.
_Record = str | _Unpacked
_SEPARATOR = "\x1f"


def _pack(digest: str, submission: Submission) -> _Record:
    values = (submission.job_id, submission.request_id)
    if any(_SEPARATOR in text for text in (digest, submission.state, *(v for v in values if v is not None))):
        return _Unpacked(digest, submission)
    written = ["-" if v is None else f"={v}" for v in values]
    return _SEPARATOR.join((digest, submission.state, repr(submission.at), *written))


def _unpack(record: _Record) -> tuple[str, Submission]:
    if isinstance(record, _Unpacked):
        return record.digest, record.submission
    digest, state, at, job_id, request_id = record.split(_SEPARATOR)
    return digest, Submission(state, float(at), None if job_id == "-" else job_id[1:],
                              None if request_id == "-" else request_id[1:])


@dataclass
class _FileView:
    """What this process has read of one journal file: its open submissions, and how far it read (bytes)."""

    inode: int
    offset: int
    open: OpenSubmissions


class SubmissionJournal:
    """Append-only, fsync'd, thread-safe, and locked against other processes (flock).

    Each process reads a file once and then only what was appended since (another process, e.g.
    the provider of a killed run, may still be appending), so a lookup costs O(1). What it reads is folded as it
    goes (OpenSubmissions): memory follows the open submissions, not the lines.
    """

    def __init__(self, directory: Path = DEFAULT_DIR) -> None:
        self._directory = directory
        self._lock = threading.Lock()
        self._compacted: set[Path] = set()
        self._views: dict[Path, _FileView] = {}

    # -- reading ---------------------------------------------------------------------------

    def lookup(self, key: str, digest: str) -> Submission | None:
        path = journal_file(self._directory, key)
        with self._locked(path):
            return self._sync(path).open.lookup(key, digest)

    def holds_job(self, key: str, job_id: str) -> bool:
        """Whether an open `submitted` entry of `key` names `job_id` (so state recording it settles it)."""
        path = journal_file(self._directory, key)
        with self._locked(path):
            return self._sync(path).open.holds_job(key, job_id)

    def stack_entries(self, project: str, stack: str) -> list[dict[str, Any]]:
        """Every entry of one stack's file, oldest first."""
        path = journal_file(self._directory, f"{project}/{stack}/-")
        with self._locked(path):
            return self._read(path)

    def describe(self) -> str:
        return f"the local directory {self._directory}"

    # -- writing ---------------------------------------------------------------------------

    def settle(self, key: str, job_id: str) -> None:
        # Not fsync'd: losing it costs one more settle next run, never a duplicate (pruned at the next open).
        self.record("recorded", key, jobId=job_id, durable=False)

    def flush(self, timeout: float = 30.0) -> None:
        """Every record is written before it returns: nothing to wait for."""

    def record(self, event: str, key: str, digest: str | None = None, durable: bool = True, **fields: Any) -> None:
        entry: dict[str, Any] = {"event": event, "job": key, "at": round(time.time(), 3), **fields}
        if digest is not None:
            entry["inputs"] = digest
        path = journal_file(self._directory, key)
        line = (json.dumps(entry, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")
        with self._locked(path):
            view = self._sync(path)  # read what others appended first, so our offset stays exact
            with path.open("ab") as handle:
                torn = handle.tell() != view.offset  # a line a crash cut short: end it, or ours would join it
                handle.write(b"\n" + line if torn else line)
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
                if torn:
                    self._sync(path)  # the torn line is now a line of its own (unreadable: skipped), then ours
                    return
                # We hold the lock: nobody appended since the sync, so what we wrote is all that is new.
                if not view.inode:  # the file is new: this write made it
                    view.inode = os.fstat(handle.fileno()).st_ino
                view.offset = handle.tell()
            view.open.apply(entry)

    # -- internals -------------------------------------------------------------------------

    @contextmanager
    def _locked(self, path: Path) -> Iterator[None]:
        with self._lock:
            # Opened each time, not kept: a journal directory removed while a provider runs (`rm -rf .vodjobs`) is
            # made again, and the lock is always on the file other processes open.
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path.with_suffix(".lock"), "a") as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
                try:
                    if path not in self._compacted:
                        self._compact(path)
                        self._compacted.add(path)
                    yield
                finally:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)

    def _sync(self, path: Path) -> _FileView:
        """Bring this process's view of `path` up to date (caller holds the lock)."""
        try:
            stat = path.stat()
        except FileNotFoundError:
            self._views[path] = _FileView(0, 0, OpenSubmissions())
            return self._views[path]
        view = self._views.get(path)
        if view is None or view.inode != stat.st_ino or stat.st_size < view.offset:
            view = _FileView(stat.st_ino, 0, OpenSubmissions())  # new, or replaced by another process's compaction
            self._views[path] = view
        if stat.st_size > view.offset:
            with path.open("rb") as handle:
                handle.seek(view.offset)
                chunk = handle.read()
            complete = chunk[: chunk.rfind(b"\n") + 1]  # a torn last line is read again later
            view.offset += len(complete)
            for entry in _parse(complete.splitlines()):
                view.open.apply(entry)
        return view

    def _compact(self, path: Path) -> None:
        """Drop settled entries, atomically (write aside, fsync, rename); kept lines are copied as they are, in order.

        Two passes over the file, one line in memory at a time: the first folds every entry (OpenSubmissions), the
        second copies the lines of submissions still open. The fold is this process's view of the file afterwards.
        """
        try:
            source = path.open("rb")
        except FileNotFoundError:
            return
        aside = path.with_suffix(".tmp")
        with source:
            folded, entries, ends_whole = OpenSubmissions(), 0, True
            for raw in source:
                ends_whole = raw.endswith(b"\n")
                if (entry := _entry(raw)) is not None:
                    folded.apply(entry)
                    entries += 1
            read_to = source.tell()
            source.seek(0)
            kept = 0
            with aside.open("wb") as out:
                for raw in source:
                    entry = _entry(raw)
                    if entry is None or entry.get("event") in SETTLED or folded.lookup(
                            str(entry.get("job")), str(entry.get("inputs"))) is None:
                        continue
                    out.write(raw if raw.endswith(b"\n") else raw + b"\n")
                    kept += 1
                if kept < entries:
                    out.flush()
                    os.fsync(out.fileno())
        if kept == entries:
            aside.unlink()
            if ends_whole:  # else a torn last line is left for _sync to read once it is whole
                self._views[path] = _FileView(os.stat(path).st_ino, read_to, folded)
            return
        os.replace(aside, path)
        stat = path.stat()
        self._views[path] = _FileView(stat.st_ino, stat.st_size, folded)

    @staticmethod
    def _read(path: Path) -> list[dict[str, Any]]:
        try:
            return _parse(path.read_text(encoding="utf-8").splitlines())
        except FileNotFoundError:
            return []


def _parse(lines: Iterable[str | bytes]) -> list[dict[str, Any]]:
    return [entry for line in lines if (entry := _entry(line)) is not None]


def _entry(line: str | bytes) -> dict[str, Any] | None:
    """One line's entry, or None for a line a crash tore (it carries nothing we could trust)."""
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None
