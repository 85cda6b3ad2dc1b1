"""The engine `make setup` installs is the one the README promises."""

from __future__ import annotations

import re
import subprocess

from tests.support.pulumi_stack import PROJECT_ROOT, find_pulumi


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_pulumi_version_is_the_pinned_engine_or_a_newer_official_cli() -> None:
    printed = subprocess.run([find_pulumi(), "version"], capture_output=True, text=True, check=True).stdout.strip()

    pinned = "v" + (PROJECT_ROOT / ".pulumi.version").read_text().strip()
    sdk = re.search(r"^pulumi==(\S+)$", (PROJECT_ROOT / "requirements.txt").read_text(), re.M)
    assert pinned and sdk
    assert re.fullmatch(r"v\d+\.\d+\.\d+", printed), printed
    assert printed == pinned or _version_tuple(printed) >= _version_tuple(sdk[1])
