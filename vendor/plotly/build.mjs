// esbuild's side of build.sh (run there, in a copy of this folder with node_modules installed):
//   node build.mjs OUTFILE BANNER
// Options follow plotly.js's own esbuild-config.js (iife, global "Plotly", es2016, global → window, define.amd →
// false, NODE_DEBUG → false), without its glslify and CSS plugins: the WebGL and maplibre traces whose shaders and
// stylesheet they inline are not in this bundle (the stylesheet plotly's registry asks for loads as empty).
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const [outfile, banner] = process.argv.slice(2);

// Components plotly's core registers that no figure of coopatlas uses (3-D annotations, dropdown menus and
// sliders, range sliders and selectors, layout images, error bars, the subplot grid): 84 kB of the bundle.
// Plotly asks for components through its registry and does without a missing one.
const OMITTED = ['annotations3d', 'updatemenus', 'sliders', 'rangeslider', 'rangeselector', 'images', 'errorbars',
                 'grid'];
const omit = {
  name: 'omit-components',
  setup(build) {
    const filter = new RegExp(`^\\./components/(${OMITTED.join('|')})$`);
    build.onResolve({filter}, args => {
      if (!args.importer.replaceAll('\\', '/').endsWith('plotly.js/src/core.js')) { return undefined; }
      return {path: new URL('./shims/omitted-component.js', import.meta.url).pathname};
    });
  },
};

const result = await esbuild.build({
  entryPoints: ['entry.js'], outfile, bundle: true, minify: true, format: 'iife', globalName: 'Plotly',
  target: 'es2016', charset: 'utf8', legalComments: 'none', banner: {js: banner}, metafile: true,
  define: {global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false'},
  alias: {'d3-geo-projection': './shims/d3-geo-projection.js', 'country-iso-search': './shims/country-iso-search.js',
          stream: 'stream-browserify'},
  loader: {'.css': 'empty'}, plugins: [omit], logLevel: 'warning',
});
const omitted = Object.keys(result.metafile.inputs).filter(p => /components\/(\w+)\/index\.js$/.test(p)
  && OMITTED.includes(p.match(/components\/(\w+)\/index\.js$/)[1]));
if (omitted.length) { throw new Error('components still bundled: ' + omitted.join(', ')); }
fs.writeFileSync('meta.json', JSON.stringify(result.metafile));
