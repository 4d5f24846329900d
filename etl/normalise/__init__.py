"""Normalisers: one module per kind of field. Each turns one raw cell (or a few) into codes, or says why it can't."""


class Invalid(ValueError):
    """A value that cannot be normalised; the message is the rejection reason shown to users (French)."""
