"""What a user can do about an error code the VOD API answered with (pure lookup, no secrets)."""

from __future__ import annotations

_SECRET_SETTINGS = (
    "`pulumi config set --secret vodjobs:accessKeySecret …` or ALIBABA_CLOUD_ACCESS_KEY_SECRET"
)

ADVICE: dict[str, str] = {
    "SignatureDoesNotMatch": f"the AccessKey secret does not belong to this AccessKeyId; check {_SECRET_SETTINGS}",
    "InvalidAccessKeyId.NotFound": "the AccessKeyId is unknown to this endpoint; check vodjobs:accessKeyId "
    "(or ALIBABA_CLOUD_ACCESS_KEY_ID) and vodjobs:endpoint / vodjobs:region",
    "InvalidAccessKeyId.Inactive": "the AccessKey is disabled; enable it or use another one in the RAM console",
    "InvalidTimeStamp.Expired": "this machine's clock is more than 15 minutes off; fix the clock (NTP)",
    "InvalidSecurityToken.Expired": "the STS token has expired; fetch a new one (vodjobs:securityToken or ALIBABA_CLOUD_SECURITY_TOKEN)",
    "Forbidden.RAM": "the RAM user lacks permission for this action (e.g. vod:SubmitAIImageJob); grant it in the RAM console",
    "InvalidVideo.NotFound": "no video with this videoId exists in this account and region; check the spec's videoId and vodjobs:region",
    "Forbidden.RegionNotSupported": "image-AI jobs run only in cn-shanghai and cn-beijing; set vodjobs:region",
    "OperationDenied": "the VOD service is not activated for this account",
}


def advice_for(code: str) -> str | None:
    """One sentence saying what to change, or None when the code speaks for itself."""
    if code.startswith("Throttling"):
        return "the account's API rate limit was hit; run again later or lower PULUMI_PARALLEL"
    return ADVICE.get(code)
