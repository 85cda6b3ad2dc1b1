"""The spec corpus: cases under invalid/ and valid/, each a folder of spec files checked as one set.

An invalid case holds `expected.txt`: every line the loader reports for it, exactly as
SpecError prints it, with paths relative to the case folder. A case too big to commit
is generated here (GENERATED) into a temporary copy of its folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
INVALID = HERE / "invalid"
VALID = HERE / "valid"
TEN_MB = 10 * 1024 * 1024


def _ten_megabytes() -> str:
    line = "# " + "padding " * 12 + "\n"
    return "jobs: {}\n" + line * (TEN_MB // len(line) + 1)


GENERATED: dict[str, dict[str, Callable[[], str]]] = {
    "file-too-large": {"huge.yaml": _ten_megabytes},
}


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path

    @property
    def expected(self) -> list[str]:
        return (self.folder / "expected.txt").read_text(encoding="utf-8").splitlines()

    def materialise(self, into: Path) -> Path:
        """A copy of the case's folder with its generated files written; returns the copy."""
        target = into / self.name
        shutil.copytree(self.folder, target)
        for filename, make in GENERATED.get(self.name, {}).items():
            (target / filename).write_text(make(), encoding="utf-8")
        return target


def spec_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml"))


def invalid_cases() -> list[Case]:
    return [Case(p.name, p) for p in sorted(INVALID.iterdir()) if p.is_dir()]


def valid_cases() -> list[Case]:
    return [Case(p.name, p) for p in sorted(VALID.iterdir()) if p.is_dir()]
