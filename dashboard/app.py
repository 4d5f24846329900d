"""App factory (placeholder page until the dashboard issue lands)."""

from __future__ import annotations


def serve(db: str, host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> int:
    raise SystemExit("dashboard not yet built")
