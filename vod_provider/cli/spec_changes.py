"""What a pull request changes in the specs, base against head, without the stack's state (the fork fallback).

Pure: two SpecSets in, a PreviewPlan out, in the shapes `vodjobs preview` renders. It answers what a merge would
change *if the state matches the base branch's specs*: a job the state holds under another name, or one a targeted
up left out, shows here as new. `vodjobs preview --no-state` says so above the plan. Identity is the provider's
(providers/diff.py): a job is replaced when its video, template, userData, pipeline or revision changes, and an alias
of a base job's name is a rename. An `adopt:` is never verified here: nothing is looked up.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from vod_provider.cli.preview_plan import (
    JOB_ACTIONS,
    TEMPLATE_ACTIONS,
    Change,
    JobRow,
    PreviewPlan,
    SpecLocation,
    TemplateRow,
    api_calls,
    jobs_per_template,
    pair_look_alikes,
    user_data_changes,
    with_former_set_jobs,
)
from vod_provider.providers.diff import diff_job
from vod_provider.spec.model import JobSpec, SpecSet, TemplateSpec

_SECRET = "[secret]"


def plan_spec_changes(base: SpecSet, head: SpecSet) -> PreviewPlan:
    """Each head job and template against its base declaration (by name, or by an alias for a job)."""
    base_jobs = {job.name: job for job in base.jobs}
    matched: set[str] = set()
    rows, new = [], []
    for job in head.jobs:
        former = next((name for name in (job.name, *job.aliases) if name in base_jobs and name not in matched), None)
        if former is not None:
            matched.add(former)
        rows.append(_job_row(job, base_jobs.get(former) if former else None))
        new += [job] if rows[-1].action == "submit" else []
    forgotten = [job for job in base.jobs if job.name not in matched]
    rows += [JobRow(job.name, "forget", job.video_id, _template(job), None, job_set=job.job_set) for job in forgotten]
    jobs = tuple(sorted(with_former_set_jobs(rows), key=lambda row: (JOB_ACTIONS.index(row.action), row.name)))
    templates = tuple(sorted(_template_rows(base, head), key=lambda row: (TEMPLATE_ACTIONS.index(row.action), row.name)))
    # A set the pull request removes whole is in no head summary: its forgotten jobs say the set is no longer declared.
    return PreviewPlan(jobs, templates, api_calls(jobs, templates), jobs_per_template(jobs), head.job_sets,
                       _look_alike_renames(forgotten, new))


def _look_alike_renames(forgotten: Sequence[JobSpec], new: Sequence[JobSpec]) -> tuple[tuple[str, str], ...]:
    """(forgotten, new) job names declaring the same job: renamed without `aliases:` (preview_plan's pairing)."""
    def identity(job: JobSpec) -> str:
        return json.dumps(_identity(job), sort_keys=True)

    return pair_look_alikes([(identity(job), job.name) for job in forgotten], [(identity(job), job.name) for job in new])


def _job_row(job: JobSpec, before: JobSpec | None) -> JobRow:
    row = JobRow(job.name, "submit", job.video_id, _template(job), SpecLocation(job.file, job.line), job_set=job.job_set)
    if before is None:
        if job.adopt:
            return replace(row, action="adopt", adopt=job.adopt, adopt_verified=False)
        return replace(row, waits=job.wait_seconds is not None)
    changes = diff_job(_identity(before), _identity(job)).changes
    if changes:
        secret = job.user_data_secret or before.user_data_secret
        shown = tuple(shown for change in changes for shown in _shown(change.field, change.old, change.new, secret))
        return replace(row, action="replace", changes=shown, waits=job.wait_seconds is not None)
    if before.name != job.name:
        return replace(row, action="rename", former_name=before.name)
    return replace(row, action="unchanged")


def _identity(job: JobSpec) -> dict[str, Any]:
    """The job's inputs as the program declares them (a named template's id is not known without state)."""
    return {"videoId": job.video_id, "template": job.template_name, "templateId": job.template_id,
            "userData": job.user_data, "pipelineId": job.pipeline_id, "revision": job.revision or None}


def _shown(field: str, old: Any, new: Any, secret: bool) -> tuple[Change, ...]:
    if field == "userData":
        if secret:
            return (Change(field, _SECRET, _SECRET),)
        keyed = user_data_changes(old, new)
        if keyed:
            return keyed
    if field == "revision":
        return (Change(field, str(old or 0), str(new or 0)),)
    return (Change(field, "(none)" if old is None else str(old), "(none)" if new is None else str(new)),)


def _template(job: JobSpec) -> str:
    return job.template_name or str(job.template_id)


def _template_rows(base: SpecSet, head: SpecSet) -> list[TemplateRow]:
    before = {template.name: template for template in base.templates}
    now = {template.name: template for template in head.templates}
    rows = []
    for name in sorted(before.keys() | now.keys()):
        old, new = before.get(name), now.get(name)
        shown = new or old
        assert shown is not None
        config, location = _described(shown), SpecLocation(shown.file, shown.line) if new else None
        if old is None:
            rows.append(TemplateRow(name, "create", config, location))
        elif new is None:
            rows.append(TemplateRow(name, "delete", config, None))
        else:
            changes = tuple(Change(label, value(old), value(new)) for label, value in _TEMPLATE_FIELDS.items() if value(old) != value(new))
            rows.append(TemplateRow(name, "update" if changes else "unchanged", config, location, changes))
    return rows


def _format(template: TemplateSpec) -> str:
    return str(template.format)


def _default_cover(template: TemplateSpec) -> str:
    return str(template.set_default_cover).lower()


_TEMPLATE_FIELDS: dict[str, Callable[[TemplateSpec], str]] = {"format": _format, "setDefaultCover": _default_cover}


def _described(template: TemplateSpec) -> str:
    return ", ".join(f"{label} {value(template)}" for label, value in _TEMPLATE_FIELDS.items())
