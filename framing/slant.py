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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from framing.labels import ENFORCEMENT, LABELS, RIGHTS

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
    quote : bool
        The sentence carries (or continues) a direct quotation.
    speaker : str or None
        Whose words the quotation is (:mod:`framing.quotes`); None in the
        reporter's voice or when the speaker cannot be told.
    """

    text: str
    label: str
    probabilities: dict[str, float]
    quote: bool = False
    speaker: str | None = None

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
    voices : dict
        ``{"reporter": Voice summary, "quoted": Voice summary}``: the sentences,
        slant and interval of the reporter's own voice and of quoted material
        (slant None when there is none).
    sources : tuple of dict
        One per speaker: ``speaker``, ``role``, ``sentences``, label ``shares``
        and ``slant``, most sentences first.
    """

    sentences: tuple[SentenceScore, ...]
    slant: float
    slant_interval: tuple[float, float]
    shares: dict[str, float] = field(default_factory=dict)
    voices: dict = field(default_factory=dict)
    sources: tuple[dict, ...] = ()

    @property
    def quoted_share(self) -> float:
        """Share of the sentences that carry a direct quotation."""
        return sum(s.quote for s in self.sentences) / len(self.sentences) if self.sentences else 0.0

    def to_dict(self, evidence: Sequence[Sequence[tuple[str, float]]] | None = None) -> dict:
        """The score as plain JSON-ready data (the ``classify --format json`` contract, less ``path``).

        Parameters
        ----------
        evidence : sequence of (feature, weight) lists, optional
            One list per sentence (:func:`framing.scoring.explain_article`); when
            given, each sentence gains ``"evidence": [{"feature", "weight"}]``.
        """
        sentences = [
            {"text": s.text, "label": s.label, "probabilities": dict(s.probabilities), "quote": s.quote,
             "speaker": s.speaker}
            for s in self.sentences
        ]
        if evidence is not None:
            for sentence, pairs in zip(sentences, evidence):
                sentence["evidence"] = [{"feature": f, "weight": round(w, 4)} for f, w in pairs]
        return {
            "slant": self.slant,
            "slant_interval": list(self.slant_interval),
            "shares": dict(self.shares),
            "voices": {voice: dict(summary) for voice, summary in self.voices.items()},
            "sources": [dict(source) for source in self.sources],
            "sentences": sentences,
        }


def aggregate(
    sentences: Sequence[str], probabilities: np.ndarray, labels: Sequence[str] = LABELS, voices: Sequence | None = None
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
    voices : sequence of Voice, optional
        Each sentence's voice (:func:`framing.quotes.attribute`); all the
        reporter's when omitted.

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
    quoted = [bool(voice.quote) for voice in voices] if voices is not None else [False] * len(sentences)
    speakers = [voice.speaker for voice in voices] if voices is not None else [None] * len(sentences)
    scored = tuple(
        SentenceScore(
            text=text,
            label=labels[winner],
            probabilities=dict(zip(labels, row)),
            quote=quote,
            speaker=speaker,
        )
        for text, winner, row, quote, speaker in zip(sentences, winners, probabilities.tolist(), quoted, speakers)
    )
    quoted_mask = np.asarray(quoted, dtype=bool)
    return ArticleScore(
        sentences=scored,
        slant=float(leans.mean()),
        slant_interval=bootstrap_interval(leans),
        shares={label: float(count / len(sentences)) for label, count in zip(labels, counts)},
        voices={"reporter": VoiceSummary(leans[~quoted_mask]), "quoted": VoiceSummary(leans[quoted_mask])},
        sources=_sources(winners, leans, voices, labels) if voices is not None else (),
    )


class VoiceSummary(Mapping):
    """One voice of an article (the reporter's, or quoted material) as a read-only mapping:
    ``sentences``, ``slant`` (None without sentences) and ``slant_interval``.

    The interval is a bootstrap, computed when first read: batch scoring never reads it, and
    two per article cost about a fifth of what finding the voices does.
    """

    _KEYS = ("sentences", "slant", "slant_interval")

    def __init__(self, leans: np.ndarray) -> None:
        self._leans = np.asarray(leans, dtype=float)
        self._interval: list[float] | None = None

    def __getitem__(self, key: str):
        if key == "sentences":
            return int(self._leans.size)
        if key == "slant":
            return float(self._leans.mean()) if self._leans.size else None
        if key == "slant_interval":
            if not self._leans.size:
                return None
            if self._interval is None:
                self._interval = list(bootstrap_interval(self._leans))
            return list(self._interval)
        raise KeyError(key)

    def __iter__(self):
        return iter(self._KEYS)

    def __len__(self) -> int:
        return len(self._KEYS)

    def __repr__(self) -> str:
        return f"VoiceSummary({dict(self)!r})"


def _sources(winners: np.ndarray, leans: np.ndarray, voices: Sequence, labels: Sequence[str]) -> tuple[dict, ...]:
    """One entry per speaker of the article's quotations, most sentences first."""
    members: dict[str, list[int]] = {}
    roles: dict[str, str | None] = {}
    for index, voice in enumerate(voices):
        if voice.quote and voice.speaker:
            members.setdefault(voice.speaker, []).append(index)
            roles[voice.speaker] = roles.get(voice.speaker) or getattr(voice, "role", None)
    sources = []
    for speaker, indices in members.items():
        counts = np.bincount(winners[indices], minlength=len(labels))
        sources.append({
            "speaker": speaker,
            "role": roles[speaker],
            "sentences": len(indices),
            "shares": {label: float(count / len(indices)) for label, count in zip(labels, counts)},
            "slant": float(leans[indices].mean()),
        })
    return tuple(sorted(sources, key=lambda source: (-source["sentences"], source["speaker"])))


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
