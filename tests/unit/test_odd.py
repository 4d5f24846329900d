import pytest

from etl.normalise import Invalid
from etl.normalise.odd import normalise_odds


@pytest.mark.parametrize(
    "raw, goals",
    [
        ("6, 7", [6, 7]), ("7, 6, 6", [6, 7]), ("ODD 6 ; ODD 13", [6, 13]), ("ODD6 / ODD7", [6, 7]),
        ("5 - Égalité entre les sexes | 10 - Inégalités réduites", [5, 10]),
        ("Objectif 5 : Égalité entre les sexes", [5]),
        ("9 - Industrie, innovation et infrastructure | 11 - Villes et communautés durables", [9, 11]),
        ("3 - Bonne santé et bien-être", [3]), ("Eau propre et assainissement", [6]),
        ("ODD 6 et 7", [6, 7]), ("ODD 1, 2 et 3", [1, 2, 3]), ("6;13;17", [6, 13, 17]), ("17", [17]),
        ("odd 4", [4]), ("SDG 4 + SDG 5", [4, 5]), ("ODD n°6", [6]), ("", []), (None, []), ("  ", []),
        ("Vie terrestre", [15]),
    ],
)
def test_odd_spellings(raw, goals):
    assert normalise_odds(raw) == goals


@pytest.mark.parametrize("raw, message", [("ODD 18", "hors de 1–17"), ("0", "hors de 1–17"),
                                          ("6, 42", "hors de 1–17"), ("blah", "illisible"),
                                          ("ODD 6 ; n'importe quoi", "illisible")])
def test_odd_rejections(raw, message):
    with pytest.raises(Invalid, match=message):
        normalise_odds(raw)
