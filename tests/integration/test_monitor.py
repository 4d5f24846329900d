"""The rebalancing monitor: its figures recomputed in plain Python from the partnerships, by the documented
definition of an active partnership; its URL state; its callback."""

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from dashboard.callback_client import payload
from dashboard.filters import Filters
from dashboard.i18n import tn
from dashboard.pages.monitor import Monitor, this_year

YEAR = 2026


@pytest.fixture(scope="module")
def rows(fixture_db) -> pd.DataFrame:
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        return con.execute("SELECT p.*, c.zones FROM partnerships p JOIN countries c "
                           "ON c.iso3 = p.partner_country_iso3").df()


def last_active(r) -> int:
    if pd.notna(r.end_year):
        return int(r.end_year)
    return int(r.start_year) if r.status in ("termine", "suspendu") else YEAR


@pytest.fixture(scope="module")
def store(fixture_db):
    from dashboard.db import Store

    s = Store(fixture_db)
    yield s
    s.close()


@pytest.mark.parametrize("zone", ["sahel", "afrique", "europe"])
def test_active_series_follows_the_definition(store, rows, zone):
    df = queries.monitor_years(store, Filters(zone=zone), 2005, 2025, YEAR).set_index("year")
    dated = rows[rows["start_year"].notna()]
    for year in range(2005, 2026):
        active = dated[[r.start_year <= year <= last_active(r) for r in dated.itertuples()]]
        in_zone = active[[zone in list(z) for z in active["zones"]]]
        assert df.loc[year, "all_active"] == len(active), year
        assert df.loc[year, "zone_active"] == len(in_zone), year
        assert df.loc[year, "zone_budget"] == pytest.approx(in_zone["budget_eur"].sum()), year
        assert df.loc[year, "entries"] == int((in_zone["start_year"] == year).sum())
        exits = [last_active(r) == year < YEAR for r in in_zone.itertuples()]
        assert df.loc[year, "exits"] == sum(exits)
        if len(active):
            assert df.loc[year, "zone_share"] == pytest.approx(len(in_zone) / len(active))


def test_periods_and_regions(store, rows):
    p1, p2 = (2010, 2015), (2018, 2023)
    periods = queries.monitor_periods(store, Filters(), p1, p2, YEAR).set_index("code")
    dated = rows[rows["start_year"].notna()]

    def active(lo, hi):
        return dated[[r.start_year <= hi and last_active(r) >= lo for r in dated.itertuples()]]

    for (lo, hi), col in ((p1, "p1"), (p2, "p2")):
        a = active(lo, hi)
        in_africa = sum("afrique" in list(z) for z in a["zones"])
        assert periods.loc["afrique", f"{col}_active"] == in_africa
        assert periods.loc["afrique", f"{col}_share"] == pytest.approx(in_africa / len(a))
    regions = queries.monitor_regions(store, Filters(zone="afrique"), p1, p2, YEAR).set_index("code")
    a2 = active(*p2)
    africa = pd.Series([("afrique" in list(z)) for z in a2["zones"]], index=a2.index)
    brittany = a2[(a2["fr_region_code"] == "53") & africa]
    assert regions.loc["53", "p2_zone"] == len(brittany)
    assert len(regions) == 18


def _left(rows: pd.DataFrame, zone: str, first: int, last: int) -> dict[str, tuple]:
    """By the README's words: each authority's first start year and last active year in the zone; it entered when
    the first is within first–last, left when the last is within them and before this year (``YEAR``)."""
    in_zone = rows[pd.Series([zone in list(z) for z in rows["zones"]], index=rows.index) & rows["start_year"].notna()]
    out = {}
    for key, group in in_zone.groupby("fr_authority_key"):
        entered = int(group["start_year"].min())
        left = max(last_active(r) for r in group.itertuples())
        flags = (first <= entered <= last, first <= left <= last and left < YEAR)
        if any(flags):
            out[key] = (entered if flags[0] else None, left if flags[1] else None, len(group))
    return out


def test_movers_enter_and_leave_with_totals(store, rows):
    df = queries.monitor_movers(store, Filters(zone="sahel"), 2010, 2025, YEAR)
    expected = _left(rows, "sahel", 2010, 2025)
    got = {r.key: (None if pd.isna(r.entered_in) else int(r.entered_in), None if pd.isna(r.exited)
                   else int(r.exited), int(r.partnerships)) for r in df.itertuples()}
    assert got == expected
    assert any(v[1] is not None for v in got.values())  # someone left: Lyon's last Sahel year is 2019
    totals = queries.monitor_movers_totals(store, Filters(zone="sahel"), 2010, 2025, YEAR)
    assert totals == {"authorities": len(expected), "entries": sum(v[0] is not None for v in expected.values()),
                      "exits": sum(v[1] is not None for v in expected.values())}
    by_name = queries.monitor_movers(store, Filters(zone="sahel"), 2010, 2025, YEAR, "nom")
    assert list(by_name["name"]) == sorted(by_name["name"])
    page = queries.monitor_movers(store, Filters(zone="sahel"), 2010, 2025, YEAR, "nom", offset=1, limit=2)
    assert list(page["key"]) == list(by_name["key"][1:3])


def _found(tree) -> dict:
    return {getattr(c, "id", None): c for c in (tree, *tree._traverse())}


def _text(c) -> str:
    if c is None:
        return ""
    if isinstance(c, str | int | float):
        return str(c)
    if isinstance(c, list | tuple):
        return " ".join(_text(x) for x in c)
    return _text(getattr(c, "children", None))


def _layout(app, **query):
    from dashboard.pages import monitor

    return _found(monitor.layout(app.server.config["coopatlas"].current(), **query))


def test_exits_show_nationally_and_totals_are_the_sql_counts(app, client, store, rows):
    """With the defaults (Sahel, no region: the national view), authorities that left are on the first page of
    the table sorted by exit, the totals are the SQL counts, and the CSV holds every row of the table."""
    from dashboard.pages.monitor import last_complete

    until = last_complete(queries.vocabulary(store).last_year)
    expected = _left(rows, "sahel", 2000, until)
    found = _layout(app, tri="-sortie")
    table = found["mon-movers-table"]
    body = _text(table.children[2])
    first_exit = max(v[1] for v in expected.values() if v[1] is not None)
    assert str(first_exit) in body
    entries = sum(v[0] is not None for v in expected.values())
    exits = sum(v[1] is not None for v in expected.values())
    words = (tn("mon_n_entries", entries, "fr"), tn("mon_n_exits", exits, "fr"))
    assert _text(found["mon-movers-totals"]) == f"De 2000 à {until}\u00a0: {words[0]}, {words[1]}."
    assert getattr(table.children[1].children.children[2], "aria-sort") == "descending"
    csv = client.get(found["mon-movers-csv"].href)
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    lines = csv.data.decode("utf-8-sig").strip().splitlines()
    assert len(lines) - 1 == len(expected) == len(table.children[2].children)  # one page: the fixture is small
    assert lines[0] == "Collectivité;Code;entrée;sortie;partenariats"


def test_movers_are_paged(app, monkeypatch):
    from dashboard.pages import monitor

    monkeypatch.setattr(monitor, "PAGE_SIZE", 2)
    first, second = _layout(app, tri="nom"), _layout(app, tri="nom", page="2")
    names = [_text(r.children[0]) for r in first["mon-movers-table"].children[2].children]
    names += [_text(r.children[0]) for r in second["mon-movers-table"].children[2].children]
    assert len(names) == 4 and names == sorted(names)
    pager = [c for c in first["mon-movers"].children if getattr(c, "className", None) == "pager"][0]
    links = [c.href for c in pager.children if getattr(c, "href", None)]
    assert links == ["/suivi?tri=nom&page=2#mon-movers"]


@pytest.fixture(scope="module")
def shares_db(tmp_path_factory):
    """A constructed export where counts and shares disagree: Île-de-France adds 15 partnerships in the Sahel
    between the periods while the Sahel's share of its partnerships falls from 19 % to 17 %; Brittany adds 2 and
    its share doubles from 10 % to 20 %."""
    from etl.load import build

    folder = tmp_path_factory.mktemp("shares")
    head = "Identifiant;Collectivité française;Région;Pays;Année de début;Année de fin;Statut"
    lines, n = [head], 0
    for authority, region, plan in (("Région Île-de-France", "11", ((19, 81, 2010), (34, 166, 2020))),
                                    ("Région Bretagne", "53", ((2, 18, 2010), (4, 16, 2020)))):
        for sahel, others, start in plan:
            for country, count in (("Mali", sahel), ("Maroc", others)):
                for _ in range(count):
                    n += 1
                    end = start + (3 if start == 2010 else 5)
                    lines.append(f"S-{n};{authority};{region};{country};{start};{end};Terminé")
    export = folder / "shares.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    build([export], folder / "shares.duckdb")
    return folder / "shares.duckdb"


def test_regions_rank_by_change_of_share_not_of_count(shares_db):
    from dashboard.app import Settings, create_app
    from dashboard.db import Store
    from dashboard.pages import monitor

    s = Store(shares_db)
    try:
        df = queries.monitor_regions(s, Filters(), (2010, 2013), (2020, 2025), YEAR)
    finally:
        s.close()
    top = df.head(2).set_index("code")
    assert list(top.index) == ["53", "11"]
    assert (top.loc["11", "p2_zone"] - top.loc["11", "p1_zone"]) == 15
    assert top.loc["11", "p1_share"] == pytest.approx(0.19) and top.loc["11", "p2_share"] == pytest.approx(0.17)
    assert top.loc["11", "change_points"] == pytest.approx(-2) and top.loc["53", "change_points"] == pytest.approx(10)
    app = create_app(Settings(db=str(shares_db)))
    found = _found(monitor.layout(app.server.config["coopatlas"].current(), p1="2010-2013", p2="2020-2025"))
    body = found["mon-regions-table"].children[2].children
    assert [_text(r.children[0]) for r in body[:2]] == ["Bretagne", "Île-de-France"]
    assert [_text(c) for c in body[1].children[1:]] == ["19", "34", "19,0\u00a0%", "17,0\u00a0%", "-2,0"]
    csv = app.server.test_client().get(found["mon-regions-csv"].href)
    lines = csv.data.decode("utf-8-sig").strip().splitlines()
    assert len(lines) - 1 == len(body) == 18
    assert lines[2] == "Île-de-France;19;34;19,0;17,0;-2,0"


@pytest.mark.parametrize("query, group, message, boxes", [
    ({"debut": "2020", "fin": "2010"}, "years", "L'année de début est après l'année de fin.", ("2020", "2010")),
    ({"p1": "2010-2005"}, "p1", "L'année de début est après l'année de fin. Affichées à la place\u00a0: 2010–2012.",
     ("2010", "2005")),
    ({"debut": "1900"}, "years", "Année hors de la plage 1945–{this}.", ("1900", None)),
    ({"fin": "2030"}, "years", "Année hors de la plage 1945–{this}.", (None, "2030")),
    ({"p2": "20x1-2020"}, "p2", "Une année s'écrit avec quatre chiffres (de 1945 à {this}).", ("20x1", "2020")),
])
def test_a_wrong_year_says_what_was_wrong_and_stays_in_its_box(app, query, group, message, boxes):
    """No silent fallback: the message sits next to the boxes, the boxes and the address keep what was given,
    the default years are drawn (and said)."""
    from dashboard.pages.monitor import GROUPS

    found = _layout(app, **query)
    assert message.format(this=this_year()) in found[f"m-{group}-problem"].children
    assert found[f"m-{group}"].className == "invalid"
    ids = next(ids for g, _, _, ids in GROUPS if g == group)
    for id_, value in zip(ids, boxes):
        if value is not None:
            assert found[id_].value == value
    assert found["permalink"].data == "&".join(f"{k}={v}" for k, v in query.items())
    others = [g for g, *_ in GROUPS if g != group]
    assert all(not found[f"m-{g}-problem"].children for g in others)


def test_no_unfinished_or_future_year_unless_asked(app, store):
    from dashboard.pages.monitor import Monitor, last_complete

    vocab = queries.vocabulary(store)
    until = last_complete(vocab.last_year)
    assert until == min(this_year() - 1, vocab.last_year)
    m = Monitor.from_query({}, vocab)
    assert (m.last, m.p2, m.p1) == (until, (until - 2, until), (2010, 2012)) and not m.problems
    x = _layout(app)["mon-share"].figure["data"][0]["x"]
    assert max(x) == until < this_year()
    asked = Monitor.from_query({"fin": str(this_year())}, vocab)
    assert asked.last == this_year() and not asked.problems and asked.to_query() == f"fin={this_year()}"
    future = Monitor.from_query({"fin": str(this_year() + 1)}, vocab)
    assert future.last == until and future.problems == (("years", "year_out_of_range"),)


def test_url_state_round_trip(store):
    vocab = queries.vocabulary(store)
    m = Monitor.from_query({"zone": "maghreb", "p1": "2005-2010", "debut": "1990", "lang": "en",
                            "tri": "-partenariats", "page": "2"}, vocab)
    assert (m.filters.zone, m.p1, m.first, m.filters.lang, m.sort, m.page) == (
        "maghreb", (2005, 2010), 1990, "en", "-partenariats", 2)
    assert m.to_query() == "zone=maghreb&lang=en&debut=1990&p1=2005-2010&tri=-partenariats&page=2"
    assert Monitor.from_query(dict(pair.split("=") for pair in m.to_query().split("&")), vocab) == m
    assert Monitor.from_query({"tri": "x", "page": "0"}, vocab) == Monitor.from_query({}, vocab)


def test_monitor_callback(client, app):
    from dashboard.pages.monitor import INPUTS

    values = {"m-zone": "afrique", "m-pays": [], "m-region": None, "m-debut": "2000", "m-fin": "2024",
              "m-p1a": "2012", "m-p1b": "2016", "m-p2a": "2019", "m-p2b": "2023"}
    body = payload(app, "mon-share", {f"{i}.value": values[i] for i in INPUTS},
                   {"lang-store.data": "fr", "permalink.data": "tri=nom&page=3"})
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200
    out = r.json["response"]
    assert out["permalink"]["data"] == "zone=afrique&fin=2024&p1=2012-2016&p2=2019-2023&tri=nom"
    assert out["mon-share-summary"]["children"].startswith("Afrique\u00a0: ")
    assert out["mon-regions"]["children"][0]["props"]["children"]
    assert out["m-years-problem"]["children"] == ""
    values.update({"m-p2a": "2023", "m-p2b": "2019"})  # typed the wrong way round
    body = payload(app, "mon-share", {f"{i}.value": values[i] for i in INPUTS}, {"lang-store.data": "en"})
    out = client.post("/_dash-update-component", json=body).json["response"]
    assert out["m-p2-problem"]["children"].startswith("The start year is after the end year.")
    assert out["m-p2"]["className"] == "invalid" and "p2=2023-2019" in out["permalink"]["data"]
    assert client.get("/suivi?zone=maghreb").status_code == 200


def test_monitor_charts_embed_with_their_state(app, client):
    from dashboard.pages import embed

    snap = app.server.config["coopatlas"].current()
    found = _found(embed.layout(snap, chart="mon-share", zone="maghreb", debut="2005", lang="en"))
    assert found["embed-graph"].figure["data"][0]["x"][0] == 2005
    assert _text(found["embed-filters"]).startswith("Monitored zone: Maghreb · Years: 2005–")
    source = [c for c in found["main"].children if getattr(c, "className", None) == "print-source"][0]
    assert source.children.href == "/suivi?zone=maghreb&lang=en&debut=2005"
    assert client.get("/embed/mon-periods?zone=maghreb").status_code == 200
    assert client.get("/suivi/nothing.csv").status_code == 404


def test_data_page_counts_every_rejection_by_reason(client, store):
    from etl.normalise.years import last_plausible_year

    page = client.get("/donnees")
    assert page.status_code == 200
    kinds = queries.rejection_kinds(store).set_index("kind")["n"].to_dict()
    assert kinds == {f"année de début hors de la plage 1945–{last_plausible_year()}": 1,
                     "année de début illisible": 1, "budget illisible": 1, "budget négatif": 1,
                     "collectivité française manquante": 1, "identifiant en double": 1, "ligne mal formée": 1,
                     "nom ambigu": 1, "ODD hors de 1–17": 1, "pays partenaire en France": 1,
                     "pays partenaire inconnu": 1}
    coverage = queries.coverage_by_region(store)
    assert len(coverage) == 18 and coverage["partnerships"].sum() == 29
    assert coverage.set_index("code").loc["84", "with_budget"] == pytest.approx(
        store.df("SELECT avg((budget_eur IS NOT NULL)::INT) AS s FROM partnerships WHERE fr_region_code = '84'")
        .iloc[0]["s"])


def test_a_zone_left_last_year_is_an_exit_in_the_series_and_the_table(shares_db):
    """Île-de-France's and Brittany's Sahel partnerships of 2020 ended in 2025: the yearly exits and the
    authorities' table say the same (one rule, ``queries.ENDED``), although 2025 is the last complete year."""
    from dashboard.db import Store

    s = Store(shares_db)
    try:
        years = queries.monitor_years(s, Filters(), 2020, 2025, YEAR).set_index("year")
        movers = queries.monitor_movers(s, Filters(), 2020, 2025, YEAR).set_index("key")
        totals = queries.monitor_movers_totals(s, Filters(), 2020, 2025, YEAR)
    finally:
        s.close()
    assert years.loc[2025, "exits"] == 34 + 4 and years.loc[2024, "exits"] == 0
    assert movers["exited"].to_dict() == {"REG:11": 2025, "REG:53": 2025} and totals["exits"] == 2
