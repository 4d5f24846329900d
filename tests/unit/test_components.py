"""The page parts every page shares: the plain data tables."""

from dash import html

from dashboard.components import data_table
from dashboard.i18n import euros, number, percent, signed


def _cells(table: html.Table):
    head, body = table.children[1], table.children[2]
    return head.children.children, [row.children for row in body.children]


def test_a_table_aligns_its_figures_right_and_its_words_left_in_both_languages():
    for lang in ("fr", "en"):
        rows = [["Bretagne", number(12028, lang), percent(0.412, lang, 1), euros(1.2e6, lang), signed(-4.2, lang),
                 "2025", "Mali, Sénégal"],
                ["Corse", "—", percent(0.05, lang, 1), euros(-5000, lang), signed(3, lang), "—", "SHA-256 2efc…"]]
        headers, body = _cells(data_table("c", ["région", "partenariats", "part", "budget", "points", "année",
                                                "pays"], rows))
        assert [h.className for h in headers] == [None, "num", "num", "num", "num", "num", None]
        assert [c.className for c in body[1]] == [None, "num", "num", "num", "num", "num", None]
    codes = [["2A", "6, 13", "1.2.3", "2 décembre 2026", "SHA-256"], ["2B", "6", "4", "1 décembre 2026", "ab12"]]
    headers, _ = _cells(data_table("c", ["département", "odd", "version", "date", "empreinte"], codes))
    assert [h.className for h in headers] == [None] * 5  # codes and lists are words


def test_a_tables_cells_carry_their_columns_name_with_a_capital_for_the_phone_layout():
    link = html.A(["entrée", html.Span(" ▼")], href="?tri=entree")
    table = data_table("c", ["collectivité", link], [["Lyon", "2019"]], sort=[None, "descending"])
    headers, body = _cells(table)
    assert headers[0].children == "Collectivité" and headers[1].children.children[0] == "Entrée"
    assert link.children[0] == "entrée"  # the caller's link as it was
    assert [c.to_plotly_json()["props"]["data-label"] for c in body[0]] == ["Collectivité", "Entrée"]
    assert table.className == "data-table sortable"  # its headers stay shown on a phone: they sort it
    assert data_table("c", ["a"], [["x"]]).className == "data-table"
