"""Figure builders are pure: small DataFrames in, valid plotly figures (checked by plotly's own validation) out."""

import html
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.figures import charts, maps
from dashboard.figures.common import (
    LEGEND_NEXT_ROW,
    TICK_ROW,
    TITLE_ROW,
    legend_below,
    legend_rows,
    money_axis,
    share_axis,
    text_width,
    tick_labels,
)

COUNTRIES = pd.DataFrame({
    "iso3": ["MLI", "COM", "FRA", "SEN"], "name_fr": ["Mali", "Comores", "France", "Sénégal"],
    "name_en": ["Mali", "Comoros", "France", "Senegal"], "area_km2": [1.24e6, 1672.0, 5.5e5, 1.96e5],
    "label_lon": [-2.0, 43.3, 2.5, -14.8], "label_lat": [17.0, -11.9, 46.6, 15.1], "drawn": [True] * 4,
})
STATS = pd.DataFrame({"iso3": ["MLI", "COM"], "partnerships": [10, 2], "authorities": [8, 2],
                      "budget": [150000.0, 0.0], "budget_known": [3, 0]})


def valid(fig) -> go.Figure:
    return go.Figure(fig)  # raises on any property plotly does not know


def test_world_map_keeps_geometry_out_and_islands_findable():
    fig = maps.world_map(COUNTRIES, STATS, "partenariats", "fr", ("MLI",), "/geo/x/countries.geojson", (2.4, 46.6))
    valid(fig)
    names = [tr["name"] for tr in fig["data"]]
    assert names == ["base", "data", "small", "flows"]
    base, data, small, flows = fig["data"]
    assert all(tr.get("geojson", "/geo/x/countries.geojson") == "/geo/x/countries.geojson" for tr in fig["data"])
    assert base["locations"] == ["FRA", "SEN"]  # drawn in grey without partnership; the others once, in colour
    assert "aucun partenariat" in base["hovertext"][1]
    assert data["locations"] == ["MLI", "COM"] and data["marker"]["line"]["width"][0] == 2.5
    assert small["customdata"] == ["COM"]  # a marker for the small island
    assert flows["lon"] == [2.4, -2.0, None, 2.4, 43.3, None]
    assert len(json.dumps(fig)) < 20_000


def test_hover_escapes_html_from_data():
    countries = COUNTRIES.assign(name_fr=["<script>alert(1)</script>", "Comores", "France", "Sénégal"])
    fig = maps.world_map(countries, STATS, "budget", "fr", (), "/g.geojson")
    assert "<script>" not in json.dumps(fig) and "&lt;script&gt;" in fig["data"][1]["hovertext"][0]


def test_odd_chart_uses_official_colours_and_french_names():
    df = pd.DataFrame({"number": [5, 6], "label_fr": ["Égalité entre les sexes", "Eau propre et assainissement"],
                       "label_en": ["Gender equality", "Clean water and sanitation"], "colour": ["#FF3A21", "#26BDE2"],
                       "partnerships": [3, 7]})
    fig, text = charts.odd_chart(df, 10, "fr")
    valid(fig)
    assert fig["data"][0]["marker"]["color"] == ["#FF3A21", "#26BDE2"]
    assert fig["data"][0]["y"] == ["5. Égalité entre les sexes", "6. Eau propre et assainissement"]
    assert text == "ODD 6 arrive en tête avec 7 partenariats (70\u00a0%)."
    assert fig["layout"]["separators"] == ",\u202f"


def test_bar_labels_stand_whole_above_their_bars():
    """Labels are written across the plot above their bars (whole on a phone, clickable like the bars), not
    beside them where they would take the bars' room."""
    long = "Communauté d'agglomération du Grand Besançon & Doubs"
    df = pd.DataFrame({"name": [long, "Lyon"], "key": ["EPCI:1", "COM:69123"], "partnerships": [5, 3]})
    fig, _ = charts.ranking(df, "name", "key", 8, "fr")
    valid(fig)
    bars, names = fig["data"]
    assert names["mode"] == "text" and names["text"] == [html.escape(long), "Lyon"] == bars["y"]
    assert names["customdata"] == bars["customdata"] == ["EPCI:1", "COM:69123"] and names["x"] == [0, 0]
    assert fig["layout"]["yaxis"]["showticklabels"] is False and fig["layout"]["margin"]["l"] == 8


def test_margins_hold_the_labels_they_are_given_for():
    """The margins a figure comes with grow with its labels (plotly then need not draw it twice)."""
    df = pd.DataFrame({"year": [2010, 2011], "continent": ["afrique", "europe"], "partnerships": [3, 4],
                       "budget": [2.5e6, 4.5e7]})
    names = {"afrique": "Afrique", "europe": "Europe"}
    small, _ = charts.years_chart(df, "partnerships", names, "fr")
    large, _ = charts.years_chart(df, "budget", names, "fr")
    assert large["layout"]["margin"]["l"] > small["layout"]["margin"]["l"]
    assert text_width(["Gouvernance locale, appui institutionnel"]) > 2 * text_width(["Culture"]) > 0
    assert tick_labels(12_000) == ["12\u202f600"] and tick_labels(600) == ["630"] and tick_labels(8) == ["0.5", "10"]


def test_budget_distribution_states_the_unknown_share():
    bins = pd.DataFrame({"bin": [0, 1], "low": [0, 10_000], "high": [10_000, None], "partnerships": [4, 2],
                         "budget": [20_000.0, 90_000.0]})
    fig, text = charts.budget_distribution(bins, known=6, count=10, lang="fr")
    valid(fig)
    assert "Budget inconnu pour 40\u00a0% des partenariats affichés (4)." in text
    # horizontal bars, smallest bin first, each bin written whole above its bar (slanted under columns, they ran
    # into each other on a phone), the unknown share above the plot
    assert fig["data"][0]["orientation"] == "h" and fig["layout"]["yaxis"]["autorange"] == "reversed"
    assert fig["data"][0]["y"] == fig["data"][1]["text"] == ["&lt; 10\u00a0k\u00a0€", "≥ 10\u00a0k\u00a0€"]  # "<" shown
    assert fig["layout"]["annotations"][0]["text"] == "Budget inconnu pour 40\u00a0% des partenariats<br>affichés (4)."
    fig, text = charts.budget_distribution(bins, known=0, count=3, lang="en")
    assert "Budget unknown for 100% of the partnerships shown (3)." == text


def test_years_chart_stacks_by_continent():
    df = pd.DataFrame({"year": [2010, 2010, 2011], "continent": ["afrique", "europe", "afrique"],
                       "partnerships": [3, 1, 5], "authorities": [3, 1, 4], "budget": [1e5, 2e4, 3e5],
                       "budget_known": [2, 1, 3]})
    fig, text = charts.years_chart(df, "partnerships", {"afrique": "Africa", "europe": "Europe"}, "en")
    valid(fig)
    assert [tr["name"] for tr in fig["data"]] == ["Africa", "Europe"] and fig["layout"]["barmode"] == "stack"
    assert text == "From 2010 to 2011; the peak is 2011 with 5."


@pytest.mark.parametrize("builder", [
    lambda: charts.themes_chart(pd.DataFrame(columns=["code", "label_fr", "label_en", "partnerships"]), 0, "fr"),
    lambda: charts.top_authorities(pd.DataFrame(columns=["key", "name", "partnerships"]), 0, "fr"),
    lambda: charts.years_chart(pd.DataFrame(columns=["year", "continent", "partnerships"]), "partnerships", {}, "fr"),
])
def test_empty_data_gives_a_message_not_an_error(builder):
    fig, text = builder()
    valid(fig)
    assert text == "Aucun partenariat ne correspond à ces filtres."


def test_maps_colour_by_partnerships_per_inhabitant():
    stats = STATS.assign(population=[19_658_031, None], partnerships_per_100k=[10 * 100_000 / 19_658_031, None])
    fig = maps.world_map(COUNTRIES, stats, "par_habitant", "fr", (), "/g.geojson")
    valid(fig)
    base, data, *_ = fig["data"]
    assert data["locations"] == ["MLI"] and data["z"] == [pytest.approx(0.0509, abs=1e-4)]
    assert fig["layout"]["coloraxis"]["colorbar"]["title"]["text"] == "Partenariats pour 100\u202f000 habitants"
    assert "0,1 partenariats pour 100\u202f000 habitants" in data["hovertext"][0]
    # the Comores have partnerships but no known population: grey, and the hover says why
    comores = base["hovertext"][base["locations"].index("COM")]
    assert "2 partenariats" in comores and "population inconnue" in comores
    assert "aucun partenariat" in base["hovertext"][base["locations"].index("SEN")]
    text = maps.summary_world(stats, COUNTRIES, "par_habitant", "en")
    assert text == "1 partner country; Mali leads with 0.1 (Partnerships per 100,000 inhabitants)."


def test_france_map_and_region_ranking_per_inhabitant():
    regions = pd.DataFrame({"code": ["53", "84", "94"], "name": ["Bretagne", "Auvergne-Rhône-Alpes", "Corse"],
                            "rrma_name": ["RBS", "Résacoop", None], "population": [3_318_904, 7_948_287, 334_938],
                            "label_lon": [-3.0, 4.5, 9.1], "label_lat": [48.1, 45.5, 42.1]})
    stats = pd.DataFrame({"code": ["53", "84"], "partnerships": [50, 80], "authorities": [10, 20],
                          "budget": [0.0, 0.0], "budget_known": [0, 0], "population": [3_318_904, 7_948_287],
                          "partnerships_per_100k": [50e5 / 3_318_904, 80e5 / 7_948_287]})
    fig = maps.france_map(regions, stats, "par_habitant", "fr", "84", "/r.geojson", [])
    valid(fig)
    assert fig["data"][0]["z"] == pytest.approx([1.5065, 1.0065, 0.0], abs=1e-4)  # Corse: no partnership, 0
    fig, text = charts.regions_ranking(stats, regions, 130, "fr", "84", "par_habitant")
    valid(fig)
    bar = fig["data"][0]
    assert bar["customdata"] == ["53", "84"] and bar["text"] == ["1,5", "1,0"]
    assert bar["marker"]["color"] == [charts.BAR, charts.ACCENT]  # the selected region stands out
    assert text == ("Bretagne arrive en tête (Partenariats pour 100\u202f000 habitants\u00a0: 1,5). Seuls ceux "
                    "qui comptent au moins 5 partenariats sont classés.")
    _, text = charts.regions_ranking(stats, regions, 130, "fr")
    assert text == "Auvergne-Rhône-Alpes arrive en tête avec 80 partenariats (62\u00a0%)."
    few = stats.assign(partnerships=[3, 4])
    assert charts.regions_ranking(few, regions, 7, "fr", None, "par_habitant")[1] == \
        "Aucun partenariat ne correspond à ces filtres."
    # a region left out of a rate's ranking (too few partnerships) takes its colour with it
    fig, _ = charts.regions_ranking(stats.assign(partnerships=[3, 80]), regions, 83, "fr", "84", "par_habitant")
    assert fig["data"][0]["customdata"] == ["84"] and fig["data"][0]["marker"]["color"] == [charts.ACCENT]


def test_top_countries_follow_the_measure():
    stats = STATS.assign(population=[19_658_031, 850_886],
                         partnerships_per_100k=[10e5 / 19_658_031, 2e5 / 850_886])
    fig, text = charts.top_countries(stats.iloc[::-1], COUNTRIES, 12, "en", 15, "par_habitant")
    assert fig["data"][0]["customdata"] == ["MLI"]  # the Comores have fewer than 5 partnerships
    fig, text = charts.top_countries(stats, COUNTRIES, 12, "fr", 15, "budget")
    assert fig["data"][0]["text"][0] == "150\u00a0k\u00a0€" and "Budget connu total" in text


def test_prefill_fills_the_layout_and_refuses_an_output_without_its_component():
    import pytest
    from dash import dcc, html

    from dashboard.components import prefill

    tree = prefill(html.Div([html.Span(id="a"), dcc.Graph(id="g")]), {"a.children": "3", "g.figure": {"data": []}})
    assert tree.children[0].children == "3" and tree.children[1].figure == {"data": []}
    with pytest.raises(ValueError, match="missing"):
        prefill(html.Div([html.Span(id="a")]), {"missing.children": "x"})


def test_france_map_draws_the_selected_regions_departements_over_it_zoomed():
    regions = pd.DataFrame({"code": ["53", "84"], "name": ["Bretagne", "Auvergne-Rhône-Alpes"],
                            "rrma_name": ["RBS", "Résacoop"], "population": [3_318_904, 7_948_287],
                            "label_lon": [-3.0, 4.5], "label_lat": [48.1, 45.5]})
    stats = pd.DataFrame({"code": ["53", "84"], "partnerships": [50, 80], "authorities": [10, 20],
                          "budget": [0.0, 0.0], "budget_known": [0, 0]})
    deps = pd.DataFrame({"code": ["22", "29", "35", "56"], "name": ["Côtes-d'Armor", "Finistère", "Ille-et-Vilaine",
                                                                     "<b>Morbihan</b>"],
                         "label_lon": [-2.8, -4.1, -1.6, -2.8], "label_lat": [48.4, 48.2, 48.1, 47.8],
                         "partnerships": [3, 1, None, 2], "authorities": [1, 1, None, 1], "budget": [0.0] * 4,
                         "budget_known": [0] * 4})
    fig = maps.france_map(regions, stats, "partenariats", "fr", "53", "/r.geojson", [], deps, "29",
                          "/geo/b/departements.geojson", focus=(-5.2, 47.2, -1.0, 48.9))
    valid(fig)
    layer = next(tr for tr in fig["data"] if tr["name"] == "departements")
    assert layer["geojson"] == "/geo/b/departements.geojson"  # a URL: the geometry is served once per build
    assert layer["locations"] == ["22", "29", "35", "56"]
    assert layer["customdata"][1] == ["departement", "29"] and layer["z"] == [0, 1, 0, 0]  # the selected one tinted
    assert "&lt;b&gt;Morbihan" in layer["hovertext"][3] and "0 partenariats" not in layer["hovertext"][1]
    labels = next(tr for tr in fig["data"] if tr["name"] == "labels")
    assert labels["text"][0] == "" and labels["text"][1].startswith("Auvergne")  # Bretagne gives way to its four
    geo = fig["layout"]["geo"]
    assert geo["fitbounds"] is False and geo["lonaxis"]["range"][0] < -5.2 and geo["lataxis"]["range"][1] > 48.9
    plain = maps.france_map(regions, stats, "partenariats", "fr", None, "/r.geojson", [])
    assert [tr["name"] for tr in plain["data"]] == ["regions", "labels", "frames"]
    assert plain["layout"]["geo"]["fitbounds"] == "locations"


def test_records_are_a_frames_rows_in_python_values():
    from dashboard.figures.common import records

    rows = records(STATS)
    assert rows[0] == {"iso3": "MLI", "partnerships": 10, "authorities": 8, "budget": 150000.0, "budget_known": 3}
    assert type(rows[0]["partnerships"]) is int and type(rows[0]["iso3"]) is str  # JSON-ready, no numpy scalar
    assert records(STATS, "budget", "iso3")[1] == {"budget": 0.0, "iso3": "COM"}
    assert records(STATS.iloc[0:0]) == []


def test_a_legend_below_stands_at_the_graphs_foot_with_room_for_its_rows_and_the_axis():
    """Anchored to the graph (not to a fraction of the plot), its margin is the same in a graph of any height;
    it grows by a row's height for each row a phone's plot wraps it into, and by a line for an axis title."""
    short, long = ["Europe", "Asie"], ["Amériques", "Afrique", "Océanie", "Europe", "Asie"]
    legend, one_row = legend_below(short, titled=False)
    assert legend == {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"}
    assert legend_rows(short) == 1 and legend_rows(long) >= 2
    assert legend_below(long, titled=False)[1] == one_row + LEGEND_NEXT_ROW * (legend_rows(long) - 1)
    assert legend_below(short, titled=True)[1] == one_row + TITLE_ROW
    assert one_row > TICK_ROW + 30  # the tick labels' row and a legend row
    go.Figure({"data": [{"type": "bar", "name": n, "x": [1], "y": [1]} for n in long],
               "layout": {"legend": legend_below(long, titled=True)[0]}})  # plotly accepts it


@pytest.mark.parametrize("top, lang, divisor, prefix, suffix", [
    (8e7, "fr", 10 ** 6, "", "\u00a0M\u00a0€"), (8e7, "en", 10 ** 6, "€", "M"),
    (1.5e9, "fr", 10 ** 9, "", "\u00a0Md\u00a0€"), (1.5e9, "en", 10 ** 9, "€", "B"),
    (45_000, "fr", 10 ** 3, "", "\u00a0k\u00a0€"), (450, "fr", 1, "", "\u00a0€"), (float("nan"), "en", 1, "€", ""),
])
def test_an_axis_of_amounts_writes_its_ticks_as_the_amounts_read(top, lang, divisor, prefix, suffix):
    axis = money_axis(top, lang)
    assert axis.divisor == divisor and axis.ticks["tickprefix"] == prefix and axis.ticks["ticksuffix"] == suffix
    assert axis.scaled([top, None]) == [pytest.approx(top / divisor, nan_ok=True), None]
    assert all(w.startswith(prefix) and w.endswith(suffix) for w in axis.widest)


def test_every_chart_of_amounts_draws_them_in_the_unit_its_ticks_name():
    """A tick reads as the bars' own labels do ("150 k €" beside a bar of 150 000 €), in both languages."""
    df = pd.DataFrame({"year": [2010, 2010, 2011], "continent": ["afrique", "europe", "afrique"],
                       "partnerships": [3, 1, 5], "budget": [1.2e6, 3e5, 2.5e6]})
    fig, _ = charts.years_chart(df, "budget", {"afrique": "Afrique", "europe": "Europe"}, "fr")
    valid(fig)
    assert fig["data"][0]["y"] == [1.2, 2.5] and fig["layout"]["yaxis"]["ticksuffix"] == "\u00a0M\u00a0€"
    assert fig["layout"]["margin"]["l"] >= text_width(["2\u00a0M\u00a0€"]) + TITLE_ROW  # the longer ticks fit
    fig, _ = charts.top_countries(STATS, COUNTRIES, 12, "en", 15, "budget")
    bar = fig["data"][0]
    assert bar["x"][0] == 150 and bar["text"][0] == "€150K" and fig["layout"]["xaxis"]["tickprefix"] == "€"
    fig = maps.world_map(COUNTRIES, STATS, "budget", "fr", (), "/g.geojson")
    valid(fig)
    bar = fig["layout"]["coloraxis"]["colorbar"]
    assert fig["data"][1]["z"] == [150] and bar["title"]["text"] == "Budget connu total (k\u00a0€)"
    assert "ticksuffix" not in bar  # the unit in the title: a phone's colour bar is too short for it on each tick
    fig = maps.france_map(pd.DataFrame({"code": ["53"], "name": ["Bretagne"], "rrma_name": ["RBS"],
                                        "population": [3_318_904], "label_lon": [-3.0], "label_lat": [48.1]}),
                          pd.DataFrame({"code": ["53"], "partnerships": [5], "authorities": [2], "budget": [2.5e7],
                                        "budget_known": [4]}), "budget", "en", None, "/r.geojson", [])
    assert fig["data"][0]["z"] == [25] and fig["layout"]["coloraxis"]["colorbar"]["tickprefix"] == "€"
    fig, _ = charts.years_chart(df, "partnerships", {"afrique": "Afrique", "europe": "Europe"}, "fr")
    assert fig["data"][0]["y"] == [3, 5] and "ticksuffix" not in fig["layout"]["yaxis"]  # counts stay as they are


def test_no_axis_writes_plotlys_short_forms_and_years_stay_unseparated():
    """"10 000", not "10k" (plotly's SI forms on a French page); "2020", not "2 020"."""
    df = pd.DataFrame({"year": [2010, 2011], "continent": ["afrique", "europe"], "partnerships": [12_000, 4]})
    fig, _ = charts.years_chart(df, "partnerships", {"afrique": "Afrique", "europe": "Europe"}, "fr")
    y, x = fig["layout"]["yaxis"], fig["layout"]["xaxis"]
    assert y["exponentformat"] == "none" and y["separatethousands"] and not x["separatethousands"]
    bar = maps.world_map(COUNTRIES, STATS, "partenariats", "fr", (), "/g.geojson")["layout"]["coloraxis"]["colorbar"]
    assert bar["exponentformat"] == "none" and bar["separatethousands"]


def test_a_few_partnerships_are_counted_in_whole_ticks():
    """"0, 1, 2, 3", not plotly's "0, 0,5, 1, 1,5" on a town's few partnerships; rates keep their decimals."""
    df = pd.DataFrame({"year": [2010, 2011], "continent": ["afrique", "europe"], "partnerships": [3, 1]})
    fig, _ = charts.years_chart(df, "partnerships", {"afrique": "Afrique", "europe": "Europe"}, "fr")
    assert fig["layout"]["yaxis"]["dtick"] == 1
    few = STATS.assign(partnerships=[2, 1])
    bar = maps.world_map(COUNTRIES, few, "partenariats", "fr", (), "/g.geojson")["layout"]["coloraxis"]["colorbar"]
    assert bar["dtick"] == 1  # 1 and 2 partnerships: no "1,5"
    stats = STATS.assign(population=[19_658_031, 850_886], partnerships_per_100k=[0.05, 0.24])
    bar = maps.world_map(COUNTRIES, stats, "par_habitant", "fr", (), "/g.geojson")["layout"]["coloraxis"]["colorbar"]
    assert "dtick" not in bar
    fig, _ = charts.themes_chart(pd.DataFrame({"code": ["culture"], "label_fr": ["Culture"], "label_en": ["Culture"],
                                               "partnerships": [2]}), 2, "fr")
    assert fig["layout"]["xaxis"]["dtick"] == 1
    many, _ = charts.years_chart(df.assign(partnerships=[300, 100]), "partnerships", {"afrique": "A"}, "fr")
    assert "dtick" not in many["layout"]["yaxis"]  # plotly's own round steps


def test_a_ranking_asks_for_the_height_its_bars_need_and_numpy_amounts_are_scaled():
    themes = pd.DataFrame({"code": [f"t{i}" for i in range(18)], "label_fr": [f"Thème {i}" for i in range(18)],
                           "label_en": [f"Theme {i}" for i in range(18)], "partnerships": list(range(18, 0, -1))})
    fig, _ = charts.themes_chart(themes, 171, "fr")
    margin = fig["layout"]["margin"]
    assert charts.rows_height(fig) == 18 * charts.BAR_ROW + margin["t"] + margin["b"] > 360  # the old card
    years, _ = charts.years_chart(pd.DataFrame({"year": [2010], "continent": ["afrique"], "partnerships": [3]}),
                                  "partnerships", {}, "fr")
    assert charts.rows_height(years) == 0  # not a ranking: its card keeps its height
    import numpy as np
    assert money_axis(8e7, "fr").scaled([np.int64(80_000_000), np.float64(4e7)]) == [80, 40]


@pytest.mark.parametrize(("top", "ticks"), [(18.3, "0 5 10 15"), (20.3, "0 5 10 15 20"), (41.2, "0 10 20 30 40"),
                                             (4.2, "0 1 2 3 4"), (5.01, "0 1 2 3 4 5"), (25.1, "0 5 10 15 20 25"),
                                             (100, "0 20 40 60 80 100"), (0, "0.0 0.2 0.4 0.6 0.8 1.0"),
                                             (float("nan"), "0.0 0.2 0.4 0.6 0.8 1.0")])
def test_a_share_axis_steps_roundly_and_its_last_label_stays_inside_the_plot(top, ticks):
    """The monitor's "%" axis read "0, 4, 7, 11, 14, 18" (the left axis's number of ticks, rounded)."""
    axis = share_axis(top)
    step, end, form = axis.ticks["dtick"], axis.ticks["range"][1], axis.ticks["tickformat"]
    drawn = [format(k * step, form) for k in range(int(end / step + 1e-9) + 1)]
    assert " ".join(drawn) == ticks and axis.widest == [drawn[-1]]
    assert not top > end and float(drawn[-1]) <= 0.94 * end * 1.0001  # the line inside, the top label clear of the top
