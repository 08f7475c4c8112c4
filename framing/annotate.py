"""Adapting the model to a user's own collection: choosing sentences to label, and keeping the labels.

No shipped model fits every collection. :func:`candidates` scores every sentence
of a folder (or one article) with the current model and orders them so the most
useful come first: the sentences whose label the model is least sure of (the
smallest margin between its two likeliest labels), spread over many articles,
with near-duplicates and sentences already labeled (in the labels file or in the
corpus) left out. :class:`LabelFile` keeps every answer: each is appended and
flushed at once, so a killed session loses nothing, and undo rewrites the file
atomically. :func:`agreement` compares two annotators' files. Nothing here
prints or reads the keyboard: the CLI asks the questions.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import os
import random
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from framing.corpus import read_label_file
from framing.errors import CorpusError, InputError
from framing.labels import ENFORCEMENT, LABELS, NEUTRAL, RIGHTS

LABEL_FILE_FIELDS: tuple[str, ...] = (
    "id", "text", "label", "article", "position", "source", "model_label", "model_probability", "strategy",
    "labeled_at",
)
KEYS: dict[str, str] = {"e": ENFORCEMENT, "r": RIGHTS, "n": NEUTRAL}
STRATEGIES = ("uncertain", "random")
# Answers between two background retrainings.
RETRAIN_EVERY = 25
# Fewer labels than this say too little for a cross-validated comparison.
MIN_LABELS_TO_COMPARE = 30
COMPARE_FOLDS = 3


@dataclass(frozen=True)
class Candidate:
    """A sentence that could be asked about, with what the model thinks of it.

    Attributes
    ----------
    id : str
        Stable id: a hash of the article's path, the sentence's position and its text.
    text, previous, next : str
        The sentence and its neighbours ("" at the ends).
    article : str
        The article's path (relative to the source folder).
    title : str
        The article's title ("" when it has none).
    position : int
        The sentence's index in the article, from 0.
    model_label : str
        The model's label.
    model_probability : float
        The model's probability for that label.
    margin : float
        Probability of the likeliest label minus the runner-up's: small is unsure.
    """

    id: str
    text: str
    previous: str
    next: str
    article: str
    title: str
    position: int
    model_label: str
    model_probability: float
    margin: float


def default_corpus_dir() -> Path:
    """The project's corpus folder in the source tree (it may be absent from an installed framing)."""
    return Path(__file__).resolve().parent.parent / "corpus"


def corpus_sentences(corpus_dir: str | Path | None = None) -> list[str]:
    """The sentences of the project's corpus (train and test), never asked about again.

    The corpus of the source tree by default; empty when framing is installed without it.
    """
    from framing.corpus import read_labeled

    folder = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    texts: list[str] = []
    for name in ("train.csv", "test.csv"):
        if (folder / name).exists():
            texts += read_labeled(folder / name, check=False).texts
    return texts


def sentence_id(article: str, position: int, text: str) -> str:
    """A short stable id for a sentence of an article."""
    return hashlib.sha1(f"{article}\n{position}\n{text}".encode("utf-8", "surrogateescape")).hexdigest()[:16]


def candidates(
    source: str | Path,
    model,
    *,
    exclude_ids: Iterable[str] = (),
    exclude_texts: Iterable[str] = (),
    strategy: str = "uncertain",
    seed: int = 0,
) -> list[Candidate]:
    """Every sentence of a folder (or one article) that may be asked about, best questions first.

    Parameters
    ----------
    source : str or Path
        A folder of articles (walked as ``framing score`` walks it) or one article file.
    model : FramingModel
        The model whose uncertainty chooses the order.
    exclude_ids : iterable of str
        Sentences already labeled (ids from the labels file).
    exclude_texts : iterable of str
        Sentences already in the corpus: never asked.
    strategy : {"uncertain", "random"}
        Smallest margin first, or a seeded shuffle.
    seed : int
        Seed of the shuffle (and of tie-breaking).

    Returns
    -------
    list of Candidate
        No two from the same article in a row where it can be helped; near-duplicates
        (the same words, ignoring case, numbers and punctuation) appear once.

    Raises
    ------
    InputError
        If the source is missing or holds no sentence.
    """
    from framing.batch import iter_article_paths
    from framing.corpus import normalize
    from framing.scoring import score_sentence_lists
    from framing.text import read_article, split_sentences

    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}")
    source = Path(source)
    if source.is_dir():
        paths = [(source / relative, relative) for relative in iter_article_paths(source) if not relative.endswith("/")]
    elif source.is_file():
        paths = [(source, source.name)]
    else:
        raise InputError(f"no such file or folder: {source}", reason="no such file")
    articles = []
    for path, name in paths:
        try:
            article = read_article(path)
        except InputError:
            continue  # a bad file is skipped here; `framing score` names it
        sentences = split_sentences(article.text)
        if sentences:
            articles.append((name, article.title or "", sentences))
    if not articles:
        raise InputError(f"no sentences to ask about in {source}", reason="empty")
    scores = score_sentence_lists(model, [sentences for _, _, sentences in articles])
    done_ids = set(exclude_ids)
    seen = {normalize(text) for text in exclude_texts}
    pool: list[Candidate] = []
    for (name, title, sentences), score in zip(articles, scores):
        for position, sentence in enumerate(score.sentences):
            identifier = sentence_id(name, position, sentence.text)
            key = normalize(sentence.text)
            if identifier in done_ids or key in seen or not key:
                continue
            seen.add(key)
            ordered = sorted(sentence.probabilities.values(), reverse=True)
            pool.append(Candidate(
                id=identifier, text=sentence.text,
                previous=sentences[position - 1] if position else "",
                next=sentences[position + 1] if position + 1 < len(sentences) else "",
                article=name, title=title, position=position, model_label=sentence.label,
                model_probability=float(sentence.probability), margin=float(ordered[0] - ordered[1]),
            ))
    return order(pool, strategy, seed)


def order(pool: Sequence[Candidate], strategy: str = "uncertain", seed: int = 0) -> list[Candidate]:
    """The candidates in the order to ask them: smallest margin first (ties broken by a seeded
    draw) or a seeded shuffle, then spread over articles (see :func:`spread`)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}")
    pool = list(pool)
    rng = random.Random(seed)
    if strategy == "random":
        rng.shuffle(pool)
    else:
        ties = {candidate.id: rng.random() for candidate in pool}
        pool.sort(key=lambda candidate: (round(candidate.margin, 6), ties[candidate.id]))
    return spread(pool)


def spread(pool: Sequence[Candidate]) -> list[Candidate]:
    """The same candidates, in nearly the same order, with no two from one article in a row where
    another article's candidate can come between them.

    Examples
    --------
    >>> from dataclasses import replace
    >>> base = Candidate("", "", "", "", "a", "", 0, "neutral", 0.5, 0.1)
    >>> [c.article for c in spread([replace(base, article=a) for a in "aab"])]
    ['a', 'b', 'a']
    """
    waiting = list(pool)
    ordered: list[Candidate] = []
    while waiting:
        last = ordered[-1].article if ordered else None
        index = next((i for i, candidate in enumerate(waiting) if candidate.article != last), 0)
        ordered.append(waiting.pop(index))
    return ordered


class LabelFile:
    """The labels a user has given, one CSV row each, kept safe as they are given.

    Every answer is appended and flushed at once; :meth:`undo` rewrites the file
    without its last row, atomically. Opening an existing file checks it.

    Parameters
    ----------
    path : str or Path
        The CSV file (created with its header when missing).

    Raises
    ------
    CorpusError
        If the file exists but is not a labels file (other columns, a label that is not
        one of the three, named with its row).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.rows: list[dict] = read_label_file(self.path) if self.path.exists() else []
        if not self.path.exists():
            try:
                with open(self.path, "w", encoding="utf-8", newline="") as handle:
                    csv.writer(handle, lineterminator="\n").writerow(LABEL_FILE_FIELDS)
            except OSError as error:
                raise CorpusError(f"cannot write {self.path}: {error.strerror or error}") from None

    @property
    def ids(self) -> set[str]:
        return {row["id"] for row in self.rows}

    def add(self, candidate: Candidate, label: str, *, source: str, strategy: str) -> dict:
        """Record an answer (appended and flushed before this returns)."""
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r}")
        row = {
            "id": candidate.id, "text": candidate.text, "label": label, "article": candidate.article,
            "position": str(candidate.position), "source": source, "model_label": candidate.model_label,
            "model_probability": f"{candidate.model_probability:.4f}", "strategy": strategy,
            "labeled_at": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        }
        with open(self.path, "a", encoding="utf-8", newline="") as handle:
            csv.DictWriter(handle, fieldnames=LABEL_FILE_FIELDS, lineterminator="\n").writerow(row)
            handle.flush()
            os.fsync(handle.fileno())
        self.rows.append(row)
        return row

    def undo(self) -> dict | None:
        """Take back the last answer; returns it (None when there is none)."""
        if not self.rows:
            return None
        last = self.rows.pop()
        temporary = self.path.with_name(f".{self.path.name}.undo.tmp")
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=LABEL_FILE_FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(self.rows)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
        return last

    def counts(self) -> dict[str, int]:
        return {label: sum(row["label"] == label for row in self.rows) for label in LABELS}


def agreement(first: str | Path, second: str | Path) -> dict:
    """How far two annotators' labels files agree, on the sentences both labeled.

    Sentences are matched by ``id`` (the same source labeled twice gives the same ids).

    Returns
    -------
    dict
        ``sentences`` (labeled in both), ``agreement``, ``kappa`` (Cohen's),
        ``confusion`` (rows: the first file's labels, columns: the second's, in
        :data:`framing.labels.LABELS` order) and ``disagreements`` (id, text and both labels).

    Raises
    ------
    CorpusError
        If a file is not a labels file or the two share no sentence.

    Examples
    --------
    >>> round(cohen_kappa(["e", "e", "n", "n"], ["e", "n", "n", "n"]), 3)
    0.5
    """
    a = {row["id"]: row for row in read_label_file(first)}
    b = {row["id"]: row for row in read_label_file(second)}
    shared = [identifier for identifier in a if identifier in b]
    if not shared:
        raise CorpusError(f"{first} and {second} share no labeled sentence")
    left = [a[i]["label"] for i in shared]
    right = [b[i]["label"] for i in shared]
    confusion = [[sum(x == row and y == column for x, y in zip(left, right)) for column in LABELS] for row in LABELS]
    return {
        "sentences": len(shared),
        "agreement": sum(x == y for x, y in zip(left, right)) / len(shared),
        "kappa": cohen_kappa(left, right),
        "confusion": confusion,
        "disagreements": [
            {"id": i, "text": a[i]["text"], "first": a[i]["label"], "second": b[i]["label"]}
            for i in shared if a[i]["label"] != b[i]["label"]
        ],
    }


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Cohen's kappa of two label sequences (1 when they agree and chance cannot explain it)."""
    n = len(first)
    observed = sum(x == y for x, y in zip(first, second)) / n
    labels = set(first) | set(second)
    expected = sum((list(first).count(label) / n) * (list(second).count(label) / n) for label in labels)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def rerank(pool: Sequence[Candidate], model, strategy: str = "uncertain", seed: int = 0) -> list[Candidate]:
    """The candidates not yet asked, scored again by ``model`` and put back in asking order."""
    from dataclasses import replace

    import numpy as np

    from framing.context import SentenceInContext

    if not pool or strategy == "random":
        return list(pool)
    items = [SentenceInContext(c.text, c.previous, c.next, c.position) for c in pool]
    probabilities = model.predict_proba(items)
    ordered = np.sort(probabilities, axis=1)
    labels = model.labels
    scored = [
        replace(c, model_label=labels[int(row.argmax())], model_probability=float(row.max()),
                margin=float(top[-1] - top[-2]))
        for c, row, top in zip(pool, probabilities, ordered)
    ]
    return order(scored, strategy, seed)


class Retrainer:
    """Fits an adapted model in a background thread, so questions never wait for training.

    Parameters
    ----------
    corpus_dir : str or Path
        Holds ``train.csv``.
    params : dict
        The model's hyper-parameters (the current model's).
    """

    def __init__(self, corpus_dir: str | Path, params: dict) -> None:
        self.corpus_dir = Path(corpus_dir)
        self.params = dict(params)
        self._thread: threading.Thread | None = None
        self._ready = None
        self.trained_on = 0
        self.error: str | None = None
        self._corpus = None

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, rows: Sequence[dict]) -> bool:
        """Start fitting on the corpus plus ``rows`` unless a fit is running; whether it started."""
        if self.busy:
            return False
        snapshot = [dict(row) for row in rows]
        self._thread = threading.Thread(target=self._fit, args=(snapshot,), name="framing-retrain", daemon=True)
        self._thread.start()
        return True

    def _fit(self, rows: list[dict]) -> None:
        from framing.corpus import read_labeled
        from framing.model import FramingModel
        from framing.training import extra_data

        try:
            if self._corpus is None:
                self._corpus = read_labeled(self.corpus_dir / "train.csv")
            items, labels, weights = extra_data(self._corpus, rows)
            self._ready = (FramingModel(**self.params).fit(items, labels, sample_weight=weights), len(rows))
        except Exception as error:  # a failed refit must never end the session
            self.error = f"retraining failed: {type(error).__name__}: {error}"

    def take(self):
        """The newest fitted model (and the labels it saw), once; None while none is ready."""
        ready, self._ready = self._ready, None
        if ready is not None:
            self.trained_on = ready[1]
        return ready

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()


def compare(corpus_dir: str | Path, model, rows: Sequence[dict], *, folds: int = COMPARE_FOLDS) -> dict:
    """Cross-validated macro-F1 on the user's labeled sentences: the given model against models
    adapted with the other folds' labels (folds keep each article's sentences together).

    Returns
    -------
    dict
        ``sentences``, ``folds``, ``shipped`` and ``adapted`` macro-F1.
    """
    from framing.corpus import read_labeled
    from framing.evaluation import classification_scores
    from framing.training import cross_validated_labels

    corpus = read_labeled(Path(corpus_dir) / "train.csv")
    truth = [row["label"] for row in rows]
    texts = [row["text"] for row in rows]
    adapted, used = cross_validated_labels(corpus, rows, model.get_params(), folds=folds)
    return {
        "sentences": len(rows),
        "folds": used,
        "shipped": classification_scores(truth, [str(x) for x in model.predict(texts)])["macro_f1"],
        "adapted": classification_scores(truth, adapted)["macro_f1"],
    }
