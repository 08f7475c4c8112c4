"""Training: choose hyper-parameters by cross-validation, fit, measure, save with a card.

Everything here is deterministic: the folds and the solver are seeded, the solver uses no BLAS,
and the card holds no timing, so the same corpus gives the same model card
(apart from the date and library versions).
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from framing.card import sha256_file, write_card
from framing.corpus import LabeledSentences, read_label_file, read_labeled
from framing.errors import CorpusError
from framing.context import as_context
from framing.model import FramingModel, default_model_path, feature_blocks, softmax
from framing.defaults import EXTRA_WEIGHT, MODEL_FILENAME
from framing.persist import pin_shipped

CV_FOLDS = 5
CV_SEED = 0
NGRAM_RANGE = (1, 2)
# C=2 never came within one standard error of the best on the article corpus (36k sentences).
C_VALUES = (4.0, 8.0, 16.0, 32.0)
# The label shares of the data are kept as the model's prior: its probabilities are what a
# user reads, and "balanced" weights inflate the rare frames. "balanced" also never won the
# search on the article corpus (0.794-0.802 against 0.798-0.804, 2026-12-01), and dropping it
# halves training time.
CLASS_WEIGHTS = (None,)
# The scale of a sentence's neighbours' n-gram blocks (0 would read each sentence alone).
# Reading sentences alone scored below every context candidate in cross-validation
# (0.751-0.770 against 0.768-0.780, 2026-12-02), so the search no longer spends time on it.
CONTEXT_WEIGHTS = (0.3,)
# Sentences written alone (no article) count this much in the fit: the article-shaped
# corpus is what real news looks like (see the real-news ablation in the README).
STANDALONE_WEIGHT = 0.5
# Folds of writers for the temperature (see choose_temperature), and its precision: two
# decimals, so that floating-point noise between machines cannot change a trained model.
TEMPERATURE_FOLDS = 5
TEMPERATURE_DECIMALS = 2
# Scores are compared at this many decimals: candidates closer than that are a tie,
# which floating-point noise between BLAS kernels must not be allowed to break.
SCORE_DECIMALS = 3


@dataclass(frozen=True)
class Candidate:
    """One hyper-parameter setting and its cross-validated macro-F1."""

    context_weight: float
    class_weight: str | None
    C: float
    fold_scores: tuple[float, ...]

    @property
    def mean(self) -> float:
        return float(np.mean(self.fold_scores))

    @property
    def standard_error(self) -> float:
        return float(np.std(self.fold_scores) / np.sqrt(len(self.fold_scores)))

    @property
    def complexity(self) -> tuple:
        """Simpler first: no context, then stronger regularization (smaller C), then the
        training data's own label shares (no class weights) before reweighted ones."""
        return (self.context_weight, self.C, self.class_weight is not None)

    def params(self) -> dict:
        return {
            "ngram_range": NGRAM_RANGE,
            "context_weight": self.context_weight,
            "class_weight": self.class_weight,
            "C": self.C,
        }

    def as_dict(self) -> dict:
        return {
            "context_weight": self.context_weight,
            "class_weight": self.class_weight,
            "C": self.C,
            "macro_f1_mean": round(self.mean, 4),
            "macro_f1_std": round(float(np.std(self.fold_scores)), 4),
        }


def cv_folds(data: LabeledSentences, folds: int = CV_FOLDS, seed: int = CV_SEED) -> list:
    """Stratified folds that keep each article and each contrast group whole."""
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(data)), data.labels, data.folds_groups()))


def sample_weights(data: LabeledSentences) -> np.ndarray:
    """Weight of each training sentence: sentences written alone count STANDALONE_WEIGHT, a
    user's own labeled sentences (``--extra``) the weight recorded in their ``weight`` column."""
    weights = np.where(np.asarray(data.articles) == "", STANDALONE_WEIGHT, 1.0)
    extra = data.columns.get("weight")
    if extra is not None:
        weights = np.where([value != "" for value in extra], [float(value or 0) for value in extra], weights)
    return weights


# Folds of the user's own labels (by article) when adapting to them.
CV_FOLDS_EXTRA = 3
# Weights `train --extra` chooses among, by cross-validation on the extra file.
EXTRA_WEIGHTS = (1.0, 4.0, 16.0)


def choose_extra_weight(corpus: LabeledSentences, rows: Sequence[dict], params: dict) -> tuple[float, dict[float, float]]:
    """The weight of the extra sentences (``rows`` of a labels file) that predicts them best in
    cross-validation (ties: the smaller weight), and the macro-F1 of each weight tried."""
    from framing.evaluation import classification_scores

    if len(rows) < 2:
        return EXTRA_WEIGHT, {}  # nothing to cross-validate on
    truth = [row["label"] for row in rows]
    scores = {}
    for weight in EXTRA_WEIGHTS:
        predicted, _ = cross_validated_labels(corpus, rows, params, weight=weight)
        scores[weight] = classification_scores(truth, predicted)["macro_f1"]
    best = max(EXTRA_WEIGHTS, key=lambda weight: (round(scores[weight], SCORE_DECIMALS), -weight))
    return best, scores


def with_extra(data: LabeledSentences, rows: Sequence[dict], weight: float = EXTRA_WEIGHT) -> LabeledSentences:
    """The corpus plus the ``rows`` of a user's labels file (from ``framing annotate``), each
    weighted ``weight``; one article's labeled sentences stay in one cross-validation fold."""
    columns = {name: list(values) + [""] * len(rows) for name, values in data.columns.items()}
    columns["text"][len(data):] = [row["text"] for row in rows]
    columns["label"][len(data):] = [row["label"] for row in rows]
    columns["weight"] = [""] * len(data) + [str(weight)] * len(rows)
    groups = list(data.groups) + [f"extra:{row.get('article') or row['id']}" for row in rows]
    columns["group"] = groups
    return LabeledSentences(texts=columns["text"], labels=columns["label"], groups=groups, columns=columns, path=data.path)


def search(
    data: LabeledSentences, *, folds: int = CV_FOLDS, seed: int = CV_SEED, jobs: int | None = None
) -> Iterator[Candidate]:
    """Cross-validate every candidate setting on ``data``; yields as each is done.

    Feature blocks are computed once per fold and shared by every setting.
    Each fold is scored on its sentences that belong to articles when there
    are any (they are what real news looks like), else on all its sentences.
    """
    from joblib import Parallel, delayed

    jobs = jobs if jobs is not None else min(folds, os.cpu_count() or 1)
    items = [as_context(item) for item in data.in_context()]
    labels = np.asarray(data.labels)
    weights = sample_weights(data)
    in_article = np.asarray(data.articles) != ""
    folds_data = []
    for train_index, valid_index in cv_folds(data, folds, seed):
        vectorizers = FramingModel(ngram_range=NGRAM_RANGE).make_vectorizers()
        for vectorizer in vectorizers:
            vectorizer.fit([items[i].text for i in train_index])
        scored = in_article[valid_index] if in_article.any() else np.ones(len(valid_index), dtype=bool)
        folds_data.append(
            (
                train_index,
                feature_blocks(vectorizers, [items[i] for i in train_index]),
                feature_blocks(vectorizers, [items[i] for i in valid_index[scored]]),
                labels[valid_index[scored]],
            )
        )
    for context_weight in CONTEXT_WEIGHTS:
        layout = FramingModel(context_weight=context_weight)
        features = [(layout.features_from_blocks(t), layout.features_from_blocks(v)) for _, t, v, _ in folds_data]
        for class_weight in CLASS_WEIGHTS:
            for C in C_VALUES:
                # Folds fit in parallel worker processes; each fit is deterministic, so the
                # order of completion cannot change a score.
                fold_scores = Parallel(n_jobs=jobs)(
                    delayed(_fold_score)(
                        FramingModel(C=C, class_weight=class_weight).make_regression(),
                        train_x, labels[train_index], weights[train_index], valid_x, truth,
                    )
                    for (train_index, _, _, truth), (train_x, valid_x) in zip(folds_data, features)
                )
                yield Candidate(context_weight, class_weight, C, tuple(fold_scores))


def writer_of(article: str) -> str:
    """The writer (one outlet style) of an article, from its id: ``r2tv-014`` -> ``r2tv``."""
    return re.sub(r"-\d+$", "", article)


def fit_temperature(scores: np.ndarray, truth: Sequence[int]) -> float:
    """The temperature T that makes ``softmax(scores / T)`` most likely to give ``truth``
    (column indices), searched between 0.25 and 8."""
    from scipy.optimize import minimize_scalar

    scores = np.asarray(scores, dtype=np.float64)
    rows = np.arange(len(scores))
    truth = np.asarray(truth)

    def negative_log_likelihood(temperature: float) -> float:
        scaled = scores / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        return float(np.log(np.exp(scaled).sum(axis=1)).sum() - scaled[rows, truth].sum())

    return float(minimize_scalar(negative_log_likelihood, bounds=(0.25, 8.0), method="bounded").x)


def choose_temperature(data: LabeledSentences, params: dict, *, folds: int = TEMPERATURE_FOLDS,
                       jobs: int | None = None) -> tuple[float, dict]:
    """The temperature that calibrates the model on writers it never saw.

    Each of ``folds`` folds of writers (article id prefixes: one writer, one outlet style)
    is held out in turn; a model with ``params`` fitted on the rest scores the held-out
    writers' article sentences; the temperature is fitted on all those scores. Reading a new
    collection is reading a writer the model never saw, and a model is more sure of itself
    there than it should be (cross-validation by article hides that: every writer is in
    every fold).

    Returns
    -------
    temperature : float
        Rounded to :data:`TEMPERATURE_DECIMALS`; 1.0 when there are too few writers.
    summary : dict
        Writers and sentences scored, and the expected calibration error of the held-out
        scores before and after.
    """
    from joblib import Parallel, delayed
    from sklearn.model_selection import GroupKFold

    from framing.evaluation import expected_calibration_error

    writers = np.array([writer_of(article) if article else "" for article in data.articles])
    named = writers != ""
    if len(set(writers[named])) < folds:
        return 1.0, {}
    items = data.in_context()
    labels = np.asarray(data.labels)
    weights = sample_weights(data)
    in_articles, alone = np.flatnonzero(named), np.flatnonzero(~named)  # sentences written alone always train
    splits = [
        (np.concatenate([in_articles[train], alone]), in_articles[valid])
        for train, valid in GroupKFold(n_splits=folds).split(in_articles, groups=writers[in_articles])
    ]
    jobs = jobs if jobs is not None else min(folds, os.cpu_count() or 1)
    held_out = Parallel(n_jobs=jobs)(
        delayed(_held_out_scores)(params, [items[i] for i in train], labels[train], weights[train],
                                  [items[i] for i in valid])
        for train, valid in splits
    )
    order = np.concatenate([valid for _, valid in splits])
    scores = np.vstack([scores for scores, _ in held_out])
    columns = held_out[0][1]
    truth = np.array([columns.index(label) for label in labels[order]])
    temperature = round(fit_temperature(scores, truth), TEMPERATURE_DECIMALS)

    def calibration_error(t: float) -> float:
        probabilities = softmax(scores.copy(), t)
        return round(expected_calibration_error(probabilities, list(labels[order]), columns), 4)

    return temperature, {
        "writers": len(set(writers[named])),
        "sentences": len(order),
        "ece_held_out_writers": {"before": calibration_error(1.0), "after": calibration_error(temperature)},
    }


def _held_out_scores(params: dict, items, labels, weights, valid_items) -> tuple[np.ndarray, list[str]]:
    model = FramingModel(**params).fit(items, labels, sample_weight=weights)
    return model.decision_function(valid_items), list(model.labels)


def _fold_score(regression, train_x, train_y, weights, valid_x, truth) -> float:
    from sklearn.metrics import f1_score

    regression.fit(train_x, train_y, sample_weight=weights)
    return float(f1_score(truth, regression.predict(valid_x), average="macro"))


def choose(candidates: list[Candidate]) -> Candidate:
    """The simplest candidate within one standard error of the best (the one-SE rule).

    Means are rounded to SCORE_DECIMALS before comparing, so that two
    candidates which differ only by floating-point noise cannot swap places
    from one machine to another; ties go to the simpler candidate.
    """
    best = max(candidates, key=lambda c: round(c.mean, SCORE_DECIMALS))
    floor = round(best.mean - best.standard_error, SCORE_DECIMALS)
    within = [c for c in candidates if round(c.mean, SCORE_DECIMALS) >= floor]
    return min(within, key=lambda c: c.complexity)


def train(
    corpus_dir: str | Path = "corpus",
    out_dir: str | Path = "models",
    *,
    extra: str | Path | None = None,
    extra_weight: float | None = None,
    on_candidate=None,
) -> dict:
    """Build the model from a corpus folder and write it with its model card.

    Parameters
    ----------
    corpus_dir : str or Path
        Holds ``train.csv``; ``test.csv`` and ``articles/labels.csv`` are
        measured when present (never trained on).
    out_dir : str or Path
        Where ``framing.npz`` and ``framing.json`` are written; training into the
        shipped model's folder also pins the new model's SHA-256 in the package.
    extra : str or Path, optional
        A labels file written by ``framing annotate``: its sentences join the
        training data, each weighted ``extra_weight``; the card records the file.
    extra_weight : float, optional
        Weight of each of those sentences; when not given it is chosen among
        :data:`EXTRA_WEIGHTS` by cross-validation on the file's sentences (folds
        keep each article's sentences together), with the chosen hyper-parameters.
    on_candidate : callable, optional
        Called with each :class:`Candidate` as the search finishes it (for
        progress display).

    Returns
    -------
    dict
        The model card.
    """
    from framing.evaluation import evaluate

    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    train_path = corpus_dir / "train.csv"
    data = read_labeled(train_path)
    if len(data) < CV_FOLDS * 3:
        raise CorpusError(f"{train_path}: {len(data)} sentences are too few to train on")
    corpus_data = data
    if extra is not None:
        # Read once, before the long search: the file may still be growing under `framing annotate`.
        extra_rows = read_label_file(extra)
        if not extra_rows:
            raise CorpusError(f"{extra} holds no labeled sentence")
        extra_hash = sha256_file(extra)

    candidates = []
    for candidate in search(data):
        candidates.append(candidate)
        if on_candidate is not None:
            on_candidate(candidate)
    best = choose(candidates)
    weight_scores: dict[float, float] = {}
    if extra is not None:
        if extra_weight is None:
            extra_weight, weight_scores = choose_extra_weight(corpus_data, extra_rows, best.params())
        data = with_extra(corpus_data, extra_rows, extra_weight)
    temperature, calibration = choose_temperature(corpus_data, best.params())
    model = FramingModel(**best.params(), temperature=temperature)
    model.fit(data.in_context(), data.labels, sample_weight=sample_weights(data))
    model_path = model.save(out_dir / MODEL_FILENAME)

    card: dict = {
        "name": "framing",
        "labels": list(model.labels),
        "hyperparameters": _jsonable(model.get_params()),
        "selection": {
            "metric": "macro-F1",
            "cv": (
                f"{CV_FOLDS}-fold stratified group k-fold on train.csv, seed {CV_SEED}, articles and "
                "contrast groups kept whole, scored on the sentences of articles"
            ),
            "rule": (
                f"the simplest candidate within one standard error of the best, means rounded to "
                f"{SCORE_DECIMALS} decimals"
            ),
            "standalone_weight": STANDALONE_WEIGHT,
            "chosen": best.as_dict(),
            "candidates": [c.as_dict() for c in candidates],
        },
        "calibration": {
            "temperature": temperature,
            "method": (
                f"scores divided by the temperature that best predicts held-out writers' labels, "
                f"{TEMPERATURE_FOLDS}-fold cross-validation by writer (article id prefix) on train.csv"
            ),
            **calibration,
        },
        "training_data": _data_summary(corpus_data),
        "n_features": int(model.coef_.shape[1]),
    }
    test_path = corpus_dir / "test.csv"
    if test_path.exists():
        test = read_labeled(test_path)
        card["test_data"] = _data_summary(test)
        card["evaluation"] = evaluate(model, test, train=data, articles_dir=corpus_dir / "articles")
    if extra is not None:
        extra_labels = data.labels[len(corpus_data):]
        card["extra_data"] = {
            "file": Path(extra).name,
            "sha256": extra_hash,
            "sentences": len(extra_labels),
            "weight": extra_weight,
            "weight_cross_validation": {str(w): round(score, 4) for w, score in weight_scores.items()},
            "label_counts": {label: extra_labels.count(label) for label in sorted(set(extra_labels))},
        }
    card["model_sha256"] = sha256_file(model_path)
    card["versions"] = _versions()
    card["created"] = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    write_card(card, model_path)
    if model_path.resolve() == default_model_path().resolve():
        pin_shipped(card["model_sha256"])  # the package trusts the shipped model by this pin
    return card


def _data_summary(data: LabeledSentences) -> dict:
    labels, counts = np.unique(data.labels, return_counts=True)
    in_articles = [article for article in data.articles if article]
    return {
        "file": data.path.name,
        "sha256": sha256_file(data.path),
        "sentences": len(data),
        "article_sentences": len(in_articles),
        "articles": len(set(in_articles)),
        "label_counts": {str(label): int(count) for label, count in zip(labels, counts)},
    }


def _versions() -> dict:
    import joblib
    import scipy
    import sklearn

    from framing import __version__

    return {
        "framing": __version__,
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
    }


def _jsonable(params: dict) -> dict:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in params.items()}


def extra_data(corpus, rows: Sequence[dict], weight: float | None = None):
    """The corpus plus labeled rows, as sentences and sample weights (each row weighted ``weight``,
    by default as ``train --extra`` weighs them)."""
    items = list(corpus.in_context()) + [row["text"] for row in rows]
    labels = list(corpus.labels) + [row["label"] for row in rows]
    weights = np.concatenate([sample_weights(corpus), np.full(len(rows), EXTRA_WEIGHT if weight is None else weight)])
    return items, labels, weights


def cross_validated_labels(corpus, rows: Sequence[dict], params: dict, *, folds: int = CV_FOLDS_EXTRA,
                           weight: float | None = None) -> tuple[list[str], int]:
    """Each labeled row's label as predicted by a model adapted on the corpus and the other folds'
    rows (folds keep an article's rows together); and the number of folds used."""
    from sklearn.model_selection import GroupKFold

    rows = list(rows)
    groups = [row.get("article") or row["id"] for row in rows]
    if len(set(groups)) < 2:  # one article: its sentences are the folds
        groups = [row["id"] for row in rows]
    folds = max(2, min(folds, len(set(groups))))
    texts = [row["text"] for row in rows]
    predicted = [""] * len(rows)
    for train_index, test_index in GroupKFold(n_splits=folds).split(texts, groups=groups):
        items, labels, weights = extra_data(corpus, [rows[i] for i in train_index], weight=weight)
        fitted = FramingModel(**params).fit(items, labels, sample_weight=weights)
        for i, label in zip(test_index, fitted.predict([texts[i] for i in test_index])):
            predicted[i] = str(label)
    return predicted, folds
