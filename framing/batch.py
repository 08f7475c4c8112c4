"""Scoring a whole folder of articles: fast, parallel, resumable, losing nothing.

:func:`score_folder` walks a folder in a stable order and yields one row per
article file. Files go to worker processes in chunks; a worker reads and
splits its chunk's files, classifies all their sentences in one call of the
vectorizer and the model, and returns finished rows. A bad file becomes a row
with ``error`` set to a short reason; the run goes on.

With an output file, rows are appended and flushed as they are produced. A
run that was killed resumes when started again on the same output: the torn
last line (if any) is dropped and the files that already have a row are
skipped, so no file ends up with two rows.

The work is an iterator of rows and knows nothing of display: the CLI draws
the progress bar and the summary from what it yields.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import NamedTuple
from pathlib import Path

from framing.errors import FramingError, InputError
from framing.scores import RowWriter, ScoreRow, iter_rows, previous_start, recorded_settings, settings_path

from framing.defaults import CHUNK_FILES, DEFAULT_MAX_BYTES, DEFAULT_PATTERNS, SMALL_RUN_FILES


def iter_article_paths(
    folder: str | Path, patterns: Sequence[str] = DEFAULT_PATTERNS, *, exclude: Iterable[str | Path] = ()
) -> Iterator[str]:
    """Paths (relative to ``folder``, with ``/``) of the article files below it, in a stable order.

    Folders and files are visited in sorted order; links to folders are not
    followed (no loops), links to files are listed, broken ones too, so they
    get an error row. A sub-folder that cannot be read is listed as its path
    with a trailing ``/``, so it gets an error row instead of vanishing. Patterns
    match names without regard to case (``STORY.TXT`` is a ``*.txt``). framing's
    own outputs are skipped: the files in ``exclude`` and HTML reports it wrote.

    Parameters
    ----------
    folder : str or Path
        The folder to walk.
    patterns : sequence of str
        Shell patterns matched against file names, ignoring case.
    exclude : iterable of str or Path
        Files never to list (a scores file being written, say).

    Yields
    ------
    str
        One relative path per matching file (or unreadable sub-folder).
    """
    folder = Path(folder)
    matches = re.compile("|".join(f"(?:{fnmatch.translate(pattern)})" for pattern in patterns), re.IGNORECASE)
    excluded = {os.path.realpath(path) for path in exclude}
    unreadable: list[str] = []
    for root, dirs, files in os.walk(folder, followlinks=False, onerror=lambda error: unreadable.append(error.filename)):
        dirs.sort()
        relative_root = Path(root).relative_to(folder)
        # A folder os.walk could not list is reported where it would have been walked.
        while unreadable:
            failed = Path(unreadable.pop())
            yield (failed.relative_to(folder).as_posix() if failed != folder else ".") + "/"
        for name in sorted(files):
            if not matches.fullmatch(name):
                continue
            path = Path(root) / name
            if excluded and os.path.realpath(path) in excluded or is_framing_report(path):
                continue
            yield (relative_root / name).as_posix()
    while unreadable:
        failed = Path(unreadable.pop())
        yield (failed.relative_to(folder).as_posix() if failed != folder else ".") + "/"


REPORT_MARKER = b'<meta name="generator" content="framing'


def is_framing_report(path: Path) -> bool:
    """Whether ``path`` is an HTML report framing wrote (its head carries framing's generator tag)."""
    if path.suffix.lower() not in (".html", ".htm"):
        return False
    try:
        # Non-blocking, so a FIFO named like a page is never waited on (it gets an error row later).
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return False
        try:
            return REPORT_MARKER in handle.read(2048)
        except OSError:
            return False


def score_folder(
    folder: str | Path,
    output: str | Path | None = None,
    *,
    jobs: int | None = None,
    patterns: Sequence[str] = DEFAULT_PATTERNS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    overwrite: bool = False,
    retry_errors: bool = False,
    model=None,
    dask_scheduler: str | None = None,
    chunk_files: int = CHUNK_FILES,
) -> Iterator[ScoreRow]:
    """Score every article file in a folder; yield (and write) one row per file.

    Parameters
    ----------
    folder : str or Path
        The folder, walked recursively.
    output : str or Path, optional
        A ``.jsonl`` or ``.csv`` file to append rows to. When it already holds
        rows (and ``overwrite`` is false) the run resumes: files with a row
        are skipped.
    jobs : int, optional
        Worker processes; by default all cores, or this process alone when
        fewer than ``SMALL_RUN_FILES`` files are to be scored. 1 scores in this
        process.
    patterns : sequence of str
        File-name patterns to score.
    max_bytes : int
        Files larger than this become error rows.
    overwrite : bool
        Start the output afresh instead of resuming.
    retry_errors : bool
        When resuming, score again the files that have an error row (their
        old rows are dropped from the output).
    model : FramingModel, optional
        The loaded model (the shipped model by default). Worker processes load
        it again from the file it was loaded from (a model fitted in memory is
        saved to a temporary file for them); with Dask, the workers must be
        able to read that file at the same path.
    dask_scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``); the chunks then run
        on that cluster (needs ``pip install framing[dask]``).
    chunk_files : int
        Files per task.

    Yields
    ------
    ScoreRow
        One row for each file scored in
        this run (in the folder's stable order).

    Raises
    ------
    FramingError
        If the folder is missing, the output's extension is unknown, the
        output was written with another model or other settings, or the model
        cannot be loaded.

    Examples
    --------
    >>> rows = list(score_folder("corpus/articles", jobs=1))  # doctest: +SKIP
    >>> rows[0].slant  # doctest: +SKIP
    0.4132
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FramingError(f"not a folder: {folder}")
    if model is None:
        from framing.model import load_model

        model = load_model()  # fail early, before any output exists, on a missing or untrusted model
    writer = None
    if output is not None:
        settings = run_settings(model, patterns, max_bytes)
        writer = RowWriter(output, overwrite=overwrite, settings=settings, retry_errors=retry_errors,
                           changed=lambda path, since: changed_since(folder, path, since))
    done = writer.done if writer is not None else frozenset()
    exclude = [output, settings_path(output)] if output is not None else []
    todo = (path for path in iter_article_paths(folder, patterns, exclude=exclude) if path not in done)
    chunks = _chunked(todo, chunk_files)
    task = dict(folder=str(folder), max_bytes=max_bytes)
    try:
        for rows in _run_chunks(chunks, task, model, jobs, dask_scheduler):
            for row in rows:
                if writer is not None:
                    writer.write(row)
                yield row
    finally:
        if writer is not None:
            writer.close()


def changed_since(folder: Path, path: str, since: float) -> bool:
    """Whether ``folder/path`` was modified at or after ``since``, so its row is stale.

    A broken link is judged by the link itself; a file that is gone keeps its row.
    """
    target = Path(folder) / path.rstrip("/")
    for stat_of in (os.stat, os.lstat):
        try:
            return stat_of(target).st_mtime >= since
        except OSError:
            continue
    return False


def run_settings(model, patterns: Sequence[str], max_bytes: int) -> dict:
    """What a run's rows depend on, recorded beside its output so a resume uses the same."""
    from framing.card import sha256_file

    source = getattr(model, "source_path_", None)
    return {
        "model_sha256": sha256_file(source) if source is not None else None,
        "patterns": sorted(patterns),
        "max_bytes": max_bytes,
    }


def _run_chunks(chunks: Iterator[list[str]], task: dict, model, jobs: int | None, dask_scheduler: str | None):
    if jobs is None and dask_scheduler is None:
        # Starting workers costs each one a scikit-learn import and a model load (about
        # 2 s on two cores), which small runs never win back: score those in-process.
        head = list(islice(chunks, SMALL_RUN_FILES // CHUNK_FILES + 1))
        chunks = chain(head, chunks)
        if sum(len(chunk) for chunk in head) < SMALL_RUN_FILES:
            jobs = 1
    if dask_scheduler is None:
        # More workers than cores only add start-up time and memory, and more than chunks sit idle.
        head = list(islice(chunks, (os.cpu_count() or 1) + 1))
        chunks = chain(head, chunks)
        jobs = max(1, min(jobs or os.cpu_count() or 1, os.cpu_count() or 1, len(head)))
    if dask_scheduler is None and jobs == 1:
        for chunk in chunks:
            yield score_chunk(chunk, model=model, **task)
        return
    from joblib import Parallel, delayed, parallel_config

    task = _worker_task(task, model)
    if dask_scheduler is not None:
        try:
            from distributed import Client
        except ImportError:
            raise FramingError("--dask-scheduler needs Dask: pip install 'framing[dask]'") from None
        try:
            client = Client(dask_scheduler, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise FramingError(f"cannot reach the Dask scheduler at {dask_scheduler}: {error}") from None
        with client, parallel_config(backend="dask"):
            yield from Parallel(return_as="generator", pre_dispatch="2*n_jobs")(
                delayed(score_chunk)(chunk, **task) for chunk in chunks
            )
        return
    # A bounded queue of chunks in flight keeps memory flat however large the folder.
    yield from Parallel(n_jobs=jobs, return_as="generator", pre_dispatch="2*n_jobs")(
        delayed(score_chunk)(chunk, **task) for chunk in chunks
    )


def _worker_task(task: dict, model) -> dict:
    """What a worker needs to score: the model's file to load once, or (fitted in memory) the model."""
    path = getattr(model, "source_path_", None)
    return dict(task, model_path=str(path)) if path is not None else dict(task, model=model)


# The warning of a row whose text does not read as English: its labels mean little.
NOT_ENGLISH = "not English?"
_MODELS: dict[str, object] = {}
_WATCHING: list[int] = []


def _exit_with_parent() -> None:
    """In a worker: exit as soon as the process that started it is gone (killed with -9, say).

    A worker is re-parented when its parent dies; a daemon thread notices within
    a second, so no orphan keeps memory and CPU after the run is killed.
    """
    if _WATCHING:
        return
    parent = os.getppid()
    _WATCHING.append(parent)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="framing-parent-watch", daemon=True).start()


def score_chunk(
    paths: Sequence[str], folder: str, max_bytes: int, model=None, model_path: str | None = None
) -> list[ScoreRow]:
    """Read, split and score some files of ``folder``; the unit of work a worker runs.

    In this process it scores with ``model``; a worker loads ``model_path``
    once and keeps it.
    """
    from framing.model import load_model
    from framing.scoring import score_sentence_lists
    from framing.text import looks_like_english, read_article, split_sentences

    if model is None:  # in a worker process
        _exit_with_parent()
        model = _MODELS.get(model_path)
        if model is None:
            model = _MODELS[model_path] = load_model(model_path)
    rows: list[ScoreRow | None] = []
    ready: list[tuple[int, str, list[str]]] = []  # (row index, title, sentences)
    for path in paths:
        if path.endswith("/"):  # a sub-folder that could not be listed
            rows.append(ScoreRow.failed(path, "unreadable folder"))
            continue
        try:
            article = read_article(Path(folder) / path, max_bytes=max_bytes)
            sentences = split_sentences(article.text)
            if not sentences:
                raise InputError("no sentences", reason="empty")
        except InputError as error:
            rows.append(ScoreRow.failed(path, error.reason))
            continue
        except Exception as error:  # an unexpected failure costs one row, never the run
            rows.append(ScoreRow.failed(path, f"failed: {type(error).__name__}"))
            continue
        warning = "" if looks_like_english(article.text) else NOT_ENGLISH
        ready.append((len(rows), article.title or "", sentences, warning))
        rows.append(None)
    scores = score_sentence_lists(model, [sentences for _, _, sentences, _ in ready])
    for (index, title, _, warning), score in zip(ready, scores):
        rows[index] = ScoreRow.scored(paths[index], title, score, warning=warning)
    return rows  # type: ignore[return-value]


def _chunked(items: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Pending(NamedTuple):
    """What a folder holds against what an output already covers (see :func:`count_pending`)."""

    total: int  # article files in the folder
    already: int  # of them, files the output already has a row for
    failed: int  # of those, error rows (they count as failures of the whole output)


def count_pending(
    folder: str | Path,
    output: str | Path | None = None,
    *,
    patterns: Sequence[str] = DEFAULT_PATTERNS,
    overwrite: bool = False,
    retry_errors: bool = False,
) -> Pending:
    """How many article files ``folder`` holds, and how many of them ``output`` already covers.

    Reads without changing anything, so a progress display can size itself
    before :func:`score_folder` starts.
    """
    done: dict[str, bool] = {}
    if output is not None and not overwrite and Path(output).exists():
        done = {row.path: bool(row.error) for _, row in iter_rows(output)}
        if retry_errors:
            done = {path: False for path, failed in done.items() if not failed}
        since = previous_start(recorded_settings(output))
        if since is not None:
            done = {path: failed for path, failed in done.items() if not changed_since(Path(folder), path, since)}
    total = already = failed = 0
    exclude = [output, settings_path(output)] if output is not None else []
    for path in iter_article_paths(folder, patterns, exclude=exclude):
        total += 1
        if path in done:
            already += 1
            failed += done[path]
    return Pending(total, already, failed)


# --- summary --------------------------------------------------------------------


@dataclass
class Summary:
    """Running totals of a scoring run, for the report at its end.

    Examples
    --------
    >>> summary = Summary()
    >>> summary.add(ScoreRow("a.txt", sentences=1, enforcement=0.5, rights=0.0, neutral=0.5,
    ...                      slant=0.5, slant_low=0.0, slant_high=1.0))
    >>> summary.add(ScoreRow.failed("b.html", "binary"))
    >>> summary.scored, summary.failed, summary.reasons["binary"]
    (1, 1, 1)
    """

    scored: int = 0
    failed: int = 0
    reasons: Counter = field(default_factory=Counter)
    warnings: Counter = field(default_factory=Counter)
    slant_sum: float = 0.0
    bins: list[int] = field(default_factory=lambda: [0] * 10)

    def add(self, row: ScoreRow) -> None:
        if row.error:
            self.failed += 1
            self.reasons[row.error] += 1
            return
        self.scored += 1
        if row.warning:
            self.warnings[row.warning] += 1
        self.slant_sum += row.slant
        # Ten bins of width 0.2 over [-1, 1]; +1 falls in the last.
        self.bins[min(int((row.slant + 1.0) / 0.2), 9)] += 1

    @property
    def mean_slant(self) -> float | None:
        return self.slant_sum / self.scored if self.scored else None

    def histogram(self, width: int = 40) -> list[str]:
        """A text histogram of slants, one line per bin of width 0.2."""
        peak = max(self.bins) or 1
        lines = []
        for index, count in enumerate(self.bins):
            low = -1.0 + 0.2 * index
            bar = "#" * round(width * count / peak)
            lines.append(f"{low:+.1f} to {low + 0.2:+.1f} | {bar} {count}")
        return lines
