"""A PreviewOutcome written out for people and machines: Markdown, GitHub annotations, JSON.

Pure: values in, text out. The Markdown is what a reviewer reads in a pull request (step summary
or comment); tests compare it with golden files in tests/golden/preview/.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from vod_provider.cli.github import annotation, spec_issue_annotation
from vod_provider.cli.preview_plan import (
    Change,
    JobAction,
    JobRow,
    PreviewFailure,
    PreviewOutcome,
    PreviewPlan,
    RecordedFailure,
    TemplateAction,
    TemplateRow,
)
from vod_provider.spec.model import SpecIssue

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
    doing = [text.format(n=plan.count(action), jobs=_plural(plan.count(action), "job"))
             for action, text in _DOING.items() if plan.count(action)]
    doing += [text.format(n=plan.count_templates(action), templates=_plural(plan.count_templates(action), "template"))
              for action, text in _DOING_TEMPLATES.items() if plan.count_templates(action)]
    unchanged = plan.count("unchanged")
    rest = f"; {unchanged} {_plural(unchanged, 'job')} {'stays' if unchanged == 1 else 'stay'} unchanged" if unchanged else ""
    return f"`pulumi up` will {_join(doing) if doing else 'change nothing'}{rest}"


def api_calls_sentence(plan: PreviewPlan) -> str:
    """E.g. "`pulumi up` will make 5 API calls: 4 × SubmitAIImageJob, 1 × AddAITemplate"."""
    if not plan.api_calls:
        line = "`pulumi up` will make no API call"
    else:
        listed = ", ".join(f"{count} × {action}" for action, count in plan.api_calls)
        line = f"`pulumi up` will make {plan.total_api_calls} API {_plural(plan.total_api_calls, 'call')}: {listed}"
    extra = []
    if plan.count("adopt"):
        extra.append(f"look up {plan.count('adopt')} adopted {_plural(plan.count('adopt'), 'job')}")
    if plan.waiting_jobs:
        extra.append(f"poll {plan.waiting_jobs} {_plural(plan.waiting_jobs, 'job')} it waits for")
    return line + (f", plus GetAIImageJobs calls to {_join(extra)}" if extra else "")


def job_explanation(job: JobRow) -> str:
    """What happens to the job and why, in words (plain text; Markdown adds code spans)."""
    return _explain(job, _plain)


def failed_sentence(count: int) -> str:
    """E.g. "1 job failed in an earlier run and stays recorded as failed: …"."""
    return (f"{count} {_plural(count, 'job')} failed in an earlier run and {'stays' if count == 1 else 'stay'} recorded as "
            f"failed: `pulumi up` does not run {'it' if count == 1 else 'them'} again; to run one again, bump its `revision:`")


def issues_sentence(count: int) -> str:
    return f"the specs are invalid: {count} {_plural(count, 'problem')}; nothing can be submitted until every one is fixed"


# -- Markdown ---------------------------------------------------------------------------------------


def render_markdown(outcome: PreviewOutcome) -> str:
    lines = [f"## vodjobs preview: stack `{outcome.stack}`", ""]
    if outcome.failure is not None:
        lines += _markdown_failure(outcome.failure)
    elif outcome.issues:
        lines += _markdown_issues(outcome.issues)
    elif outcome.plan is not None:
        lines += _markdown_plan(outcome.plan)
    return "\n".join(lines).rstrip() + "\n"


def _markdown_plan(plan: PreviewPlan) -> list[str]:
    lines = [f"**{_sentence(verdict(plan))}**", "", _sentence(api_calls_sentence(plan)), ""]
    if plan.failed_jobs:
        lines += [f"**{_sentence(failed_sentence(len(plan.failed_jobs)))}**", "", "| job | JobId | error | spec |", "|---|---|---|---|"]
        lines += [f"| {_code(j.name)} | {_code(j.failed.job_id or '')} | {_cell(_error(j.failed))} | {_spec(j)} |"
                  for j in plan.failed_jobs if j.failed is not None]
        lines.append("")
    changing = [job for job in plan.jobs if job.action != "unchanged"]
    if changing:
        lines += ["| job | will | video | template | spec | what changes |", "|---|---|---|---|---|---|"]
        lines += [f"| {_code(j.name)} | **{j.action}** | {_code(j.video_id)} | {_code(j.template)} | {_spec(j)} | {_explain(j, _code)} |"
                  for j in changing]
        lines.append("")
    if any(template.action != "unchanged" for template in plan.templates):
        lines += ["Templates:", "", "| template | will | spec | what changes |", "|---|---|---|---|"]
        lines += [f"| {_code(t.name)} | **{t.action}** | {_spec(t)} | {_template_explanation(t)} |"
                  for t in plan.templates if t.action != "unchanged"]
        lines.append("")
    if plan.jobs_per_template:
        lines += ["Jobs per template after the up:", "", "| template | jobs | submitted by this up |", "|---|---|---|"]
        lines += [f"| {_code(use.template)} | {use.jobs} | {use.submitting} |" for use in plan.jobs_per_template]
        lines.append("")
    unchanged = [job for job in plan.jobs if job.action == "unchanged"]
    if unchanged:
        lines += [f"<details><summary>{len(unchanged)} unchanged {_plural(len(unchanged), 'job')}</summary>", "",
                  "| job | video | template | spec |", "|---|---|---|---|"]
        lines += [f"| {_code(j.name)} | {_code(j.video_id)} | {_code(j.template)} | {_spec(j)} |" for j in unchanged]
        lines += ["", "</details>"]
    return lines


def _markdown_issues(issues: Sequence[SpecIssue]) -> list[str]:
    lines = [f"**{_sentence(issues_sentence(len(issues)))}** `vodjobs validate` lists the same problems.", "",
             "| spec | field | problem |", "|---|---|---|"]
    lines += [f"| {_code(f'{i.file}:{i.line}:{i.column}')} | {_code(i.field)} | {_cell(i.message)} [{i.code}] |" for i in issues]
    return lines


def _markdown_failure(failure: PreviewFailure) -> list[str]:
    return [f"**`pulumi preview` failed (exit {failure.exit_code}); nothing was previewed.**", "", "```text",
            *[line for message in failure.messages for line in message.splitlines()], "```"]


def _explain(job: JobRow, code: Callable[[str], str]) -> str:
    if job.action == "submit":
        return "new job; the up waits for it to end" if job.waits else "new job"
    if job.action == "replace":
        return "; ".join(_change(change, code) for change in job.changes) or "replaced"
    if job.action == "adopt":
        return f"records existing job {code(job.adopt or '')}; nothing is submitted"
    if job.action == "rename":
        return f"renamed from {code(job.former_name or '')}; nothing is submitted"
    if job.action == "forget":
        return "removed from the specs: forgotten in state, no API call (VOD keeps the job and its results)"
    return "unchanged"


def _error(failure: RecordedFailure) -> str:
    return f"{failure.error_code or 'unknown error'}: {failure.error_message}"


def _change(change: Change, code: Callable[[str], str]) -> str:
    return f"{code(change.field)}: {code(change.old)} → {code(change.new)}"


def _template_explanation(template: TemplateRow) -> str:
    if template.action == "update":
        return "; ".join(_change(change, _code) for change in template.changes)
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


# -- GitHub Actions workflow commands ---------------------------------------------------------------


def render_github_annotations(outcome: PreviewOutcome) -> str:
    """`::notice` on the spec line of every job the up changes, `::error` per problem; then the verdict."""
    lines: list[str] = []
    if outcome.failure is not None:
        lines += [annotation("error", {"title": "pulumi preview failed"}, message) for message in outcome.failure.messages]
        lines.append(f"pulumi preview failed (exit {outcome.failure.exit_code}); nothing was previewed")
    elif outcome.issues:
        lines += [spec_issue_annotation(issue) for issue in outcome.issues]
        lines.append(issues_sentence(len(outcome.issues)))
    elif outcome.plan is not None:
        for job in outcome.plan.failed_jobs:
            assert job.failed is not None and job.spec is not None  # a kept job: recorded and declared
            lines.append(annotation("warning", {"file": job.spec.file, "line": str(job.spec.line),
                                                "title": f"vodjobs {outcome.stack}: failed job {job.name}"},
                                    f"job {job.name!r} ({job.failed.job_id}) failed: {_error(job.failed)}; "
                                    "bump its revision: to run it again"))
        for job in outcome.plan.jobs:
            if job.action == "unchanged":
                continue
            where = {"file": job.spec.file, "line": str(job.spec.line)} if job.spec else {}
            lines.append(annotation("notice", {**where, "title": f"vodjobs {outcome.stack}: {job.action} {job.name}"},
                                     f"job {job.name!r} ({job.video_id}, template {job.template}): {job_explanation(job)}"))
        lines += [verdict(outcome.plan).replace("`", ""), api_calls_sentence(outcome.plan).replace("`", "")]
        if outcome.plan.failed_jobs:
            lines.append(failed_sentence(len(outcome.plan.failed_jobs)).replace("`", ""))
    return "\n".join(lines) + "\n"


# -- JSON -------------------------------------------------------------------------------------------


def render_json(outcome: PreviewOutcome) -> str:
    document: dict[str, Any] = {"stack": outcome.stack, "ok": outcome.ok, "jobs": [], "templates": [], "apiCalls": {},
                                "jobsPerTemplate": [], "issues": [asdict(i) for i in outcome.issues],
                                "failure": asdict(outcome.failure) if outcome.failure else None}
    plan = outcome.plan
    if plan is not None:
        document.update(
            jobs=[_job_json(job) for job in plan.jobs],
            templates=[{**asdict(t), "spec": asdict(t.spec) if t.spec else None} for t in plan.templates],
            apiCalls=dict(plan.api_calls),
            waitingJobs=plan.waiting_jobs,
            jobsPerTemplate=[asdict(use) for use in plan.jobs_per_template],
            summary=verdict(plan).replace("`", ""),
        )
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _job_json(job: JobRow) -> dict[str, Any]:
    return {"name": job.name, "action": job.action, "videoId": job.video_id, "template": job.template,
            "spec": asdict(job.spec) if job.spec else None, "changes": [asdict(c) for c in job.changes],
            "formerName": job.former_name, "adopt": job.adopt, "waits": job.waits,
            "failed": _failure_json(job.failed) if job.failed else None}


def _failure_json(failure: RecordedFailure) -> dict[str, str]:
    return {"jobId": failure.job_id or "", "errorCode": failure.error_code or "", "errorMessage": failure.error_message or ""}


# -- words ------------------------------------------------------------------------------------------


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "." if text and not text.startswith("`") else text + "."
