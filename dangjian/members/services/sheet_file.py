"""Reading an uploaded roster: .xlsx through calamine (Rust, several times faster than openpyxl, which
stays for writing) or .csv as Excel in China saves it (UTF-8 with or without BOM, or GBK).

The format is told from the file's first bytes, not its name, so a file renamed to .xlsx gets a message
saying what it really is instead of a parser's traceback. Rows come out as `core.excel.read_sheet`
gives them: header found among the top rows, cells NFKC-cleaned, blank rows dropped, sheet row numbers.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from dangjian.core.errors import DomainError
from dangjian.core.excel import MAX_HEADER_SEARCH_ROWS, SheetRows, clean_cell
from dangjian.core.memory import gc_paused

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx saved with a password
TEXT_NAMES = (".csv", ".txt")
EXACT_FLOAT = 2**53  # whole numbers below this were typed as such; above it Excel has rounded them

UNREADABLE = "无法读取该文件：请上传 .xlsx 格式的 Excel 文件或 .csv 文件。"
NOT_XLSX = (
    "该文件的内容不是 .xlsx 格式的 Excel 工作簿（可能是其他文件改了扩展名）："
    "请在 Excel 或 WPS 中打开后“另存为” .xlsx 或 CSV 再上传。"
)
OLD_EXCEL = (
    "这是旧版 Excel（.xls）文件或设了密码的文件，无法读取：请在 Excel 或 WPS 中打开后"
    "“另存为” .xlsx（不设密码）或 CSV 再上传。"
)
BAD_CSV = "无法读取该 CSV 文件：格式有误，请在 Excel 或 WPS 中打开后重新“另存为” CSV 再上传。"
BAD_ENCODING = "无法识别 CSV 文件的编码：请另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”后再上传。"


@gc_paused()
def read_upload(upload: Any, columns: dict[str, str], required: Sequence[str], sheet_name: str) -> SheetRows:
    """The rows of an uploaded .xlsx or .csv, keyed by field name; DomainError(field="file") when the
    file cannot be read or lacks a required header."""
    data = upload.read()
    name = str(getattr(upload, "name", "") or "").lower()
    if data.startswith(ZIP_MAGIC):
        rows = _xlsx_rows(data, sheet_name)
    elif data.startswith(OLE_MAGIC):
        raise DomainError(OLD_EXCEL, field="file")
    elif name.endswith((".xlsx", ".xlsm")):
        raise DomainError(NOT_XLSX, field="file")
    elif name and not name.endswith(TEXT_NAMES):
        raise DomainError(UNREADABLE, field="file")
    else:
        try:
            return _collect(csv.reader(io.StringIO(_decode(data), newline="")), columns, required)
        except csv.Error as exc:  # a field longer than 131,072 characters: not a roster
            raise DomainError(BAD_CSV, field="file") from exc
    return _collect(rows, columns, required)


def _xlsx_rows(data: bytes, sheet_name: str) -> Iterable[list[Any]]:
    try:  # CalamineError also for a zip that is not a workbook (a .docx renamed) or a damaged one
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = wb.sheet_names
        if sheet_name not in names and len(names) != 1:
            raise DomainError(f"找不到名为“{sheet_name}”的工作表，请使用下载的模板。", field="file")
        sheet = wb.get_sheet_by_name(sheet_name if sheet_name in names else names[0])
        # From A1 even when the top rows are empty, so row numbers are the ones Excel shows.
        return sheet.to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise DomainError(UNREADABLE, field="file") from exc


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:  # UTF-16 text or a binary file: neither is a CSV Excel writes
        raise DomainError(UNREADABLE, field="file")
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030 reads GBK (Excel's “CSV（逗号分隔）”)
        try:
            return codecs.decode(data, encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(BAD_ENCODING, field="file")


def _cell(value: Any) -> Any:
    """`clean_cell`, with a shortcut for ASCII text. calamine gives every number as a float; whole ones
    become ints as openpyxl gives them, except those too large to be exact (an 18-digit ID number Excel
    stored as a number stays a float, so the import can say so)."""
    kind = type(value)
    if kind is str:
        return (value.strip() or None) if value.isascii() else clean_cell(value)
    if kind is float and value.is_integer() and abs(value) < EXACT_FLOAT:
        return int(value)
    return value


def _collect(rows: Iterable[list[Any]], columns: dict[str, str], required: Sequence[str]) -> SheetRows:
    result = SheetRows(header_row=0)
    header: list[tuple[int, str]] | None = None
    for idx, raw in enumerate(rows, start=1):
        if header is None:
            labels = {i: str(_cell(v)) for i, v in enumerate(raw) if _cell(v) is not None}
            found = {label: i for i, label in labels.items() if label in columns}
            if all(r in found for r in required):
                header = [(i, columns[label]) for label, i in found.items()]
                result.header_row = idx
            elif idx >= MAX_HEADER_SEARCH_ROWS:
                break
            continue
        width = len(raw)
        values = {name: _cell(raw[i]) if i < width else None for i, name in header}
        # A row is blank only if every cell is, read or not (a note in an unread column is reported).
        if any(v is not None for v in values.values()) or any(_cell(v) is not None for v in raw):
            result.rows.append((idx, values))
    if header is None:
        raise DomainError(f"表头缺少必需的列：{'、'.join(required)}。请使用下载的模板。", field="file")
    return result
