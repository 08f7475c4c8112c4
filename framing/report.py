"""The HTML report: one self-contained file to read, share and print.

A report shows one article with every sentence highlighted by its label, or a
folder of articles (or the scores file ``framing score`` wrote) as a summary:
a histogram of slants, a table sorted by slant, a comparison of outlets (one
per sub-folder) and the highlighted text of the first articles of the table.

The work is kept apart from the display, as in :mod:`framing.batch`. The
``*_section``, ``*_summary`` and ``*_report`` functions compute plain data
(:class:`Report` and the dataclasses it holds) with the existing scoring
APIs; :func:`render_html` and the ``render_*`` functions turn that data into
HTML and know nothing of models or files; :func:`write_report` writes the
file atomically. Nothing here prints.

The HTML has inline CSS and inline SVG only: no script, and nothing is
fetched from anywhere (fonts, images, styles), so it opens offline in any
browser and prints as it looks, footnotes included.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

import numpy as np

from framing.errors import FramingError, InputError
from framing.labels import COLOURS as LABEL_COLOURS
from framing.labels import ENFORCEMENT, LABELS, NEUTRAL, RIGHTS
from framing.scores import ScoreRow, is_scores_file, read_scores
from framing.slant import ArticleScore, bootstrap_interval, describe_slant, format_slant

DEFAULT_DETAILS = 20
DEFAULT_EVIDENCE = 5
# Bad rows of a scores file named one by one in the notes; the rest are counted.
MAX_SKIPPED_NOTES = 10
# Files at the top of a folder whose other articles sit in outlet sub-folders.
TOP_LEVEL_OUTLET = "(top level)"


# --- the report's data ----------------------------------------------------------


@dataclass(frozen=True)
class SentenceView:
    """One sentence as the report shows it.

    Attributes
    ----------
    number : int
        Position in the article, from 1; also its footnote number.
    text : str
        The sentence.
    label : str
        The most probable label.
    probabilities : dict of str to float
        Probability of each label.
    evidence : tuple of (str, float)
        The n-grams that pushed the sentence most toward its label, strongest
        first, from :meth:`framing.model.FramingModel.explain`.
    """

    number: int
    text: str
    label: str
    probabilities: dict[str, float]
    evidence: tuple[tuple[str, float], ...] = ()

    @property
    def probability(self) -> float:
        """Probability of the chosen label."""
        return self.probabilities[self.label]


@dataclass(frozen=True)
class ArticleSection:
    """An article's highlighted text, slant and label shares.

    Attributes
    ----------
    path : str
        Where the article came from, as given (relative inside a folder).
    title : str
        The article's title, or its file name when it has none.
    paragraphs : tuple of tuple of SentenceView
        The sentences, in order, grouped by the article's paragraphs.
    slant : float
        The article's slant, in [-1, 1].
    slant_interval : tuple of float
        Its 95% bootstrap interval (low, high).
    shares : dict of str to float
        Share of sentences given each label.
    """

    path: str
    title: str
    paragraphs: tuple[tuple[SentenceView, ...], ...]
    slant: float
    slant_interval: tuple[float, float]
    shares: dict[str, float]

    @property
    def sentences(self) -> tuple[SentenceView, ...]:
        """Every sentence, in order."""
        return tuple(sentence for paragraph in self.paragraphs for sentence in paragraph)


@dataclass(frozen=True)
class OutletSummary:
    """The articles of one first-level sub-folder (an outlet).

    Attributes
    ----------
    name : str
        The sub-folder's name, or :data:`TOP_LEVEL_OUTLET`.
    articles : int
        Articles scored.
    failed : int
        Files that could not be scored.
    mean_slant : float or None
        Mean of the articles' slants; None when none was scored.
    interval : tuple of float or None
        95% bootstrap interval of that mean over the articles.
    """

    name: str
    articles: int
    failed: int
    mean_slant: float | None
    interval: tuple[float, float] | None


@dataclass(frozen=True)
class FolderSummary:
    """What a folder's (or a scores file's) rows add up to.

    Attributes
    ----------
    rows : tuple of ScoreRow
        The scored rows (fields of :data:`framing.scores.FIELDS`), sorted by
        slant from rights (-1) to enforcement (+1), then by path.
    errors : tuple of ScoreRow
        The rows of files that could not be scored, by path.
    bins : tuple of int
        Article counts in ten bins of width 0.2 over [-1, 1].
    mean_slant : float or None
        Mean slant of the scored articles.
    outlets : tuple of OutletSummary
        One per first-level sub-folder; empty when no article sits in one.
    """

    rows: tuple[ScoreRow, ...]
    errors: tuple[ScoreRow, ...]
    bins: tuple[int, ...]
    mean_slant: float | None
    outlets: tuple[OutletSummary, ...] = ()

    @property
    def files(self) -> int:
        """Files seen, scored or not."""
        return len(self.rows) + len(self.errors)


@dataclass(frozen=True)
class Report:
    """Everything a report shows, ready to render.

    Attributes
    ----------
    kind : str
        "article", "folder" or "scores".
    source : str
        The article file, folder or scores file the report is about.
    title : str
        The report's heading.
    articles : tuple of ArticleSection
        Articles shown with their highlighted text.
    summary : FolderSummary or None
        The summary of a folder or scores file; None for one article.
    model : str or None
        The model file's name, when a model was used.
    notes : tuple of str
        Short remarks for the reader (what was left out, and why).
    skipped_rows : int
        Bad rows of a scores file left out (with ``skip_bad_rows``).
    """

    kind: str
    source: str
    title: str
    articles: tuple[ArticleSection, ...] = ()
    summary: FolderSummary | None = None
    model: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    skipped_rows: int = 0


# --- computing the data -----------------------------------------------------------


def article_section(
    score: ArticleScore,
    model,
    *,
    path: str,
    title: str | None = None,
    text: str | None = None,
    evidence: int = DEFAULT_EVIDENCE,
) -> ArticleSection:
    """Turn an article's score into what its section of the report shows.

    Parameters
    ----------
    score : ArticleScore
        The article's score, from :meth:`FramingModel.score`.
    model : FramingModel
        The model that scored it, asked for each sentence's evidence.
    path : str
        The article's path, as the report should show it.
    title : str, optional
        Its title; the file name when missing.
    text : str, optional
        The text that was scored; when given, sentences are grouped into its
        paragraphs, otherwise they form one paragraph.
    evidence : int
        How many n-grams of evidence to keep per sentence.

    Returns
    -------
    ArticleSection
    """
    from framing.scoring import explain_article

    explained = explain_article(model, score, top=evidence) if evidence > 0 else [()] * len(score.sentences)
    views = [
        SentenceView(
            number=number,
            text=sentence.text,
            label=sentence.label,
            probabilities=dict(sentence.probabilities),
            evidence=tuple(pairs),
        )
        for number, (sentence, pairs) in enumerate(zip(score.sentences, explained), start=1)
    ]
    groups = paragraph_groups(text, [view.text for view in views]) if text else [list(range(len(views)))]
    return ArticleSection(
        path=path,
        title=(title or "").strip() or PurePosixPath(path).name or path,
        paragraphs=tuple(tuple(views[index] for index in group) for group in groups),
        slant=score.slant,
        slant_interval=score.slant_interval,
        shares=dict(score.shares),
    )


def paragraph_groups(text: str, sentences: Sequence[str]) -> list[list[int]]:
    """Group sentence indices by the paragraph of ``text`` they come from.

    Only for layout: the sentences come from the splitter as they are, and are
    found again in the text's paragraphs (blank-line separated) while ignoring
    whitespace. When a sentence cannot be found, every sentence goes in one
    paragraph, so none is ever lost or shown twice.

    Parameters
    ----------
    text : str
        The article's text.
    sentences : sequence of str
        Its sentences, in order.

    Returns
    -------
    list of list of int
        Indices into ``sentences``, one list per non-empty paragraph.
    """
    everything = [list(range(len(sentences)))] if sentences else []
    paragraphs = ["".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]
    groups: list[list[int]] = []
    current: list[int] = []
    index, position = 0, 0
    for number, sentence in enumerate(sentences):
        key = "".join(sentence.split())
        while index < len(paragraphs):
            found = paragraphs[index].find(key, position)
            if found >= 0:
                position = found + len(key)
                current.append(number)
                break
            if current:
                groups.append(current)
                current = []
            index, position = index + 1, 0
        else:
            return everything
    if current:
        groups.append(current)
    return groups


def outlet_of(path: str) -> str | None:
    """The first-level sub-folder of a relative path, or None for a file at the top."""
    parts = PurePosixPath(path.replace("\\", "/").lstrip("/")).parts
    parts = tuple(part for part in parts if part != ".")
    return parts[0] if len(parts) > 1 else None


def outlet_summaries(rows: Iterable[ScoreRow]) -> tuple[OutletSummary, ...]:
    """Compare outlets: articles, mean slant and its 95% bootstrap interval per sub-folder.

    Parameters
    ----------
    rows : iterable of ScoreRow
        Rows of :func:`framing.batch.score_folder` (or of a scores file).

    Returns
    -------
    tuple of OutletSummary
        Sorted by outlet name (ignoring case); empty when no row's path has a sub-folder.
    """
    slants: dict[str, list[float]] = {}
    failed: dict[str, int] = {}
    nested = False
    for row in rows:
        outlet = outlet_of(row.path)
        nested = nested or outlet is not None
        name = outlet or TOP_LEVEL_OUTLET
        slants.setdefault(name, [])
        failed.setdefault(name, 0)
        if row.error:
            failed[name] += 1
        else:
            slants[name].append(float(row.slant))
    if not nested:
        return ()
    outlets = []
    for name in sorted(slants, key=lambda name: (name.casefold(), name)):
        values = np.asarray(slants[name], dtype=float)
        outlets.append(
            OutletSummary(
                name=name,
                articles=int(values.size),
                failed=failed[name],
                mean_slant=float(values.mean()) if values.size else None,
                interval=bootstrap_interval(values) if values.size else None,
            )
        )
    return tuple(outlets)


def folder_summary(rows: Iterable[ScoreRow]) -> FolderSummary:
    """Sum up the rows of a folder or scores file: sorted table, errors, histogram, outlets.

    Parameters
    ----------
    rows : iterable of ScoreRow
        Rows with the fields of :data:`framing.scores.FIELDS`.

    Returns
    -------
    FolderSummary
    """
    from framing.batch import Summary

    rows = list(rows)
    totals = Summary()  # the same bins and mean as the summary of `framing score`
    for row in rows:
        totals.add(row)
    scored = sorted((row for row in rows if not row.error), key=lambda row: (row.slant, row.path))
    errors = sorted((row for row in rows if row.error), key=lambda row: row.path)
    return FolderSummary(
        rows=tuple(scored),
        errors=tuple(errors),
        bins=tuple(totals.bins),
        mean_slant=totals.mean_slant,
        outlets=outlet_summaries(rows),
    )


def article_report(path: str | Path, model, *, evidence: int = DEFAULT_EVIDENCE) -> Report:
    """The report of one article file.

    Parameters
    ----------
    path : str or Path
        An article file.
    model : FramingModel
        The model to score it with.
    evidence : int
        N-grams of evidence per sentence.

    Returns
    -------
    Report

    Raises
    ------
    InputError
        If the file cannot be read or holds no sentence.
    """
    from framing.scoring import score_article
    from framing.text import read_article

    article = read_article(path)
    score = score_article(model, article.text)
    section = article_section(
        score, model, path=str(path), title=article.title, text=article.text, evidence=evidence
    )
    return Report(kind="article", source=str(path), title=section.title, articles=(section,))


def folder_report(
    folder: str | Path,
    model,
    *,
    details: int = DEFAULT_DETAILS,
    jobs: int | None = None,
    evidence: int = DEFAULT_EVIDENCE,
    on_row: Callable[[ScoreRow], None] | None = None,
) -> Report:
    """The report of a folder of articles: summary, table, outlets, and the first articles in detail.

    Parameters
    ----------
    folder : str or Path
        A folder of articles, walked recursively.
    model : FramingModel
        The loaded model the folder is scored with.
    details : int
        How many articles, in table order, to show with their highlighted text.
    jobs : int, optional
        Worker processes, as in :func:`framing.batch.score_folder` (which scores
        small folders in-process by default).
    evidence : int
        N-grams of evidence per sentence.
    on_row : callable, optional
        Called with each row as it is scored, so a caller can show progress.

    Returns
    -------
    Report

    Raises
    ------
    InputError
        If the folder holds no article file.
    """
    from framing.batch import DEFAULT_MAX_BYTES, score_folder
    from framing.scoring import score_articles
    from framing.text import read_article

    folder = Path(folder)
    rows = score_folder(folder, jobs=jobs, model=model)
    summary = folder_summary(_tapped(rows, on_row) if on_row is not None else rows)
    if not summary.files:
        raise InputError(f"no article files (.txt, .md, .html, .htm) in {folder}", reason="empty")

    shown, texts, notes = [], [], []
    for row in summary.rows[: max(details, 0)]:
        try:
            article = read_article(folder / row.path, max_bytes=DEFAULT_MAX_BYTES)
        except InputError as error:  # changed since it was scored: say so, keep the rest
            notes.append(f"{row.path} could not be read again for its details: {error}")
            continue
        shown.append((row, article))
        texts.append(article.text)
    scores = score_articles(model, texts) if texts else []
    sections = tuple(
        article_section(score, model, path=row.path, title=article.title, text=article.text, evidence=evidence)
        for (row, article), score in zip(shown, scores)
    )
    if len(summary.rows) > len(summary.rows[: max(details, 0)]):
        notes.append(
            f"The highlighted text is shown for the first {max(details, 0):,} of the "
            f"{len(summary.rows):,} scored articles, in table order."
        )
    return Report(
        kind="folder",
        source=str(folder),
        title=folder.resolve().name or str(folder),
        articles=sections,
        summary=summary,
        model=_model_name(model),
        notes=tuple(notes),
    )


def _tapped(rows: Iterable[ScoreRow], on_row: Callable[[ScoreRow], None]) -> Iterator[ScoreRow]:
    for row in rows:
        on_row(row)
        yield row


def scores_report(path: str | Path, *, skip_bad_rows: bool = False) -> Report:
    """The report of a scores file: summary, histogram, table and outlets (it holds no texts).

    Parameters
    ----------
    path : str or Path
        A ``.jsonl`` or ``.csv`` file written by ``framing score``.
    skip_bad_rows : bool
        Leave out rows that are not framing rows, and say so in the notes,
        instead of refusing the file.

    Returns
    -------
    Report

    Raises
    ------
    InputError
        If it is not a readable scores file with at least one row.
    """
    path = Path(path)
    scores = read_scores(path, skip_bad_rows=skip_bad_rows)
    notes = ["A scores file holds no article text: run the report on the folder to see highlighted sentences."]
    if scores.skipped:
        shown = scores.skipped[:MAX_SKIPPED_NOTES]
        more = len(scores.skipped) - len(shown)
        notes.append(f"{len(scores.skipped):,} bad {'row was' if len(scores.skipped) == 1 else 'rows were'} left out: "
                     + "; ".join(shown) + (f"; and {more:,} more" if more else "") + ".")
    return Report(
        kind="scores",
        source=str(path),
        title=path.name,
        summary=folder_summary(scores.rows),
        notes=tuple(notes),
        skipped_rows=len(scores.skipped),
    )


def build_report(
    path: str | Path,
    model=None,
    *,
    details: int = DEFAULT_DETAILS,
    skip_bad_rows: bool = False,
    on_row: Callable[[ScoreRow], None] | None = None,
) -> Report:
    """The report of an article file, a folder of articles or a scores file.

    Parameters
    ----------
    path : str or Path
        What to report on; a ``.jsonl``/``.csv`` file is read as scores.
    model : FramingModel, optional
        The loaded model (see :func:`framing.load_model`); the shipped model
        is loaded when none is given. A scores file needs none.
    details : int
        For a folder: articles shown with their highlighted text.
    skip_bad_rows : bool
        For a scores file: leave out bad rows (and say so) instead of refusing it.
    on_row : callable, optional
        For a folder: called with each row as it is scored (for progress).

    Returns
    -------
    Report

    Raises
    ------
    InputError
        If the path is missing or its content cannot be reported on.
    ModelError
        If the shipped model is needed and cannot be loaded.
    """
    path = Path(path)
    if not path.exists():
        kind = "broken link" if path.is_symlink() else "no such file or folder"
        raise InputError(f"{kind}: {path}", reason=kind)
    if is_scores_file(path):
        return scores_report(path, skip_bad_rows=skip_bad_rows)
    if model is None:
        from framing.model import load_model

        model = load_model()
    if path.is_dir():
        return folder_report(path, model, details=details, on_row=on_row)
    return replace(article_report(path, model), model=_model_name(model))


def _model_name(model) -> str:
    source = getattr(model, "source_path_", None)
    return source.name if source is not None else "a model fitted in memory"


def write_report(path: str | Path, content: str) -> Path:
    """Write the report atomically: a temporary file beside it, then a rename.

    A run that fails half-way leaves no half-written report (and an old one
    at ``path`` untouched).

    Parameters
    ----------
    path : str or Path
        The HTML file to write.
    content : str
        The HTML.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    FramingError
        If the file cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise FramingError(f"cannot write the report: {path} is a folder")
    try:
        handle = tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
        )
    except FileNotFoundError:
        raise FramingError(f"cannot write the report: no folder {path.parent}") from None
    except OSError as error:
        raise FramingError(f"cannot write the report in {path.parent}: {error.strerror or error}") from None
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        # A temporary file is private (0600); a report is a normal file, as the umask says.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise FramingError(f"cannot write the report to {path}: {error.strerror or error}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


# --- rendering HTML -----------------------------------------------------------------


def _e(value: object) -> str:
    """Escape anything that came from an article, a path or a file for HTML text or attributes."""
    return html.escape(str(value), quote=True)


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"




_CSS = """
:root { color-scheme: light; --enf: #E69F00; --rig: #56B4E9; --enf-fill: #F8E2B3; --rig-fill: #CCE8F8;
  --rig-line: #0072B2; --enf-line: #B37A00; --ink: #1b1b1b; --muted: #5a5a5a; --rule: #d4d4d4; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 62rem; padding: 1.5rem 1.25rem 3rem; color: var(--ink); background: #fff;
  font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.7em; line-height: 1.25; margin: 0 0 .3rem; }
h2 { font-size: 1.35em; line-height: 1.3; margin: 2.2rem 0 .3rem; }
h3 { font-size: 1.08em; margin: 1.6rem 0 .5rem; }
code { font: .88em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.meta, .path, .note, figcaption, .small { color: var(--muted); font-size: .9em; }
.path { margin: 0 0 .6rem; }
.legend { border: 1px solid var(--rule); border-radius: 6px; padding: .6rem .9rem; margin: 1rem 0 1.4rem; }
.legend p { margin: .3rem 0; }
.legend .keys { display: flex; flex-wrap: wrap; gap: .4rem 1.6rem; }
.sent { padding: .08em .12em; border-radius: 2px; -webkit-box-decoration-break: clone; box-decoration-break: clone;
  text-decoration-skip-ink: none; text-underline-offset: .26em; text-decoration-thickness: 2px; }
.sent.enforcement { background: var(--enf-fill); text-decoration-line: underline;
  text-decoration-style: solid; text-decoration-color: var(--enf-line); }
.sent.rights { background: var(--rig-fill); text-decoration-line: underline;
  text-decoration-style: dotted; text-decoration-color: var(--rig-line); text-decoration-thickness: 3px; }
.sent.neutral { color: #3c3c3c; }
.ref { font-size: .68em; line-height: 0; color: var(--muted); margin: 0 .18em 0 .05em; }
.ref a { color: inherit; text-decoration: none; }
.text p { margin: 0 0 .9rem; }
.article { border-top: 2px solid var(--ink); margin-top: 2.4rem; }
.article > h2 { margin-top: .9rem; }
.scoreline { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem 1.2rem; margin: .4rem 0 .6rem; }
.scoreline p { margin: 0; }
.slant-value { font-size: 1.15em; }
.gauge { display: block; width: 100%; max-width: 430px; height: auto; }
.notes { font-size: .86em; color: #333; border-top: 1px solid var(--rule); padding-top: .6rem; margin-top: 1rem;
  padding-left: 2.4rem; }
.notes li { margin: .15rem 0; }
.tag { font-weight: 600; padding: 0 .3em; border-radius: 3px; }
.tag.enforcement { background: var(--enf-fill); border-bottom: 2px solid var(--enf-line); }
.tag.rights { background: var(--rig-fill); border-bottom: 3px dotted var(--rig-line); }
.tag.neutral { background: #ececec; }
figure { margin: 1rem 0 1.4rem; break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; }
#histogram svg { max-width: 680px; }
#outlets svg { max-width: 780px; }
table { border-collapse: collapse; width: 100%; font-size: .9em; margin: .6rem 0 1.4rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .32rem .45rem; text-align: left; vertical-align: top; }
th { border-bottom: 2px solid #999; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; }
th.article-cell, td.article-cell { width: 48%; overflow-wrap: anywhere; }
td.article-cell .title { display: block; }
td.article-cell .path { display: block; font-size: 1em; margin: 0; }
td.path { font-size: 1em; color: var(--ink); }
tr { break-inside: avoid; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  /* A new page for each article after the first, and for the details of a folder; never a blank first page. */
  .article { border-top: none; }
  #details, .article + .article { break-before: page; }
  h2, h3 { break-after: avoid; }
  .notes { color: #000; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
}
"""


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

    kind = {"article": "article", "folder": "folder", "scores": "scores file"}[report.kind]
    meta = [f"Report on the {kind} <code>{_e(report.source)}</code>"]
    if report.model:
        meta.append(f"model <code>{_e(report.model)}</code>")
    meta.append(f"framing {_e(__version__)}")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Framing report: {_e(report.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        # One article's title heads its own section just below: do not say it twice.
        "<h1>Framing report</h1>" if report.kind == "article" else f"<h1>Framing report: {_e(report.title)}</h1>",
        f'<p class="meta">{" · ".join(meta)}</p>',
        "</header>",
        render_legend(with_sentences=bool(report.articles)),
    ]
    parts.extend(f'<p class="note">{_e(note)}</p>' for note in report.notes)
    if report.summary is not None:
        parts.append(render_summary(report.summary, report.articles))
    if report.articles:
        if report.kind != "article":
            parts.append(f'<h2 id="details">Articles in detail ({len(report.articles):,})</h2>')
        for number, section in enumerate(report.articles, start=1):
            parts.append(render_article(section, anchor=f"article-{number}"))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def render_legend(with_sentences: bool = True) -> str:
    """The key to slant and, when sentences are shown, to labels, highlights and notes."""
    slant = (
        "<p><strong>Slant</strong> is the mean over an article's sentences of "
        "P(enforcement) − P(rights): from −1 (every sentence rights-framed) to +1 (every sentence "
        "enforcement-framed), with a 95% bootstrap interval.</p>"
    )
    if not with_sentences:
        return f'<section class="legend" aria-label="Legend">{slant}</section>'
    return (
        '<section class="legend" aria-label="Legend">'
        '<p class="keys">'
        '<span><span class="sent enforcement">enforcement</span> orange, solid underline: crime, '
        "security, the rule of law as reasons to detain or deport</span>"
        '<span><span class="sent rights">rights</span> blue, dotted underline: due process, harm, '
        "family, fairness</span>"
        '<span><span class="sent neutral">neutral</span> no highlight: facts, procedure, attribution</span>'
        "</p>"
        "<p>Hover a sentence for its probabilities and the n-grams that weighed most for its label; "
        "the numbered notes under each article give the same, for print.</p>"
        f"{slant}</section>"
    )


def render_summary(summary: FolderSummary, details: Sequence[ArticleSection] = ()) -> str:
    """The summary of a folder or scores file: counts, histogram, outlets, tables.

    Parameters
    ----------
    summary : FolderSummary
        The data.
    details : sequence of ArticleSection
        The articles shown in detail, which the table links to.

    Returns
    -------
    str
        An HTML fragment.
    """
    failed = f", {len(summary.errors):,} could not be scored" if summary.errors else ""
    mean = (
        f" Mean slant <strong>{format_slant(summary.mean_slant)}</strong> ({describe_slant(summary.mean_slant)})."
        if summary.mean_slant is not None
        else ""
    )
    parts = [
        '<section class="summary">',
        "<h2>Summary</h2>",
        f'<p><span class="files">{summary.files:,}</span> files: '
        f'<span class="scored">{len(summary.rows):,}</span> articles scored{failed}.{mean}</p>',
    ]
    if summary.rows:
        parts.append(
            '<figure id="histogram">'
            + render_histogram(summary.bins)
            + "<figcaption>Articles by slant, in bins of 0.2: left leans rights, right leans enforcement."
            "</figcaption></figure>"
        )
    if summary.outlets:
        parts.append(render_outlets(summary.outlets))
    if summary.rows:
        parts.append(render_table(summary.rows, details))
    if summary.errors:
        parts.append(render_errors(summary.errors))
    parts.append("</section>")
    return "\n".join(parts)


def render_table(rows: Sequence[ScoreRow], details: Sequence[ArticleSection] = ()) -> str:
    """The table of scored articles, in the order given (sorted by slant).

    Parameters
    ----------
    rows : sequence of ScoreRow
        Scored rows.
    details : sequence of ArticleSection
        Articles shown in detail: their paths link to their sections.

    Returns
    -------
    str
        An HTML fragment.
    """
    anchors = {section.path: f"article-{number}" for number, section in enumerate(details, start=1)}
    lines = [
        '<h3 id="articles">Articles, from rights to enforcement</h3>',
        '<table class="articles">',
        "<thead><tr><th class=\"num\">#</th><th class=\"article-cell\">article</th><th class=\"num\">sentences</th>"
        "<th class=\"num\">enforcement</th><th class=\"num\">rights</th><th class=\"num\">neutral</th>"
        "<th class=\"num\">slant</th><th class=\"num\">95% interval</th></tr></thead>",
        "<tbody>",
    ]
    for number, row in enumerate(rows, start=1):
        path = f"<code>{_e(row.path)}</code>"
        if row.path in anchors:
            path = f'<a href="#{anchors[row.path]}">{path}</a>'
        title = f'<span class="title">{_e(row.title)}</span>' if row.title else ""
        interval = (
            f"[{format_slant(row.slant_low)}, {format_slant(row.slant_high)}]"
            if row.slant_low is not None and row.slant_high is not None
            else ""
        )
        lines.append(
            f'<tr class="row"><td class="num">{number}</td>'
            f'<td class="article-cell">{title}<span class="path">{path}</span></td>'
            f'<td class="num sentences">{row.sentences}</td>'
            f'<td class="num share-enforcement">{_percent(row.enforcement)}</td>'
            f'<td class="num share-rights">{_percent(row.rights)}</td>'
            f'<td class="num share-neutral">{_percent(row.neutral)}</td>'
            f'<td class="num slant">{format_slant(row.slant)}</td>'
            f'<td class="num interval">{interval}</td></tr>'
        )
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def render_errors(errors: Sequence[ScoreRow]) -> str:
    """The files that could not be scored, with their reasons."""
    lines = [
        '<h3 id="errors">Files that could not be scored</h3>',
        '<table class="errors"><thead><tr><th>file</th><th>reason</th></tr></thead><tbody>',
    ]
    for row in errors:
        lines.append(f'<tr><td class="path"><code>{_e(row.path)}</code></td><td class="reason">{_e(row.error)}</td></tr>')
    lines.append("</tbody></table>")
    return "\n".join(lines)


def render_outlets(outlets: Sequence[OutletSummary]) -> str:
    """The comparison of outlets: a dot-and-whisker chart and a table."""
    lines = [
        '<h3 id="outlets-heading">Outlets</h3>',
        '<figure id="outlets">',
        render_outlet_chart(outlets),
        "<figcaption>Mean slant of each outlet's articles (dot) and its 95% bootstrap interval over "
        "articles (whisker).</figcaption>",
        "</figure>",
        '<table class="outlets"><thead><tr><th>outlet</th><th class="num">articles</th>'
        '<th class="num">failed</th><th class="num">mean slant</th><th class="num">95% interval</th>'
        "</tr></thead><tbody>",
    ]
    for outlet in outlets:
        mean = format_slant(outlet.mean_slant) if outlet.mean_slant is not None else "–"
        interval = (
            f"[{format_slant(outlet.interval[0])}, {format_slant(outlet.interval[1])}]" if outlet.interval is not None else "–"
        )
        lines.append(
            f'<tr class="outlet"><td class="name">{_e(outlet.name)}</td><td class="num articles">{outlet.articles}</td>'
            f'<td class="num failed">{outlet.failed}</td><td class="num mean">{mean}</td>'
            f'<td class="num interval">{interval}</td></tr>'
        )
    lines.append("</tbody></table>")
    return "\n".join(lines)


def render_article(section: ArticleSection, anchor: str = "article-1") -> str:
    """One article: title, slant gauge, shares, highlighted text and footnotes.

    Parameters
    ----------
    section : ArticleSection
        The article's data.
    anchor : str
        The section's id; sentence and note ids derive from it.

    Returns
    -------
    str
        An HTML fragment.
    """
    low, high = section.slant_interval
    count = len(section.sentences)
    shares = " · ".join(
        f'<span class="tag {_e(label)}">{_e(label)}</span> <span class="share-{_e(label)}">'
        f"{_percent(section.shares.get(label, 0.0))}</span>"
        for label in (ENFORCEMENT, RIGHTS, NEUTRAL)
    )
    parts = [
        f'<section class="article" id="{_e(anchor)}">',
        f"<h2>{_e(section.title)}</h2>",
        f'<p class="path"><code>{_e(section.path)}</code></p>',
        '<div class="scoreline">',
        render_gauge(section.slant, section.slant_interval),
        f'<p>slant <strong class="slant-value">{format_slant(section.slant)}</strong>'
        f' <span class="interval">95% interval [{format_slant(low)}, {format_slant(high)}]</span><br>'
        f"{describe_slant(section.slant)}</p>",
        "</div>",
        f'<p class="shares">{count} sentence{"s" if count != 1 else ""}: {shares}</p>',
        '<div class="text">',
    ]
    for paragraph in section.paragraphs:
        spans = " ".join(_sentence_span(sentence, anchor) for sentence in paragraph)
        parts.append(f"<p>{spans}</p>")
    parts.append("</div>")
    parts.append('<ol class="notes">')
    parts.extend(_footnote(sentence, anchor) for sentence in section.sentences)
    parts += ["</ol>", "</section>"]
    return "\n".join(parts)


def _probabilities_text(sentence: SentenceView) -> str:
    return ", ".join(f"{label} {sentence.probabilities[label]:.2f}" for label in _ordered(sentence.probabilities))


def _evidence_text(sentence: SentenceView) -> str:
    if not sentence.evidence:
        return "no single n-gram stands out"
    return ", ".join(f"\u201c{feature}\u201d {weight:+.2f}" for feature, weight in sentence.evidence)


def _ordered(probabilities: dict[str, float]) -> list[str]:
    known = [label for label in LABELS if label in probabilities]
    return known + [label for label in probabilities if label not in known]


def _sentence_span(sentence: SentenceView, anchor: str) -> str:
    tooltip = (
        f"{sentence.number}. {sentence.label} (p {sentence.probability:.2f})\n"
        f"{_probabilities_text(sentence)}\n"
        f"evidence: {_evidence_text(sentence)}"
    )
    # The note number sits outside the span, so the span holds the sentence and nothing else.
    return (
        f'<span class="sent {_e(sentence.label)}" id="{_e(anchor)}-s{sentence.number}" '
        f'data-label="{_e(sentence.label)}" title="{_e(tooltip)}">{_e(sentence.text)}</span>'
        f'<sup class="ref"><a href="#{_e(anchor)}-n{sentence.number}">{sentence.number}</a></sup>'
    )


def _footnote(sentence: SentenceView, anchor: str) -> str:
    return (
        f'<li id="{_e(anchor)}-n{sentence.number}" value="{sentence.number}">'
        f'<span class="tag {_e(sentence.label)}">{_e(sentence.label)}</span> '
        f"p {sentence.probability:.2f} ({_e(_probabilities_text(sentence))}). "
        f"Evidence: {_e(_evidence_text(sentence))}.</li>"
    )


# --- SVG ------------------------------------------------------------------------------


def _clamp(value: float) -> float:
    return min(1.0, max(-1.0, float(value)))


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _slant_scale(left: float, right: float) -> Callable[[float], float]:
    """The x position of a slant on an axis drawn from ``left`` (-1) to ``right`` (+1)."""

    def x(value: float) -> float:
        return left + (_clamp(value) + 1.0) / 2.0 * (right - left)

    return x


_SLANT_TICKS = ((-1, "−1"), (-0.5, "−0.5"), (0, "0"), (0.5, "+0.5"), (1, "+1"))


def _slant_ticks(x: Callable[[float], float], y: float) -> str:
    """Tick marks and their numbers under a horizontal slant axis at height ``y``."""
    return "".join(
        f'<line x1="{_fmt(x(value))}" y1="{_fmt(y)}" x2="{_fmt(x(value))}" y2="{_fmt(y + 5)}" stroke="#555"/>'
        f'<text x="{_fmt(x(value))}" y="{_fmt(y + 18)}" font-size="11" text-anchor="middle" fill="#444">{text}</text>'
        for value, text in _SLANT_TICKS
    )


def _direction_labels(left: float, right: float, y: float, size: int = 11) -> str:
    """"← rights" at the left end of a slant axis and "enforcement →" at the right end."""
    return (
        f'<text x="{left}" y="{y}" font-size="{size}" fill="#0b5c8a">← rights</text>'
        f'<text x="{right}" y="{y}" font-size="{size}" text-anchor="end" fill="#8a5a00">enforcement →</text>'
    )


def render_gauge(slant: float, interval: tuple[float, float]) -> str:
    """An inline SVG axis from -1 (rights) to +1 (enforcement), with the slant and its interval.

    Parameters
    ----------
    slant : float
        Where the marker goes; values outside [-1, 1] are drawn at the ends.
    interval : tuple of float
        (low, high), drawn as a band.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    left, right, mid_y = 20.0, 410.0, 34.0
    x = _slant_scale(left, right)
    low, high = sorted((_clamp(interval[0]), _clamp(interval[1])))
    label = f"slant {format_slant(slant)}, 95% interval {format_slant(interval[0])} to {format_slant(interval[1])}"
    # A one-sentence article's interval is a point: keep its band visible, centred on it.
    band_width = max(x(high) - x(low), 3.0)
    band_x = (x(low) + x(high)) / 2 - band_width / 2
    return (
        f'<svg class="gauge" viewBox="0 0 430 66" width="430" height="66" role="img" aria-label="{_e(label)}">'
        f"<title>{_e(label)}</title>"
        f"{_direction_labels(left, right, 12)}"
        f'<rect x="{left}" y="{mid_y - 9}" width="{_fmt(x(0) - left)}" height="18" fill="#CCE8F8"/>'
        f'<rect x="{_fmt(x(0))}" y="{mid_y - 9}" width="{_fmt(right - x(0))}" height="18" fill="#F8E2B3"/>'
        f'<line x1="{_fmt(x(0))}" y1="{mid_y - 12}" x2="{_fmt(x(0))}" y2="{mid_y + 12}" stroke="#777" stroke-dasharray="2 2"/>'
        f'<rect class="band" x="{_fmt(band_x)}" y="{mid_y - 6}" width="{_fmt(band_width)}" '
        f'height="12" fill="#222" fill-opacity="0.28" stroke="#222" stroke-width="1"/>'
        f'<line x1="{left}" y1="{mid_y + 9}" x2="{right}" y2="{mid_y + 9}" stroke="#555"/>'
        f"{_slant_ticks(x, mid_y + 9)}"
        f'<path class="marker" d="M{_fmt(x(slant))} {mid_y - 11} l6 11 l-6 11 l-6 -11 z" fill="#111" stroke="#fff" stroke-width="1"/>'
        "</svg>"
    )


def render_histogram(bins: Sequence[int]) -> str:
    """An inline SVG histogram: ten bars of width 0.2 over [-1, 1], counts written on top.

    Parameters
    ----------
    bins : sequence of int
        Ten counts, from [-1, -0.8) to [0.8, 1].

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    left, right, top, bottom = 40.0, 640.0, 24.0, 180.0
    width = (right - left) / len(bins)
    peak = max(bins) if bins and max(bins) else 1
    bars, labels = [], []
    for index, count in enumerate(bins):
        low = -1.0 + 0.2 * index
        height = (bottom - top) * count / peak
        x = left + index * width
        # Position on the axis carries the meaning; colour repeats it.
        fill = LABEL_COLOURS[RIGHTS] if low < 0 else LABEL_COLOURS[ENFORCEMENT]
        bars.append(
            f'<rect class="bar" x="{_fmt(x + 3)}" y="{_fmt(bottom - height)}" width="{_fmt(width - 6)}" '
            f'height="{_fmt(height)}" fill="{fill}" data-count="{count}">'
            f"<title>{count} article{'s' if count != 1 else ''} with slant {low:+.1f} to {low + 0.2:+.1f}</title></rect>"
            f'<text x="{_fmt(x + width / 2)}" y="{_fmt(bottom - height - 5)}" font-size="12" text-anchor="middle" '
            f'fill="#222">{count}</text>'
        )
    for index in range(len(bins) + 1):
        value = -1.0 + 0.2 * index
        text = "0" if abs(value) < 1e-9 else f"{value:+.1f}".replace("-", "−")
        x = left + index * width
        labels.append(
            f'<line x1="{_fmt(x)}" y1="{bottom}" x2="{_fmt(x)}" y2="{bottom + 5}" stroke="#555"/>'
            f'<text x="{_fmt(x)}" y="{bottom + 19}" font-size="11" text-anchor="middle" fill="#444">{text}</text>'
        )
    total = sum(bins)
    return (
        f'<svg class="histogram" viewBox="0 0 680 225" width="680" height="225" role="img" '
        f'aria-label="Histogram of the slants of {total} articles">'
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#555"/>'
        + "".join(bars)
        + "".join(labels)
        + _direction_labels(left, right, 218, size=12)
        + f'<text x="{_fmt((left + right) / 2)}" y="218" font-size="12" text-anchor="middle" fill="#333">slant</text>'
        "</svg>"
    )


def render_outlet_chart(outlets: Sequence[OutletSummary]) -> str:
    """An inline SVG dot-and-whisker chart: each outlet's mean slant and 95% interval on [-1, 1].

    Parameters
    ----------
    outlets : sequence of OutletSummary
        The outlets, drawn top to bottom in the order given.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    name_width, left, right, row_height, top = 190.0, 200.0, 640.0, 30.0, 26.0
    height = top + row_height * len(outlets) + 44
    x = _slant_scale(left, right)

    rows = []
    for index, outlet in enumerate(outlets):
        y = top + row_height * index + row_height / 2
        name = outlet.name if len(outlet.name) <= 26 else outlet.name[:25] + "…"
        rows.append(
            f'<text x="{name_width}" y="{_fmt(y + 4)}" font-size="12" text-anchor="end" fill="#222">'
            f"<title>{_e(outlet.name)}</title>{_e(name)}</text>"
        )
        if index % 2 == 0:
            rows.insert(0, f'<rect x="0" y="{_fmt(y - row_height / 2)}" width="780" height="{row_height}" fill="#f4f4f4"/>')
        if outlet.mean_slant is None or outlet.interval is None:
            rows.append(f'<text x="{left}" y="{_fmt(y + 4)}" font-size="11" fill="#666">no article scored</text>')
            continue
        low, high = outlet.interval
        rows.append(
            f'<g class="outlet-mark"><title>{_e(outlet.name)}: mean slant {format_slant(outlet.mean_slant)}, '
            f"95% interval {format_slant(low)} to {format_slant(high)}, {outlet.articles} articles</title>"
            f'<line x1="{_fmt(x(low))}" y1="{_fmt(y)}" x2="{_fmt(x(high))}" y2="{_fmt(y)}" stroke="#333" stroke-width="2"/>'
            f'<line x1="{_fmt(x(low))}" y1="{_fmt(y - 6)}" x2="{_fmt(x(low))}" y2="{_fmt(y + 6)}" stroke="#333" stroke-width="2"/>'
            f'<line x1="{_fmt(x(high))}" y1="{_fmt(y - 6)}" x2="{_fmt(x(high))}" y2="{_fmt(y + 6)}" stroke="#333" stroke-width="2"/>'
            f'<circle cx="{_fmt(x(outlet.mean_slant))}" cy="{_fmt(y)}" r="5.5" fill="#111" stroke="#fff" stroke-width="1"/>'
            "</g>"
            f'<text x="{right + 12}" y="{_fmt(y + 4)}" font-size="11" fill="#333">{format_slant(outlet.mean_slant)} '
            f"(n={outlet.articles})</text>"
        )
    axis_y = top + row_height * len(outlets) + 4
    axis = [
        f'<line x1="{_fmt(x(0))}" y1="{top - 4}" x2="{_fmt(x(0))}" y2="{_fmt(axis_y)}" stroke="#888" stroke-dasharray="3 3"/>',
        f'<line x1="{left}" y1="{_fmt(axis_y)}" x2="{right}" y2="{_fmt(axis_y)}" stroke="#555"/>',
    ]
    axis.append(_slant_ticks(x, axis_y))
    axis.append(_direction_labels(left, right, 14))
    return (
        f'<svg class="outlet-chart" viewBox="0 0 780 {_fmt(height)}" width="780" height="{_fmt(height)}" role="img" '
        f'aria-label="Mean slant and 95% interval of {len(outlets)} outlets">'
        + "".join(rows)
        + "".join(axis)
        + "</svg>"
    )
