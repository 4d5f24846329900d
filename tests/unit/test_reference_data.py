"""The reference lists of ``data/`` that are facts about the world (events, group memberships, population
supplements): every row says where it was checked, its codes and dates are well formed, and the files agree with
each other and with ``zones.toml``."""

import datetime as dt
import re

import pytest

from etl.normalise.countries import iso_codes
from etl.vocab import events, memberships, zones

URL = re.compile(r"https?://\S+")


def _sourced(rows, name):
    for row in rows:
        assert row["source"].strip(), f"{name}: no source for {row}"
        assert URL.search(row["source"]) or len(row["source"]) > 20, f"{name}: a source names where: {row}"


def test_every_event_and_membership_has_a_source():
    _sourced(events(), "events.csv")
    _sourced(memberships(), "memberships.csv")


def test_events_are_well_formed():
    ids = [e["id"] for e in events()]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z0-9_]+", i) for i in ids)
    dates = [dt.date.fromisoformat(e["date"]) for e in events()]
    assert dates == sorted(dates), "in date order, as they are listed"
    for e in events():
        for token in e["countries"].split("|"):
            assert token in iso_codes() or token.removeprefix("zone:") in zones(), (e["id"], token)
        for lang in ("fr", "en"):
            assert 0 < len(e[f"label_{lang}"]) <= 40, (e["id"], "labels are drawn on charts: keep them short")
            assert e[f"description_{lang}"].endswith("."), e["id"]


def test_memberships_agree_with_the_events_that_record_them():
    by_id = {e["id"]: e for e in events()}
    founded = by_id["g5_sahel_2014"]
    g5 = [m for m in memberships() if m["group_code"] == "g5_sahel"]
    assert {m["iso3"] for m in g5} == set(founded["countries"].split("|")) == {"MRT", "MLI", "BFA", "NER", "TCD"}
    for m in g5:
        assert m["joined_on"] == founded["date"] == "2014-02-16"
        left = by_id[m["left_event"]]
        assert m["iso3"] in left["countries"].split("|")
        gap = dt.date.fromisoformat(left["date"]) - dt.date.fromisoformat(m["left_on"])
        assert dt.timedelta(0) <= gap <= dt.timedelta(days=7), (m["iso3"], "effective date vs announcement")


@pytest.mark.parametrize("code, n", [("prioritaires", 19), ("sahel", 5)])
def test_zones_list_known_countries(code, n):
    members = zones()[code]["members"]
    assert len(set(members)) == len(members) == n and set(members) <= iso_codes()


def test_population_supplements_are_sourced_and_dated():
    from etl.vocab import population_supplements, read_csv

    rows = read_csv("populations.csv")
    _sourced(rows, "populations.csv")
    assert all(2010 <= int(r["year"]) <= 2030 and int(r["population"]) > 0 for r in rows)
    assert population_supplements() == {"976": 256518}  # Mayotte, INSEE census of September 2017
