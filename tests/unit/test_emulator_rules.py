"""The emulator's input rules, table by table (vod_emulator.rules): each bad input names its problem."""

from __future__ import annotations

import pytest

from vod_emulator import rules
from vod_emulator.errors import ApiError

AUDIT = '{"AuditItem":["porn"],"AuditRange":["video"],"AuditContent":["screen"],"AuditAutoBlock":"yes"}'


@pytest.mark.parametrize(("user_data", "problem"), [
    ('{"Extend":{"a":"b"}}', None),
    ('{"Extend":"{\\"a\\":\\"b\\"}"}', None),
    ('{"MessageCallback":{"CallbackURL":"http://h/cb"}}', None),
    ('{"Extend":"' + "x" * 499 + '"}', None),
    ('{"Extend":"' + "x" * 500 + '"}', "at most 512 bytes"),
    ('{"Extend":"' + "é" * 249 + '"}', None),
    ('{"Extend":"' + "é" * 250 + '"}', "at most 512 bytes"),
    ("not json", "must be a JSON string"),
    ('["Extend"]', "must contain MessageCallback or Extend"),
    ('{"AccelerateConfig":{}}', "must contain MessageCallback or Extend"),
])
def test_user_data_must_be_json_of_at_most_512_bytes_with_extend_or_message_callback(user_data: str, problem: str | None) -> None:
    if problem is None:
        rules.check_user_data(user_data)
        return
    with pytest.raises(ApiError, match=problem) as raised:
        rules.check_user_data(user_data)
    assert (raised.value.http_status, raised.value.code) == (400, "InvalidParameter")


@pytest.mark.parametrize(("job_ids", "expected"), [
    ("a", ["a"]),
    (" a , b ,a,,", ["a", "b"]),
    (",".join(str(n) for n in range(10)), [str(n) for n in range(10)]),
    (",".join(str(n) for n in range(11)), "At most 10 JobIds per call, got 11"),
    (" , ", "at least one job"),
])
def test_job_ids_are_split_deduplicated_and_capped_at_ten(job_ids: str, expected: list[str] | str) -> None:
    if isinstance(expected, list):
        assert rules.split_job_ids(job_ids) == expected
        return
    with pytest.raises(ApiError, match=expected):
        rules.split_job_ids(job_ids)


@pytest.mark.parametrize(("template_type", "config", "problem"), [
    ("AIImage", '{"Format":"gif","SetDefaultCover":"true"}', None),
    ("AIImage", '{"Format":"png","SetDefaultCover":"false"}', None),
    ("AIImage", '{"Format":"jpg","SetDefaultCover":"false"}', "Format must be one of the strings gif, png"),
    ("AIImage", '{"Format":"gif","SetDefaultCover":true}', "SetDefaultCover must be one of the strings true, false"),
    ("AIImage", '{"Format":"gif"}', "SetDefaultCover must be one of"),
    ("AIImage", '{"Format":"gif","SetDefaultCover":"true","Count":3}', r"Unknown field\(s\) Count"),
    ("AIImage", '"gif"', "must be a JSON object"),
    ("AIImage", "{", "must be a JSON object"),
    ("AIMediaAudit", AUDIT, None),
    ("AIMediaAudit", AUDIT.replace('"porn"', '"violence"'), "AuditItem must be a non-empty list"),
    ("AIMediaAudit", AUDIT.replace('["video"]', "[]"), "AuditRange must be a non-empty list"),
    ("AIMediaAudit", AUDIT.replace('"yes"', "true"), "AuditAutoBlock must be yes or no"),
])
def test_template_config_follows_the_schema_of_its_type(template_type: str, config: str, problem: str | None) -> None:
    if problem is None:
        rules.check_template_config(template_type, config)
        return
    with pytest.raises(ApiError, match=problem):
        rules.check_template_config(template_type, config)


def test_a_template_name_may_have_128_bytes_and_no_more() -> None:
    rules.check_template_name("n" * 128)
    with pytest.raises(ApiError, match="at most 128 bytes"):
        rules.check_template_name("é" * 65)
