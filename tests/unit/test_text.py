from etl.normalise.text import printable


def test_printable_escapes_controls_and_bidi_but_keeps_accents():
    assert printable("Région\x1b[31m\x00\u202e\n\tœ €") == "Région\\x1b[31m\\x00\\u202e\\x0a\\x09œ €"
    assert printable("\ufeffIdentifiant\x85") == "\\ufeffIdentifiant\\x85"
