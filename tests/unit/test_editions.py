"""Editions on disk (etl/editions.py): naming, listing, retention, same-day replacement; the edition view
parameter (dashboard/filters.py)."""

import datetime as dt

import pytest

from dashboard.filters import Filters, Vocabulary
from etl import editions


def served(folder, content: str):
    db = folder / "atlas.duckdb"
    tmp = folder / ".new"
    tmp.write_text(content)
    tmp.replace(db)  # as a build swaps its file in
    return db


def test_each_build_is_kept_by_date_and_the_oldest_go_beyond_the_limit(tmp_path):
    for day, content in (("2026-09-01", "sept"), ("2026-10-01", "oct"), ("2026-11-01", "nov"),
                         ("2026-12-01", "dec")):
        db = served(tmp_path, content)
        kept = editions.record(db, dt.date.fromisoformat(day), keep=3)
        assert kept == tmp_path / "editions" / f"{day}.duckdb"
    assert editions.kept(db) == ["2026-12-01", "2026-11-01", "2026-10-01"]
    assert [editions.path_of(db, d).read_text() for d in editions.kept(db)] == ["dec", "nov", "oct"]
    assert editions.path_of(db, "2026-12-01").stat().st_ino == db.stat().st_ino  # a link, not a copy


def test_a_second_build_the_same_day_replaces_that_days_edition(tmp_path):
    for content in ("morning", "evening"):
        db = served(tmp_path, content)
        editions.record(db, dt.date(2026, 12, 1), keep=12)
    assert editions.kept(db) == ["2026-12-01"]
    assert editions.path_of(db, "2026-12-01").read_text() == "evening"
    assert not [p for p in (tmp_path / "editions").iterdir() if p.name.startswith(".")]


def test_no_edition_when_keep_is_zero(tmp_path):
    db = served(tmp_path, "x")
    assert editions.record(db, dt.date(2026, 12, 1), keep=0) is None
    assert editions.kept(db) == [] and not (tmp_path / "editions").exists()


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "20261201", "../atlas", "", "2026-12-01x"])
def test_an_edition_that_is_malformed_or_not_kept_is_refused_naming_the_kept_ones(tmp_path, value):
    db = served(tmp_path, "x")
    editions.record(db, dt.date(2026, 12, 1), keep=12)
    with pytest.raises(editions.UnknownEdition, match="2026-12-01"):
        editions.path_of(db, value)
    with pytest.raises(editions.UnknownEdition):
        editions.path_of(db, "2026-11-30")


def test_the_edition_is_a_view_parameter_kept_in_the_url():
    vocab = Vocabulary.of()
    f, ignored = Filters.parse({"edition": "2026-11-01", "lang": "en"}, vocab)
    assert (f.edition, ignored) == ("2026-11-01", []) and f.to_query() == "lang=en&edition=2026-11-01"
    f, ignored = Filters.parse({"edition": "2026-11-31"}, vocab)
    assert (f.edition, ignored, f.to_query()) == ("", ["edition"], "")
