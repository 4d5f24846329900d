import datetime as dt

import pytest

from etl.normalise import Invalid
from etl.normalise.years import normalise_year


@pytest.mark.parametrize("raw, year", [("2019", 2019), ("01/03/2019", 2019), ("1/3/2019", 2019),
                                       ("2019-03-01", 2019), ("2019-03-01 00:00:00", 2019), ("2019.0", 2019),
                                       ("mars 2019", 2019), ("01.03.2019", 2019), ("1945", 1945)])
def test_year_formats(raw, year):
    assert normalise_year(raw) == year


@pytest.mark.parametrize("raw", ["", None, " ", "NC"])
def test_empty_year_is_none(raw):
    assert normalise_year(raw) is None


def test_range_follows_the_current_year():
    today = dt.date(2026, 11, 23)
    assert normalise_year("2036", today=today) == 2036
    with pytest.raises(Invalid, match="1945–2036"):
        normalise_year("2037", today=today)
    with pytest.raises(Invalid, match="hors de la plage"):
        normalise_year("1944", today=today)


@pytest.mark.parametrize("raw", ["hier", "20199", "19/19", "année 2"])
def test_unreadable_year(raw):
    with pytest.raises(Invalid, match="illisible"):
        normalise_year(raw, field="année de début")
