"""dashboard.years: what is wrong with a typed pair of years, as a locale key in both catalogues."""

import pytest

from dashboard.i18n import t
from dashboard.years import KEYS, parse, problem


@pytest.mark.parametrize("start, end, key", [
    ("2010", "2020", None), (2010, 2020, None), (" 2010 ", "2010", None), ("1945", "2025", None),
    (None, "2020", None), ("", None, None), ("  ", "2012", None),
    ("2020", "2010", "year_start_after_end"), (2020, 2010, "year_start_after_end"),
    ("1900", "2010", "year_out_of_range"), ("2010", "2030", "year_out_of_range"), ("1944", None, "year_out_of_range"),
    ("201", "2010", "year_not_four_digits"), ("20100", "2020", "year_not_four_digits"),
    ("2O10", "2020", "year_not_four_digits"), ("deux", None, "year_not_four_digits"),
    ("２０１０", "2020", "year_not_four_digits"), ("-201", "2020", "year_not_four_digits"),
    (True, "2020", "year_not_four_digits"),
    # the first problem in order wins: shape, then range, then order
    ("2030", "201", "year_not_four_digits"), ("2030", "1900", "year_out_of_range"),
])
def test_problem(start, end, key):
    assert problem(start, end, 1945, 2025) == key


def test_parse():
    assert parse("2012") == 2012 and parse(2012) == 2012 and parse(2012.0) == 2012 and parse(" 2012") == 2012
    assert parse("12") is None and parse(None) is None and parse("") is None and parse(False) is None


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_key_is_worded_with_its_range(key, lang):
    text = t(key, lang, first=1945, last=2025)
    assert text and "{" not in text
    if key != "year_start_after_end":
        assert "1945" in text or "2025" in text
