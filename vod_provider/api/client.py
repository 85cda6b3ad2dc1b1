"""VodClient: the ApsaraVideo VOD OpenAPI (2017-03-21) over `requests`, signed with ACS3-HMAC-SHA256.

Every failure is a VodError (api/errors.py draws the tree); no `requests` exception ever leaks out. Answers are
frozen values (api/models.py).

Every call is paced by a RateLimiter shared by the process and retried under a RetryPolicy:
failures that prove non-execution always, transient ones only for idempotent (read) actions.

Messages never contain a URL, a query string, the UserData, the AccessKey secret or the STS token: they are
built from our own words and the endpoint's scheme and host (api/transport.py), and the cloud's Message is passed
on with everything the request carried removed (api/redaction.py).
"""

from __future__ import annotations

import os
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
from vod_provider.api.errors import AmbiguousError, Meaning, ThrottledError, VodError, VodTransportError, code_info, means_gone
from vod_provider.api.models import MAX_JOB_IDS_PER_QUERY, AIImageJobInfo, AITemplateInfo, SubmittedJob
from vod_provider.api.pacing import RateLimiter
from vod_provider.api.redaction import redact, secret_texts
from vod_provider.api.retry_policy import RetryPolicy
from vod_provider.api.transport import origin, transport_code

API_VERSION = "2017-03-21"
USER_AGENT = "vodjobs/0.1 (+python-requests)"
DEFAULT_RETRY = RetryPolicy()


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
        self._origin = origin(self._endpoint)
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
            if means_gone(error.code, "AITemplate"):  # not InvalidAccessKeyId.NotFound: that is no answer about it
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
            if means_gone(error.code, "AITemplate"):
                return False
            raise
        return True

    def list_ai_image_job_ids(self, video_id: str) -> list[str]:
        """The JobIds that produced one video's AI images (ListAIImageInfo; only finished jobs have images), sorted."""
        body = self.call("ListAIImageInfo", {"VideoId": video_id})
        return sorted({str(item["JobId"]) for item in body.get("AIImageInfoList") or [] if item.get("JobId")})

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
            self._credentials.access_key_id, self._credentials.access_key_secret, signing.RequestToSign("POST", "/", params, headers)
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
        attempt, waited = 0, 0.0
        while True:
            attempt += 1
            self._limiter.acquire(action)
            try:
                return self._send_once(action, params, before_send)
            except VodError as error:
                if self._retry.may_retry(error.info, attempt, idempotent):
                    delay = self._retry.delay(attempt, self._uniform)
                    waited += delay
                    self._sleep(delay)
                    continue
                if attempt > 1:
                    error.note_attempts(attempt, waited, self._retry.why_stopped(error.info, attempt))
                if error.meaning is Meaning.MAY_HAVE_EXECUTED and not idempotent:
                    raise AmbiguousError(error, self._last_nonce()) from None
                raise

    def _send_once(
        self, action: str, params: Mapping[str, str], before_send: Callable[[str], None] | None = None
    ) -> dict[str, Any]:
        url, headers = self.signed_request_parts(action, params)
        if before_send is not None:
            before_send(headers["x-acs-signature-nonce"])
        try:
            response = self._post(url, headers)
        except requests.exceptions.RequestException as exc:
            # Only the exception's types are read: its text holds the URL, and the URL holds the UserData.
            raise VodTransportError(action, transport_code(exc), self._origin) from None
        return self._parse(action, response, params)

    def _post(self, url: str, headers: Mapping[str, str]) -> requests.Response:
        """POST a signed request (empty body) through this thread's session's adapter, and read the answer whole.

        `Session.post` would merge the session's settings, hooks and cookies again and look for redirects on every
        call: about half of the provider's CPU per submit (bench/provider_profile.py), all of it for things this client
        does not use. What a plain session would add to this request was resolved once by environment_session (the
        proxies, the CA bundle) or is its default headers; the adapter keeps the keep-alive pool.
        Unlike `Session.post`:
        - no redirect is followed: the signature covers one host and one query, and a 3xx answer is not JSON, so
          _parse reports it as InvalidResponse with its status (a submit that ends so is ambiguous, never resent);
        - no cookie is kept (the API sets none; each call is signed on its own).
        The adapter reads no body: it is read here, as `Session.send` does when not streaming, so the connection
        goes back to the pool, and a failure while reading raises a RequestException as any other failure does.
        """
        session = self._session()
        verify = session.verify
        assert verify is not None, "environment_session sets True or a CA bundle path"
        prepared = requests.PreparedRequest()
        # The session's default headers under ours, as Session.request merges them (prepare_headers keeps the last of
        # two names that differ only in case): our Accept and User-Agent win, its Accept-Encoding and Connection stay.
        # No auth: the ACS3 signature is the Authorization header, and a ~/.netrc entry for the endpoint's host (which
        # a plain session would apply as Basic auth) would replace it, so that every call failed its signature check.
        prepared.prepare(method="POST", url=url, headers={**session.headers, **headers}, data=b"")
        response = session.get_adapter(url).send(
            prepared,
            stream=False,
            timeout=(self._timeouts.connect, self._timeouts.read),
            verify=verify,
            proxies=session.proxies,
            cert=session.cert,
        )
        response.content  # noqa: B018  (reads the body; raises ChunkedEncodingError, ConnectionError… if it breaks)
        return response

    def _parse(self, action: str, response: requests.Response, params: Mapping[str, str]) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise VodError(
                action,
                "InvalidResponse",
                f"{self._origin} answered HTTP {response.status_code} without a JSON object",
                http_status=response.status_code,
            )
        if response.status_code >= 400:
            secrets = secret_texts(self._credentials.secrets(), params.get("UserData"))
            code = redact(str(body.get("Code", "Unknown")), secrets)
            error_class = ThrottledError if code_info(code, response.status_code).meaning is Meaning.THROTTLED else VodError
            raise error_class(
                action,
                code,
                redact(str(body.get("Message", "")), secrets),
                request_id=redact(str(body["RequestId"]), secrets) if body.get("RequestId") else None,
                http_status=response.status_code,
            )
        return body

    def _last_nonce(self) -> str:
        return str(getattr(self._local, "nonce", ""))

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = environment_session(self._endpoint)
            self._local.session = session
        return session


def environment_session(endpoint: str) -> requests.Session:
    """A session that sends to `endpoint` as a plain `requests.Session` would, with the environment read once.

    A plain session reads the environment on every request (proxies and NO_PROXY, REQUESTS_CA_BUNDLE /
    CURL_CA_BUNDLE, ~/.netrc): a scan of every environment variable and a netrc lookup per call, about a third of the
    provider's CPU per submit (bench/provider_profile.py). The endpoint and the environment do not change while a
    provider runs, so the same settings are resolved here once and the session stops looking (`trust_env`).
    VodClient._post hands these settings and the session's adapter (its connection pool) the prepared request itself.
    ~/.netrc is not read: its Basic auth would replace the ACS3 signature (the Authorization header), see _post.
    """
    session = requests.Session()
    session.proxies.update(requests.utils.get_environ_proxies(endpoint))
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    session.trust_env = False
    return session
