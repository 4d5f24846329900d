import pandas as pd

from dashboard.export import neutralise, to_csv


def test_formula_cells_are_neutralised():
    assert neutralise("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    for s in ("+33 1 23", "-5", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(s).startswith("'")
    assert neutralise("Lyon") == "Lyon" and neutralise(15000.5) == 15000.5 and neutralise(None) is None


def test_csv_is_utf8_with_bom_french_headers_and_separators():
    df = pd.DataFrame({"partnership_id": ["A-1"], "title": ["=1+1"], "fr_authority_name": ["Ville de Besançon"],
                       "budget_eur": [15000.5], "start_year": [2019.0]})
    body = to_csv(df, "fr")
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "Identifiant;Intitulé;Collectivité française;Budget (€);Année de début"
    assert lines[1] == "A-1;'=1+1;Ville de Besançon;15000,5;2019"
    en = to_csv(df, "en").decode("utf-8-sig").split("\r\n")
    assert en[0] == "Identifier,Title,French authority,Budget (€),Start year"
    assert en[1] == "A-1,'=1+1,Ville de Besançon,15000.5,2019"
