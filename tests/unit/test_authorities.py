import pytest

from etl.normalise import Invalid
from etl.normalise.authorities import normalise_authority


@pytest.mark.parametrize(
    "args, expected",
    [
        # (name, type, code, département, région) → (type, commune, département, région)
        (("Ville de Lyon",), ("commune", "69123", "69", "84")),
        (("Mairie de Chambéry",), ("commune", "73065", "73", "84")),
        (("Commune de Bouguenais",), ("commune", "44020", "44", "52")),
        (("Ville du Mans",), ("commune", "72181", "72", "52")),
        (("Le Havre",), ("commune", "76351", "76", "28")),
        (("L'Abergement-Clémenciat",), ("commune", "01001", "01", "84")),
        (("Nantes", "", "", "44"), ("commune", "44109", "44", "52")),
        (("Saint-Denis", "", "", "93"), ("commune", "93066", "93", "11")),
        (("Saint-Denis", "Commune", "", "La Réunion"), ("commune", "97411", "974", "04")),
        (("Saint-Denis", "commune", "97411"), ("commune", "97411", "974", "04")),
        (("Paris", "Commune"), ("commune", "75056", "75", "11")),
        (("Paris", "Département"), ("departement", None, "75", "11")),
        (("Région Bretagne",), ("region", None, None, "53")),
        (("Conseil régional de Bretagne",), ("region", None, None, "53")),
        (("Région Auvergne-Rhône-Alpes",), ("region", None, None, "84")),
        (("Région Rhône-Alpes", "", "", "", "Rhône-Alpes"), ("region", None, None, "84")),
        (("Conseil régional", "Région", "", "", "84"), ("region", None, None, "84")),
        (("Conseil départemental du Nord",), ("departement", None, "59", "32")),
        (("Département de la Gironde",), ("departement", None, "33", "75")),
        (("Conseil général des Yvelines",), ("departement", None, "78", "11")),
        (("Département", "Conseil départemental", "2A"), ("departement", None, "2A", "94")),
        (("Lannion-Trégor Communauté",), ("epci", None, "22", "53")),
        (("Bordeaux Métropole",), ("metropole", None, "33", "75")),
        (("Métropole de Lyon",), ("metropole", None, "69", "84")),
        (("Grand Lyon", "", "200046977"), ("metropole", None, "69", "84")),
        (("CA du Pays de Saint-Omer", "Communauté d'agglomération", "", "Pas-de-Calais"), ("epci", None, "62", "32")),
        (("Syndicat des eaux X", "Syndicat mixte", "", "Loire-Atlantique"), ("syndicat_mixte", None, "44", "52")),
        (("Comité de jumelage", "", "", "44 - Loire-Atlantique"), ("autre", None, "44", "52")),
        (("Ville de Pointe-à-Pitre",), ("commune", "97120", "971", "01")),
        (("Mamoudzou",), ("commune", "97611", "976", "06")),
        (("St-Jean-de-Monts",), ("commune", "85234", "85", "52")),
        (("Ste-Sigolène",), ("commune", "43224", "43", "84")),
        (("Mairie de St-Sébastien-sur-Loire",), ("commune", "44190", "44", "52")),
        (("Boulogne-s/-Mer",), ("commune", "62160", "62", "32")),
        (("Saint-Denis (93)",), ("commune", "93066", "93", "11")),
        (("Ville de Saint-Denis (La Réunion)",), ("commune", "97411", "974", "04")),
        (("Cherbourg-Octeville",), ("commune", "50129", "50", "28")),  # a delegated commune: its commune
        (("Lyon 3e", "", "69383"), ("commune", "69123", "69", "84")),  # an arrondissement: its commune
        (("CD13",), ("departement", None, "13", "93")),
        (("Conseil départemental du Nord (59)",), ("departement", None, "59", "32")),
        (("Région Bretagne (53)",), ("region", None, None, "53")),
        (("CA Grand Longwy Agglomération",), ("epci", None, "54", "44")),
        (("Communauté de communes Hautes Terres",), ("epci", None, "15", "84")),
        (("Metz Métropole", "", "", "57"), ("metropole", None, "57", "44")),
        (("CC des Deux Vallées", "", "", "91"), ("epci", None, "91", "11")),
        (("CA du Calaisis", "", "246201149"), ("epci", None, "62", "32")),  # merged into Grand Calais
    ],
)
def test_authorities_are_located(args, expected):
    a = normalise_authority(*args)
    assert (a.type, a.commune_code, a.departement_code, a.region_code) == expected


def test_key_is_stable_across_spellings():
    keys = {normalise_authority(n).key for n in ("Ville de Lyon", "Lyon", "Mairie de Lyon", "Commune de Lyon")}
    assert keys == {"COM:69123"}


@pytest.mark.parametrize(
    "args, message",
    [
        (("Saint-Denis",), "nom ambigu"),
        (("Ville de La Rochelle",), "nom ambigu"),
        (("Truc-sur-Machin",), "introuvable"),
        (("",), "manquante"),
        (("Lyon", "bidule"), "type de collectivité inconnu"),
        (("X", "", "99999"), "code INSEE/SIREN inconnu"),
        (("X", "", "", "Atlantide"), "département inconnu"),
        (("X", "", "", "", "Laponie"), "région inconnue"),
        # A homonymous commune is not the EPCI named after one of them, nor any of them.
        (("La Rochelle",), "nom ambigu"),
        (("Chaumont",), "nom ambigu"),
        (("St-Denis",), "nom ambigu"),
        (("Communauté de communes des Deux Vallées",), "nom ambigu"),  # two EPCI (60, 91)
        (("Pays Basque",), "introuvable"),  # an EPCI's name without its title is not guessed
    ],
)
def test_authorities_rejected_never_guessed(args, message):
    with pytest.raises(Invalid, match=message):
        normalise_authority(*args)


def test_ambiguous_name_says_where():
    with pytest.raises(Invalid) as exc:
        normalise_authority("Saint-Denis")
    assert "93" in str(exc.value) and "974" in str(exc.value)


def test_rrma_by_region_and_ycid_by_departement():
    from etl.vocab import rrma_for

    assert rrma_for("84", "69") == "resacoop"
    assert rrma_for("11", "78") == "ycid"
    assert rrma_for("11", "75") is None
    assert rrma_for("52", None) == "pdlci"


def test_epci_renamed_or_merged_keeps_its_key_today():
    key = normalise_authority("Agglomération du Grand Longwy").key
    assert key == "EPCI:245400262"
    for spelling in ("CA de Longwy", "CA Grand Longwy Agglomération", "Grand Longwy Agglomération"):
        assert normalise_authority(spelling).key == key
    assert normalise_authority("CC Jura Sud").key == normalise_authority("Terre d'Émeraude Communauté").key


def test_epci_found_by_name_with_a_departement_gets_its_siren():
    a = normalise_authority("Lannion-Trégor Communauté", "", "", "Côtes-d'Armor")
    assert a.key == "EPCI:200065928"


def test_the_cog_index_is_cached_and_a_damaged_cache_is_built_again(tmp_path, monkeypatch):
    from etl.normalise import authorities

    monkeypatch.setenv("COOPATLAS_CACHE_DIR", str(tmp_path))
    built = authorities._cog.__wrapped__()
    [cached] = tmp_path.glob("cog-index-*.pickle")
    assert authorities._cog.__wrapped__() == built  # read back from the cache
    cached.write_bytes(b"not a pickle")
    assert authorities._cog.__wrapped__() == built
    assert cached.read_bytes() != b"not a pickle"
