"""One module per page, each declaring its :class:`~dashboard.pages.registry.Page` (path, title, layout,
callbacks); the app registers every page of :data:`PAGES`."""

from dashboard.pages import authority, country, data, embed, home, monitor, news, not_found, region, search

PAGES = (home.PAGE, monitor.PAGE, data.PAGE, news.PAGE, search.PAGE, authority.PAGE, country.PAGE, region.PAGE,
         embed.PAGE, not_found.PAGE)


def known(snap, path: str) -> bool:
    """Whether a path is one of the pages, with a code the build knows."""
    for page in PAGES:
        variables = page.match(path)
        if variables is not None and page is not not_found.PAGE:
            return page.known(snap, **variables) if page.known else True
    return False


def warm(snap) -> None:
    """Every page's most asked-for views of the build, computed into its memo (a worker does it before it takes
    its first request: the readers of its first seconds are then served from the memo, not each computing)."""
    for page in PAGES:
        if page.warm:
            page.warm(snap)
