"""Submitting one job so that it is never submitted twice and its JobId is never lost.

The journal brackets every SubmitAIImageJob call (`submit_once`, a straight sequence over a JobJournal: an
UnjournaledJob where there is no journal key); before submitting, the journal is asked
whether this job (same stack, name and inputs) was already submitted by a run that crashed
before Pulumi recorded it. A submission left in doubt (a crash mid-call, or an answer that
never came) is resolved by looking for the job in the service; if it cannot be found, the job
is reported by name and not submitted, and the operator decides (`adopt:` or
`vodjobs journal forget`).
"""

from __future__ import annotations

import calendar
import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from vod_provider.api.client import VodClient
from vod_provider.api.errors import AmbiguousError, VodError
from vod_provider.errors import VodjobsError
from vod_provider.safety.journal import Journal, Submission, inputs_hash

# How far before the journaled submit time the service's CreationTime may lie (clock skew).
CLOCK_SKEW_SECONDS = 60


class JobMaybeSubmittedError(VodjobsError):
    """A submit that may have run although no JobId came back: the job may exist. Not resent.

    `request_id` is the service's RequestId when an answer came; `client_token` the request's
    x-acs-signature-nonce when none did (the one handle left to find it in the service's logs).
    """

    def __init__(self, label: str, video_id: str, request_id: str | None, client_token: str | None, cause: str,
                 forget_key: str | None, searched: bool = False) -> None:
        self.request_id = request_id
        self.client_token = client_token
        if request_id:
            request = f"RequestId {request_id}"
        elif client_token:
            request = f"no answer came back; client token {client_token} (x-acs-signature-nonce)"
        else:
            request = "no RequestId (no answer came back)"
        forget = f"`vodjobs journal forget {forget_key}` then " if forget_key else ""
        super().__init__(
            f"{label}: the job MAY HAVE BEEN SUBMITTED ({request}): {cause}\n"
            f"It was not sent again, so that it cannot run twice"
            + (f", and no finished job matching it was found on video {video_id}" if searched else "")
            + f". Look for it on video {video_id} (VOD console, or `vodjobs status`): if it exists, add "
            f"`adopt: <JobId>` to this job's spec; if it does not, run {forget}`pulumi up` again."
        )


@dataclass(frozen=True)
class Submitted:
    job_id: str
    request_id: str
    how: str  # "submitted" | "journal" (a crashed run's JobId) | "found" (resolved in the service)


def _epoch(iso: str) -> float:
    try:
        return float(calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")))
    except ValueError:
        return 0.0


def user_data_digest(user_data: str | None) -> str:
    """sha256 of the canonical JSON of a UserData (so the journal never holds UserData, which may be secret)."""
    if not user_data:
        return ""
    try:
        canonical = json.dumps(json.loads(user_data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except ValueError:
        canonical = user_data
    return hashlib.sha256(canonical.encode()).hexdigest()


def findable(job: Mapping[str, Any]) -> dict[str, Any]:
    """What the journal keeps to find a job in the service later: ids, and a digest of its UserData."""
    return {"videoId": job["videoId"], "templateId": job["templateId"], "userDataSha256": user_data_digest(job.get("userData"))}


def find_submitted_job(client: VodClient, job: Mapping[str, Any], since: float) -> str | None:
    """A finished job on this video with these inputs, created after `since` (epoch), if exactly one exists.

    Covers jobs that already produced images (ListAIImageInfo lists only those); a job still
    running, or one that failed, cannot be found this way.
    """
    if "userDataSha256" in job:  # a journal entry's view of the job
        job = {**job, "userData": None}
        wanted = str(job["userDataSha256"])
    else:
        wanted = user_data_digest(job.get("userData"))
    job_ids = client.list_ai_image_job_ids(job["videoId"])
    matches = []
    for start in range(0, len(job_ids), 10):
        for info in client.get_ai_image_jobs(job_ids[start:start + 10]):
            if (info.template_id == job["templateId"] and wanted == user_data_digest(info.user_data)
                    and _epoch(info.creation_time) >= since - CLOCK_SKEW_SECONDS):
                matches.append(info.job_id)
    return matches[0] if len(matches) == 1 else None


class JobJournal(Protocol):
    """The journal as one submission sees it: one job key and one inputs digest."""

    @property
    def key(self) -> str | None:
        """The job key `<project>/<stack>/<job>` (what `vodjobs journal forget` takes), or None."""

    def prior(self) -> Submission | None:
        """The latest open submission of this job with these inputs, if any."""

    def record(self, event: str, **fields: Any) -> None:
        """Append one event (fsync'd before it returns)."""


@dataclass(frozen=True)
class JournaledJob:
    """One job's entries in a stack's SubmissionJournal."""

    journal: Journal
    key: str
    digest: str

    def prior(self) -> Submission | None:
        return self.journal.lookup(self.key, self.digest)

    def record(self, event: str, **fields: Any) -> None:
        self.journal.record(event, self.key, self.digest, **fields)


class UnjournaledJob:
    """No journal (a resource recorded before jobs carried a journalKey): nothing to look up, nothing written."""

    key: str | None = None

    def prior(self) -> Submission | None:
        return None

    def record(self, event: str, **fields: Any) -> None:
        pass


def job_journal(journal: Journal, key: str | None, job: Mapping[str, Any]) -> JobJournal:
    """The journal of the job `key` with the inputs `job` (the job-defining essence); unjournaled without a key."""
    return JournaledJob(journal, key, inputs_hash(job)) if key else UnjournaledJob()


def submit_once(client: VodClient, journal: JobJournal, job: Mapping[str, Any], label: str,
                report: Callable[[str], None]) -> Submitted:
    """Submit `job` unless the journal or the service shows it was already submitted.

    In order, each once: an earlier submission of the same job and inputs settles it (its JobId, or the one
    found in the service); else `submitting` is journaled right before the request leaves, then the outcome:
    `submitted` (JobId), `not-submitted` (the call provably did not run: raises the VodError) or `ambiguous`
    (it may have run: raises JobMaybeSubmittedError and is never resent).
    """
    prior = journal.prior()
    if prior is not None:
        earlier = _earlier_submission(client, journal, prior, job, label, report)
        if earlier is not None:
            return earlier
    try:
        submitted = client.submit_ai_image_job(
            video_id=job["videoId"], template_id=job["templateId"], user_data=job.get("userData"),
            pipeline_id=job.get("pipelineId"),
            # Written (fsync'd) right before the request leaves, with what it takes to find the job later.
            before_send=lambda nonce: journal.record("submitting", token=nonce, input=findable(job)),
        )
    except AmbiguousError as error:
        journal.record("ambiguous", requestId=error.request_id or "", token=error.client_token, code=error.code)
        raise JobMaybeSubmittedError(label, job["videoId"], error.request_id, error.client_token, str(error.cause),
                                     journal.key) from None
    except VodError as error:
        journal.record("not-submitted", code=error.code)
        raise
    journal.record("submitted", jobId=submitted.job_id, requestId=submitted.request_id)
    return Submitted(submitted.job_id, submitted.request_id, "submitted")


def _earlier_submission(client: VodClient, journal: JobJournal, prior: Submission, job: Mapping[str, Any], label: str,
                        report: Callable[[str], None]) -> Submitted | None:
    """The JobId of an earlier submission of this very job, or None when it provably never ran."""
    if prior.state == "submitted" and prior.job_id:
        report(f"{label}: JobId {prior.job_id} recovered from the submission journal (an earlier run submitted it); not submitted again")
        return Submitted(prior.job_id, prior.request_id or "", "journal")
    if not prior.unresolved:
        return None  # not-submitted: safe to submit now
    found = find_submitted_job(client, job, prior.at)
    if found is not None:
        journal.record("submitted", jobId=found, requestId="", resolvedBy="ListAIImageInfo")
        report(f"{label}: an earlier submission left in doubt was found in the service as JobId {found}; not submitted again")
        return Submitted(found, "", "found")
    raise JobMaybeSubmittedError(label, job["videoId"], prior.request_id, None,
                                 f"an earlier run left this submission {prior.state!r}", journal.key, searched=True)
