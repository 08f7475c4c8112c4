"""Measuring a model: sentence-level scores, calibration and article-level agreement."""

from __future__ import annotations

import unicodedata

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from framing.corpus import LabeledArticle, LabeledSentences
from framing.labels import LABELS

DIGITS = 4  # scores are rounded so model cards compare equal across platforms


def classification_scores(
    y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str] = LABELS
) -> dict:
    """Accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix.

    Parameters
    ----------
    y_true, y_pred : sequence of str
        True and predicted labels.
    labels : sequence of str
        Label order of the per-class scores and of the confusion matrix.

    Returns
    -------
    dict
        ``accuracy``, ``macro_f1``, ``per_class`` (label -> precision, recall,
        f1, support) and ``confusion`` (rows true, columns predicted, in
        ``labels`` order).

    Examples
    --------
    >>> classification_scores(["rights", "neutral"], ["rights", "rights"])["accuracy"]
    0.5
    """
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    labels = list(labels)
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
    return {
        "n": int(len(y_true)),
        "accuracy": round(float(np.trace(matrix) / max(matrix.sum(), 1)), DIGITS),
        "macro_f1": round(float(np.mean(f1)), DIGITS),
        "per_class": {
            label: {
                "precision": round(float(p), DIGITS),
                "recall": round(float(r), DIGITS),
                "f1": round(float(f), DIGITS),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "confusion": matrix.tolist(),
    }


def expected_calibration_error(
    probabilities: np.ndarray, y_true: Sequence[str], labels: Sequence[str], bins: int = 10
) -> float:
    """Expected calibration error of the top-label probability over equal-width bins.

    The mean, weighted by bin size, of |accuracy - mean confidence| in each bin.
    """
    probabilities = np.asarray(probabilities)
    confidence = probabilities.max(axis=1)
    predicted = np.asarray(labels)[probabilities.argmax(axis=1)]
    correct = predicted == np.asarray(y_true)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            error += members.mean() * abs(correct[members].mean() - confidence[members].mean())
    return round(float(error), DIGITS)


def evaluate_sentences(model, data: LabeledSentences) -> dict:
    """Scores of ``model`` on labeled sentences, with its calibration error."""
    probabilities = model.predict_proba(data.in_context())
    labels = model.labels
    predicted = np.asarray(labels)[probabilities.argmax(axis=1)]
    scores = classification_scores(data.labels, predicted, labels)
    scores["ece"] = expected_calibration_error(probabilities, data.labels, labels)
    return scores


def evaluate_articles(model, articles: Sequence[LabeledArticle], folder: str | Path) -> dict:
    """Article-level agreement of ``model`` with hand labels.

    Each article file in ``folder`` is read and scored end to end (as a user
    would); its slant is compared with the hand-judged slant by Spearman rank
    correlation. Sentence-level scores use the hand-segmented sentences.

    Returns
    -------
    dict
        ``n_articles``, ``spearman``, ``mean_absolute_error`` of slant, and
        ``sentences`` (the :func:`classification_scores` of all their sentences).
    """
    from scipy.stats import spearmanr

    from framing.context import in_context
    from framing.scoring import score_article
    from framing.text import read_article

    folder = Path(folder)
    model_slants, hand_slants, true, predicted = [], [], [], []
    for article in articles:
        text = read_article(folder / article.name).text
        model_slants.append(score_article(model, text).slant)
        hand_slants.append(article.slant)
        true.extend(article.labels)
        predicted.extend(model.predict(in_context(article.sentences)))
    correlation = spearmanr(model_slants, hand_slants).statistic if len(articles) > 2 else float("nan")
    return {
        "n_articles": len(articles),
        "spearman": round(float(correlation), DIGITS),
        "mean_absolute_error": round(float(np.mean(np.abs(np.subtract(model_slants, hand_slants)))), DIGITS),
        "sentences": classification_scores(true, predicted, model.labels),
    }


# --- baselines ---------------------------------------------------------------------

# The words a user might count instead of training a model (fixed; prefixes end in "*").
ENFORCEMENT_WORDS = (
    "criminal*", "illegal*", "alien*", "gang*", "felon*", "convict*", "dangerous", "threat*", "crime*",
    "murder*", "assault*", "smuggl*", "cartel*", "fentanyl", "drug*", "public safety", "rule of law",
    "law and order", "border security", "secure the border", "surge*", "invasion", "amnesty",
    "lawless*", "violent", "victims of", "back on the streets", "catch and release", "open border*",
)
RIGHTS_WORDS = (
    "rights", "due process", "undocumented", "famil*", "child*", "fear*", "afraid", "trust",
    "community", "communities", "cruel*", "inhumane", "separat*", "unconstitutional", "warrant*",
    "neighbor*", "worker*", "asylum seeker*", "refugee*", "humanitarian", "abuse*", "death*", "died",
    "medical", "deportation machine", "cages", "terror*", "dignity", "advocates", "parents",
)


class KeywordBaseline:
    """Counts enforcement and rights words; the larger count wins, a tie is neutral.

    Examples
    --------
    >>> KeywordBaseline().predict(["Families live in fear.", "The board met."]).tolist()
    ['rights', 'neutral']
    """

    def __init__(self, enforcement_words=ENFORCEMENT_WORDS, rights_words=RIGHTS_WORDS) -> None:
        self.enforcement_words = enforcement_words
        self.rights_words = rights_words

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        import re

        def pattern(words) -> re.Pattern:
            parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
            return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)

        enforcement, rights = pattern(self.enforcement_words), pattern(self.rights_words)
        out = []
        for text in texts:
            e, r = len(enforcement.findall(text)), len(rights.findall(text))
            out.append("enforcement" if e > r else "rights" if r > e else "neutral")
        return np.asarray(out)


def baseline_scores(
    train: LabeledSentences, test: LabeledSentences, C: float, class_weight: str | None = None
) -> dict:
    """Scores on ``test`` of what a user might use instead of the model.

    - ``majority``: always the most frequent training label.
    - ``keywords``: :class:`KeywordBaseline`.
    - ``unigrams``: the same regression (``C``, ``class_weight``) trained on ``train`` with
      single words only, each sentence read alone.
    """
    from framing.model import FramingModel

    labels, counts = np.unique(train.labels, return_counts=True)
    majority = np.full(len(test), labels[counts.argmax()])
    unigrams = FramingModel(ngram_range=(1, 1), C=C, class_weight=class_weight).fit(train.texts, train.labels)
    return {
        "majority": classification_scores(test.labels, majority),
        "keywords": classification_scores(test.labels, KeywordBaseline().predict(test.texts)),
        "unigrams": classification_scores(test.labels, unigrams.predict(test.texts)),
    }


def evaluate(
    model,
    test: LabeledSentences,
    *,
    train: LabeledSentences | None = None,
    articles_dir: str | Path | None = None,
) -> dict:
    """Everything ``framing evaluate`` reports, and the model card records.

    Parameters
    ----------
    model : FramingModel
        The model to measure.
    test : LabeledSentences
        Labeled sentences never trained on.
    train : LabeledSentences, optional
        The training sentences, to fit the baselines on.
    articles_dir : str or Path, optional
        A folder with ``labels.csv`` and the article files, for the article-level check.

    Returns
    -------
    dict
        ``sentences`` (the model's scores with ``ece``), ``baselines`` (when
        ``train`` is given) and ``articles`` (when the folder has labels).
    """
    from framing.corpus import read_article_labels

    report: dict = {"sentences": evaluate_sentences(model, test)}
    if train is not None:
        report["baselines"] = baseline_scores(train, test, C=model.C, class_weight=model.class_weight)
    if articles_dir is not None and (Path(articles_dir) / "labels.csv").exists():
        articles = read_article_labels(Path(articles_dir) / "labels.csv")
        report["articles"] = evaluate_articles(model, articles, articles_dir)
        sentences = [s for a in articles for s in a.sentences]
        truth = [label for a in articles for label in a.labels]
        report["articles"]["keywords_sentences"] = classification_scores(truth, KeywordBaseline().predict(sentences))
        if any(article.voices for article in articles):
            report["voices"] = evaluate_voices(articles)
    return report


def evaluate_voices(articles: Sequence) -> dict:
    """How well quotations and their speakers are found, against hand labels of whole articles.

    Parameters
    ----------
    articles : sequence of LabeledArticle
        Articles whose ``voices`` (quote, speaker) are labeled.

    Returns
    -------
    dict
        ``quote`` (precision, recall, F1 of finding quoted sentences),
        ``speaker_accuracy`` (on sentences both hand and rules call quoted),
        ``reporter_without_speaker`` (share of unquoted sentences given no
        speaker), the counts, and ``agreement`` of two annotators where a
        second, blind annotation exists.
    """
    from framing.quotes import attribute

    found = quoted = predicted = right = both = reporter = silent = 0
    for article in articles:
        if not article.voices:
            continue
        for (quote, speaker), voice in zip(article.voices, attribute(article.sentences)):
            quoted += quote
            predicted += voice.quote
            found += quote and voice.quote
            if quote and voice.quote:
                both += 1
                right += same_speaker(speaker, voice.speaker)
            if not quote:
                reporter += 1
                silent += voice.speaker is None
    precision = found / predicted if predicted else 0.0
    recall = found / quoted if quoted else 0.0
    result = {
        "sentences": sum(len(a.voices) for a in articles if a.voices),
        "quoted_sentences": quoted,
        "quote": {"precision": round(precision, 4), "recall": round(recall, 4),
                  "f1": round(2 * precision * recall / (precision + recall), 4) if found else 0.0},
        "speaker_accuracy": round(right / both, 4) if both else None,
        "reporter_without_speaker": round(silent / reporter, 4) if reporter else None,
    }
    pairs = [(first, second) for article in articles if article.voices and article.second_voices
             for first, second in zip(article.voices, article.second_voices)]
    if pairs:
        quoted_both = [(a, b) for a, b in pairs if a[0] and b[0]]
        result["agreement"] = {
            "sentences": len(pairs),
            "quote": round(sum(a[0] == b[0] for a, b in pairs) / len(pairs), 4),
            "speaker": round(sum(same_speaker(a[1], b[1]) for a, b in quoted_both) / len(quoted_both), 4)
            if quoted_both else None,
        }
    return result


def same_speaker(first: str | None, second: str | None) -> bool:
    """Two names for a speaker agree, ignoring case and surrounding space."""
    return unicodedata.normalize("NFC", (first or "").strip().casefold()) == unicodedata.normalize(
        "NFC", (second or "").strip().casefold()
    )
