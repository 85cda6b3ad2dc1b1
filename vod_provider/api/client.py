"""VodClient: the ApsaraVideo VOD OpenAPI (2017-03-21) over `requests`, signed with ACS3-HMAC-SHA256.

Exceptions (no `requests` exception ever leaks out):

    VodError                 any failed call: .action .code .message .request_id .http_status .outcome
     ├── ThrottledError      the service refused the call for flow control (it was not executed)
     ├── VodTransportError   no complete answer; .may_have_executed says whether the
     │                       request may have reached the service
     └── AmbiguousError      a call that must not be repeated (SubmitAIImageJob) failed in a way
                             that does not prove it was not executed: it may have taken effect

Every call is paced by a RateLimiter shared by the process and retried under a RetryPolicy:
failures that prove non-execution always, transient ones only for idempotent (read) actions.

Messages never contain the AccessKey secret or the STS token.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from vod_provider.api import signing
from vod_provider.api.credentials import Credentials
from vod_provider.api.error_advice import advice_for
from vod_provider.api.pacing import RateLimiter
from vod_provider.api.retry_policy import Outcome, RetryPolicy, classify
from vod_provider.errors import VodjobsError

API_VERSION = "2017-03-21"
MAX_JOB_IDS_PER_QUERY = 10
USER_AGENT = "vodjobs/0.1 (+python-requests)"
DEFAULT_RETRY = RetryPolicy()


class VodError(VodjobsError):
    """A VOD API call failed. Carries what a user needs to look it up."""

    def __init__(
        self,
        action: str,
        code: str,
        message: str,
        request_id: str | None = None,
        http_status: int | None = None,
        may_have_executed: bool | None = None,
    ) -> None:
        self.action = action
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        self.outcome = classify(code, http_status, may_have_executed)
        where = ", ".join(
            part
            for part in (
                f"RequestId {request_id}" if request_id else "",
                f"HTTP {http_status}" if http_status else "",
            )
            if part
        )
        advice = advice_for(code)
        super().__init__(
            f"{action} failed: {code}: {message}"
            + (f" ({where})" if where else "")
            + (f"\nWhat to do: {advice}" if advice else "")
        )


class ThrottledError(VodError):
    """The service rejected the call for flow control; it was not executed."""


class VodTransportError(VodError):
    """The call got no complete answer (connection refused, reset, timeout)."""

    def __init__(self, action: str, message: str, may_have_executed: bool) -> None:
        self.may_have_executed = may_have_executed
        super().__init__(action, "Transport", message, may_have_executed=may_have_executed)


class AmbiguousError(VodError):
    """A non-repeatable call may have taken effect although it failed; it was not resent."""

    def __init__(self, cause: VodError, attempts: int, client_token: str = "") -> None:
        self.cause = cause
        self.attempts = attempts
        self.client_token = client_token  # the request's x-acs-signature-nonce, for finding it in logs
        super().__init__(
            cause.action,
            cause.code,
            f"{cause.action} may have been executed although it failed ({cause.message}); "
            "it was not sent again, because repeating it could run it twice",
            request_id=cause.request_id,
            http_status=cause.http_status,
        )
        self.outcome = Outcome.AMBIGUOUS


@dataclass(frozen=True)
class SubmittedJob:
    job_id: str
    request_id: str


@dataclass(frozen=True)
class AIImageJobInfo:
    """One entry of GetAIImageJobs.AIImageJobList, with the cloud's field values as strings."""

    job_id: str
    video_id: str
    status: str
    code: str
    message: str
    result: str
    template_id: str
    template_config: str
    creation_time: str
    user_data: str

    @classmethod
    def from_api(cls, item: Mapping[str, Any]) -> AIImageJobInfo:
        def text(key: str) -> str:
            value = item.get(key)
            return "" if value is None else str(value)

        return cls(
            job_id=text("JobId"),
            video_id=text("VideoId"),
            status=text("Status"),
            code=text("Code"),
            message=text("Message"),
            result=text("AIImageResult"),
            template_id=text("TemplateId"),
            template_config=text("TemplateConfig"),
            creation_time=text("CreationTime"),
            user_data=text("UserData"),
        )


@dataclass(frozen=True)
class AITemplateInfo:
    """GetAITemplate.TemplateInfo, with the cloud's values as strings."""

    template_id: str
    name: str
    template_type: str
    config: str

    @classmethod
    def from_api(cls, item: Mapping[str, Any]) -> AITemplateInfo:
        return cls(str(item.get("TemplateId", "")), str(item.get("TemplateName", "")), str(item.get("TemplateType", "")),
                   str(item.get("TemplateConfig", "")))


@dataclass(frozen=True)
class AIImageInfo:
    """One entry of ListAIImageInfo.AIImageInfoList."""

    job_id: str
    video_id: str
    file_url: str
    creation_time: str

    @classmethod
    def from_api(cls, item: Mapping[str, Any]) -> AIImageInfo:
        return cls(str(item.get("JobId", "")), str(item.get("VideoId", "")), str(item.get("FileURL", "")),
                   str(item.get("CreationTime", "")))


def _utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _new_nonce() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 30.0


class VodClient:
    """One method per VOD action. Thread-safe: each thread gets its own HTTP session."""

    def __init__(
        self,
        endpoint: str,
        credentials: Credentials,
        timeouts: Timeouts = Timeouts(),
        clock: Callable[[], str] = _utc_now,
        nonce: Callable[[], str] = _new_nonce,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy = DEFAULT_RETRY,
        sleep: Callable[[float], None] = time.sleep,
        uniform: Callable[[float, float], float] = random.uniform,
    ) -> None:
        self._endpoint = endpoint.rstrip("/")
        self._host = urlsplit(self._endpoint).netloc
        self._credentials = credentials
        self._timeouts = timeouts
        self._clock = clock
        self._nonce = nonce
        self._local = threading.local()
        self._limiter = limiter or RateLimiter()
        self._retry = retry
        self._sleep = sleep
        self._uniform = uniform

    # -- actions ---------------------------------------------------------------------------

    def submit_ai_image_job(
        self,
        video_id: str,
        template_id: str,
        user_data: str | None = None,
        pipeline_id: str | None = None,
        before_send: Callable[[str], None] | None = None,
    ) -> SubmittedJob:
        """Submit one image-AI job. Not idempotent: the API has no client token.

        `before_send(nonce)` runs right before each attempt goes on the wire (after pacing), so a
        journal can say exactly which submits may have reached the service.
        """
        params = {"VideoId": video_id, "AITemplateId": template_id}
        if user_data is not None:
            params["UserData"] = user_data
        if pipeline_id is not None:
            params["AIPipelineId"] = pipeline_id
        body = self.call("SubmitAIImageJob", params, idempotent=False, before_send=before_send)
        return SubmittedJob(job_id=str(body["JobId"]), request_id=str(body.get("RequestId", "")))

    def get_ai_image_jobs(self, job_ids: Sequence[str]) -> list[AIImageJobInfo]:
        """Status and results of up to 10 jobs; unknown JobIds are simply absent from the answer."""
        if not 1 <= len(job_ids) <= MAX_JOB_IDS_PER_QUERY:
            raise ValueError(f"GetAIImageJobs takes 1 to {MAX_JOB_IDS_PER_QUERY} JobIds, got {len(job_ids)}")
        body = self.call("GetAIImageJobs", {"JobIds": ",".join(job_ids)})
        return [AIImageJobInfo.from_api(item) for item in body.get("AIImageJobList") or []]

    def add_ai_template(self, name: str, config: str) -> str:
        """Create an AIImage template; returns its TemplateId. Not idempotent (a retry could create two)."""
        body = self.call("AddAITemplate", {"TemplateName": name, "TemplateType": "AIImage", "TemplateConfig": config},
                         idempotent=False)
        return str(body["TemplateId"])

    def get_ai_template(self, template_id: str) -> AITemplateInfo | None:
        """The template, or None when the service does not know it."""
        try:
            body = self.call("GetAITemplate", {"TemplateId": template_id})
        except VodError as error:
            if error.code.endswith("NotFound"):
                return None
            raise
        return AITemplateInfo.from_api(body.get("TemplateInfo") or {})

    def update_ai_template(self, template_id: str, name: str, config: str) -> None:
        """Replace name and config (both required by the API); the id stays."""
        self.call("UpdateAITemplate", {"TemplateId": template_id, "TemplateName": name, "TemplateConfig": config})

    def delete_ai_template(self, template_id: str) -> bool:
        """Delete; False when it was already gone (so deleting twice is safe)."""
        try:
            self.call("DeleteAITemplate", {"TemplateId": template_id})
        except VodError as error:
            if error.code.endswith("NotFound"):
                return False
            raise
        return True

    def list_ai_image_info(self, video_id: str) -> list[AIImageInfo]:
        """The AI images of one video; each names the JobId that produced it (only finished jobs have images)."""
        body = self.call("ListAIImageInfo", {"VideoId": video_id})
        return [AIImageInfo.from_api(item) for item in body.get("AIImageInfoList") or []]

    # -- transport -------------------------------------------------------------------------

    def signed_request_parts(self, action: str, params: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        """The URL and headers of a V3-signed RPC call (POST, parameters in the query, empty body)."""
        nonce = self._nonce()
        self._local.nonce = nonce
        headers = {
            "host": self._host,
            "accept": "application/json",
            "user-agent": USER_AGENT,
            "x-acs-action": action,
            "x-acs-version": API_VERSION,
            "x-acs-date": self._clock(),
            "x-acs-signature-nonce": nonce,
            "x-acs-content-sha256": signing.EMPTY_PAYLOAD_SHA256,
        }
        if self._credentials.security_token:
            headers["x-acs-security-token"] = self._credentials.security_token
            headers["x-acs-accesskey-id"] = self._credentials.access_key_id
        headers["Authorization"] = signing.authorization_v3(
            self._credentials.access_key_id,
            self._credentials.access_key_secret,
            "POST",
            "/",
            params,
            headers,
            signing.EMPTY_PAYLOAD_SHA256,
        )
        query = signing.canonical_query_string(params)
        return f"{self._endpoint}/" + (f"?{query}" if query else ""), headers

    def call(
        self,
        action: str,
        params: Mapping[str, str],
        idempotent: bool = True,
        before_send: Callable[[str], None] | None = None,
    ) -> dict[str, Any]:
        """A paced, signed call, retried as the RetryPolicy allows; returns the JSON body or raises a VodError.

        A non-idempotent call that fails ambiguously raises AmbiguousError and is never resent.
        """
        attempt = 0
        while True:
            attempt += 1
            self._limiter.acquire(action)
            try:
                return self._send_once(action, params, before_send)
            except VodError as error:
                if self._retry.may_retry(error.outcome, attempt, idempotent):
                    self._sleep(self._retry.delay(attempt, self._uniform))
                    continue
                if error.outcome is Outcome.AMBIGUOUS and not idempotent:
                    raise AmbiguousError(error, attempt, self._last_nonce()) from None
                raise

    def _send_once(
        self, action: str, params: Mapping[str, str], before_send: Callable[[str], None] | None = None
    ) -> dict[str, Any]:
        url, headers = self.signed_request_parts(action, params)
        if before_send is not None:
            before_send(headers["x-acs-signature-nonce"])
        try:
            response = self._session().post(
                url, headers=headers, data=b"", timeout=(self._timeouts.connect, self._timeouts.read)
            )
        except requests.exceptions.ConnectionError as exc:
            # A refused connection proves the request never arrived; a reset or a
            # read timeout does not.
            refused = isinstance(exc, requests.exceptions.ConnectTimeout) or "refused" in str(exc).lower()
            raise VodTransportError(
                action, self._redact(f"cannot reach {self._endpoint}: {exc}"), may_have_executed=not refused
            ) from None
        except requests.exceptions.Timeout as exc:
            raise VodTransportError(
                action, self._redact(f"no answer from {self._endpoint} in time: {exc}"), may_have_executed=True
            ) from None
        except requests.exceptions.RequestException as exc:
            raise VodTransportError(action, self._redact(str(exc)), may_have_executed=True) from None
        return self._parse(action, response)

    def _parse(self, action: str, response: requests.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise VodError(
                action,
                "InvalidResponse",
                self._redact(f"the endpoint answered HTTP {response.status_code} without a JSON object"),
                http_status=response.status_code,
            )
        if response.status_code >= 400:
            code = str(body.get("Code", "Unknown"))
            error_class = ThrottledError if code.startswith("Throttling") else VodError
            raise error_class(
                action,
                code,
                self._redact(str(body.get("Message", ""))),
                request_id=body.get("RequestId"),
                http_status=response.status_code,
            )
        return body

    def _last_nonce(self) -> str:
        return str(getattr(self._local, "nonce", ""))

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            self._local.session = session
        return session

    def _redact(self, text: str) -> str:
        for secret in self._credentials.secrets():
            text = text.replace(secret, "***")
        return text

