"""Component ids, as constants: layout, callbacks and browser tests name components the same way."""

from enum import StrEnum


class Ids(StrEnum):
    REGION = "f-region"
    RRMA = "f-rrma"
    DEPARTEMENT = "f-departement"
    TYPE = "f-type"
    PAYS = "f-pays"
    ZONE = "f-zone"
    THEME = "f-theme"
    ODD = "f-odd"
    DEBUT = "f-debut"
    FIN = "f-fin"
    ACTION = "f-action"
    BUDGET = "f-budget"
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
    GRID = "grid"
    SEARCH = "table-search"
    TABLE_COUNT = "table-count"
    EMPTY = "empty-state"


# Charts: graph id → summary id is f"{id}-summary"
CHARTS = ("ch-themes", "ch-odd", "ch-budget-dist", "ch-budget-zone", "ch-years-count", "ch-years-budget",
          "ch-top-countries", "ch-top-authorities")

# The filter controls, in the order the main callback takes them.
FILTER_INPUTS = (Ids.REGION, Ids.RRMA, Ids.DEPARTEMENT, Ids.TYPE, Ids.PAYS, Ids.ZONE, Ids.THEME, Ids.ODD, Ids.DEBUT,
                 Ids.FIN, Ids.ACTION, Ids.BUDGET, Ids.METRIC)
