"""VodClient turns every failure into a typed VodError a user can act on, and never shows the secret."""

from __future__ import annotations

import http.server
import socket
import ssl
import threading
from collections.abc import Callable

import pytest
import requests

from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from vod_emulator.server import EmulatorServer
from vod_provider.api.client import VodClient
from vod_provider.api.credentials import Credentials
from vod_provider.api.errors import ERROR_CODES, Meaning, VodError, VodTransportError
from vod_provider.api.transport import transport_code

GOOD = Credentials(TEST_KEY.access_key_id, TEST_KEY.access_key_secret)


def test_submit_and_get_round_trip(inprocess_emulator: EmulatorServer) -> None:
    client = VodClient(inprocess_emulator.url, GOOD)

    job = client.submit_ai_image_job(VIDEOS["trailer"], TEMPLATE, '{"Extend":{"k":"v"}}')
    [info] = client.get_ai_image_jobs([job.job_id, "0" * 32])

    assert (info.job_id, info.video_id, info.user_data) == (job.job_id, VIDEOS["trailer"], '{"Extend":{"k":"v"}}')


def test_a_wrong_secret_is_a_vod_error_with_the_cloud_code_and_advice(inprocess_emulator: EmulatorServer) -> None:
    wrong = Credentials(TEST_KEY.access_key_id, "wrong-secret-value")

    with pytest.raises(VodError) as raised:
        VodClient(inprocess_emulator.url, wrong).submit_ai_image_job(VIDEOS["trailer"], TEMPLATE)

    error = raised.value
    assert (error.action, error.code, error.http_status) == ("SubmitAIImageJob", "SignatureDoesNotMatch", 400)
    assert error.request_id and error.request_id in str(error)
    assert "vodjobs:accessKeySecret" in str(error)
    assert "wrong-secret-value" not in str(error)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again on leaving: nothing listens there


def test_a_refused_connection_is_known_not_to_have_executed_and_is_tried_three_times() -> None:
    slept: list[float] = []
    client = VodClient(f"http://127.0.0.1:{closed_port()}", GOOD, sleep=slept.append)

    with pytest.raises(VodTransportError) as raised:
        client.submit_ai_image_job(VIDEOS["trailer"], TEMPLATE)

    error = raised.value
    assert (error.code, error.meaning, error.may_have_executed, error.attempts) == ("Transport.Refused", Meaning.NOT_EXECUTED, False, 3)
    assert len(slept) == 2
    assert "the connection was refused; nothing was sent" in str(error)
    assert "vodjobs stops early when it cannot reach the endpoint at all" in str(error)


def test_a_host_name_that_does_not_resolve_is_known_not_to_have_executed() -> None:
    # A region typo gives https://vod.cn-shangai.aliyuncs.com; `.invalid` never resolves anywhere (RFC 6761).
    client = VodClient("https://vod.cn-shangai.invalid", GOOD, sleep=lambda s: None)

    with pytest.raises(VodTransportError) as raised:
        client.submit_ai_image_job(VIDEOS["trailer"], TEMPLATE)

    error = raised.value
    assert (error.code, error.may_have_executed, error.attempts) == ("Transport.Unresolved", False, 3)
    assert str(error).startswith(
        "SubmitAIImageJob failed: Transport.Unresolved: https://vod.cn-shangai.invalid: its host name does not resolve "
        "(DNS lookup failed); nothing was sent (3 attempts over 0."
    )
    assert "What to do: the host name is wrong or DNS is down; check vodjobs:region" in str(error)


def _raised_by(call: Callable[[], object]) -> BaseException:
    try:
        call()
    except BaseException as exc:
        return exc
    raise AssertionError("no exception")


def _refused_by_requests() -> BaseException:
    return _raised_by(lambda: requests.post(f"http://127.0.0.1:{closed_port()}/", timeout=5))


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: _raised_by(lambda: requests.post("https://vod.cn-shangai.invalid/", timeout=5)), "Transport.Unresolved"),
        (_refused_by_requests, "Transport.Refused"),
        (lambda: requests.exceptions.ConnectTimeout("timed out"), "Transport.ConnectTimeout"),
        (lambda: requests.exceptions.ReadTimeout("Connection refused"), "Transport.ReadTimeout"),  # the text is never read
        (lambda: requests.exceptions.ConnectionError("Connection refused by name resolution"), "Transport.Broken"),
        (lambda: requests.exceptions.ConnectionError(ConnectionResetError(104, "reset")), "Transport.Broken"),
        (lambda: requests.exceptions.InvalidURL("bad"), "Transport.Unsendable"),
    ],
)
def test_a_transport_failure_is_read_from_its_exception_types(make: Callable[[], BaseException], code: str) -> None:
    assert transport_code(make()) == code


def test_https_to_a_plain_http_port_fails_in_the_handshake_with_nothing_sent() -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        failure = _raised_by(lambda: requests.post(f"https://127.0.0.1:{server.server_port}/", timeout=5))
    finally:
        server.shutdown()
        server.server_close()

    assert transport_code(failure) == "Transport.Handshake"
    assert ERROR_CODES["Transport.Handshake"].meaning is Meaning.NOT_EXECUTED


def test_a_tls_error_after_the_handshake_may_follow_a_sent_request() -> None:
    try:
        raise ssl.SSLEOFError(8, "EOF occurred in violation of protocol")  # raised here, not in ssl's do_handshake
    except ssl.SSLError as error:
        assert transport_code(requests.exceptions.SSLError(error)) == "Transport.Broken"


def test_get_ai_image_jobs_takes_one_to_ten_ids() -> None:
    client = VodClient("http://127.0.0.1:9", GOOD)
    with pytest.raises(ValueError, match="1 to 10 JobIds"):
        client.get_ai_image_jobs(["a"] * 11)
