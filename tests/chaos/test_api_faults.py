"""Throttling and lost answers while hundreds of jobs go at once: no job twice, no JobId lost."""

from __future__ import annotations

import re

from tests.support.chaos import assert_exactly_once, scaled, throttle_codes, write_many
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack


def test_throttled_submits_are_retried_until_every_job_exists_once(
    chaos_stack: PulumiStack, fresh_emulator: EmulatorProcess
) -> None:
    count = scaled(200, 40)
    fresh_emulator.set_faults({"actions": {"SubmitAIImageJob": {"errorRate": 0.3, "errorCode": "Throttling.User"}}})
    write_many(chaos_stack, count)

    chaos_stack.up()

    assert len([e for e in throttle_codes(fresh_emulator) if e["action"] == "SubmitAIImageJob"]) > 0
    assert_exactly_once(fresh_emulator, chaos_stack, count)


def test_pacing_under_max_qps_never_provokes_throttling(chaos_stack: PulumiStack, fresh_emulator: EmulatorProcess) -> None:
    count = scaled(200, 40)
    fresh_emulator.set_faults({"qps": {"SubmitAIImageJob": 25}})
    chaos_stack.run("config", "set", "--stack", chaos_stack.name, "vodjobs:maxQps", "20")
    write_many(chaos_stack, count)

    chaos_stack.up()

    assert throttle_codes(fresh_emulator) == []
    assert_exactly_once(fresh_emulator, chaos_stack, count)


def test_lost_answers_are_named_and_the_documented_recovery_ends_with_state_equal_to_the_service(
    chaos_stack: PulumiStack, fresh_emulator: EmulatorProcess
) -> None:
    count = scaled(200, 40)
    fresh_emulator.set_faults({"actions": {"SubmitAIImageJob": {"dropResponseRate": 0.1}}})
    write_many(chaos_stack, count)

    first = chaos_stack.up("--continue-on-error", check=False)

    dropped = [e for e in fresh_emulator.calls(0, "SubmitAIImageJob") if (e.get("fault") or {}).get("droppedResponse")]
    named = set(re.findall(r"job '(job-\d{4})': the job MAY HAVE BEEN SUBMITTED", first.output))
    assert len(dropped) > 0 and first.returncode != 0
    assert len(named) == len(dropped)
    assert "x-acs-signature-nonce" in first.output
    fresh_emulator.clear_faults()

    recovered = chaos_stack.vodjobs("recover", "--stack", chaos_stack.name, "--settle-seconds", "10", "--up")

    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    assert recovered.stdout.count("found in the service as JobId") == len(dropped)
    assert_exactly_once(fresh_emulator, chaos_stack, count)
