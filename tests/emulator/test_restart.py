"""State lives in SQLite under --state-dir: a restarted emulator still knows every video, template and job."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from tests.emulator.plain_client import V1Client
from tests.support.account import TEMPLATE, TEST_KEY
from tests.support.emulator_process import PROJECT_ROOT, EmulatorProcess
from tests.support.emulators import StartEmulator

AIIMAGE = '{"Format":"png","SetDefaultCover":"false"}'


def client_for(process: EmulatorProcess) -> V1Client:
    return V1Client(process.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)


def test_a_restarted_emulator_still_returns_the_job_its_template_and_its_video(
    start_emulator: StartEmulator, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    video = uuid.uuid4().hex
    first = start_emulator("--random-seed", "7", state_dir=state, job_duration=0.1)
    first.seed([video], [])
    before = client_for(first)
    template = before.call("AddAITemplate", {"TemplateName": "kept", "TemplateType": "AIImage",
                                             "TemplateConfig": AIIMAGE}).json()["TemplateId"]
    job_id = before.call("SubmitAIImageJob", {"VideoId": video, "AITemplateId": template}).json()["JobId"]
    first.stop()

    second = start_emulator("--random-seed", "7", state_dir=state, seed=False)
    after = client_for(second)
    [job] = after.call("GetAIImageJobs", {"JobIds": job_id}).json()["AIImageJobList"]
    kept = after.call("GetAITemplate", {"TemplateId": template}).json()["TemplateInfo"]
    again = after.call("SubmitAIImageJob", {"VideoId": video, "AITemplateId": TEMPLATE}).json()["JobId"]

    assert (job["JobId"], job["VideoId"], job["TemplateId"], job["Status"]) == (job_id, video, template, "success")
    assert (kept["TemplateName"], kept["TemplateConfig"]) == ("kept", AIIMAGE)
    assert after.call("GetVideoInfo", {"VideoId": video}).status == 200
    assert again not in (job_id, template)  # the same --random-seed replays ids; those in use are skipped
    assert len(after.call("ListAIImageInfo", {"VideoId": video}).json()["AIImageInfoList"]) == 2


def test_a_state_dir_of_another_region_is_refused_at_start(start_emulator: StartEmulator, tmp_path: Path) -> None:
    start_emulator(state_dir=tmp_path).stop()

    refused = subprocess.run(
        [sys.executable, "-m", "vod_emulator", "--region", "cn-beijing", "--state-dir", str(tmp_path)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30,
    )

    assert refused.returncode == 2 and refused.stdout == ""
    assert f"{tmp_path} holds the state of region cn-shanghai, not cn-beijing" in refused.stderr
