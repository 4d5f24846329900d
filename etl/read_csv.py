"""CSV exports, read line by line: UTF-8 (with or without BOM) or Windows-1252, ``;``, ``,`` or tab.

**Each line is decoded on its own**: as UTF-8 when it is valid UTF-8, else its invalid bytes as Windows-1252.
One record typed in Windows-1252 inside a UTF-8 export (a pasted cell, two exports concatenated) used to make
the whole file read as Windows-1252 without a word: "Été" became "Ã‰tÃ©", an accented header "colonne
obligatoire absente". Now the other records keep their accents and a warning names the records read in the
file's minority encoding. A BOM is dropped whatever follows it.

**Lines are bounded**: a line over ``csv.max_line_chars`` is skipped to its end without being held in memory
and rejects its record; a cell over ``cells.max_chars`` rejects its record (see :mod:`etl.rawtable`). The header
is read whole, however long (a 64 KiB cut used to misread wide headers), within ``cells.max_columns``.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

from etl.limits import limits, number, where
from etl.rawtable import BadRecord, RawTable, UnreadableInput, check_cells, cut, plural, rows_list

CHUNK = 1 << 20
DELIMITERS = (";", ",", "\t")
BOM = b"\xef\xbb\xbf"
UTF8, CP1252, LONG = "utf-8", "cp1252", "long"
NAMES = {UTF8: "UTF-8", CP1252: "Windows-1252"}


def _c1(err: UnicodeDecodeError) -> tuple[str, int]:
    """The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) as the C1 controls they are in
    Latin-1, as browsers do."""
    return "".join(chr(b) for b in err.object[err.start:err.end]), err.end


def _cp1252(err: UnicodeDecodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8, read as Windows-1252."""
    return err.object[err.start:err.end].decode("cp1252", "coopatlas-c1"), err.end


codecs.register_error("coopatlas-c1", _c1)
codecs.register_error("coopatlas-cp1252", _cp1252)


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of a whole (small) byte string: UTF-8 (BOM or not) when it decodes, else Windows-1252."""
    encoding = _encoding(lambda: iter([data]))[0]
    start = 3 if encoding == "utf-8-sig" else 0
    return data[start:].decode("utf-8" if encoding.startswith("utf-8") else "cp1252", "coopatlas-c1"), encoding


_BLANK_LINE = re.compile(rb"\n\r?\n")
_LONE_CR = re.compile(rb"\r[^\n]")  # a carriage return the chunk shows not followed by a line feed


class PlainBytes:
    """Whether a file's bytes are plain enough for DuckDB's CSV reader to read its records as :class:`_Lines`
    and ``csv`` do: no NUL or 0x01 byte (DuckDB's null marker here), no carriage return but before a line feed, no
    blank line (DuckDB skips blank lines, which would shift the record numbers). Fed chunk by chunk, at C speed
    (two regex searches and a byte test per chunk)."""

    def __init__(self) -> None:
        self.plain, self.tail = True, b""

    def feed(self, chunk: bytes) -> None:
        if not self.plain or not chunk:
            return
        edge = self.tail + chunk[:2]  # what spans the previous chunk and this one
        if (_LONE_CR.search(chunk) or _LONE_CR.search(edge) or b"\x00" in chunk or b"\x01" in chunk
                or _BLANK_LINE.search(chunk) or _BLANK_LINE.search(edge)):
            self.plain = False
        self.tail = (self.tail + chunk)[-2:] if len(chunk) < 2 else chunk[-2:]

    def done(self) -> bool:
        return self.plain and not self.tail.endswith(b"\r")


def _sha256(chunks: Callable[[], Iterator[bytes]]) -> str:
    sha = hashlib.sha256()
    for chunk in chunks():
        sha.update(chunk)
    return sha.hexdigest()


def _detect(chunks: Callable[[], Iterator[bytes]], plain: PlainBytes | None = None) -> tuple[str, str, int]:
    """``(encoding, sha256, size)``, the encoding by :func:`_encoding`. The hash is computed by a thread of its own
    reading the file again: hashlib lets go of the GIL, so that it runs beside the encoding's pass (at 335 MB,
    0.19 s that the build no longer waits for)."""
    with ThreadPoolExecutor(1) as pool:
        digest = pool.submit(_sha256, chunks)
        encoding, size = _encoding(chunks, plain)
        return encoding, digest.result(), size


def _encoding(chunks: Callable[[], Iterator[bytes]], plain: PlainBytes | None = None) -> tuple[str, int]:
    """``(encoding, size)``: ``utf-8-sig`` or ``utf-8`` when the whole file is UTF-8; else ``cp1252``
    when nothing in it is UTF-8 beyond ASCII (a second pass); else a mixed file named majority first,
    ``utf-8+cp1252`` or ``cp1252+utf-8``, by the characters of each. Both passes run at C speed. ``plain``, when
    given, is fed every chunk of the first pass; a file it finds plain is **not** checked for UTF-8 here (``utf-8``
    or ``utf-8-sig`` is returned unchecked): DuckDB's reader checks it as it reads, and :func:`_open_csv` checks
    again here only when DuckDB cannot read the file (decoding is the costliest part of this pass)."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    ok_utf8 = True
    size, first = 0, b""
    for chunk in chunks():
        if not first:
            first = chunk[:3]
        size += len(chunk)
        if plain is not None:
            plain.feed(chunk)
        elif ok_utf8:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                ok_utf8 = False
    if plain is not None:
        if plain.done():
            return ("utf-8-sig" if first == BOM else "utf-8"), size
        return _encoding(chunks)[0], size
    if ok_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            ok_utf8 = False
    if ok_utf8:
        return ("utf-8-sig" if first == BOM else "utf-8"), size
    # Decoded with "ignore", the bytes that are not UTF-8 vanish: what remains beyond ASCII is UTF-8.
    decoder = codecs.getincrementaldecoder("utf-8")("ignore")
    n_utf8 = -1 if first == BOM else 0  # characters beyond ASCII read as UTF-8 (the BOM aside)
    valid = 0  # bytes of those and of ASCII
    for chunk in itertools.chain(chunks(), [b""]):  # the empty chunk ends the decoder
        text = decoder.decode(chunk, final=not chunk)
        if not text.isascii():
            n_utf8 += len(text) - len(text.encode("ascii", "ignore"))
            valid += len(text.encode("utf-8"))
        else:
            valid += len(text)
    if n_utf8 <= 0:
        return "cp1252", size
    return ("utf-8+cp1252" if n_utf8 >= size - valid else "cp1252+utf-8"), size


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


class _Lines:
    r"""The physical lines of a file, decoded, for ``csv`` (``\n``, ``\r\n`` or ``\r`` kept at their end), at
    most ``most`` characters each: the rest of a longer line is skipped, never held, and the line is marked
    ``LONG``. ``marks`` holds ``(line number, kind)`` of the marked lines; ``reader`` (the ``csv`` reader, set
    once built) numbers them.

    A file all in one encoding is read through a text stream (C speed, one check per line); a mixed file
    (:class:`_MixedLines`) line by line from the bytes."""

    def __init__(self, binary: io.BufferedIOBase, encoding: str, most: int):
        self.binary, self.encoding, self.most = binary, encoding, most
        self.marks: deque[tuple[int, str]] = deque()
        self.reader = None

    def take(self, last_line: int) -> set[str]:
        """The kinds marked on the lines up to ``last_line`` (those of the record just read)."""
        kinds = set()
        while self.marks and self.marks[0][0] <= last_line:
            kinds.add(self.marks.popleft()[1])
        return kinds

    def line_number(self) -> int:
        """The number of the line being yielded (``csv`` counts the lines it has read)."""
        return (self.reader.line_num if self.reader is not None else 0) + 1

    def _long(self, start: str, skip: Callable[[], bool]) -> str:
        while skip():
            pass  # the rest of an overlong line is skipped, never held
        text = start[: self.most]
        self.marks.append((self.line_number(), LONG))
        # Close a quote left open by the cut, so that the next line starts a record of its own.
        return text + ('"' if text.count('"') % 2 else "") + "\n"

    def __iter__(self) -> Iterator[str]:
        if self.binary.read(3) != BOM:
            self.binary.seek(0)
        codec, errors = ("cp1252", "coopatlas-c1") if self.encoding == "cp1252" else ("utf-8", "coopatlas-cp1252")
        stream = io.TextIOWrapper(self.binary, encoding=codec, errors=errors, newline="")
        readline, most = stream.readline, self.most
        try:
            while line := readline(most + 1):
                if len(line) > most and line[-1] not in "\r\n":
                    line = self._long(line, lambda: (rest := readline(CHUNK)) and rest[-1] not in "\r\n")
                yield line
        finally:
            if not self.binary.closed:
                stream.detach()  # the opener closes the file; a closed wrapper would close it under it


class _MixedLines(_Lines):
    """A file not all in one encoding: each line decoded on its own, UTF-8 when it is valid UTF-8, else its
    invalid bytes as Windows-1252. Lines of kind ``mark`` (the file's minority encoding) are marked."""

    def __init__(self, binary: io.BufferedIOBase, mark: str | None, most: int):
        super().__init__(binary, "mixed", most)
        self.mark = mark

    def _physical(self) -> Iterator[tuple[bytes, bool]]:
        r"""``(bytes of a line, overlong)``: lines end at ``\n``, ``\r\n`` or ``\r``. Of a line longer than 4 bytes
        per character allowed, only the start is kept; the rest is skipped as it is read."""
        readline, read, limit = self.binary.readline, self.binary.read, 4 * self.most
        carry, parts, held, skipping = b"", [], 0, False
        while block := carry + readline(CHUNK):
            carry = b""
            if block.endswith(b"\r"):  # half of a \r\n?
                carry = read(1)
                if carry == b"\n":
                    block, carry = block + carry, b""
            for piece in block.splitlines(keepends=True) if b"\r" in block else (block,):
                if piece.endswith((b"\n", b"\r")):
                    if skipping:
                        skipping = False  # the end of an overlong line
                    elif parts:
                        yield b"".join([*parts, piece]), False
                        parts, held = [], 0
                    else:
                        yield piece, False
                elif not skipping:  # the last piece of the block: the line goes on
                    parts.append(piece)
                    held += len(piece)
                    if held > limit:
                        yield b"".join(parts)[:limit], True
                        parts, held, skipping = [], 0, True
        if parts:
            yield b"".join(parts), False

    def __iter__(self) -> Iterator[str]:
        first = True
        for raw, overlong in self._physical():
            if first:
                first = False
                raw = raw.removeprefix(BOM)
            if raw.isascii():
                text = raw.decode("ascii")
            else:
                try:
                    kind, text = UTF8, raw.decode("utf-8")
                except UnicodeDecodeError:
                    kind, text = CP1252, raw.decode("utf-8", "coopatlas-cp1252")
                if kind == self.mark and not overlong:
                    self.marks.append((self.line_number(), kind))
            if overlong or len(text) > self.most:
                text = self._long(text, lambda: False)
            yield text


def _lines(binary: io.BufferedIOBase, encoding: str, mark: str | None, most: int) -> _Lines:
    if encoding in ("utf-8", "utf-8-sig", "cp1252"):
        return _Lines(binary, encoding, most)
    return _MixedLines(binary, mark, most)


def _open_csv(opener: Callable[[], io.BufferedIOBase], source_file: str, path: str | None = None) -> RawTable:
    """A CSV export as a :class:`RawTable`; ``path``, when it is a file on disk, lets a plain UTF-8 file be read
    by DuckDB (``RawTable.plain_path``)."""
    def chunks() -> Iterator[bytes]:
        with opener() as f:
            while chunk := f.read(CHUNK):
                yield chunk

    lim = limits()
    scan = PlainBytes() if path is not None else None
    encoding, sha, size = _detect(chunks, scan)
    with opener() as f:
        head = f.read(64 * 1024)
    if not head.removeprefix(BOM).strip():
        raise UnreadableInput(f"{source_file} : fichier vide")
    unchecked = scan is not None and scan.done()  # UTF-8 unless DuckDB's reader finds otherwise
    minority = {"utf-8+cp1252": CP1252, "cp1252+utf-8": UTF8}.get(encoding)
    with opener() as f:
        first_lines = iter(_lines(f, encoding, None, lim.csv_max_line_chars))
        first_line = next(first_lines, "")
        first_lines.close()
    delimiter = sniff_delimiter(first_line)
    csv.field_size_limit(max(csv.field_size_limit(), lim.csv_max_line_chars + 1))
    state: dict = {"binary": None}
    warnings: list[str] = []

    def all_records() -> Iterator[list[str]]:
        """Every record, header first; an overlong line or a cell too long gives a :class:`BadRecord`."""
        warnings.clear()
        odd: list[int] = []
        most = lim.cell_max_chars
        with opener() as binary:
            state["binary"] = binary
            lines = _lines(binary, encoding, minority, lim.csv_max_line_chars)
            rows = lines.reader = csv.reader(lines, delimiter=delimiter, quotechar='"', strict=False)
            marks = lines.marks
            n = -1  # the header is record 0
            while True:
                try:
                    for cells in rows:
                        n += 1
                        if marks and marks[0][0] <= rows.line_num:
                            kinds = lines.take(rows.line_num)
                            if LONG in kinds:
                                cells = BadRecord(cut(cells), f"ligne de plus de {number(lim.csv_max_line_chars)} "
                                                              f"caractères ({where('csv.max_line_chars')}) : "
                                                              "enregistrement coupé")
                            if minority in kinds and n:
                                odd.append(n)
                        if n and cells and max(map(len, cells)) > most and not isinstance(cells, BadRecord):
                            cells = check_cells(cells, header)
                        yield cells
                    break
                except csv.Error as exc:  # a quoted cell over several lines, longer than a line may be
                    n += 1
                    lines.take(rows.line_num)
                    yield BadRecord([], f"enregistrement illisible ({exc})")
        if odd:
            warnings.append(
                f"{source_file} : encodage mixte : {plural(len(odd), 'enregistrement lu', 'enregistrements lus')} "
                f"en {NAMES[minority]}, le reste du fichier en {NAMES[UTF8 if minority == CP1252 else CP1252]} "
                f"(vérifiez leurs accents) : {rows_list(odd)}")

    header: list[str] = []
    reader = all_records()
    first = next(reader, None)
    reader.close()
    if first is None:
        raise UnreadableInput(f"{source_file} : fichier vide")
    if isinstance(first, BadRecord):
        raise UnreadableInput(f"{source_file} : ligne d'en-tête illisible ({first.reason})")
    if len(first) > lim.max_columns:
        raise UnreadableInput(f"{source_file} : {number(len(first))} colonnes dans l'en-tête, au-delà de la limite "
                              f"de {number(lim.max_columns)} ({where('cells.max_columns')}) ; est-ce bien un export "
                              "de l'Atlas, avec le bon séparateur ?")
    if first and max(map(len, first)) > lim.cell_max_chars:
        raise UnreadableInput(f"{source_file} : en-tête de colonne de plus de {number(lim.cell_max_chars)} "
                              f"caractères ({where('cells.max_chars')})")
    if unchecked and not _utf8_lines(opener, 1 + sum(c.count("\n") for c in first)):
        return _open_csv(opener, source_file)  # DuckDB does not check the header it skips: read by Python
    header[:] = [h.strip() for h in first]

    def records() -> Iterator[list[str]]:
        settle()
        rows = all_records()
        next(rows, None)  # header
        yield from rows

    def position() -> int:
        b = state["binary"]
        return b.tell() if b is not None and not b.closed else size

    def settle() -> None:
        """The encoding checked by Python (DuckDB could not read the file, which would have checked it)."""
        nonlocal encoding, minority, unchecked
        if unchecked:
            unchecked = False
            encoding = table.encoding = _encoding(chunks)[0]
            minority = {"utf-8+cp1252": CP1252, "cp1252+utf-8": UTF8}.get(encoding)

    plain = path if unchecked else None
    table = RawTable(source_file, header, records, encoding, delimiter, sha, size, position, warnings=warnings,
                     plain_path=plain, settle=settle)
    return table


def _utf8_lines(opener: Callable[[], io.BufferedIOBase], n: int) -> bool:
    """Whether the first ``n`` lines of a file (its BOM aside) are UTF-8."""
    with opener() as f:
        data = b"".join(f.readline() for _ in range(n))
    try:
        data.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_csv_bytes(data: bytes, source_file: str) -> RawTable:
    return _open_csv(lambda: io.BytesIO(data), source_file)
