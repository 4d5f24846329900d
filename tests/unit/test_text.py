from etl.normalise.text import printable


def test_printable_escapes_controls_and_bidi_but_keeps_accents():
    assert printable("Région\x1b[31m\x00\u202e\n\tœ €") == "Région\\x1b[31m\\x00\\u202e\\x0a\\x09œ €"
    assert printable("\ufeffIdentifiant\x85") == "\\ufeffIdentifiant\\x85"


def test_every_text_clean_would_change_is_one_the_build_asks_it_about():
    """The build sends to clean() only the texts DuckDB finds in MAYBE_UNCLEAN (the others are stored as read), so
    that pattern must catch every change clean() makes: each character Python splits on, inside a word, at either
    end, and two spaces."""
    import sys

    import duckdb

    from etl.normalise.text import clean
    from etl.stage import MAYBE_UNCLEAN

    white = [chr(cp) for cp in range(sys.maxunicode + 1) if len(f"a{chr(cp)}b".split()) == 2]
    assert len(white) > 20  # the spaces, the controls Python counts as white space, U+0085, U+2028…
    texts = [t for c in white for t in (f"a{c}b", f"{c}ab", f"ab{c}") if t != "a b"] + ["a  b"]
    assert all(clean(t) != t for t in texts)
    con = duckdb.connect()
    flagged = con.execute(f"SELECT list(v) FILTER (WHERE NOT {MAYBE_UNCLEAN.replace('{v}', 'v')}) "
                          "FROM (SELECT unnest(?) AS v)", [texts]).fetchone()[0]
    assert not flagged
    clean_text = "Côte d’Ivoire — Mairie de Dakar"
    assert not con.execute(f"SELECT {MAYBE_UNCLEAN.replace('{v}', '?')}", [clean_text]).fetchone()[0]
