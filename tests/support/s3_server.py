"""An S3-compatible server as the tests meet it: a real `moto_server` process on 127.0.0.1.

Pulumi's DIY backend keeps a stack's checkpoint and its lock files in a bucket of it, exactly as it
would in Alibaba OSS. The server accepts any AccessKey; pulumi still needs one to sign with.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import boto3  # comes with moto[server]

from tests.support.pulumi_stack import VENV_BIN
from tests.support.server_process import ServerProcess

_LISTENING = re.compile(r"Running on (http://127\.0\.0\.1:\d+)")


class S3Server:
    """Start with `start()`, stop with `stop()`; one bucket per test via `create_bucket()`."""

    def __init__(self, log_file: Path) -> None:
        self.log_file = log_file  # the server logs every request: kept for a failing test to read
        self.url = ""
        self._server = ServerProcess("moto_server", _LISTENING, log_file)
        self._s3: Any = None

    def start(self, timeout: float = 30.0) -> S3Server:
        self.url = self._server.start([str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", "0"], timeout)
        return self

    def stop(self) -> None:
        self._server.stop()
        self._s3 = None

    # -- what pulumi needs -----------------------------------------------------------------

    def backend_url(self, bucket: str) -> str:
        """The `pulumi login` URL of a bucket on this server (path-style: no per-bucket DNS on 127.0.0.1)."""
        return f"s3://{bucket}?endpoint={self.url}&use_path_style=true&region=us-east-1"

    @staticmethod
    def environment(workdir: Path) -> dict[str, str]:
        """Dummy AccessKey for the SDK to sign with, and no AWS files of the machine's user."""
        return {
            "AWS_ACCESS_KEY_ID": "vodjobs-test-state-key",
            "AWS_SECRET_ACCESS_KEY": "vodjobs-test-state-secret",
            "AWS_CONFIG_FILE": str(workdir / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(workdir / "no-aws-credentials"),
        }

    # -- the bucket, read as a test would (signed: moto refuses anonymous reads of objects) ----

    def create_bucket(self, bucket: str) -> None:
        self._client().create_bucket(Bucket=bucket)

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        """Every object key under `prefix` (a test bucket holds far fewer than one page of 1,000)."""
        listed = self._client().list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(str(item["Key"]) for item in listed.get("Contents", []))

    def read(self, bucket: str, key: str) -> str:
        body: bytes = self._client().get_object(Bucket=bucket, Key=key)["Body"].read()
        return body.decode()

    def _client(self) -> Any:
        if self._s3 is None:
            keys = self.environment(Path("/nonexistent"))
            self._s3 = boto3.client("s3", endpoint_url=self.url, region_name="us-east-1",
                                    aws_access_key_id=keys["AWS_ACCESS_KEY_ID"], aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"])
        return self._s3
