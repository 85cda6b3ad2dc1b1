"""The journal in a bucket: one object per event, read with one paged LIST, against a real S3-compatible server (moto)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from tests.support.s3_server import S3Server
from vod_provider.safety.bucket_journal import BucketJournal, BucketJournalError, object_key, parse_key
from vod_provider.safety.journal_location import BucketJournalLocation, parse_bucket_url

KEY = "vodjobs/ci/trailer-cover"
H1, H2 = "a" * 32, "b" * 32
_buckets = itertools.count(1)


@pytest.mark.parametrize("entry", [
    {"event": "submitting", "job": KEY, "inputs": H1, "at": 1796320565.123456},
    {"event": "submitted", "job": KEY, "inputs": H1, "at": 1796320566.5, "jobId": "e4163026add51a8cc4ecd05c48cd168d",
     "requestId": "74583434-321B-124F-C177-E1871407DA56"},
    {"event": "not-submitted", "job": "p/s/job.with.dots-and_underscores", "inputs": H2, "at": 1.0},
    {"event": "recorded", "job": KEY, "at": 2.25, "jobId": "J1"},
])
def test_an_event_key_holds_every_lookup_field(entry: dict[str, object]) -> None:
    key = object_key(".vodjobs/journal", entry, "0123abcd")

    assert key.startswith(f".vodjobs/journal/{entry['job']}/")
    assert parse_key(".vodjobs/journal", key) == entry


def test_event_keys_sort_by_time() -> None:
    keys = [object_key("j", {"event": "submitting", "job": KEY, "at": at}, "n") for at in (9.5, 10.0, 100.25)]

    assert keys == sorted(keys)


@pytest.mark.parametrize("key", ["j/p/s/job", "j/p/s/job/notanumber.submitting.-.-.-.n", "other/p/s/job/1.a.b.c.d.e"])
def test_keys_that_are_not_events_are_passed_over(key: str) -> None:
    assert parse_key("j", key) is None


@pytest.mark.parametrize(("url", "expected"), [
    ("s3://state?endpoint=http://127.0.0.1:9000&use_path_style=true&region=us-east-1",
     BucketJournalLocation("state", "x", "http://127.0.0.1:9000", "us-east-1", True)),
    ("s3://bucket/team/a?region=cn-shanghai&endpoint=https://oss-cn-shanghai.aliyuncs.com",
     BucketJournalLocation("bucket", "team/a/x", "https://oss-cn-shanghai.aliyuncs.com", "cn-shanghai", False)),
    ("s3://b/p?s3ForcePathStyle=true", BucketJournalLocation("b", "p/x", None, None, True)),
])
def test_bucket_urls_read_as_pulumi_writes_them(url: str, expected: BucketJournalLocation) -> None:
    assert parse_bucket_url(url, "vodjobs:journalUrl", "x") == expected


@pytest.fixture
def bucket(s3_server: S3Server, tmp_path: Path) -> Iterator[BucketJournalLocation]:
    name = f"journal-{next(_buckets)}"
    s3_server.create_bucket(name)
    with mock.patch.dict(os.environ, S3Server.environment(tmp_path)):
        yield parse_bucket_url(s3_server.backend_url(name), "test", ".vodjobs/journal")


def test_a_submission_is_found_by_a_new_process_with_one_list(bucket: BucketJournalLocation, s3_server: S3Server) -> None:
    writer = BucketJournal(bucket)
    writer.record("submitting", KEY, H1, token="nonce", input={"videoId": "v"})
    writer.record("submitted", KEY, H1, jobId="J1", requestId="R1")
    writer.flush()

    reader = BucketJournal(bucket)
    found = reader.lookup(KEY, H1)

    assert found is not None and (found.state, found.job_id, found.request_id) == ("submitted", "J1", "R1")
    assert reader.lookup(KEY, H2) is None
    assert len(s3_server.keys(bucket.bucket, bucket.prefix)) == 2


def test_settling_deletes_the_submission_objects(bucket: BucketJournalLocation, s3_server: S3Server) -> None:
    journal = BucketJournal(bucket)
    journal.record("submitting", KEY, H1)
    journal.record("submitted", KEY, H1, jobId="J1", requestId="R1")
    journal.record("submitting", "vodjobs/ci/other", H2)
    journal.flush()

    assert BucketJournal(bucket).holds_job(KEY, "J1")
    journal.settle(KEY, "J1")
    journal.flush()

    assert [parse_key(bucket.prefix, k)["job"] for k in s3_server.keys(bucket.bucket, bucket.prefix)] == ["vodjobs/ci/other"]  # type: ignore[index]
    assert BucketJournal(bucket).lookup(KEY, H1) is None


def test_a_stack_entry_keeps_what_recovery_needs(bucket: BucketJournalLocation) -> None:
    journal = BucketJournal(bucket)
    journal.record("submitting", KEY, H1, token="nonce-1", input={"videoId": "v", "templateId": "t", "userDataSha256": ""})

    entries = BucketJournal(bucket).stack_entries("vodjobs", "ci")

    assert [(e["event"], e["token"], e["input"]["videoId"]) for e in entries] == [("submitting", "nonce-1", "v")]


def test_a_missing_bucket_stops_the_write_naming_the_bucket(s3_server: S3Server, tmp_path: Path) -> None:
    with mock.patch.dict(os.environ, S3Server.environment(tmp_path)):
        journal = BucketJournal(parse_bucket_url(s3_server.backend_url("no-such-bucket"), "test", "j"))
        with pytest.raises(BucketJournalError) as raised:
            journal.record("submitting", KEY, H1)

    message = str(raised.value)
    assert "s3://no-such-bucket/j" in message and "NoSuchBucket" in message and "create it" in message
    assert "vodjobs-test-state-secret" not in message


def test_an_unreachable_endpoint_stops_the_lookup(tmp_path: Path) -> None:
    location = parse_bucket_url("s3://b?endpoint=http://127.0.0.1:9&use_path_style=true&region=us-east-1", "test", "j")
    with mock.patch.dict(os.environ, S3Server.environment(tmp_path)):
        with pytest.raises(BucketJournalError, match=r"unreachable .* check the endpoint"):
            BucketJournal(location).lookup(KEY, H1)


def test_a_write_before_the_first_lookup_does_not_hide_the_rest_of_the_stack(bucket: BucketJournalLocation) -> None:
    BucketJournal(bucket).record("submitting", "vodjobs/ci/earlier", H1)
    journal = BucketJournal(bucket)
    journal.record("forgotten", KEY, H2)

    found = journal.lookup("vodjobs/ci/earlier", H1)

    assert found is not None and found.state == "submitting"
