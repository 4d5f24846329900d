"""A filter or a chart declared once reaches every place: the URL, the panel, reset, the API, OpenAPI and the CSV
(for a filter); the dashboard's outputs, the embeds and the profile pages (for a chart). Checked on the status
filter (``statut``) and on every chart of the catalogue."""

import csv
import io

import pytest

from dashboard.callback_client import main_inputs, payload
from dashboard.catalogue import CHARTS
from dashboard.filters import BY_NAME, Filters
from dashboard.ids import Ids
from dashboard.pages import home


@pytest.fixture(scope="module")
def ongoing(snap) -> int:
    return int(snap.store.df("SELECT count(*) AS n FROM partnerships WHERE status = 'en_cours'").iloc[0]["n"])


def test_status_in_the_url_and_the_panel(snap):
    f = Filters.from_query({"statut": "en_cours"}, snap.vocab)
    assert f.statut == "en_cours" and f.to_query() == "statut=en_cours"
    assert Filters.from_query({"statut": "<b>"}, snap.vocab).statut is None
    page = str(home.layout(snap, statut="termine"))
    assert BY_NAME["statut"].control_id in page and "Statut" in page
    assert "Status" in str(home.layout(snap, statut="termine", lang="en"))


def test_status_through_the_main_callback_and_reset(client, app, ongoing):
    body = payload(app, Ids.KPI_PARTNERSHIPS, main_inputs(**{"f-statut": "en_cours"}), {f"{Ids.LANG}.data": "fr"})
    out = client.post("/_dash-update-component", json=body).json["response"]
    assert out[Ids.KPI_PARTNERSHIPS]["children"] == str(ongoing)
    assert out[Ids.PERMALINK]["data"] == "statut=en_cours"
    reset = payload(app, "f-region.value@", {f"{Ids.RESET}.n_clicks": 1})
    cleared = client.post("/_dash-update-component", json=reset).json["response"]
    assert cleared["f-statut"]["value"] is None


def test_status_in_the_api_openapi_and_csv(client, ongoing):
    assert client.get("/api/v1/partnerships?statut=en_cours").json["total"] == ongoing
    doc = client.get("/api/v1/openapi.json").json
    assert "statut" in doc["components"]["parameters"]
    rows = list(csv.reader(io.StringIO(client.get("/telecharger.csv?statut=en_cours").data.decode("utf-8-sig")),
                           delimiter=";"))
    assert len(rows) - 1 == ongoing and {r[rows[0].index("Statut")] for r in rows[1:]} == {"En cours"}


@pytest.mark.parametrize("chart", [c.id for c in CHARTS])
def test_every_chart_reaches_the_dashboard_and_its_embed(client, app, snap, chart):
    body = payload(app, Ids.KPI_PARTNERSHIPS, main_inputs(), {f"{Ids.LANG}.data": "fr"})
    out = client.post("/_dash-update-component", json=body).json["response"]
    assert out[chart]["figure"]["data"] is not None and out[f"{chart}-summary"]["children"]
    assert client.get(f"/embed/{chart}").status_code == 200
    layout = str(home.layout(snap))
    assert f"'{chart}'" in layout and f"'{chart}-embed'" in layout and f"'{chart}-title'" in layout


def test_the_regions_ranking_shares_are_of_all_regions_when_one_is_selected(snap):
    """The ranking keeps every region in view whatever the region filter: its lead's share is of all of them (it
    read "1 485 partenariats (211 %)" with Bretagne selected)."""
    from dashboard.catalogue import CHART, Context
    from dashboard.i18n import percent

    f = Filters.from_query({"region": "53"}, snap.vocab)
    _, summary = CHART["ch-regions"].build(Context(snap.store, snap.reference, f))
    counts = snap.store.df("SELECT fr_region_code, count(*) AS n FROM partnerships GROUP BY 1 ORDER BY n DESC")
    share = percent(int(counts["n"].iloc[0]) / int(counts["n"].sum()), "fr")
    assert f"({share})" in summary, summary
