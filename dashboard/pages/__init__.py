"""One module per page, each declaring its :class:`~dashboard.pages.registry.Page` (path, title, layout,
callbacks); the app registers every page of :data:`PAGES`."""

from dashboard.pages import authority, country, data, embed, home, monitor, region, search

PAGES = (home.PAGE, monitor.PAGE, data.PAGE, search.PAGE, authority.PAGE, country.PAGE, region.PAGE, embed.PAGE)
