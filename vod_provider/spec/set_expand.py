"""A job set × its rows → ordinary JobSpecs, with every problem of every row located at the row. Pure.

A job's name is filled from key fields only (set, videoId, template in a matrix), so it depends on what the job is,
never on where its row is: reordering rows changes nothing, removing one forgets exactly its job. Everything the
set declares was checked once (`set_checks`); here only what a row brings is checked, once per row, in one pass
without per-row copies of anything larger than the row itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vod_provider.spec import schema, values
from vod_provider.spec.model import JobSpec, Mention, MentionKind, SpecIssue
from vod_provider.spec.placeholders import Pattern
from vod_provider.spec.set_decl import JobSetDecl, TemplateRef, has_pattern
from vod_provider.spec.set_items import VIDEO_ID, Row, RowSource
from vod_provider.spec.values import BadValue

_BUILTINS = ("set", "videoId", "template")
_NO_TEMPLATE = ("no template for this item: give the set `template:`, `templateId:`, `templates:` or `templateIds:`, "
                "a template or templateId column, or one in the file's `defaults:`")


@dataclass
class Expansion:
    """What a set's rows declare: jobs (only from rows without a problem), their names and ids to check across
    files, and the problems."""

    jobs: list[JobSpec] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    issues: list[SpecIssue] = field(default_factory=list)


def expand_job_set(decl: JobSetDecl, source: RowSource) -> Expansion:
    """The jobs `decl` declares for each row of `source`; every problem of every row, each at its row."""
    return _Expander(decl, source).run()


class _Failed(Exception):
    """A row's value failed; its issue is already recorded."""


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class _Expander:
    def __init__(self, decl: JobSetDecl, source: RowSource) -> None:
        self.decl = decl
        self.source = source
        self.out = Expansion(issues=list(source.issues))
        self.first_row: dict[str, Row] = {}
        self.mentioned_templates: set[str] = set()
        self.reported_columns: set[str] = set()  # placeholders already reported once at the header
        self.columns_are_text = source.header is not None  # CSV cells and list lines: text already
        self.row_failed = False  # the row at hand had a problem: it makes no job

    def run(self) -> Expansion:
        if self.source.header is not None:
            self.check_header(self.source.header)
        for row in self.source.rows:
            self.row(row)
        return self.out

    def attempt(self, compute: Callable[[], Any]) -> Any:
        """compute()'s value; None when it failed (its issue is recorded), so that the row's other fields are checked
        too: every problem of a row in one run, not one per run."""
        try:
            return compute()
        except _Failed:
            self.row_failed = True
            return None

    # -- where the values come from ---------------------------------------------------------------

    def pattern_fields(self) -> list[tuple[str, Pattern]]:
        """Every placeholder pattern of the set's fields, with the field it fills."""
        decl = self.decl
        found = [(key, value) for key, value in (
            ("template", decl.template.value if decl.template else None), ("pipelineId", decl.pipeline_id),
            ("revision", decl.revision), ("wait", decl.wait_seconds), ("adopt", decl.adopt),
        ) if isinstance(value, Pattern)]
        if decl.user_data.tree is not None and has_pattern(decl.user_data.tree):
            found += [("userData", leaf) for leaf in _patterns(decl.user_data.tree)]
        return found

    def check_header(self, header: tuple[str, ...]) -> None:
        known = set(header) | set(_BUILTINS)
        for key, pattern in self.pattern_fields():
            for name in pattern.names:
                if name not in known and name not in self.reported_columns:
                    self.reported_columns.add(name)
                    self.out.issues.append(SpecIssue(self.source.file, 1, 1, "(header)", "missing-column",
                                                     f"the set {self.decl.name!r} fills {{{name}}} in its {key} from this file, "
                                                     f"which has no column {name!r} (columns: {', '.join(header)})"))

    def flag(self, row: Row, key: str, code: str, message: str, cell: bool = True) -> None:
        """Record a problem of the row at hand, and go on checking it."""
        self.fail(row, key, code, message, cell)
        self.row_failed = True

    def fail(self, row: Row, key: str, code: str, message: str, cell: bool = True) -> _Failed:
        self.out.issues.append(self.source.issue(row, key, code, message, cell))
        return _Failed()

    def check(self, row: Row, key: str, check: Callable[[Any], Any], value: Any, cell: bool = True, origin: str = "") -> Any:
        try:
            return check(value)
        except BadValue as bad:
            raise self.fail(row, key, bad.code, bad.message + origin, cell) from None

    def column(self, row: Row, key: str) -> Any:
        """A field's value from a column named like it; None when the row has no such column or leaves it empty."""
        value = row.values.get(key)
        return None if value is None or value == "" else value

    def fill(self, row: Row, key: str, pattern: Pattern, lookup: Mapping[str, str]) -> str:
        try:
            return pattern.fill(lookup)
        except KeyError as missing:
            name = str(missing.args[0])
            if name in self.reported_columns:
                raise _Failed() from None
            columns = ", ".join(k for k in row.values)
            raise self.fail(row, key, "missing-column",
                            f"{{{name}}} in the set's {key} names no value of this item (it has: {columns})", cell=False) from None

    def field_value(self, row: Row, key: str, lookup: Mapping[str, str], declared: Any,
                    check: Callable[[Any], Any], text_check: Callable[[Any], Any] | None = None) -> Any:
        """A job field: the row's column named `key`, else the set's value (a Pattern filled from the row), else None."""
        own = self.column(row, key)
        if own is not None:
            return self.check(row, key, text_check or check, own)
        if isinstance(declared, Pattern):
            filled = self.fill(row, key, declared, lookup)
            return self.check(row, key, text_check or check, filled, cell=False, origin=f" (the set's {key}, filled from this item)")
        return declared

    # -- one row ----------------------------------------------------------------------------------

    def row(self, row: Row) -> None:
        """The jobs of one row, or every problem it has (then no job)."""
        decl = self.decl
        self.row_failed = False
        video = None
        if VIDEO_ID not in row.values:
            self.flag(row, VIDEO_ID, "missing-field", f"{VIDEO_ID} is required: the video this item's jobs analyse", cell=False)
        else:
            video = self.attempt(lambda: self.check(row, VIDEO_ID, values.cloud_id, row.values[VIDEO_ID]))
        first = self.first_row.setdefault(video, row) if video is not None else row
        if first is not row:
            self.flag(row, VIDEO_ID, "duplicate-item", f"videoId {video} is also at line {first.line} ({self.source.file}:"
                      f"{first.line}); a set lists each video once, as its jobs are named by it: remove one of the two rows")
        lookup = self.attempt(lambda: dict(row.values) if self.columns_are_text else self.text_values(row))
        if lookup is None:
            return  # values that are not text: nothing more of this row can be read
        lookup["set"], lookup["videoId"] = decl.name, video or ""
        refs = self.attempt(lambda: self.templates(row, lookup)) or ()
        pipeline_id = self.attempt(lambda: self.field_value(row, "pipelineId", lookup, decl.pipeline_id, values.cloud_id))
        revision = self.attempt(lambda: self.field_value(row, "revision", lookup, decl.revision, values.revision, values.revision_text))
        wait = self.attempt(lambda: self.field_value(row, "wait", lookup, decl.wait_seconds, values.wait, _wait_any))
        adopt = self.attempt(lambda: self.field_value(row, "adopt", lookup, decl.adopt, values.cloud_id))
        jobs: list[JobSpec] = []
        for ref in refs:
            template = str(ref.value)
            lookup["template"] = template
            user_data = self.attempt(lambda: self.user_data(row, lookup))
            if video is None or first is not row or (decl.rows_only and not decl.names_known):
                continue  # no name to give: a name clash is not checked
            name = decl.name_pattern.fill(lookup)
            jobs.append(JobSpec(name, video, template if ref.by_id else None, user_data, pipeline_id, self.source.file, row.line,
                                template_name=None if ref.by_id else template,
                                aliases=tuple(pattern.fill(lookup) for pattern in decl.alias_patterns), revision=revision,
                                wait_seconds=wait, adopt=adopt, user_data_secret=decl.user_data_secret, job_set=decl.name))
        for job in jobs:  # checked across files even for a row with problems: a name clash is one more of them
            self.mention(row, "set-job", VIDEO_ID, job.name, job.name)
            for alias in job.aliases:
                self.mention(row, "alias", "aliases", alias, job.name)
            if job.adopt is not None:
                self.mention(row, "adopt", "adopt", job.adopt, job.name)
        if not self.row_failed and not decl.rows_only:
            self.out.jobs.extend(jobs)

    def text_values(self, row: Row) -> dict[str, str]:
        for key, value in row.values.items():
            if isinstance(value, (dict, list)):
                raise self.fail(row, key, "type", f"an item's values are text, numbers or booleans, not {values.kind_of(value)}")
        return {key: _text(value) for key, value in row.values.items()}

    def templates(self, row: Row, lookup: Mapping[str, str]) -> tuple[TemplateRef, ...]:
        """The templates of this row's jobs: the matrix, or the row's column, or the set's (or the defaults') one."""
        by_name, by_id = self.column(row, "template"), self.column(row, "templateId")
        if self.decl.matrix:
            if by_name is not None or by_id is not None:
                raise self.fail(row, "template" if by_name is not None else "templateId", "template-column",
                                "a matrix set (`templates:`/`templateIds:`) runs each of its templates on every item; "
                                "leave this column empty, or list the templates per item in sets of their own")
            return self.decl.matrix
        if by_name is not None and by_id is not None:
            raise self.fail(row, "template", "one-of", "set only one of the template and templateId columns in a row")
        if by_name is not None:
            return (self.named(row, self.check(row, "template", values.template_name, by_name)),)
        if by_id is not None:
            return (TemplateRef(True, self.check(row, "templateId", values.cloud_id, by_id)),)
        declared = self.decl.template
        if declared is None and self.decl.rows_only:
            return ()  # the set's own template may be what was wrong with it: said at the set, not at every row
        if declared is None:
            raise self.fail(row, "template", "one-of", _NO_TEMPLATE, cell=False)
        if not isinstance(declared.value, Pattern):
            return (declared,)
        filled = self.fill(row, "template", declared.value, lookup)
        origin = " (the set's template, filled from this item)"
        if declared.by_id:
            return (TemplateRef(True, self.check(row, "templateId", values.cloud_id, filled, cell=False, origin=origin)),)
        return (self.named(row, self.check(row, "template", values.template_name, filled, cell=False, origin=origin)),)

    def named(self, row: Row, template: str) -> TemplateRef:
        """A template named by a row: it must be declared; said once per set and name, at the first row naming it."""
        if template not in self.mentioned_templates:
            self.mentioned_templates.add(template)
            self.mention(row, "template-ref", "template", template, "")
        return TemplateRef(False, template)

    def user_data(self, row: Row, lookup: Mapping[str, str]) -> str | None:
        declared = self.decl.user_data
        if declared.tree is None:
            return declared.static
        try:
            text = declared.fill(lookup)
        except KeyError as missing:
            self.fill(row, "userData", Pattern(("", str(missing.args[0]), "")), lookup)  # reports it
            raise _Failed() from None
        assert text is not None
        size = len(text.encode("utf-8"))
        if size > schema.USER_DATA_MAX_BYTES:
            raise self.fail(row, "userData", "user-data-size",
                            f"userData filled from this item serialises to {size} bytes of UTF-8 JSON; the API accepts at most "
                            f"{schema.USER_DATA_MAX_BYTES}: shorten this item's values or the set's userData", cell=False)
        return text

    def mention(self, row: Row, kind: MentionKind, key: str, value: str, job: str) -> None:
        where = self.source.locate(row, key)
        self.out.mentions.append(Mention(self.source.file, where.line, where.column, self.source.field_name(row, key),
                                         kind, value, job))


def _wait_any(value: Any) -> float | None:
    return values.wait_text(value) if isinstance(value, str) else values.wait(value)


def _patterns(tree: Any) -> list[Pattern]:
    if isinstance(tree, Pattern):
        return [tree]
    if isinstance(tree, dict):
        return [p for item in tree.values() for p in _patterns(item)]
    if isinstance(tree, list):
        return [p for item in tree for p in _patterns(item)]
    return []
