"""Training: choose hyper-parameters by cross-validation, fit, measure, save with a card.

Everything here is deterministic: the folds are seeded, the solver is exact,
and the card holds no timing, so the same corpus gives the same model card
(apart from the date and library versions).
"""

from __future__ import annotations

import datetime as _dt
import platform
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from framing.card import sha256_file, write_card
from framing.corpus import LabeledSentences, read_labeled
from framing.errors import CorpusError
from framing.model import MODEL_FILENAME, FramingModel, hstack_features

CV_FOLDS = 5
CV_SEED = 0
WORD_NGRAM_RANGES = ((1, 1), (1, 2), (1, 3))
C_VALUES = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)
CHAR_NGRAM_RANGE = (2, 5)
# Word+char features predict about 8x slower (4,400 vs 36,000 sentences/s a core), which
# would cap `framing score` near 300 articles/s on two cores; they must buy at least this
# much cross-validated macro-F1 (about one fold's standard deviation) to be chosen.
CHAR_MIN_GAIN = 0.02


@dataclass(frozen=True)
class Candidate:
    """One hyper-parameter setting and its cross-validated macro-F1."""

    ngram_range: tuple[int, int]
    char_ngram_range: tuple[int, int] | None
    C: float
    fold_scores: tuple[float, ...]

    @property
    def features(self) -> str:
        return "word" if self.char_ngram_range is None else "word+char"

    @property
    def mean(self) -> float:
        return float(np.mean(self.fold_scores))

    def as_dict(self) -> dict:
        return {
            "features": self.features,
            "ngram_range": list(self.ngram_range),
            "char_ngram_range": list(self.char_ngram_range) if self.char_ngram_range else None,
            "C": self.C,
            "macro_f1_mean": round(self.mean, 4),
            "macro_f1_std": round(float(np.std(self.fold_scores)), 4),
        }


def cv_folds(data: LabeledSentences, folds: int = CV_FOLDS, seed: int = CV_SEED) -> list:
    """Stratified folds that keep each contrast group whole (no same-fact leak across folds)."""
    from sklearn.model_selection import StratifiedGroupKFold

    groups = [group or f"row-{index}" for index, group in enumerate(data.groups)]
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(data)), data.labels, groups))


def search(data: LabeledSentences, *, folds: int = CV_FOLDS, seed: int = CV_SEED) -> Iterator[Candidate]:
    """Cross-validate every candidate setting on ``data``; yields as each is done.

    Features are computed once per fold and n-gram setting and shared by all
    values of C, which is what makes the search affordable.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    texts = np.asarray(data.texts, dtype=object)
    labels = np.asarray(data.labels)
    splits = cv_folds(data, folds, seed)
    settings = [(ngram, None) for ngram in WORD_NGRAM_RANGES] + [((1, 2), CHAR_NGRAM_RANGE)]
    for ngram_range, char_range in settings:
        scores: dict[float, list[float]] = {C: [] for C in C_VALUES}
        for train_index, valid_index in splits:
            vectorizers = FramingModel(ngram_range=ngram_range, char_ngram_range=char_range)._make_vectorizers()
            train_x = hstack_features([v.fit_transform(texts[train_index]) for v in vectorizers])
            valid_x = hstack_features([v.transform(texts[valid_index]) for v in vectorizers])
            for C in C_VALUES:
                regression = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
                regression.fit(train_x, labels[train_index])
                predicted = regression.predict(valid_x)
                scores[C].append(float(f1_score(labels[valid_index], predicted, average="macro")))
        for C in C_VALUES:
            yield Candidate(ngram_range, char_range, C, tuple(scores[C]))


def choose(candidates: list[Candidate]) -> Candidate:
    """The best word-only setting, unless word+char beats it by at least CHAR_MIN_GAIN."""
    word = max((c for c in candidates if c.char_ngram_range is None), key=lambda c: c.mean)
    char = [c for c in candidates if c.char_ngram_range is not None]
    best_char = max(char, key=lambda c: c.mean) if char else None
    if best_char is not None and best_char.mean >= word.mean + CHAR_MIN_GAIN:
        return best_char
    return word


def train(
    corpus_dir: str | Path = "corpus",
    out_dir: str | Path = "models",
    *,
    on_candidate=None,
) -> dict:
    """Build the model from a corpus folder and write it with its model card.

    Parameters
    ----------
    corpus_dir : str or Path
        Holds ``train.csv``; ``test.csv`` and ``articles/labels.csv`` are
        measured when present (never trained on).
    out_dir : str or Path
        Where ``framing.joblib`` and ``framing.json`` are written.
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

    candidates = []
    for candidate in search(data):
        candidates.append(candidate)
        if on_candidate is not None:
            on_candidate(candidate)
    best = choose(candidates)
    model = FramingModel(ngram_range=best.ngram_range, char_ngram_range=best.char_ngram_range, C=best.C)
    model.fit(data.texts, data.labels)
    model_path = model.save(out_dir / MODEL_FILENAME)

    card: dict = {
        "name": "framing",
        "labels": list(model.labels),
        "hyperparameters": _jsonable(model.get_params()),
        "selection": {
            "metric": "macro-F1",
            "cv": f"{CV_FOLDS}-fold stratified group k-fold on train.csv, seed {CV_SEED}, contrast groups kept whole",
            "rule": f"best word-only setting unless word+char is better by >= {CHAR_MIN_GAIN}",
            "best": best.as_dict(),
            "best_word": choose([c for c in candidates if c.char_ngram_range is None]).as_dict(),
            "best_word_char": max(
                (c for c in candidates if c.char_ngram_range is not None), key=lambda c: c.mean
            ).as_dict(),
            "candidates": [c.as_dict() for c in candidates],
        },
        "training_data": _data_summary(data),
        "n_features": int(model.coef_.shape[1]),
    }
    test_path = corpus_dir / "test.csv"
    if test_path.exists():
        test = read_labeled(test_path)
        card["test_data"] = _data_summary(test)
        card["evaluation"] = evaluate(model, test, train=data, articles_dir=corpus_dir / "articles")
    card["model_sha256"] = sha256_file(model_path)
    card["versions"] = _versions()
    card["created"] = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    write_card(card, model_path)
    return card


def _data_summary(data: LabeledSentences) -> dict:
    labels, counts = np.unique(data.labels, return_counts=True)
    return {
        "file": data.path.name,
        "sha256": sha256_file(data.path),
        "sentences": len(data),
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

