"""A PreviewOutcome written out for people and machines: Markdown, GitHub annotations, JSON.

Pure: values in, text out. The Markdown is what a reviewer reads in a pull request (step summary
or comment); tests compare it with golden files in tests/golden/preview/.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from vod_provider.cli.github import Notice, annotation, shared_annotations, spec_issue_lines
from vod_provider.cli.preview_plan import (
    JobAction,
    JobRow,
    PreviewFailure,
    PreviewOutcome,
    PreviewPlan,
    RecordedFailure,
    StatelessBase,
    TemplateAction,
    TemplateRow,
    look_alike_sentence,
)
from vod_provider.cli.preview_sets import (
    SetPreview,
    change_text,
    job_set_previews,
    operation_sentence,
    plain_jobs,
    set_notices,
)
from vod_provider.providers.adoption import NOT_VERIFIED
from vod_provider.spec.model import SpecIssue
from vod_provider.wording import line_ranges, plural

# Where a cut summary sends its reader when the caller names no artifact.
FULL_SUMMARY_ELSEWHERE = "`vodjobs preview` without a limit"

_DOING: dict[JobAction, str] = {
    "submit": "submit {n} new {jobs}",
    "replace": "replace {n} {jobs}",
    "adopt": "adopt {n} existing {jobs}",
    "rename": "rename {n} {jobs}",
    "forget": "forget {n} {jobs}",
}
_DOING_TEMPLATES: dict[TemplateAction, str] = {
    "create": "create {n} {templates}",
    "update": "update {n} {templates}",
    "delete": "delete {n} {templates}",
}


# -- sentences shared by every format --------------------------------------------------------------


def verdict(plan: PreviewPlan) -> str:
    """One sentence: what `pulumi up` will do, e.g. "`pulumi up` will submit 3 new jobs and replace 1 job"."""
    doing = [text.format(n=plan.count(action), jobs=plural(plan.count(action), "job"))
             for action, text in _DOING.items() if plan.count(action)]
    doing += [text.format(n=plan.count_templates(action), templates=plural(plan.count_templates(action), "template"))
              for action, text in _DOING_TEMPLATES.items() if plan.count_templates(action)]
    unchanged = plan.count("unchanged")
    rest = f"; {unchanged} {plural(unchanged, 'job')} {'stays' if unchanged == 1 else 'stay'} unchanged" if unchanged else ""
    return f"`pulumi up` will {_join(doing) if doing else 'change nothing'}{rest}"


def api_calls_sentence(plan: PreviewPlan) -> str:
    """E.g. "`pulumi up` will make 5 API calls: 4 × SubmitAIImageJob, 1 × AddAITemplate"."""
    if not plan.api_calls:
        line = "`pulumi up` will make no API call"
    else:
        listed = ", ".join(f"{count} × {action}" for action, count in plan.api_calls)
        line = f"`pulumi up` will make {plan.total_api_calls} API {plural(plan.total_api_calls, 'call')}: {listed}"
    extra = []
    if plan.count("adopt"):
        extra.append(f"look up {plan.count('adopt')} adopted {plural(plan.count('adopt'), 'job')}")
    if plan.waiting_jobs:
        extra.append(f"poll {plan.waiting_jobs} {plural(plan.waiting_jobs, 'job')} it waits for")
    return line + (f", plus GetAIImageJobs calls to {_join(extra)}" if extra else "")


def job_explanation(job: JobRow) -> str:
    """What happens to the job and why, in words (plain text; Markdown adds code spans)."""
    return _explain(job, _plain)


def failed_sentence(count: int) -> str:
    """E.g. "1 job failed in an earlier run and stays recorded as failed: …"."""
    return (f"{count} {plural(count, 'job')} failed in an earlier run and {'stays' if count == 1 else 'stay'} recorded as "
            f"failed: `pulumi up` does not run {'it' if count == 1 else 'them'} again; to run one again, bump its `revision:`")


def not_verified_sentence(base: StatelessBase, code: Callable[[str], str]) -> str:
    """Why a --no-state plan may differ from what `pulumi up` will do."""
    return (f"Not verified against the stack's state ({base.reason}): these are the spec changes since "
            f"{code(base.commit[:12])}, the merge base; an up decides from the state, which may differ "
            "(e.g. a job a targeted up left out)")


def issues_sentence(count: int) -> str:
    return f"the specs are invalid: {count} {plural(count, 'problem')}; nothing can be submitted until every one is fixed"


# -- Markdown ---------------------------------------------------------------------------------------


def render_markdown(outcome: PreviewOutcome, limit: int | None = None, full_summary: str = FULL_SUMMARY_ELSEWHERE) -> str:
    """The summary a reviewer reads, at most `limit` UTF-8 bytes (None: every row).

    Over the limit, tables keep as many rows as fit (failed jobs first, then the job sets' lines, templates, jobs per
    template, changing jobs, unchanged jobs), each cut one ending with "… N more (full summary: <full_summary>)"; the
    sections after the changing jobs fold into <details>. The heading and the totals are never cut. A job set's jobs
    are said per set and operation (preview_sets), their table folded.
    """
    head = [f"## vodjobs preview: stack `{outcome.stack}`", ""]
    if outcome.without_state is not None:
        head += [f"> **{_sentence(not_verified_sentence(outcome.without_state, _code))}**", ""]
    if outcome.failure is not None:
        lines, table = _markdown_failure(outcome.failure)
        return _fitted(head + lines, [table], limit, full_summary)
    if outcome.issues:
        lines, table = _markdown_issues(outcome.issues)
        return _fitted(head + lines, [table], limit, full_summary)
    if outcome.plan is not None:
        lines, tables = _markdown_plan(outcome.plan)
        return _fitted(head + lines, tables, limit, full_summary)
    return _fitted(head, [], limit, full_summary)


def _markdown_plan(plan: PreviewPlan) -> tuple[list[str], list[_Table]]:
    lines = [f"**{_sentence(verdict(plan))}**", "", _sentence(api_calls_sentence(plan)), ""]
    renames = look_alike_sentence(plan.look_alike_renames, _code)
    if renames:
        lines += [f"> ⚠️ **{_sentence(renames)}**", ""]
    tables = []
    if plan.failed_jobs:
        tables.append(_Table([f"**{_sentence(failed_sentence(len(plan.failed_jobs)))}**", ""],
                             ["| job | JobId | error | spec |", "|---|---|---|---|"],
                             [f"| {_code(j.name)} | {_code(j.failed.job_id or '')} | {_cell(_error(j.failed))} | {_spec(j)} |"
                              for j in plan.failed_jobs if j.failed is not None], ("failed job", "failed jobs")))
    plain = plain_jobs(plan)
    changing = [job for job in plain if job.action != "unchanged"]
    if changing:
        tables.append(_changing_table(changing, [], ("changing job", "changing jobs")))
    tables += _markdown_job_sets(job_set_previews(plan))
    templates = [template for template in plan.templates if template.action != "unchanged"]
    if templates:
        tables.append(_Table(["Templates:", ""], ["| template | will | spec | what changes |", "|---|---|---|---|"],
                             [f"| {_code(t.name)} | **{t.action}** | {_spec(t)} | {_template_explanation(t)} |" for t in templates],
                             ("template", "templates"), fold=f"{len(templates)} changing {plural(len(templates), 'template')}",
                             priority=1))
    if plan.jobs_per_template:
        uses = plan.jobs_per_template
        tables.append(_Table(["Jobs per template after the up:", ""], ["| template | jobs | submitted by this up |", "|---|---|---|"],
                             [f"| {_code(use.template)} | {use.jobs} | {use.submitting} |" for use in uses],
                             ("template", "templates"), fold=f"Jobs per template after the up ({len(uses)} {plural(len(uses), 'template')})",
                             priority=2))
    unchanged = [job for job in plain if job.action == "unchanged"]
    if unchanged:
        summary = f"{len(unchanged)} unchanged {plural(len(unchanged), 'job')}" + (" outside job sets" if plan.job_sets else "")
        tables.append(_Table([], ["| job | video | template | spec |", "|---|---|---|---|"],
                             [f"| {_code(j.name)} | {_code(j.video_id)} | {_code(j.template)} | {_spec(j)} |" for j in unchanged],
                             ("unchanged job", "unchanged jobs"), fold=summary, always_folded=True, priority=4))
    return lines, tables


def _changing_table(jobs: Sequence[JobRow], intro: list[str], noun: tuple[str, str], fold: str | None = None) -> _Table:
    return _Table(intro, ["| job | will | video | template | spec | what changes |", "|---|---|---|---|---|---|"],
                  [f"| {_code(j.name)} | **{j.action}** | {_code(j.video_id)} | {_code(j.template)} | {_spec(j)} | "
                   f"{_explain(j, _code)} |" for j in jobs], noun, fold=fold, always_folded=fold is not None, priority=3)


def _markdown_job_sets(job_sets: Sequence[SetPreview]) -> list[_Table]:
    """One list item per set, one sub-item per operation (never folded); then each set's changing jobs, folded."""
    if not job_sets:
        return []
    lines = []
    for job_set in job_sets:
        where = f"declared at {_code(str(job_set.declared))}" if job_set.declared else "no longer declared"
        lines.append(f"- set {_code(job_set.name)}, {where}:")
        lines += [f"  - {operation_sentence(job_set, operation, _code)}" for operation in job_set.operations]
    tables = [_Table(["Job sets:", ""], [], lines, ("line about job sets", "lines about job sets"))]
    for job_set in job_sets:
        changing = job_set.changing
        if changing:
            fold = f"{len(changing)} changing {plural(len(changing), 'job')} of set {_code(job_set.name)}"
            tables.append(_changing_table(changing, [], (f"changing job of set {job_set.name}", f"changing jobs of set {job_set.name}"),
                                          fold))
    return tables


def _markdown_issues(issues: Sequence[SpecIssue]) -> tuple[list[str], _Table]:
    lines = [f"**{_sentence(issues_sentence(len(issues)))}** `vodjobs validate` lists the same problems.", ""]
    rows = [f"| {_code(f'{i.file}:{i.line}:{i.column}')} | {_code(i.field)} | {_cell(i.message)} [{i.code}] |" for i in issues]
    return lines, _Table([], ["| spec | field | problem |", "|---|---|---|"], rows, ("problem", "problems"))


def _markdown_failure(failure: PreviewFailure) -> tuple[list[str], _Table]:
    lines = [f"**{failure.step} failed (exit {failure.exit_code}); nothing was previewed.**", ""]
    output = [line for message in failure.messages for line in message.splitlines()]
    return lines, _Table([], ["```text"], output, ("line of pulumi's output", "lines of pulumi's output"), footer=["```"])


def _explain(job: JobRow, code: Callable[[str], str]) -> str:
    if job.action == "submit":
        return "new job; the up waits for it to end" if job.waits else "new job"
    if job.action == "replace":
        changes = "; ".join(change_text(change, code) for change in job.changes) or "replaced"
        return f"{changes}; the state forgets JobId {code(job.job_id)} (VOD keeps that job)" if job.job_id else changes
    if job.action == "adopt":
        if not job.adopt_verified:
            return f"will adopt {code(job.adopt or '')} ({NOT_VERIFIED}); nothing is submitted"
        return f"records existing job {code(job.adopt or '')}; nothing is submitted"
    if job.action == "rename":
        return f"renamed from {code(job.former_name or '')}; nothing is submitted"
    if job.action == "forget":
        forgotten = f"JobId {code(job.job_id)} forgotten" if job.job_id else "forgotten"
        return f"removed from the specs: {forgotten} in state, no API call (VOD keeps the job and its results)"
    return "unchanged"


def _error(failure: RecordedFailure) -> str:
    return f"{failure.error_code or 'unknown error'}: {failure.error_message}"


def _template_explanation(template: TemplateRow) -> str:
    if template.action == "update":
        return "; ".join(change_text(change, _code) for change in template.changes)
    return _cell(template.config)


def _spec(row: JobRow | TemplateRow) -> str:
    return _code(str(row.spec)) if row.spec is not None else "(removed)"


def _code(text: str) -> str:
    """A code span that survives a table cell: `|` escaped, a backtick inside fenced with two."""
    text = text.replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _plain(text: str) -> str:
    return text


# -- fitting a summary into a limit ----------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    intro: list[str]  # lines above the table, e.g. a caption and a blank line (a folded table's summary says it)
    header: list[str]  # the header row and its separator
    rows: list[str]
    noun: tuple[str, str]  # what a row is, one and many: for "… 3 more changing jobs"
    fold: str | None = None  # the <details> summary when the table folds
    always_folded: bool = False
    footer: list[str] = field(default_factory=list)  # e.g. the fence that closes a code block
    priority: int = 0  # rows of lower priority get the room first when the summary must be cut

    def lines(self, kept: int, folded: bool, full_summary: str) -> list[str]:
        body = [*self.header, *self.rows[:kept], *self.footer, ""] if kept else []
        if kept < len(self.rows):
            more = len(self.rows) - kept
            body += [f"… {more} {'more ' if kept else ''}{self.noun[more != 1]} (full summary: {full_summary})", ""]
        if self.fold is not None and (folded or self.always_folded):
            return [*([] if folded else self.intro), f"<details><summary>{self.fold}</summary>", "", *body, "</details>", ""]
        return [*self.intro, *body]


def _fitted(head: list[str], tables: Sequence[_Table], limit: int | None, full_summary: str) -> str:
    """Head and tables as Markdown, rows cut where the whole would pass `limit` bytes (see render_markdown)."""
    def text(kept: Sequence[int], folded: bool) -> str:
        lines = head + [line for table, k in zip(tables, kept, strict=True) for line in table.lines(k, folded, full_summary)]
        return "\n".join(lines).rstrip() + "\n"

    whole = text([len(table.rows) for table in tables], False)
    if limit is None or _size(whole) <= limit:
        return whole
    kept = [0] * len(tables)
    # Room for every table's header and "… N more" line too (a table's first row brings its header back).
    room = limit - _size(text(kept, True)) - sum(_size("\n".join(table.header + table.footer)) + 2 for table in tables)
    for index in sorted(range(len(tables)), key=lambda i: tables[i].priority):
        for row in tables[index].rows:
            if _size(row) + 1 > room:
                break
            kept[index] += 1
            room -= _size(row) + 1
        if kept[index] < len(tables[index].rows):
            break  # a table of lower priority never shows rows while this one hides some
    return text(kept, True)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


# -- GitHub Actions workflow commands ---------------------------------------------------------------


def render_github_annotations(outcome: PreviewOutcome) -> str:
    """`::notice` on the spec line of every job the up changes, `::error` per problem; then the verdict."""
    lines: list[str] = []
    if outcome.failure is not None:
        step = outcome.failure.step.replace("`", "")
        lines += [annotation("error", {"title": f"{step} failed"}, message) for message in outcome.failure.messages]
        lines.append(f"{step} failed (exit {outcome.failure.exit_code}); nothing was previewed")
    elif outcome.issues:
        lines += spec_issue_lines(outcome.issues)
        lines.append(issues_sentence(len(outcome.issues)))
    elif outcome.plan is not None:
        lines += shared_annotations("warning", _github_warnings(outcome, outcome.plan), f"vodjobs {outcome.stack}")
        lines += shared_annotations("notice", _github_notices(outcome.stack, outcome.plan), f"vodjobs {outcome.stack}")
        lines += [verdict(outcome.plan).replace("`", ""), api_calls_sentence(outcome.plan).replace("`", "")]
        if outcome.plan.failed_jobs:
            lines.append(failed_sentence(len(outcome.plan.failed_jobs)).replace("`", ""))
    return "\n".join(lines) + "\n"


def _github_warnings(outcome: PreviewOutcome, plan: PreviewPlan) -> list[tuple[str, list[Notice]]]:
    """The preview's warnings, by what they are about: no state read, look-alike renames, failed jobs."""
    stack = outcome.stack
    warnings: list[tuple[str, list[Notice]]] = []
    if outcome.without_state is not None:
        warnings.append(("not verified", [({}, f"vodjobs {stack}: not verified against state",
                                           not_verified_sentence(outcome.without_state, _plain).replace("`", ""))]))
    renames = look_alike_sentence(plan.look_alike_renames, _plain)
    if renames:
        warnings.append(("look-alike renames", [({}, f"vodjobs {stack}: looks like a rename", _sentence(renames))]))
    failed: list[Notice] = []
    for job in plan.failed_jobs:
        assert job.failed is not None and job.spec is not None  # a kept job: recorded and declared
        failed.append(({"file": job.spec.file, "line": str(job.spec.line)}, f"vodjobs {stack}: failed job {job.name}",
                       f"job {job.name!r} ({job.failed.job_id}) failed: {_error(job.failed)}; bump its revision: to run it again"))
    return [*warnings, ("failed jobs", failed)]


def _github_notices(stack: str, plan: PreviewPlan) -> list[tuple[str, list[Notice]]]:
    """The notices of every change, by set and then the jobs outside sets: each a share of the step's notices."""
    notices = [(f"set {job_set.name}", set_notices(stack, job_set)) for job_set in job_set_previews(plan)]
    return [*notices, ("jobs outside sets", [
        ({"file": job.spec.file, "line": str(job.spec.line)} if job.spec else {}, f"vodjobs {stack}: {job.action} {job.name}",
         f"job {job.name!r} ({job.video_id}, template {job.template}): {job_explanation(job)}")
        for job in plain_jobs(plan) if job.action != "unchanged"])]


# -- JSON -------------------------------------------------------------------------------------------


def render_json(outcome: PreviewOutcome) -> str:
    document: dict[str, Any] = {"stack": outcome.stack, "ok": outcome.ok, "jobs": [], "templates": [], "apiCalls": {},
                                "jobsPerTemplate": [], "jobSets": {}, "issues": [asdict(i) for i in outcome.issues],
                                "failure": asdict(outcome.failure) if outcome.failure else None,
                                "withoutState": asdict(outcome.without_state) if outcome.without_state else None}
    plan = outcome.plan
    if plan is not None:
        document.update(
            jobs=[_job_json(job) for job in plan.jobs],
            templates=[{**asdict(t), "spec": asdict(t.spec) if t.spec else None} for t in plan.templates],
            apiCalls=dict(plan.api_calls),
            waitingJobs=plan.waiting_jobs,
            jobsPerTemplate=[asdict(use) for use in plan.jobs_per_template],
            jobSets={job_set.name: _job_set_json(job_set) for job_set in job_set_previews(plan)},
            lookAlikeRenames=[{"forgotten": old, "submitted": new} for old, new in plan.look_alike_renames],
            summary=verdict(plan).replace("`", ""),
        )
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _job_json(job: JobRow) -> dict[str, Any]:
    return {"name": job.name, "action": job.action, "videoId": job.video_id, "template": job.template,
            "spec": asdict(job.spec) if job.spec else None, "changes": [asdict(c) for c in job.changes],
            "formerName": job.former_name, "adopt": job.adopt, "adoptVerified": job.adopt_verified if job.adopt else None,
            "jobId": job.job_id, "waits": job.waits,
            "failed": _failure_json(job.failed) if job.failed else None}


def _job_set_json(job_set: SetPreview) -> dict[str, Any]:
    """Where the set is, and per action its jobs (names; `jobs` above has each one whole), rows and sentence."""
    return {"spec": asdict(job_set.declared) if job_set.declared else None, "rowsFile": job_set.rows_file,
            "operations": {op.action: {"count": len(op.jobs), "jobs": [job.name for job in op.jobs],
                                       "rows": [list(run) for run in line_ranges(op.lines)],
                                       "summary": operation_sentence(job_set, op, _plain)} for op in job_set.operations}}


def _failure_json(failure: RecordedFailure) -> dict[str, str]:
    return {"jobId": failure.job_id or "", "errorCode": failure.error_code or "", "errorMessage": failure.error_message or ""}


# -- words ------------------------------------------------------------------------------------------


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "." if text and not text.startswith("`") else text + "."
