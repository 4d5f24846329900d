import pytest

from etl.normalise import Invalid
from etl.normalise.budget import normalise_budget


@pytest.mark.parametrize(
    "raw, euros",
    [
        ("15 000 €", 15000.0), ("15\u00a0000 €", 15000.0), ("15\u202f000 €", 15000.0),
        ("15 000,50 €", 15000.5), ("15\u202f000,50\u00a0€", 15000.5), ("15000", 15000.0), ("15000.5", 15000.5),
        ("250 k€", 250000.0), ("250k€", 250000.0), ("250 K€", 250000.0), ("1,2 M€", 1200000.0),
        ("1.5 M€", 1500000.0), ("5000 EUR", 5000.0), ("5 000 euros", 5000.0), ("15.000", 15000.0),
        ("1 234 567,89", 1234567.89), ("1.234.567,89", 1234567.89), ("1,234,567.89", 1234567.89),
        ("12 000 € HT", 12000.0), ("€ 500", 500.0), ("0", 0.0), ("0 €", 0.0), ("3 millions €", 3e6),
    ],
)
def test_budget_formats(raw, euros):
    assert normalise_budget(raw) == pytest.approx(euros)


@pytest.mark.parametrize("raw", ["", "  ", None, "N/C", "NC", "n.c.", "non communiqué", "?", "-", "Inconnu"])
def test_unknown_is_none_not_zero(raw):
    assert normalise_budget(raw) is None


@pytest.mark.parametrize("raw, message", [("-5 000 €", "négatif"), ("−200", "négatif"), ("beaucoup", "illisible"),
                                          ("12 000 $ environ", "illisible"), ("1,2,3,4 €x", "illisible")])
def test_budget_rejections(raw, message):
    with pytest.raises(Invalid, match=message):
        normalise_budget(raw)


@pytest.mark.parametrize("raw", ["9" * 400, "100000000000000000000000", "12300000000000000000", "1 000 000 001 €",
                                 "2 Md€", "1,5 milliard", "1e23"])
def test_budget_above_the_ceiling_is_rejected_never_infinite(raw):
    with pytest.raises(Invalid, match=r"budget (invraisemblable|illisible)"):
        normalise_budget(raw)


def test_budget_ceiling_is_one_billion_and_names_its_limit():
    assert normalise_budget("1 000 000 000 €") == 1e9
    with pytest.raises(Invalid, match="budget invraisemblable.*budget.max_eur de data/limits.toml"):
        normalise_budget("1 000 000 000,01 €")


def test_budget_ceiling_comes_from_the_limits_file(limits_override):
    limits_override({"budget.max_eur": 1000})
    assert normalise_budget("1000") == 1000
    with pytest.raises(Invalid, match="budget invraisemblable"):
        normalise_budget("1001")


@pytest.mark.parametrize("raw, euros", [("٣٠٠", 300.0), ("١٥ ٠٠٠ €", 15000.0), ("۳۰۰", 300.0), ("٣٠٠٫٥", 300.5),
                                        ("١٢٬٠٠٠", 12000.0), ("３００ €", 300.0), ("१५००", 1500.0)])
def test_digits_of_any_script_are_read_as_digits(raw, euros):
    assert normalise_budget(raw) == euros


@pytest.mark.parametrize("raw", ["三百", "€", "***", "#VALUE!", "😀"])
def test_text_without_letters_or_digits_is_not_silently_unknown(raw):
    with pytest.raises(Invalid, match="budget illisible"):
        normalise_budget(raw)


@pytest.mark.parametrize("raw", ["??", "- -", "—", "/"])
def test_placeholder_marks_are_unknown(raw):
    assert normalise_budget(raw) is None
