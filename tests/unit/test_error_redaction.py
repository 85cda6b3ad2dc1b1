"""No error holds a secret: not the AccessKey secret, not the STS token, not a byte of a secret UserData.

Each failure path of the client is driven with real secret values, and the whole error (its message and the
traceback Pulumi would print) is searched for every form of them: as given and URL-encoded.
"""

from __future__ import annotations

import json
import socket
import threading
import traceback
from collections.abc import Iterator
from urllib.parse import quote, quote_plus

import pytest

from tests.support.account import TEMPLATE, VIDEOS
from tests.support.scripted_server import ScriptedServer
from vod_provider.api.client import Timeouts, VodClient
from vod_provider.api.credentials import Credentials
from vod_provider.api.errors import AmbiguousError, ThrottledError, VodError, VodTransportError
from vod_provider.api.retry_policy import RetryPolicy
from vod_provider.safety.submission import JobMaybeSubmittedError, UnjournaledJob, submit_once

SECRET = "ak-secret-9c2e4b7f1d"
TOKEN = "sts-token-3e8a1f6c0b"
CALLBACK_TOKEN = "cb-token/4f1e+9a7d 2c"  # '/', '+' and ' ' change under every encoding
USER_DATA = json.dumps({"MessageCallback": {"CallbackURL": f"https://hooks.example.com/vod?token={CALLBACK_TOKEN}"}},
                       separators=(",", ":"))
CREDS = Credentials("LTAIredaction", SECRET, TOKEN)
FORMS = {
    name: value
    for secret in (SECRET, TOKEN, CALLBACK_TOKEN, USER_DATA)
    for name, value in (
        (f"{secret} as given", secret), (f"{secret} URL-encoded", quote(secret, safe="")),
        (f"{secret} form-encoded", quote_plus(secret)), (f"{secret} encoded twice", quote(quote(secret, safe=""), safe="")),
    )
}


def leaks(error: BaseException) -> list[str]:
    """The forms of a secret found in the error's message or in the traceback Pulumi prints for it."""
    text = str(error) + "".join(traceback.format_exception(error))
    return sorted(name for name, value in FORMS.items() if value in text)


def submit(client: VodClient) -> object:
    return client.submit_ai_image_job(VIDEOS["trailer"], TEMPLATE, USER_DATA)


def scripted_client(servers: list[ScriptedServer], script: list[tuple[int, dict[str, str]] | None]) -> VodClient:
    server = ScriptedServer(script)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    servers.append(server)
    host, port = server.server_address[:2]
    return VodClient(f"http://{host!s}:{port}", CREDS, sleep=lambda s: None)


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """An endpoint that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def echo(status: int, code: str) -> tuple[int, dict[str, str]]:
    """An answer whose Message echoes everything the request carried, in every form."""
    return status, {"Code": code, "RequestId": "R-echo", "Message": " | ".join(FORMS.values())}


def test_a_refused_connection_says_where_and_what_without_the_url() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(VodTransportError) as raised:
        submit(VodClient(f"http://127.0.0.1:{port}", CREDS, sleep=lambda s: None))

    assert leaks(raised.value) == []
    assert f"http://127.0.0.1:{port}: the connection was refused; nothing was sent" in str(raised.value)
    assert "?" not in str(raised.value).split("\n")[0]  # no query string


def test_a_name_that_does_not_resolve_says_so_without_the_url() -> None:
    with pytest.raises(VodTransportError) as raised:
        submit(VodClient("https://vod.cn-shangai.invalid", CREDS, sleep=lambda s: None))

    assert leaks(raised.value) == []
    assert "UserData" not in str(raised.value) and "Action=" not in str(raised.value)


def test_a_reset_connection_gives_an_ambiguous_submit_without_secrets(scripted: list[ScriptedServer]) -> None:
    with pytest.raises(AmbiguousError) as raised:
        submit(scripted_client(scripted, [None]))

    assert raised.value.code == "Transport.Broken"
    assert leaks(raised.value) == []


def test_a_read_timeout_gives_an_ambiguous_submit_without_secrets(silent_endpoint: str) -> None:
    client = VodClient(silent_endpoint, CREDS, Timeouts(connect=2.0, read=0.3), sleep=lambda s: None)

    with pytest.raises(AmbiguousError) as raised:
        submit(client)

    assert raised.value.code == "Transport.ReadTimeout"
    assert leaks(raised.value) == []


def test_a_read_that_keeps_timing_out_gives_up_without_secrets(silent_endpoint: str) -> None:
    client = VodClient(silent_endpoint, CREDS, Timeouts(connect=2.0, read=0.2), retry=RetryPolicy(max_attempts=2),
                       sleep=lambda s: None)

    with pytest.raises(VodTransportError) as raised:
        client.call("GetAIImageJobs", {"JobIds": "a" * 32, "UserData": USER_DATA})

    assert raised.value.attempts == 2
    assert leaks(raised.value) == []


@pytest.mark.parametrize(("status", "code"), [(400, "InvalidParameter"), (404, "InvalidAccessKeyId.NotFound"),
                                              (403, "Forbidden.RAM"), (400, "SignatureDoesNotMatch")])
def test_an_http_error_echoing_the_request_is_redacted(scripted: list[ScriptedServer], status: int, code: str) -> None:
    with pytest.raises(VodError) as raised:
        submit(scripted_client(scripted, [echo(status, code)]))

    assert (raised.value.code, raised.value.request_id) == (code, "R-echo")
    assert leaks(raised.value) == []


def test_retries_exhausted_say_how_often_and_hold_no_secret(scripted: list[ScriptedServer]) -> None:
    with pytest.raises(ThrottledError) as raised:
        submit(scripted_client(scripted, [echo(400, "Throttling.User")] * 10))

    assert raised.value.attempts == 10 and "10 attempts over" in str(raised.value)
    assert leaks(raised.value) == []


def test_an_ambiguous_submit_holds_no_secret_in_the_error_or_the_journal_story(scripted: list[ScriptedServer]) -> None:
    client = scripted_client(scripted, [echo(500, "InternalError")])
    job = {"videoId": VIDEOS["trailer"], "templateId": TEMPLATE, "userData": USER_DATA}
    reported: list[str] = []

    with pytest.raises(JobMaybeSubmittedError) as raised:
        submit_once(client, UnjournaledJob(), job, "job 'tokened-cover'", reported.append)

    assert "MAY HAVE BEEN SUBMITTED (RequestId R-echo)" in str(raised.value)
    assert leaks(raised.value) == [] and reported == []


def test_the_redacted_message_keeps_what_the_service_said(scripted: list[ScriptedServer]) -> None:
    said = (400, {"Code": "InvalidParameter", "RequestId": "R-7",
                  "Message": f"The specified parameter UserData is not valid: {USER_DATA} must contain Extend."})

    with pytest.raises(VodError) as raised:
        submit(scripted_client(scripted, [said]))

    assert "The specified parameter UserData is not valid: *** must contain Extend." in str(raised.value)
