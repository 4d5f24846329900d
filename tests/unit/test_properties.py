"""Property-based tests (hypothesis) of every parser and normaliser: whatever the input, a value or a clear
rejection (``Invalid``), never a crash; and record conservation through the whole transformation."""

from __future__ import annotations

import csv
import io
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.limits import limits
from etl.normalise import Invalid
from etl.normalise.authorities import normalise_authority
from etl.normalise.budget import normalise_budget
from etl.normalise.countries import normalise_country
from etl.normalise.odd import normalise_odds
from etl.normalise.text import fold
from etl.normalise.themes import normalise_themes
from etl.normalise.years import normalise_year
from etl.read import read_csv_bytes, sniff_delimiter
from etl.transform import Collector, Transformer
from etl.vocab import bit_mask, theme_bits

# Text as exports carry it: any unicode, plus the characters that matter to the parsers, more often.
cells = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="0123456789 ,.;:/|-+€kKmMODDodd\u00a0\u202f'\"()éÉ", max_size=30),
    st.sampled_from(["", "N/C", "Mali", "RDC", "ODD 6 ; ODD 13", "15 000 €", "1,2 M€", "2019", "01/03/2019",
                     "Ville de Lyon", "Saint-Denis", "69123", "2A", "Région Bretagne", "-5", "1e309", "٣",
                     "9" * 400, "1,5 Md€"]),
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def value_or_invalid(fn, *args):
    try:
        return fn(*args)
    except Invalid as exc:
        assert str(exc)  # a reason a user can read
        return None


@SETTINGS
@given(cells)
def test_country_never_crashes(raw):
    code = value_or_invalid(normalise_country, raw)
    assert code is None or (len(code) == 3 and code.isupper())


@SETTINGS
@given(cells)
def test_odd_gives_goals_1_to_17(raw):
    goals = value_or_invalid(normalise_odds, raw)
    assert goals is None or (goals == sorted(set(goals)) and all(1 <= g <= 17 for g in goals))


@SETTINGS
@given(cells)
def test_budget_is_unknown_or_within_the_ceiling(raw):
    value = value_or_invalid(normalise_budget, raw)
    assert value is None or (math.isfinite(value) and 0 <= value <= limits().budget_max_eur)


@SETTINGS
@given(cells)
def test_year_in_range(raw):
    year = value_or_invalid(normalise_year, raw)
    assert year is None or 1945 <= year <= 2100


@SETTINGS
@given(cells)
def test_themes_keep_what_they_do_not_know(raw):
    codes, unmatched = normalise_themes(raw)
    assert codes == sorted(set(codes))
    assert all(isinstance(u, str) and u for u in unmatched)


@SETTINGS
@given(cells, st.sampled_from(["", "Commune", "Région", "Département", "EPCI", "bidule"]), cells, cells, cells)
def test_authority_located_or_rejected(name, kind, code, dep, region):
    a = value_or_invalid(normalise_authority, name, kind, code, dep, region)
    assert a is None or (a.region_code and a.type and a.key)


@SETTINGS
@given(st.text(max_size=200))
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)
    assert sniff_delimiter(text) in (";", ",", "\t")


HEADER = ["Identifiant", "Collectivité française", "Pays", "ODD", "Budget", "Année de début", "Année de fin",
          "Département"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells, min_size=0, max_size=10), max_size=25), st.sampled_from([";", ",", "\t"]),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_every_record_is_loaded_or_rejected(rows, delimiter, encoding):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter)
    w.writerow(HEADER)
    w.writerows(rows)
    data = buf.getvalue().encode(encoding, errors="replace")
    table = read_csv_bytes(data, "x.csv")
    sink = Collector()
    t = Transformer(sink)
    stats = t.add(table)
    result = t.finish()
    records = [r for r in table.rows if any(c.strip() for c in r)]
    assert stats.records == len(records) == result.loaded + result.rejected_count
    assert len(sink.partnerships["partnership_id"]) == result.loaded
    assert len(sink.rejected["source_row"]) == result.rejected_count
    assert len(set(sink.partnerships["partnership_id"])) == result.loaded
    p = sink.partnerships  # the Python sink gets the masks as the database does
    assert p["odd_bits"] == [bit_mask(odds) for odds in p["odds"]]
    assert p["theme_bits"] == [bit_mask(theme_bits()[c] for c in codes) for codes in p["themes"]]
    assert sorted(sink.partnerships["source_row"] + sink.rejected["source_row"]) == sorted(
        i for i, r in enumerate(table.rows, start=1) if any(c.strip() for c in r))


def _collected(table):
    sink = Collector()
    t = Transformer(sink)
    t.add(table)
    result = t.finish()
    return sink.tables, (result.loaded, result.rejected_count, result.reasons, result.sample, result.warnings,
                         [(f.records, f.loaded, f.rejected, f.blank_rows) for f in result.files])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.lists(cells, min_size=len(HEADER), max_size=len(HEADER)), st.lists(cells, max_size=10)),
                max_size=20),
       st.sampled_from([";", ",", "\t"]), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_duckdb_reads_a_plain_file_as_the_python_reader_does(tmp_path_factory, rows, delimiter, newline, bom):
    """A file DuckDB's read_csv takes gives exactly what the careful Python reader gives: rows, reasons, raw cells,
    counts, warnings; a file it cannot read as that reader would is left to the Python reader."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    w.writerow(HEADER)
    w.writerows(rows)
    path = tmp_path_factory.mktemp("plain") / "x.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + buf.getvalue().encode("utf-8", errors="replace"))
    from etl.read import read_table

    table = read_table(path)
    through_duckdb = _collected(table)
    table.plain_path = None
    assert through_duckdb == _collected(table)


def test_plain_bytes_finds_what_duckdb_would_read_otherwise():
    from etl.read_csv import PlainBytes

    def plain(data: bytes, size: int) -> bool:
        scan = PlainBytes()
        for i in range(0, len(data), size):
            scan.feed(data[i:i + size])
        return scan.done()

    cases = {b"a;b\r\nc;d\r\n": True, b"a;b\nc;d\n": True, b"a;b\nc;d": True, b"a;b\n\nc;d\n": False,
             b"a;b\r\n\r\nc\r\n": False, b"a\rb\n": False, b"a;b\r": False, b"a\x00b\n": False, b"a\x01b\n": False,
             b"a\n\r\nb": False}
    for data, expected in cases.items():
        for size in (1, 2, 3, 5, 100):  # any cut between chunks
            assert plain(data, size) is expected, (data, size)
