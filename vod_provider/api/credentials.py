"""Where the AccessKey pair comes from: Pulumi config, then the environment, then the profile file.

The chain follows Alibaba's default credential chain where it applies to a provider process:
`ALIBABA_CLOUD_*` variables, then `~/.alibabacloud/credentials.ini` (or `credentials`, or the file
named by ALIBABA_CLOUD_CREDENTIALS_FILE), section ALIBABA_CLOUD_PROFILE or `default`.

The secret and the STS token never appear in a repr, a log line or an error.
"""

from __future__ import annotations

import configparser
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vod_provider.errors import VodjobsError

ConfigGetter = Callable[[str], "str | None"]

CONFIG_ACCESS_KEY_ID = "vodjobs:accessKeyId"
CONFIG_ACCESS_KEY_SECRET = "vodjobs:accessKeySecret"
CONFIG_SECURITY_TOKEN = "vodjobs:securityToken"
ENV_ACCESS_KEY_ID = "ALIBABA_CLOUD_ACCESS_KEY_ID"
ENV_ACCESS_KEY_SECRET = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
ENV_SECURITY_TOKEN = "ALIBABA_CLOUD_SECURITY_TOKEN"
ENV_CREDENTIALS_FILE = "ALIBABA_CLOUD_CREDENTIALS_FILE"
ENV_PROFILE = "ALIBABA_CLOUD_PROFILE"
FileReader = Callable[[Path], "str | None"]


def read_text_if_exists(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


class CredentialsError(VodjobsError):
    """No usable AccessKey pair, or half of one."""


class NoCredentialsError(CredentialsError):
    """No AccessKey anywhere in the chain (config, environment, profile): not a broken one, none at all."""


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    access_key_secret: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)
    source: str = "unknown"

    def secrets(self) -> tuple[str, ...]:
        """The values that must never be shown to a user."""
        return tuple(s for s in (self.access_key_secret, self.security_token) if s)


def resolve_credentials(
    get_config: ConfigGetter, environ: Mapping[str, str], read_file: FileReader = read_text_if_exists
) -> Credentials:
    """Pulumi config (`vodjobs:accessKeyId` + secret `vodjobs:accessKeySecret`), else the environment, else the profile."""
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
    from_profile = _profile_credentials(environ, read_file)
    if from_profile is not None:
        return from_profile
    raise NoCredentialsError(
        "no Alibaba Cloud AccessKey found: set the stack config "
        f"`{CONFIG_ACCESS_KEY_ID}` and secret `{CONFIG_ACCESS_KEY_SECRET}` "
        f"(pulumi config set --secret ...), or the environment variables "
        f"{ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET}, or a profile in ~/.alibabacloud/credentials.ini"
    )


def _profile_files(environ: Mapping[str, str]) -> list[Path]:
    if environ.get(ENV_CREDENTIALS_FILE):
        return [Path(environ[ENV_CREDENTIALS_FILE]).expanduser()]
    home = Path(environ.get("HOME") or Path.home())
    return [home / ".alibabacloud" / "credentials.ini", home / ".alibabacloud" / "credentials"]


def _profile_credentials(environ: Mapping[str, str], read_file: FileReader) -> Credentials | None:
    """The access_key profile of the first credentials file found, or None when there is no file."""
    profile = environ.get(ENV_PROFILE) or "default"
    for path in _profile_files(environ):
        text = read_file(path)
        if text is None:
            continue
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text, source=str(path))
        except configparser.Error as exc:
            raise CredentialsError(f"{path} is not a valid credentials file: {type(exc).__name__}") from None
        if not parser.has_section(profile):
            raise CredentialsError(f"{path} has no profile [{profile}] (set {ENV_PROFILE} to choose another)")
        section = parser[profile]
        kind = section.get("type", "access_key")
        key_id, secret = section.get("access_key_id"), section.get("access_key_secret")
        if kind != "access_key" or not (key_id and secret):
            raise CredentialsError(
                f"{path} profile [{profile}] must be of type access_key with access_key_id and access_key_secret "
                f"(type {kind!r} is not supported by vodjobs; use environment variables for STS)"
            )
        return Credentials(key_id, secret, None, f"profile {profile} in {path}")
    return None
