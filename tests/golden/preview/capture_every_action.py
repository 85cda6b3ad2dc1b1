"""Regenerate every-action/: a real `pulumi preview --json --show-sames` digest touching every job and template action.

    .venv/bin/python -m tests.golden.preview.capture_every_action

Runs the real pulumi CLI against a throwaway emulator: `up` on the first specs, then previews the
second (kept in every-action/specs/). The digest is trimmed to what vod_provider.cli.preview_plan reads
(no `__provider` blobs, stack traces or temp paths), so it stays reviewable and machine-independent.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from tests.support.account import OTHER_TEMPLATE, TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulators import emulators
from tests.support.pulumi_stack import PulumiStack

HERE = Path(__file__).resolve().parent / "every-action"

BEFORE = f"""
    templates:
      animated-cover: {{format: gif, setDefaultCover: true}}
      old-still: {{format: png, setDefaultCover: false}}
    jobs:
      trailer-cover: {{videoId: {VIDEOS["trailer"]}, templateId: {TEMPLATE}, userData: {{Extend: {{campaign: spring}}}}}}
      keynote-cover: {{videoId: {VIDEOS["keynote"]}, template: animated-cover}}
      interview-cover: {{videoId: {VIDEOS["interview"]}, templateId: {TEMPLATE}}}
      teaser-cover: {{videoId: {VIDEOS["teaser"]}, templateId: {TEMPLATE}}}
      interview-still: {{videoId: {VIDEOS["interview"]}, templateId: {OTHER_TEMPLATE}}}
      keynote-still: {{videoId: {VIDEOS["keynote"]}, templateId: {OTHER_TEMPLATE}}}
    """

AFTER = """
    templates:
      animated-cover: {{format: png, setDefaultCover: true}}
      still: {{format: png, setDefaultCover: false}}
    jobs:
      trailer-cover: {{videoId: {trailer}, templateId: {template}, userData: {{Extend: {{campaign: "summer|fall"}}}}}}
      keynote-cover: {{videoId: {keynote}, template: still}}
      interview-cover: {{videoId: {interview}, templateId: {template}, revision: 1}}
      interview-portrait: {{videoId: {interview}, templateId: {other}, aliases: [interview-still]}}
      keynote-still: {{videoId: {keynote}, templateId: {other}}}
      teaser-gif: {{videoId: {teaser}, template: animated-cover, wait: 10s}}
      legacy-teaser-cover: {{videoId: {teaser}, templateId: {template}, adopt: {adopted}}}
    """


def trimmed(digest: dict[str, Any]) -> dict[str, Any]:
    def state(value: dict[str, Any] | None) -> dict[str, Any] | None:
        if not value:
            return None
        inputs = {k: v for k, v in (value.get("inputs") or {}).items() if k != "__provider"}
        return {"urn": value["urn"], "type": value["type"], "id": value.get("id"), "inputs": inputs}

    steps = [{"op": s["op"], "urn": s["urn"], **({"replaceReasons": s["replaceReasons"]} if s.get("replaceReasons") else {}),
              "oldState": state(s.get("oldState")), "newState": state(s.get("newState"))} for s in digest["steps"]]
    return {"steps": steps, "changeSummary": digest.get("changeSummary", {})}


def main() -> None:
    with emulators() as fleet:
        emulator = fleet.start(templates=(TEMPLATE, OTHER_TEMPLATE))
        work = Path(tempfile.mkdtemp(prefix="vodjobs-capture-"))
        stack = PulumiStack(work, "prod", work / "pulumi-home").init(emulator.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
        stack.write_spec("covers.yaml", BEFORE)
        stack.up()
        adopted = stack.outputs()["jobIds"]["teaser-cover"]
        after = AFTER.format(adopted=adopted, template=TEMPLATE, other=OTHER_TEMPLATE, **VIDEOS)
        spec = stack.write_spec("covers.yaml", after)
        digest = json.loads(stack.run("preview", "--json", "--show-sames", "--stack", "prod").stdout)
        (HERE / "specs").mkdir(parents=True, exist_ok=True)
        (HERE / "specs" / "covers.yaml").write_text(spec.read_text())
        (HERE / "digest.json").write_text(json.dumps(trimmed(digest), indent=2) + "\n")


if __name__ == "__main__":
    main()
