"""The partial plotly.js bundle the app serves (built by vendor/plotly/build.sh into dashboard/assets/vendor/): the
committed files are the ones checksummed, the brotli file is the bundle, the bundle is the plotly.js of the
installed plotly package, and every figure the pages and callbacks make uses only the trace types, map
projections and components the bundle holds (another one would draw nothing, or be ignored)."""

from __future__ import annotations

import hashlib

import brotli
import pytest

from dashboard.catalogue import CHARTS
from dashboard.filters import Filters
from dashboard.pages import authority, country, embed, home, monitor, region
from tests.conftest import ROOT

VENDOR = ROOT / "vendor" / "plotly"
BUNDLE = ROOT / "dashboard" / "assets" / "vendor" / "plotly-coopatlas.min.js"


def manifest() -> dict[str, str]:
    return dict(line.split(" ", 1) for line in (VENDOR / "VERSIONS").read_text(encoding="utf-8").splitlines())


def test_committed_files_match_their_checksums():
    lines = (VENDOR / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    for line in lines:
        digest, path = line.split("  ", 1)
        assert hashlib.sha256((ROOT / path).read_bytes()).hexdigest() == digest, path


def test_brotli_file_is_the_bundle():
    assert brotli.decompress(BUNDLE.with_suffix(".js.br").read_bytes()) == BUNDLE.read_bytes()


def test_bundle_is_the_plotly_js_of_the_installed_plotly():
    from plotly.offline import get_plotlyjs_version

    version = manifest()["plotly.js"]
    assert version == get_plotlyjs_version(), "plotly was upgraded: run vendor/plotly/build.sh with its plotly.js"
    assert BUNDLE.read_text(encoding="utf-8").startswith(f"/*! plotly.js v{version} ")


def test_pages_leave_out_babel_polyfill_and_the_bundle_defines_the_runtime_before_dashs_renderer(client):
    scripts = [part.split('"')[0] for part in client.get("/").data.decode().split('<script src="')[1:]]
    assert scripts and not [s for s in scripts if "polyfill" in s]
    bundle = next(i for i, s in enumerate(scripts) if "/plotly-coopatlas.min.js" in s)
    renderer = next(i for i, s in enumerate(scripts) if "/dash_renderer." in s)
    dcc = next(i for i, s in enumerate(scripts) if "/dash_core_components." in s)
    assert bundle < renderer < dcc
    text = BUNDLE.read_text(encoding="utf-8")
    assert f"regenerator-runtime v{manifest()['regenerator-runtime']} " in text[:1000]
    assert "window.regeneratorRuntime=" in text.replace(" ", "")


def _figures(component) -> list[dict]:
    """Every figure of a layout (the ``figure`` of its graphs)."""
    found = []
    figure = getattr(component, "figure", None)
    if isinstance(figure, dict):
        found.append(figure)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += _figures(child)
    return found


@pytest.fixture(scope="module")
def figures(app) -> list[dict]:
    snap = app.server.config["coopatlas"].current()
    out = []
    with app.server.test_request_context("/"):
        for query in ({}, {"region": "53"}, {"pays": "MLI", "lang": "en"}, {"theme": "SPORT", "pays": "MLI"}):
            view = home.view(snap, Filters.from_query(query, snap.vocab))
            out += [view[f"{c.id}.figure"] for c in CHARTS]
        for m in (monitor.Monitor.from_query({}, snap.vocab), monitor.Monitor.from_query({"zone": "europe"},
                                                                                         snap.vocab)):
            mon = monitor.view(snap.store, m, snap.vocab)
            out += [v for k, v in mon.items() if k.endswith(".figure")]
        layouts = [region.layout(snap, code="53"), region.layout(snap, code="53", vue="diapo"),
                   region.layout(snap, code="53", vue="a4"), country.layout(snap, iso3="MLI"),
                   authority.layout(snap, code="COM:69123"), embed.layout(snap, chart="map-world")]
        for layout in layouts:
            out += _figures(layout)
    return out


def test_figures_use_only_what_the_bundle_holds(figures):
    traces = set(manifest()["traces"].split())
    projections = {p.strip() for p in manifest()["projections"].split(",")}
    assert len(figures) > 40
    used_traces = {trace.get("type", "scatter") for fig in figures for trace in fig["data"]}
    used_projections = {layout["projection"]["type"] for fig in figures for key, layout in fig["layout"].items()
                        if key.startswith("geo") and isinstance(layout, dict) and "projection" in layout}
    assert used_traces <= traces, used_traces - traces
    assert used_projections <= projections, used_projections - projections
    assert {"bar", "choropleth", "scattergeo"} <= used_traces and used_projections
    # nor any component the bundle omits (it would be ignored)
    omitted = set(manifest()["omitted"].split())
    layout_keys = {key for fig in figures for key in fig["layout"]}
    axis_keys = {key for fig in figures for name, axis in fig["layout"].items() if name[1:5] == "axis"
                 and isinstance(axis, dict) for key in axis}
    trace_keys = {key for fig in figures for trace in fig["data"] for key in trace}
    assert not layout_keys & {"updatemenus", "sliders", "images", "grid", "scene"}
    assert not axis_keys & {"rangeslider", "rangeselector"} and not trace_keys & {"error_x", "error_y"}
    assert {"updatemenus", "sliders", "images", "grid", "rangeslider", "rangeselector", "errorbars"} <= omitted


def test_served_brotli_compressed_once_and_cached_for_good(client):
    page = client.get("/").data.decode()
    src = next(part.split('"')[0] for part in page.split('<script src="')[1:] if "plotly-coopatlas" in part)
    assert src.startswith("/assets/vendor/plotly-coopatlas.min.js?m=")
    assert "package_data/plotly" not in page
    packed = client.get(src, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert packed.status_code == 200 and packed.headers["Content-Encoding"] == "br"
    assert packed.data == BUNDLE.with_suffix(".js.br").read_bytes()
    assert "immutable" in packed.headers["Cache-Control"] and "Accept-Encoding" in packed.headers["Vary"]
    assert packed.mimetype == "text/javascript"
    plain = client.get(src, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.data == BUNDLE.read_bytes()
    assert client.get("/assets/vendor/../../app.py", headers={"Accept-Encoding": "br"}).status_code == 404
