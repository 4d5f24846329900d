"""coopatlas ETL: read Atlas exports (CSV/XLSX), normalise them, and build the DuckDB database the app reads."""

__version__ = "0.1.0"
