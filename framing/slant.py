"""From per-sentence probabilities to an article's score.

Slant is the mean over an article's sentences of P(enforcement) - P(rights):
+1 when every sentence is surely enforcement-framed, -1 when every sentence is
surely rights-framed, 0 for straight news or a balance of both. Its 95%
interval comes from a seeded bootstrap over sentences, so the same article
always gets the same interval.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from framing.labels import ENFORCEMENT, LABELS, NEUTRAL, RIGHTS  # noqa: F401 (re-exported)

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 0
INTERVAL_LEVEL = 0.95


@dataclass(frozen=True)
class SentenceScore:
    """One classified sentence.

    Attributes
    ----------
    text : str
        The sentence.
    label : str
        The most probable label.
    probabilities : dict of str to float
        Probability of each label, in the model's label order.
    """

    text: str
    label: str
    probabilities: dict[str, float]

    @property
    def probability(self) -> float:
        """Probability of the chosen label."""
        return self.probabilities[self.label]

    @property
    def lean(self) -> float:
        """This sentence's contribution to slant: P(enforcement) - P(rights)."""
        return self.probabilities[ENFORCEMENT] - self.probabilities[RIGHTS]


@dataclass(frozen=True)
class ArticleScore:
    """An article's sentences, label shares and slant.

    Attributes
    ----------
    sentences : tuple of SentenceScore
        Every sentence, in order.
    slant : float
        Mean of P(enforcement) - P(rights) over sentences, in [-1, 1].
    slant_interval : tuple of float
        95% bootstrap interval (low, high) for the slant.
    shares : dict of str to float
        Share of sentences given each label; the shares sum to 1.
    """

    sentences: tuple[SentenceScore, ...]
    slant: float
    slant_interval: tuple[float, float]
    shares: dict[str, float] = field(default_factory=dict)

    def to_dict(self, evidence: Sequence[Sequence[tuple[str, float]]] | None = None) -> dict:
        """The score as plain JSON-ready data (the ``classify --format json`` contract, less ``path``).

        Parameters
        ----------
        evidence : sequence of (feature, weight) lists, optional
            One list per sentence (:func:`framing.scoring.explain_article`); when
            given, each sentence gains ``"evidence": [{"feature", "weight"}]``.
        """
        sentences = [
            {"text": s.text, "label": s.label, "probabilities": dict(s.probabilities)} for s in self.sentences
        ]
        if evidence is not None:
            for sentence, pairs in zip(sentences, evidence):
                sentence["evidence"] = [{"feature": f, "weight": round(w, 4)} for f, w in pairs]
        return {
            "slant": self.slant,
            "slant_interval": list(self.slant_interval),
            "shares": dict(self.shares),
            "sentences": sentences,
        }


def aggregate(
    sentences: Sequence[str], probabilities: np.ndarray, labels: Sequence[str] = LABELS
) -> ArticleScore:
    """Combine per-sentence probabilities into an :class:`ArticleScore`.

    Parameters
    ----------
    sentences : sequence of str
        The article's sentences, in order.
    probabilities : ndarray of shape (n_sentences, n_labels)
        Each sentence's label probabilities, columns in ``labels`` order.
    labels : sequence of str
        Column names of ``probabilities``; must include "enforcement" and "rights".

    Returns
    -------
    ArticleScore

    Raises
    ------
    ValueError
        If there are no sentences or the shapes disagree.

    Examples
    --------
    >>> import numpy as np
    >>> score = aggregate(["A.", "B."], np.array([[0.8, 0.1, 0.1], [0.2, 0.2, 0.6]]))
    >>> round(score.slant, 2), score.shares["enforcement"]
    (0.15, 0.5)
    """
    probabilities = np.asarray(probabilities, dtype=float)
    labels = tuple(labels)
    if len(sentences) == 0:
        raise ValueError("an article needs at least one sentence")
    if probabilities.shape != (len(sentences), len(labels)):
        raise ValueError(
            f"probabilities has shape {probabilities.shape}, expected {(len(sentences), len(labels))}"
        )
    winners = probabilities.argmax(axis=1)
    leans = probabilities[:, labels.index(ENFORCEMENT)] - probabilities[:, labels.index(RIGHTS)]
    counts = np.bincount(winners, minlength=len(labels))
    scored = tuple(
        SentenceScore(
            text=text,
            label=labels[winner],
            probabilities=dict(zip(labels, row)),
        )
        for text, winner, row in zip(sentences, winners, probabilities.tolist())
    )
    return ArticleScore(
        sentences=scored,
        slant=float(leans.mean()),
        slant_interval=bootstrap_interval(leans),
        shares={label: float(count / len(sentences)) for label, count in zip(labels, counts)},
    )


def bootstrap_interval(
    values: np.ndarray,
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    level: float = INTERVAL_LEVEL,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float]:
    """Percentile bootstrap interval for the mean of ``values``.

    Parameters
    ----------
    values : ndarray of shape (n,)
        Per-sentence leans.
    resamples : int
        Number of bootstrap resamples.
    level : float
        Coverage of the interval.
    seed : int
        Seed of the resampling, so the interval is reproducible.

    Returns
    -------
    tuple of float
        (low, high). With fewer than :data:`MIN_VALUES_FOR_INTERVAL` values a
        resample can only repeat them, so the interval would look certain where
        nothing is known: it is the whole scale, (-1, +1).
    """
    values = np.asarray(values, dtype=float)
    if values.size < MIN_VALUES_FOR_INTERVAL:
        return -1.0, 1.0
    if values.size <= _CACHED_SIZES:
        means = _resample_weights(values.size, resamples, seed) @ values
    else:
        rng = np.random.default_rng(seed)
        means = values[rng.integers(0, values.size, size=(resamples, values.size))].mean(axis=1)
    tail = (1.0 - level) / 2.0
    return _percentile(means, tail), _percentile(means, 1.0 - tail)


def _percentile(values: np.ndarray, q: float) -> float:
    """``np.quantile(values, q)`` (linear interpolation) without its per-call overhead."""
    position = q * (values.size - 1)
    below = int(np.floor(position))
    above = min(below + 1, values.size - 1)
    low, high = np.partition(values, (below, above))[[below, above]]
    return float(low + (high - low) * (position - below))


# Fewer values than this say too little for a bootstrap interval (one sentence would get
# a zero-width "95% interval"); their interval is the whole scale.
MIN_VALUES_FOR_INTERVAL = 3

# Articles up to this many sentences reuse cached resampling weights (about 20 MB in all).
_CACHED_SIZES = 100


@functools.lru_cache(maxsize=_CACHED_SIZES)
def _resample_weights(size: int, resamples: int, seed: int) -> np.ndarray:
    """Bootstrap resamples of ``size`` items as weights, so a resample mean is a dot product.

    The seed is fixed, so the resamples depend only on the article's length and
    can be drawn once per length instead of once per article.
    """
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, size, size=(resamples, size))
    weights = np.zeros((resamples, size))
    np.add.at(weights, (np.repeat(np.arange(resamples), size), picks.ravel()), 1.0 / size)
    return weights


def describe_slant(slant: float, sentences: int | None = None) -> str:
    """A few words for a slant value, for people reading a table or a report.

    With ``sentences`` below :data:`MIN_VALUES_FOR_INTERVAL`, the words say that
    so short a text tells little, whatever its slant.
    """
    if sentences is not None and sentences < MIN_VALUES_FOR_INTERVAL:
        return f"too few sentences to tell ({sentences})"
    if slant >= 0.30:
        return "strongly enforcement"
    if slant >= 0.10:
        return "leans enforcement"
    if slant > -0.10:
        return "balanced or neutral"
    if slant > -0.30:
        return "leans rights"
    return "strongly rights"


def format_slant(value: float, digits: int = 3) -> str:
    """A slant for display, signed: "+0.153"; every output (CLI, report) shows slants with it.

    The value is first rounded to the 4 decimals that ``framing score`` writes,
    then to ``digits`` half up. So an article's slant reads the same in its own
    report, in a folder's table (built from rounded rows) and in a report on a
    scores file; rounding straight from the exact value would show 0.15252 as
    +0.153 in the article's section but its row's 0.1525 as +0.152 in the table.

    Examples
    --------
    >>> format_slant(0.15252), format_slant(-0.00001)
    ('+0.153', '+0.000')
    """
    shown = Decimal(f"{value:.4f}").quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    if shown == 0:  # "+0.000", never "-0.000"
        shown = abs(shown)
    return f"{shown:+.{digits}f}"
