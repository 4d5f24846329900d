// Stands in for country-iso-search (country names in many languages, 67 kB), which plotly uses only for
// locationmode "country names". coopatlas gives locations as ISO 3166 codes of its own GeoJSON (featureidkey
// "id"), so a name lookup finds nothing here.
'use strict';

module.exports = {
    COUNTRIES: [],
    createLookup: function () {
        return {lookupAlpha3: function () { return undefined; }};
    },
};
