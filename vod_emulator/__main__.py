"""Start the emulator: `python -m vod_emulator --port 0` prints the URL it listens on."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from vod_emulator.app import EmulatorApp
from vod_emulator.auth import AccessKey, RequestVerifier
from vod_emulator.models import VodAccount
from vod_emulator.server import EmulatorServer

DEMO_ACCESS_KEY = AccessKey("LTAI5tVodjobsDemoKey0001", "vodjobs-demo-secret-not-for-production")


def _access_key(text: str) -> AccessKey:
    key_id, sep, secret = text.partition(":")
    if not sep or not key_id or not secret:
        raise argparse.ArgumentTypeError("expected ID:SECRET")
    return AccessKey(key_id, secret)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vod_emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one and prints it")
    parser.add_argument("--region", default="cn-shanghai", help="region this endpoint serves")
    parser.add_argument(
        "--access-key", type=_access_key, action="append", metavar="ID:SECRET",
        help="an AccessKey pair the emulator accepts (repeatable; default: the demo pair)",
    )
    parser.add_argument("--seed", type=Path, help='JSON file {"videos": [...], "templates": [...]} to load at start')
    parser.add_argument("--job-duration", type=float, default=2.0, help="seconds a job stays 'processing'")
    parser.add_argument("--random-seed", type=int, help="seed for generated ids (reproducible runs)")
    args = parser.parse_args(argv)

    keys = args.access_key or [DEMO_ACCESS_KEY]
    app = EmulatorApp(VodAccount(args.region, args.job_duration, args.random_seed), RequestVerifier(keys))
    if args.seed:
        try:
            app.seed(json.loads(args.seed.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            parser.error(f"cannot load seed file {args.seed}: {exc}")
    try:
        server = EmulatorServer(app, args.host, args.port)
    except OSError as exc:
        parser.error(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"vod-emulator listening on {server.url} (region {args.region})", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
