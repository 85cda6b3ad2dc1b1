"""Start the emulator: `python -m vod_emulator --port 0` prints the URL it listens on."""

from __future__ import annotations

import argparse
import calendar
import json
import signal
import sys
import time
from pathlib import Path

from vod_emulator.actions import ACTIONS
from vod_emulator.app import EmulatorApp
from vod_emulator.auth import AccessKey, RequestVerifier
from vod_emulator.faults import DEFAULT_QPS, FaultInjector, RateLimiter
from vod_emulator.models import VodAccount
from vod_emulator.progress import MODES, TIME
from vod_emulator.server import EmulatorServer
from vod_emulator.state import EmulatorState
from vod_emulator.store import SqliteStore, StateDirError

DEMO_ACCESS_KEY = AccessKey("LTAI5tVodjobsDemoKey0001", "vodjobs-demo-secret-not-for-production")


def _access_key(text: str) -> AccessKey:
    key_id, sep, secret = text.partition(":")
    if not sep or not key_id or not secret:
        raise argparse.ArgumentTypeError("expected ID:SECRET")
    return AccessKey(key_id, secret)


def _sts_credential(text: str) -> AccessKey:
    parts = text.split(":", 3)
    if len(parts) != 4 or not all(parts):
        raise argparse.ArgumentTypeError("expected ID:SECRET:TOKEN:EXPIRATION (EXPIRATION as 2030-01-01T00:00:00Z)")
    try:
        expires_at = float(calendar.timegm(time.strptime(parts[3], "%Y-%m-%dT%H:%M:%SZ")))
    except ValueError:
        raise argparse.ArgumentTypeError(f"EXPIRATION {parts[3]!r} is not yyyy-MM-ddTHH:mm:ssZ") from None
    return AccessKey(parts[0], parts[1], security_token=parts[2], expires_at=expires_at)


def _qps(text: str) -> tuple[str, float]:
    action, sep, rate = text.partition("=")
    if not sep or action not in ACTIONS:
        raise argparse.ArgumentTypeError(f"expected ACTION=RATE with ACTION one of {', '.join(ACTIONS)}")
    try:
        value = float(rate)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"RATE must be a positive number, got {rate!r}")
    return action, value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m vod_emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one and prints it")
    parser.add_argument("--region", default="cn-shanghai", help="region this endpoint serves")
    parser.add_argument(
        "--access-key", type=_access_key, action="append", metavar="ID:SECRET",
        help="an AccessKey pair the emulator accepts (repeatable; default: the demo pair)",
    )
    parser.add_argument(
        "--sts-credential", type=_sts_credential, action="append", default=[], metavar="ID:SECRET:TOKEN:EXPIRATION",
        help="STS credentials the emulator accepts until EXPIRATION (UTC, yyyy-MM-ddTHH:mm:ssZ); repeatable",
    )
    parser.add_argument("--seed", type=Path, help='JSON file {"videos": [...], "templates": [...]} to load at start')
    parser.add_argument("--state-dir", type=Path, help="keep state in SQLite here, across restarts (default: memory only)")
    parser.add_argument("--job-duration", type=float, default=2.0,
                        help="seconds a job stays 'processing' in the time progress mode (default: 2)")
    parser.add_argument(
        "--job-progress", choices=MODES, default=TIME,
        help="how jobs end: time (after --job-duration), immediate (at once), manual "
             "(when POST /_emulator/jobs/<JobId> says success or fail); default: time",
    )
    parser.add_argument("--random-seed", type=int, help="seed for generated ids (reproducible runs)")
    parser.add_argument(
        "--qps", type=_qps, action="append", default=[], metavar="ACTION=RATE",
        help="calls per second allowed for ACTION (repeatable; defaults from the VOD docs, e.g. SubmitAIImageJob=30)",
    )
    parser.add_argument("--no-qps-limits", action="store_true", help="never throttle (e.g. for benchmarks)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)

    store = None
    if args.state_dir:
        try:
            store = SqliteStore(args.state_dir, args.region)
        except StateDirError as exc:
            parser.error(str(exc))
    keys = (args.access_key or ([] if args.sts_credential else [DEMO_ACCESS_KEY])) + args.sts_credential
    try:
        account = VodAccount(args.region, args.job_duration, args.random_seed, store=store, job_progress=args.job_progress)
    except ValueError as exc:
        parser.error(f"--job-duration: {exc}")
    state = EmulatorState(
        account,
        RateLimiter({**DEFAULT_QPS, **dict(args.qps)}, enabled=not args.no_qps_limits),
        FaultInjector(args.random_seed),
    )
    if args.seed:
        try:
            state.seed(json.loads(args.seed.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            parser.error(f"cannot load seed file {args.seed}: {exc}")
    app = EmulatorApp(state, RequestVerifier(keys))
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
        if store is not None:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
