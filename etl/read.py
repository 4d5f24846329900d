"""Reading exports: CSV (UTF-8 with or without BOM, or Windows-1252; ``;``, ``,`` or tab) and XLSX.

A file opens as a :class:`RawTable`: its header, and its records streamed as lists of strings, numbered from 1
(header excluded), so that a rejection can name the file and row a user opens in a spreadsheet. Records are
streamed, never all held in memory: a million-row export reads in constant memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CHUNK = 1 << 20
DELIMITERS = (";", ",", "\t")


class UnreadableInput(Exception):
    """The file cannot be read at all (missing, empty, not CSV/XLSX, no header); the message names the file."""


@dataclass
class RawTable:
    source_file: str
    header: list[str]
    records: Callable[[], Iterator[list[str]]]  # a fresh iterator over the records after the header
    encoding: str
    delimiter: str | None
    sha256: str
    size: int  # bytes, for progress
    position: Callable[[], int] = lambda: 0  # bytes read so far by the current iterator
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[list[str]]:
        """All records at once (small files and tests only)."""
        return list(self.records())


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of a whole (small) byte string; see :func:`detect_encoding`."""
    encoding = _detect(iter([data]))[0]
    start = 3 if encoding == "utf-8-sig" else 0
    return data[start:].decode(_python_codec(encoding)), encoding


def _python_codec(encoding: str) -> str:
    return "utf-8" if encoding == "utf-8-sig" else encoding


def _detect(chunks: Iterator[bytes]) -> tuple[str, str, int]:
    """``(encoding, sha256, size)``: UTF-8 (BOM or not) when the whole file decodes, else Windows-1252, else
    Latin-1 (for the five bytes Windows-1252 leaves undefined)."""
    sha = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    ok_utf8 = ok_cp1252 = True
    size, first = 0, b""
    for chunk in chunks:
        if not first:
            first = chunk[:3]
        sha.update(chunk)
        size += len(chunk)
        if ok_utf8:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                ok_utf8 = False
        if not ok_utf8 and ok_cp1252:
            try:
                cp1252.decode(chunk)
            except UnicodeDecodeError:
                ok_cp1252 = False
    if ok_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            ok_utf8 = False
    if ok_utf8:
        encoding = "utf-8-sig" if first == b"\xef\xbb\xbf" else "utf-8"
    else:
        encoding = "cp1252" if ok_cp1252 else "latin-1"
    return encoding, sha.hexdigest(), size


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


def _open_csv(opener: Callable[[], io.BufferedIOBase], source_file: str) -> RawTable:
    def chunks() -> Iterator[bytes]:
        with opener() as f:
            while chunk := f.read(CHUNK):
                yield chunk

    encoding, sha, size = _detect(chunks())
    if size == 0:
        raise UnreadableInput(f"{source_file} : fichier vide")
    codec = _python_codec(encoding)
    with opener() as f:
        head = f.read(64 * 1024)
    start = 3 if encoding == "utf-8-sig" else 0
    text = head[start:].decode(codec, errors="replace")
    if not text.strip():
        raise UnreadableInput(f"{source_file} : fichier vide")
    delimiter = sniff_delimiter(text)
    state = {"binary": None}

    def reader() -> Iterator[list[str]]:
        binary = opener()
        state["binary"] = binary
        stream = io.TextIOWrapper(binary, encoding="utf-8-sig" if encoding == "utf-8-sig" else codec, newline="")
        try:
            rows = csv.reader(stream, delimiter=delimiter, quotechar='"', strict=False)
            try:
                next(rows)  # header
                yield from rows
            except csv.Error as exc:
                raise UnreadableInput(f"{source_file} : CSV illisible ({exc})") from exc
        finally:
            stream.close()

    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except (StopIteration, csv.Error) as exc:
        raise UnreadableInput(f"{source_file} : pas de ligne d'en-tête lisible") from exc

    def position() -> int:
        b = state["binary"]
        return b.tell() if b is not None and not b.closed else size

    return RawTable(source_file, [h.strip() for h in header], reader, encoding, delimiter, sha, size, position)


def read_csv_bytes(data: bytes, source_file: str) -> RawTable:
    return _open_csv(lambda: io.BytesIO(data), source_file)


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
                yield [_cell(v) for v in row]
        finally:
            book.close()

    data = path.read_bytes()
    table = RawTable(name, header, records, "xlsx", None, hashlib.sha256(data).hexdigest(), len(data))
    table.notes.append(f"feuille « {title} »")
    return table


_KINDS = ((stat.S_ISDIR, "c'est un dossier"), (stat.S_ISFIFO, "c'est un tube"), (stat.S_ISCHR, "c'est un périphérique"),
          (stat.S_ISBLK, "c'est un périphérique"), (stat.S_ISSOCK, "c'est une socket"))


def check_regular(path: Path) -> None:
    """Refuse anything but a regular file before opening it: opening a FIFO blocks until a writer comes, and
    ``/dev/zero`` never ends."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError as exc:
        raise UnreadableInput(f"{path} : fichier introuvable") from exc
    except OSError as exc:
        raise UnreadableInput(f"{path} : lecture impossible ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(mode):
        kind = next((label for test, label in _KINDS if test(mode)), "type de fichier inconnu")
        raise UnreadableInput(f"{path} n'est pas un fichier ordinaire ({kind}) : donnez le chemin d'un export "
                              "CSV ou XLSX")


def source_labels(paths: Sequence[str | Path]) -> list[str]:
    """How each input is named in the database (``source_file``) and in generated identifiers: its file name,
    or, when several inputs share a name, the shortest end of their paths that tells them apart
    (``2024/export.csv``, ``2025/export.csv``). A file given twice keeps one name."""
    resolved = [Path(os.path.abspath(p)) for p in paths]
    labels = [p.name for p in resolved]
    for name in set(labels):
        group = [i for i, label in enumerate(labels) if label == name]
        distinct = {resolved[i] for i in group}
        depth = 1
        while len({_tail(resolved[i], depth) for i in group}) < len(distinct):
            depth += 1
        for i in group:
            labels[i] = _tail(resolved[i], depth)
    return labels


def _tail(path: Path, depth: int) -> str:
    return str(path) if depth >= len(path.parts) else "/".join(path.parts[-depth:])


def read_table(path: str | Path, label: str | None = None) -> RawTable:
    """Open one export file; raises :class:`UnreadableInput` with a clear message when it cannot be read.
    ``label`` names the file in the database and in messages (default: its name; see :func:`source_labels`)."""
    path = Path(path)
    name = label or path.name
    check_regular(path)
    try:
        with path.open("rb") as f:
            magic = f.read(8)
    except OSError as exc:
        raise UnreadableInput(f"{path} : lecture impossible ({exc.strerror or exc})") from exc
    if magic[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _open_xlsx(path, name)
    elif magic == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableInput(f"{name} : ancien format Excel (.xls) ; enregistrez-le en .xlsx ou en CSV")
    else:
        table = _open_csv(lambda: path.open("rb"), name)
    if not any(table.header):
        raise UnreadableInput(f"{name} : pas de ligne d'en-tête")
    return table
