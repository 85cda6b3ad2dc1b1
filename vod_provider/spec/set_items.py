"""The items of a job set as rows: from a CSV file, a plain list of videoIds, or a YAML list (a file or inline).

Each row keeps where it is written, so every problem found in it later names its file, line and column. Pure: text
(or already-read YAML) in, rows and located issues out. A row's values are what its source holds: CSV cells and
plain-list lines are text; YAML values keep their YAML type (the expansion checks them).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vod_provider.spec.model import SpecIssue
from vod_provider.spec.values import kind_of, shown_text
from vod_provider.spec.yaml_nodes import Location
from vod_provider.wording import counted

Path_ = tuple[str, ...]
VIDEO_ID = "videoId"
CSV_SUFFIXES = (".csv",)
LINE_SUFFIXES = (".txt", ".list")
YAML_SUFFIXES = (".yaml", ".yml")
ITEM_SUFFIXES = CSV_SUFFIXES + LINE_SUFFIXES + YAML_SUFFIXES


@dataclass(frozen=True)
class Row:
    """One item: `values` by column (always a `videoId` key unless the row lacks one), where it starts, its index."""

    index: int
    line: int
    column: int
    values: dict[str, Any]


@dataclass
class RowSource:
    """Rows of one source and the problems of the source itself (syntax, header, row shape).

    `header`: the columns every row has (a CSV's header row), None where each row has its own keys.
    """

    file: str
    rows: list[Row] = field(default_factory=list)
    issues: list[SpecIssue] = field(default_factory=list)
    header: tuple[str, ...] | None = None

    def locate(self, row: Row, key: str | None) -> Location:
        """Where `key`'s value is written in `row` (the row's start when `key` is None or not a cell)."""
        return Location(row.line, row.column)

    def field_name(self, row: Row, key: str) -> str:
        """How a value of `row` is named in a message: its column (or the job field it filled)."""
        return key

    def issue(self, row: Row, key: str, code: str, message: str, cell: bool = True) -> SpecIssue:
        where = self.locate(row, key if cell else None)
        return SpecIssue(self.file, where.line, where.column, self.field_name(row, key), code, message)


@dataclass
class CsvSource(RowSource):
    lines: list[str] = field(default_factory=list)

    def locate(self, row: Row, key: str | None) -> Location:
        # Computed only for a row with a problem: the column of the cell on the record's first line.
        if key is None or self.header is None or key not in self.header:
            return Location(row.line, 1)
        return Location(row.line, _cell_column(self.lines[row.line - 1], self.header.index(key)))


def _cell_column(line: str, index: int) -> int:
    """1-based column where field `index` starts in a CSV line (quotes honoured; 1 when the record spans lines)."""
    field_index, quoted = 0, False
    for position, char in enumerate(line):
        if field_index == index:
            return position + 1
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            field_index += 1
    return len(line) + 1 if field_index == index else 1


def csv_rows(text: str, file: str) -> CsvSource:
    """Rows of a CSV file: a header row naming the columns (one must be `videoId`), then one row per item.

    Blank lines are skipped, and so are rows of empty cells (a spreadsheet's export may end with `,,,`). A row with
    another number of values than the header has columns is an issue, and so is a value (or a column name) with
    spaces around it: it is used as written, so `a, b` would send " b"; the value is checked without them as well.
    """
    source = CsvSource(file, lines=text.splitlines())
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous_line = 0
    try:
        for record in reader:
            line, previous_line = previous_line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if reader.line_num > line and _runs_across_lines(source, record, line, reader.line_num):
                continue
            record = _trimmed(source, record, line)
            if source.header is None:
                spaced = len(source.issues)  # spaces around a column name: its rows are still read
                _read_header(source, record, line)
                if len(source.issues) > spaced:
                    return source
                continue
            assert source.header is not None
            if len(record) != len(source.header):
                source.issues.append(SpecIssue(file, line, 1, "(row)", "csv-row",
                                               f"the row has {counted(len(record), 'value')}, the header has "
                                               f"{counted(len(source.header), 'column')} "
                                               f"({', '.join(source.header)}); quote a value that holds a comma"))
                continue
            source.rows.append(Row(len(source.rows), line, 1, dict(zip(source.header, record, strict=True))))
    except csv.Error as exc:
        # Said at the line where the broken record starts: an unclosed quote is found only at the end of the file.
        start, stop = previous_line + 1, max(reader.line_num, previous_line + 1)
        spans = (f" (the record starting on this line runs on to line {stop} inside a quoted value: is a closing quote "
                 "missing?)" if stop > start else "")
        source.issues.append(SpecIssue(file, start, 1, "(file)", "csv-syntax", f"not valid CSV: {exc}{spans}"))
    if source.header is None and not source.issues:
        source.issues.append(SpecIssue(file, 1, 1, "(file)", "items-empty",
                                       f"the file is empty; a CSV of items starts with a header row naming a {VIDEO_ID} column"))
    return source


def _cell_name(source: CsvSource, index: int) -> str:
    """How the cell `index` of a record is named in a message: its column, or (header) / (row) past the header's."""
    if source.header is None:
        return "(header)"
    return source.header[index] if index < len(source.header) else "(row)"


def _runs_across_lines(source: CsvSource, record: list[str], line: int, last_line: int) -> bool:
    """Whether a value of the record holds a line break, said as an issue at its cell. A quote opened by mistake and
    closed by another on a later line makes one value of the rows between, which would silently forget their jobs;
    and no value a row fills (an id, a name, a UserData text) holds a line break."""
    index = next((i for i, cell in enumerate(record) if "\n" in cell or "\r" in cell), None)
    if index is None:
        return False
    named = _cell_name(source, index)
    source.issues.append(SpecIssue(source.file, line, _cell_column(source.lines[line - 1], index), named, "csv-line-break",
                                   f"the value runs on from line {line} to line {last_line}: a quote opened here closes "
                                   "only there, so the lines between are read as part of it, not as rows; a value is "
                                   "one line: close its quote on this line"))
    return True


def _trimmed(source: CsvSource, record: list[str], line: int) -> list[str]:
    """The record's values without spaces around them (the record itself when none has any: the usual case, and a
    file of 300,000 rows is not copied twice); each value that had some is an issue at its cell."""
    spaced = [index for index, cell in enumerate(record) if cell != cell.strip()]
    for index in spaced:
        named = _cell_name(source, index)
        source.issues.append(SpecIssue(source.file, line, _cell_column(source.lines[line - 1], index), named, "whitespace",
                                       f"{shown_text(record[index])} has spaces around it; remove them (a value is used "
                                       "as written: `a, b` would send ' b')"))
    return [cell.strip() for cell in record] if spaced else record


def _read_header(source: CsvSource, record: list[str], line: int) -> None:
    seen: set[str] = set()
    for index, name in enumerate(record):
        column = _cell_column(source.lines[line - 1], index)
        if not name:
            source.issues.append(SpecIssue(source.file, line, column, "(header)", "csv-header",
                                           f"column {index + 1} of the header has no name; name every column"))
        elif name in seen:
            source.issues.append(SpecIssue(source.file, line, column, name, "duplicate-column",
                                           f"column {name!r} is named twice in the header; rename one"))
        seen.add(name)
    if VIDEO_ID not in seen:
        source.issues.append(SpecIssue(source.file, line, 1, "(header)", "missing-column",
                                       f"the header row has no {VIDEO_ID} column (columns: {', '.join(record)}); "
                                       f"the first row of a CSV of items names its columns, one of them {VIDEO_ID}"))
    source.header = tuple(record)


def line_rows(text: str, file: str) -> RowSource:
    """Rows of a plain list: one videoId per line; blank lines and text after `#` are ignored."""
    source = RowSource(file, header=(VIDEO_ID,))
    for number, raw in enumerate(text.splitlines(), start=1):
        value = raw.split("#", 1)[0]
        stripped = value.strip()
        if stripped:
            source.rows.append(Row(len(source.rows), number, len(value) - len(value.lstrip()) + 1, {VIDEO_ID: stripped}))
    return source


@dataclass
class YamlSource(RowSource):
    locations: Mapping[Path_, Location] = field(default_factory=dict)
    base: Path_ = ()
    prefix: str = ""  # how the list itself is named in messages ("" in an items file of its own)

    def locate(self, row: Row, key: str | None) -> Location:
        path = self.base + (str(row.index),)
        return (self.locations.get(path + (key,)) if key is not None else None) or self.locations.get(path) or Location(row.line, row.column)

    def field_name(self, row: Row, key: str) -> str:
        return f"{self.prefix}{row.index}.{key}" if self.prefix else key


def yaml_rows(value: Any, file: str, locations: Mapping[Path_, Location], base: Path_ = (), prefix: str = "") -> YamlSource:
    """Rows of a YAML list: each item a videoId (text) or a mapping of column → value with a `videoId` key."""
    source = YamlSource(file, locations=locations, base=base, prefix=prefix)
    where = locations.get(base) or Location(1, 1)
    if not isinstance(value, list):
        named = prefix.rstrip(".") or "(file)"
        source.issues.append(SpecIssue(file, where.line, where.column, named, "type",
                                       f"items must be a list of videoIds or of mappings with a {VIDEO_ID}, not {kind_of(value)}"))
        return source
    for index, item in enumerate(value):
        at = locations.get(base + (str(index),)) or where
        if isinstance(item, dict):
            values: dict[str, Any] = item
        elif isinstance(item, str):
            values = {VIDEO_ID: item}
        else:
            kind = "an unquoted all-digit id (YAML reads it as a number; quote it)" if isinstance(item, int) else kind_of(item)
            source.issues.append(SpecIssue(file, at.line, at.column, f"{prefix}{index}" if prefix else str(index), "type",
                                           f"an item is a videoId or a mapping with a {VIDEO_ID}, not {kind}"))
            continue
        source.rows.append(Row(index, at.line, at.column, values))
    return source
