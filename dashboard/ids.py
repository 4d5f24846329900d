"""Component ids, as constants: layout, callbacks and browser tests name components the same way."""

from enum import StrEnum


class Ids(StrEnum):
    # Filter controls are f"f-{name}" (:attr:`dashboard.filters.Filter.control_id`); a few are named here for
    # the callbacks that single them out.
    REGION = "f-region"
    PAYS = "f-pays"
    DEPARTEMENT = "f-departement"
    YEARS = "f-years"  # the year range's slider (``range="years"`` of the debut and fin filters)
    METRIC = "f-metric"
    RESET = "reset"
    LANG = "lang-store"
    LANG_LINK = "lang-link"
    PERMALINK = "permalink"
    COPY_LINK = "copy-link"
    COPY_STATUS = "copy-status"
    CSV_LINK = "csv-link"
    KPI_PARTNERSHIPS = "kpi-partnerships"
    KPI_AUTHORITIES = "kpi-authorities"
    KPI_COUNTRIES = "kpi-countries"
    KPI_BUDGET = "kpi-budget"
    KPI_BUDGET_NOTE = "kpi-budget-note"
    WORLD = "map-world"
    FRANCE = "map-france"
    CLEAR_COUNTRY = "clear-country"
    PLAY = "play-years"
    PLAY_TIMER = "play-timer"
    PLAY_YEAR = "play-year"
    GRID = "grid"
    SEARCH = "table-search"
    TABLE_COUNT = "table-count"
    EMPTY = "empty-state"
    EDITION = "edition-store"  # the pinned edition ("" for the latest): the callbacks read it
    EDITION_NOTICE = "edition-notice"
    EDITION_LATEST = "edition-latest"
    COPY_CITABLE = "copy-citable"
    WORDS = "words-store"  # the few words the page's scripts write (embed title, "link copied")
