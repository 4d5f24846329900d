"""XLSX exports (the first non-empty sheet), streamed by openpyxl in read-only mode once :mod:`etl.xlsx_guard`
has found the file within the limits.

The sheet is read as its rows are, not as it declares itself: ``reset_dimensions`` keeps openpyxl from padding
every row to a declared width and from adding empty rows up to a declared height. Every row counts against
``xlsx.max_rows``, the empty ones openpyxl fills into gaps between row numbers included.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from etl.limits import limits, number, where
from etl.rawtable import RawTable, UnreadableInput, check_cells, plural, rows_list
from etl.xlsx_guard import Inspection, column_number, inspect

CHUNK = 1 << 20


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


def _formulas_warning(name: str, header: list[str], inspection: Inspection, part: str | None) -> str | None:
    """Formulas whose value was never computed (a workbook written by a script, never opened in a spreadsheet)
    are empty cells to openpyxl: a budget "=1000*15" would load as unknown without a word."""
    parts = [part] if part in inspection.formulas else list(inspection.formulas)
    cells = [c for p in parts for c in inspection.formulas[p]]
    count = sum(inspection.formula_counts[p] for p in parts)
    if not count:
        return None
    by_column: dict[str, list[int]] = defaultdict(list)
    for row, letters in cells:
        by_column[letters].append(row - 1)  # row 1 is the header: record numbers, as in rejections
    described = []
    for letters, rows in sorted(by_column.items(), key=lambda kv: column_number(kv[0])):
        k = column_number(letters) - 1
        column = header[k] if k < len(header) and header[k] else f"colonne {letters}"
        records = sorted(r for r in rows if r > 0)
        where_ = ([rows_list(records)] if records else []) + (["en-tête"] if len(records) < len(rows) else [])
        described.append(f"colonne « {column} » : {', '.join(where_)}")
    return (f"{name} : {plural(count, 'formule sans valeur calculée, lue', 'formules sans valeur calculée, lues')} "
            "comme des cellules vides (le classeur n'a jamais été recalculé ; ouvrez-le et enregistrez-le dans "
            f"Excel ou LibreOffice) — {' ; '.join(described)}")


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _open_xlsx(path: Path, name: str) -> RawTable:
    import openpyxl

    lim = limits()
    inspection = inspect(path, name, lim)

    def workbook():
        try:
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise UnreadableInput(f"{name} : classeur XLSX illisible ({exc})") from exc

    def sheet_of(wb):
        sheet = next((ws for ws in wb.worksheets if ws.max_row and ws.max_row > 1), wb.worksheets[0])
        sheet.reset_dimensions()
        return sheet

    wb = workbook()
    try:
        sheet = sheet_of(wb)
        try:
            first = next(sheet.iter_rows(values_only=True), None)
        except Exception as exc:
            raise UnreadableInput(f"{name} : classeur XLSX illisible ({exc})") from exc
        title, part = sheet.title, getattr(sheet, "_worksheet_path", None)
    finally:
        wb.close()
    if first is None:
        raise UnreadableInput(f"{name} : classeur vide")
    header = [_cell(h).strip() for h in first]
    while header and not header[-1]:
        header.pop()
    width = len(header)

    def records() -> Iterator[list[str]]:
        book = workbook()
        n = 1
        try:
            rows = sheet_of(book).iter_rows(values_only=True)
            next(rows, None)
            for row in rows:
                n += 1
                if n > lim.xlsx_max_rows:
                    raise UnreadableInput(f"{name} : classeur refusé : plus de {number(lim.xlsx_max_rows)} lignes "
                                          f"({where('xlsx.max_rows')})")
                cells = [_cell(v) for v in row]
                if len(cells) < width:
                    cells += [""] * (width - len(cells))
                yield check_cells(cells, header)
        except UnreadableInput:
            raise
        except Exception as exc:  # a value openpyxl cannot convert (<v>NaN</v>…): the file, not the build, is at fault
            raise UnreadableInput(f"{name} : classeur XLSX illisible à la ligne {n} de la feuille ({exc})") from exc
        finally:
            book.close()

    table = RawTable(name, header, records, "xlsx", None, _sha256(path), path.stat().st_size)
    table.notes.append(f"feuille « {title} »")
    if warning := _formulas_warning(name, header, inspection, part):
        table.warnings.append(warning)
    return table
