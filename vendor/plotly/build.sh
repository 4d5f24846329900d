#!/usr/bin/env bash
# Rebuild coopatlas's partial plotly.js bundle from the npm registry (run by hand when plotly.js is upgraded; the
# app, `make run` and `make test` never run this: they serve the files committed in dashboard/assets/vendor/).
#
#   dashboard/assets/vendor/plotly-coopatlas.min.js      plotly.js's core + bar, choropleth, scattergeo (entry.js),
#                                                        minified by esbuild; defines window.Plotly, and
#                                                        window.regeneratorRuntime for Dash's scripts
#   dashboard/assets/vendor/plotly-coopatlas.min.js.br   the same, compressed once with brotli at quality 11 (the
#                                                        app sends it to browsers that accept br)
#   dashboard/assets/vendor/plotly-coopatlas.LICENSES.txt  every bundled npm package, its version, its licence
#   VERSIONS, SHA256SUMS                                 beside this script
#
# Needs Node ≥ 18 and npm. Exact versions: package.json pins plotly.js and esbuild, package-lock.json every
# dependency (npm ci); `./build.sh --update-lock` re-resolves the lock after package.json changes. What goes in:
# entry.js (the trace types), shims/ (packages and components left out), build.mjs (esbuild's options).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../dashboard/assets/vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$here/package.json" "$here/entry.js" "$here/build.mjs" "$here/shims" "$tmp/"
cd "$tmp"
if [ "${1:-}" = "--update-lock" ] || [ ! -f "$here/package-lock.json" ]; then
  npm install --ignore-scripts --no-audit --no-fund --silent
  cp package-lock.json "$here/package-lock.json"
else
  cp "$here/package-lock.json" .
  npm ci --ignore-scripts --no-audit --no-fund --silent
fi
PLOTLY=$(node -p "require('plotly.js/package.json').version")
ESBUILD=$(node -p "require('esbuild/package.json').version")
REGENERATOR=$(node -p "require('regenerator-runtime/package.json').version")
BANNER="/*! plotly.js v$PLOTLY (MIT, Copyright 2012-2026 Plotly, Inc.), partial bundle of coopatlas: core (scatter; without 3-D annotations, menus, sliders, range sliders and selectors, images, error bars, subplot grid), bar, choropleth, scattergeo; with regenerator-runtime v$REGENERATOR (MIT, Copyright 2014-present Facebook, Inc.) for Dash's scripts; built by vendor/plotly/build.sh with esbuild $ESBUILD. Bundled packages and their licences: plotly-coopatlas.LICENSES.txt */"
mkdir -p "$out"
node build.mjs "$out/plotly-coopatlas.min.js" "$BANNER"

# No eval: the Content-Security-Policy has no 'unsafe-eval'. The regenerator runtime's last resort for engines
# without globalThis (Function("r","regeneratorRuntime = r"), never reached by a browser React 18 runs on) is the
# one Function call let through.
if sed 's/Function("r","regeneratorRuntime = r")//' "$out/plotly-coopatlas.min.js" \
    | grep -Eq '(^|[^A-Za-z0-9_$.])(eval\(|new Function\(|Function\()'; then
  echo "the bundle calls eval or Function(): the CSP forbids it" >&2; exit 1
fi

# The licences of every package the bundle holds (MIT and BSD-style ones ask for their notice to go along).
node - "$out/plotly-coopatlas.LICENSES.txt" "$PLOTLY" <<'NODE'
const fs = require('fs'), path = require('path');
const [target, plotly] = process.argv.slice(2);
const meta = JSON.parse(fs.readFileSync('meta.json', 'utf8'));
const allowed = new Set(['MIT', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', '0BSD', 'Zlib', 'Unlicense', 'CC0-1.0']);
const dirs = new Set();
const output = Object.values(meta.outputs).find(o => o.entryPoint);
for (const [input, {bytesInOutput}] of Object.entries(output.inputs)) {
  // (stylesheets load as empty modules: the maplibre stylesheet plotly's registry asks for is not bundled)
  const m = bytesInOutput > 0 && !input.endsWith('.css') && input.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) dirs.add(m[1]);
}
let text = `Packages bundled in plotly-coopatlas.min.js (plotly.js ${plotly} partial bundle, see vendor/plotly/ of ` +
  'coopatlas), each with its version, its licence and the licence text it ships.\n';
const problems = [];
for (const dir of [...dirs].sort()) {
  const pkg = JSON.parse(fs.readFileSync(path.join('node_modules', dir, 'package.json'), 'utf8'));
  const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license && pkg.license.type) || '?';
  if (!licence.replace(/[()]/g, '').split(/ OR | AND /).every(l => allowed.has(l.trim()))) {
    problems.push(`${dir} ${pkg.version}: ${licence}`);
  }
  const file = fs.readdirSync(path.join('node_modules', dir)).find(f => /^(licen[cs]e|copying)/i.test(f));
  text += `\n==== ${pkg.name} ${pkg.version} — ${licence}\n` +
    (file ? fs.readFileSync(path.join('node_modules', dir, file), 'utf8').trim() + '\n' : '(no licence file)\n');
}
if (problems.length) { console.error('licences not allowed:\n' + problems.join('\n')); process.exit(1); }
fs.writeFileSync(target, text);
NODE

# The default topojson address points at plotly's CDN: make it the app's own (the figures set it anyway), so
# the bundle names no outside host at all.
node -e "
const fs = require('fs'), f = process.argv[1];
const src = fs.readFileSync(f, 'utf8').replace(/dflt:\"https:\/\/cdn\.plot\.ly\/un\/\"/, 'dflt:\"/assets/topojson/\"')
  .replace(/fetched from cdn\.plot\.ly\./, 'fetched from this site.');
if (/cdn\.plot\.ly/.test(src)) { console.error('an outside host is left in the bundle'); process.exit(1); }
fs.writeFileSync(f, src);" "$out/plotly-coopatlas.min.js"

node -e "
const fs = require('fs'), zlib = require('zlib');
const src = fs.readFileSync(process.argv[1]);
fs.writeFileSync(process.argv[1] + '.br', zlib.brotliCompressSync(src, {params: {
  [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
  [zlib.constants.BROTLI_PARAM_SIZE_HINT]: src.length}}));" "$out/plotly-coopatlas.min.js"

cat > "$here/VERSIONS" <<EOF
plotly.js $PLOTLY
regenerator-runtime $REGENERATOR
esbuild $ESBUILD
node $(node --version | tr -d v)
traces scatter bar choropleth scattergeo
projections natural earth, mercator
omitted annotations3d updatemenus sliders rangeslider rangeselector images errorbars grid
EOF
(cd "$out" && sha256sum plotly-coopatlas.min.js plotly-coopatlas.min.js.br plotly-coopatlas.LICENSES.txt \
  | sed 's#  #  dashboard/assets/vendor/#') > "$here/SHA256SUMS"
ls -l "$out"
