"""The script media teams run today: Alibaba's official SDK looping SubmitAIImageJob over every job.

It paces nothing and retries throttling the way the SDK is told to (darabonba RetryOptions: the
`Throttling*` codes, exponential backoff with full jitter), sequentially or on several threads.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from alibabacloud_tea_openapi.models import Config
from alibabacloud_vod20170321.client import Client
from alibabacloud_vod20170321.models import SubmitAIImageJobRequest
from darabonba.policy.retry import RetryCondition, RetryOptions

THROTTLING_CODES = ["Throttling", "Throttling.User", "Throttling.Api"]
# The SDK counts delays in milliseconds.
SDK_RETRY = RetryOptions(retryable=True, retry_condition=[RetryCondition(
    error_code=THROTTLING_CODES, max_attempts=12,
    backoff={"policy": "ExponentialWithFullJitter", "period": 100, "cap": 10_000},
)])


@dataclass(frozen=True)
class NaiveJob:
    video_id: str
    template_id: str


def sdk_client(endpoint: str, access_key_id: str, access_key_secret: str) -> Client:
    return Client(Config(access_key_id=access_key_id, access_key_secret=access_key_secret, region_id="cn-shanghai",
                         endpoint=urlsplit(endpoint).netloc, protocol="http", retry_options=SDK_RETRY))


def submit_all(endpoint: str, access_key: tuple[str, str], jobs: Sequence[NaiveJob], threads: int) -> list[str]:
    """Submit every job once (threads take every `threads`-th job); the errors of the jobs that failed."""
    failures: list[str] = []
    lock = threading.Lock()

    def worker(share: Sequence[NaiveJob]) -> None:
        client = sdk_client(endpoint, *access_key)
        for job in share:
            try:
                client.submit_aiimage_job(SubmitAIImageJobRequest(video_id=job.video_id, aitemplate_id=job.template_id))
            except Exception as error:  # the script's user sees it; the bench counts it
                with lock:
                    failures.append(f"{job.video_id}: {error}")

    workers = [threading.Thread(target=worker, args=(jobs[n::threads],)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return failures
