/* The monitor's event labels (annotations named "event", written upwards above the plot, one per year with
 * events) stand side by side: on a narrow plot (a phone: about 9 px per year) the labels of adjacent years would
 * overlap into unreadable text. After each drawing of a graph that has them, a label that would overlap the last
 * one shown is hidden; its dotted line stays, and every event is listed, dated and sourced, on the data page.
 * Wide plots hide none. Served by the app itself.
 */
(function () {
  function declutter(gd) {
    var notes = (gd._fullLayout && gd._fullLayout.annotations) || [];
    var last = null;
    gd.querySelectorAll('.annotation').forEach(function (g) {
      var note = notes[Number(g.getAttribute('data-index'))];
      if (!note || note.name !== 'event') { return; }
      g.style.display = '';
      var box = g.getBoundingClientRect();
      if (last && box.left < last.right - 2) {  // touching is fine; overlapping text is not
        g.style.display = 'none';
        return;
      }
      last = box;
    });
  }
  function watch() {
    document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
      if (gd.coopatlasEvents || typeof gd.on !== 'function') { return; }
      gd.coopatlasEvents = true;
      gd.on('plotly_afterplot', function () { declutter(gd); });
      declutter(gd);
    });
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; watch(); });
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
