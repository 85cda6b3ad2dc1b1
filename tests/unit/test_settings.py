"""Where the provider finds its region, endpoint and AccessKey, and what it says when they are missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from vod_provider.api.credentials import CredentialsError, resolve_credentials
from vod_provider.api.settings import STACK_CONFIG_KEYS, SettingsError, check_config_keys, resolve_settings

ENV_KEY = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIenv", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret"}


def config(**values: str) -> dict[str, str]:
    return {f"vodjobs:{k}": v for k, v in values.items()}


def test_defaults_to_the_public_endpoint_of_cn_shanghai() -> None:
    settings = resolve_settings(config().get, ENV_KEY)

    assert (settings.region, settings.endpoint) == ("cn-shanghai", "https://vod.cn-shanghai.aliyuncs.com")


def test_one_config_change_targets_another_region() -> None:
    assert resolve_settings(config(region="cn-beijing").get, ENV_KEY).endpoint == "https://vod.cn-beijing.aliyuncs.com"


def test_an_explicit_endpoint_wins() -> None:
    settings = resolve_settings(config(endpoint="http://127.0.0.1:8711/").get, ENV_KEY)

    assert settings.endpoint == "http://127.0.0.1:8711"


def test_stack_config_credentials_win_over_the_environment() -> None:
    settings = resolve_settings(config(accessKeyId="LTAIcfg", accessKeySecret="cfg-secret").get, ENV_KEY)

    assert (settings.credentials.access_key_id, settings.credentials.source) == ("LTAIcfg", "pulumi config")


def test_environment_credentials_with_an_sts_token() -> None:
    settings = resolve_settings(config().get, {**ENV_KEY, "ALIBABA_CLOUD_SECURITY_TOKEN": "sts-token"})

    assert settings.credentials.security_token == "sts-token"
    assert "sts-token" not in repr(settings) and "env-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("values", "environ", "error", "says"),
    [
        ({}, {}, CredentialsError, "no Alibaba Cloud AccessKey found"),
        ({"accessKeyId": "LTAIcfg"}, ENV_KEY, CredentialsError, "vodjobs:accessKeySecret is not set"),
        ({"region": "Shanghai"}, ENV_KEY, SettingsError, "is not a region id"),
        ({"endpoint": "vod.cn-shanghai.aliyuncs.com"}, ENV_KEY, SettingsError, "is not an endpoint URL"),
        ({"endpoint": "http://vod.example.com"}, ENV_KEY, SettingsError, "uses plain http to another host"),
        ({"maxQps": "fast"}, ENV_KEY, SettingsError, "must be a number of calls per second"),
        ({"maxQps": "0"}, ENV_KEY, SettingsError, "must be a number of calls per second"),
    ],
)
def test_bad_settings_say_what_to_set(
    values: dict[str, str], environ: dict[str, str], error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says):
        resolve_settings(config(**values).get, environ)


def test_plain_http_is_for_loopback_unless_explicitly_allowed() -> None:
    for endpoint in ("http://127.0.0.1:8711", "http://localhost:8711", "http://[::1]:8711"):
        assert resolve_settings(config(endpoint=endpoint).get, ENV_KEY).endpoint == endpoint
    allowed = config(endpoint="http://vod-proxy.internal:80", allowInsecureEndpoint="true")
    assert resolve_settings(allowed.get, ENV_KEY).endpoint == "http://vod-proxy.internal:80"


def test_max_qps_caps_the_pace() -> None:
    assert resolve_settings(config(maxQps="20").get, ENV_KEY).max_qps == 20.0
    assert resolve_settings(config().get, ENV_KEY).max_qps is None


def test_the_profile_file_is_the_last_resort() -> None:
    files = {"/home/ci/.alibabacloud/credentials.ini": "[default]\ntype = access_key\naccess_key_id = LTAIfile\naccess_key_secret = file-secret\n"}

    def read(path: Path) -> str | None:
        return files.get(str(path))

    from_file = resolve_credentials(config().get, {"HOME": "/home/ci"}, read)
    from_env = resolve_credentials(config().get, {"HOME": "/home/ci", **ENV_KEY}, read)

    assert (from_file.access_key_id, from_file.source) == ("LTAIfile", "profile default in /home/ci/.alibabacloud/credentials.ini")
    assert from_env.access_key_id == "LTAIenv"
    with pytest.raises(CredentialsError, match=r"has no profile \[ci\]"):
        resolve_credentials(config().get, {"HOME": "/home/ci", "ALIBABA_CLOUD_PROFILE": "ci"}, read)


@pytest.mark.parametrize(
    ("key", "nearest"),
    [
        ("vodjobs:endpiont", "vodjobs:endpoint"),
        ("vodjobs:Region", "vodjobs:region"),
        ("vodjobs:accessKeySecert", "vodjobs:accessKeySecret"),
        ("vodjobs:maxQPS", "vodjobs:maxQps"),
        ("vodjobs:journalURL", "vodjobs:journalUrl"),
        ("vodjobs:spec", "vodjobs:specs"),
    ],
)
def test_an_unknown_key_is_an_error_naming_the_nearest_known_one(key: str, nearest: str) -> None:
    with pytest.raises(SettingsError) as raised:
        check_config_keys({**config(region="cn-beijing"), key: "x"})

    first = str(raised.value).splitlines()[0]
    assert first == f"{key} is not a vodjobs setting: did you mean {nearest}? (`pulumi config rm {key}` removes it)"


def test_every_unknown_key_is_named_at_once_and_the_known_ones_listed() -> None:
    with pytest.raises(SettingsError) as raised:
        check_config_keys(["vodjobs:zzz", "vodjobs:endpiont", "vodjobs:region"])

    assert str(raised.value).splitlines() == [
        "vodjobs:endpiont is not a vodjobs setting: did you mean vodjobs:endpoint? (`pulumi config rm vodjobs:endpiont` removes it)",
        "vodjobs:zzz is not a vodjobs setting: no known setting is close to it. (`pulumi config rm vodjobs:zzz` removes it)",
        "The vodjobs settings are: " + ", ".join(sorted(STACK_CONFIG_KEYS)) + ".",
    ]


def test_every_known_key_and_every_other_namespace_pass() -> None:
    check_config_keys([*STACK_CONFIG_KEYS, "aws:region", "pulumi:tags", "vodjobsx:endpoint"])


def test_the_table_holds_every_key_vodjobs_reads() -> None:
    assert sorted(STACK_CONFIG_KEYS) == sorted(f"vodjobs:{k}" for k in (
        "specs", "region", "endpoint", "allowInsecureEndpoint", "maxQps", "accessKeyId", "accessKeySecret", "securityToken",
        "journalDir", "journalUrl", "failOnFailedJobs"))
