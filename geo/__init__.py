"""Geometries of coopatlas: world countries and French regions/départements, prepared offline from registry packages."""
