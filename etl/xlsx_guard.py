"""An XLSX file inspected before openpyxl parses it: decompression bombs are refused in a fraction of a second.

An XLSX is a zip of XML parts. openpyxl reads some parts whole into memory (shared strings, styles, workbook)
and streams the worksheets, but fills in every row a sheet declares or skips (a ``<dimension>`` of 40 million
rows: 40 million empty rows) and keeps a little memory per row; a 354 KB file of 40 million empty rows took
225 s and 4.1 GB, a 1 MB file holding one cell of 1 GiB 36 s and 5.4 GB. So before openpyxl sees the file:

- the zip directory: the parts' uncompressed sizes (``xlsx.max_uncompressed_bytes`` in all,
  ``xlsx.max_part_bytes`` for a part read whole, ``xlsx.max_shared_strings_bytes`` for the shared strings) and
  their compression ratio (``xlsx.max_compression_ratio``). Python's ``zipfile`` never yields more than the
  declared size (and checks the CRC), so the declared sizes bound what is read;
- each worksheet, streamed once without building any tree: the declared dimension and the row numbers
  (``xlsx.max_rows``, ``cells.max_columns``), the number of rows, and the XML of each row and of each shared
  string (``xlsx.max_row_bytes``), which bounds the memory a single cell can take;
- on the way, the formulas that have no cached value: openpyxl gives them as empty cells, which the build
  report then names (:attr:`Inspection.formulas`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from etl.limits import Limits, number, where
from etl.rawtable import UnreadableInput

CHUNK = 1 << 20
OVERLAP = 1 << 16  # bytes of one buffer kept before the next, so that a tag or a cell cut by a chunk is seen whole
RATIO_FROM = 1 << 20  # parts smaller than this are not judged by their compression ratio
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
FORMULAS_KEPT = 1000

_NS = rb"(?:[A-Za-z_][\w.-]*:)?"  # a namespace prefix (<x:row>), as some generators write
_ROW = re.compile(rb"<" + _NS + rb"row(?=[\s/>])([^>]*)>")
_R = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
_SI = re.compile(rb"<" + _NS + rb"si(?=[\s/>])")
_DIMENSION = re.compile(rb"<" + _NS + rb"""dimension\s[^>]*?ref\s*=\s*["']([^"']*)["']""")
_SHEET_DATA = re.compile(rb"<" + _NS + rb"sheetData(?=[\s/>])")
_SHEET_DATA_END = re.compile(rb"</" + _NS + rb"sheetData\s*>")
# A cell holding a formula and no value: <c r="E5"><f>1000*15</f></c>, <c r="E6"><f t="shared" si="0"/><v/></c>.
_FORMULA_WITHOUT_VALUE = re.compile(
    rb"<(" + _NS + rb")c(?=[\s>])([^>]*)>\s*<\1f(?=[\s/>])[^>]*(?:/>|>[^<]*</\1f\s*>)\s*"
    rb"(?:<\1v\s*/>|<\1v\s*>\s*</\1v\s*>)?\s*</\1c\s*>")
_CELL_REF = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})(\d+)["']""")
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


@dataclass
class Inspection:
    """What the inspection found worth keeping: per worksheet part, the formulas without a cached value as
    ``(row, column letters)`` (the first :data:`FORMULAS_KEPT`) and their count."""

    formulas: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    formula_counts: dict[str, int] = field(default_factory=dict)


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def size(n: int) -> str:
    """Bytes for a message: ``"1,0 Gio"``, ``"354 Kio"``."""
    for unit, scale in (("Gio", 1 << 30), ("Mio", 1 << 20), ("Kio", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}".replace(".", ",")
    return f"{n} octets"


def inspect(path: Path, name: str, lim: Limits) -> Inspection:
    """Refuse (:class:`UnreadableInput`) an XLSX whose sizes, rows or cells are beyond the limits; say what
    openpyxl will not (formulas without a value)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableInput(f"{name} : classeur XLSX illisible ({exc})") from exc
    with archive:
        parts = {i.filename: i for i in archive.infolist()}
        _check_sizes(name, parts.values(), lim)
        kinds = _content_types(archive, parts, name, lim)
        inspection = Inspection()
        for part, kind in kinds.items():
            if part not in parts:
                continue
            if kind == WORKSHEET:
                formulas = _scan_sheet(archive, parts[part], name, lim)
                inspection.formulas[part] = formulas[:FORMULAS_KEPT]
                inspection.formula_counts[part] = len(formulas)
            elif kind == SHARED_STRINGS:
                _scan_shared_strings(archive, parts[part], name, lim)
        return inspection


def _refuse(name: str, what: str, key: str) -> UnreadableInput:
    return UnreadableInput(f"{name} : classeur refusé : {what} ({where(key)}) ; fichier endommagé ou piégé ?")


def _check_sizes(name: str, infos, lim: Limits) -> None:
    total = 0
    for info in infos:
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size >= RATIO_FROM and info.file_size > lim.xlsx_max_compression_ratio * packed:
            raise _refuse(name, f"la partie {info.filename} passe de {size(info.compress_size)} à "
                                f"{size(info.file_size)} une fois décompressée (×{number(info.file_size // packed)}, "
                                f"au plus ×{number(lim.xlsx_max_compression_ratio)})", "xlsx.max_compression_ratio")
    if total > lim.xlsx_max_uncompressed_bytes:
        raise _refuse(name, f"{size(total)} une fois décompressé, au-delà de {size(lim.xlsx_max_uncompressed_bytes)}",
                      "xlsx.max_uncompressed_bytes")


def _content_types(archive: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo], name: str,
                   lim: Limits) -> dict[str, str]:
    """Part name → content type, from ``[Content_Types].xml`` (as openpyxl finds the parts); checks the size of
    every XML part openpyxl reads whole."""
    manifest = parts.get("[Content_Types].xml")
    if manifest is None:
        raise UnreadableInput(f"{name} : classeur XLSX illisible (pas de [Content_Types].xml)")
    if manifest.file_size > lim.xlsx_max_part_bytes:
        raise _whole_part_too_big(name, manifest, lim.xlsx_max_part_bytes, "xlsx.max_part_bytes")
    try:
        with archive.open(manifest) as f:
            root = ET.fromstring(f.read())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, ET.ParseError) as exc:
        raise UnreadableInput(f"{name} : classeur XLSX illisible ([Content_Types].xml : {exc})") from exc
    kinds: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for el in root:
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "Override" and el.get("PartName"):
            kinds[el.get("PartName").lstrip("/")] = el.get("ContentType", "")
        elif tag == "Default" and el.get("Extension"):
            defaults[el.get("Extension").lower()] = el.get("ContentType", "")
    for part in parts:
        kinds.setdefault(part, defaults.get(part.rsplit(".", 1)[-1].lower(), ""))
    for part, kind in kinds.items():
        info = parts.get(part)
        if info is None or kind == WORKSHEET or not (kind.endswith("xml") or part.endswith((".xml", ".rels"))):
            continue  # worksheets are streamed; media and binary parts are not parsed
        most, key = ((lim.xlsx_max_shared_strings_bytes, "xlsx.max_shared_strings_bytes") if kind == SHARED_STRINGS
                     else (lim.xlsx_max_part_bytes, "xlsx.max_part_bytes"))
        if info.file_size > most:
            raise _whole_part_too_big(name, info, most, key)
    return kinds


def _whole_part_too_big(name: str, info: zipfile.ZipInfo, most: int, key: str) -> UnreadableInput:
    return _refuse(name, f"la partie {info.filename}, lue d'un bloc, fait {size(info.file_size)} une fois "
                         f"décompressée, au-delà de {size(most)}", key)


def _buffers(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterator[tuple[int, int, bytes]]:
    """``(offset of the buffer in the part, bytes already seen at its start, buffer)``: the part in chunks, each
    buffer starting with the last :data:`OVERLAP` bytes of the previous one."""
    try:
        with archive.open(info) as f:
            tail, offset = b"", 0
            while chunk := f.read(CHUNK):
                buffer = tail + chunk
                yield offset - len(tail), len(tail), buffer
                offset += len(chunk)
                tail = buffer[-OVERLAP:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise UnreadableInput(f"{name} : classeur XLSX illisible ({info.filename} : {exc})") from exc


def _check_dimension(name: str, ref: str, lim: Limits) -> None:
    m = _REF.match(ref.split(":")[-1].strip().upper())
    if not m:
        return  # openpyxl ignores a dimension it cannot read; so do we (rows are counted anyway)
    cols, rows = column_number(m[1]), int(m[2])
    if rows > lim.xlsx_max_rows:
        raise _refuse(name, f"la feuille déclare {number(rows)} lignes (dimension {ref}), au-delà de "
                            f"{number(lim.xlsx_max_rows)}", "xlsx.max_rows")
    if cols > lim.max_columns:
        raise _refuse(name, f"la feuille déclare {number(cols)} colonnes (dimension {ref}), au-delà de "
                            f"{number(lim.max_columns)}", "cells.max_columns")


def _giant(name: str, where_: str, most: int) -> UnreadableInput:
    return _refuse(name, f"{where_} fait plus de {size(most)} de XML (une cellule géante ?)", "xlsx.max_row_bytes")


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, lim: Limits) -> list[tuple[int, str]]:
    """Stream one worksheet: its declared dimension, the number and numbers of its rows, the XML of each row
    (and of what comes before the first); collect the formulas without a value."""
    most = lim.xlsx_max_row_bytes
    rows, row_number, row_start = 0, 0, None  # row_start: where the row being read began
    data_start = data_end = None
    formulas: list[tuple[int, str]] = []
    for offset, seen, buffer in _buffers(archive, info, name):
        if data_start is None:
            if (dim := _DIMENSION.search(buffer)) and dim.end() > seen:
                _check_dimension(name, dim[1].decode("ascii", "replace"), lim)
            if m := _SHEET_DATA.search(buffer):
                data_start = offset + m.start()
        for m in _ROW.finditer(buffer):
            if m.end() <= seen:
                continue  # seen whole in the previous buffer
            start = offset + m.start()
            rows += 1
            r = _R.search(m[1])
            row_number = int(r[1]) if r else row_number + 1
            if rows > lim.xlsx_max_rows or row_number > lim.xlsx_max_rows:
                raise _refuse(name, f"plus de {number(lim.xlsx_max_rows)} lignes (ligne {number(row_number)})",
                              "xlsx.max_rows")
            if row_start is not None and start - row_start > most:
                raise _giant(name, f"la ligne {number(row_number - 1)} de la feuille", most)
            row_start = start
        if data_end is None and (end := _SHEET_DATA_END.search(buffer)):
            data_end = offset + end.start()
        if data_end is None and offset + len(buffer) - (row_start or data_start or 0) > most:
            raise _giant(name, f"la ligne {number(row_number)} de la feuille" if row_start is not None
                         else "le début de la feuille", most)
        if (b"<f" in buffer or b":f" in buffer) and len(formulas) < 100 * FORMULAS_KEPT:
            for m in _FORMULA_WITHOUT_VALUE.finditer(buffer):
                if m.end() > seen and (ref := _CELL_REF.search(m[2])):
                    formulas.append((int(ref[2]), ref[1].decode("ascii")))
    if data_end is not None and info.file_size - data_end > lim.xlsx_max_part_bytes:
        raise _refuse(name, f"plus de {size(lim.xlsx_max_part_bytes)} de XML après les lignes de la feuille",
                      "xlsx.max_part_bytes")
    return formulas


def _scan_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, lim: Limits) -> None:
    """The XML of each shared string (openpyxl holds them all in memory) within ``xlsx.max_row_bytes``."""
    most = lim.xlsx_max_row_bytes
    start = 0  # where the string being read began
    for offset, seen, buffer in _buffers(archive, info, name):
        for m in _SI.finditer(buffer):
            if m.end() > seen:
                if offset + m.start() - start > most:
                    raise _giant(name, "une chaîne partagée", most)
                start = offset + m.start()
        if offset + len(buffer) - start > most:
            raise _giant(name, "une chaîne partagée", most)
