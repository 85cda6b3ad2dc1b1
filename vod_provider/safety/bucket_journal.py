"""The submission journal as objects in an S3-API bucket (Alibaba OSS, AWS S3, MinIO), beside the stack's state.

S3 has no append, so every event is one object, written create-only (`If-None-Match: *`), so that concurrent
writers never overwrite each other. What a provider's lookups need is in the object's *key*, so one paged LIST reads
a stack's whole journal (⌈entries / 1,000⌉ calls) and no object is fetched:

    <prefix>/<project>/<stack>/<job>/<at: ns since epoch, 19 digits>.<event>.<inputs>.<jobId>.<requestId>.<nonce>

(`-` for an empty field; job names, hex digests, JobIds and RequestIds never hold a `.` or `/` where it matters,
see `parse_key`). The body is the whole entry as JSON, with what it takes to find the job in the service later;
only `vodjobs recover` and `vodjobs journal` read bodies, of the few submissions still in doubt.

Writes and round trips per submit: the `submitting` object is stored before SubmitAIImageJob leaves (one PUT on the
critical path; a failed or timed-out PUT stops the submit, since a stored-or-not answer is no answer). The
`submitted` object is written behind, by one writer thread, as soon as the JobId is back: a kill before it lands
leaves `submitting`, which the next run settles from Pulumi's state or the service (recovery.py). Once state
holds a JobId, that job's objects are deleted in batches (DeleteObjects, up to 1,000 keys a call).

boto3 is imported here only, and only when a stack's journal lives in a bucket: a local-journal provider never
loads it. Credentials come from the AWS SDK chain, as Pulumi's S3 backend takes them (AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_PROFILE); they are never logged.
"""

from __future__ import annotations

import atexit
import json
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from vod_provider.errors import VodjobsError
from vod_provider.safety.journal import LOOKUP_FIELDS, Submission, fold, journal_key_parts
from vod_provider.safety.journal_location import BucketJournalLocation

# Events written behind the submit (module docstring); every other event is stored before `record` returns.
WRITTEN_BEHIND = frozenset({"submitted"})
DELETE_BATCH = 1000  # DeleteObjects takes at most 1,000 keys
DELETE_LINGER_SECONDS = 0.5
EXIT_FLUSH_SECONDS = 5.0
_KEY_FIELDS = ("event", "inputs", "jobId", "requestId")
_EMPTY = "-"

# botocore error codes (whole, as S3 and OSS answer them) and what the user can do about each.
BUCKET_ERROR_ADVICE = {
    "NoSuchBucket": "the bucket does not exist: create it, or fix the bucket in vodjobs:journalUrl / the backend URL",
    "AccessDenied": "the bucket credentials may not read or write it: grant s3:ListBucket, s3:GetObject, s3:PutObject "
                    "and s3:DeleteObject on the journal prefix (OSS: oss:ListObjects, oss:GetObject, oss:PutObject, "
                    "oss:DeleteObject)",
    "InvalidAccessKeyId": "the bucket's AccessKeyId is unknown: check AWS_ACCESS_KEY_ID (or AWS_PROFILE)",
    "SignatureDoesNotMatch": "the bucket's secret does not match its AccessKeyId: check AWS_SECRET_ACCESS_KEY",
    "ExpiredToken": "the bucket's session token has expired: refresh AWS_SESSION_TOKEN",
    "PermanentRedirect": "the bucket is in another region: set region= in the URL",
}
_SAFE_TEXT = re.compile(r"[^A-Za-z0-9_.:/=@,+ -]")


class BucketJournalError(VodjobsError):
    """The journal's bucket cannot be read or written; nothing was submitted after it failed."""


@dataclass(frozen=True)
class _Object:
    key: str
    entry: dict[str, Any]  # the lookup fields, parsed from the key


def object_key(prefix: str, entry: dict[str, Any], nonce: str) -> str:
    """The key of one journal event (module docstring). Pure."""
    project, stack, job = journal_key_parts(str(entry["job"]))
    fields = [str(entry.get(name) or _EMPTY) for name in _KEY_FIELDS]
    at_ns = round(float(entry["at"]) * 1e9)
    return f"{prefix}/{project}/{stack}/{job}/{at_ns:019d}." + ".".join(fields) + f".{nonce}"


def parse_key(prefix: str, key: str) -> dict[str, Any] | None:
    """The lookup fields an object key holds, or None for a key that is not a journal event. Pure."""
    rest = key[len(prefix) + 1:] if key.startswith(prefix + "/") else None
    parts = rest.split("/") if rest else []
    if len(parts) != 4:
        return None
    project, stack, job, name = parts
    fields = name.split(".")
    if len(fields) != 6 or not fields[0].isdigit():
        return None
    entry: dict[str, Any] = {"job": f"{project}/{stack}/{job}", "at": int(fields[0]) / 1e9}
    entry.update({field: value for field, value in zip(_KEY_FIELDS, fields[1:5], strict=True) if value != _EMPTY})
    return entry


class BucketJournal:
    """The Journal interface (journal.py) over an S3-API bucket; thread-safe; one instance per provider process."""

    def __init__(self, location: BucketJournalLocation, client_factory: Callable[[], Any] | None = None) -> None:
        self._location = location
        self._client_factory = client_factory or (lambda: s3_client(location))
        self._client: Any = None
        self._lock = threading.Lock()
        self._loading = threading.Lock()
        self._stacks: dict[tuple[str, str], dict[str, list[_Object]]] = {}  # (project, stack) → job key → objects
        self._behind: queue.Queue[tuple[str, bytes | None]] = queue.Queue()
        self._writer: threading.Thread | None = None
        self._writer_error: BucketJournalError | None = None

    def describe(self) -> str:
        return self._location.describe()

    # -- the Journal interface -------------------------------------------------------------------

    def lookup(self, key: str, digest: str) -> Submission | None:
        return fold([o.entry for o in self._objects(key)], key, digest)

    def holds_job(self, key: str, job_id: str) -> bool:
        history = [o.entry for o in self._objects(key)]
        digests = {str(e.get("inputs")) for e in history if e.get("jobId") == job_id}
        return any((found := fold(history, key, d)) is not None and found.job_id == job_id for d in digests)

    def record(self, event: str, key: str, digest: str | None = None, durable: bool = True, **fields: Any) -> None:
        entry: dict[str, Any] = {"event": event, "job": key, "at": time.time(), **fields}
        if digest is not None:
            entry["inputs"] = digest
        object_name = object_key(self._location.prefix, entry, uuid.uuid4().hex[:8])
        body = json.dumps(entry, separators=(",", ":"), sort_keys=True).encode()
        if event in WRITTEN_BEHIND:
            self._write_behind(object_name, body)
        else:
            self._put(object_name, body)
        with self._lock:
            project, stack, _ = journal_key_parts(key)
            jobs = self._stacks.get((project, stack))
            if jobs is not None:  # a stack not read yet is read whole, this object included, when first looked up
                jobs.setdefault(key, []).append(_Object(object_name, {k: entry[k] for k in LOOKUP_FIELDS if k in entry}))

    def settle(self, key: str, job_id: str) -> None:
        """State holds `job_id`: delete the objects of that submission (written behind, in batches)."""
        self._objects(key)  # the stack is read first, if it was not yet
        with self._lock:
            project, stack, _ = journal_key_parts(key)
            objects = self._stacks.get((project, stack), {}).get(key, [])
            settled_digests = {str(o.entry.get("inputs")) for o in objects if o.entry.get("jobId") == job_id}
            gone = [o for o in objects if str(o.entry.get("inputs")) in settled_digests]
            self._stacks.setdefault((project, stack), {})[key] = [o for o in objects if o not in gone]
        for item in gone:
            self._write_behind(item.key, None)

    def stack_entries(self, project: str, stack: str) -> list[dict[str, Any]]:
        """Every entry of one stack, oldest first, read from the bucket now (bodies included)."""
        keys = [o.key for objects in self._list_stack(project, stack).values() for o in objects]
        return sorted((self._get(k) for k in keys), key=lambda e: float(e.get("at", 0)))

    def flush(self, timeout: float = 30.0) -> None:
        """Wait until every write behind has landed (tests, and `vodjobs recover`)."""
        deadline = time.monotonic() + timeout
        while self._behind.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        if self._writer_error is not None:
            raise self._writer_error

    # -- internals -------------------------------------------------------------------------------

    def _objects(self, key: str) -> list[_Object]:
        project, stack, _ = journal_key_parts(key)
        # One LIST per stack and process: the provider's four threads wait for the first one's instead of racing it.
        with self._loading:
            with self._lock:
                loaded = self._stacks.get((project, stack))
            if loaded is None:
                listed = self._list_stack(project, stack)
                with self._lock:
                    loaded = self._stacks.setdefault((project, stack), listed)
        with self._lock:
            return list(loaded.get(key, []))

    def _list_stack(self, project: str, stack: str) -> dict[str, list[_Object]]:
        """One paged LIST of the stack's prefix: every event's lookup fields, by job key."""
        prefix = f"{self._location.prefix}/{project}/{stack}/"
        by_job: dict[str, list[_Object]] = {}
        pages = self._call("ListObjectsV2", lambda c: list(c.get_paginator("list_objects_v2").paginate(
            Bucket=self._location.bucket, Prefix=prefix)))
        for page in pages:
            for item in page.get("Contents") or []:
                entry = parse_key(self._location.prefix, str(item["Key"]))
                if entry is not None:
                    by_job.setdefault(str(entry["job"]), []).append(_Object(str(item["Key"]), entry))
        for objects in by_job.values():
            objects.sort(key=lambda o: o.key.rsplit("/", 1)[1])
        return by_job

    def _put(self, key: str, body: bytes) -> None:
        self._call("PutObject", lambda c: c.put_object(Bucket=self._location.bucket, Key=key, Body=body, IfNoneMatch="*",
                                                       ContentType="application/json"),
                   # The key carries our own nonce: "already there" means an earlier try of this very PUT stored it.
                   stored_codes=("PreconditionFailed",))

    def _get(self, key: str) -> dict[str, Any]:
        body = self._call("GetObject", lambda c: c.get_object(Bucket=self._location.bucket, Key=key)["Body"].read())
        entry: dict[str, Any] = json.loads(body)
        return entry

    def _delete(self, keys: Iterable[str]) -> None:
        objects = [{"Key": key} for key in keys]
        for start in range(0, len(objects), DELETE_BATCH):
            batch = objects[start:start + DELETE_BATCH]

            def delete(client: Any, batch: list[dict[str, str]] = batch) -> Any:
                return client.delete_objects(Bucket=self._location.bucket, Delete={"Objects": batch, "Quiet": True})

            self._call("DeleteObjects", delete)

    def _write_behind(self, key: str, body: bytes | None) -> None:
        """Queue a PUT (body) or a DELETE (None) for the writer thread."""
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._drain, name="vodjobs-journal-writer", daemon=True)
                self._writer.start()
                # Pulumi stops the provider with SIGINT (the servicer then returns from main): land what is queued.
                atexit.register(self._flush_at_exit)
        self._behind.put((key, body))

    def _flush_at_exit(self) -> None:
        try:
            self.flush(timeout=EXIT_FLUSH_SECONDS)
        except BucketJournalError:
            pass  # a lost write behind costs a lookup or a delete next run, never a duplicate

    def _drain(self) -> None:
        while True:
            batch = [self._behind.get()]
            # A "submitted" PUT goes at once; deletes wait a moment for more, to share one DeleteObjects call.
            linger_until = time.monotonic() + (DELETE_LINGER_SECONDS if batch[0][1] is None else 0.0)
            while len(batch) < DELETE_BATCH:
                try:
                    batch.append(self._behind.get(timeout=max(0.0, linger_until - time.monotonic())))
                except queue.Empty:
                    break
            try:
                for key, body in batch:
                    if body is not None:
                        self._put(key, body)
                self._delete(key for key, body in batch if body is None)
            except BucketJournalError as error:
                self._writer_error = error  # a lost write behind costs a lookup later, never a duplicate
            finally:
                for _ in batch:
                    self._behind.task_done()

    def _call(self, operation: str, call: Callable[[Any], Any], stored_codes: tuple[str, ...] = ()) -> Any:
        """Run one S3 call; any failure becomes a BucketJournalError naming the bucket and the fix (never a secret)."""
        from botocore.exceptions import BotoCoreError, ClientError

        with self._lock:
            if self._client is None:
                self._client = self._client_factory()
            client = self._client
        try:
            return call(client)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in stored_codes:
                return None
            advice = BUCKET_ERROR_ADVICE.get(code, "check the bucket, its endpoint and its credentials")
            raise BucketJournalError(
                f"the submission journal in {self.describe()} failed: {operation} answered {_safe(code) or 'an error'}; "
                f"{advice}. Nothing was submitted after this failure.") from None
        except BotoCoreError as error:
            raise BucketJournalError(
                f"the submission journal in {self.describe()} is unreachable ({type(error).__name__}) during {operation}: "
                "check the endpoint in the URL and the network. Nothing was submitted after this failure.") from None


def _safe(text: str) -> str:
    """An error code as the bucket answered it, reduced to harmless characters (it is echoed to the user)."""
    return _SAFE_TEXT.sub("", text)[:80]


def s3_client(location: BucketJournalLocation) -> Any:
    """A boto3 S3 client for the bucket at `location` (AWS SDK credential chain; short timeouts, standard retries)."""
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(profile_name=location.profile) if location.profile else boto3.session.Session()
    config = Config(connect_timeout=5, read_timeout=20, retries={"max_attempts": 4, "mode": "standard"},
                    s3={"addressing_style": "path" if location.path_style else "auto"})
    return session.client("s3", endpoint_url=location.endpoint, region_name=location.region or "us-east-1", config=config)
