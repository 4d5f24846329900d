"""The monitor's yearly series draw the events behind the curves when their countries are in view, and only then:
one dotted line per year through its bar, a short label in the page's language, every event in the hover."""

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.figures import monitor

YEARS = pd.DataFrame({"year": list(range(2010, 2025)), "zone_active": [10 + i for i in range(15)],
                      "all_active": [100] * 15, "zone_budget": [1e5 * (i + 1) for i in range(15)],
                      "all_budget": [4e6] * 15})
YEARS["zone_share"] = YEARS["zone_active"] / YEARS["all_active"]
YEARS["budget_share"] = YEARS["zone_budget"] / YEARS["all_budget"]


def _events(*rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["id", "date", "countries", "label_fr", "label_en", "description_fr",
                                     "description_en", "source"])
    df["date"] = pd.to_datetime(df["date"])
    df["year"] = df["date"].dt.year
    return df


EVENTS = _events(
    ("coup", "2012-03-22", ["MLI"], "Putsch au Mali", "Coup in Mali", "Coup d'État à Bamako.", "Coup in Bamako.", "s"),
    ("serval", "2013-01-11", ["MLI"], "Opération Serval", "Operation Serval", "Serval.", "Serval.", "s"),
    ("coup_bf", "2022-01-24", ["BFA"], "Putsch au Burkina", "Coup in Burkina", "Janvier.", "January.", "s"),
    ("coup_bf2", "2022-09-30", ["BFA"], "2e putsch au Burkina", "2nd coup in Burkina", "Septembre.", "September.", "s"),
    ("g5", "2014-02-16", ["MRT", "MLI", "BFA", "NER", "TCD"], "G5 Sahel", "G5 Sahel", "G5.", "G5.", "s"),
    ("old", "1995-01-01", ["MLI"], "Trop tôt", "Too early", "Hors de la plage.", "Out of range.", "s"),
    ("hostile", "2016-05-01", ["HTI"], "<b>x</b>", "<b>x</b>", "<script>alert(1)</script>", "<i>y</i>", "s"),
).sort_values("date")


@pytest.mark.parametrize("builder", [monitor.share_chart, monitor.budget_share_chart])
def test_events_of_the_countries_in_view_are_drawn(builder):
    fig, summary = builder(YEARS, "Sahel", "fr", EVENTS, {"MLI", "BFA", "NER", "TCD", "MRT"})
    go.Figure(fig)  # valid plotly
    shapes, notes = fig["layout"]["shapes"], fig["layout"]["annotations"]
    assert [s["x0"] for s in shapes] == [2012, 2013, 2014, 2022]  # one line per year; 1995 is outside the span
    assert all(s["yref"] == "paper" and s["line"]["dash"] == "dot" and s["layer"] == "below" for s in shapes)
    assert [n["text"] for n in notes] == ["Putsch au Mali", "Opération Serval", "G5 Sahel", "Putsch au Burkina (+1)"]
    assert all(n["textangle"] == -90 and n["x"] == s["x0"] for n, s in zip(notes, shapes))
    assert "<b>22 mars 2012</b>\u00a0: Coup d'État à Bamako." == notes[0]["hovertext"]
    assert "Janvier." in notes[3]["hovertext"] and "Septembre." in notes[3]["hovertext"]
    assert fig["layout"]["margin"]["t"] == monitor.EVENT_BAND  # the labels stand above the plot
    assert summary.endswith("Les lignes pointillées marquent 5 événements (2012–2022) concernant les pays "
                            "suivis\u202f; détail et sources dans «\u00a0Les données\u00a0».")


def test_labels_follow_the_language_and_the_chosen_countries():
    fig, summary = monitor.share_chart(YEARS, "Mali", "en", EVENTS, {"MLI"})
    assert [n["text"] for n in fig["layout"]["annotations"]] == ["Coup in Mali", "Operation Serval", "G5 Sahel"]
    assert fig["layout"]["annotations"][0]["hovertext"].startswith("<b>March 22, 2012</b>: ")
    assert "Dotted lines mark 3 events (2012–2014)" in summary


@pytest.mark.parametrize("in_view", [{"SEN", "MAR"}, set(), frozenset()])
def test_no_event_drawn_when_none_concerns_the_countries_in_view(in_view):
    for builder in (monitor.share_chart, monitor.budget_share_chart):
        fig, summary = builder(YEARS, "Maghreb", "fr", EVENTS, in_view)
        assert not fig["layout"].get("shapes") and not fig["layout"].get("annotations")
        assert fig["layout"]["margin"]["t"] < monitor.EVENT_BAND and "pointillée" not in summary
    fig, _ = monitor.share_chart(YEARS, "Sahel", "fr")  # no events given
    assert not fig["layout"].get("shapes")


def test_event_text_from_data_is_escaped():
    fig, _ = monitor.share_chart(YEARS, "Haïti", "fr", EVENTS, {"HTI"})
    note = fig["layout"]["annotations"][0]
    assert note["text"] == "&lt;b&gt;x&lt;/b&gt;" and "<script>" not in note["hovertext"]


def test_share_summary_names_the_peak_the_two_ends_would_hide():
    """A rise then a fall (16 % → 20 % → 16 %): the summary says where the share peaked, not only +0 points."""
    shares = [16, 17, 18, 19, 20, 19, 18, 17, 16]
    years = pd.DataFrame({"year": list(range(2004, 2013)), "zone_active": shares, "all_active": [100] * 9})
    years["zone_share"] = years["zone_active"] / years["all_active"]
    _, summary = monitor.share_chart(years, "Sahel", "fr")
    assert "16\u00a0% en 2012" in summary
    assert "Au plus haut\u00a0: 20\u00a0% en 2008, soit -4,0 points depuis." in summary
    _, rising = monitor.share_chart(years.head(5), "Sahel", "en")
    assert "highest" not in rising  # the peak is an end: nothing hidden


def test_the_budget_chart_writes_its_amounts_as_the_hover_does():
    fig, _ = monitor.budget_share_chart(YEARS, "Sahel", "fr")
    bars, axis = fig["data"][0], fig["layout"]["yaxis"]
    assert bars["y"][:2] == [0.1, 0.2] and axis["ticksuffix"] == "\u00a0M\u00a0€"  # up to 1,5 M €: in millions
    assert bars["hovertext"][0] == "2010\u00a0: 100\u00a0k\u00a0€"
    fig, _ = monitor.budget_share_chart(YEARS.assign(zone_budget=YEARS["zone_budget"] * 100), "Sahel", "en")
    assert fig["layout"]["yaxis"]["tickprefix"] == "€" and fig["layout"]["yaxis"]["ticksuffix"] == "M"
    for builder in (monitor.share_chart, monitor.budget_share_chart):  # their x axis: years, not "2 020"
        layout = builder(YEARS, "Sahel", "fr")[0]["layout"]
        assert not layout["xaxis"]["separatethousands"]
    assert not monitor.flows_chart(YEARS.assign(entries=1, exits=1), "fr")[0]["layout"]["xaxis"]["separatethousands"]
