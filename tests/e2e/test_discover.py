"""Onboarding a team whose scripts already ran jobs (#15): `vodjobs discover` writes a spec that adopts them, through
the real pulumi CLI and an emulator of its own (jobs end at once).

25 videos in the team's catalogue, 20 of them with a finished job submitted by the official SDK (18 tagged with a
campaign, 2 with a callback): discover writes a job set and two plain jobs; the preview shows 20 adoptions, `up`
submits nothing and records the 20 JobIds; the 5 videos without a job are named.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator

import pytest
from alibabacloud_vod20170321.models import SubmitAIImageJobRequest

from tests.support.account import OTHER_TEMPLATE, TEMPLATE, TEST_KEY
from tests.support.emulator_clients import sdk_client
from tests.support.emulator_process import EmulatorProcess
from tests.support.emulators import emulators
from tests.support.pulumi_stack import PulumiStack
from tests.support.vodjobs_command import vodjobs_preview

VIDEOS = [hashlib.md5(f"discover-catalogue-{n}".encode()).hexdigest() for n in range(25)]
WITH_JOB, WITHOUT_JOB = VIDEOS[:20], VIDEOS[20:]


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorProcess]:
    """An emulator of this module's own: jobs end as they are submitted, so they are found at once."""
    with emulators() as fleet:
        yield fleet.start("--job-progress", "immediate", templates=(TEMPLATE, OTHER_TEMPLATE))


@pytest.fixture
def stack(new_stack: PulumiStack, emulator: EmulatorProcess) -> PulumiStack:
    return new_stack.init(emulator.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)


def legacy_script_jobs(emulator: EmulatorProcess) -> dict[str, str]:
    """What the team's scripts did before vodjobs: one job per video of WITH_JOB; video → JobId."""
    emulator.add_videos(*({"VideoId": video, "Title": f"trailer {n}"} for n, video in enumerate(VIDEOS)))
    sdk = sdk_client(emulator)
    job_ids = {}
    for n, video in enumerate(WITH_JOB):
        user_data = ({"Extend": {"campaign": f"season-{n % 3}", "source": "legacy-script"}} if n < 18
                     else {"MessageCallback": {"CallbackURL": f"https://hooks.example.com/{n}"}})
        answer = sdk.submit_aiimage_job(SubmitAIImageJobRequest(video_id=video, aitemplate_id=TEMPLATE,
                                                                user_data=json.dumps(user_data)))
        job_ids[video] = answer.body.job_id
    return job_ids


def test_discover_writes_a_spec_that_adopts_every_existing_job_and_up_submits_nothing(
    stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    job_ids = legacy_script_jobs(emulator)
    (stack.project_dir / "catalogue.csv").write_text("videoId,title\n" + "".join(f"{v},trailer {n}\n" for n, v in enumerate(VIDEOS)))
    mark = emulator.log_position()

    discovered = stack.vodjobs("discover", "--videos", "catalogue.csv", "--stack", stack.name)

    assert discovered.returncode == 0, discovered.stderr
    calls = Counter(c["action"] for c in emulator.calls(mark))
    assert calls == {"ListAIImageInfo": 25, "GetAIImageJobs": 2}
    assert "Found 20 jobs to adopt on 20 videos." in discovered.stdout
    assert "Next: `pulumi preview` shows 20 adoptions" in discovered.stdout  # the stack's glob reads what it wrote
    assert "5 videos without a job (listed in specs/discovered-without-job.txt)" in discovered.stdout
    assert all(f"  {video}\n" in discovered.stdout for video in WITHOUT_JOB)
    assert (stack.project_dir / "specs" / "discovered-without-job.txt").read_text().split() == WITHOUT_JOB
    assert "discover: 25/25 videos listed (ListAIImageInfo)" in discovered.stderr  # a log gets lines, not a bar
    spec = (stack.project_dir / "specs" / "discovered.yaml").read_text()
    assert "campaign: '{userData.Extend.campaign}'" in spec and "source: legacy-script" in spec
    assert (stack.project_dir / "specs" / "discovered.csv").read_text().count("\n") == 1 + 18
    names = {video: f"discovered-{video}" for video in WITH_JOB}

    mark = emulator.log_position()
    code, planned = vodjobs_preview(stack)
    assert code == 0, planned
    assert {job["name"]: (job["action"], job["adopt"]) for job in planned["jobs"]} == {
        names[video]: ("adopt", job_id) for video, job_id in job_ids.items()}
    # The engine checks the 20 adoptions one after another; each names its batch of 10, read in one call.
    assert Counter(c["action"] for c in emulator.calls(mark)) == {"GetAIImageJobs": 2}

    mark = emulator.log_position()
    stack.up()
    up_calls = Counter(c["action"] for c in emulator.calls(mark))
    # 2 for the checks (batches of 10); the creates' lookups meet in batches as they run at once (6 in all, measured).
    assert set(up_calls) == {"GetAIImageJobs"} and up_calls["GetAIImageJobs"] <= 12, up_calls
    # A hint for check: neither inputs nor outputs keep it (the engine lists each input's name, with no value, in a
    # resource's propertyDependencies).
    resources = json.loads(stack.state_text())["checkpoint"]["latest"]["resources"]
    assert not [r["urn"] for r in resources if "adoptionBatch" in {**r.get("inputs", {}), **r.get("outputs", {})}]
    assert stack.outputs()["jobIds"] == {names[video]: job_id for video, job_id in job_ids.items()}
    assert {name: r.id for name, r in stack.recorded().items()} == {names[v]: j for v, j in job_ids.items()}
    stack.preview("--expect-no-changes")

    again = stack.vodjobs("discover", "--videos", "catalogue.csv", "--stack", stack.name)
    assert again.returncode == 2 and "already exist: add --force" in again.stderr
