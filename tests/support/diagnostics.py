"""The error diagnostics of a `pulumi up`/`preview` run, as its non-interactive output prints them, one per error.

After the progress lines, Pulumi prints a `Diagnostics:` section: per resource a header at two spaces,
`  <type> (<name>):`, then its messages at four spaces. An error starts with `error: ` and goes on over the lines
below it, up to a blank line or the next message (`error:`, `warning:`, `info:`, or a provider's `vodjobs:` line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADER = re.compile(r"^  (\S+) \((.+)\):$")
_MESSAGE_START = re.compile(r"^    (error|warning|info|debug|vodjobs): ")


@dataclass(frozen=True)
class ErrorDiagnostic:
    """One error Pulumi printed: the resource it is under (type and name) and its lines, `error: ` taken off the first."""

    resource_type: str
    resource_name: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def error_diagnostics(stdout: str) -> list[ErrorDiagnostic]:
    """Every error of the `Diagnostics:` section of `stdout`, in the order printed; [] when there is none."""
    _, found, section = stdout.partition("\nDiagnostics:\n")
    if not found:
        return []
    errors: list[ErrorDiagnostic] = []
    resource: tuple[str, str] | None = None
    current: list[str] | None = None

    def close() -> None:
        nonlocal current
        if current is not None and resource is not None:
            errors.append(ErrorDiagnostic(resource[0], resource[1], tuple(current)))
        current = None

    for line in section.splitlines():
        if line and not line.startswith(" "):
            break  # the section ends at the next unindented line (Outputs:, Resources:)
        header = _HEADER.match(line)
        if header:
            close()
            resource = (header.group(1), header.group(2))
            continue
        start = _MESSAGE_START.match(line)
        if start or not line.strip():
            close()
            if start and start.group(1) == "error":
                current = [line[len("    error: "):]]
        elif current is not None:
            current.append(line.removeprefix("    "))
    close()
    return errors
