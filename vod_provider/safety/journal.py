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
# What `lookup` and `holds_job` read of an entry. A provider process keeps only these in memory (every entry of a
# 1,000-job run is 1,000s of them); what it takes to find a job in the service stays on disk for `vodjobs recover`.
LOOKUP_FIELDS = ("event", "job", "inputs", "at", "jobId", "requestId")
LINE = "_line"  # compaction's note of where an entry came from


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


@dataclass(frozen=True)
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
    """Every (job, inputs) whose latest state is `submitting` or `ambiguous`. Pure."""
    out = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        pair = (str(entry.get("job")), str(entry.get("inputs")))
        if pair in seen or entry.get("event") in SETTLED:
            continue
        seen.add(pair)
        history = [e for e in entries if e.get("job") == pair[0]]
        found = fold(history, *pair)
        if found is not None and found.unresolved:
            inputs: dict[str, Any] = next((e["input"] for e in reversed(history) if e.get("inputs") == pair[1] and "input" in e), {})
            out.append(OpenSubmission(pair[0], pair[1], found, dict(inputs)))
    return out


@dataclass
class _FileView:
    """What this process has read of one journal file: entries by job key, and how far it read."""

    inode: int
    offset: int
    by_job: dict[str, list[dict[str, Any]]]


class SubmissionJournal:
    """Append-only, fsync'd, thread-safe, and locked against other processes (flock).

    Each process reads a file once and then only what was appended since (another process, e.g.
    the provider of a killed run, may still be appending), so a lookup costs O(entries of that job).
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
            return fold(self._sync(path).by_job.get(key, []), key, digest)

    def holds_job(self, key: str, job_id: str) -> bool:
        """Whether an open `submitted` entry of `key` names `job_id` (so state recording it settles it)."""
        path = journal_file(self._directory, key)
        with self._locked(path):
            history = self._sync(path).by_job.get(key, [])
            digests = {str(e.get("inputs")) for e in history if e.get("jobId") == job_id}
            return any((found := fold(history, key, d)) is not None and found.job_id == job_id for d in digests)

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
        line = json.dumps(entry, separators=(",", ":"), sort_keys=True) + "\n"
        with self._locked(path):
            self._sync(path)  # read what others appended first, so our offset stays exact
            with path.open("a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
            self._sync(path)

    # -- internals -------------------------------------------------------------------------

    @contextmanager
    def _locked(self, path: Path) -> Iterator[None]:
        with self._lock:
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
            self._views[path] = _FileView(0, 0, {})
            return self._views[path]
        view = self._views.get(path)
        if view is None or view.inode != stat.st_ino or stat.st_size < view.offset:
            view = _FileView(stat.st_ino, 0, {})  # new, or replaced by another process's compaction
            self._views[path] = view
        if stat.st_size > view.offset:
            with path.open("rb") as handle:
                handle.seek(view.offset)
                chunk = handle.read()
            complete = chunk[: chunk.rfind(b"\n") + 1]  # a torn last line is read again later
            view.offset += len(complete)
            for _, entry in _numbered(complete.decode("utf-8", "replace").splitlines()):
                view.by_job.setdefault(str(entry.get("job")), []).append(_lookup_fields(entry))
        return view

    def _compact(self, path: Path) -> None:
        """Drop settled entries, atomically (write aside, fsync, rename); kept lines are copied as they are."""
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        entries = [{**_lookup_fields(entry), LINE: n} for n, entry in _numbered(lines)]
        keep = live_entries(entries)
        if len(keep) == len(entries):
            return
        aside = path.with_suffix(".tmp")
        with aside.open("w", encoding="utf-8") as handle:
            handle.writelines(lines[entry[LINE]] + "\n" for entry in keep)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(aside, path)

    @staticmethod
    def _read(path: Path) -> list[dict[str, Any]]:
        try:
            return _parse(path.read_text(encoding="utf-8").splitlines())
        except FileNotFoundError:
            return []


def _parse(lines: Iterable[str]) -> list[dict[str, Any]]:
    return [entry for _, entry in _numbered(lines)]


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, line in enumerate(lines):
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line torn by a crash mid-write carries nothing we could trust
        if isinstance(entry, dict):
            yield n, entry


def _lookup_fields(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {field: entry[field] for field in LOOKUP_FIELDS if field in entry}
