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

import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vod_provider.spec.checks import DocumentChecker, ParsedSpec
from vod_provider.spec.model import JobSetSummary, JobSpec, Mention, SpecError, SpecIssue, SpecSet, TemplateSpec
from vod_provider.spec.placeholders import Pattern
from vod_provider.spec.schema import USER_DATA_MAX_BYTES
from vod_provider.spec.set_decl import JobSetDecl
from vod_provider.spec.set_expand import Expansion, expand_job_set
from vod_provider.spec.set_items import (
    CSV_SUFFIXES,
    ITEM_SUFFIXES,
    LINE_SUFFIXES,
    VIDEO_ID,
    RowSource,
    csv_rows,
    line_rows,
    yaml_rows,
)
from vod_provider.spec.text_files import NOT_TEXT, SAVE_AS, SAVE_CSV_AS, NotText, decode_text
from vod_provider.spec.values import BadValue, cloud_id
from vod_provider.spec.yaml_nodes import MAX_FILE_BYTES, ReadResult, file_too_large, read_yaml

__all__ = [
    "DEFAULT_SPEC_GLOB", "USER_DATA_MAX_BYTES", "JobSpec", "ParsedSpec", "SpecError", "SpecIssue", "SpecSet",
    "TemplateSpec", "display_path", "find_spec_files", "load_spec_files", "parse_spec_text", "read_items_file",
    "read_video_ids",
]

# `.yml` too: a file the glob skipped would read, in a preview, as "forget every job of it".
DEFAULT_SPEC_GLOB = "specs/**/*.{yaml,yml}"
MAX_ITEMS_FILE_BYTES = 32 * 1024 * 1024  # a CSV of ~300,000 videos; YAML items files keep the YAML bounds


def find_spec_files(pattern: str, root: Path) -> list[Path]:
    """Files matching a glob relative to `root` (recursive `**` and `{yaml,yml}` alternatives allowed), sorted.

    Hidden files and folders match only where the pattern names them (as `glob` has it). `**` does not descend into a
    symlinked folder: a link to `/` or to a parent, which a pull request can add, would be walked for ever. A folder
    the pattern names is followed (`specs/` linked from elsewhere). A symlinked folder that `**` meets is not skipped
    in silence, as that would forget every job declared in it: raises SpecError naming it.
    """
    found: set[Path] = set()
    walks: set[tuple[Path, bool]] = set()  # where `**` starts, hidden folders too: each walked once for its links
    for one in expand_braces(pattern):
        as_given = Path(one)
        base, rest = (Path(as_given.anchor), as_given.relative_to(as_given.anchor)) if as_given.is_absolute() else (root, as_given)
        asks_hidden = any(_hidden(part) for part in rest.parts)
        for match in base.glob(str(rest)):
            if (asks_hidden or not any(_hidden(part) for part in match.relative_to(base).parts)) and match.is_file():
                found.add(match)
        if "**" in rest.parts:
            start = base.joinpath(*rest.parts[:rest.parts.index("**")])
            walks.add((start, asks_hidden))
    linked = {folder for start, hidden_too in walks for folder in _linked_folders(start, hidden_too)}
    if linked:
        raise SpecError([SpecIssue(display_path(folder, root), 1, 1, "(folder)", "spec-path",
                                   f"{display_path(folder, root)} is a symlinked folder, which the spec glob {pattern!r} "
                                   "does not walk into (a link can lead to / or back to its parent); move its files "
                                   "here, or link the top folder the glob starts from instead") for folder in linked])
    return sorted(found)


def _hidden(part: str) -> bool:
    return part.startswith(".") and part not in (".", "..")


def _linked_folders(start: Path, hidden_too: bool) -> set[Path]:
    """The symlinks to folders below `start` that `**` would have walked into (not following any)."""
    linked = set()
    for folder, subfolders, _ in os.walk(start, followlinks=False):
        subfolders[:] = [name for name in subfolders if hidden_too or not _hidden(name)]
        linked |= {Path(folder) / name for name in subfolders if os.path.islink(os.path.join(folder, name))}
    return linked


def expand_braces(pattern: str) -> list[str]:
    """`a.{yaml,yml}` → [`a.yaml`, `a.yml`]: each `{x,y}` group (not nested) multiplies the patterns."""
    match = re.search(r"\{([^{}]*,[^{}]*)\}", pattern)
    if match is None:
        return [pattern]
    head, tail = pattern[:match.start()], pattern[match.end():]
    return [f"{head}{choice}{rest}" for choice in match.group(1).split(",") for rest in expand_braces(tail)]


def load_spec_files(paths: Sequence[Path], root: Path) -> SpecSet:
    """Load and validate every file as one set, job sets expanded; raise one SpecError listing all problems.

    Files are shown relative to `root` when they are below it. A file that a job set names as its items is an
    items file, not a spec file, even when the glob matches it.
    """
    issues: list[SpecIssue] = []
    reads: dict[Path, tuple[str, ReadResult]] = {}
    for path in paths:
        name = display_path(path, root)
        if leads_outside(path, root):
            issues.append(SpecIssue(name, 1, 1, "(file)", "spec-path", f"{name} is a symlink to a file outside the project "
                                    f"({root}); a spec file in the project is read only from the project"))
            continue
        text, problem = _read(path, name)
        if problem is not None:
            issues.append(problem)
            continue
        assert text is not None
        reads.setdefault(path.resolve(), (name, read_yaml(text)))
    parsed = {path: DocumentChecker(name, read).check() for path, (name, read) in reads.items()}
    reader = _ItemsReader(root, reads)
    # A YAML file the glob matched that a set names as its items is an items file, not a spec file; but one that reads
    # as a spec (a mapping: jobs, sets, templates) stays a spec file, and the set is told: taking it as items would
    # forget every job it declares (`items: demo.yaml` for `demo.csv`).
    items_files = {reader.items_path(path, decl.items).resolve() for path, one in parsed.items() for decl in one.job_sets
                   if isinstance(decl.items, str)} - {path for path, (_, read) in reads.items() if isinstance(read.value, dict)}
    reader.spec_files = {path: name for path, (name, _) in reads.items() if path not in items_files}
    specs = {path: one for path, one in parsed.items() if path not in items_files}
    expanded = [reader.expand(decl, path) for path, one in specs.items() for decl in one.job_sets]
    results: list[ParsedSpec | Expansion] = [*specs.values(), *expanded]
    for one in results:
        issues.extend(one.issues)
    mentions = [m for one in results for m in one.mentions]
    issues.extend(cross_file_issues(mentions))
    if issues:
        raise SpecError(issues)
    jobs = sorted((job for one in results for job in one.jobs), key=lambda j: j.name)
    templates = sorted((t for one in specs.values() for t in one.templates), key=lambda t: t.name)
    shown = sorted(reads[path][0] for path in specs)
    patterns = {name: pattern for one in specs.values() for name, pattern in one.set_name_patterns.items()}
    return SpecSet(tuple(jobs), tuple(shown), tuple(templates), _set_summaries(mentions, jobs, reader.items_files, patterns))


def _set_summaries(mentions: Iterable[Mention], jobs: Iterable[JobSpec], items_files: dict[str, str],
                   patterns: dict[str, Pattern]) -> tuple[JobSetSummary, ...]:
    counts = Counter(job.job_set for job in jobs if job.job_set is not None)
    return tuple(sorted((JobSetSummary(m.value, m.file, m.line, items_files.get(m.value), counts[m.value], patterns.get(m.value))
                         for m in mentions if m.kind == "set"), key=lambda s: s.name))


class _ItemsReader:
    """Reads each items file once (sets may share one), as rows; a spec file's YAML already read is not read again."""

    def __init__(self, root: Path, reads: dict[Path, tuple[str, ReadResult]]) -> None:
        self.root = root
        self.reads = reads
        self.sources: dict[Path, RowSource | SpecIssue] = {}
        self.items_files: dict[str, str] = {}  # set name → its items file as shown
        self.spec_files: dict[Path, str] = {}  # the files read as specs (resolved → as shown): never a set's items

    def expand(self, decl: JobSetDecl, spec_path: Path) -> Expansion:
        assert isinstance(decl.items, str)
        relative = Path(decl.items)
        if relative.is_absolute() or relative.suffix.lower() not in ITEM_SUFFIXES:
            problem = ("items names a file relative to this spec file, not an absolute path" if relative.is_absolute() else
                       f"items file {decl.items!r} must end in {', '.join(ITEM_SUFFIXES)} (CSV with a header row, one videoId "
                       "per line, or a YAML list)")
            return Expansion(issues=[self._issue(decl, "items-path" if relative.is_absolute() else "items-format", problem)])
        named = self.items_path(spec_path, decl.items)
        # Reviewed with the specs, or not at all: an items file outside the repository changes jobs unseen, and a
        # symlink to one (/proc/self/environ, a credentials file) would put its lines into the messages of a CI run.
        if not named.is_relative_to(_lexical(self.root)):
            return Expansion(issues=[self._issue(decl, "items-path", f"items file {decl.items!r} is outside the project "
                                                 f"({self.root}); keep items files in the repository, beside the specs")])
        if leads_outside(named, self.root):
            return Expansion(issues=[self._issue(decl, "items-path", f"items file {decl.items!r} is a symlink to a file "
                                                 f"outside the project ({self.root}); keep items files in the repository")])
        target = named.resolve()
        if target in self.spec_files:
            return Expansion(issues=[self._issue(decl, "items-path", f"items file {decl.items!r} is the spec file "
                                                 f"{self.spec_files[target]} (it declares jobs, sets or templates); an "
                                                 "items file lists videos: a CSV, a plain list or a YAML list")])
        if target not in self.sources:
            self.sources[target] = self._source(target, relative.suffix.lower())
        source = self.sources[target]
        if isinstance(source, SpecIssue):
            return Expansion(issues=[self._issue(decl, source.code, source.message)])
        if not source.issues and not source.rows:
            # An emptied file would forget every job of the set, as `items: []` would: both are refused.
            return Expansion(issues=[self._issue(decl, "items-empty", f"{source.file} lists no item; a job set lists at "
                                                 "least one: to forget every job of the set, remove the set")])
        self.items_files[decl.name] = source.file
        return expand_job_set(decl, source)

    def items_path(self, spec_path: Path, items: str) -> Path:
        """The items file a set of `spec_path` (as read: resolved) names, from the spec file as the glob named it and
        without following symlinks (a checkout may link its specs folder from elsewhere): `..` is what leaves it."""
        shown = Path(self.reads[spec_path][0]) if spec_path in self.reads else spec_path
        named = shown if shown.is_absolute() else self.root / shown
        return _lexical(named.parent / items)

    def _source(self, path: Path, suffix: str) -> RowSource | SpecIssue:
        shown = display_path(path, self.root)
        if path in self.reads:  # a YAML items file the spec glob matched too
            return yaml_source(shown, self.reads[path][1])
        return read_items_file(path, shown, suffix)

    @staticmethod
    def _issue(decl: JobSetDecl, code: str, message: str) -> SpecIssue:
        return SpecIssue(decl.file, decl.items_at.line, decl.items_at.column, f"jobSets.{decl.name}.items", code, message)


def read_items_file(path: Path, shown: str, suffix: str) -> RowSource | SpecIssue:
    """The rows of an items file (`suffix`: .csv, .txt/.list or .yaml/.yml), or the issue that stops it being read."""
    try:
        size = path.stat().st_size
        limit = MAX_FILE_BYTES if suffix not in CSV_SUFFIXES + LINE_SUFFIXES else MAX_ITEMS_FILE_BYTES
        if size > limit:
            return SpecIssue(shown, 1, 1, "(file)", "items-file", f"{shown} is {size} bytes; the limit is {limit} bytes")
        text = decode_text(path.read_bytes(), SAVE_CSV_AS if suffix in CSV_SUFFIXES else SAVE_AS)
    except OSError as exc:
        return SpecIssue(shown, 1, 1, "(file)", "items-file", f"cannot read the items file {shown}: {exc.strerror or exc}")
    if isinstance(text, NotText):  # read, but not text: said where it breaks in the items file, not at `items:`
        return RowSource(shown, issues=[SpecIssue(shown, text.line, text.column, "(file)", NOT_TEXT, text.message)])
    if suffix in CSV_SUFFIXES:
        return csv_rows(text, shown)
    if suffix in LINE_SUFFIXES:
        return line_rows(text, shown)
    return yaml_source(shown, read_yaml(text))


def yaml_source(shown: str, read: ReadResult) -> RowSource:
    """The rows of a YAML items file already read (its YAML-level problems as the source's issues)."""
    if read.issues:
        return RowSource(shown, issues=[SpecIssue(shown, raw.location.line, raw.location.column, ".".join(raw.path) or "(file)",
                                                  raw.code, raw.message) for raw in read.issues])
    return yaml_rows(read.value, shown, read.locations)


VIDEOS_FILE = "the videos file"  # what a SpecError of read_video_ids says its problems are in


@dataclass(frozen=True)
class VideosFile:
    """The videos a file lists, in order, each once; and those it lists more than once, with every line they are on."""

    video_ids: list[str]
    repeated: dict[str, list[int]]


def read_video_ids(path: Path, root: Path) -> VideosFile:
    """The videoIds an items file lists (CSV, plain list or YAML list, as a job set reads it), in order, each once,
    and the lines of those it lists more than once.

    Raises SpecError naming every bad row (file:line:column): a wrong suffix, no videoId, a malformed id.
    """
    shown = display_path(path, root)
    suffix = path.suffix.lower()
    if suffix not in ITEM_SUFFIXES:
        raise SpecError([SpecIssue(shown, 1, 1, "(file)", "items-format",
                                   f"a list of videos ends in {', '.join(ITEM_SUFFIXES)} (CSV with a header row and a "
                                   f"{VIDEO_ID} column, one videoId per line, or a YAML list)")], VIDEOS_FILE)
    source = read_items_file(path, shown, suffix)
    if isinstance(source, SpecIssue):
        raise SpecError([source], VIDEOS_FILE)
    issues = list(source.issues)
    lines: dict[str, list[int]] = {}
    for row in source.rows:
        if VIDEO_ID not in row.values:
            issues.append(source.issue(row, VIDEO_ID, "missing-field", f"{VIDEO_ID} is required", cell=False))
            continue
        try:
            lines.setdefault(cloud_id(row.values[VIDEO_ID]), []).append(row.line)
        except BadValue as bad:
            issues.append(source.issue(row, VIDEO_ID, bad.code, bad.message))
    if issues:
        raise SpecError(issues, VIDEOS_FILE)
    return VideosFile(list(lines), {video: at for video, at in lines.items() if len(at) > 1})


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
            # A clash of a set's job with a plain job is reported at the set's row, the line the set author can change.
            here, there = (other, mention) if other.kind == "set-job" and mention.kind != "set-job" else (mention, other)
            issues.append(_collision(here, there))
    declared = {m.value for m in ordered if m.kind == "template"}
    for mention in ordered:
        if mention.kind == "template-ref" and mention.value not in declared:
            known = ", ".join(sorted(declared)) or "none is declared"
            issues.append(_issue(mention, "unknown-template",
                                 f"no template named {mention.value!r} is declared under `templates:` in any spec file "
                                 f"(declared: {known}); declare it, or use templateId for an existing template"))
    return issues


# Job names and aliases share one namespace: an alias names the job's former resource.
_NAMESPACE = {"job": "job", "set-job": "job", "alias": "job", "template": "template", "adopt": "adopt", "set": "set"}


def _collision(mention: Mention, other: Mention) -> SpecIssue:
    where = f"{other.file}:{other.line}"
    if mention.kind == "adopt":
        return _issue(mention, "duplicate-adopt", f"JobId {mention.value} is also adopted by job {other.job!r} at {where}; "
                                                  "a job can be adopted only once")
    if mention.kind == "template":
        return _issue(mention, "duplicate-template", f"template {mention.value!r} is also declared at {where}; "
                                                     "template names are unique across all spec files")
    if mention.kind == "set":
        return _issue(mention, "duplicate-set", f"job set {mention.value!r} is also declared at {where}; "
                                                "set names are unique across all spec files")
    jobs = ("job", "set-job")
    what = "declared" if other.kind in jobs else f"an alias of job {other.job!r}"
    what += " by a row of a job set" if other.kind == "set-job" else ""
    code = "duplicate-job" if mention.kind in jobs and other.kind in jobs else "duplicate-alias"
    this = "job" if mention.kind in jobs else f"alias of job {mention.job!r}"
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
        text = decode_text(path.read_bytes())
    except OSError as exc:
        return None, SpecIssue(name, 1, 1, "(file)", "unreadable", f"cannot read the file: {exc}")
    if isinstance(text, NotText):
        return None, SpecIssue(name, text.line, text.column, "(file)", NOT_TEXT, text.message)
    return text, None


def display_path(path: Path, root: Path) -> str:
    """How a spec file is named in messages: relative to `root` when below it."""
    for candidate, base in ((_lexical(path), _lexical(root)), (path.resolve(), root.resolve())):
        if candidate.is_relative_to(base):  # as the path was given (a symlinked specs folder), else as it resolves
            return str(candidate.relative_to(base))
    return str(path)


def leads_outside(path: Path, root: Path) -> bool:
    """Whether `path`, named below `root`, is a symlink (or lies in a linked folder) that leads out of the project.

    Its real path must lie below the root's, or below the real path of the top-level folder it is named through:
    a checkout may link a whole folder (specs/) from elsewhere, but nothing in it leads further. A path not named
    below `root` (given on purpose, e.g. on the command line) is not this function's to judge: False.
    """
    named, base = _lexical(path), _lexical(root)
    if not named.is_relative_to(base):
        return False
    parts = named.relative_to(base).parts
    real = named.resolve()
    allowed = [base.resolve()] + ([(base / parts[0]).resolve()] if len(parts) > 1 else [])
    return not any(real.is_relative_to(one) for one in allowed)


def _lexical(path: Path) -> Path:
    """`path` made absolute and normalised without following symlinks."""
    return Path(os.path.normpath(path.absolute()))
