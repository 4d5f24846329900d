"""What a page declares: its name, path, title and layout, and the callbacks it registers. The app loops over
:data:`dashboard.pages.PAGES`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote


@dataclass(frozen=True)
class Page:
    name: str  # Dash's page name, unique
    title: str  # key of the browser tab's title in the catalogues
    layout: Callable  # (snapshot, **path variables and query parameters) -> component
    path: str | None = None
    template: str | None = None  # a path with variables, e.g. "/region/<code>"
    order: int = 0
    register: Callable | None = None  # (app, atlas) -> None: the page's callbacks
    known: Callable | None = None  # (snapshot, **path variables) -> bool: False answers 404 (unknown code)
    name_of: Callable | None = None  # (snapshot, lang, **path variables) -> str | None: the tab's title
    warm: Callable | None = None  # (snapshot) -> None: computes the page's most asked-for views into its memo

    def match(self, path: str) -> dict | None:
        """The path variables when ``path`` is this page's (``{}`` for a page without variables), else None."""
        if self.path is not None:
            return {} if path.rstrip("/") == self.path.rstrip("/") else None
        pattern = "^" + re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", re.escape(self.template).replace(r"\<", "<").replace(
            r"\>", ">")) + "/?$"
        m = re.match(pattern, path)
        return {k: unquote(v) for k, v in m.groupdict().items()} if m else None
