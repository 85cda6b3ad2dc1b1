"""An S3-compatible server as the tests meet it: a real `moto_server` process on 127.0.0.1.

Pulumi's DIY backend keeps a stack's checkpoint and its lock files in a bucket of it, exactly as it
would in Alibaba OSS. The server accepts any AccessKey; pulumi still needs one to sign with. Once
`enforce_keys()` has run, it accepts only the keys it made, each with its IAM policy (moto checks
signatures and policies from then on, server-wide: give such a server no other test's buckets).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3  # comes with moto[server]
import requests

from tests.support.pulumi_stack import VENV_BIN
from tests.support.server_process import ServerProcess

_LISTENING = re.compile(r"Running on (http://127\.0\.0\.1:\d+)")
# What a preview needs of the state bucket (the checkpoint, the journal beside it), and nothing it could change.
READ_ONLY_ACTIONS = ["s3:GetObject", "s3:ListBucket"]


@dataclass(frozen=True)
class BucketKeys:
    """AccessKeys of an IAM-enforcing server: one may do anything to the bucket, the other only read it."""

    read_write: tuple[str, str]
    read_only: tuple[str, str]


class S3Server:
    """Start with `start()`, stop with `stop()`; one bucket per test via `create_bucket()`."""

    def __init__(self, log_file: Path) -> None:
        self.log_file = log_file  # the server logs every request: kept for a failing test to read
        self.url = ""
        self._server = ServerProcess("moto_server", _LISTENING, log_file)
        self._s3: Any = None
        self._key: tuple[str, str] | None = None  # once enforce_keys() ran: the read/write key the tests read with

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

    def enforce_keys(self, buckets: str) -> BucketKeys:
        """Make a read/write and a read-only key for the buckets named by `buckets` (an IAM resource name, e.g. a
        prefix and `*`), then refuse every request not signed by a key it made; the tests then use the read/write key."""
        iam = boto3.client("iam", endpoint_url=self.url, region_name="us-east-1", **self._keyword_keys(self._signing_key()))

        def user(name: str, actions: list[str]) -> tuple[str, str]:
            iam.create_user(UserName=name)
            statement = {"Effect": "Allow", "Action": actions, "Resource": [f"arn:aws:s3:::{buckets}", f"arn:aws:s3:::{buckets}/*"]}
            iam.put_user_policy(UserName=name, PolicyName=f"{name}-policy",
                                PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
            key = iam.create_access_key(UserName=name)["AccessKey"]
            return str(key["AccessKeyId"]), str(key["SecretAccessKey"])

        keys = BucketKeys(read_write=user("state-writer", ["s3:*"]), read_only=user("state-reader", READ_ONLY_ACTIONS))
        # moto_server's switch (moto/moto_api): authenticate and authorize every request from now on.
        requests.post(f"{self.url}/moto-api/reset-auth", data=b"0", timeout=10).raise_for_status()
        self._s3, self._key = None, keys.read_write
        return keys

    @staticmethod
    def key_environment(key: tuple[str, str]) -> dict[str, str]:
        return {"AWS_ACCESS_KEY_ID": key[0], "AWS_SECRET_ACCESS_KEY": key[1]}

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
            self._s3 = boto3.client("s3", endpoint_url=self.url, region_name="us-east-1", **self._keyword_keys(self._signing_key()))
        return self._s3

    def _signing_key(self) -> tuple[str, str]:
        if self._key is not None:
            return self._key
        keys = self.environment(Path("/nonexistent"))
        return keys["AWS_ACCESS_KEY_ID"], keys["AWS_SECRET_ACCESS_KEY"]

    @staticmethod
    def _keyword_keys(key: tuple[str, str]) -> dict[str, str]:
        return {"aws_access_key_id": key[0], "aws_secret_access_key": key[1]}


@contextmanager
def running_s3_server(log_file: Path) -> Iterator[S3Server]:
    """A started S3Server, stopped on the way out (a fixture's whole life)."""
    server = S3Server(log_file).start()
    try:
        yield server
    finally:
        server.stop()
