"""Every address the app writes, in one place. Links keep the language (``lang=en``); French is the default and
stays out of URLs. A pinned view (``edition=YYYY-MM-DD``) keeps its edition in every link: the views' own
queries hold it (:class:`Filters`), and the links of a page or a callback rendered :func:`pinned` to an edition
add it to the language's parameters."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from urllib.parse import parse_qsl, quote, urlencode

# The edition of the page or callback being rendered (set by :func:`pinned`, for that request only).
_EDITION: contextvars.ContextVar[str] = contextvars.ContextVar("coopatlas_edition", default="")


@contextlib.contextmanager
def pinned(edition: str | None) -> Iterator[None]:
    """Links written inside carry ``edition`` (nothing changes without one)."""
    token = _EDITION.set(edition or "")
    try:
        yield
    finally:
        _EDITION.reset(token)


def lang_params(lang: str) -> dict[str, str]:
    """The parameters every link keeps: the language (English only) and the pinned edition, if any."""
    edition = _EDITION.get()
    return {**({"lang": "en"} if lang == "en" else {}), **({"edition": edition} if edition else {})}


def latest(query: str) -> str:
    """The same view in the latest edition, as a relative link (``?…`` without ``edition``)."""
    return "?" + urlencode([(k, v) for k, v in parse_qsl(query) if k != "edition"], safe="~")


def news(old: str | None, new: str | None, lang: str) -> str:
    """The "Nouveautés" page comparing two editions (the two newest without them)."""
    return _with("/nouveautes", {"de": old, "a": new, **({"lang": "en"} if lang == "en" else {})})


def news_csv(old: str, new: str, lang: str) -> str:
    """The row-level difference between two editions."""
    return _with("/nouveautes.csv", {"de": old, "a": new, **({"lang": "en"} if lang == "en" else {})})


def lang_query(lang: str) -> str:
    """The query string of a page without filters: ``lang=en`` or nothing."""
    return urlencode(lang_params(lang))


def _with(path: str, query: str | dict, anchor: str = "") -> str:
    if isinstance(query, dict):
        query = urlencode({k: v for k, v in query.items() if v not in (None, "")})
    return f"{path}?{query}{anchor}" if query else f"{path}{anchor}"


def page(path: str, lang: str) -> str:
    """A page without filters (navigation)."""
    return _with(path, lang_params(lang))


def home(query: str) -> str:
    """The dashboard for a view's query string (:meth:`Filters.to_query`)."""
    return _with("/", query)


def param(name: str, value: object) -> str:
    """One ``name=value`` of a query string, encoded."""
    return urlencode({name: value})


def monitor(query: str, anchor: str = "") -> str:
    """The monitor for a state's query string (:meth:`Monitor.to_query`), optionally at one of its parts."""
    return _with("/suivi", query, anchor)


def monitor_csv(table: str, query: str) -> str:
    """One of the monitor's tables (``regions``, ``collectivites``) as CSV, for a state's query string."""
    return _with(f"/suivi/{table}.csv", query)


def csv(query: str) -> str:
    """The CSV of exactly the partnerships of a view."""
    return _with("/telecharger.csv", query)


def embed(chart: str, query: str) -> str:
    return _with(f"/embed/{chart}", query)


def search(text: str, lang: str, everything: bool = False) -> str:
    return _with("/recherche", {"q": text, "tout": "1" if everything else None, **lang_params(lang)})


def authority(key: str, lang: str) -> str:
    """An authority's page; keys may hold names with spaces (``NOM:73:syndicat des eaux``)."""
    return _with(f"/collectivite/{quote(key, safe=':')}", lang_params(lang))


def country(iso3: str, lang: str, anchor: str = "") -> str:
    return _with(f"/pays/{iso3}", lang_params(lang), f"#{anchor}" if anchor else "")


def region(code: str, lang: str, view: str | None = None, everything: bool = False) -> str:
    """A region's page (``view``: its slide or A4 layout; ``everything``: every authority listed)."""
    return _with(f"/region/{code}", {"vue": view, "toutes": "1" if everything else None, **lang_params(lang)},
                 "#region-authorities" if everything else "")


def export(code: str, fmt: str, lang: str) -> str:
    """A region's 16:9 slide (``png``) or A4 page (``pdf``)."""
    return _with(f"/export/region/{code}.{fmt}", lang_params(lang))


def geometry(build: str, name: str) -> str:
    """A build's geometry layer: immutable, cached for a year."""
    return f"/geo/{build}/{name}.geojson"


def aggregates(by: str) -> str:
    """The API's counts by ``by`` for the whole Atlas (its answer names the build it was read from)."""
    return f"/api/v1/aggregates?by={by}"


def in_language(query: str, lang: str) -> str:
    """A page's query string (its permalink's) in ``lang``: the same parameters, those every link keeps
    (:func:`lang_params`) as ``lang`` has them."""
    keeps = lang_params(lang)
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "lang" and k not in keeps]
    return urlencode(kept + list(keeps.items()))


def switch_language(query: str) -> str:
    """The same view in the other language, as a relative link (``?…``); ``query`` already holds the other
    language's ``lang`` (or none for French)."""
    return f"?{query}"
