"""WSGI entry point for a production server: ``gunicorn 'dashboard.wsgi:server'`` with ``COOPATLAS_DB`` set.

Each worker process opens the database read-only; workers share nothing and can be multiplied or replicated.
"""

from dashboard.app import create_app
from etl.settings import Settings

app = create_app(Settings.from_env())
server = app.server
