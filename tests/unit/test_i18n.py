import pytest

from dashboard.i18n import STRINGS, euros, number, percent, t


@pytest.mark.parametrize("value, fr, en", [
    (12057, "12\u202f057", "12,057"), (0, "0", "0"), (None, "—", "—"), (float("nan"), "—", "—")])
def test_numbers(value, fr, en):
    assert number(value, "fr") == fr and number(value, "en") == en


@pytest.mark.parametrize("value, fr, en", [
    (8500, "8\u202f500\u202f€", "€8,500"), (15000, "15\u202fk€", "€15k"), (1_200_000, "1,2\u202fM€", "€1.2M"),
    (953_000_000, "953\u202fM€", "€953M"), (2.5e9, "2,5\u202fMd€", "€2.5bn")])
def test_euros(value, fr, en):
    assert euros(value, "fr") == fr and euros(value, "en") == en


def test_percent_and_every_string_in_both_languages():
    assert percent(0.618, "fr") == "62\u202f%" and percent(0.618, "en") == "62%"
    assert all(set(v) == {"fr", "en"} for v in STRINGS.values())
    assert t("kpi_budget_note", "fr", share="62 %") == "connu pour 62 % des partenariats"
