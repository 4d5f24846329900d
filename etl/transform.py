"""Records of an export → partnerships and rejected rows.

Each distinct raw value of a column is normalised once (an export has a few hundred spellings even at a million
rows), then records are assembled. Every record ends up in exactly one of the two outputs.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from etl.columns import ColumnMap, map_columns
from etl.normalise import Invalid
from etl.normalise.authorities import normalise_authority
from etl.normalise.budget import normalise_budget
from etl.normalise.countries import normalise_country
from etl.normalise.odd import normalise_odds
from etl.normalise.text import clean
from etl.normalise.themes import normalise_themes
from etl.normalise.years import normalise_year
from etl.read import BadRecord, RawTable, UnreadableInput
from etl.vocab import Matcher, action_types, rrma_for, statuses

PARTNERSHIP_COLUMNS = (
    "partnership_id", "source_file", "source_row", "title", "fr_authority_name", "fr_authority_key",
    "fr_authority_type", "fr_commune_code", "fr_departement_code", "fr_region_code", "rrma",
    "partner_country_iso3", "partner_authority_name", "themes", "themes_raw", "odds", "action_type",
    "action_type_raw", "start_year", "end_year", "budget_eur", "funding", "status", "status_raw", "extra",
)
REJECTED_COLUMNS = ("source_file", "source_row", "reason", "raw")
# Batches go to the sink every 50,000 records, or sooner once they hold this many characters of cells: records
# of long cells (up to cells.max_chars each) must not pile up gigabytes before they are written.
FLUSH_CHARS = 16_000_000


@dataclass
class FileStats:
    source_file: str
    sha256: str
    encoding: str
    delimiter: str | None
    records: int = 0
    loaded: int = 0
    rejected: int = 0
    blank_rows: int = 0


Batch = dict[str, list[Any]]
Sink = Callable[[str, Batch], None]


@dataclass
class Result:
    """What a transformation did. The rows themselves went to the sink in batches."""

    files: list[FileStats]
    loaded: int = 0
    rejected_count: int = 0
    reasons: Counter = field(default_factory=Counter)  # by kind (the text before " : ")
    sample: list[tuple[str, int, str]] = field(default_factory=list)  # the first rejections
    warnings: list[str] = field(default_factory=list)


def _headers(header: list[str], shown: int = 40) -> str:
    """The headers of a file for a message: the first ``shown``, then how many there are."""
    head = ", ".join(h[:80] for h in header[:shown])
    return head + (f"… ({len(header)} colonnes)" if len(header) > shown else "")


def reason_kind(reason: str) -> str:
    return reason.split(" : ")[0].split(" (")[0]


class Collector:
    """A sink that keeps every batch (tests and small files)."""

    def __init__(self) -> None:
        self.tables: dict[str, Batch] = {"partnerships": {c: [] for c in PARTNERSHIP_COLUMNS},
                                         "rejected_rows": {c: [] for c in REJECTED_COLUMNS}}

    def __call__(self, table: str, batch: Batch) -> None:
        for col, values in batch.items():
            self.tables[table][col].extend(values)

    @property
    def partnerships(self) -> Batch:
        return self.tables["partnerships"]

    @property
    def rejected(self) -> Batch:
        return self.tables["rejected_rows"]


class _Memo:
    """Normalise each distinct value once; remember failures as their reason."""

    def __init__(self, fn: Callable[..., Any]):
        self.fn = fn
        self.cache: dict[Any, tuple[bool, Any]] = {}

    def __call__(self, *key: Any) -> Any:
        hit = self.cache.get(key)
        if hit is None:
            try:
                hit = (True, self.fn(*key))
            except Invalid as exc:
                hit = (False, str(exc))
            self.cache[key] = hit
        ok, value = hit
        if not ok:
            raise Invalid(value)
        return value


class Transformer:
    """Turns :class:`RawTable` objects into one :class:`Result`; identifiers are unique across all inputs."""

    def __init__(self, sink: Sink | None = None, progress: Callable[[int], None] | None = None,
                 batch_rows: int = 50_000, sample_size: int = 200):
        self.country = _Memo(normalise_country)
        self.authority = _Memo(normalise_authority)
        self.odds = _Memo(normalise_odds)
        self.budget = _Memo(normalise_budget)
        self.start = _Memo(lambda v: normalise_year(v, field="année de début"))
        self.end = _Memo(lambda v: normalise_year(v, field="année de fin"))
        self.themes = _Memo(normalise_themes)
        actions, status = Matcher(action_types()), Matcher(statuses())
        self.action = _Memo(actions.get)
        self.status = _Memo(status.get)
        self.rrma = _Memo(rrma_for)
        self.sink = sink or (lambda table, batch: None)
        self.progress = progress or (lambda n: None)
        self.batch_rows = batch_rows
        self.sample_size = sample_size
        self.seen_ids: dict[str, tuple[str, int]] = {}
        self.seen_files: dict[str, str] = {}  # sha256 → the name of the first input with that content
        self.unmatched: Counter = Counter()
        self.result = Result([])
        self.out: Batch = {c: [] for c in PARTNERSHIP_COLUMNS}
        self.rejected: Batch = {c: [] for c in REJECTED_COLUMNS}
        self.held = 0  # characters of the records in the batches, roughly: long cells flush sooner

    def _flush(self, force: bool = False) -> None:
        if force:
            self.held = 0
        for name, batch, columns in (("partnerships", self.out, PARTNERSHIP_COLUMNS),
                                     ("rejected_rows", self.rejected, REJECTED_COLUMNS)):
            n = len(batch[columns[0]])
            if n and (force or n >= self.batch_rows):
                self.sink(name, batch)
                for c in columns:
                    batch[c] = []

    def add(self, table: RawTable) -> FileStats:
        cols = map_columns(table.header, table.source_file)
        if cols.missing_required:
            raise UnreadableInput(
                f"{table.source_file} : colonne obligatoire absente ({', '.join(cols.missing_required)}) ; "
                f"en-têtes lus : {_headers(table.header)}. Ajoutez l'intitulé dans data/columns.toml s'il est "
                "seulement écrit autrement."
            )
        stats = FileStats(table.source_file, table.sha256, table.encoding, table.delimiter)
        self.result.warnings += cols.warnings
        # Records without an identifier are named after their file; a file given twice (same content, any
        # name) gives the same names, so that its records are rejected as duplicates instead of counted twice.
        id_prefix = self.seen_files.setdefault(table.sha256, table.source_file)
        if id_prefix != table.source_file:
            self.result.warnings.append(
                f"{table.source_file} a le même contenu (SHA-256) que {id_prefix} : ses enregistrements sans "
                "identifiant y sont reconnus et rejetés comme doublons")
        done = 0
        for i, record in enumerate(table.records(), start=1):
            if isinstance(record, BadRecord):  # the reader could not take it whole: rejected, never dropped
                stats.records += 1
                stats.rejected += 1
                self._reject(table, i, [record.reason], record)
            elif not any(c.strip() for c in record):
                stats.blank_rows += 1
                continue
            else:
                stats.records += 1
                if self._record(table, cols, i, record, id_prefix):
                    stats.loaded += 1
                else:
                    stats.rejected += 1
            self.held += sum(map(len, record))
            if i % 10_000 == 0 or self.held > FLUSH_CHARS:
                pos = table.position()
                self.progress(pos - done)
                done = pos
                self._flush(force=self.held > FLUSH_CHARS)
        self.progress(table.size - done)
        self.result.warnings += table.warnings
        self.result.files.append(stats)
        self.result.loaded += stats.loaded
        self.result.rejected_count += stats.rejected
        return stats

    def finish(self) -> Result:
        self._flush(force=True)
        for piece, n in self.unmatched.most_common(20):
            self.result.warnings.append(f"thématique non reconnue (gardée en texte brut) : « {piece} » × {n}")
        return self.result

    def _reject(self, table: RawTable, row: int, reasons: list[str], record: list[str]) -> bool:
        out = self.rejected
        reason = " ; ".join(reasons)
        out["source_file"].append(table.source_file)
        out["source_row"].append(row)
        out["reason"].append(reason)
        for r in reasons:
            self.result.reasons[reason_kind(r)] += 1
        if len(self.result.sample) < self.sample_size:
            self.result.sample.append((table.source_file, row, reason))
        names = table.header + [f"colonne {k + 1}" for k in range(len(table.header), len(record))]
        out["raw"].append(json.dumps(dict(zip(names, record)), ensure_ascii=False))
        return False

    def _record(self, table: RawTable, cols: ColumnMap, row: int, record: list[str], id_prefix: str) -> bool:
        width = len(table.header)
        if len(record) > width and any(c.strip() for c in record[width:]):
            return self._reject(table, row, [
                f"ligne mal formée : {len(record)} champs au lieu de {width} (séparateur ou guillemet mal placé ?)"
            ], record)
        get = lambda name: record[cols.fields[name]] if name in cols.fields and cols.fields[name] < len(record) \
            else ""  # noqa: E731
        reasons: list[str] = []

        def attempt(fn: Callable[..., Any], *args: Any) -> Any:
            try:
                return fn(*args)
            except Invalid as exc:
                reasons.append(str(exc))
                return None

        authority = attempt(self.authority, get("fr_authority_name"), get("fr_authority_type"), get("fr_code"),
                            get("departement"), get("region"))
        country = attempt(self.country, get("partner_country"))
        odds = attempt(self.odds, get("odds"))
        budget = attempt(self.budget, get("budget"))
        start = attempt(self.start, get("start_year"))
        end = attempt(self.end, get("end_year"))
        if start is not None and end is not None and end < start:
            reasons.append(f"fin avant le début : année de fin {end} < année de début {start}")
        raw_id = clean(get("partnership_id"))
        pid = raw_id or f"{id_prefix}#{row}"
        first = self.seen_ids.get(pid)
        if first is not None:
            reasons.append(f"identifiant en double : « {pid} » (déjà ligne {first[1]} de {first[0]})")
        else:
            self.seen_ids[pid] = (table.source_file, row)
        if reasons:
            return self._reject(table, row, reasons, record)

        themes, unmatched = self.themes(get("themes"))
        self.unmatched.update(unmatched)
        extra = {label: record[i] for label, i in cols.extra.items() if i < len(record) and record[i].strip()}
        out = self.out
        values = (
            pid, table.source_file, row, clean(get("title")) or None, authority.name, authority.key,
            authority.type, authority.commune_code, authority.departement_code, authority.region_code,
            self.rrma(authority.region_code, authority.departement_code), country,
            clean(get("partner_authority_name")) or None, themes, clean(get("themes")) or None, odds,
            self.action(get("action_type")), clean(get("action_type")) or None, start, end, budget,
            clean(get("funding")) or None, self.status(get("status")), clean(get("status")) or None,
            json.dumps(extra, ensure_ascii=False) if extra else None,
        )
        for name, value in zip(PARTNERSHIP_COLUMNS, values):
            out[name].append(value)
        return True
