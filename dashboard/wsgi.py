"""WSGI entry point for a production server: ``gunicorn 'dashboard.wsgi:server'`` with ``COOPATLAS_DB`` set.

Each worker process opens the database read-only; workers share nothing and can be multiplied or replicated.
"""

from dashboard.app import Settings, create_app

app = create_app(Settings.from_env())
server = app.server
