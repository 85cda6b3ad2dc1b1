"""The client's HTTP session reads the environment once, and finds there what a plain `requests.Session` would."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from vod_provider.api.client import environment_session

ENDPOINT = "https://vod.cn-shanghai.aliyuncs.com"


def _plain_settings() -> dict[str, object]:
    return requests.Session().merge_environment_settings(ENDPOINT + "/?Action=X", {}, None, None, None)


def test_proxies_and_ca_bundle_are_those_a_plain_session_finds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "ca.pem"))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    session = environment_session(ENDPOINT)
    plain = _plain_settings()
    assert session.proxies == plain["proxies"]
    assert session.proxies["https"] == "http://proxy.example:3128"
    assert session.verify == plain["verify"] == str(tmp_path / "ca.pem")
    assert session.trust_env is False  # nothing is read again per request


def test_no_proxy_for_the_endpoint_host_means_no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", ".aliyuncs.com")
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    session = environment_session(ENDPOINT)
    assert session.proxies == {}
    assert session.verify is True
