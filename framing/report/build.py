"""Building a report: read, score and summarise an article, a folder or a scores file.

:func:`build_report` picks the kind of report from the path and returns a
:class:`~framing.report.data.Report`; :func:`write_report` writes the rendered
page atomically. Nothing here prints.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from framing.batch import DEFAULT_MAX_BYTES
from framing.errors import FramingError, InputError
from framing.report import DEFAULT_DETAILS, DEFAULT_EVIDENCE
from framing.report.data import Report, article_section, folder_summary
from framing.scores import ScoreRow, is_scores_file, read_scores

# Bad rows of a scores file named one by one in the notes; the rest are counted.
MAX_SKIPPED_NOTES = 10


def article_report(
    path: str | Path, model, *, evidence: int = DEFAULT_EVIDENCE, max_bytes: int = DEFAULT_MAX_BYTES
) -> Report:
    """The report of one article file.

    Parameters
    ----------
    path : str or Path
        An article file.
    model : FramingModel
        The model to score it with.
    evidence : int
        N-grams of evidence per sentence.
    max_bytes : int
        Refuse a larger file.

    Returns
    -------
    Report

    Raises
    ------
    InputError
        If the file cannot be read, is too large or holds no sentence.
    """
    from framing.scoring import score_article
    from framing.text import read_article

    article = read_article(path, max_bytes=max_bytes)
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
    max_bytes: int = DEFAULT_MAX_BYTES,
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
    max_bytes : int
        Larger files become error rows.
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
    from framing.batch import score_folder
    from framing.scoring import score_articles
    from framing.text import read_article

    folder = Path(folder)
    rows = score_folder(folder, jobs=jobs, model=model, max_bytes=max_bytes)
    summary = folder_summary(_tapped(rows, on_row) if on_row is not None else rows)
    if not summary.files:
        raise InputError(f"no article files (.txt, .md, .html, .htm) in {folder}", reason="empty")

    shown, texts, notes = [], [], []
    for row in both_ends(summary.rows, details):
        try:
            article = read_article(folder / row.path, max_bytes=max_bytes)
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
    if len(summary.rows) > max(details, 0):
        notes.append(
            f"The highlighted text is shown for {max(details, 0):,} of the {len(summary.rows):,} scored "
            "articles: the most rights-leaning and the most enforcement-leaning, in table order."
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


def both_ends(rows: Sequence[ScoreRow], count: int) -> list[ScoreRow]:
    """``count`` rows of a table sorted by slant, half from each end, in table order.

    Examples
    --------
    >>> [row for row in both_ends(list("abcdefg"), 3)]
    ['a', 'b', 'g']
    """
    count = max(count, 0)
    if count >= len(rows):
        return list(rows)
    head = (count + 1) // 2
    return list(rows[:head]) + list(rows[len(rows) - (count - head):]) if count - head else list(rows[:head])


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
    max_bytes: int = DEFAULT_MAX_BYTES,
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
    max_bytes : int
        Refuse an article larger than this (in a folder, it becomes an error row).
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
        return folder_report(path, model, details=details, max_bytes=max_bytes, on_row=on_row)
    return replace(article_report(path, model, max_bytes=max_bytes), model=_model_name(model))


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
        # backslashreplace: a file name that is not valid UTF-8 shows as \\udcNN, never an error.
        handle = tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", errors="backslashreplace", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
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
