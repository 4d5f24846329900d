// Stands in for d3-geo-projection (the extra map projections, 71 kB): plotly's geo subplot looks a projection up
// in d3-geo first, then here. coopatlas draws "natural earth" (geoNaturalEarth, d3-geo's geoNaturalEarth1, as
// d3-geo-projection itself aliases it) and "mercator" (in d3-geo); any other projection type is not in the bundle.
'use strict';

module.exports = {geoNaturalEarth: require('d3-geo').geoNaturalEarth1};
