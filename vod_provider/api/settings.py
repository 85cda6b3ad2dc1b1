"""Provider settings (region, endpoint, pacing, credentials) read from the stack config and environment, and the
one table of every `vodjobs:<key>` a stack may set (STACK_CONFIG_KEYS): any other key is an error, not ignored.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from vod_provider.api.credentials import (
    CONFIG_ACCESS_KEY_ID,
    CONFIG_ACCESS_KEY_SECRET,
    CONFIG_SECURITY_TOKEN,
    ConfigGetter,
    Credentials,
    resolve_credentials,
)
from vod_provider.errors import VodjobsError

NAMESPACE = "vodjobs"
CONFIG_REGION = "vodjobs:region"
CONFIG_ENDPOINT = "vodjobs:endpoint"
CONFIG_MAX_QPS = "vodjobs:maxQps"
CONFIG_ALLOW_INSECURE = "vodjobs:allowInsecureEndpoint"
CONFIG_SPECS = "vodjobs:specs"
CONFIG_JOURNAL_DIR = "vodjobs:journalDir"
CONFIG_JOURNAL_URL = "vodjobs:journalUrl"
CONFIG_FAIL_ON_FAILED_JOBS = "vodjobs:failOnFailedJobs"
DEFAULT_REGION = "cn-shanghai"
_REGION_SHAPE = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")

# Every stack setting vodjobs reads, and who reads it. A key missing here would be ignored, so a typo
# (`vodjobs:endpiont`) would silently send a stack to the default endpoint: every other key stops the run.
STACK_CONFIG_KEYS: dict[str, str] = {
    CONFIG_SPECS: "the program: the glob of spec files",
    CONFIG_REGION: "the provider: the VOD region (cn-shanghai, cn-beijing)",
    CONFIG_ENDPOINT: "the provider: the endpoint URL, in place of the region's",
    CONFIG_ALLOW_INSECURE: "the provider: allow a plain-http endpoint on another host",
    CONFIG_MAX_QPS: "the provider: a lower pace than each action's documented limit",
    CONFIG_ACCESS_KEY_ID: "the provider: the AccessKeyId",
    CONFIG_ACCESS_KEY_SECRET: "the provider: the AccessKey secret (set it with --secret)",
    CONFIG_SECURITY_TOKEN: "the provider: an STS token (set it with --secret)",
    CONFIG_JOURNAL_DIR: "the provider: the directory of the submission journal",
    CONFIG_JOURNAL_URL: "the provider: a bucket for the submission journal",
    CONFIG_FAIL_ON_FAILED_JOBS: "the program: fail every up while the stack holds a failed job",
}


class SettingsError(VodjobsError):
    """A provider setting is unknown, missing or malformed."""


def unknown_key_problem(key: str) -> str:
    """One line on an unknown `vodjobs:<key>`: the nearest known key if one is close, and how to remove it."""
    names = {known.partition(":")[2].lower(): known for known in STACK_CONFIG_KEYS}  # compared without the namespace
    nearest = difflib.get_close_matches(key.partition(":")[2].lower(), list(names), n=1, cutoff=0.6)
    hint = f"did you mean {names[nearest[0]]}?" if nearest else "no known setting is close to it."
    return f"{key} is not a vodjobs setting: {hint} (`pulumi config rm {key}` removes it)"


def check_config_keys(keys: Iterable[str]) -> None:
    """Raise SettingsError naming every `vodjobs:<key>` vodjobs does not know (other namespaces are not ours)."""
    unknown = sorted({key for key in keys if key.partition(":")[0] == NAMESPACE and key not in STACK_CONFIG_KEYS})
    if unknown:
        raise SettingsError("\n".join(unknown_key_problem(key) for key in unknown)
                            + f"\nThe vodjobs settings are: {', '.join(sorted(STACK_CONFIG_KEYS))}.")


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


def _region(get_config: ConfigGetter) -> str:
    region = get_config(CONFIG_REGION) or DEFAULT_REGION
    if not _REGION_SHAPE.match(region):
        raise SettingsError(f"{CONFIG_REGION} = {region!r} is not a region id such as 'cn-shanghai'")
    return region


def check_settings(get_config: ConfigGetter) -> None:
    """Raise SettingsError for a region, endpoint or maxQps that `pulumi up` would refuse, without credentials.

    The program calls this in preview as well as up, so that a pull request's preview fails on what the merge's up
    would refuse (plain http to a remote host, a malformed endpoint). Credentials are not checked: a preview may run
    without them (README "CI/CD").
    """
    _endpoint(get_config, _region(get_config))
    _max_qps(get_config)


def resolve_settings(get_config: ConfigGetter, environ: Mapping[str, str]) -> ProviderSettings:
    """Region defaults to cn-shanghai; the endpoint defaults to the region's public VOD endpoint."""
    region = _region(get_config)
    return ProviderSettings(region, _endpoint(get_config, region), resolve_credentials(get_config, environ), _max_qps(get_config))
