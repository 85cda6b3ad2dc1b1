"""Provider settings (region, endpoint, credentials) read from the stack config and environment."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from vod_provider.credentials import ConfigGetter, Credentials, resolve_credentials

CONFIG_REGION = "vodjobs:region"
CONFIG_ENDPOINT = "vodjobs:endpoint"
DEFAULT_REGION = "cn-shanghai"
_REGION_SHAPE = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")


class SettingsError(Exception):
    """A provider setting is missing or malformed."""


@dataclass(frozen=True)
class ProviderSettings:
    region: str
    endpoint: str
    credentials: Credentials


def regional_endpoint(region: str) -> str:
    return f"https://vod.{region}.aliyuncs.com"


def resolve_settings(get_config: ConfigGetter, environ: Mapping[str, str]) -> ProviderSettings:
    """Region defaults to cn-shanghai; the endpoint defaults to the region's public VOD endpoint."""
    region = get_config(CONFIG_REGION) or DEFAULT_REGION
    if not _REGION_SHAPE.match(region):
        raise SettingsError(f"{CONFIG_REGION} = {region!r} is not a region id such as 'cn-shanghai'")
    endpoint = (get_config(CONFIG_ENDPOINT) or regional_endpoint(region)).rstrip("/")
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise SettingsError(
            f"{CONFIG_ENDPOINT} = {endpoint!r} is not an endpoint URL such as "
            f"'https://vod.{region}.aliyuncs.com' or 'http://127.0.0.1:8711'"
        )
    return ProviderSettings(region, endpoint, resolve_credentials(get_config, environ))
