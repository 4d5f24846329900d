import pytest

from etl.normalise import Invalid
from etl.normalise.countries import iso_codes, normalise_country


@pytest.mark.parametrize(
    "raw, iso3",
    [
        ("Mali", "MLI"), ("MALI", "MLI"), ("  mali ", "MLI"), ("Le Mali", "MLI"),
        ("Burkina Faso", "BFA"), ("Burkina-Faso", "BFA"), ("burkina faso", "BFA"),
        ("Sénégal", "SEN"), ("Senegal", "SEN"), ("SÉNÉGAL", "SEN"),
        ("RDC", "COD"), ("RD Congo", "COD"), ("République démocratique du Congo", "COD"),
        ("Congo, The Democratic Republic of the", "COD"), ("Congo", "COG"), ("République du Congo", "COG"),
        ("Corée du Sud", "KOR"), ("Corée du sud", "KOR"), ("South Korea", "KOR"), ("République de Corée", "KOR"),
        ("Viêt Nam", "VNM"), ("Vietnam", "VNM"), ("Viet-Nam", "VNM"), ("Viet Nam", "VNM"),
        ("Cap-Vert", "CPV"), ("Cap Vert", "CPV"), ("Cabo Verde", "CPV"),
        ("Etats-Unis d'Amérique", "USA"), ("États-Unis d’Amérique", "USA"), ("Etats Unis", "USA"),
        ("United States", "USA"),
        ("Québec (Canada)", "CAN"), ("Canada", "CAN"),
        ("Côte d'Ivoire", "CIV"), ("Côte d’Ivoire", "CIV"), ("Cote d Ivoire", "CIV"),
        ("Kosovo", "XKX"),
        ("Territoires palestiniens", "PSE"), ("Palestine", "PSE"),
        ("Maroc", "MAR"), ("Morocco", "MAR"), ("Algérie", "DZA"), ("Tunisie", "TUN"), ("Mauritanie", "MRT"),
        ("Tchad", "TCD"), ("Niger", "NER"), ("Nigéria", "NGA"), ("Nigeria", "NGA"),
        ("Comores", "COM"), ("Haïti", "HTI"), ("Haiti", "HTI"), ("Maurice", "MUS"),
        ("Allemagne", "DEU"), ("Germany", "DEU"), ("Royaume-Uni", "GBR"), ("Royaume Uni", "GBR"),
        ("Liban", "LBN"), ("Arménie", "ARM"), ("Russie", "RUS"), ("Macédoine du Nord", "MKD"),
        ("Bolivie", "BOL"), ("Tanzanie", "TZA"), ("Iran", "IRN"), ("Syrie", "SYR"), ("Laos", "LAO"),
        ("Moldavie", "MDA"), ("Birmanie", "MMR"), ("Guinée", "GIN"), ("Guinée-Bissau", "GNB"),
        ("Centrafrique", "CAF"), ("MLI", "MLI"),
        ("Burkina", "BFA"), ("République de Moldavie", "MDA"), ("Royaume du Maroc", "MAR"),
        ("Republic of Rwanda", "RWA"), ("République tunisienne", "TUN"), ("St Lucia", "LCA"),
        ("République de Chine", "TWN"), ("République populaire de Chine", "CHN"), ("Holy See", "VAT"),
    ],
)
def test_country_spellings(raw, iso3):
    assert normalise_country(raw) == iso3


@pytest.mark.parametrize("raw", ["France", "FRANCE", "Guadeloupe", "La Réunion", "Nouvelle-Calédonie", "Mayotte"])
def test_france_is_not_a_partner(raw):
    with pytest.raises(Invalid, match="en France"):
        normalise_country(raw)


@pytest.mark.parametrize("raw, message", [("", "manquant"), ("   ", "manquant"), (None, "manquant"),
                                          ("Atlantide", "inconnu"), ("Corée", "inconnu"),
                                          ("République", "inconnu"), ("Yougoslavie", "inconnu")])
def test_unknown_or_missing(raw, message):
    with pytest.raises(Invalid, match=message):
        normalise_country(raw)


def test_every_alias_points_at_a_known_code():
    from etl.normalise.countries import read_aliases
    from etl.paths import data_file

    codes = iso_codes()
    bad = {a: c for a, c in read_aliases(data_file("country_aliases.csv")).items() if c and c not in codes}
    assert bad == {}
