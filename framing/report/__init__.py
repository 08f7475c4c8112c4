"""The HTML report: one self-contained file to read, share and print.

A report shows one article with every sentence highlighted by its label, or a
folder of articles (or the scores file ``framing score`` wrote) as a summary:
a histogram of slants, a table sorted by slant, a comparison of outlets (one
per sub-folder) and the highlighted text of the first articles of the table.

The work is kept apart from the display:

- :mod:`~framing.report.data`: the report's data (plain dataclasses) and the
  summaries computed from score rows;
- :mod:`~framing.report.build`: reading, scoring and summarising what a report
  is about (:func:`build_report`), and writing the page (:func:`write_report`);
- :mod:`~framing.report.svg`: the charts' geometry, as plain numbers;
- :mod:`~framing.report.render` and ``templates/``: Jinja2 templates with
  autoescaping turn the data into HTML (:func:`render_html`).

The HTML has inline CSS and inline SVG only: no script, and nothing is
fetched from anywhere (fonts, images, styles), so it opens offline in any
browser and prints as it looks, footnotes included. Nothing here prints.
"""

from __future__ import annotations

from typing import Any

from framing.defaults import DEFAULT_DETAILS, DEFAULT_EVIDENCE

_PUBLIC = {
    "build_report": "framing.report.build",
    "write_report": "framing.report.build",
    "Report": "framing.report.data",
    "render_html": "framing.report.render",
}

__all__ = ["DEFAULT_DETAILS", "DEFAULT_EVIDENCE", *_PUBLIC]


def __getattr__(name: str) -> Any:
    # numpy and jinja2 load only when a report is built, not when the CLI starts.
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'framing.report' has no attribute {name!r}")
