"""What a page declares: its name, path, title and layout, and the callbacks it registers. The app loops over
:data:`dashboard.pages.PAGES`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str  # Dash's page name, unique
    title: str  # key of the browser tab's title in the catalogues
    layout: Callable  # (snapshot, **path variables and query parameters) -> component
    path: str | None = None
    template: str | None = None  # a path with variables, e.g. "/region/<code>"
    order: int = 0
    register: Callable | None = None  # (app, atlas) -> None: the page's callbacks
