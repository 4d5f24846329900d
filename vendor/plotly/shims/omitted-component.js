// Stands in for a component of plotly's core that coopatlas's figures never use (build.mjs names them): it
// registers under a name of its own, so plotly finds no such component and skips it, as in a bundle without it.
'use strict';

module.exports = {moduleType: 'component', name: 'omitted by coopatlas'};
