"""An endpoint whose name does not resolve sends nothing, says so, and costs nothing to fix."""

from __future__ import annotations

import json

from tests.support.account import TEST_KEY
from tests.support.diagnostics import error_diagnostics
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack
from tests.support.specs import two_covers

# `vodjobs:region cn-shangai` gives https://vod.cn-shangai.aliyuncs.com, which resolves nowhere; a name under
# `.invalid` (RFC 6761) fails the same way on every machine, with or without DNS.
TYPO_ENDPOINT = "https://vod.cn-shangai.invalid"


def journal_events(stack: PulumiStack) -> dict[str, list[str]]:
    """Each job's journal events, in order."""
    events: dict[str, list[str]] = {}
    for path in (stack.project_dir / ".vodjobs" / "journal").glob("*.jsonl"):
        for line in path.read_text().splitlines():
            entry = json.loads(line)
            events.setdefault(entry["job"].rsplit("/", 1)[1], []).append(entry["event"])
    return events


def test_a_name_that_does_not_resolve_sends_nothing_and_the_fixed_up_submits_each_job_once(
    new_stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    stack = new_stack.init(TYPO_ENDPOINT, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
    stack.write_spec("covers.yaml", two_covers())
    mark = emulator.log_position()

    failed = stack.up(check=False)

    assert failed.returncode != 0
    # One error per job; Pulumi also repeats each error's first line in its progress lines, so count the diagnostics.
    said = [e.text for e in error_diagnostics(failed.stdout)
            if "https://vod.cn-shangai.invalid: its host name does not resolve (DNS lookup failed); "
               "nothing was sent (3 attempts over" in e.text]
    assert len(said) == 2
    assert "MAY HAVE BEEN SUBMITTED" not in failed.output
    events = journal_events(stack)
    assert sorted(events) == ["keynote-cover", "trailer-cover"]
    assert all(e[-1] == "not-submitted" and "ambiguous" not in e for e in events.values()), events

    stack.run("config", "set", "--stack", stack.name, "vodjobs:endpoint", emulator.url)
    fixed = stack.up()

    submitted = emulator.submitted_job_ids(mark)
    assert len(submitted) == 2 and sorted(stack.outputs()["jobIds"].values()) == sorted(submitted)
    assert [c["action"] for c in emulator.calls(mark)] == ["SubmitAIImageJob"] * 2
    assert "in doubt" not in fixed.output and "journal" not in fixed.output
