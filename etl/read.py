"""Reading exports: CSV (UTF-8 with or without BOM, or Windows-1252; ``;``, ``,`` or tab) and XLSX.

A file becomes a :class:`RawTable`: the header and every record as a list of strings, numbered from 1 (header
excluded), so that a rejection can name the file and row a user opens in a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path


class UnreadableInput(Exception):
    """The file cannot be read at all (missing, empty, not CSV/XLSX, no header); the message names the file."""


@dataclass
class RawTable:
    source_file: str
    header: list[str]
    rows: list[list[str]]
    encoding: str
    delimiter: str | None
    sha256: str
    blank_rows: int = 0
    notes: list[str] = field(default_factory=list)


DELIMITERS = (";", ",", "\t")


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (BOM or not) when it decodes, else Windows-1252 (Latin-1 for the five bytes
    Windows-1252 leaves undefined)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter most frequent outside quotes in the header line."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "\r\n":
            break
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def read_csv_bytes(data: bytes, source_file: str) -> RawTable:
    text, encoding = decode(data)
    if not text.strip():
        raise UnreadableInput(f"{source_file} : fichier vide")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise UnreadableInput(f"{source_file} : CSV illisible ({exc})") from exc
    header, rows = records[0], records[1:]
    return RawTable(source_file, [h.strip() for h in header], rows, encoding, delimiter,
                    hashlib.sha256(data).hexdigest())


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


def read_xlsx_bytes(data: bytes, source_file: str) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableInput(f"{source_file} : classeur XLSX illisible ({exc})") from exc
    try:
        sheet = next((ws for ws in wb.worksheets if ws.max_row and ws.max_row > 1), wb.worksheets[0])
        records = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        wb.close()
    if not records:
        raise UnreadableInput(f"{source_file} : classeur vide")
    header = [h.strip() for h in records[0]]
    while header and not header[-1]:
        header.pop()
    table = RawTable(source_file, header, records[1:], "xlsx", None, hashlib.sha256(data).hexdigest())
    table.notes.append(f"feuille « {sheet.title} »")
    return table


def read_table(path: str | Path) -> RawTable:
    """Read one export file; raises :class:`UnreadableInput` with a clear message when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"{path} : lecture impossible ({exc.strerror or exc})") from exc
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        table = read_xlsx_bytes(data, path.name)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableInput(f"{path.name} : ancien format Excel (.xls) ; enregistrez-le en .xlsx ou en CSV")
    else:
        table = read_csv_bytes(data, path.name)
    if not any(table.header):
        raise UnreadableInput(f"{path.name} : pas de ligne d'en-tête")
    return table
