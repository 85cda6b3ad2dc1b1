"""The processes a command started, read from /proc (Linux only): for killing a run's leftovers, or watching them."""

from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")


def stat_fields(pid: int) -> list[str] | None:
    """Fields 3 on of /proc/<pid>/stat (state, ppid, …), or None when the process is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: the fields after the last ')' are fixed (field 3 on).
    return stat[stat.rfind(")") + 2:].split()


def descendants(root: int) -> list[int]:
    """The processes `root` started, and theirs, at this moment (not `root` itself)."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        fields = stat_fields(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found
