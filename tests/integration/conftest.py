"""Fixtures shared by the integration tests: the app on the fixture database and its test client."""

import pytest

from dashboard.app import Settings, create_app


@pytest.fixture(scope="module")
def app(fixture_db):
    return create_app(Settings(db=str(fixture_db)))


@pytest.fixture()
def client(app):
    return app.server.test_client()
