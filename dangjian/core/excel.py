"""Excel import and export machinery shared by every ledger.

Reading copes with the sheets clerks really have: a title row above the header, blank trailing
rows, full-width digits and spaces. Writing uses openpyxl's write-only mode so exports stream.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.encoding import force_str
from django_tables2.rows import BoundRow
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .errors import DomainError

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_HEADER_SEARCH_ROWS = 10


def clean_cell(value: Any) -> Any:
    """Full-width characters to half-width (NFKC), whitespace trimmed; None for empty strings."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).replace("\u3000", " ").strip()
        return value or None
    return value


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class SheetRows:
    header_row: int
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def read_sheet(upload: Any, columns: dict[str, str], required: Sequence[str], sheet_name: str) -> SheetRows:
    """Read `sheet_name` (or the first sheet) into dicts keyed by field name.

    `columns` maps Chinese header text to field names. The header row is the first of the top
    rows that holds every required header; rows above it (titles) are skipped, blank rows ignored.
    """
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DomainError("无法读取该文件：请上传 .xlsx 格式的 Excel 文件。", field="file") from exc
    try:
        if sheet_name in wb.sheetnames:
            ws = wb[sheet_name]
        elif len(wb.sheetnames) == 1:
            ws = wb[wb.sheetnames[0]]
        else:
            raise DomainError(f"找不到名为“{sheet_name}”的工作表，请使用下载的模板。", field="file")
        header_map: dict[int, str] | None = None
        header_row = 0
        result = SheetRows(header_row=0)
        for idx, raw in enumerate(ws.iter_rows(values_only=True), start=1):
            values = [clean_cell(v) for v in raw]
            if header_map is None:
                labels = {i: str(v) for i, v in enumerate(values) if v is not None}
                found = {label: i for i, label in labels.items() if label in columns}
                if all(r in found for r in required):
                    header_map = {i: columns[label] for label, i in found.items()}
                    header_row = idx
                elif idx >= MAX_HEADER_SEARCH_ROWS:
                    break
                continue
            if all(v is None for v in values):
                continue
            result.rows.append(
                (idx, {name: values[i] if i < len(values) else None for i, name in header_map.items()})
            )
        if header_map is None:
            missing = "、".join(required)
            raise DomainError(f"表头缺少必需的列：{missing}。请使用下载的模板。", field="file")
        result.header_row = header_row
        return result
    finally:
        wb.close()


def xlsx_response(
    filename: str,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    title: str | None = None,
) -> FileResponse:
    """Stream an .xlsx built in write-only mode (constant memory whatever the row count)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31])
    if title:
        ws.append([title])
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = bold
        header_cells.append(c)
    ws.append(header_cells)
    for row in rows:
        ws.append([excel_value(v) for v in row])
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(tmp)
    tmp.seek(0)
    response = FileResponse(tmp, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def table_values(table: Any, exclude_columns: Iterable[str] = (), chunk_size: int = 2000) -> Iterator[list]:
    """`table.as_values()` without holding the rows: a queryset is read in chunks with `.iterator()`, so a
    million-row export keeps the memory of one chunk (as_values would cache every row it has read)."""
    data = table.data.data
    if not isinstance(data, QuerySet):
        yield from table.as_values(exclude_columns=exclude_columns)
        return
    columns = [
        c for c in table.columns.iterall() if not (c.column.exclude_from_export or c.name in exclude_columns)
    ]
    yield [force_str(c.header, strings_only=True) for c in columns]
    for record in data.iterator(chunk_size=chunk_size):
        row = BoundRow(record, table=table)
        yield [force_str(row.get_cell_value(c.name), strings_only=True) for c in columns]


def excel_value(v: Any) -> Any:
    if hasattr(v, "tzinfo") and getattr(v, "tzinfo", None) is not None:
        from django.utils import timezone

        return timezone.localtime(v).replace(tzinfo=None)
    if isinstance(v, bool):
        return "是" if v else "否"
    return v
