"""Which scripts a page loads beyond Dash's own.

- **Plotly**: ``assets/vendor/plotly-coopatlas.min.js``, a partial plotly.js bundle with only the trace types the
  app draws (built by ``vendor/plotly/build.sh``), loads with the other assets and defines ``window.Plotly``;
  dcc.Graph loads Dash's full ``plotly.min.js`` only when ``window.Plotly`` is undefined, so it never does.
- **@babel/polyfill**: Dash writes it first in every page (core-js 2 and the regenerator runtime, for old
  browsers). Its evaluation took 0.17–0.20 s of the main thread on a first view, and core-js replaces some native
  functions by slower ones of its own (``String.prototype.trim``: 40 ms more in the same view). The browsers
  React 18 runs on have all that core-js 2 adds; Dash's scripts need only the global ``regeneratorRuntime``,
  which the plotly bundle defines (it loads before Dash's renderer). :func:`drop_babel_polyfill` leaves it out.
- **AG Grid**: Dash writes a ``<script>`` for every registered component library into every page, so
  dash_ag_grid's bundle (1.3 MB, 0.36 MB compressed, which then fetches its 0.25 MB chunk) would load on pages
  without a table. :func:`defer_ag_grid` marks it *dynamic* (Dash still serves it, fingerprinted, but writes no
  tag) and ``assets/grid-loader.js`` answers for ``window.dash_ag_grid``: an AgGrid renders an empty box of its
  size until the box comes within a screen of the viewport, then the bundle (:func:`ag_grid_url`, given in the
  ``data-grid-bundle`` attribute of an ancestor) is loaded and the real grid drawn with the same props.
- **Dash's DataTable**: the app draws none (AG Grid instead); :func:`drop_data_table` keeps its bundle out of the
  pages.
"""

from __future__ import annotations

import os

import dash
import dash_ag_grid
from dash.fingerprint import build_fingerprint

AG_GRID_BUNDLE = "dash_ag_grid.min.js"


def defer_ag_grid() -> None:
    """No page loads AG Grid's bundle by itself (idempotent; Dash reads the module's list of resources)."""
    for resource in dash_ag_grid._js_dist:
        if resource.get("relative_package_path") == AG_GRID_BUNDLE:
            resource["dynamic"] = True


def drop_data_table() -> None:
    """No page loads dash_table's bundle (a DataTable would then fail to render: the app has none)."""
    from dash import dash_table

    for resource in dash_table._js_dist:
        if resource.get("relative_package_path") == "dash_table/bundle.js":
            resource["dynamic"] = True


def drop_babel_polyfill() -> None:
    """No page loads Dash's @babel/polyfill (idempotent; Dash reads its renderer's list on each page)."""
    from dash import _dash_renderer

    for dependency in _dash_renderer._js_dist_dependencies:
        for key in ("external_url", "relative_package_path"):
            for mode, paths in dependency[key].items():
                dependency[key][mode] = [p for p in paths if "/@babel/polyfill@" not in p and
                                         not p.startswith("deps/polyfill@")]


def ag_grid_url() -> str:
    """The fingerprinted address of AG Grid's bundle, as Dash would have written it (cached for a year)."""
    path = os.path.join(os.path.dirname(dash_ag_grid.__file__), AG_GRID_BUNDLE)
    fingerprint = build_fingerprint(AG_GRID_BUNDLE, dash_ag_grid.__version__, int(os.stat(path).st_mtime))
    return dash.get_relative_path(f"/_dash-component-suites/dash_ag_grid/{fingerprint}")
