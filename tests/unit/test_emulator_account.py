"""The emulated account on a fake clock, its SQLite store, and the verifier's nonce memory (no HTTP)."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import sqlite3
from pathlib import Path

import pytest

from vod_emulator.auth import ALLOWED_CLOCK_SKEW_SECONDS, AccessKey, RawRequest, RequestVerifier
from vod_emulator.errors import ApiError
from vod_emulator.models import Video, VodAccount
from vod_emulator.store import DATABASE_NAME, SqliteStore, StateDirError

VIDEO, GIF = "v" * 32, '{"Format":"gif","SetDefaultCover":"true"}'


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def account(clock: FakeClock, store: SqliteStore | None = None, region: str = "cn-shanghai") -> VodAccount:
    vod = VodAccount(region, job_duration=5.0, seed=7, clock=clock, store=store)
    vod.add_video(Video(VIDEO, "a video"))
    return vod


def test_a_job_runs_for_the_job_duration_then_succeeds_with_images_and_sets_the_cover() -> None:
    clock = FakeClock()
    vod = account(clock)
    template = vod.add_ai_template("cover", "AIImage", GIF)

    job = vod.submit_ai_image_job(VIDEO, template.template_id, None, None)
    running = (job.status(clock.now + 4.9), vod.list_ai_image_info(VIDEO), vod.get_video(VIDEO, None)[1])
    clock.now += 5.0
    listed = vod.list_ai_image_info(VIDEO)
    _, cover = vod.get_video(VIDEO, None)

    assert running == ("processing", [], "")
    assert job.status(clock.now) == "success" and len(listed) == 2
    assert cover == max(job.images, key=lambda i: i.score).url


def test_the_default_template_moves_and_cannot_be_deleted() -> None:
    vod = account(FakeClock())
    first, second = (vod.add_ai_template(n, "AIImage", GIF) for n in ("first", "second"))

    vod.set_default_ai_template(first.template_id)
    vod.set_default_ai_template(second.template_id)
    with pytest.raises(ApiError) as refused:
        vod.delete_ai_template(second.template_id)
    vod.delete_ai_template(first.template_id)

    assert [(t.name, t.is_default) for t in vod.list_ai_templates("AIImage")] == [("second", True)]
    assert (refused.value.http_status, refused.value.code) == (403, "Forbidden.DefaultTemplate")


def test_the_store_brings_back_everything_and_a_replayed_seed_skips_ids_in_use(tmp_path: Path) -> None:
    clock = FakeClock()
    before = account(clock, SqliteStore(tmp_path, "cn-shanghai"))
    template = before.add_ai_template("kept", "AIImage", GIF)
    before.set_default_ai_template(template.template_id)
    job = before.submit_ai_image_job(VIDEO, template.template_id, '{"Extend":{}}', "pipeline-1")

    after = VodAccount("cn-shanghai", job_duration=5.0, seed=7, clock=clock, store=SqliteStore(tmp_path, "cn-shanghai"))
    again = after.submit_ai_image_job(VIDEO, template.template_id, None, None)

    assert after.videos == before.videos and after.templates == before.templates
    assert after.jobs[job.job_id] == job
    assert again.job_id not in (job.job_id, template.template_id)
    assert {i.info_id for i in again.images}.isdisjoint({i.info_id for i in job.images})


# The schema 1 layout, as emulators before job progress modes wrote it.
SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE videos (video_id TEXT PRIMARY KEY, title TEXT NOT NULL, status TEXT NOT NULL, fail_ai_jobs INTEGER NOT NULL,
    reference_id TEXT, duration REAL NOT NULL, size INTEGER NOT NULL, created_at REAL NOT NULL);
CREATE TABLE templates (template_id TEXT PRIMARY KEY, name TEXT NOT NULL, template_type TEXT NOT NULL, config TEXT NOT NULL,
    created_at REAL NOT NULL, modified_at REAL NOT NULL, is_default INTEGER NOT NULL, source TEXT NOT NULL);
CREATE TABLE jobs (job_id TEXT PRIMARY KEY, video_id TEXT NOT NULL, template_id TEXT NOT NULL, template_config TEXT NOT NULL,
    user_data TEXT, pipeline_id TEXT, created_at REAL NOT NULL, ends_at REAL NOT NULL, fails INTEGER NOT NULL,
    images TEXT NOT NULL);
INSERT INTO meta VALUES ('region', 'cn-shanghai'), ('schema', '1');
INSERT INTO videos VALUES ('vvvv', 'old video', 'Normal', 1, 'ref-000001', 12.5, 2048, 1700000000.0);
INSERT INTO templates VALUES ('tttt', 'old', 'AIImage', '{}', 1700000000.0, 1700000000.0, 1, 'Custom');
INSERT INTO jobs VALUES ('jjjj', 'vvvv', 'tttt', '{}', NULL, NULL, 1700000000.0, 1700000002.0, 0,
    '[{"info_id": "iiii", "url": "http://o/vvvv/image/ai/jjjj-00001.gif", "score": 5.5, "image_format": "gif"}]');
"""


def test_a_schema_1_state_dir_is_migrated_in_place_and_then_holds_jobs_waiting_for_an_end(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DATABASE_NAME) as old:
        old.executescript(SCHEMA_1)

    store = SqliteStore(tmp_path, "cn-shanghai")
    [video], [template], [job] = store.load()
    waiting = dataclasses.replace(job, job_id="kkkk", ends_at=None, images=())
    store.put_job(waiting)
    store.put_video(dataclasses.replace(video, video_id="wwww", description="d", cate_id=3))
    store.close()
    reopened = SqliteStore(tmp_path, "cn-shanghai").load()

    assert (video.video_id, video.fail_ai_jobs, video.reference_id, video.description) == ("vvvv", True, "ref-000001", None)
    assert (template.template_id, template.is_default) == ("tttt", True)
    assert (job.ends_at, job.images[0].info_id, job.images[0].score) == (1700000002.0, "iiii", 5.5)
    assert job.images[0].version == hashlib.md5(b"version:iiii").hexdigest()
    assert reopened[2] == [job, waiting] and (reopened[0][1].description, reopened[0][1].cate_id) == ("d", 3)


def test_a_state_dir_serves_one_region_only(tmp_path: Path) -> None:
    SqliteStore(tmp_path, "cn-shanghai").close()

    with pytest.raises(StateDirError, match="holds the state of region cn-shanghai, not cn-beijing"):
        SqliteStore(tmp_path, "cn-beijing")


def test_reset_empties_memory_and_store(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path, "cn-shanghai")
    vod = account(FakeClock(), store)
    vod.add_ai_template("t", "AIImage", GIF)

    vod.reset()

    assert store.load() == ([], [], []) and (vod.videos, vod.templates, vod.jobs) == ({}, {}, {})


def _v3_request(nonce: str, date: str, body: bytes = b"", content_type: str | None = None) -> RawRequest:
    headers = {"host": "h", "x-acs-action": "GetVideoInfo", "x-acs-version": "2017-03-21", "x-acs-date": date,
               "x-acs-signature-nonce": nonce, "x-acs-content-sha256": hashlib.sha256(body).hexdigest()}
    if content_type:
        headers["content-type"] = content_type
    names = sorted(headers)
    canonical = "\n".join(["POST", "/", "", "".join(f"{n}:{headers[n]}\n" for n in names), ";".join(names),
                           headers["x-acs-content-sha256"]])
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    signature = hmac.new(b"secret", to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = f"ACS3-HMAC-SHA256 Credential=key,SignedHeaders={';'.join(names)},Signature={signature}"
    form = [("VideoId", VIDEO)] if body else []
    return RawRequest("POST", "/", [], headers, body, form)


def test_a_v3_form_body_is_covered_by_its_hash_and_a_nonce_is_remembered_for_two_clock_windows() -> None:
    clock = FakeClock(1_704_067_200.0)  # 2024-01-01T00:00:00Z
    verifier = RequestVerifier([AccessKey("key", "secret")], clock=clock)
    form = f"VideoId={VIDEO}".encode()

    assert verifier.verify(_v3_request("n1", "2024-01-01T00:00:00Z", form, "application/x-www-form-urlencoded")).scheme == "V3"
    tampered = _v3_request("n2", "2024-01-01T00:00:00Z", form, "application/x-www-form-urlencoded")
    with pytest.raises(ApiError, match="SignatureDoesNotMatch"):
        verifier.verify(RawRequest(tampered.method, "/", [], tampered.headers, b"VideoId=other", tampered.form))
    clock.now += 2 * ALLOWED_CLOCK_SKEW_SECONDS - 1
    with pytest.raises(ApiError, match=r"InvalidTimeStamp\.Expired"):
        verifier.verify(_v3_request("n1", "2024-01-01T00:00:00Z"))
    with pytest.raises(ApiError, match="SignatureNonceUsed"):
        verifier.verify(_v3_request("n1", "2024-01-01T00:29:59Z"))
    clock.now += 2
    assert verifier.verify(_v3_request("n1", "2024-01-01T00:30:01Z")).scheme == "V3"  # forgotten, and harmless now
