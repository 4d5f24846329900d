"""The catalogues: every key in both languages and used somewhere; formats from Babel's locales."""

import ast
import datetime as dt
import re
import string
from pathlib import Path

import pytest

from dashboard.i18n import LANGS, catalogue, date, euros, number, percent, signed, t, timestamp, tn

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


@pytest.mark.parametrize("value, fr, en", [
    (12057, "12\u202f057", "12,057"), (0, "0", "0"), (None, "—", "—"), (float("nan"), "—", "—")])
def test_numbers(value, fr, en):
    assert number(value, "fr") == fr and number(value, "en") == en


@pytest.mark.parametrize("value, fr, en", [
    (8500, "8\u202f500\u00a0€", "€8,500"), (15000, "15\u00a0k\u00a0€", "€15K"),
    (1_200_000, "1,2\u00a0M\u00a0€", "€1.2M"), (953_000_000, "953\u00a0M\u00a0€", "€953M"),
    (2.5e9, "2,5\u00a0Md\u00a0€", "€2.5B"), (float("inf"), "—", "—")])
def test_euros(value, fr, en):
    assert euros(value, "fr") == fr and euros(value, "en") == en


def test_percent_signed_dates_and_plurals():
    assert percent(0.618, "fr") == "62\u00a0%" and percent(0.618, "en") == "62%"
    assert percent(0.6183, "fr", 1) == "61,8\u00a0%"
    assert signed(-0.02, "fr") == "+0,0" and signed(0.04, "en") == "+0.0" and signed(-0.06, "fr") == "-0,1"
    assert signed(-0.05, "fr") == "+0,0" and signed(-0.4, "fr", 0) == "+0"  # Babel rounds half to even
    # a share that is not nil never reads as nil (50 partnerships of 12,016 were "0 %")
    assert percent(50 / 12_016, "fr") == "0,4\u00a0%" and percent(50 / 12_016, "en") == "0.4%"
    assert percent(0.0004, "fr") == "<\u00a00,1\u00a0%" and percent(0.0004, "en") == "<\u00a00.1%"
    assert percent(0.0, "fr") == "0\u00a0%" and percent(0.0049, "fr") == "0,5\u00a0%"
    assert percent(0.00004, "fr", 1) == "<\u00a00,01\u00a0%" and percent(-0.0, "fr") == "0\u00a0%"
    assert percent(-0.3, "fr") == "-30\u00a0%"
    assert signed(-2.1, "fr") == "-2,1" and signed(0, "en") == "+0.0"
    when = dt.datetime(2026, 3, 5, 14, 3)
    assert date(when, "fr") == "5 mars 2026" and date(when, "en") == "March 5, 2026"
    first = dt.datetime(2026, 12, 1, 9, 5)
    assert date(first, "fr") == "1er décembre 2026" and date(first, "en") == "December 1, 2026"
    assert timestamp(first, "fr") == "1er décembre 2026 09:05 UTC"
    assert timestamp(when, "fr") == "5 mars 2026 14:03 UTC"
    assert tn("n_partnerships", 0, "fr") == "0 partenariat" and tn("n_partnerships", 1, "en") == "1 partnership"
    assert tn("n_partnerships", 1200, "fr") == "1\u202f200 partenariats"
    assert tn("search_count", 1, "fr", q="x") == "1 résultat pour «\u00a0x\u00a0»"
    assert t("kpi_budget_note", "fr", share="62 %") == "connu pour 62 % des partenariats"


def _fields(text) -> set[str]:
    values = text.values() if isinstance(text, dict) else [text]
    return {name for v in values for _, name, _, _ in string.Formatter().parse(v) if name}


def test_every_key_in_both_languages_with_the_same_fields():
    fr, en = catalogue("fr"), catalogue("en")
    assert set(fr) == set(en), set(fr) ^ set(en)
    for key in fr:
        assert type(fr[key]) is type(en[key]), key
        assert _fields(fr[key]) == _fields(en[key]), key


def _literals() -> set[str]:
    found = set()
    for path in DASHBOARD.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_every_key_is_used():
    from dashboard.api import OWN_PARAMETERS
    from dashboard.components import DROPDOWN_WORDS
    from dashboard.filters import FILTERS
    from dashboard.pages.home import TABLE_COLUMNS
    from dashboard.queries import EXPORT_FIELDS

    built = ({f"csv.{c}" for c in EXPORT_FIELDS} | {f"grid.{c[0]}" for c in TABLE_COLUMNS}
             | {f"dropdown.{k}" for k in DROPDOWN_WORDS} | {k for k in catalogue("fr") if k.startswith("aggrid.")}
             | {s.api_key for s in FILTERS} | {f"api.{p}" for p in (*OWN_PARAMETERS, "lang")})
    unused = sorted(set(catalogue("fr")) - _literals() - built)
    assert not unused, f"keys used nowhere: {unused}"


def _about_lang(test) -> bool:
    return isinstance(test, ast.Compare) and any(
        (isinstance(n, ast.Name) and n.id == "lang") or (isinstance(n, ast.Attribute) and n.attr == "lang")
        for n in ast.walk(test))


def _words(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and any(c.isalpha() for c in node.value) \
        and node.value not in LANGS


def test_no_words_are_chosen_by_language_in_the_code():
    """Sentences come from the catalogues: no ``if lang == …`` block, no ``"word" if lang … else "mot"``."""
    offenders = []
    for path in DASHBOARD.rglob("*.py"):
        if path.name == "i18n.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.If) and _about_lang(node.test):
                offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.IfExp) and _about_lang(node.test) and (_words(node.body) or _words(node.orelse)):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders


def test_french_punctuation_never_starts_a_line():
    """French sets a no-break space before ":" and "%" and inside « », a narrow one before ";", "?" and "!": with
    the catalogue's plain spaces, "Qui d'autre travaille avec ses partenaires ?" left "?" alone on a phone's line.
    The catalogue is written with plain spaces; English keeps its own ("Source: Atlas", "40%")."""
    plain = {key: text for key, text in catalogue("fr").items()
             for text in ([text] if isinstance(text, str) else text.values()) if re.search(r" [;:?!%»]|« ", text)}
    assert plain == {}
    assert t("who_else", "fr").endswith("partenaires\u202f?")
    assert t("pair", "fr", label="Culture", value="2\u202f048") == "Culture\u00a0: 2\u202f048"
    assert t("pct", "fr", value="18,4") == "18,4\u00a0%" and t("pct", "en", value="18.4") == "18.4%"
    assert tn("search_count", 2, "fr", q="x") == "2 résultats pour «\u00a0x\u00a0»"
    assert t("pair", "en", label="Culture", value="2,048") == "Culture: 2,048" and t("list_sep", "en") == "; "


def test_figures_and_pages_write_a_name_and_its_value_in_the_language():
    """"Culture : 2,048" on an English page: the figures and pages write "name: value" with the catalogue's
    ``pair`` (French "Culture : 2 048"), not with a " : " of their own."""
    own = re.compile(r"""\} : |</b> : |["'] : ["']""")  # f"{name} : {value}", f"<b>…</b> : …", x + " : " + y
    offenders = [f"{path.name}:{n}: {line.strip()}"
                 for path in [*DASHBOARD.joinpath("figures").glob("*.py"), *DASHBOARD.joinpath("pages").glob("*.py")]
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if own.search(line)]
    assert offenders == []


def test_no_number_of_the_catalogue_can_break_across_lines():
    """"100 000 habitants" with a plain space wrapped as "100 / 000" in a key figure's card: the thousands of the
    catalogue's numbers are separated as Babel separates them in French (a narrow no-break space)."""
    broken = {key: text for lang in LANGS for key, text in catalogue(lang).items()
              for text in ([text] if isinstance(text, str) else text.values()) if re.search(r"\d \d{3}\b", text)}
    assert broken == {}


def test_the_tables_pager_writes_numbers_and_words_as_the_page_does():
    """AG Grid's French locale separates thousands with "," ("1 à 20 de 12,016") and capitalises its words."""
    from dashboard.i18n import grid_words

    fr, en = grid_words("fr"), grid_words("en")
    assert (fr["thousandSeparator"], fr["decimalSeparator"]) == ("\u202f", ",")
    assert (en["thousandSeparator"], en["decimalSeparator"]) == (",", ".")
    assert fr["of"] == "sur" and fr["pageSizeSelectorLabel"] == "Taille de la page\u00a0:" and fr["to"] == "à"
