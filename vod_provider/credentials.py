"""Where the AccessKey pair comes from: Pulumi config first, then the environment.

The secret and the STS token never appear in a repr, a log line or an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

ConfigGetter = Callable[[str], "str | None"]

CONFIG_ACCESS_KEY_ID = "vodjobs:accessKeyId"
CONFIG_ACCESS_KEY_SECRET = "vodjobs:accessKeySecret"
CONFIG_SECURITY_TOKEN = "vodjobs:securityToken"
ENV_ACCESS_KEY_ID = "ALIBABA_CLOUD_ACCESS_KEY_ID"
ENV_ACCESS_KEY_SECRET = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
ENV_SECURITY_TOKEN = "ALIBABA_CLOUD_SECURITY_TOKEN"


class CredentialsError(Exception):
    """No usable AccessKey pair, or half of one."""


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    access_key_secret: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)
    source: str = "unknown"

    def secrets(self) -> tuple[str, ...]:
        """The values that must never be shown to a user."""
        return tuple(s for s in (self.access_key_secret, self.security_token) if s)


def resolve_credentials(get_config: ConfigGetter, environ: Mapping[str, str]) -> Credentials:
    """Pulumi config (`vodjobs:accessKeyId` + secret `vodjobs:accessKeySecret`), else the environment."""
    key_id, secret = get_config(CONFIG_ACCESS_KEY_ID), get_config(CONFIG_ACCESS_KEY_SECRET)
    if key_id or secret:
        if not (key_id and secret):
            missing = CONFIG_ACCESS_KEY_SECRET if key_id else CONFIG_ACCESS_KEY_ID
            raise CredentialsError(
                f"{missing} is not set while its partner is; set both "
                f"(`pulumi config set {CONFIG_ACCESS_KEY_ID} <id>` and "
                f"`pulumi config set --secret {CONFIG_ACCESS_KEY_SECRET} <secret>`)"
            )
        return Credentials(key_id, secret, get_config(CONFIG_SECURITY_TOKEN) or None, "pulumi config")
    key_id, secret = environ.get(ENV_ACCESS_KEY_ID), environ.get(ENV_ACCESS_KEY_SECRET)
    if key_id and secret:
        return Credentials(key_id, secret, environ.get(ENV_SECURITY_TOKEN) or None, "environment")
    raise CredentialsError(
        "no Alibaba Cloud AccessKey found: set the stack config "
        f"`{CONFIG_ACCESS_KEY_ID}` and secret `{CONFIG_ACCESS_KEY_SECRET}` "
        f"(pulumi config set --secret ...), or the environment variables "
        f"{ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET}"
    )
