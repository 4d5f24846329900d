import pytest

from etl.columns import map_columns
from etl.read import BadRecord, UnreadableInput, decode, read_csv_bytes, read_table, sniff_delimiter


def test_utf8_with_and_without_bom():
    assert decode("Sénégal".encode("utf-8-sig")) == ("Sénégal", "utf-8-sig")
    assert decode("Sénégal".encode()) == ("Sénégal", "utf-8")


def test_windows_1252():
    text, enc = decode("Côte d’Ivoire ; 15 000 €".encode("cp1252"))
    assert (text, enc) == ("Côte d’Ivoire ; 15 000 €", "cp1252")


@pytest.mark.parametrize("header, sep", [("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"),
                                         ('"a;x",b,c', ","), ("a;b,c;d", ";")])
def test_delimiter(header, sep):
    assert sniff_delimiter(header + "\n1;2;3\n") == sep


def test_quoted_fields_keep_separators_and_line_breaks():
    data = 'Identifiant;Intitulé;Pays\n1;"Eau; assainissement\nphase 2";Mali\n2;Santé;Niger\n'.encode()
    t = read_csv_bytes(data, "x.csv")
    assert t.rows == [["1", "Eau; assainissement\nphase 2", "Mali"], ["2", "Santé", "Niger"]]


def test_unreadable_files_say_which(tmp_path):
    with pytest.raises(UnreadableInput, match="absent.csv"):
        read_table(tmp_path / "absent.csv")
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableInput, match="vide.csv : fichier vide"):
        read_table(empty)
    xls = tmp_path / "vieux.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(UnreadableInput, match="xls"):
        read_table(xls)
    broken = tmp_path / "casse.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(UnreadableInput, match="casse.xlsx"):
        read_table(broken)


def test_xlsx_cells_become_text(tmp_path):
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Identifiant", "Budget (€)", "Date de début", "Pays"])
    ws.append([1, 15000.0, dt.datetime(2019, 3, 1), "Mali"])
    ws.append(["2", 15000.125, 2019, "Niger"])
    wb.save(tmp_path / "a.xlsx")
    t = read_table(tmp_path / "a.xlsx")
    assert t.header == ["Identifiant", "Budget (€)", "Date de début", "Pays"]
    assert t.rows == [["1", "15000", "2019-03-01", "Mali"], ["2", "15000,125", "2019", "Niger"]]


@pytest.mark.parametrize(
    "header, field",
    [
        ("Pays", "partner_country"), ("Pays partenaire", "partner_country"), ("PAYS  PARTENAIRE", "partner_country"),
        ("Collectivité", "fr_authority_name"), ("Collectivité française", "fr_authority_name"),
        ("CT française", "fr_authority_name"), ("CT francaise", "fr_authority_name"),
        ("Budget", "budget"), ("Montant", "budget"), ("Montant total (€)", "budget"), ("Budget total", "budget"),
        ("budget (€)", "budget"), ("ODD", "odds"), ("ODD concernés", "odds"),
        ("Objectifs de développement durable", "odds"), ("Thématique(s)", "themes"), ("Thématique", "themes"),
        ("Date de début", "start_year"), ("Début", "start_year"), ("Année de début", "start_year"),
        ("Intitulé", "title"), ("Intitulé du projet", "title"), ("Titre", "title"),
        ("Code INSEE (ou SIREN)", "fr_code"), ("Type d'action", "action_type"), ("Type d’action", "action_type"),
    ],
)
def test_header_synonyms(header, field):
    assert map_columns([header, "Collectivité", "Pays"]).fields.get(field) == 0 or \
        map_columns(["x", header]).fields.get(field) == 1


def test_extra_and_repeated_columns_are_kept_aside_with_a_warning():
    cols = map_columns(["Pays", "Collectivité", "Commentaire", "Pays partenaire"], "f.csv")
    assert cols.fields == {"partner_country": 0, "fr_authority_name": 1}
    assert cols.extra == {"Commentaire": 2, "Pays partenaire": 3}
    assert len(cols.warnings) == 2 and all(w.startswith("f.csv") for w in cols.warnings)
    assert cols.missing_required == []


def test_missing_required_column_is_named():
    assert map_columns(["Pays", "Budget"]).missing_required == ["fr_authority_name"]


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_a_mixed_file_is_decoded_line_by_line_whatever_its_line_ends(end):
    lines = [b"Identifiant;Intitule;Pays", "1;Été;Mali".encode(), "2;Forêt;Niger".encode("cp1252"),
             '3;"Eau\r\npotable";Bénin'.encode(), "4;Santé;Tchad".encode("cp1252")]
    t = read_csv_bytes(end.join(lines) + end, "m.csv")
    assert t.encoding == "utf-8+cp1252"
    assert t.rows == [["1", "Été", "Mali"], ["2", "Forêt", "Niger"], ["3", "Eau\r\npotable", "Bénin"],
                      ["4", "Santé", "Tchad"]]
    assert t.warnings == ["m.csv : encodage mixte : 2 enregistrements lus en Windows-1252, le reste du fichier en "
                          "UTF-8 (vérifiez leurs accents) : lignes 2, 4"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "mixed"])
def test_an_overlong_line_is_cut_and_rejected_and_the_next_lines_read(limits_override, encoding):
    limits_override({"csv.max_line_chars": 50})
    head = b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b""
    odd = "3;Forêt;Niger".encode("cp1252" if encoding in ("cp1252", "mixed") else "utf-8")
    rest = "4;Santé;Tchad".encode("cp1252" if encoding == "cp1252" else "utf-8")
    data = head + b"\r\n".join([b"Identifiant;Intitule;Pays", b"1;" + b'"x' * 500 + b";Mali", odd, rest, b""])
    t = read_csv_bytes(data, "l.csv")
    rows = t.rows
    assert isinstance(rows[0], BadRecord) and "ligne de plus de 50 caractères" in rows[0].reason
    assert rows[0][0] == "1" and rows[1:] == [["3", "Forêt", "Niger"], ["4", "Santé", "Tchad"]]


def test_a_header_of_ten_thousand_columns_is_read_whole():
    header = ";".join(f"colonne {k}" for k in range(10_000))
    t = read_csv_bytes((header + "\n" + ";" * 9999 + "\n").encode(), "w.csv")
    assert len(t.header) == 10_000 and t.header[-1] == "colonne 9999"
