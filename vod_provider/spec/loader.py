"""Spec files (YAML under specs/) → validated, frozen JobSpec and TemplateSpec objects.

Every problem in every file is collected first, then raised once as a SpecError
whose lines read `path:line:column: field: message [code]`. Loading the same
files in another order gives the same list. Once a JobSpec exists it is valid;
later code does not check it again. The format itself is defined in
`spec.schema` (see specs/README.md); one file is checked by `spec.checks`;
this module adds what needs every file at once: unique names and ids, and
template references that resolve.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Sequence
from pathlib import Path

from vod_provider.spec.checks import DocumentChecker
from vod_provider.spec.model import JobSpec, Mention, ParsedSpec, SpecError, SpecIssue, SpecSet, TemplateSpec
from vod_provider.spec.schema import USER_DATA_MAX_BYTES
from vod_provider.spec.yaml_nodes import MAX_FILE_BYTES, file_too_large, read_yaml

__all__ = [
    "DEFAULT_SPEC_GLOB", "USER_DATA_MAX_BYTES", "JobSpec", "ParsedSpec", "SpecError", "SpecIssue", "SpecSet",
    "TemplateSpec", "display_path", "find_spec_files", "load_spec_files", "parse_spec_text",
]

DEFAULT_SPEC_GLOB = "specs/**/*.yaml"


def find_spec_files(pattern: str, root: Path) -> list[Path]:
    """Files matching a glob relative to `root` (recursive `**` allowed), sorted."""
    full = pattern if Path(pattern).is_absolute() else str(root / pattern)
    return sorted(Path(p) for p in glob.glob(full, recursive=True) if Path(p).is_file())


def load_spec_files(paths: Sequence[Path], root: Path) -> SpecSet:
    """Load and validate every file as one set; raise one SpecError listing all problems.

    Files are shown relative to `root` when they are below it.
    """
    issues: list[SpecIssue] = []
    parsed: list[ParsedSpec] = []
    shown = [display_path(p, root) for p in paths]
    for path, name in zip(paths, shown, strict=True):
        text, problem = _read(path, name)
        if problem is not None:
            issues.append(problem)
            continue
        assert text is not None
        parsed.append(parse_spec_text(text, name))
    for one in parsed:
        issues.extend(one.issues)
    issues.extend(cross_file_issues([m for one in parsed for m in one.mentions]))
    if issues:
        raise SpecError(issues)
    jobs = sorted((job for one in parsed for job in one.jobs), key=lambda j: j.name)
    templates = sorted((t for one in parsed for t in one.templates), key=lambda t: t.name)
    return SpecSet(tuple(jobs), tuple(sorted(set(shown))), tuple(templates))


def parse_spec_text(text: str, file: str) -> ParsedSpec:
    """Check one spec document. Pure: the jobs and templates it declares, its mentions, the problems found."""
    return DocumentChecker(file, read_yaml(text)).check()


def cross_file_issues(mentions: Iterable[Mention]) -> list[SpecIssue]:
    """Names and ids that collide across files, and template references that resolve to nothing."""
    ordered = sorted(mentions)
    issues: list[SpecIssue] = []
    first: dict[tuple[str, str], Mention] = {}
    for mention in ordered:
        space = _NAMESPACE.get(mention.kind)
        if space is None:
            continue
        other = first.setdefault((space, mention.value), mention)
        if other is not mention:
            issues.append(_collision(mention, other))
    declared = {m.value for m in ordered if m.kind == "template"}
    for mention in ordered:
        if mention.kind == "template-ref" and mention.value not in declared:
            known = ", ".join(sorted(declared)) or "none is declared"
            issues.append(_issue(mention, "unknown-template",
                                 f"no template named {mention.value!r} is declared under `templates:` in any spec file "
                                 f"(declared: {known}); declare it, or use templateId for an existing template"))
    return issues


# Job names and aliases share one namespace: an alias names the job's former resource.
_NAMESPACE = {"job": "job", "alias": "job", "template": "template", "adopt": "adopt"}


def _collision(mention: Mention, other: Mention) -> SpecIssue:
    where = f"{other.file}:{other.line}"
    if mention.kind == "adopt":
        return _issue(mention, "duplicate-adopt", f"JobId {mention.value} is also adopted by job {other.job!r} at {where}; "
                                                  "a job can be adopted only once")
    if mention.kind == "template":
        return _issue(mention, "duplicate-template", f"template {mention.value!r} is also declared at {where}; "
                                                     "template names are unique across all spec files")
    what = {"job": "declared", "alias": f"an alias of job {other.job!r}"}[other.kind]
    code = "duplicate-job" if mention.kind == other.kind == "job" else "duplicate-alias"
    this = "job" if mention.kind == "job" else f"alias of job {mention.job!r}"
    return _issue(mention, code, f"{this} {mention.value!r} is also {what} at {where}; "
                                 "job names and aliases are unique across all spec files")


def _issue(mention: Mention, code: str, message: str) -> SpecIssue:
    return SpecIssue(mention.file, mention.line, mention.column, mention.field, code, message)


def _read(path: Path, name: str) -> tuple[str | None, SpecIssue | None]:
    """The file's text, or the issue that stops it being read (checked by size first: a huge file is not read)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raw = file_too_large(size)
            return None, SpecIssue(name, 1, 1, "(file)", raw.code, raw.message)
        return path.read_text(encoding="utf-8"), None
    except (OSError, UnicodeDecodeError) as exc:
        return None, SpecIssue(name, 1, 1, "(file)", "unreadable", f"cannot read the file: {exc}")


def display_path(path: Path, root: Path) -> str:
    """How a spec file is named in messages: relative to `root` when below it."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
