"""A preview's job sets, one line per set and operation: "120 new jobs from `specs/trailers.csv` rows 2–121". Pure.

A set of 1,000 jobs would fill a review comment with 1,000 table rows (about 125 KB); what a reviewer needs is what
happens to which rows. So a set's jobs are grouped by action (in JOB_ACTIONS order) and each group is said in one
line, its rows' line numbers compressed into ranges. A forgotten job has no row any more: its group says the rows
were removed and the renderers list its names in a folded table. Plain jobs (under `jobs:`) are not grouped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vod_provider.cli.github import Notice
from vod_provider.cli.preview_plan import JOB_ACTIONS, Change, JobAction, JobRow, PreviewPlan, SpecLocation
from vod_provider.providers.adoption import NOT_VERIFIED
from vod_provider.wording import counted, line_ranges, plural, rows_text

# Replaced rows are said with their changes; rows with other changes than the first few are left to the table.
MOST_CHANGE_GROUPS = 3
# A set's changing jobs in its folded table: those its lines cannot say first (a replaced job's JobId, a forgotten
# job's name), as a summary cut to a comment's size keeps the first rows.
TABLE_ORDER: tuple[JobAction, ...] = ("replace", "forget", "adopt", "rename", "submit")
MOST_NAMES = 10  # forgotten jobs named in the notice of a set; the step summary lists them all
_NOTICE_TITLES: dict[JobAction, str] = {"submit": "new jobs", "adopt": "adopted jobs", "rename": "renamed jobs", "forget": "forgotten jobs"}


@dataclass(frozen=True)
class SetOperation:
    """The jobs of one set that an up treats alike (e.g. all its new jobs), by name."""

    action: JobAction
    jobs: tuple[JobRow, ...]

    @property
    def lines(self) -> tuple[int, ...]:
        """The line numbers of their rows, ascending, each once (a matrix set has a job per template on a row)."""
        return tuple(sorted({job.spec.line for job in self.jobs if job.spec is not None}))


@dataclass(frozen=True)
class SetPreview:
    """One job set in a preview: where it is declared, where its rows are, and its jobs grouped by action."""

    name: str
    declared: SpecLocation | None  # None: the specs no longer declare the set (a --no-state plan of its removal)
    rows_file: str | None  # its items file, or for an inline list the spec file; None when no longer declared
    inline: bool  # its items are a list in the spec file (lines), not a file of their own (rows)
    operations: tuple[SetOperation, ...]  # in JOB_ACTIONS order, only actions with jobs
    # Of its forgotten jobs, those whose video and template a job it submits has: their rows are still there, under a
    # new name (a changed name pattern without the old one in `aliases:`), whatever else the row changed.
    renamed_away: int = 0

    @property
    def jobs(self) -> int:
        return sum(len(operation.jobs) for operation in self.operations)

    @property
    def changing(self) -> tuple[JobRow, ...]:
        """Its jobs an up changes, in TABLE_ORDER."""
        by_action = {operation.action: operation.jobs for operation in self.operations}
        return tuple(job for action in TABLE_ORDER for job in by_action.get(action, ()))


def plain_jobs(plan: PreviewPlan) -> tuple[JobRow, ...]:
    """The plan's jobs that belong to no set, in plan order."""
    return tuple(job for job in plan.jobs if job.job_set is None)


def job_set_previews(plan: PreviewPlan) -> tuple[SetPreview, ...]:
    """Every set the plan's jobs belong to, by name; a set without any job in the plan is left out."""
    declared = {job_set.name: job_set for job_set in plan.job_sets}
    by_set: dict[str, list[JobRow]] = {}
    for job in plan.jobs:
        if job.job_set is not None:
            by_set.setdefault(job.job_set, []).append(job)
    previews = []
    for name in sorted(by_set):
        jobs = by_set[name]
        operations = tuple(SetOperation(action, tuple(job for job in jobs if job.action == action))
                           for action in JOB_ACTIONS if any(job.action == action for job in jobs))
        summary = declared.get(name)
        submitted = {(job.video_id, job.template) for job in jobs if job.action == "submit"}
        renamed = sum(1 for job in jobs if job.action == "forget" and (job.video_id, job.template) in submitted)
        if summary is None:
            previews.append(SetPreview(name, None, None, False, operations, renamed))
        else:
            previews.append(SetPreview(name, SpecLocation(summary.file, summary.line), summary.items_file or summary.file,
                                       summary.items_file is None, operations, renamed))
    return tuple(previews)


def change_text(change: Change, code: Callable[[str], str]) -> str:
    """E.g. "`userData.Extend.campaign`: `'spring'` → `'summer'`"."""
    return f"{code(change.field)}: {code(change.old)} → {code(change.new)}"


def operation_sentence(job_set: SetPreview, operation: SetOperation, code: Callable[[str], str]) -> str:
    """One line for one action on a set, e.g. "120 new jobs from `specs/trailers.csv` rows 2–121" (`code`: a code span)."""
    count, noun = len(operation.jobs), "line" if job_set.inline else "row"
    rows = rows_text(operation.lines, noun)
    action = operation.action
    if action == "submit":
        source = f"from {code(job_set.rows_file)} " if job_set.rows_file else ""
        waits = sum(1 for job in operation.jobs if job.waits)
        return (f"{count} new {plural(count, 'job')} {source}{rows}{_templates_text(job_set, operation, code)}"
                + (f"; the up waits for {waits}" if waits else ""))
    if action == "replace":
        return f"{count} replaced: {_replaced(operation, noun, code)}"
    if action == "adopt":
        unverified = sum(1 for job in operation.jobs if not job.adopt_verified)
        return f"{count} adopted, nothing submitted: {rows}" + (f" ({unverified} {NOT_VERIFIED})" if unverified else "")
    if action == "rename":
        return f"{count} renamed, nothing submitted: {rows}"
    if action == "forget":
        return f"{count} forgotten ({_forgotten_why(job_set, count, noun, code)}): no API call, VOD keeps {plural(count, 'the job')}"
    return f"{count} unchanged: {rows}"


def _forgotten_why(job_set: SetPreview, count: int, noun: str, code: Callable[[str], str]) -> str:
    """Why a set's jobs are forgotten: their rows were removed, or the rows are there and give other names now."""
    if job_set.rows_file is None:
        return "the set is no longer declared"
    removed, renamed = count - job_set.renamed_away, job_set.renamed_away
    said = counted(removed, noun) if renamed else plural(removed, noun)  # the count, where there are two kinds
    reasons = [f"{said} removed from {code(job_set.rows_file)}"] if removed else []
    if renamed:
        reasons.append(f"{counted(renamed, noun)} still there under another name, submitted again: to keep "
                       f"{'it' if renamed == 1 else 'them'}, put the set's former name pattern in its {code('aliases:')}")
    return "; ".join(reasons)


def _templates_text(job_set: SetPreview, operation: SetOperation, code: Callable[[str], str]) -> str:
    """For a set whose jobs run more than one template (a matrix), which of them the operation's jobs run: a template
    added to a matrix makes a new job on every row, and the rows alone would not say which."""
    if len({job.template for one in job_set.operations for job in one.jobs}) < 2:
        return ""
    templates = sorted({job.template for job in operation.jobs})
    if len(templates) > MOST_CHANGE_GROUPS:
        return f", {len(templates)} templates"
    return f", {plural(len(templates), 'template')} " + ", ".join(code(template) for template in templates)


def _replaced(operation: SetOperation, noun: str, code: Callable[[str], str]) -> str:
    """The replaced rows and what changed, rows with the same changes together (the first few kinds of change)."""
    groups: dict[str, list[int]] = {}
    for job in sorted(operation.jobs, key=lambda job: job.spec.line if job.spec else 0):
        text = "; ".join(change_text(change, code) for change in job.changes) or "replaced"
        groups.setdefault(text, []).append(job.spec.line if job.spec else 0)
    if len(groups) == 1:
        ((text, lines),) = groups.items()
        return f"{rows_text(sorted(set(lines)), noun)}, {text}"
    shown = [f"{rows_text(sorted(set(lines)), noun)}: {text}" for text, lines in list(groups.items())[:MOST_CHANGE_GROUPS]]
    rest = sum(len(lines) for lines in list(groups.values())[MOST_CHANGE_GROUPS:])
    return "; ".join(shown) + (f"; {rest} more with other changes (in the table of the set's jobs)" if rest else "")


def set_notices(stack: str, job_set: SetPreview) -> list[Notice]:
    """The notices of a set's changes, most telling first: one per replaced row, one per run of rows for new, adopted
    and renamed jobs (`line`..`endLine`), one at the set's declaration for its forgotten jobs."""
    found: list[Notice] = []
    by_action = {operation.action: operation for operation in job_set.operations}
    for action in TABLE_ORDER:
        operation = by_action.get(action)
        if operation is None:
            continue
        title = f"vodjobs {stack}: set {job_set.name}: {_NOTICE_TITLES.get(action, action)}"
        if action == "replace":
            for job in sorted(operation.jobs, key=lambda job: job.spec.line if job.spec else 0):
                changes = "; ".join(change_text(change, _plain) for change in job.changes) or "replaced"
                forgets = f"; the state forgets JobId {job.job_id} (VOD keeps that job)" if job.job_id else ""
                found.append((_at(job.spec), f"vodjobs {stack}: replace {job.name}", f"job {job.name!r}: {changes}{forgets}"))
        elif action == "forget":
            names = [job.name for job in operation.jobs]
            listed = ", ".join(names[:MOST_NAMES]) + (f" and {len(names) - MOST_NAMES} more" if len(names) > MOST_NAMES else "")
            found.append((_at(job_set.declared), title, f"set {job_set.name}: {operation_sentence(job_set, operation, _plain)}: {listed}"))
        else:
            sentence = operation_sentence(job_set, operation, _plain)
            for first, last in line_ranges(operation.lines):
                where = {"file": job_set.rows_file or "", "line": str(first), **({"endLine": str(last)} if last != first else {})}
                found.append((where, title, f"set {job_set.name}: {sentence}"))
    return found


def _at(location: SpecLocation | None) -> dict[str, str]:
    return {"file": location.file, "line": str(location.line)} if location is not None else {}


def _plain(text: str) -> str:
    return text
