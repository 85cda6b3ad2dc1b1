"""The VOD API's failures, as the client raises them (no `requests` exception ever leaks out of the client):

    VodError                 any failed call: .action .code .message .request_id .http_status .meaning .attempts
     ├── ThrottledError      the service refused the call for flow control (it was not executed)
     ├── VodTransportError   no complete answer (code Transport.*); .may_have_executed says whether the
     │                       request may have reached the service
     └── AmbiguousError      a call that must not be repeated (SubmitAIImageJob) failed in a way
                             that does not prove it was not executed: it may have taken effect; .client_token

What a code means is read from one table, ERROR_CODES: whole codes as documented (shared/reference/vod-api.md
§5, and §4 for VOD media operations), the emulator's choices where the docs are silent, and vodjobs' own codes for
answers that never came (Transport.*) or could not be read (InvalidResponse). Nothing branches on a prefix or a
suffix of a code, or on message text: `InvalidAccessKeyId.NotFound` is a credentials problem, not a missing
resource. A code the table does not list is read by its HTTP status (5xx: it may have executed; else permanent).

VodError is a VodjobsError (vod_provider/errors.py). Messages are built from our own words, the cloud's Code and
Message (the client removes every secret it sent from that), the endpoint's scheme and host: never a URL, a query
string, a UserData, the AccessKey secret or the STS token.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from vod_provider.errors import VodjobsError


class Meaning(Enum):
    """What a failure proves about the call, which decides whether it may be sent again."""

    NOT_FOUND = "not found"  # the named resource does not exist (see CodeInfo.resource); resending cannot help
    THROTTLED = "throttled"  # refused for flow control before it ran: resend after a pause
    NOT_EXECUTED = "not executed"  # provably never ran (refused, never sent): safe to resend anything
    MAY_HAVE_EXECUTED = "may have executed"  # resend a read, never a submit
    PERMANENT = "permanent"  # refused as asked (credentials, parameters, …): resending cannot help


@dataclass(frozen=True)
class CodeInfo:
    meaning: Meaning
    source: str  # where the code is documented: a section of shared/reference/vod-api.md, `emulator`, or `vodjobs`
    advice: str | None = None  # what the user can do, one sentence
    resource: str | None = None  # NOT_FOUND only: which resource is gone ("AITemplate", "Video")
    unreachable: bool = False  # no connection to the endpoint could be made (retried a few times only)
    what: str | None = None  # vodjobs' own codes: what happened (the cloud's codes come with its Message)


_KEY_ID = "check vodjobs:accessKeyId (or ALIBABA_CLOUD_ACCESS_KEY_ID) and vodjobs:endpoint / vodjobs:region"
_SECRET = "`pulumi config set --secret vodjobs:accessKeySecret …` or ALIBABA_CLOUD_ACCESS_KEY_SECRET"
_TOKEN = "fetch a new STS token (vodjobs:securityToken or ALIBABA_CLOUD_SECURITY_TOKEN)"
_THROTTLED = ("the account's API rate limit was hit (other tools share it): run again later, or give vodjobs a lower pace "
              "with `pulumi config set vodjobs:maxQps <calls per second>`")
_ENDPOINT = "check vodjobs:region (cn-shanghai or cn-beijing) and vodjobs:endpoint"
_NOTHING_SENT = "nothing was sent"
_NOT_RUN = Meaning.NOT_EXECUTED
_MAYBE = Meaning.MAY_HAVE_EXECUTED
_NO = Meaning.PERMANENT

ERROR_CODES: dict[str, CodeInfo] = {
    # -- VOD common errors (§5.2) ------------------------------------------------------------------------------------
    "MissingParameter": CodeInfo(_NO, "§5.2"),
    "InvalidParameter": CodeInfo(_NO, "§5.2"),
    "OperationDenied": CodeInfo(_NO, "§5.2", "the VOD service is not activated for this account"),
    "OperationDenied.Suspended": CodeInfo(_NO, "§5.2", "the account's VOD service is suspended (overdue payment)"),
    "Forbidden": CodeInfo(_NO, "§5.2", "this AccessKey may not act on this resource; check its RAM policy"),
    "InternalError": CodeInfo(_MAYBE, "§5.2"),
    "ServiceUnAvailable": CodeInfo(_NOT_RUN, "§5.2 (VOD's spelling)"),
    "InvalidVideo.NotFound": CodeInfo(Meaning.NOT_FOUND, "§5.2", "no video with this videoId exists in this account and "
                                      "region; check the spec's videoId and vodjobs:region", resource="Video"),
    "Throttling.User": CodeInfo(Meaning.THROTTLED, "§5.2, §5.3", _THROTTLED),
    # -- gateway (POP) common errors (§5.3) --------------------------------------------------------------------------
    "InvalidAccessKeyId.NotFound": CodeInfo(_NO, "§5.3", f"the AccessKeyId is unknown to this endpoint (revoked, deleted "
                                            f"or mistyped, or an expired STS token); {_KEY_ID}"),
    "InvalidAccessKeyId.Inactive": CodeInfo(_NO, "§5.3", "the AccessKey is disabled; enable it or use another one in the RAM console"),
    "SignatureDoesNotMatch": CodeInfo(_NO, "§5.3", f"the AccessKey secret does not belong to this AccessKeyId; check {_SECRET}"),
    "IncompleteSignature": CodeInfo(_NO, "§5.3"),
    "SignatureNonceUsed": CodeInfo(_NOT_RUN, "§5.3, §5.4 (resent with a fresh nonce)"),
    "InvalidTimeStamp.Expired": CodeInfo(_NO, "§5.3", "this machine's clock is more than 15 minutes off; fix the clock (NTP)"),
    "InvalidTimeStamp.Format": CodeInfo(_NO, "§5.3"),
    "InvalidSignatureMethod": CodeInfo(_NO, "§5.3"),
    "UnsupportedHTTPMethod": CodeInfo(_NO, "§5.3"),
    "InvalidVersion": CodeInfo(_NO, "§5.3"),
    "InvalidAction.NotFound": CodeInfo(_NO, "§5.3", f"this endpoint does not serve the action: it is not VOD's; {_ENDPOINT}"),
    "InvalidApi.NotFound": CodeInfo(_NO, "§5.3", f"this endpoint does not serve the action: it is not VOD's; {_ENDPOINT}"),
    "InvalidParameter.Format": CodeInfo(_NO, "§5.3"),
    "Throttling.Api": CodeInfo(Meaning.THROTTLED, "§5.3", _THROTTLED),
    "Throttling": CodeInfo(Meaning.THROTTLED, "§5.3, §5.4", _THROTTLED),
    "Forbidden.RAM": CodeInfo(_NO, "§5.3", "the RAM user lacks permission for this action (e.g. vod:SubmitAIImageJob); grant it in the RAM console"),
    "InvalidSecurityToken.Expired": CodeInfo(_NO, "§5.3", f"the STS token has expired; {_TOKEN}"),
    "InvalidSecurityToken.Malformed": CodeInfo(_NO, "§5.3", f"the STS token is not one; {_TOKEN}"),
    "InvalidSecurityToken.MismatchWithAccessKey": CodeInfo(_NO, "§5.3", f"the STS token belongs to another AccessKeyId; {_TOKEN}"),
    "MissingSecurityToken": CodeInfo(_NO, "§5.3", f"this AccessKeyId is an STS one and needs its token; {_TOKEN}"),
    "ServiceUnavailable": CodeInfo(_NOT_RUN, "§5.3"),
    "InternalFailure": CodeInfo(_MAYBE, "§5.3"),
    # -- retried by the reference SDKs (§5.4) ------------------------------------------------------------------------
    "UnknownError": CodeInfo(_MAYBE, "§5.4 (aliyun-python-sdk-core retry_config)"),
    "Rejected.Throttling": CodeInfo(Meaning.THROTTLED, "§5.4 (terraform-provider-alicloud NeedRetry)", _THROTTLED),
    # -- VOD media operations (§4) -----------------------------------------------------------------------------------
    "Forbidden.IllegalStatus": CodeInfo(_NO, "§4", "the video is not in a state this action works on (e.g. still uploading); "
                                        "run again once it is Normal"),
    "NoSuchResource": CodeInfo(Meaning.NOT_FOUND, "§4"),
    # -- the emulator's choices where the docs name no code (§11 question 3; vod_emulator/README.md) ------------------
    "InvalidAITemplate.NotFound": CodeInfo(Meaning.NOT_FOUND, "emulator (modelled on InvalidTranscodeTemplateGroup.NotFound)",
                                           "no AI template with this id exists in this account and region; check the "
                                           "spec's templateId and vodjobs:region", resource="AITemplate"),
    "Forbidden.DefaultTemplate": CodeInfo(_NO, "emulator (§3: a default template cannot be deleted)",
                                          "set another template as the default first (VOD console)"),
    "Forbidden.RegionNotSupported": CodeInfo(_NO, "emulator (§1: image-AI jobs run in two regions)",
                                             "image-AI jobs run only in cn-shanghai and cn-beijing; set vodjobs:region"),
    # -- vodjobs' own: answers that could not be read, answers that never came ---------------------------------------
    # An answer we could not read (cut short, not JSON) may still follow an executed action.
    "InvalidResponse": CodeInfo(_MAYBE, "vodjobs", f"check that vodjobs:endpoint is a VOD endpoint; {_ENDPOINT}"),
    "Transport.Unresolved": CodeInfo(_NOT_RUN, "vodjobs", f"the host name is wrong or DNS is down; {_ENDPOINT}", unreachable=True,
                                     what=f"its host name does not resolve (DNS lookup failed); {_NOTHING_SENT}"),
    "Transport.Refused": CodeInfo(_NOT_RUN, "vodjobs", f"is the endpoint up? {_ENDPOINT}", unreachable=True,
                                  what=f"the connection was refused; {_NOTHING_SENT}"),
    "Transport.ConnectTimeout": CodeInfo(_NOT_RUN, "vodjobs", f"check the network (proxy, firewall); {_ENDPOINT}", unreachable=True,
                                         what=f"no connection could be opened in time; {_NOTHING_SENT}"),
    "Transport.NotConnected": CodeInfo(_NOT_RUN, "vodjobs", f"check the network (route, proxy, firewall); {_ENDPOINT}", unreachable=True,
                                       what=f"no connection could be opened; {_NOTHING_SENT}"),
    "Transport.Untrusted": CodeInfo(_NOT_RUN, "vodjobs", "the endpoint's certificate is not trusted here; check vodjobs:endpoint "
                                    "and the system's CA certificates", unreachable=True,
                                    what=f"its TLS certificate could not be verified; {_NOTHING_SENT}"),
    "Transport.Handshake": CodeInfo(_NOT_RUN, "vodjobs", "check the scheme and port of vodjobs:endpoint (https to a port that "
                                    "speaks plain http fails this way)", unreachable=True,
                                    what=f"the TLS handshake failed; {_NOTHING_SENT}"),
    "Transport.Unsendable": CodeInfo(_NO, "vodjobs", "check vodjobs:endpoint and the credentials for stray characters",
                                     what=f"the request could not be built (endpoint or header not valid); {_NOTHING_SENT}"),
    "Transport.ReadTimeout": CodeInfo(_MAYBE, "vodjobs", what="the request was sent but no answer came in time; it may have been executed"),
    "Transport.Broken": CodeInfo(_MAYBE, "vodjobs",
                                 what="the connection broke before the answer was complete; the request may have been executed"),
}


def code_info(code: str, http_status: int | None) -> CodeInfo:
    """What `code` means: from ERROR_CODES, or, for a code it does not list, from the HTTP status."""
    known = ERROR_CODES.get(code)
    if known is not None:
        return known
    if http_status is not None and http_status < 500:
        return CodeInfo(Meaning.PERMANENT, f"not listed: HTTP {http_status}")
    return CodeInfo(Meaning.MAY_HAVE_EXECUTED, f"not listed: HTTP {http_status}")


def means_gone(code: str, resource: str) -> bool:
    """True only for the documented (or emulated) not-found code of this very resource."""
    info = ERROR_CODES.get(code)
    return info is not None and info.meaning is Meaning.NOT_FOUND and info.resource == resource


class VodError(VodjobsError):
    """A VOD API call failed. Carries what a user needs to look it up."""

    def __init__(
        self,
        action: str,
        code: str,
        message: str,
        request_id: str | None = None,
        http_status: int | None = None,
    ) -> None:
        self.action = action
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        self.info = code_info(code, http_status)
        self.meaning = self.info.meaning
        self.attempts = 1
        self.retry_note = ""
        super().__init__(self._describe())

    def note_attempts(self, attempts: int, waited: float, why_stopped: str = "") -> None:
        """Say in the message how often the call was tried before this error was final."""
        self.attempts = attempts
        self.retry_note = f"{attempts} attempts over {waited:.1f} s" + (f": {why_stopped}" if why_stopped else "")
        self.args = (self._describe(),)

    def _describe(self) -> str:
        facts = [f"RequestId {self.request_id}" if self.request_id else "", f"HTTP {self.http_status}" if self.http_status else "",
                 self.retry_note]
        where = "; ".join(fact for fact in facts if fact)
        return (f"{self.action} failed: {self.code}: {self.message}" + (f" ({where})" if where else "")
                + (f"\nWhat to do: {self.info.advice}" if self.info.advice else ""))


class ThrottledError(VodError):
    """The service rejected the call for flow control; it was not executed."""


class VodTransportError(VodError):
    """The call got no complete answer: `code` is one of vodjobs' Transport.* codes, read from the exception's types."""

    def __init__(self, action: str, code: str, origin: str) -> None:
        what = ERROR_CODES[code].what
        super().__init__(action, code, f"{origin}: {what}")

    @property
    def may_have_executed(self) -> bool:
        return self.meaning is Meaning.MAY_HAVE_EXECUTED


class AmbiguousError(VodError):
    """A non-repeatable call may have taken effect although it failed; it was not resent."""

    def __init__(self, cause: VodError, client_token: str = "") -> None:
        self.cause = cause
        self.client_token = client_token  # the request's x-acs-signature-nonce, for finding it in logs
        super().__init__(
            cause.action,
            cause.code,
            f"{cause.action} may have been executed although it failed ({cause.message}); "
            "it was not sent again, because repeating it could run it twice",
            request_id=cause.request_id,
            http_status=cause.http_status,
        )
        self.meaning = Meaning.MAY_HAVE_EXECUTED
