"""Recovering a stack after a crash (`vodjobs recover`): the steps, each small and testable.

What a `kill -9` of `pulumi up` leaves (shared/reference/pulumi-dynamic.md §3.0.1): the language host
and the provider keep running (a submit in flight can still complete), the stack stays locked, and
the next `up` creates the interrupted resources again. Recovery therefore:

1. refuses if a `pulumi` command is still running in the project (that is a live run, not a crash);
2. lets orphaned provider processes finish their in-flight submits (their outcome lands in the
   journal), then stops them;
3. resolves every submission the journal still has in doubt, by looking for the job in the
   service for up to a settle window, and records it submitted (found) or not submitted;
4. removes the stack's lock (file and s3:// backends) when its holder is provably gone (same machine), when the
   operator says the run is dead (`--cancel-stale-lock`), or when the lock is older than any run lives
   (`--stale-lock-seconds`, default 6 hours: a hosted CI job's longest life);
5. optionally runs `pulumi up`, where the journal turns every JobId of the crashed run into a
   recorded job instead of a second submission.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vod_provider.api.client import VodClient
from vod_provider.safety.bucket_journal import s3_client
from vod_provider.safety.journal import Journal, OpenSubmission, unresolved_submissions
from vod_provider.safety.journal_location import BucketJournalLocation, parse_bucket_url
from vod_provider.safety.submission import find_submitted_job

PROVIDER_MARKERS = ("pulumi.dynamic", "pulumi-language-python", "pulumi-resource-pulumi-python")


@dataclass(frozen=True)
class ProjectProcess:
    pid: int
    cmdline: str

    @property
    def is_cli(self) -> bool:
        first = self.cmdline.split(" ", 1)[0]
        return os.path.basename(first) == "pulumi"


def project_processes(project_dir: Path, proc: Path = Path("/proc")) -> list[ProjectProcess]:
    """Pulumi CLI, language host and provider processes whose working directory is the project."""
    target = project_dir.resolve()
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = (entry / "cwd").resolve()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, RuntimeError):
            continue
        if cwd != target or not cmdline:
            continue
        process = ProjectProcess(int(entry.name), cmdline)
        if process.is_cli or any(marker in cmdline for marker in PROVIDER_MARKERS):
            found.append(process)
    return found


def in_flight(journal: Journal, project: str, stack: str) -> list[OpenSubmission]:
    return [s for s in unresolved_submissions(journal.stack_entries(project, stack)) if s.submission.state == "submitting"]


def drain_orphans(
    orphans: list[ProjectProcess], still_in_flight: Callable[[], bool], grace_seconds: float,
    sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
) -> None:
    """Give orphaned providers `grace_seconds` to finish what they were sending, then stop them."""
    deadline = clock() + grace_seconds
    while still_in_flight() and clock() < deadline:
        sleep(0.2)
    for process in orphans:
        try:
            os.kill(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


@dataclass(frozen=True)
class Resolution:
    key: str
    job_id: str | None  # None: not found in the settle window, recorded as not submitted


def resolve_in_doubt(
    journal: Journal, client: VodClient, open_submissions: list[OpenSubmission], settle_seconds: float,
    report: Callable[[str], None], sleep: Callable[[float], None] = time.sleep, now: Callable[[], float] = time.time,
) -> list[Resolution]:
    """Look for each submission in doubt until it is found or `settle_seconds` after it was sent."""
    pending = list(open_submissions)
    resolved: list[Resolution] = []
    while pending:
        still = []
        for item in pending:
            job_id = find_submitted_job(client, item.job, item.submission.at) if item.job else None
            if job_id is not None:
                journal.record("submitted", item.key, item.digest, jobId=job_id, requestId="", resolvedBy="vodjobs recover")
                report(f"{item.key}: found in the service as JobId {job_id}; `pulumi up` records it, nothing is resubmitted")
                resolved.append(Resolution(item.key, job_id))
            elif now() >= item.submission.at + settle_seconds:
                journal.record("not-submitted", item.key, item.digest, resolvedBy=f"vodjobs recover: not found in {settle_seconds:.0f}s")
                report(f"{item.key}: no such job appeared within {settle_seconds:.0f}s of the submit; it will be submitted again")
                resolved.append(Resolution(item.key, None))
            else:
                still.append(item)
        pending = still
        if pending:
            sleep(1.0)
    return resolved


@dataclass(frozen=True)
class StackLock:
    """A Pulumi DIY backend's lock on one stack: who took it, and when (epoch seconds)."""

    where: str  # the lock file or object
    pid: int
    hostname: str
    taken_at: float

    @property
    def holder_alive(self) -> bool:
        """False only when the holder ran on this machine and is gone; another machine's run cannot be seen."""
        if self.hostname != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def stack_locks(backend_url: str, project: str, stack: str) -> list[StackLock]:
    """The DIY backend's lock files (file://) or objects (s3://) of one stack; [] for other backends."""
    if backend_url.startswith("file://"):
        root = Path(backend_url[len("file://"):]).expanduser() / ".pulumi" / "locks"
        return [lock for path in root.glob(f"**/{project}/{stack}/*.json")
                if (lock := _lock(str(path), _read_json(_read_bytes(path)), path.stat().st_mtime)) is not None]
    if backend_url.startswith("s3://"):
        return _bucket_locks(parse_bucket_url(backend_url, "the stack's backend URL", ".pulumi/locks"), project, stack)
    return []


def _bucket_locks(location: BucketJournalLocation, project: str, stack: str) -> list[StackLock]:
    client = s3_client(location)
    locks = []
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=location.bucket, Prefix=location.prefix + "/")
    for page in pages:
        for item in page.get("Contents") or []:
            key = str(item["Key"])
            # <locks>/<org>/<project>/<stack>/<id>.json (project-scoped), or <locks>/<stack>/<id>.json (older layout)
            parts = key[len(location.prefix) + 1:].split("/")
            if parts[-2:-1] != [stack] or (len(parts) > 2 and parts[-3] != project):
                continue
            body: bytes = client.get_object(Bucket=location.bucket, Key=key)["Body"].read()
            lock = _lock(f"s3://{location.bucket}/{key}", _read_json(body), item["LastModified"].timestamp())
            if lock is not None:
                locks.append(lock)
    return locks


def stale_lock_verdict(lock: StackLock, local_backend: bool, cancel: bool, stale_after: float, now: float) -> str | None:
    """Why the lock may be removed, or None when it must stay (a run may still hold it). Pure."""
    age = now - lock.taken_at
    if cancel:
        return "you said its run is dead (--cancel-stale-lock)"
    if local_backend and not lock.holder_alive:
        return f"pid {lock.pid} is gone"
    if age >= stale_after:
        return f"it is {age / 3600:.1f} h old, older than any run lives (--stale-lock-seconds {stale_after:.0f})"
    return None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _read_json(raw: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _lock(where: str, data: dict[str, Any] | None, taken_at: float) -> StackLock | None:
    if data is None:
        return None
    return StackLock(where, int(data.get("pid") or 0), str(data.get("hostname", "")), taken_at)


def _valid_json(path: Path) -> bool:
    try:
        json.loads(path.read_bytes() or b"!")
    except (OSError, ValueError):
        return False
    return True


def _write_attrs(blob: Path) -> None:
    """The fileblob metadata sidecar the DIY backend reads with each blob (content type and md5)."""
    digest = base64.b64encode(hashlib.md5(blob.read_bytes()).digest()).decode()
    attrs = {"user.cache_control": "", "user.content_disposition": "", "user.content_encoding": "",
             "user.content_language": "", "user.content_type": "text/plain; charset=utf-8", "user.metadata": None,
             "md5": digest}
    aside = blob.with_name(blob.name + ".attrs.tmp")
    aside.write_text(json.dumps(attrs, separators=(",", ":")))
    os.replace(aside, blob.with_name(blob.name + ".attrs"))


def repair_file_checkpoint(backend_url: str, project: str, stack: str) -> str | None:
    """Undo what a kill mid-write leaves in a file backend's checkpoint; returns what was repaired, or None.

    Seen here: `kill -9` during a checkpoint write can leave the checkpoint's `.attrs` sidecar empty, and
    every later pulumi command then fails with "failed to load checkpoint: EOF". A torn checkpoint is
    restored from the `.bak` copy the backend keeps; JobIds it lacks are still in the submission journal.
    """
    if not backend_url.startswith("file://"):
        return None
    checkpoint = Path(backend_url[len("file://"):]).expanduser() / ".pulumi" / "stacks" / project / f"{stack}.json"
    if not checkpoint.exists():
        return None
    backup = checkpoint.with_name(checkpoint.name + ".bak")
    if not _valid_json(checkpoint):
        if not _valid_json(backup):
            raise OSError(f"{checkpoint} is torn and has no valid .bak copy; restore it from .pulumi/history")
        aside = checkpoint.with_name(checkpoint.name + ".restore.tmp")
        aside.write_bytes(backup.read_bytes())
        os.replace(aside, checkpoint)
        _write_attrs(checkpoint)
        return f"restored the torn checkpoint {checkpoint.name} from its .bak copy"
    attrs = checkpoint.with_name(checkpoint.name + ".attrs")
    if attrs.exists() and not _valid_json(attrs):
        _write_attrs(checkpoint)
        return f"rewrote the torn metadata file {attrs.name}"
    return None
