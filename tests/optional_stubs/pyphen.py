"""A stand-in for an installed pyphen, empty: the export path must never import it
(``tests/briefing/test_cli.py`` puts this folder on the path of a real export)."""
