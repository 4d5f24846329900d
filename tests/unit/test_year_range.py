"""The dashboard's year range: its slider's marks, what the slider writes in the typed inputs, the ranges the
filters declare, which code a click on the France map names and how a view's summary names a département."""

import pytest

from dashboard.components import range_inputs, year_marks
from dashboard.filters import BY_NAME, FILTERS, Filter, ranges
from dashboard.pages.home import _clicked


@pytest.mark.parametrize("first, last", [(1955, 2025), (1960, 2023), (2010, 2014), (1945, 2036), (2001, 2002)])
def test_marks_are_four_digit_years_spaced_enough(first, last):
    marks = year_marks(first, last)
    years = sorted(marks)
    assert years[0] == first and years[-1] == last and len(years) <= 5
    assert all(len(label) == 4 and label.isdigit() for label in marks.values())
    assert all(b - a >= (last - first) / 8 for a, b in zip(years, years[1:]))


def test_marks_of_a_single_year():
    assert year_marks(2020, 2020) == {2020: "2020"}


@pytest.mark.parametrize("span, typed", [
    ([1960, 2023], (None, None)), ([2012, 2023], ("2012", None)), ([1960, 2015], (None, "2015")),
    ([2012.0, 2015.0], ("2012", "2015")), ([2014, 2014], ("2014", "2014")), ([1900, 2100], (None, None)),
    ([2016, 2012], None), ("2012", None), ([2012], None), ([True, 2015], None), (None, None),
    ([float("nan"), 2015], None), ([float("inf"), 2015], None), (["2012", "2015"], None),
])
def test_what_the_slider_writes_in_the_inputs(span, typed):
    assert range_inputs(span, 1960, 2023) == typed


def test_the_years_are_one_range_of_two_filters():
    assert ranges(FILTERS) == [("years", BY_NAME["debut"], BY_NAME["fin"])]
    with pytest.raises(ValueError, match="two year filters"):
        ranges((BY_NAME["debut"], Filter("x", "f_to", "TRUE", control="dropdown", range="years")))


@pytest.mark.parametrize("data, kind, code", [
    ("53", None, "53"), ("53", "departement", None), (["departement", "29"], "departement", "29"),
    (["departement", "29"], None, None), (["pays", "29"], "departement", None), ([1, 2, 3], "departement", None),
])
def test_a_map_click_names_a_code_of_its_kind(data, kind, code):
    assert _clicked({"points": [{"customdata": data}]}, kind) == code


@pytest.mark.parametrize("click", [None, {}, {"points": []}, {"points": [{}]}, "x"])
def test_a_click_without_a_point_names_nothing(click):
    assert _clicked(click) is None and _clicked(click, "departement") is None


def test_a_view_summary_names_a_departement_not_its_code():
    from dashboard.components import filter_summary
    from dashboard.filters import Filters, Vocabulary

    vocab = Vocabulary({"region": (("53", "Bretagne — Réseau Bretagne Solidaire", "Bretagne — RBS", None),),
                        "departement": (("29", "29 — Finistère", "29 — Finistère", "53"),)}, 1960, 2023)
    f = Filters(region="53", departement="29", debut=2012)
    assert filter_summary(f, vocab, "fr") == ("Région\u00a0: Bretagne · Département\u00a0: Finistère · "
                                              "commencés en 2012 ou après")
