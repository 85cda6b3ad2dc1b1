"""What the server writes back: a status, headers, and a JSON or XML body (or nothing: a dropped connection)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape


@dataclass
class HttpResponse:
    status: int
    body: dict[str, Any] | list[Any]
    headers: dict[str, str] = field(default_factory=dict)
    xml_root: str | None = None  # render as XML under this element instead of JSON
    drop_connection: bool = False  # close the connection without answering

    def encoded(self) -> tuple[bytes, str]:
        """The body bytes and their Content-Type."""
        if self.xml_root is None:
            return json.dumps(self.body, ensure_ascii=False).encode("utf-8"), "application/json;charset=utf-8"
        xml = f'<?xml version="1.0" encoding="UTF-8"?>{_xml_element(self.xml_root, self.body)}'
        return xml.encode("utf-8"), "text/xml;charset=utf-8"


def _xml_element(name: str, value: Any) -> str:
    # CHOICE: a JSON array becomes the element repeated under the array's own name.
    if isinstance(value, list):
        return "".join(_xml_element(name, item) for item in value)
    if isinstance(value, dict):
        return f"<{name}>{''.join(_xml_element(k, v) for k, v in value.items())}</{name}>"
    text = "true" if value is True else "false" if value is False else "" if value is None else str(value)
    return f"<{name}>{escape(text)}</{name}>"
