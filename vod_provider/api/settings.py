"""Provider settings (region, endpoint, pacing, credentials) read from the stack config and environment."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from vod_provider.api.credentials import ConfigGetter, Credentials, resolve_credentials
from vod_provider.errors import VodjobsError

CONFIG_REGION = "vodjobs:region"
CONFIG_ENDPOINT = "vodjobs:endpoint"
CONFIG_MAX_QPS = "vodjobs:maxQps"
CONFIG_ALLOW_INSECURE = "vodjobs:allowInsecureEndpoint"
DEFAULT_REGION = "cn-shanghai"
_REGION_SHAPE = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")


class SettingsError(VodjobsError):
    """A provider setting is missing or malformed."""


@dataclass(frozen=True)
class ProviderSettings:
    region: str
    endpoint: str
    credentials: Credentials
    max_qps: float | None = None  # None: just under each action's documented limit


def regional_endpoint(region: str) -> str:
    return f"https://vod.{region}.aliyuncs.com"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _endpoint(get_config: ConfigGetter, region: str) -> str:
    endpoint = (get_config(CONFIG_ENDPOINT) or regional_endpoint(region)).rstrip("/")
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise SettingsError(
            f"{CONFIG_ENDPOINT} = {endpoint!r} is not an endpoint URL such as "
            f"'https://vod.{region}.aliyuncs.com' or 'http://127.0.0.1:8711'"
        )
    allow_insecure = str(get_config(CONFIG_ALLOW_INSECURE) or "").lower() == "true"
    if parts.scheme == "http" and not _is_loopback(parts.hostname or "") and not allow_insecure:
        # The AccessKey signs every request, and responses carry JobIds: plain HTTP only on this machine.
        raise SettingsError(
            f"{CONFIG_ENDPOINT} = {endpoint!r} uses plain http to another host; use https, "
            f"or set {CONFIG_ALLOW_INSECURE} to true if you really mean it"
        )
    return endpoint


def _max_qps(get_config: ConfigGetter) -> float | None:
    raw = get_config(CONFIG_MAX_QPS)
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise SettingsError(f"{CONFIG_MAX_QPS} = {raw!r} must be a number of calls per second above 0, e.g. 20")
    return value


def resolve_settings(get_config: ConfigGetter, environ: Mapping[str, str]) -> ProviderSettings:
    """Region defaults to cn-shanghai; the endpoint defaults to the region's public VOD endpoint."""
    region = get_config(CONFIG_REGION) or DEFAULT_REGION
    if not _REGION_SHAPE.match(region):
        raise SettingsError(f"{CONFIG_REGION} = {region!r} is not a region id such as 'cn-shanghai'")
    return ProviderSettings(region, _endpoint(get_config, region), resolve_credentials(get_config, environ), _max_qps(get_config))
