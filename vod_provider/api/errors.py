"""The VOD API's failures, as the client raises them (no `requests` exception ever leaks out of the client):

    VodError                 any failed call: .action .code .message .request_id .http_status .outcome
     ├── ThrottledError      the service refused the call for flow control (it was not executed)
     ├── VodTransportError   no complete answer; .may_have_executed says whether the
     │                       request may have reached the service
     └── AmbiguousError      a call that must not be repeated (SubmitAIImageJob) failed in a way
                             that does not prove it was not executed: it may have taken effect; .client_token

VodError is a VodjobsError (vod_provider/errors.py). Messages never contain the AccessKey secret or the STS token.
"""

from __future__ import annotations

from vod_provider.api.error_advice import advice_for
from vod_provider.api.retry_policy import Outcome, classify
from vod_provider.errors import VodjobsError


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
