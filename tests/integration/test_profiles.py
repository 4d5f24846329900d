"""Search, the French authority page with who else works with its partners, and the country page."""

import pytest

from dashboard import queries
from dashboard.pages import authority, country, embed, region, search


@pytest.mark.parametrize("text, kind, label", [
    ("besancon", "collectivite", "Ville de Besançon"),   # accents ignored
    ("BESANÇON", "collectivite", "Ville de Besançon"),
    ("besanson", "collectivite", "Ville de Besançon"),   # a typo
    ("senegl", "pays", "Sénégal"),
    ("kayes", "partenaire", "Commune de Kayes"),
    ("Bretagne", "collectivite", "Région Bretagne"),
])
def test_search_finds_with_accents_and_typos(snap, text, kind, label):
    results, _total = queries.search(snap.store, text)
    assert (kind, label) in list(zip(results["kind"], results["label"]))[:3]


def test_search_ranks_exact_before_fuzzy_and_ignores_short_queries(snap):
    results, _total = queries.search(snap.store, "mali")
    assert (results.iloc[0]["kind"], results.iloc[0]["label"]) == ("pays", "Mali")
    assert list(results["rank"]) == sorted(results["rank"], reverse=True)
    assert queries.search(snap.store, "x")[0].empty and queries.search(snap.store, "")[0].empty


def test_search_page_links_to_profiles(client, snap):
    assert client.get("/recherche?q=lyon").status_code == 200
    text = str(search.layout(snap, **{"q": "lyon"}))
    assert "/collectivite/COM:69123" in text
    assert "/pays/MLI" in str(search.layout(snap, **{"q": "mali"}))
    assert "/pays/MLI?lang=en#partenaires" in str(search.layout(snap, **{"q": "kayes", "lang": "en"}))


def test_who_else_works_with_the_same_partner(snap):
    mine = set(snap.store.df("SELECT DISTINCT partner_authority_name AS p FROM partnerships "
                             "WHERE fr_authority_key = 'COM:69123'")["p"])
    others = queries.who_else(snap.store, "COM:69123")
    assert set(others["partner"]) <= mine
    for r in others.itertuples():
        assert r.key != "COM:69123"
        shared = snap.store.df("SELECT count(*) AS n FROM partnerships WHERE fr_authority_key = ? "
                               "AND partner_authority_name = ?", [r.key, r.partner]).iloc[0]["n"]
        assert shared == r.partnerships


def test_profile_pages_render_and_unknown_keys_say_so(snap):
    page = authority.layout(snap, code="COM:69123", **{})
    text = str(page)
    assert "Lyon" in text and "who-else" in text
    assert "Mali" in str(country.layout(snap, iso3="mli", **{"lang": "en"}))
    assert "Page introuvable" in str(authority.layout(snap, code="COM:00000", **{}))
    assert "Page not found" in str(country.layout(snap, iso3="<script>", **{"lang": "en"}))


def test_api_accepts_the_authority_filter(client, snap):
    body = client.get("/api/v1/partnerships?collectivite=COM:69123").json
    n = snap.store.df("SELECT count(*) AS n FROM partnerships WHERE fr_authority_key = 'COM:69123'").iloc[0]["n"]
    assert body["total"] == n and {i["fr_authority_key"] for i in body["items"]} == {"COM:69123"}


def test_embed_views_may_be_framed_and_nothing_else(client, snap):
    framed = client.get("/embed/ch-odd?region=53")
    assert framed.status_code == 200
    assert "frame-ancestors *" in framed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in framed.headers
    page = client.get("/")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    view = str(embed.layout(snap, chart="ch-odd", **{"region": "53"}))
    # the no-break space as a repr writes it
    assert "Partenariats par ODD" in view and "/?region=53" in view and "Source\\xa0: Atlas" in view
    assert "Page introuvable" in str(embed.layout(snap, chart="nope", **{}))


def test_region_rank_and_rate_match_sql(snap):
    s = snap.store
    counts = s.df("SELECT r.code, r.population, count(p.partnership_id) AS n FROM fr_regions r "
                  "LEFT JOIN partnerships p ON p.fr_region_code = r.code GROUP BY 1, 2")
    for code in ("84", "53", "04"):
        summary = queries.region_summary(s, code)
        mine = int(counts.loc[counts["code"] == code, "n"].iloc[0])
        assert summary["partnerships"] == mine
        assert summary["rank"] == 1 + int((counts["n"] > mine).sum())
        population = int(counts.loc[counts["code"] == code, "population"].iloc[0])
        assert summary["per_100k"] == pytest.approx(100_000 * mine / population)
    page = str(region.layout(snap, code="53", **{}))
    assert "Bretagne" in page and "/export/region/53.pdf" in page and "r-budget-zone" in page
    authorities = queries.region_authorities(s, "53")
    assert set(authorities["key"]) == set(s.df("SELECT DISTINCT fr_authority_key AS k FROM partnerships "
                                               "WHERE fr_region_code = '53'")["k"])


def test_authority_page_has_timeline_themes_and_budget(snap):
    page = str(authority.layout(snap, code="COM:69123", **{}))
    for part in ("a-map", "a-themes", "a-timeline", "a-budget", "who-else"):
        assert part in page


@pytest.mark.parametrize("text, label", [
    ("st-denis", "Saint-Denis"), ("departement du nord", "Conseil départemental du Nord"),
    ("conseil general du nord", "Conseil départemental du Nord"), ("RDC", "République démocratique du Congo"),
    ("ville de lyon", "Ville de Lyon"), ("région bretagne", "Région Bretagne")])
def test_search_reads_names_as_people_write_them(snap, text, label):
    results, total = queries.search(snap.store, text)
    assert results.iloc[0]["label"] == label and total >= 1


def test_search_gives_its_total_and_every_result_on_demand(snap):
    page = str(search.layout(snap, q="a"))
    _first, total = queries.search(snap.store, "a")
    assert "tout=1" in page or total <= 25
    assert f"{total} résultat" in page.replace("\u202f", "")


def test_the_language_link_of_a_page_keeps_its_view(snap):
    """"English" on a search's page shows the same search in English (it lost ``q`` and ``tout``), and back."""
    from dashboard.ids import Ids

    def link(page) -> str:
        found = [c for c in _walk(page) if getattr(c, "id", None) == Ids.LANG_LINK]
        return found[0].href

    assert link(search.layout(snap, q="lyon")) == "?q=lyon&lang=en"
    assert link(search.layout(snap, q="lyon", tout="1", lang="en")) == "?q=lyon&tout=1"
    assert link(search.layout(snap)) == "?lang=en"


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)
