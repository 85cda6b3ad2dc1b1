"""The dynamic provider and resource class for AIImage templates (`pulumi-python:dynamic/vod:AITemplate`).

A template is the one thing vodjobs manages that the API can edit and delete: a name or config
change updates it in place (its id, and so every job using it, stays), removing it deletes it.
Jobs that name it depend on it, so Pulumi creates templates first and deletes them last. A job is
identified by the name of the template it names, not by its id: a template deleted outside
vodjobs is dropped by `pulumi refresh` (with a warning) and created again by the next `up`, with a
new id, and none of its jobs is submitted again. Like
the job provider, the class is pickled by reference: its module path and name are state format.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from vod_provider.providers.base import ConfiguredProvider, report
from vod_provider.providers.runtime import RUNTIME
from vod_provider.spec.model import TemplateSpec

TEMPLATE_INPUTS = ("templateName", "templateConfig")


def _essence(props: dict[str, Any]) -> dict[str, Any]:
    return {key: props[key] for key in TEMPLATE_INPUTS if props.get(key) is not None}


def _gone_warning(name: str, template_id: str) -> str:
    return (f"warning: template {name!r} ({template_id}) is not known to the service any more (deleted outside "
            "vodjobs?): it is removed from state, and the next `pulumi up` creates it again from its spec. The jobs "
            "that name it are not submitted again.")


def _same_config(a: str, b: str) -> bool:
    try:
        return bool(json.loads(a) == json.loads(b))
    except ValueError:
        return a == b


class AITemplateProvider(ConfiguredProvider):
    """Contract: create = AddAITemplate; diff = name or config changed → update in place (never a
    replacement); update = UpdateAITemplate; read = GetAITemplate (gone → removed from state, with a
    warning naming it); delete = DeleteAITemplate, safe when already gone."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = [CheckFailure(k, f"{k} is required") for k in TEMPLATE_INPUTS if not news.get(k)]
        return CheckResult(_essence(news), failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        old, new = _essence(olds), _essence(news)
        changed = [k for k in TEMPLATE_INPUTS if old.get(k) != new.get(k)]
        if changed == ["templateConfig"] and _same_config(old["templateConfig"], new["templateConfig"]):
            changed = []
        return DiffResult(changes=bool(changed), replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        template = _essence(props)
        template_id = RUNTIME.client().add_ai_template(template["templateName"], template["templateConfig"])
        return CreateResult(template_id, {**template, "templateId": template_id})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = RUNTIME.client().get_ai_template(id_)
        if found is None:
            report(_gone_warning(str(props.get("templateName") or id_), id_))
            return ReadResult(None, {})
        outs = {"templateName": found.name, "templateConfig": found.config, "templateId": id_}
        return ReadResult(id_, outs)

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        template = _essence(news)
        RUNTIME.client().update_ai_template(id_, template["templateName"], template["templateConfig"])
        return UpdateResult({**template, "templateId": id_})

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        RUNTIME.client().delete_ai_template(id_)


class AITemplate(Resource, module="vod", name="AITemplate"):
    """One AIImage template; its id is the TemplateId."""

    templateId: pulumi.Output[str]  # noqa: N815

    def __init__(self, template: TemplateSpec, opts: pulumi.ResourceOptions | None = None) -> None:
        props: dict[str, Any] = {
            "templateName": template.name,
            "templateConfig": template.template_config(),
            "templateId": None,
        }
        super().__init__(AITemplateProvider(), template.name, props, opts)
