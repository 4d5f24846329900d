import logging

import pytest

from dashboard.filters import Filters, Vocabulary

VOCAB = Vocabulary(
    regions=frozenset({"84", "53", "11"}), departements=frozenset({"69", "2A", "974"}),
    types=frozenset({"commune", "region"}), countries=frozenset({"MLI", "BFA", "SEN", "XKX"}),
    zones=frozenset({"sahel", "maghreb"}), themes=frozenset({"EAU", "SANTE"}), actions=frozenset({"COOP_DEC"}),
    rrmas=frozenset({"resacoop"}), authorities=frozenset({"COM:69123"}), first_year=1950, last_year=2030,
)


def test_defaults_give_an_empty_query():
    assert Filters().to_query() == ""
    assert Filters.from_query({}, VOCAB) == Filters()


def test_round_trip_with_short_stable_codes():
    f = Filters(region="84", departement="69", type="commune", pays=("BFA", "MLI"), zone="sahel", theme="EAU",
                odd=(6, 13), debut=2012, fin=2016, action="COOP_DEC", budget="connu", mesure="budget", lang="en")
    q = f.to_query()
    assert q == ("region=84&departement=69&type=commune&pays=BFA~MLI&zone=sahel&theme=EAU&odd=6~13&debut=2012"
                 "&fin=2016&action=COOP_DEC&budget=connu&mesure=budget&lang=en")
    parsed = dict(p.split("=") for p in q.split("&"))
    assert Filters.from_query(parsed, VOCAB) == f


def test_codes_are_normalised_and_sorted():
    f = Filters.from_query({"pays": "mli~bfa~MLI", "odd": "13~6", "departement": "2a"}, VOCAB)
    assert f.pays == ("BFA", "MLI") and f.odd == (6, 13) and f.departement == "2A"


@pytest.mark.parametrize("query", [
    {"region": "99"}, {"region": "84' OR 1=1 --"}, {"pays": "ATL"}, {"odd": "18"}, {"odd": "abc"},
    {"debut": "1800"}, {"debut": "20x0"}, {"fin": "99999999999999999999"}, {"zone": "../../etc/passwd"},
    {"lang": "de"}, {"mesure": "<script>"}, {"budget": "peut-être"}, {"inconnu": "1"}, {"theme": "\u0000"},
    {"region": "８４"}, {"pays": "~" * 5000},
])
def test_malformed_parameters_are_ignored_and_logged(query, caplog):
    with caplog.at_level(logging.INFO, logger="dashboard.filters"):
        f = Filters.from_query(query, VOCAB)
    assert f == Filters() or f.pays == ()
    if "inconnu" not in query:
        assert "ignoré" in caplog.text


def test_partly_valid_lists_keep_the_valid_part():
    f = Filters.from_query({"pays": "MLI~ATL~SEN", "odd": "6~42"}, VOCAB)
    assert f.pays == ("MLI", "SEN") and f.odd == (6,)


def test_repeated_key_keeps_the_last_value():
    assert Filters.from_query({"region": ["53", "84"]}, VOCAB).region == "84"


def test_inverted_year_range_drops_the_end():
    f = Filters.from_query({"debut": "2020", "fin": "2010"}, VOCAB)
    assert (f.debut, f.fin) == (2020, None)
