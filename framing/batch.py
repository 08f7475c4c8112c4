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

import csv
import fnmatch
import io
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from framing.errors import FramingError, InputError

DEFAULT_PATTERNS: tuple[str, ...] = ("*.txt", "*.md", "*.html", "*.htm")
DEFAULT_MAX_BYTES = 5_000_000
# Files a worker handles per task: enough sentences to make one model call efficient,
# few enough that progress moves and little is redone after a kill.
CHUNK_FILES = 200
# Below this many files to score, worker start-up costs more than it saves (measured in
# benchmarks/bench_score.py: 1,000 files took 2.7 s in one process, 3.8 s on two workers).
SMALL_RUN_FILES = 3000
ROW_FIELDS: tuple[str, ...] = (
    "path", "title", "sentences", "enforcement", "rights", "neutral",
    "slant", "slant_low", "slant_high", "error",
)
OUTPUT_SUFFIXES = (".jsonl", ".csv")


def iter_article_paths(folder: str | Path, patterns: Sequence[str] = DEFAULT_PATTERNS) -> Iterator[str]:
    """Paths (relative to ``folder``, with ``/``) of the article files below it, in a stable order.

    Folders and files are visited in sorted order; links to folders are not
    followed (no loops), links to files are listed, broken ones too, so they
    get an error row.

    Parameters
    ----------
    folder : str or Path
        The folder to walk.
    patterns : sequence of str
        Shell patterns matched against file names.

    Yields
    ------
    str
        One relative path per matching file.
    """
    folder = Path(folder)
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        relative_root = Path(root).relative_to(folder)
        for name in sorted(files):
            if any(fnmatch.fnmatch(name, pattern) for pattern in patterns):
                yield (relative_root / name).as_posix()


def score_folder(
    folder: str | Path,
    output: str | Path | None = None,
    *,
    jobs: int | None = None,
    patterns: Sequence[str] = DEFAULT_PATTERNS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    overwrite: bool = False,
    model_path: str | Path | None = None,
    dask_scheduler: str | None = None,
    chunk_files: int = CHUNK_FILES,
) -> Iterator[dict]:
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
    model_path : str or Path, optional
        A model written by ``framing train``; the shipped model by default.
        With Dask, the workers must be able to read it at the same path.
    dask_scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``); the chunks then run
        on that cluster (needs ``pip install framing[dask]``).
    chunk_files : int
        Files per task.

    Yields
    ------
    dict
        A row with the fields in :data:`ROW_FIELDS`, for each file scored in
        this run (in the folder's stable order).

    Raises
    ------
    FramingError
        If the folder is missing, the output's extension is unknown, or the
        model cannot be loaded.

    Examples
    --------
    >>> rows = list(score_folder("corpus/articles", jobs=1))  # doctest: +SKIP
    >>> rows[0]["slant"]  # doctest: +SKIP
    0.4132
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FramingError(f"not a folder: {folder}")
    writer = RowWriter(output, overwrite=overwrite) if output is not None else None
    from framing.model import default_model_path, load_model

    model_path = Path(model_path) if model_path is not None else default_model_path()
    load_model(model_path)  # fail early, in this process, on a missing or untrusted model
    done = writer.done if writer is not None else frozenset()
    todo = (path for path in iter_article_paths(folder, patterns) if path not in done)
    chunks = _chunked(todo, chunk_files)
    task = dict(folder=str(folder), max_bytes=max_bytes, model_path=str(model_path))
    try:
        for rows in _run_chunks(chunks, task, jobs, dask_scheduler):
            for row in rows:
                if writer is not None:
                    writer.write(row)
                yield row
    finally:
        if writer is not None:
            writer.close()


def _run_chunks(chunks: Iterator[list[str]], task: dict, jobs: int | None, dask_scheduler: str | None):
    if jobs is None and dask_scheduler is None:
        # Starting workers costs each one a scikit-learn import and a model load (about
        # 2 s on two cores), which small runs never win back: score those in-process.
        head = list(islice(chunks, SMALL_RUN_FILES // CHUNK_FILES + 1))
        chunks = chain(head, chunks)
        if sum(len(chunk) for chunk in head) < SMALL_RUN_FILES:
            jobs = 1
    jobs = jobs or os.cpu_count() or 1
    if dask_scheduler is None and jobs == 1:
        for chunk in chunks:
            yield score_chunk(chunk, **task)
        return
    from joblib import Parallel, delayed, parallel_config

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


_MODELS: dict[str, object] = {}


def score_chunk(paths: Sequence[str], folder: str, max_bytes: int, model_path: str) -> list[dict]:
    """Read, split and score some files of ``folder``; the unit of work a worker runs.

    The model is loaded once per worker process and kept.
    """
    from framing.model import load_model
    from framing.scoring import score_sentence_lists
    from framing.text import read_article, split_sentences

    model = _MODELS.get(model_path)
    if model is None:
        model = _MODELS[model_path] = load_model(model_path)
    rows: list[dict | None] = []
    ready: list[tuple[int, str, list[str]]] = []  # (row index, title, sentences)
    for path in paths:
        try:
            article = read_article(Path(folder) / path, max_bytes=max_bytes)
            sentences = split_sentences(article.text)
            if not sentences:
                raise InputError("no sentences", reason="empty")
        except InputError as error:
            rows.append(error_row(path, error.reason))
            continue
        except Exception as error:  # an unexpected failure costs one row, never the run
            rows.append(error_row(path, f"failed: {type(error).__name__}"))
            continue
        ready.append((len(rows), article.title or "", sentences))
        rows.append(None)
    scores = score_sentence_lists(model, [sentences for _, _, sentences in ready])
    for (index, title, sentences), score in zip(ready, scores):
        rows[index] = {
            "path": paths[index],
            "title": " ".join(title.split()),
            "sentences": len(sentences),
            "enforcement": round(score.shares.get("enforcement", 0.0), 4),
            "rights": round(score.shares.get("rights", 0.0), 4),
            "neutral": round(score.shares.get("neutral", 0.0), 4),
            "slant": round(score.slant, 4),
            "slant_low": round(score.slant_interval[0], 4),
            "slant_high": round(score.slant_interval[1], 4),
            "error": "",
        }
    return rows  # type: ignore[return-value]


def error_row(path: str, reason: str) -> dict:
    """The row of a file that could not be scored."""
    row: dict = {name: None for name in ROW_FIELDS}
    row.update(path=path, title="", sentences=0, error=reason)
    return row


def _chunked(items: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- output ---------------------------------------------------------------------


class RowWriter:
    """Appends rows to a ``.jsonl`` or ``.csv`` file, flushing each, resuming what is there.

    Opening an existing file drops a torn last line (a row cut short by a
    kill) and collects the paths that already have a row in :attr:`done`.

    Parameters
    ----------
    path : str or Path
        The output file; its suffix picks the format.
    overwrite : bool
        Empty the file first instead of resuming.
    """

    def __init__(self, path: str | Path, *, overwrite: bool = False) -> None:
        self.path = Path(path)
        self.format = self.path.suffix.lower()
        if self.format not in OUTPUT_SUFFIXES:
            raise FramingError(f"unknown output extension {self.path.suffix!r}: use .jsonl or .csv")
        if overwrite or not self.path.exists():
            self.done: frozenset[str] = frozenset()
            self._handle = open(self.path, "w", encoding="utf-8", newline="")
            if self.format == ".csv":
                self._handle.write(_csv_line(ROW_FIELDS))
        else:
            self.done = frozenset(_resume(self.path, self.format))
            self._handle = open(self.path, "a", encoding="utf-8", newline="")
        self._handle.flush()

    def write(self, row: dict) -> None:
        if self.format == ".jsonl":
            line = json.dumps(row, ensure_ascii=False) + "\n"
        else:
            line = _csv_line("" if row[name] is None else row[name] for name in ROW_FIELDS)
        # One write of one whole line, then flush: a kill leaves at most a torn last line.
        self._handle.write(line)
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


def _csv_line(values: Iterable) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(list(values))
    return buffer.getvalue()


def _resume(path: Path, fmt: str) -> Iterator[str]:
    """Drop a torn last line of ``path`` and yield the paths its rows cover."""
    _drop_torn_line(path)
    if fmt == ".csv" and path.stat().st_size == 0:
        # Nothing survived, not even the header: write it again.
        path.write_text(_csv_line(ROW_FIELDS), encoding="utf-8")
    yield from read_scored_paths(path)


def _drop_torn_line(path: Path) -> None:
    with open(path, "rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if not size:
            return
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return
        position = size - 1
        while position > 0:  # back to the last complete line, a block at a time
            step = min(65536, position)
            handle.seek(position - step)
            newline = handle.read(step).rfind(b"\n")
            if newline >= 0:
                position = position - step + newline + 1
                break
            position -= step
        handle.truncate(position)


def read_scored_paths(path: str | Path) -> Iterator[str]:
    """The ``path`` of every complete row of a score file (a torn last line is ignored).

    Raises
    ------
    FramingError
        If the file is not a framing score file.
    """
    path = Path(path)
    fmt = path.suffix.lower()
    with open(path, encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.endswith("\n"))
        if fmt == ".csv":
            reader = csv.reader(lines)
            header = next(reader, None)
            if header is not None and list(header) != list(ROW_FIELDS):
                raise FramingError(f"{path} is not a framing score file (unexpected header); use --overwrite")
            for record in reader:
                if record:
                    yield record[0]
        else:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)["path"]
                except (ValueError, KeyError, TypeError):
                    raise FramingError(f"{path} line {number} is not a framing row; use --overwrite") from None


def count_pending(
    folder: str | Path,
    output: str | Path | None = None,
    *,
    patterns: Sequence[str] = DEFAULT_PATTERNS,
    overwrite: bool = False,
) -> tuple[int, int]:
    """How many article files ``folder`` holds, and how many of them ``output`` already covers.

    Reads without changing anything, so a progress display can size itself
    before :func:`score_folder` starts.
    """
    done: set[str] = set()
    if output is not None and not overwrite and Path(output).exists():
        done = set(read_scored_paths(output))
    total = already = 0
    for path in iter_article_paths(folder, patterns):
        total += 1
        already += path in done
    return total, already


# --- summary --------------------------------------------------------------------


@dataclass
class Summary:
    """Running totals of a scoring run, for the report at its end.

    Examples
    --------
    >>> summary = Summary()
    >>> summary.add({"error": "", "slant": 0.5})
    >>> summary.add({"error": "binary", "slant": None})
    >>> summary.scored, summary.failed, summary.reasons["binary"]
    (1, 1, 1)
    """

    scored: int = 0
    failed: int = 0
    reasons: Counter = field(default_factory=Counter)
    slant_sum: float = 0.0
    bins: list[int] = field(default_factory=lambda: [0] * 10)

    def add(self, row: dict) -> None:
        if row["error"]:
            self.failed += 1
            self.reasons[row["error"]] += 1
            return
        self.scored += 1
        self.slant_sum += row["slant"]
        # Ten bins of width 0.2 over [-1, 1]; +1 falls in the last.
        self.bins[min(int((row["slant"] + 1.0) / 0.2), 9)] += 1

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
