"""What a `requests` failure proves, read from the types in its exception chain, never from its text.

The text of a `requests` exception holds the whole URL, and with it the query string: the UserData, which may
carry a token. So the client keeps only the Transport.* code chosen here (api/errors.py says what each means)
and the endpoint's scheme and host; the exception itself goes no further.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

# In order: the first row with a type found anywhere in the chain decides. Each of the first five happens while
# the connection is being opened, before a byte of the request is sent (a failed TLS handshake too: _HANDSHAKE).
_BY_TYPE: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((urllib3.exceptions.NameResolutionError, socket.gaierror), "Transport.Unresolved"),
    ((ConnectionRefusedError,), "Transport.Refused"),
    ((ssl.SSLCertVerificationError,), "Transport.Untrusted"),
    # NewConnectionError subclasses ConnectTimeoutError in urllib3 2: any other failure to open the connection.
    ((urllib3.exceptions.NewConnectionError,), "Transport.NotConnected"),
    ((urllib3.exceptions.ConnectTimeoutError, requests.exceptions.ConnectTimeout), "Transport.ConnectTimeout"),
    ((requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema,
      requests.exceptions.InvalidHeader), "Transport.Unsendable"),
    ((requests.exceptions.ReadTimeout, urllib3.exceptions.ReadTimeoutError, TimeoutError), "Transport.ReadTimeout"),
)
# Anything else (a reset, a connection closed before the answer, a broken TLS stream) may follow a sent request.
BROKEN = "Transport.Broken"


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and every exception behind it: causes, contexts, urllib3's `reason` and exceptions given as arguments."""
    seen: set[int] = set()
    pending = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        behind = [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]
        pending += [item for item in behind if isinstance(item, BaseException)]


# A TLS error raised inside the handshake (e.g. https sent to a plain-http port): the request is written only once
# ssl.SSLSocket.do_handshake has returned, so nothing was sent. Other TLS errors may break a stream already sent.
HANDSHAKE = "Transport.Handshake"


def _failed_in_tls_handshake(link: BaseException) -> bool:
    """`link` is a TLS error raised by the standard library's handshake (its innermost frame is ssl's do_handshake)."""
    if not isinstance(link, ssl.SSLError) or link.__traceback__ is None:
        return False
    innermost = link.__traceback__
    while innermost.tb_next is not None:
        innermost = innermost.tb_next
    code = innermost.tb_frame.f_code
    return code.co_name == "do_handshake" and code.co_filename == ssl.__file__


def transport_code(exc: BaseException) -> str:
    """The Transport.* code of a failed request, from the types in its exception chain (and, for a TLS error, whether
    it came from the handshake)."""
    chain = list(exception_chain(exc))
    for types, code in _BY_TYPE:
        if any(isinstance(link, types) for link in chain):
            return code
    if any(_failed_in_tls_handshake(link) for link in chain):
        return HANDSHAKE
    return BROKEN


def origin(endpoint: str) -> str:
    """The endpoint's scheme, host and port: all an error message may say of where a request went."""
    parts = urlsplit(endpoint)
    host = parts.hostname or "?"
    host = f"[{host}]" if ":" in host else host
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")
