"""What `vodjobs recover` repairs and decides, on the files a killed run leaves behind."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
from pathlib import Path

import pytest

from vod_provider.safety.recovery import StackLock, repair_file_checkpoint, stack_locks, stale_lock_verdict


def checkpoint_dir(tmp_path: Path) -> Path:
    path = tmp_path / ".pulumi" / "stacks" / "vodjobs"
    path.mkdir(parents=True)
    return path


def test_an_empty_metadata_sidecar_left_by_a_kill_is_rewritten(tmp_path: Path) -> None:
    stacks = checkpoint_dir(tmp_path)
    (stacks / "prod.json").write_text('{"version": 3}')
    (stacks / "prod.json.attrs").write_text("")

    said = repair_file_checkpoint(f"file://{tmp_path}", "vodjobs", "prod")

    assert said == "rewrote the torn metadata file prod.json.attrs"
    attrs = json.loads((stacks / "prod.json.attrs").read_text())
    assert attrs["md5"] == base64.b64encode(hashlib.md5(b'{"version": 3}').digest()).decode()


def test_a_torn_checkpoint_is_restored_from_its_backup(tmp_path: Path) -> None:
    stacks = checkpoint_dir(tmp_path)
    (stacks / "prod.json").write_text('{"version": 3, "checkpoint": {"lat')
    (stacks / "prod.json.bak").write_text('{"version": 3}')

    assert repair_file_checkpoint(f"file://{tmp_path}", "vodjobs", "prod") == "restored the torn checkpoint prod.json from its .bak copy"
    assert (stacks / "prod.json").read_text() == '{"version": 3}'


def test_a_healthy_checkpoint_and_other_backends_are_left_alone(tmp_path: Path) -> None:
    stacks = checkpoint_dir(tmp_path)
    (stacks / "prod.json").write_text('{"version": 3}')
    assert repair_file_checkpoint(f"file://{tmp_path}", "vodjobs", "prod") is None
    assert repair_file_checkpoint("s3://bucket?region=cn-shanghai", "vodjobs", "prod") is None


def test_a_torn_checkpoint_without_backup_is_an_error_saying_where_to_look(tmp_path: Path) -> None:
    (checkpoint_dir(tmp_path) / "prod.json").write_text("{")
    with pytest.raises(OSError, match=r"restore it from \.pulumi/history"):
        repair_file_checkpoint(f"file://{tmp_path}", "vodjobs", "prod")


def test_the_stack_lock_names_its_process(tmp_path: Path) -> None:
    locks = tmp_path / ".pulumi" / "locks" / "organization" / "vodjobs" / "prod"
    locks.mkdir(parents=True)
    (locks / "1b2c.json").write_text(json.dumps({"pid": 999999, "username": "ci", "hostname": "nowhere", "timestamp": "t"}))

    [lock] = stack_locks(f"file://{tmp_path}", "vodjobs", "prod")

    assert (lock.pid, lock.hostname, lock.holder_alive) == (999999, "nowhere", True)  # another machine: assumed alive


NOW = 1_800_000_000.0


@pytest.mark.parametrize(("lock", "local", "cancel", "verdict"), [
    (StackLock("l", 1, "another-host", NOW - 60), False, False, None),  # a live run elsewhere, maybe: keep it
    (StackLock("l", 1, "another-host", NOW - 60), False, True, "you said its run is dead (--cancel-stale-lock)"),
    (StackLock("l", 1, "another-host", NOW - 7 * 3600), False, False, "it is 7.0 h old, older than any run lives (--stale-lock-seconds 21600)"),
    (StackLock("l", 999999, socket.gethostname(), NOW - 60), True, False, "pid 999999 is gone"),
])
def test_a_lock_goes_only_when_its_run_is_dead(lock: StackLock, local: bool, cancel: bool, verdict: str | None) -> None:
    assert stale_lock_verdict(lock, local, cancel, 6 * 3600, NOW) == verdict
