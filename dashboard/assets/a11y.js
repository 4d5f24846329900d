/* Accessibility repairs of Dash 4 components, applied whenever the page changes (served by the app itself).
 * - Dropdown: its hidden focus helper is aria-hidden yet focusable, and only forwards focus to the visible
 *   button; the button itself takes the tab stop (Enter or Space opens the list) and the helper leaves it.
 * - RadioItems: rendered as a listbox of options wrapping radio inputs (nested controls, no name); it becomes a
 *   radiogroup named by its fieldset legend or its label, the inputs keeping their own labels.
 * - RangeSlider: its handles are named "Minimum" and "Maximum" (in English, by Radix); in a fieldset holding the
 *   range's typed inputs, each handle takes the name of its input (the legend and the input's label: "Année de
 *   début de", "… à").
 */
(function () {
  function nameOf(group) {
    var fieldset = group.closest('fieldset');
    var legend = fieldset && fieldset.querySelector('legend');
    if (legend) { return legend; }
    var label = group.id && document.querySelector('label[for="' + group.id + '"]');
    return label || null;
  }
  var counter = 0;
  function repair(root) {
    root.querySelectorAll('.dash-dropdown-wrapper').forEach(function (wrapper) {
      var helper = wrapper.querySelector('.dash-dropdown-focus-target[aria-hidden="true"]');
      var button = wrapper.querySelector('button.dash-dropdown');
      if (!helper || !button) { return; }
      if (helper.getAttribute('tabindex') !== '-1') { helper.setAttribute('tabindex', '-1'); }
      if (button.getAttribute('tabindex') !== '0') { button.setAttribute('tabindex', '0'); }
    });
    root.querySelectorAll('.dash-radioitems[role="listbox"]').forEach(function (group) {
      group.setAttribute('role', 'radiogroup');
      var name = nameOf(group);
      if (name) {
        if (!name.id) { name.id = 'a11y-name-' + (++counter); }
        group.setAttribute('aria-labelledby', name.id);
      }
      group.querySelectorAll('[role="option"]').forEach(function (opt) {
        opt.removeAttribute('role');
        opt.removeAttribute('aria-selected');
      });
    });
    root.querySelectorAll('fieldset .dash-range-slider, fieldset .year-range').forEach(function (slider) {
      var fieldset = slider.closest('fieldset');
      var legend = fieldset.querySelector('legend');
      var labels = fieldset.querySelectorAll('label[for]');
      slider.querySelectorAll('[role="slider"]').forEach(function (thumb, i) {
        if (!legend || !labels[i] || thumb.hasAttribute('aria-labelledby')) { return; }
        if (!legend.id) { legend.id = 'a11y-name-' + (++counter); }
        if (!labels[i].id) { labels[i].id = 'a11y-name-' + (++counter); }
        thumb.setAttribute('aria-labelledby', legend.id + ' ' + labels[i].id);
        thumb.removeAttribute('aria-label');
      });
    });
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; repair(document); });
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true,
                                        attributeFilter: ['tabindex', 'role']});
})();
