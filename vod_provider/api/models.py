"""What the VOD API answers, as frozen values with the cloud's field values as text (pure: JSON in, values out)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

# GetAIImageJobs takes at most this many comma-separated JobIds (shared/reference/vod-api.md).
MAX_JOB_IDS_PER_QUERY = 10


def _text(item: Mapping[str, Any], key: str) -> str:
    """A response field as text: absent and JSON null are both "" (str(None) would be the text "None")."""
    value = item.get(key)
    return "" if value is None else str(value)


_Record = TypeVar("_Record", bound="_ApiRecord")


class _ApiRecord:
    """A record of an answer: its fields, in order, are the answer's API_KEYS, as text."""

    API_KEYS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *values: str) -> None:  # replaced by each dataclass's own __init__
        raise NotImplementedError

    @classmethod
    def from_api(cls: type[_Record], item: Mapping[str, Any]) -> _Record:
        return cls(*(_text(item, key) for key in cls.API_KEYS))


@dataclass(frozen=True)
class SubmittedJob:
    job_id: str
    request_id: str


@dataclass(frozen=True)
class AIImageJobInfo(_ApiRecord):
    """One entry of GetAIImageJobs.AIImageJobList, with the cloud's field values as strings."""

    API_KEYS = ("JobId", "VideoId", "Status", "Code", "Message", "AIImageResult", "TemplateId", "TemplateConfig", "CreationTime",
                "UserData")

    job_id: str
    video_id: str
    status: str
    code: str
    message: str
    result: str
    template_id: str
    template_config: str
    creation_time: str
    user_data: str



@dataclass(frozen=True)
class AITemplateInfo(_ApiRecord):
    """GetAITemplate.TemplateInfo, with the cloud's values as strings."""

    API_KEYS = ("TemplateId", "TemplateName", "TemplateType", "TemplateConfig")

    template_id: str
    name: str
    template_type: str
    config: str
