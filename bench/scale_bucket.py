"""The pipeline's state backend for `bench/scale.py --pipeline`: a local moto S3 server process, one bucket per side.

As in CI (README "CI/CD"): the stack's state is in a bucket, vodjobs keeps its submission journal beside it
(`.vodjobs/journal/`, the default for an s3:// backend), and `make ci-up` runs with PULUMI_SKIP_CHECKPOINTS=true.

The server logs every request line (`"PUT /<bucket>/<key> HTTP/1.1" 200 -`); `BucketLog` reads what was logged
since its last reading and counts, per bucket, the journal's requests by kind and everything else (Pulumi's state,
lock and history objects), plus the server's CPU seconds meanwhile.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.procwatch import cpu_seconds
from tests.support.s3_server import S3Server

_REQUEST = re.compile(r'"(GET|PUT|POST|DELETE|HEAD) /([^/? ]+)([^ ]*) HTTP')


def request_kind(method: str, rest: str) -> str:
    """What one logged request to a bucket is: a journal request by kind, or Pulumi's own. Pure.

    `rest` is what follows the bucket in the request line: `/<key>` or `?<query>`. Only vodjobs sends DeleteObjects
    (`POST ?delete`); Pulumi deletes its objects one by one.
    """
    if method == "POST" and rest.startswith("?delete"):
        return "journal DeleteObjects"
    if ".vodjobs" not in rest:
        return "pulumi"
    if "list-type=2" in rest:
        return "journal LIST"
    return f"journal {method}"


def count_requests(lines: list[str], bucket: str) -> dict[str, int]:
    """The requests to `bucket` among logged lines, by kind (request_kind). Pure."""
    counts: dict[str, int] = {}
    for line in lines:
        found = _REQUEST.search(line)
        if found and found.group(2) == bucket:
            kind = request_kind(found.group(1), found.group(3))
            counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class BucketUse:
    requests: dict[str, int]
    server_cpu_seconds: float


class BucketLog:
    """The moto server's request log and CPU, read from where the last reading stopped."""

    def __init__(self, server: S3Server, pid: int) -> None:
        self._server = server
        self._pid = pid
        self._offset = 0
        self._cpu = cpu_seconds(pid) or 0.0

    def since_last(self, bucket: str) -> BucketUse:
        with self._server.log_file.open("rb") as log:
            log.seek(self._offset)
            text = log.read()
        complete = text[:text.rfind(b"\n") + 1]  # a line still being written is read next time
        self._offset += len(complete)
        cpu, self._cpu = self._cpu, cpu_seconds(self._pid) or 0.0
        return BucketUse(count_requests(complete.decode(errors="replace").splitlines(), bucket), round(self._cpu - cpu, 2))


@dataclass(frozen=True)
class BucketBackend:
    """One side's state backend: a bucket of the bench's S3 server, as `pulumi login` and the AWS SDK see it."""

    server: S3Server
    bucket: str
    workdir: Path

    @property
    def url(self) -> str:
        return self.server.backend_url(self.bucket)

    def env(self) -> dict[str, str]:
        return S3Server.environment(self.workdir)

    def state_bytes(self, stack: str) -> int:
        [key] = [k for k in self.server.keys(self.bucket, ".pulumi/stacks/") if k.endswith(f"/{stack}.json")]
        return len(self.server.read(self.bucket, key).encode())


_PEAK_OF = "import {imports}\n{then}\nprint(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')))"


def s3_client_bytes(python: str) -> int:
    """What boto3's S3 client adds to a dynamic provider process's peak RSS, in bytes, measured now.

    The README chose boto3 for the journal's bucket (a well-kept client over our own, even a heavier one), so the
    pipeline's provider memory target allows exactly this much more than the floor's: the peak RSS (VmHWM) of a Python
    that imports what the dynamic provider server imports and creates one S3 client, minus that of one that does not.
    """
    def peak(imports: str, then: str = "") -> int:
        code = _PEAK_OF.format(imports=imports, then=then)
        return int(subprocess.run([python, "-c", code], check=True, capture_output=True, text=True).stdout) * 1024

    client = "boto3.client('s3', region_name='us-east-1', aws_access_key_id='x', aws_secret_access_key='y')"
    return max(0, min(peak("pulumi.dynamic, boto3", client) for _ in range(3)) - min(peak("pulumi.dynamic") for _ in range(3)))
