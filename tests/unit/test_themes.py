import pytest

from etl.normalise.themes import normalise_themes
from etl.vocab import themes


@pytest.mark.parametrize(
    "raw, codes",
    [
        ("Eau et assainissement", ["EAU"]), ("eau ; santé", ["EAU", "SANTE"]),
        ("Culture, patrimoine", ["CULTURE", "PATRIMOINE"]),
        ("Éducation, formation", ["EDUC"]), ("Gouvernance locale / Appui institutionnel", ["GOUV"]),
        ("Agriculture, sécurité alimentaire", ["AGRI"]), ("Jeunesse, mobilité, volontariat", ["JEUNESSE"]),
        ("Climat, environnement, biodiversité", ["CLIMAT"]), ("Aide d'urgence et humanitaire", ["URGENCE"]),
        ("EAU|ENERGIE", ["EAU", "ENERGIE"]), ("Water and sanitation", ["EAU"]), ("", []),
    ],
)
def test_theme_spellings(raw, codes):
    assert normalise_themes(raw)[0] == codes


def test_unmatched_pieces_are_reported_not_lost():
    codes, unmatched = normalise_themes("Eau ; Astronomie amateur")
    assert codes == ["EAU"]
    assert unmatched == ["Astronomie amateur"]


def test_every_theme_label_maps_to_itself():
    for t in themes():
        assert normalise_themes(t.label_fr)[0] == [t.code], t.label_fr
