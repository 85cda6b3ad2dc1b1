"""Spec files (YAML under specs/) → validated, frozen JobSpec objects.

Every problem in every file is collected first, then raised once as a SpecError
whose lines read `path:line:column: field: message [code]`. Once a JobSpec
exists it is valid; later code does not check it again.
"""

from __future__ import annotations

import difflib
import glob
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vod_provider.yaml_nodes import Location, ReadResult, read_yaml

USER_DATA_MAX_BYTES = 512
DEFAULT_SPEC_GLOB = "specs/**/*.yaml"
_ID_SHAPE = re.compile(r"^[0-9a-f]{32}$")
_NAME_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")

TOP_LEVEL_KEYS = ("jobs", "defaults")
JOB_KEYS = ("videoId", "templateId", "userData", "pipelineId")
DEFAULT_KEYS = ("userData", "pipelineId")
USER_DATA_KEYS = ("MessageCallback", "Extend")


@dataclass(frozen=True, order=True)
class SpecIssue:
    file: str
    line: int
    column: int
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.field}: {self.message} [{self.code}]"


class SpecError(Exception):
    """One or more spec files are invalid; `issues` lists every problem, sorted."""

    def __init__(self, issues: Iterable[SpecIssue]) -> None:
        self.issues = sorted(set(issues))
        count = len(self.issues)
        header = f"{count} problem{'s' if count != 1 else ''} in the job specs:"
        super().__init__("\n".join([header, *(f"  {issue}" for issue in self.issues)]))


@dataclass(frozen=True)
class JobSpec:
    """One image-AI job as declared: what SubmitAIImageJob will be called with."""

    name: str
    video_id: str
    template_id: str
    user_data: str | None  # compact JSON, at most 512 bytes
    pipeline_id: str | None
    file: str
    line: int


@dataclass(frozen=True)
class SpecSet:
    jobs: tuple[JobSpec, ...]
    files: tuple[str, ...]


def find_spec_files(pattern: str, root: Path) -> list[Path]:
    """Files matching a glob relative to `root` (recursive `**` allowed), sorted."""
    full = pattern if Path(pattern).is_absolute() else str(root / pattern)
    return sorted(Path(p) for p in glob.glob(full, recursive=True) if Path(p).is_file())


def load_spec_files(paths: Sequence[Path], root: Path) -> SpecSet:
    """Load and validate every file; raise one SpecError listing all problems."""
    issues: list[SpecIssue] = []
    jobs: list[JobSpec] = []
    shown = [_display(p, root) for p in paths]
    for path, name in zip(paths, shown, strict=True):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            issues.append(SpecIssue(name, 1, 1, "(file)", "unreadable", f"cannot read the file: {exc}"))
            continue
        file_jobs, file_issues = parse_spec_text(text, name)
        jobs.extend(file_jobs)
        issues.extend(file_issues)
    issues.extend(_duplicate_names(jobs))
    if issues:
        raise SpecError(issues)
    return SpecSet(tuple(sorted(jobs, key=lambda j: j.name)), tuple(shown))


def parse_spec_text(text: str, file: str) -> tuple[list[JobSpec], list[SpecIssue]]:
    """Parse one spec document. Pure: returns the jobs it declares and the problems found."""
    read = read_yaml(text)
    checker = _Checker(file, read)
    for raw in read.issues:
        checker.issue(raw.path, raw.code, raw.message, raw.location)
    if read.issues:
        return [], checker.issues
    if read.value is None:
        checker.issue((), "empty-file", "the file is empty; declare `jobs:` (see specs/README.md)")
        return [], checker.issues
    if not isinstance(read.value, dict):
        checker.issue((), "root-type", f"the top level must be a mapping with `jobs:`, not {_kind(read.value)}")
        return [], checker.issues
    return checker.jobs(read.value), checker.issues


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), f"a {type(value).__name__}"
    )


def _duplicate_names(jobs: Sequence[JobSpec]) -> list[SpecIssue]:
    first: dict[str, JobSpec] = {}
    issues = []
    for job in sorted(jobs, key=lambda j: (j.file, j.line)):
        if job.name in first:
            other = first[job.name]
            issues.append(SpecIssue(job.file, job.line, 1, f"jobs.{job.name}", "duplicate-job",
                                    f"job {job.name!r} is also declared at {other.file}:{other.line}; job names are unique across all spec files"))
        else:
            first[job.name] = job
    return issues


class _Checker:
    """Validates one document's values, recording issues at their locations."""

    def __init__(self, file: str, read: ReadResult) -> None:
        self.file = file
        self.read = read
        self.issues: list[SpecIssue] = []

    def issue(self, path: tuple[str, ...], code: str, message: str, at: Location | None = None) -> None:
        where = at or self.read.locations.get(path) or Location(1, 1)
        self.issues.append(SpecIssue(self.file, where.line, where.column, ".".join(path) or "(file)", code, message))

    def unknown_keys(self, value: Mapping[str, Any], path: tuple[str, ...], allowed: Sequence[str]) -> None:
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed keys: {', '.join(allowed)}"
                self.issue(path + (key,), "unknown-key", f"unknown key {key!r}; {hint}",
                           self.read.key_locations.get(path + (key,)))

    def jobs(self, doc: dict[str, Any]) -> list[JobSpec]:
        self.unknown_keys(doc, (), TOP_LEVEL_KEYS)
        defaults = doc.get("defaults") or {}
        if not isinstance(defaults, dict):
            self.issue(("defaults",), "type", f"must be a mapping, not {_kind(defaults)}")
            defaults = {}
        self.unknown_keys(defaults, ("defaults",), DEFAULT_KEYS)
        jobs = doc.get("jobs")
        if jobs is None:
            self.issue(("jobs",) if "jobs" in doc else (), "missing-jobs", "declare the jobs under `jobs:` (name → job)")
            return []
        if not isinstance(jobs, dict):
            self.issue(("jobs",), "type", f"must be a mapping of job name → job, not {_kind(jobs)}")
            return []
        out = []
        for name, body in jobs.items():
            job = self.job(name, body, defaults)
            if job is not None:
                out.append(job)
        return out

    def job(self, name: str, body: Any, defaults: Mapping[str, Any]) -> JobSpec | None:
        path = ("jobs", name)
        before = len(self.issues)
        if not _NAME_SHAPE.match(name):
            self.issue(path, "job-name", "job names start with a letter or digit and use only letters, digits, '_', '.', '-' (at most 100)",
                       self.read.key_locations.get(path))
        if not isinstance(body, dict):
            self.issue(path, "type", f"a job is a mapping with videoId and templateId, not {_kind(body)}")
            return None
        self.unknown_keys(body, path, JOB_KEYS)
        video_id = self.cloud_id(body, path, "videoId", required=True)
        template_id = self.cloud_id(body, path, "templateId", required=True)
        pipeline_id = self.cloud_id({**defaults, **body}, path, "pipelineId", required=False)
        user_data = self.user_data(body, defaults, path)
        if len(self.issues) > before:
            return None
        assert video_id is not None and template_id is not None
        return JobSpec(name, video_id, template_id, user_data, pipeline_id, self.file,
                       self.read.key_locations.get(path, Location(1, 1)).line)

    def cloud_id(self, body: Mapping[str, Any], path: tuple[str, ...], key: str, required: bool) -> str | None:
        if key not in body or body[key] is None:
            if required:
                self.issue(path, "missing-field", f"{key} is required")
            return None
        value = body[key]
        if not isinstance(value, str) or not _ID_SHAPE.match(value):
            self.issue(path + (key,), "id-shape", f"{value!r} is not a VOD id (32 lower-case hex characters)")
            return None
        return value

    def user_data(self, body: Mapping[str, Any], defaults: Mapping[str, Any], path: tuple[str, ...]) -> str | None:
        field_path = path + ("userData",)
        merged: dict[str, Any] = {}
        for source, where in ((defaults.get("userData"), ("defaults", "userData")), (body.get("userData"), field_path)):
            if source is None:
                continue
            if not isinstance(source, dict):
                self.issue(where, "type", f"userData is a mapping with MessageCallback and/or Extend, not {_kind(source)}")
                return None
            self.unknown_keys(source, where, USER_DATA_KEYS)
            merged.update(source)
        if not merged:
            return None
        if not ({"MessageCallback", "Extend"} & merged.keys()):
            self.issue(field_path if "userData" in body else path, "user-data-content", "userData must contain MessageCallback or Extend")
            return None
        text = json.dumps(merged, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
        size = len(text.encode("utf-8"))
        if size > USER_DATA_MAX_BYTES:
            self.issue(field_path if "userData" in body else path, "user-data-size",
                       f"userData serialises to {size} bytes of JSON; the API accepts at most {USER_DATA_MAX_BYTES}")
            return None
        return text
