/* Back and Forward through the views of a page (served by the app itself).
 * Each filter change pushes the view's address (components.register_frame), which Dash's own location does not
 * see; when the browser steps back or forward to another view of the page, show the view that address names. */
window.addEventListener('popstate', function () {
  var here = window.location.pathname + window.location.search;
  if (window.coopatlasView !== undefined && here !== window.coopatlasView) {
    window.location.reload();
  }
});
