// The plotly.js of coopatlas: plotly.js's core (the scatter trace, the components but those build.mjs omits, the
// English locale and any locale queued in window.PlotlyLocales) and the trace types the app draws. build.sh bundles it into
// dashboard/assets/vendor/plotly-coopatlas.min.js, which defines window.Plotly; dcc.Graph then uses it instead
// of loading Dash's full plotly.min.js. A trace type missing here draws nothing (plotly logs "Unrecognized trace
// type"): tests/integration/test_plotly_bundle.py checks the figures against the list in VERSIONS.
//
// It also defines window.regeneratorRuntime, which Dash's renderer and dcc call (their async functions are
// compiled to generators): the app leaves out Dash's @babel/polyfill (core-js 2 and that runtime, 0.2 s of the
// main thread on a first view, replacing native functions such as String.prototype.trim by slower ones), and
// this bundle loads before Dash's renderer (dashboard/scripts.py).
'use strict';

window.regeneratorRuntime = require('regenerator-runtime/runtime.js');

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
]);

module.exports = Plotly;
