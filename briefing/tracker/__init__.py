"""The prediction tracker: one workbook a team keeps score in, rebuilt from the library
on every run without losing what the team wrote.

``columns`` names the sheet's columns and who owns each; ``rows`` turns episodes into
tracker rows (stable IDs, due dates); ``merge`` lays them over the rows of the workbook
already there; ``reading`` and ``writing`` are the openpyxl ends, ``summary`` the
Summary sheet and its chart; ``update`` runs it all for ``briefing track``.

Nothing here is imported by ``briefing --help``: the command in ``command`` imports
the rest (and openpyxl) only when it runs.
"""
