"""Reading and checking the labeled corpus.

``corpus/train.csv`` and ``corpus/test.csv`` are UTF-8 CSV files with at least
the columns ``text`` and ``label`` (the corpus also has ``id``, ``genre``,
``topic``, ``group``). ``corpus/articles/labels.csv`` labels every sentence of
the whole example articles, one row a sentence, with each article's
hand-judged slant.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from framing.errors import CorpusError
from framing.labels import LABELS

# Jaccard similarity of normalized word sets at or above which two sentences are
# near-duplicates: two 17-word sentences that differ by a two-word name score 0.79,
# while the corpus's contrast sets (same facts, reframed) stay below 0.6.
NEAR_DUPLICATE_JACCARD = 0.7


@dataclass(frozen=True)
class LabeledSentences:
    """Labeled sentences read from one CSV file.

    Attributes
    ----------
    texts, labels : list of str
        Sentences and their labels, in file order.
    groups : list of str
        Contrast-set ids ("" where none): sentences of one group are the same
        facts framed differently and must stay in one fold or split.
    columns : dict of str to list of str
        Every column of the file, for the optional ones (id, genre, topic...).
    path : Path
        The file read.
    """

    texts: list[str]
    labels: list[str]
    groups: list[str]
    columns: dict[str, list[str]] = field(repr=False)
    path: Path

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def articles(self) -> list[str]:
        """The article id of each sentence ("" for a sentence written alone)."""
        return self.columns.get("article", [""] * len(self.texts))

    def in_context(self) -> list:
        """Each sentence as the model reads it: in its article's context, or alone.

        Sentences that share an ``article`` id are ordered by ``position`` and
        given their neighbours (:func:`framing.context.in_context`); the others
        stay plain strings. The result is in file order.
        """
        from framing.context import in_context

        items: list = list(self.texts)
        positions = self.columns.get("position", [""] * len(self.texts))
        members: dict[str, list[int]] = {}
        for index, article in enumerate(self.articles):
            if article:
                members.setdefault(article, []).append(index)
        for rows in members.values():
            rows.sort(key=lambda index: int(positions[index] or 0))
            for index, item in zip(rows, in_context([self.texts[index] for index in rows])):
                items[index] = item
        return items

    def folds_groups(self) -> list[str]:
        """What must stay in one cross-validation fold: the article, else the contrast group."""
        return [
            article or group or f"row-{index}"
            for index, (article, group) in enumerate(zip(self.articles, self.groups))
        ]


def read_labeled(path: str | Path, *, check: bool = True) -> LabeledSentences:
    """Read a labeled CSV file (``text,label`` and optional columns).

    Parameters
    ----------
    path : str or Path
        The CSV file.
    check : bool, default=True
        Refuse unknown labels, empty texts, and duplicate ids or texts.

    Returns
    -------
    LabeledSentences

    Raises
    ------
    CorpusError
        If the file is missing, lacks a column or breaks the format.
    """
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            fieldnames = reader.fieldnames or []
            missing = [name for name in ("text", "label") if name not in fieldnames]
            if missing:
                raise CorpusError(f"{path}: missing column(s) {', '.join(missing)}")
            rows = list(reader)
    except FileNotFoundError:
        raise CorpusError(f"no such labeled file: {path}") from None
    except UnicodeDecodeError:
        raise CorpusError(f"{path}: not UTF-8") from None
    except csv.Error as error:
        raise CorpusError(f"{path}: bad CSV: {error}") from None
    columns = {name: [(row.get(name) or "").strip() for row in rows] for name in fieldnames}
    data = LabeledSentences(
        texts=columns["text"],
        labels=columns["label"],
        groups=columns.get("group", [""] * len(rows)),
        columns=columns,
        path=path,
    )
    if check:
        problems = format_problems(data)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise CorpusError(f"{path}: {problems[0]}{more}")
    return data


def format_problems(data: LabeledSentences) -> list[str]:
    """Every way ``data`` breaks the corpus format, as one-line messages (row = CSV line)."""
    problems = []
    seen_texts: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    ids = data.columns.get("id")
    articles = data.articles
    for index, (text, label) in enumerate(zip(data.texts, data.labels)):
        line = index + 2  # the header is line 1
        if label not in LABELS:
            problems.append(f"line {line}: unknown label {label!r}")
        if not text:
            problems.append(f"line {line}: empty text")
            continue
        key = normalize(text)
        if key in seen_texts:
            first = seen_texts[key] - 2
            # Whole articles repeat stock lines ("By the Editorial Board"), as real ones do;
            # a repeat is a problem between sentences written alone, or when labeled differently.
            repeated_stock_line = (articles[index] or articles[first]) and data.labels[first] == label
            if not repeated_stock_line:
                problems.append(f"line {line}: duplicate text of line {seen_texts[key]}")
        seen_texts.setdefault(key, line)
        if ids is not None:
            if not ids[index]:
                problems.append(f"line {line}: empty id")
            elif ids[index] in seen_ids:
                problems.append(f"line {line}: duplicate id {ids[index]!r} (line {seen_ids[ids[index]]})")
            seen_ids.setdefault(ids[index], line)
    return problems


def normalize(text: str) -> str:
    """Text folded for comparison: accents, case, digits (to 0) and punctuation removed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = re.sub(r"\d+", "0", text)
    return " ".join(re.findall(r"\w+", text))


def near_duplicates(
    texts_a: Sequence[str],
    texts_b: Sequence[str] | None = None,
    *,
    threshold: float = NEAR_DUPLICATE_JACCARD,
) -> list[tuple[int, int, float]]:
    """Pairs of sentences whose normalized word sets overlap at ``threshold`` or more.

    Parameters
    ----------
    texts_a : sequence of str
        Sentences.
    texts_b : sequence of str, optional
        Other sentences; when omitted, pairs within ``texts_a`` are returned.
    threshold : float
        Jaccard similarity of word sets (numbers folded to one token).

    Returns
    -------
    list of (int, int, float)
        (index in a, index in b, similarity), most similar first.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    within = texts_b is None
    texts_b = texts_a if texts_b is None else texts_b
    vectorizer = CountVectorizer(binary=True, preprocessor=normalize, token_pattern=r"\S+")
    vectorizer.fit(list(texts_a) + list(texts_b))
    a = vectorizer.transform(texts_a).astype(np.float32)
    b = vectorizer.transform(texts_b).astype(np.float32)
    size_a = np.asarray(a.sum(axis=1)).ravel()
    size_b = np.asarray(b.sum(axis=1)).ravel()
    pairs = []
    step = 2000  # rows at a time, so memory stays small on large corpora
    for start in range(0, a.shape[0], step):
        overlap = (a[start : start + step] @ b.T).tocoo()
        rows = overlap.row + start
        union = size_a[rows] + size_b[overlap.col] - overlap.data
        similarity = np.divide(overlap.data, union, out=np.zeros_like(union), where=union > 0)
        keep = similarity >= threshold
        if within:
            keep &= rows < overlap.col
        for i, j, s in zip(rows[keep], overlap.col[keep], similarity[keep]):
            pairs.append((int(i), int(j), float(s)))
    pairs.sort(key=lambda pair: -pair[2])
    return pairs


@dataclass(frozen=True)
class LabeledArticle:
    """A whole example article with a label for every sentence and a hand slant."""

    name: str
    sentences: list[str]
    labels: list[str]
    slant: float
    category: str
    # Who speaks in each sentence (quote, speaker), when labels.csv records it; a second,
    # blind annotation of some articles, for agreement.
    voices: list[tuple[bool, str | None]] | None = None
    second_voices: list[tuple[bool, str | None]] | None = None


def _voice(quote: str, speaker: str | None) -> tuple[bool, str | None]:
    if quote not in ("yes", "no"):
        raise ValueError(f"quote must be yes or no, not {quote!r}")
    return quote == "yes", (speaker or None) if quote == "yes" else None


def read_article_labels(path: str | Path) -> list[LabeledArticle]:
    """Read ``corpus/articles/labels.csv``.

    Columns: ``article`` (file name), ``sentence`` (1-based index), ``text``,
    ``label``, ``article_slant`` (hand-judged, in [-1, 1]) and
    ``article_category``; optionally ``quote`` (yes/no) and ``speaker`` (who is
    quoted, in the fullest form the article gives), and ``quote_annotator`` and
    ``speaker_annotator`` from a blind second annotator.

    Returns
    -------
    list of LabeledArticle
        In file order.
    """
    path = Path(path)
    articles: dict[str, dict] = {}
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                entry = articles.setdefault(
                    row["article"],
                    {
                        "sentences": [],
                        "labels": [],
                        "slant": float(row["article_slant"]),
                        "category": row.get("article_category", ""),
                    },
                )
                if row["label"] not in LABELS:
                    raise CorpusError(f"{path}: unknown label {row['label']!r}")
                entry["sentences"].append(row["text"])
                entry["labels"].append(row["label"])
                if row.get("quote"):
                    entry.setdefault("voices", []).append(_voice(row["quote"], row.get("speaker")))
                if row.get("quote_annotator"):
                    entry.setdefault("second_voices", []).append(_voice(row["quote_annotator"], row.get("speaker_annotator")))
    except FileNotFoundError:
        raise CorpusError(f"no such labeled file: {path}") from None
    except (KeyError, ValueError) as error:
        raise CorpusError(f"{path}: bad row ({error})") from None
    for name, entry in articles.items():
        for key in ("voices", "second_voices"):
            if key in entry and len(entry[key]) != len(entry["sentences"]):
                raise CorpusError(f"{path}: {name} has a {key.replace('_', ' ')[:-1]} for only some sentences")
    return [LabeledArticle(name=name, **entry) for name, entry in articles.items()]


def read_label_file(path: str | Path) -> list[dict]:
    """The rows of a labels file (written by ``framing annotate``), checked.

    Raises
    ------
    CorpusError
        If it cannot be read, lacks the columns ``id``, ``text`` and ``label``, or a
        label is not one of the three (the row is named).
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in ("id", "text", "label") if name not in (reader.fieldnames or [])]
            if missing:
                raise CorpusError(f"{path} is not a labels file (no {', '.join(missing)} column)")
            rows = []
            for number, row in enumerate(reader, start=2):
                if row["label"] not in LABELS:
                    raise CorpusError(f"{path} line {number}: label {row['label']!r} is not one of {', '.join(LABELS)}")
                rows.append(row)
    except FileNotFoundError:
        raise CorpusError(f"no such labels file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CorpusError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    return rows
