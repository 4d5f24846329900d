"""The coopatlas Dash app."""
