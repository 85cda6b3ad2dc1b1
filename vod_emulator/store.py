"""SQLite persistence of the emulated account: the only SQL in the emulator.

The account keeps its state in memory and writes every change through here, so a
restarted emulator on the same `--state-dir` knows every video, template and job.

Schema 2 (this one): `jobs.ends_at` may be NULL (a job waiting for its admin call in manual
progress), each image in `jobs.images` has a `version`, videos have their optional metadata.
A state dir of schema 1 is migrated in place when opened.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path

from vod_emulator.entities import AIImage, Job, Template, Video

DATABASE_NAME = "vod-emulator.sqlite3"
SCHEMA_VERSION = "2"

_JOBS_TABLE = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY, video_id TEXT NOT NULL, template_id TEXT NOT NULL, template_config TEXT NOT NULL,
    user_data TEXT, pipeline_id TEXT, created_at REAL NOT NULL, ends_at REAL, fails INTEGER NOT NULL,
    images TEXT NOT NULL);
"""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS videos (
    video_id TEXT PRIMARY KEY, title TEXT NOT NULL, status TEXT NOT NULL, fail_ai_jobs INTEGER NOT NULL,
    reference_id TEXT, duration REAL NOT NULL, size INTEGER NOT NULL, created_at REAL NOT NULL,
    description TEXT, tags TEXT, cate_id INTEGER, cate_name TEXT, user_data TEXT);
CREATE TABLE IF NOT EXISTS templates (
    template_id TEXT PRIMARY KEY, name TEXT NOT NULL, template_type TEXT NOT NULL, config TEXT NOT NULL,
    created_at REAL NOT NULL, modified_at REAL NOT NULL, is_default INTEGER NOT NULL, source TEXT NOT NULL);
""" + _JOBS_TABLE
# Schema 1 → 2. SQLite cannot drop NOT NULL from a column, so the jobs table is copied into a new one.
_MIGRATE_1_TO_2 = """
ALTER TABLE videos ADD COLUMN description TEXT;
ALTER TABLE videos ADD COLUMN tags TEXT;
ALTER TABLE videos ADD COLUMN cate_id INTEGER;
ALTER TABLE videos ADD COLUMN cate_name TEXT;
ALTER TABLE videos ADD COLUMN user_data TEXT;
ALTER TABLE jobs RENAME TO jobs_schema1;
""" + _JOBS_TABLE + """
INSERT INTO jobs SELECT * FROM jobs_schema1;
DROP TABLE jobs_schema1;
"""


class StateDirError(Exception):
    """The state directory cannot be used (unreadable, or made for another region)."""


class SqliteStore:
    """One database file under the state dir. Thread-safe (one connection behind a lock)."""

    def __init__(self, state_dir: Path, region: str) -> None:
        try:
            state_dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(state_dir / DATABASE_NAME, check_same_thread=False, isolation_level=None)
            # WAL with synchronous=NORMAL survives a killed process; only a power loss may drop the last writes.
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        except (OSError, sqlite3.Error) as exc:
            raise StateDirError(f"cannot open the state in {state_dir}: {exc}") from exc
        self._lock = threading.Lock()
        self._claim(state_dir, region)

    def _claim(self, state_dir: Path, region: str) -> None:
        rows = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if rows.get("region", region) != region:
            raise StateDirError(f"{state_dir} holds the state of region {rows['region']}, not {region}; use another --state-dir")
        schema = rows.get("schema", SCHEMA_VERSION)
        if schema == "1":
            try:
                self._migrate_from_schema_1()
            except sqlite3.Error as exc:
                raise StateDirError(f"cannot bring {state_dir} from schema 1 to {SCHEMA_VERSION}: {exc}") from exc
        elif schema != SCHEMA_VERSION:
            raise StateDirError(f"{state_dir} holds state of schema {schema}; this emulator reads {SCHEMA_VERSION}")
        else:
            self._db.executescript(_SCHEMA)
        self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [("region", region), ("schema", SCHEMA_VERSION)])

    def _migrate_from_schema_1(self) -> None:
        # One transaction (SQLite's DDL is transactional): a crash midway leaves the schema 1 state as it was.
        self._db.executescript("BEGIN;" + _MIGRATE_1_TO_2)
        try:
            for job_id, images in self._db.execute("SELECT job_id, images FROM jobs").fetchall():
                # Schema 1 images had no version; derive a stable one from the image's own id.
                upgraded = [{"version": hashlib.md5(f"version:{i['info_id']}".encode()).hexdigest(), **i}
                            for i in json.loads(images)]
                self._db.execute("UPDATE jobs SET images = ? WHERE job_id = ?", (json.dumps(upgraded), job_id))
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def load(self) -> tuple[list[Video], list[Template], list[Job]]:
        with self._lock:
            videos = [
                Video(r[0], r[1], r[2], bool(r[3]), *r[4:])
                for r in self._db.execute("SELECT * FROM videos ORDER BY rowid")
            ]
            templates = [
                Template(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7])
                for r in self._db.execute("SELECT * FROM templates ORDER BY rowid")
            ]
            jobs = [
                Job(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]),
                    tuple(AIImage(**image) for image in json.loads(r[9])))
                for r in self._db.execute("SELECT * FROM jobs ORDER BY rowid")
            ]
        return videos, templates, jobs

    def put_video(self, video: Video) -> None:
        self._write(
            "INSERT OR REPLACE INTO videos VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (video.video_id, video.title, video.status, int(video.fail_ai_jobs), video.reference_id,
             video.duration, video.size, video.created_at,
             video.description, video.tags, video.cate_id, video.cate_name, video.user_data),
        )

    def put_template(self, template: Template) -> None:
        self._write(
            "INSERT OR REPLACE INTO templates VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (template.template_id, template.name, template.template_type, template.config,
             template.created_at, template.modified_at, int(template.is_default), template.source),
        )

    def delete_template(self, template_id: str) -> None:
        self._write("DELETE FROM templates WHERE template_id = ?", (template_id,))

    def put_job(self, job: Job) -> None:
        images = json.dumps([
            {"info_id": i.info_id, "url": i.url, "score": i.score, "image_format": i.image_format, "version": i.version}
            for i in job.images
        ])
        self._write(
            "INSERT OR REPLACE INTO jobs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (job.job_id, job.video_id, job.template_id, job.template_config, job.user_data, job.pipeline_id,
             job.created_at, job.ends_at, int(job.fails), images),
        )

    def clear(self) -> None:
        with self._lock:
            self._db.executescript("DELETE FROM videos; DELETE FROM templates; DELETE FROM jobs;")

    def _write(self, sql: str, values: tuple[object, ...]) -> None:
        with self._lock:
            self._db.execute(sql, values)

