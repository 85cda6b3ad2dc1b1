"""Spec objects → spec YAML: the inverse of loading, for generated spec sets and round-trip tests.

Every job is written out in full (no `defaults:`), so loading the text gives
back equal JobSpec and TemplateSpec objects.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import yaml

from vod_provider.spec.model import JobSpec, TemplateSpec


def render_spec(jobs: Iterable[JobSpec], templates: Iterable[TemplateSpec] = ()) -> str:
    """One spec document declaring these jobs and templates."""
    document: dict[str, Any] = {}
    rendered_templates = {t.name: _template(t) for t in templates}
    if rendered_templates:
        document["templates"] = rendered_templates
    document["jobs"] = {job.name: _job(job) for job in jobs}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1_000_000)


def _job(job: JobSpec) -> dict[str, Any]:
    body: dict[str, Any] = {"videoId": job.video_id}
    if job.template_name is not None:
        body["template"] = job.template_name
    if job.template_id is not None:
        body["templateId"] = job.template_id
    if job.user_data is not None:
        body["userData"] = json.loads(job.user_data)
    if job.pipeline_id is not None:
        body["pipelineId"] = job.pipeline_id
    if job.aliases:
        body["aliases"] = list(job.aliases)
    if job.revision:
        body["revision"] = job.revision
    if job.wait_seconds is not None:
        body["wait"] = f"{round(job.wait_seconds)}s"
    if job.adopt is not None:
        body["adopt"] = job.adopt
    return body


def _template(template: TemplateSpec) -> dict[str, Any]:
    return {"format": template.format, "setDefaultCover": template.set_default_cover}
