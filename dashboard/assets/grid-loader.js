/* AG Grid when it is needed (served by the app itself; see dashboard/scripts.py).
 * No page loads dash_ag_grid's bundle by itself; this stand-in answers for window.dash_ag_grid. Its AgGrid renders
 * an empty box with the grid's id, class and size until the box comes within a screen of the viewport; then the
 * bundle (its address is in the data-grid-bundle attribute of an ancestor) is loaded and the real grid drawn in
 * its place with every prop Dash gives. The stand-in stays window.dash_ag_grid, so that React keeps one component
 * type; getApi and getApiAsync are the bundle's once it is loaded, and loaded() says whether it is. */
(function () {
  'use strict';
  if (window.dash_ag_grid) { return; }  // the bundle is on the page after all
  var React = window.React;
  var real = null;
  var loading = null;

  function fallbackAddress() {
    var config = document.getElementById('_dash-config');
    var prefix = (config && JSON.parse(config.textContent).requests_pathname_prefix) || '/';
    return prefix + '_dash-component-suites/dash_ag_grid/dash_ag_grid.min.js';
  }

  function load(src) {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = src;
        script.onload = function () {
          real = window.dash_ag_grid;  // the bundle put itself there
          window.dash_ag_grid = stub;
          resolve(real);
        };
        script.onerror = function () {
          loading = null;
          reject(new Error('AG Grid could not be loaded from ' + src));
        };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function AgGrid(props) {
    var box = React.useRef(null);
    var state = React.useState(function () { return real && real.AgGrid; });
    var Grid = state[0];
    var setGrid = state[1];
    React.useEffect(function () {
      if (Grid) { return undefined; }
      var holder = box.current.closest('[data-grid-bundle]');
      var src = holder ? holder.getAttribute('data-grid-bundle') : fallbackAddress();
      var observer = null;
      var gone = false;
      function show() {
        if (observer) { observer.disconnect(); }
        load(src).then(function (bundle) {
          if (!gone) { setGrid(function () { return bundle.AgGrid; }); }
        }, function (error) { console.error(error); });
      }
      if (!('IntersectionObserver' in window)) {
        show();
      } else {
        observer = new IntersectionObserver(function (entries) {
          if (entries.some(function (e) { return e.isIntersecting; })) { show(); }
        }, {rootMargin: '100% 0px'});
        observer.observe(box.current);
      }
      return function () {
        gone = true;
        if (observer) { observer.disconnect(); }
      };
    }, [Grid]);
    if (Grid) { return React.createElement(Grid, props); }
    return React.createElement('div', {id: props.id, ref: box, className: props.className, style: props.style,
                                       'aria-busy': 'true'});
  }

  var stub = {
    AgGrid: AgGrid,
    loaded: function () { return real !== null; },
    getApi: function (id) {
      if (!real) { throw new Error('no grid found, or grid is not initialized yet, with id: ' + id); }
      return real.getApi(id);
    },
    getApiAsync: function (id) {
      if (!loading) { return Promise.reject(new Error('the grid ' + id + ' is not shown yet')); }
      return loading.then(function (bundle) { return bundle.getApiAsync(id); });
    },
  };
  window.dash_ag_grid = stub;
})();
