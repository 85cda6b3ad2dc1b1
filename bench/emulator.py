"""How many signed SubmitAIImageJob calls per second the emulator serves to 8 concurrent clients.

Starts `python -m vod_emulator` as its own process (QPS limits off, state in SQLite in a temp
dir, as a restart-safe emulator runs), then runs N client threads for a fixed time. Each signs
every call with the project's own signer (VodClient.signed_request_parts: V3, fresh date and
nonce) and sends it on its own keep-alive connection with http.client. The client's pacing and
retries are left out on purpose: they would measure the client, not the emulator. Prints one line:

    SubmitAIImageJob: 4210 calls in 5.00 s = 842 calls/s (8 clients, 0 errors, p50 8.9 ms, p99 21.0 ms)

Usage: python bench/emulator.py [--clients 8] [--seconds 5] [--memory]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from tests.support.emulator_process import AccessKeyPair  # noqa: E402
from tests.support.emulators import emulators  # noqa: E402
from vod_provider.api.client import VodClient  # noqa: E402
from vod_provider.api.credentials import Credentials  # noqa: E402

KEY_ID, SECRET = "LTAI5tVodjobsBenchKey001", "vodjobs-bench-secret"
VIDEO, TEMPLATE = "b" * 32, "c" * 32


def run_clients(url: str, clients: int, seconds: float) -> tuple[int, int, list[float], float]:
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(n: int) -> None:
        signer = VodClient(url, Credentials(KEY_ID, SECRET))
        connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=30)
        params = {"VideoId": VIDEO, "AITemplateId": TEMPLATE, "UserData": '{"Extend":{"bench":"1"}}'}
        start.wait()
        while (before := time.perf_counter()) < stop_at[0]:
            target, headers = signer.signed_request_parts("SubmitAIImageJob", params)
            connection.request("POST", target[len(url):], body=b"", headers=headers)
            response = connection.getresponse()
            body = json.loads(response.read())
            if response.status != 200 or len(body.get("JobId", "")) != 32:
                failures[n] += 1
                continue
            latencies[n].append(time.perf_counter() - before)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + 3600
    start.wait()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    merged = [x for per_client in latencies for x in per_client]
    return len(merged), sum(failures), merged, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--memory", action="store_true", help="no --state-dir: keep the emulator's state in memory only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vod-bench-") as tmp, emulators(AccessKeyPair(KEY_ID, SECRET)) as fleet:
        emulator = fleet.start("--no-qps-limits", job_duration=3600, state_dir=None if args.memory else Path(tmp), seed=False)
        emulator.seed([VIDEO], [TEMPLATE])
        ok, failed, latencies, elapsed = run_clients(emulator.url, args.clients, args.seconds)
    if not latencies:
        print(f"SubmitAIImageJob: no successful call in {elapsed:.2f} s ({failed} errors)")
        return 1
    cuts = statistics.quantiles(latencies, n=100)
    print(f"SubmitAIImageJob: {ok} calls in {elapsed:.2f} s = {ok / elapsed:.0f} calls/s "
          f"({args.clients} clients, {failed} errors, p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, "
          f"state {'memory' if args.memory else 'SQLite'})")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
