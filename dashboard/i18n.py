"""Words and number formats, French first, English with ``lang=en``.

Every word of the interface lives in one catalogue per language (``dashboard/locales/<lang>.toml``); numbers,
percentages, amounts, dates and plural rules come from Babel's CLDR locales, never from hand-written rules.
Labels of vocabularies (themes, countries, types…) are not here: they come from the database tables.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tomllib
from functools import cache, lru_cache
from importlib.resources import files

import pandas as pd
from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import (
    NumberPattern,
    format_compact_currency,
    format_currency,
    format_decimal,
    format_percent,
    get_decimal_symbol,
    get_group_symbol,
    parse_pattern,
)

LANGS = ("fr", "en")
LOCALES = {"fr": "fr_FR", "en": "en"}
PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})
DASH = "—"  # an unknown value


def _flatten(table: dict, prefix: str = "") -> dict[str, str | dict[str, str]]:
    """Nested TOML tables become dotted keys, except plural tables (``{one = …, other = …}``)."""
    out: dict[str, str | dict[str, str]] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not set(value) <= PLURAL_FORMS:
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


# French sets a no-break space before a colon and a percent sign and inside « », a narrow one before ; ? and !
# (the Imprimerie nationale's rule; Babel's French numbers are spaced so too: "12 016", "40 %"). The French
# catalogue is written with plain spaces, which a line may break at: "?" stood alone on a phone's line.
FRENCH_SPACES = ((re.compile(r" (?=[;?!])"), "\u202f"), (re.compile(r" (?=[:%»])|(?<=«) "), "\u00a0"))


def _french_spaced(text: str) -> str:
    for plain, space in FRENCH_SPACES:
        text = plain.sub(space, text)
    return text


@cache
def catalogue(lang: str) -> dict[str, str | dict[str, str]]:
    """The strings of one language, read once from the package (French with its no-break spaces)."""
    text = files("dashboard").joinpath("locales", f"{lang}.toml").read_text(encoding="utf-8")
    strings = _flatten(tomllib.loads(text))
    if lang != "fr":
        return strings
    return {key: ({form: _french_spaced(v) for form, v in value.items()} if isinstance(value, dict)
                  else _french_spaced(value)) for key, value in strings.items()}


@cache
def grid_words(lang: str) -> dict[str, str]:
    """AG Grid's words: its own French locale (``locales/vendor/aggrid_fr.json``, from AG Grid's package), then
    ours where we say it better; English is AG Grid's default."""
    words = {}
    if lang == "fr":
        words = json.loads(files("dashboard").joinpath("locales", "vendor", "aggrid_fr.json").read_text("utf-8"))
    locale = LOCALES[lang_of(lang)]
    # AG Grid writes its pager's numbers with these (its French locale says "," and ".": "12,016" on a French page)
    separators = {"thousandSeparator": get_group_symbol(locale), "decimalSeparator": get_decimal_symbol(locale)}
    # the words we say better than its French locale ("Page 1 sur 601", not "de"; "Taille de la page", not
    # "Taille de la Page"): the catalogue's ``aggrid`` table, by AG Grid's keys
    ours = {key.removeprefix("aggrid."): text for key, text in catalogue(lang).items() if key.startswith("aggrid.")}
    return {**words, **separators, **ours, "noRowsToShow": t("empty", lang)}


def lang_of(value: object) -> str:
    """A language code from a URL or a browser: anything unknown is French."""
    return value if value in LANGS else "fr"


def other(lang: str) -> str:
    return "en" if lang == "fr" else "fr"


def t(key: str, lang: str = "fr", **fields) -> str:
    """The string ``key`` in ``lang`` with its ``{fields}`` filled."""
    text = catalogue(lang_of(lang))[key]
    if isinstance(text, dict):
        raise TypeError(f"{key} has plural forms: use tn()")
    return text.format(**fields) if fields else text


def tn(key: str, n: float, lang: str = "fr", **fields) -> str:
    """The plural form of ``key`` that CLDR's rule picks for ``n`` (French: 0 and 1 are singular); ``{n}`` is
    ``n`` in the language's number format."""
    lang = lang_of(lang)
    forms = catalogue(lang)[key]
    if isinstance(forms, str):
        raise TypeError(f"{key} has no plural forms: use t()")
    form = locale_of(lang).plural_form(abs(n))
    text = forms.get(form) or forms["other"]
    return text.format(n=number(n, lang), **fields)


def ordinal(n: int, lang: str = "fr") -> str:
    """``1er``, ``2e`` / ``1st``, ``2nd``: CLDR's ordinal rule picks the form of the catalogue's ``ordinal``."""
    lang = lang_of(lang)
    forms = catalogue(lang)["ordinal"]
    return (forms.get(locale_of(lang).ordinal_form(n)) or forms["other"]).format(n=n)


def missing(value) -> bool:
    """An unknown value, as a frame or a query gives one: None, pandas' NA or NaN."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


@cache
def locale_of(lang: str) -> Locale:
    """The Babel locale of a language, parsed once (parsing it on every number cost a filter change ~40 ms)."""
    return Locale.parse(LOCALES[lang_of(lang)])


def _cached(fn):
    """Formats memoised by value: a page formats the same counts and amounts many times (hover texts, tables).
    numpy scalars are keyed as Python numbers; unknown values never reach the cache."""
    memo = lru_cache(maxsize=65_536)(fn)

    def format_(value, lang: str = "fr", *args):
        if missing(value):
            return DASH
        return memo(value.item() if hasattr(value, "item") else value, lang_of(lang), *args)
    format_.__doc__, format_.__name__, format_.cache_info = fn.__doc__, fn.__name__, memo.cache_info
    return format_


@cache
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


@_cached
def number(value: float | int | None, lang: str = "fr", decimals: int = 0) -> str:
    """``12 345`` (narrow no-break space) in French, ``12,345`` in English; ``—`` for unknown."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=_pattern(pattern), locale=locale_of(lang))


@_cached
def signed(value: float | None, lang: str = "fr", decimals: int = 1) -> str:
    """A change with its sign: ``+2,1`` / ``-0,5`` (``+2.1`` in English); one too small to show is written as
    nil, ``+0,0`` (never ``-0,0``)."""
    body = "#,##0" + ("." + "0" * decimals if decimals else "")
    pattern, locale = _pattern(f"+{body};-{body}"), locale_of(lang)
    written = format_decimal(value, format=pattern, locale=locale)
    if not any(c in "123456789" for c in written):  # as Babel rounds it (half to even), nil
        written = format_decimal(0, format=pattern, locale=locale)
    return written


@_cached
def euros(value: float | None, lang: str = "fr") -> str:
    """Amounts: ``8 500 €`` in full below ten thousand, then short (``15 k€``, ``1,2 M€``, ``2,5 Md€``)."""
    if not math.isfinite(value):
        return DASH
    locale = locale_of(lang)
    if abs(value) < 10_000:
        return format_currency(value, "EUR", locale=locale, currency_digits=False,
                               format="#,##0\u00a0¤" if lang == "fr" else "¤#,##0")
    return format_compact_currency(value, "EUR", locale=locale, fraction_digits=1)


@cache
def amount_affixes(power: int, lang: str = "fr") -> tuple[str, str]:
    """What stands before and after a number of thousands (``power`` 3), millions (6), billions (9)… of euros,
    as :func:`euros` writes them (CLDR's short forms): ``("", " M €")`` in French, ``("€", "M")`` in English.
    Plotly's own short forms ("80M", "1.5G") are neither French nor, for billions, English."""
    written = format_compact_currency(10 ** power, "EUR", locale=locale_of(lang), fraction_digits=0)
    before, after = written.split("1", 1)  # "1 M €", "€1M": the pattern around the one
    return before, after


@_cached
def percent(share: float | None, lang: str = "fr", decimals: int = 0) -> str:
    """``62 %`` / ``62%``. A share that is not nil never reads as nil: one more decimal (``0,4 %``), and below
    that the smallest it can show (``< 0,1 %``)."""
    locale = locale_of(lang)
    pattern = locale.percent_formats[None].pattern  # "#,##0 %" in French, "#,##0%" in English

    def written(value: float, digits: int) -> str:
        body = "#,##0." + "0" * digits if digits else "#,##0"
        return format_percent(value, format=_pattern(pattern.replace("#,##0", body, 1)), locale=locale)

    smallest = 10 ** -decimals / 200  # half of the last digit shown: below it the share is written as 0
    if share == 0:
        return written(0.0, decimals)  # not "-0 %"
    if share < 0 or share > smallest:  # (a negative share is a change: written as it rounds)
        return written(share, decimals)
    if share > smallest / 10:
        return written(share, decimals + 1)
    return "<\u00a0" + written(10 ** -(decimals + 1) / 100, decimals + 1)


def _long_date(value: dt.date | dt.datetime, lang: str) -> str:
    """The locale's long date; the first of a month as the language writes it ("1er mars", "March 1")."""
    locale = LOCALES[lang_of(lang)]
    pattern = locale_of(lang).date_formats["long"].pattern
    if value.day == 1:  # CLDR has no ordinal day: the catalogue says how the first is written
        pattern = re.sub(r"(?<![d'])d(?!d)", "'" + t("first_of_month", lang) + "'", pattern)
    return format_date(value, format=pattern, locale=locale)


def date(value: dt.date | dt.datetime, lang: str = "fr") -> str:
    """``5 mars 2026``, ``1er mars 2026`` / ``March 5, 2026``."""
    return _long_date(value, lang)


def timestamp(value: dt.datetime, lang: str = "fr") -> str:
    """A build time with its hour, in UTC: ``5 mars 2026 14:03 UTC``."""
    return f"{_long_date(value, lang)} {format_time(value, 'HH:mm', locale=LOCALES[lang_of(lang)])} UTC"


@cache
def plotly_separators(lang: str) -> str:
    """Plotly's ``layout.separators``: decimal mark then thousands separator, from the locale."""
    locale = LOCALES[lang_of(lang)]
    return get_decimal_symbol(locale) + get_group_symbol(locale)
