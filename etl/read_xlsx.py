"""XLSX exports (the first non-empty sheet), streamed by openpyxl in read-only mode."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

from etl.rawtable import RawTable, UnreadableInput, check_cells


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # A comma decimal mark keeps "15000.125" from reading as fifteen million in French number parsing.
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return str(value)


def _open_xlsx(path: Path, name: str) -> RawTable:
    import openpyxl

    def workbook():
        try:
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise UnreadableInput(f"{name} : classeur XLSX illisible ({exc})") from exc

    def sheet_of(wb):
        return next((ws for ws in wb.worksheets if ws.max_row and ws.max_row > 1), wb.worksheets[0])

    wb = workbook()
    try:
        sheet = sheet_of(wb)
        first = next(sheet.iter_rows(values_only=True), None)
        title = sheet.title
    finally:
        wb.close()
    if first is None:
        raise UnreadableInput(f"{name} : classeur vide")
    header = [_cell(h).strip() for h in first]
    while header and not header[-1]:
        header.pop()

    def records() -> Iterator[list[str]]:
        book = workbook()
        try:
            rows = sheet_of(book).iter_rows(values_only=True)
            next(rows, None)
            for row in rows:
                yield check_cells([_cell(v) for v in row], header)
        finally:
            book.close()

    data = path.read_bytes()
    table = RawTable(name, header, records, "xlsx", None, hashlib.sha256(data).hexdigest(), len(data))
    table.notes.append(f"feuille « {title} »")
    return table
