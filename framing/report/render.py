"""Rendering a report: Jinja2 templates turn a :class:`~framing.report.data.Report` into HTML.

The markup lives in ``templates/`` with autoescaping on, so every text from an
article, a path or a file is escaped by the template engine, never by hand.
Python hands the templates plain data: the report's dataclasses, and for the
charts the coordinates computed in :mod:`framing.report.svg`. The page has
inline CSS and SVG only: no script, and nothing is fetched from anywhere.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from framing.labels import ENFORCEMENT, LABELS, NEUTRAL, RIGHTS
from framing.report import svg
from framing.report.data import Report, SentenceView
from framing.slant import describe_slant, format_slant

TEMPLATES = Path(__file__).resolve().parent / "templates"
KIND_NAMES = {"article": "article", "folder": "folder", "scores": "scores file"}


@cache
def environment():
    """The Jinja2 environment of the report's templates (built once)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        slant=format_slant,
        describe=describe_slant,
        percent=lambda value: "" if value is None else f"{value:.0%}",
        number=lambda value: f"{value:,}",
        p2=lambda value: f"{value:.2f}",
        fmt=svg.fmt,
    )
    env.globals.update(
        svg=svg,
        shown_labels=(ENFORCEMENT, RIGHTS, NEUTRAL),
        probabilities_text=probabilities_text,
        evidence_text=evidence_text,
        plural=lambda count, word: word if count == 1 else word + "s",
    )
    return env


def render_html(report: Report) -> str:
    """The whole report as one self-contained HTML document.

    Parameters
    ----------
    report : Report
        The report's data.

    Returns
    -------
    str
        HTML with inline CSS and SVG only; every text taken from articles is escaped.
    """
    from framing import __version__

    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return environment().get_template("report.html.j2").render(
        report=report, kind=KIND_NAMES[report.kind], version=__version__, css=css
    )


def probabilities_text(sentence: SentenceView) -> str:
    """"enforcement 0.81, neutral 0.15, rights 0.04": each label's probability, labels in order."""
    known = [label for label in LABELS if label in sentence.probabilities]
    ordered = known + [label for label in sentence.probabilities if label not in known]
    return ", ".join(f"{label} {sentence.probabilities[label]:.2f}" for label in ordered)


def evidence_text(sentence: SentenceView) -> str:
    """The n-grams that weighed most for the sentence's label, with their weights."""
    if not sentence.evidence:
        return "no single n-gram stands out"
    return ", ".join(f"\u201c{feature}\u201d {weight:+.2f}" for feature, weight in sentence.evidence)
