"""The scores file: one row per article, as ``framing score`` writes it and ``framing report`` reads it.

A row is a :class:`ScoreRow`. The file is JSON Lines (``.jsonl``, one object
per line) or CSV (``.csv``, a header then one record per line); both hold the
fields of :data:`FIELDS` in that order. :class:`RowWriter` appends rows and
flushes each one, so a killed run leaves at most a torn last line, which every
reader here ignores. :func:`read_scores` reads a whole file and checks every
value, so a file a person has edited is either read as it is meant or refused
with the row and the fault named. Adding a column edits this module only.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from framing.errors import FramingError, InputError

FIELDS: tuple[str, ...] = (
    "path", "title", "sentences", "enforcement", "rights", "neutral",
    "slant", "slant_low", "slant_high", "quoted_share", "reporter_slant", "quoted_slant", "sources", "warning",
    "error",
)
# Sources a CSV cell names ("Thomas Decker (3, +0.412); ..."); JSONL keeps them all.
CSV_SOURCES = 3
from framing.defaults import SCORES_SUFFIXES as SUFFIXES
# Decimals kept in a row: ample for shares and slants, and short lines.
DECIMALS = 4
_SHARES = ("enforcement", "rights", "neutral")
_SLANTS = ("slant", "slant_low", "slant_high")
_VOICES = ("quoted_share", "reporter_slant", "quoted_slant")
_CSV_SOURCE = re.compile(r"(?P<speaker>.+?) \((?P<sentences>\d+), (?P<slant>[+-]\d+\.\d+)\)")
_BOM = "\ufeff"


class ScoresFileError(InputError):
    """A scores file cannot be read, or a row of it is not one framing wrote."""

    def __init__(self, message: str, reason: str = "not scores") -> None:
        super().__init__(message, reason=reason)


@dataclass(frozen=True)
class ScoreRow:
    """The score of one article file, or why it has none.

    Parameters
    ----------
    path : str
        The file's path relative to the scored folder, with ``/``.
    title : str
        The article's title, on one line; empty when it has none.
    sentences : int
        Sentences scored; 0 for an error row.
    enforcement, rights, neutral : float or None
        Shares of the sentences with each label; None for an error row.
    slant, slant_low, slant_high : float or None
        The article's slant and its 95% interval; None for an error row.
    quoted_share : float or None
        Share of sentences carrying a direct quotation.
    reporter_slant, quoted_slant : float or None
        Slant of the reporter's own sentences and of the quoted ones (None when
        the article has none of that voice).
    sources : tuple of dict
        The quoted speakers, most sentences first: ``speaker``, ``role``,
        ``sentences``, ``slant`` (a CSV keeps the first :data:`CSV_SOURCES`,
        without roles).
    warning : str
        Something a reader should know about a scored row ("not English?");
        empty when nothing.
    error : str
        Why the file could not be scored (``"empty"``, ``"binary"``, ...);
        empty for a scored row.

    Examples
    --------
    >>> row = ScoreRow.failed("a/story.txt", "empty")
    >>> row.error, row.slant
    ('empty', None)
    >>> ScoreRow.from_record(row.to_dict()) == row
    True
    """

    path: str
    title: str = ""
    sentences: int = 0
    enforcement: float | None = None
    rights: float | None = None
    neutral: float | None = None
    slant: float | None = None
    slant_low: float | None = None
    slant_high: float | None = None
    quoted_share: float | None = None
    reporter_slant: float | None = None
    quoted_slant: float | None = None
    sources: tuple[dict, ...] = ()
    warning: str = ""
    error: str = ""

    @classmethod
    def scored(cls, path: str, title: str | None, score, warning: str = "") -> ScoreRow:
        """The row of an article scored as ``score`` (an :class:`~framing.slant.ArticleScore`)."""
        low, high = score.slant_interval
        voices = score.voices or {}

        def voice_slant(name: str) -> float | None:
            value = voices.get(name, {}).get("slant")
            return None if value is None else round(value, DECIMALS)

        sources = tuple(
            {"speaker": source["speaker"], "role": source.get("role"), "sentences": source["sentences"],
             "slant": round(source["slant"], DECIMALS)}
            for source in score.sources
        )
        return cls(
            path=path,
            title=" ".join((title or "").split()),
            sentences=len(score.sentences),
            enforcement=round(score.shares.get("enforcement", 0.0), DECIMALS),
            rights=round(score.shares.get("rights", 0.0), DECIMALS),
            neutral=round(score.shares.get("neutral", 0.0), DECIMALS),
            slant=round(score.slant, DECIMALS),
            slant_low=round(low, DECIMALS),
            slant_high=round(high, DECIMALS),
            quoted_share=round(score.quoted_share, DECIMALS),
            reporter_slant=voice_slant("reporter"),
            quoted_slant=voice_slant("quoted"),
            sources=sources,
            warning=warning,
        )

    @classmethod
    def failed(cls, path: str, reason: str) -> ScoreRow:
        """The row of a file that could not be scored."""
        return cls(path=path, error=reason)

    @classmethod
    def from_record(cls, record: Mapping) -> ScoreRow:
        """Check and type a row read back from JSON (values typed) or CSV (values as text).

        Raises
        ------
        ValueError
            Naming the field and what is wrong with it.
        """
        missing = [name for name in FIELDS if name not in record]
        if missing:
            raise ValueError(f"missing field {missing[0]!r}")
        path = record["path"]
        if not isinstance(path, str) or not path:
            raise ValueError("'path' must be a non-empty text")
        error = _text(record, "error")
        values = {name: _number(record, name) for name in (*_SHARES, *_SLANTS, *_VOICES)}
        sentences = _count(record)
        row = cls(path=path, title=_text(record, "title"), sentences=sentences, error=error,
                  sources=_sources(record["sources"]), warning=_text(record, "warning"), **values)
        row._check()
        return row

    def _check(self) -> None:
        numbers = {name: getattr(self, name) for name in (*_SHARES, *_SLANTS)}
        voices = {name: getattr(self, name) for name in _VOICES}
        if self.error:
            present = [name for name, value in {**numbers, **voices}.items() if value is not None]
            present += ["sources"] if self.sources else []
            if present or self.sentences:
                raise ValueError(f"an error row has no scores, but {(present or ['sentences'])[0]!r} is set")
            return
        for name, value in numbers.items():
            if value is None:
                raise ValueError(f"a scored row needs {name!r}")
        if self.sentences < 1:
            raise ValueError("a scored row needs 'sentences' of at least 1")
        for name in _SHARES:
            if not 0.0 <= numbers[name] <= 1.0:
                raise ValueError(f"{name!r} is {numbers[name]}, not a share between 0 and 1")
        for name in _SLANTS:
            if not -1.0 <= numbers[name] <= 1.0:
                raise ValueError(f"{name!r} is {numbers[name]}, not a slant between -1 and +1")
        if not self.slant_low <= self.slant <= self.slant_high:  # type: ignore[operator]
            raise ValueError("'slant' is not between 'slant_low' and 'slant_high'")
        if voices["quoted_share"] is not None and not 0.0 <= voices["quoted_share"] <= 1.0:
            raise ValueError(f"'quoted_share' is {voices['quoted_share']}, not a share between 0 and 1")
        for name in ("reporter_slant", "quoted_slant"):
            if voices[name] is not None and not -1.0 <= voices[name] <= 1.0:
                raise ValueError(f"{name!r} is {voices[name]}, not a slant between -1 and +1")

    def to_dict(self) -> dict:
        """The row as a dict, fields in file order (``sources`` as a list)."""
        values = {name: getattr(self, name) for name in FIELDS}
        values["sources"] = [dict(source) for source in self.sources]
        return values

    def to_json(self) -> str:
        """The row as one JSON line (without the newline).

        A file name that is not valid UTF-8 (its bytes kept as lone surrogates,
        as Python reads such names) is written with ``\\udcXX`` escapes, which
        read back to the same name.
        """
        try:
            self.path.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(self.to_dict(), ensure_ascii=True)
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def to_csv(self) -> str:
        """The row as one CSV record, newline included; None is written as an empty cell."""
        values = {name: getattr(self, name) for name in FIELDS}
        values["sources"] = "; ".join(
            f"{source['speaker']} ({source['sentences']}, {source['slant']:+.3f})" for source in self.sources[:CSV_SOURCES]
        )
        return _csv_line("" if values[name] is None else values[name] for name in FIELDS)


assert tuple(field.name for field in fields(ScoreRow)) == FIELDS


def _text(record: Mapping, name: str) -> str:
    value = record[name]
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{name!r} must be text")
    return value


def _number(record: Mapping, name: str) -> float | None:
    value = record[name]
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{name!r} must be a number")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name!r} is {value!r}, not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name!r} is {value!r}, not a finite number")
    return number


def _sources(value) -> tuple[dict, ...]:
    """Sources from JSON (a list of objects) or from a CSV cell ("name (n, +0.123); ...")."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        entries = []
        for part in value.split("; "):
            match = _CSV_SOURCE.fullmatch(part)
            if match is None:
                raise ValueError(f"'sources' entry {part!r} is not 'name (sentences, slant)'")
            entries.append({"speaker": match["speaker"], "role": None, "sentences": int(match["sentences"]),
                            "slant": float(match["slant"])})
        return tuple(entries)
    if not isinstance(value, list):
        raise ValueError("'sources' must be a list")
    entries = []
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("speaker"), str):
            raise ValueError("each of 'sources' needs a 'speaker'")
        sentences, slant = entry.get("sentences"), entry.get("slant")
        if isinstance(sentences, bool) or not isinstance(sentences, int) or sentences < 1:
            raise ValueError("each of 'sources' needs 'sentences' of at least 1")
        if isinstance(slant, bool) or not isinstance(slant, (int, float)) or not -1.0 <= slant <= 1.0:
            raise ValueError("each of 'sources' needs a 'slant' between -1 and +1")
        role = entry.get("role")
        entries.append({"speaker": entry["speaker"], "role": role if isinstance(role, str) else None,
                        "sentences": sentences, "slant": float(slant)})
    return tuple(entries)


def _count(record: Mapping) -> int:
    value = record["sentences"]
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        raise ValueError("'sentences' must be a whole number")
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"'sentences' is {value!r}, not a whole number") from None
    if count < 0:
        raise ValueError(f"'sentences' is {count}, below 0")
    return count


def _csv_line(values: Iterable) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(list(values))
    return buffer.getvalue()


def is_scores_file(path: str | Path) -> bool:
    """Whether ``path`` names a scores file (``.jsonl``/``.csv``) rather than an article or folder."""
    path = Path(path)
    return path.suffix.lower() in SUFFIXES and not path.is_dir()


def check_suffix(path: str | Path) -> str:
    """The format of a scores file from its suffix (``".jsonl"`` or ``".csv"``).

    Raises
    ------
    FramingError
        For any other suffix.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise FramingError(f"unknown output extension {Path(path).suffix!r}: use .jsonl or .csv")
    return suffix


# --- reading ----------------------------------------------------------------------


def iter_rows(path: str | Path) -> Iterator[tuple[int, ScoreRow]]:
    """Each complete row of a scores file with its line number, checked; a torn last line is ignored.

    Raises
    ------
    ScoresFileError
        If the file cannot be read or a line is not a framing row (the message
        names the line and the fault).
    """
    for number, row in _checked_lines(Path(path)):
        if isinstance(row, str):
            raise ScoresFileError(row)
        yield number, row


def _checked_lines(path: Path) -> Iterator[tuple[int, ScoreRow | str]]:
    """(line number, row) per complete line, or (line number, what is wrong) for a bad one."""
    fmt = check_suffix(path)
    try:
        # surrogateescape: a CSV keeps a non-UTF-8 file name as its raw bytes; they read back alike.
        handle = open(path, encoding="utf-8", errors="surrogateescape", newline="")
    except FileNotFoundError:
        raise ScoresFileError(f"no such file: {path}", reason="no such file") from None
    except OSError as error:
        raise ScoresFileError(f"cannot read {path}: {error.strerror or error}", reason="unreadable") from None
    with handle:
        lines = (line for line in handle if line.endswith("\n"))
        try:
            records = _csv_records(path, lines) if fmt == ".csv" else _json_records(lines)
            for number, record in records:
                if record is None:
                    yield number, f"{path} line {number}: not a framing row"
                    continue
                try:
                    yield number, ScoreRow.from_record(record)
                except ValueError as error:
                    yield number, f"{path} line {number}: not a framing row ({error})"
        except UnicodeDecodeError:
            raise ScoresFileError(f"{path} is not UTF-8 text, so not a framing scores file") from None
        except OSError as error:
            raise ScoresFileError(f"cannot read {path}: {error.strerror or error}", reason="unreadable") from None


def _csv_records(path: Path, lines: Iterator[str]) -> Iterator[tuple[int, dict | None]]:
    reader = csv.reader(lines)
    header = next(reader, None)
    if header and header[0].startswith(_BOM):  # a spreadsheet saved it with a byte-order mark
        header[0] = header[0][len(_BOM):]
    if header is not None and header != list(FIELDS):
        raise ScoresFileError(f"{path} is not a framing scores file (unexpected CSV header)")
    for record in reader:
        if record:
            yield reader.line_num, dict(zip(FIELDS, record)) if len(record) == len(FIELDS) else None


def _json_records(lines: Iterator[str]) -> Iterator[tuple[int, dict | None]]:
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.startswith(_BOM):
            line = line[len(_BOM):]
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        yield number, record if isinstance(record, dict) else None


@dataclass(frozen=True)
class Scores:
    """The rows of a scores file, and what was skipped of it.

    Parameters
    ----------
    rows : tuple of ScoreRow
        The rows, in file order.
    skipped : tuple of str
        One message per bad row left out (only with ``skip_bad_rows``).
    """

    rows: tuple[ScoreRow, ...]
    skipped: tuple[str, ...] = ()


def read_scores(path: str | Path, *, skip_bad_rows: bool = False) -> Scores:
    """Read and check every row of a scores file written by ``framing score``.

    Parameters
    ----------
    path : str or Path
        A ``.jsonl`` or ``.csv`` file (a CSV saved with a byte-order mark is fine).
    skip_bad_rows : bool
        Leave out rows that are not framing rows (and repeated paths), and say
        which in :attr:`Scores.skipped`, instead of refusing the file.

    Returns
    -------
    Scores

    Raises
    ------
    ScoresFileError
        If the file cannot be read, is not a scores file, holds a bad row
        (unless skipped) or holds no row.
    """
    path = Path(path)
    rows: list[ScoreRow] = []
    skipped: list[str] = []
    seen: dict[str, int] = {}
    for number, row in _checked_lines(path):
        if not isinstance(row, str) and row.path in seen:
            row = f"{path} line {number}: not a framing row ({row.path!r} already has a row on line {seen[row.path]})"
        if isinstance(row, str):
            if not skip_bad_rows:
                raise ScoresFileError(row)
            skipped.append(row)
            continue
        seen[row.path] = number
        rows.append(row)
    if not rows:
        raise ScoresFileError(f"no rows in {path} (run `framing score` to write some)", reason="empty")
    return Scores(rows=tuple(rows), skipped=tuple(skipped))


def read_scored_paths(path: str | Path) -> Iterator[str]:
    """The ``path`` of every complete row of a scores file (a torn last line is ignored)."""
    for _, row in iter_rows(path):
        yield row.path


# --- writing ----------------------------------------------------------------------


def settings_path(path: str | Path) -> Path:
    """The sidecar beside a scores file that records how it was made (``scores.jsonl.settings.json``).

    A sidecar rather than a first line, so every line of the JSONL stays a row
    and the CSV stays plain for spreadsheets and data-frame readers.
    """
    path = Path(path)
    return path.with_name(path.name + ".settings.json")


def recorded_settings(path: str | Path) -> dict | None:
    """The settings recorded beside a scores file (see :func:`settings_path`); None when there are none.

    Raises
    ------
    ScoresFileError
        If the sidecar exists but cannot be read as settings.
    """
    sidecar = settings_path(path)
    try:
        recorded = json.loads(sidecar.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        raise ScoresFileError(f"cannot read {sidecar}; use --overwrite to start {path} afresh") from None
    if not isinstance(recorded, dict):
        raise ScoresFileError(f"{sidecar} holds no settings; use --overwrite to start {path} afresh")
    return recorded


def previous_start(recorded: dict | None) -> float | None:
    """When the run that last wrote a scores file started (a POSIX time), from its settings."""
    started = (recorded or {}).get("started")
    return float(started) if isinstance(started, (int, float)) and not isinstance(started, bool) else None


class RowWriter:
    """Appends rows to a ``.jsonl`` or ``.csv`` file, flushing each, resuming what is there.

    Opening an existing file drops a torn last line (a row cut short by a
    kill) and collects the paths that already have a row in :attr:`done`, and
    those among them that are error rows in :attr:`failed`. The settings a run
    was started with (the model's SHA-256, the patterns, the size limit) are
    kept beside the file (:func:`settings_path`); a run with other settings
    does not resume it.

    Parameters
    ----------
    path : str or Path
        The output file; its suffix picks the format.
    overwrite : bool
        Empty the file first instead of resuming.
    settings : dict, optional
        What the rows depend on; compared with the recorded settings on resume.
    retry_errors : bool
        On resume, drop the error rows (rewriting the file atomically) so those
        files are scored again.
    changed : callable, optional
        ``changed(path, since)``: whether the file a row covers was modified at
        or after ``since`` (the start of the previous run, a POSIX time). On
        resume such rows are dropped, so changed files are scored again.

    Raises
    ------
    FramingError
        If the suffix is unknown; :class:`ScoresFileError` if the file to
        resume is not a framing scores file or was made with other settings.
    """

    def __init__(
        self, path: str | Path, *, overwrite: bool = False, settings: dict | None = None, retry_errors: bool = False,
        changed=None,
    ) -> None:
        self.path = Path(path)
        self.format = check_suffix(self.path)
        self.settings = dict(settings or {}, started=time.time())
        self.failed: frozenset[str] = frozenset()
        self.previous_start: float | None = None
        if overwrite or not self.path.exists():
            self.done: frozenset[str] = frozenset()
            self._handle = open(self.path, "w", encoding="utf-8", errors="surrogateescape", newline="")
            if self.format == ".csv":
                self._handle.write(_csv_line(FIELDS))
        else:
            self._check_settings()
            self.done, self.failed = self._resume(retry_errors, changed)
            self._handle = open(self.path, "a", encoding="utf-8", errors="surrogateescape", newline="")
        self._handle.flush()
        settings_path(self.path).write_text(json.dumps(self.settings, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    def _check_settings(self) -> None:
        recorded = recorded_settings(self.path)
        if recorded is None:
            return  # written before settings were recorded: nothing to compare
        self.previous_start = previous_start(recorded)
        for name, value in self.settings.items():
            if name == "started":
                continue
            if recorded.get(name) is not None and value is not None and recorded[name] != value:
                what = "another model" if name == "model_sha256" else f"another {name.replace('_', ' ')} ({recorded[name]})"
                raise ScoresFileError(
                    f"{self.path} was written with {what}: use --overwrite to start it afresh, or another output",
                    reason="other settings",
                )

    def _resume(self, retry_errors: bool, changed=None) -> tuple[frozenset[str], frozenset[str]]:
        _drop_torn_line(self.path)
        if self.format == ".csv" and self.path.stat().st_size == 0:
            # Nothing survived, not even the header: write it again.
            self.path.write_text(_csv_line(FIELDS), encoding="utf-8")
        try:
            rows = [row for _, row in iter_rows(self.path)]
        except ScoresFileError as error:
            raise ScoresFileError(f"{error}; use --overwrite to start it afresh", reason=error.reason) from None
        keep = [row for row in rows if not (retry_errors and row.error)]
        if changed is not None and self.previous_start is not None:
            keep = [row for row in keep if not changed(row.path, self.previous_start)]
        if len(keep) < len(rows):
            rows = keep
            self._rewrite(rows)
        return frozenset(row.path for row in rows), frozenset(row.path for row in rows if row.error)

    def _rewrite(self, rows: list[ScoreRow]) -> None:
        temporary = self.path.with_name(f".{self.path.name}.retry.tmp")
        with open(temporary, "w", encoding="utf-8", errors="surrogateescape", newline="") as handle:
            if self.format == ".csv":
                handle.write(_csv_line(FIELDS))
            for row in rows:
                handle.write(row.to_json() + "\n" if self.format == ".jsonl" else row.to_csv())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)

    def write(self, row: ScoreRow) -> None:
        line = row.to_json() + "\n" if self.format == ".jsonl" else row.to_csv()
        # One write of one whole line, then flush: a kill leaves at most a torn last line.
        self._handle.write(line)
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


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
