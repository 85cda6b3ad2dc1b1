"""The dynamic provider's contract, called in-process against an emulator over real HTTP."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.dynamic.dynamic import serialize_provider

from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.pulumi_stack import PROJECT_ROOT
from tests.support.scripted_server import ScriptedServer
from vod_emulator.server import EmulatorServer
from vod_provider.api.credentials import CredentialsError
from vod_provider.api.errors import VodError
from vod_provider.api.settings import SettingsError
from vod_provider.providers.adoption import ADOPTION_BATCH, DECLARED_AT
from vod_provider.resources import AIImageJobProvider
from vod_provider.safety.submission import JobMaybeSubmittedError
from vod_provider.template_resource import AITemplateProvider

JOB = {"videoId": VIDEOS["trailer"], "templateId": TEMPLATE, "userData": '{"Extend":{"a":"b"}}'}


def configured(endpoint: str, **extra: str) -> AIImageJobProvider:
    provider = AIImageJobProvider()
    values = {"vodjobs:endpoint": endpoint, "vodjobs:accessKeyId": TEST_KEY.access_key_id,
              "vodjobs:accessKeySecret": TEST_KEY.access_key_secret, **extra}
    provider.configure(ConfigureRequest(Config(values, "vodjobs")))
    return provider


def submits(server: EmulatorServer) -> list[dict[str, Any]]:
    return [e for e in server.app.requests() if e["action"] == "SubmitAIImageJob"]


def test_create_submits_once_and_records_the_job_id(inprocess_emulator: EmulatorServer) -> None:
    provider = configured(inprocess_emulator.url)

    result = provider.create({"__provider": "x", **JOB, "pipelineId": None})

    [submit] = submits(inprocess_emulator)
    assert result.id == submit["response"]["JobId"]
    assert result.outs is not None
    submitted_at = result.outs.pop("submittedAt")
    assert result.outs == {**JOB, "jobId": result.id, "requestId": submit["requestId"], "status": "submitted",
                           "templateId": TEMPLATE}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", submitted_at)


def test_four_concurrent_creates_submit_four_distinct_jobs(inprocess_emulator: EmulatorServer) -> None:
    provider = configured(inprocess_emulator.url)
    jobs = [{**JOB, "videoId": video} for video in VIDEOS.values()]

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(lambda job: provider.create(job).id, jobs))

    assert len(set(ids)) == 4
    assert len(submits(inprocess_emulator)) == 4


def test_diff_is_explicit_and_only_job_inputs_replace() -> None:
    provider = AIImageJobProvider()
    recorded = {"__provider": "old", **JOB, "jobId": "j", "requestId": "r"}

    unchanged = provider.diff("j", recorded, {"__provider": "new", **JOB})
    changed = provider.diff("j", recorded, {"__provider": "old", **JOB, "videoId": VIDEOS["keynote"]})

    assert (unchanged.changes, unchanged.replaces) == (False, [])
    assert (changed.changes, changed.replaces, changed.delete_before_replace) == (True, ["videoId"], False)


def test_check_keeps_job_inputs_and_rejects_missing_ones() -> None:
    provider = AIImageJobProvider()

    ok = provider.check({}, {"__provider": "p", **JOB, "pipelineId": None})
    bad = provider.check({}, {"__provider": "p", "videoId": VIDEOS["trailer"]})

    assert (ok.inputs, ok.failures) == (JOB, [])
    assert [(f.property, f.reason) for f in bad.failures] == [("templateId", "templateId is required")]


def test_read_updates_status_and_results_and_keeps_an_unknown_job(
    inprocess_emulator: EmulatorServer, capfd: pytest.CaptureFixture[str]
) -> None:
    provider = configured(inprocess_emulator.url)
    job_id = provider.create(dict(JOB)).id

    known = provider.read(job_id, {"__provider": "p", **JOB, "jobId": job_id, "status": "submitted"})
    gone = provider.read("0" * 32, {"__provider": "p", **JOB, "jobName": "lost", "jobId": "0" * 32})

    assert known.outs is not None and gone.outs is not None
    assert (known.id, known.outs["jobId"], known.outs["status"]) == (job_id, job_id, "success")
    assert [sorted(r) for r in known.outs["results"]] == [["Score", "Url"], ["Score", "Url"]]
    assert (gone.id, gone.outs["status"]) == ("0" * 32, "notFound")
    assert "job 'lost': job 00000000000000000000000000000000 is not known to the service any more" in capfd.readouterr().err


def test_wait_records_the_outcome_of_a_failed_job(inprocess_emulator: EmulatorServer) -> None:
    inprocess_emulator.app.seed({"videos": [{"VideoId": "e" * 32, "FailAIJobs": True}]})
    provider = configured(inprocess_emulator.url)

    result = provider.create({**JOB, "videoId": "e" * 32, "jobName": "doomed", "waitSeconds": 30.0})

    assert result.outs is not None
    assert (result.outs["status"], result.outs["jobId"]) == ("fail", result.id)
    assert result.outs["errorCode"] and result.outs["errorMessage"]


def test_adopting_an_existing_job_submits_nothing(inprocess_emulator: EmulatorServer) -> None:
    provider = configured(inprocess_emulator.url)
    existing = provider.create(dict(JOB)).id
    before = len(submits(inprocess_emulator))

    check = provider.check({}, {**JOB, "adopt": existing})
    adopted = provider.create({**JOB, "adopt": existing})

    assert check.failures == []
    assert adopted.id == existing and len(submits(inprocess_emulator)) == before
    assert adopted.outs is not None and adopted.outs["status"] == "success"


def test_adopting_a_job_that_differs_from_the_spec_names_the_fields(inprocess_emulator: EmulatorServer) -> None:
    provider = configured(inprocess_emulator.url)
    existing = provider.create(dict(JOB)).id

    check = provider.check({}, {**JOB, "videoId": VIDEOS["keynote"], "userData": None, "adopt": existing})

    assert [f.reason.split(": ", 1)[1] for f in check.failures] == [
        f"videoId: spec {VIDEOS['keynote']!r}, job {VIDEOS['trailer']!r}",
        """userData: spec None, job '{"Extend":{"a":"b"}}'""",
    ]


def test_adoption_checks_made_one_by_one_share_calls_through_the_batch_they_name(inprocess_emulator: EmulatorServer) -> None:
    # As the engine makes them: one check after another, each adopting job naming the JobIds of its batch.
    provider = configured(inprocess_emulator.url)
    existing = [provider.create(dict(JOB)).id for _ in range(12)]
    before = inprocess_emulator.app.log_position()

    checks = [provider.check({}, {**JOB, "adopt": job_id, ADOPTION_BATCH: existing[n // 10 * 10:n // 10 * 10 + 10]})
              for n, job_id in enumerate(existing)]

    reads = [e for e in inprocess_emulator.app.requests(before) if e["action"] == "GetAIImageJobs"]
    assert [check.failures for check in checks] == [[]] * 12
    assert len(reads) == 2
    assert all(ADOPTION_BATCH not in check.inputs for check in checks)  # a hint: never kept in state, never diffed


def test_an_adoption_that_fails_its_check_names_where_the_spec_declares_it(inprocess_emulator: EmulatorServer) -> None:
    provider = configured(inprocess_emulator.url)
    existing = provider.create(dict(JOB)).id

    check = provider.check({}, {**JOB, "videoId": VIDEOS["keynote"], "adopt": existing, DECLARED_AT: "specs/legacy.csv:7"})
    unknown = provider.check({}, {**JOB, "adopt": "0" * 32, DECLARED_AT: "specs/legacy.csv:8"})

    assert [f.reason for f in check.failures] == [
        f"specs/legacy.csv:7: job {existing} differs from the spec: videoId: spec {VIDEOS['keynote']!r}, job {VIDEOS['trailer']!r}"]
    assert [f.reason for f in unknown.failures] == [f"specs/legacy.csv:8: no image-AI job {'0' * 32} exists in this account and region"]
    assert DECLARED_AT not in check.inputs


def test_delete_calls_no_api_and_can_repeat(inprocess_emulator: EmulatorServer) -> None:
    provider = configured(inprocess_emulator.url)
    before = inprocess_emulator.app.log_position()

    provider.delete("j", {**JOB, "jobId": "j"})
    provider.delete("j", {**JOB, "jobId": "j"})

    assert inprocess_emulator.app.log_position() == before


def test_without_credentials_diff_works_and_create_says_what_to_set() -> None:
    provider = AIImageJobProvider()
    provider.configure(ConfigureRequest(Config({"vodjobs:endpoint": "http://127.0.0.1:9"}, "vodjobs")))

    assert provider.diff("j", {**JOB}, {**JOB}).changes is False
    with pytest.raises(CredentialsError, match="ALIBABA_CLOUD_ACCESS_KEY_SECRET"):
        provider.create(dict(JOB))


def test_an_unknown_setting_is_remembered_and_stops_the_first_api_call(inprocess_emulator: EmulatorServer) -> None:
    before = inprocess_emulator.app.log_position()
    provider = configured(inprocess_emulator.url, **{"vodjobs:endpiont": "http://127.0.0.1:9"})

    assert provider.diff("j", {**JOB}, {**JOB}).changes is False
    with pytest.raises(SettingsError, match=re.escape("vodjobs:endpiont is not a vodjobs setting: did you mean vodjobs:endpoint?")):
        provider.create(dict(JOB))
    assert inprocess_emulator.app.log_position() == before


def test_a_revoked_access_key_is_no_answer_about_a_template(inprocess_emulator: EmulatorServer) -> None:
    templates = AITemplateProvider()
    configured(inprocess_emulator.url)
    created = templates.create({"templateName": "kept", "templateConfig": '{"Format":"gif","SetDefaultCover":"false"}'})
    configured(inprocess_emulator.url, **{"vodjobs:accessKeyId": "LTAIrevokedKey0000"})

    for call in (lambda: templates.read(created.id, {}), lambda: templates.delete(created.id, {})):
        with pytest.raises(VodError) as raised:
            call()
        assert raised.value.code == "InvalidAccessKeyId.NotFound"
    configured(inprocess_emulator.url)
    assert templates.read(created.id, {}).id == created.id  # VOD still holds it
    templates.delete(created.id, {})
    assert templates.read(created.id, {}).id is None  # InvalidAITemplate.NotFound: gone
    templates.delete(created.id, {})  # deleting twice is safe


def test_the_pickled_provider_is_a_small_reference_without_config(inprocess_emulator: EmulatorServer) -> None:
    provider = configured(inprocess_emulator.url)
    pickled = serialize_provider(provider)

    assert len(pickled) < 200
    raw = base64.b64decode(pickled)
    assert b"vod_provider.resources" in raw and b"AIImageJobProvider" in raw
    assert TEST_KEY.access_key_secret.encode() not in raw and inprocess_emulator.url.encode() not in raw
    assert serialize_provider(AIImageJobProvider()) == pickled
    loaded = subprocess.run(
        [sys.executable, "-c", f"import base64, dill; print(type(dill.loads(base64.b64decode('{pickled}'))).__name__)"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    )
    assert loaded.stdout.strip() == "AIImageJobProvider"


def test_a_submit_that_may_have_run_names_the_job_and_the_request(scripted: list[ScriptedServer]) -> None:
    server = ScriptedServer([(500, {"Code": "InternalError", "Message": "boom", "RequestId": "REQ-42"})])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    scripted.append(server)
    provider = configured(f"http://127.0.0.1:{server.server_address[1]}")

    with pytest.raises(JobMaybeSubmittedError) as raised:
        provider.create({**JOB, "jobName": "trailer-cover"})

    message = str(raised.value)
    assert "job 'trailer-cover': the job MAY HAVE BEEN SUBMITTED (RequestId REQ-42)" in message
    assert "adopt: <JobId>" in message and VIDEOS["trailer"] in message
    assert server.hits == 1


def test_without_any_access_key_an_adoption_is_reported_not_verified_and_only_create_fails(
    inprocess_emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    for name in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALIBABA_CLOUD_CREDENTIALS_FILE", str(tmp_path / "none.ini"))
    provider = AIImageJobProvider()
    provider.configure(ConfigureRequest(Config({"vodjobs:endpoint": inprocess_emulator.url}, "vodjobs")))

    check = provider.check({}, {**JOB, "jobName": "legacy", "adopt": "9" * 32})

    assert check.failures == []
    assert f"vodjobs: job 'legacy': will adopt {'9' * 32} (not verified: no read key)" in capsys.readouterr().err
    with pytest.raises(CredentialsError, match="no Alibaba Cloud AccessKey found"):
        provider.create({**JOB, "adopt": "9" * 32})
    assert inprocess_emulator.app.requests() == []
