"""Fixtures shared by the integration tests: the app on the fixture database and its test client; an app
serving a database of its own that it checks for new builds every 0.05 s (``serving``)."""

import pytest

import dashboard.snapshot
from dashboard.app import Settings, create_app
from etl.load import build


@pytest.fixture(scope="module")
def app(fixture_db):
    return create_app(Settings(db=str(fixture_db)))


@pytest.fixture()
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def snap(app):
    """The app's current snapshot (store, vocabulary, reference) of the fixture database."""
    return app.server.config["coopatlas"].current()


@pytest.fixture()
def serving(tmp_path, fixture_exports, monkeypatch):
    monkeypatch.setattr(dashboard.snapshot, "CHECK_EVERY_S", 0.05)
    db = tmp_path / "serving.duckdb"
    build(fixture_exports[:1], db)
    return create_app(Settings(db=str(db))), db
