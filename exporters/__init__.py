"""The built-in formats: plugins of ``briefing.formats`` like any other.

Each big format is a package (``pdf/``, ``docx/``, ``xlsx/``) whose ``__init__``
holds the exporter class and imports its library only inside ``render``; a small
format stays one module (``markdown.py``). Nothing in ``briefing`` imports this
package: the formats are found through their entry points.
"""
