"""The framing classifier: sentences (with their context) in, label probabilities out.

:class:`FramingModel` is a plain scikit-learn classifier: parameters stored by
``__init__``, work done in :meth:`~FramingModel.fit`, ``score(X, y)`` is
accuracy, and ``clone`` and ``cross_val_score`` work. Each sentence is read with
its neighbours (:class:`~framing.context.SentenceInContext`): the word n-grams of
the sentence, those of the sentences before and after it (separate feature
blocks), and a few facts of its place (headline, lead, quotation, length).
Splitting articles and aggregating slant happen elsewhere (:mod:`framing.scoring`).
After fitting it keeps only the vectorizers and the regression's coefficients,
so loading a model imports no more of scikit-learn than TF-IDF.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

from framing.card import read_card, sha256_file
from framing.defaults import MODEL_FILENAME
from framing.context import SentenceInContext, as_context
from framing.errors import ModelError, ModelVersionWarning
from framing.labels import LABELS
from framing.quotes import bare_attribution

_CHAR_PREFIX = "char:"
_PREVIOUS_PREFIX = "prev:"
_NEXT_PREFIX = "next:"
_PLACE_PREFIX = "place:"
_ATTRIBUTION = re.compile(r"\b(said|says|told|added|according to|asked|wrote|stated)\b", re.IGNORECASE)
# Left out of the word features: a speaker's gender says nothing of the frame, but in any corpus
# the pronouns follow who tends to speak for which side ("she said" leaned rights, "he said" enforcement).
GENDERED_PRONOUNS = ("he", "her", "hers", "herself", "him", "himself", "his", "she")
_FINAL_PUNCTUATION = ('.', '!', '?', '"', "\u201d", "'", "\u2019", ")", ":")
# Facts of a sentence's place in its article, one binary feature each.
PLACE_FEATURES = (
    "headline", "lead", "standalone", "quote", "quote_continued", "question",
    "no_final_punctuation", "attribution_short", "words_1_4", "words_5_9", "words_10_19", "words_20_plus",
)


class NotFittedError(ModelError, _SklearnNotFittedError):
    """A model was used before :meth:`FramingModel.fit` (a framing and a scikit-learn error)."""


class FramingModel(ClassifierMixin, BaseEstimator):
    """Sentence framing classifier: enforcement, neutral or rights.

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 2)
        Word n-gram range of the TF-IDF features.
    char_ngram_range : tuple of int or None, default=None
        When given, character n-grams (within word boundaries) in this range
        are added to the sentence's word features. Slower to predict.
    C : float, default=4.0
        Inverse regularization strength of the logistic regression.
    min_df : int, default=1
        Ignore word n-grams seen in fewer sentences than this.
    class_weight : "balanced" or None, default="balanced"
        "balanced" weights classes inversely to their frequency; None keeps the
        label shares of the training data as the model's prior.
    context_weight : float, default=0.0
        Scale of the feature blocks of the previous and the next sentence
        (0 leaves them out).
    place_weight : float, default=0.0
        Scale of the place features (:data:`PLACE_FEATURES`; 0 leaves them out).
    max_iter : int, default=1000
        Epochs allowed to the SAGA solver.
    temperature : float, default=1.0
        The linear scores are divided by it before the softmax of
        :meth:`predict_proba`: above 1 the probabilities are less sure, the
        labels do not change. ``framing train`` chooses it so that writers the
        model never saw get calibrated probabilities (see
        :func:`framing.training.choose_temperature`).

    Attributes
    ----------
    classes_ : ndarray of str
        The labels, in column order of :meth:`predict_proba`.
    vectorizers_ : list of TfidfVectorizer
        Fitted word (and character) vectorizers.
    coef_ : ndarray of shape (n_classes, n_features)
        Coefficients of the fitted regression.
    intercept_ : ndarray of shape (n_classes,)
        Intercepts of the fitted regression.
    source_path_ : Path
        The file :func:`load_model` read the model from (absent on a model
        fitted in memory); batch workers load it from there.

    Examples
    --------
    >>> from framing.context import in_context
    >>> X = ["Agents arrested a man with two prior convictions.", "Families live in fear.",
    ...      "The board meets Tuesday.", "Deputies held a felon for ICE.",
    ...      "Children cried at the school gate.", "The vote is set for March."]
    >>> y = ["enforcement", "rights", "neutral"] * 2
    >>> model = FramingModel(C=10.0).fit(X, y)
    >>> model.predict(in_context(["Board meets Tuesday.", "Families live in fear."])).tolist()
    ['neutral', 'rights']
    >>> model.score(X, y)
    1.0
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] | None = None,
        C: float = 4.0,
        min_df: int = 1,
        class_weight: str | None = "balanced",
        context_weight: float = 0.0,
        place_weight: float = 0.0,
        max_iter: int = 1000,
        temperature: float = 1.0,
    ) -> None:
        self.ngram_range = ngram_range
        self.char_ngram_range = char_ngram_range
        self.C = C
        self.min_df = min_df
        self.class_weight = class_weight
        self.context_weight = context_weight
        self.place_weight = place_weight
        self.max_iter = max_iter
        self.temperature = temperature

    # --- fitting -------------------------------------------------------------

    def fit(self, X: Sequence[str | SentenceInContext], y: Sequence[str], sample_weight=None) -> FramingModel:
        """Fit the vectorizers and the regression on labeled sentences.

        Parameters
        ----------
        X : sequence of str or SentenceInContext
            Sentences; plain strings have no context.
        y : sequence of str
            Their labels; each of "enforcement", "neutral" and "rights" must occur.
        sample_weight : array-like of float, optional
            Weight of each sentence in the regression.

        Returns
        -------
        self : FramingModel
            The fitted model.
        """
        items = _as_items(X)
        y = np.asarray(list(y), dtype=object)
        if len(items) != len(y):
            raise ValueError(f"X has {len(items)} sentences but y has {len(y)} labels")
        if not self.temperature > 0:
            raise ValueError(f"temperature must be above 0, not {self.temperature!r}")
        unknown = sorted(set(y) - set(LABELS))
        missing = sorted(set(LABELS) - set(y))
        if unknown or missing:
            raise ValueError(f"labels must be exactly {LABELS}; unknown {unknown}, missing {missing}")

        self.vectorizers_ = self.make_vectorizers()
        texts = [item.text for item in items]
        for vectorizer in self.vectorizers_:
            vectorizer.fit(texts)
        features = self._features(items)
        for vectorizer in self.vectorizers_:
            # An object id that scikit-learn caches on every transform: it would make every
            # model file differ.
            vectorizer.__dict__.pop("_stop_words_id", None)
        regression = self.make_regression()
        regression.fit(features, y.astype(str), sample_weight=sample_weight)
        self.__dict__.pop("_stacked", None)
        self.__dict__.pop("_feature_names", None)
        self.classes_ = regression.classes_
        self.coef_ = regression.coef_
        self.intercept_ = regression.intercept_
        return self

    def make_vectorizers(self) -> list:
        """Unfitted vectorizers for this model's settings (word, then character n-grams)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizers = [
            TfidfVectorizer(
                ngram_range=tuple(self.ngram_range),
                min_df=self.min_df,
                stop_words=list(GENDERED_PRONOUNS),
                sublinear_tf=True,
                strip_accents="unicode",
                dtype=np.float32,
            )
        ]
        if self.char_ngram_range is not None:
            vectorizers.append(
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=tuple(self.char_ngram_range),
                    min_df=2,
                    sublinear_tf=True,
                    strip_accents="unicode",
                    dtype=np.float32,
                )
            )
        return vectorizers

    def make_regression(self):
        """The unfitted logistic regression for this model's settings.

        The solver is SAGA, seeded: its updates are plain loops over sparse rows, with no
        BLAS call, so the same data gives bit-identical coefficients on every machine
        (lbfgs's BLAS kernels sum in a different order on AVX-512 and AVX2 machines, and its
        coefficients differed by up to 0.3, enough to flip cross-validation near-ties).
        """
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=self.max_iter, solver="saga", random_state=0
        )

    def features_from_blocks(self, blocks: dict) -> object:
        """Join precomputed feature blocks (see :func:`feature_blocks`) with this model's weights.

        Training uses it to share one vectorization across every setting of
        ``context_weight`` and ``place_weight``.
        """
        parts = [blocks["sentence"]]
        if self.context_weight:
            parts += [blocks["previous"] * self.context_weight, blocks["next"] * self.context_weight]
        if self.place_weight:
            parts.append(blocks["place"] * self.place_weight)
        return hstack_features(parts)

    def n_features_for(self, vocabulary_size: int) -> int:
        """Columns of this model's features for vectorizers of ``vocabulary_size`` terms in all."""
        blocks = 3 if self.context_weight else 1
        return blocks * vocabulary_size + (len(PLACE_FEATURES) if self.place_weight else 0)

    def _features(self, items: list[SentenceInContext]):
        return self.features_from_blocks(feature_blocks(self.vectorizers_, items, context=bool(self.context_weight)))

    # --- prediction ----------------------------------------------------------

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels, in the column order of :meth:`predict_proba`."""
        self._check_fitted()
        return tuple(str(label) for label in self.classes_)

    def transform(self, X: Sequence[str | SentenceInContext]):
        """Features of sentences, as a sparse matrix (n_sentences, n_features)."""
        self._check_fitted()
        return self._features(_as_items(X))

    def decision_function(self, X: Sequence[str | SentenceInContext]) -> np.ndarray:
        """Linear scores of each label, shape (n_sentences, n_labels)."""
        self._check_fitted()
        items = _as_items(X)
        if not self.context_weight:
            return np.asarray(self._features(items) @ self.coef_.T) + self.intercept_
        # The same scores as transform(X) @ coef_.T, computed faster: each distinct text is
        # scored once against the sentence, previous and next blocks' coefficients, and a
        # sentence's score adds its own row and its neighbours' (no neighbour rows copied).
        texts, rows, previous, following = distinct_texts(items)
        matrix = hstack_features([v.transform(texts) for v in self.vectorizers_]).tocsr()
        width = matrix.shape[1]
        n_labels = self.coef_.shape[0]
        blocks = np.asarray(matrix @ self._stacked_coefficients(width))
        own, before, after = (blocks[:, k * n_labels : (k + 1) * n_labels] for k in range(3))
        scores = own[rows] + self.context_weight * (before[previous] + after[following])
        if self.place_weight:
            scores += self.place_weight * (place_features(items) @ self.coef_[:, 3 * width :].T)
        return scores + self.intercept_

    def predict_proba(self, X: Sequence[str | SentenceInContext]) -> np.ndarray:
        """Probability of each label for each sentence.

        Parameters
        ----------
        X : sequence of str or SentenceInContext
            Sentences (see :func:`framing.context.in_context` to give an
            article's sentences their context).

        Returns
        -------
        ndarray of shape (n_sentences, 3)
            Columns in :attr:`labels` order; rows sum to 1.
        """
        return softmax(self.decision_function(X), self.temperature)

    def predict(self, X: Sequence[str | SentenceInContext]) -> np.ndarray:
        """Most probable label of each sentence."""
        scores = self.decision_function(X)
        return self.classes_[scores.argmax(axis=1)]

    # --- explanation ---------------------------------------------------------

    def feature_names(self) -> np.ndarray:
        """Names of the features: n-grams, ``char:``, ``prev:``, ``next:`` and ``place:`` prefixed."""
        self._check_fitted()
        words = self.vectorizers_[0].get_feature_names_out().astype(object)
        names = [words]
        for vectorizer in self.vectorizers_[1:]:
            names.append(_CHAR_PREFIX + vectorizer.get_feature_names_out().astype(object))
        if self.context_weight:
            sentence_names = np.concatenate(names)
            names += [_PREVIOUS_PREFIX + sentence_names, _NEXT_PREFIX + sentence_names]
        if self.place_weight:
            names.append(np.array([_PLACE_PREFIX + name for name in PLACE_FEATURES], dtype=object))
        return np.concatenate(names).astype(str)

    def explain(self, sentence: str | SentenceInContext, top: int = 5) -> list[tuple[str, float]]:
        """The features that pushed a sentence most toward its label.

        Each feature's contribution is its value times the difference between
        the predicted label's coefficient and the runner-up label's.

        Parameters
        ----------
        sentence : str or SentenceInContext
            One sentence.
        top : int, default=5
            How many features to return at most.

        Returns
        -------
        list of (str, float)
            Features with a positive contribution, strongest first.
        """
        row = self.transform([sentence]).tocsr()
        scores = np.asarray(row @ self.coef_.T)[0] + self.intercept_
        order = np.argsort(scores)[::-1]
        winner, runner_up = order[0], order[1]
        columns, values = row.indices, row.data
        contributions = values * (self.coef_[winner, columns] - self.coef_[runner_up, columns])
        names = self._feature_names_cached()
        ranked = np.argsort(contributions)[::-1][:top]
        return [
            (str(names[columns[i]]), float(contributions[i])) for i in ranked if contributions[i] > 0
        ]

    def top_features(self, top: int = 20) -> dict[str, list[tuple[str, float]]]:
        """The strongest features of each label, from the coefficients.

        A feature's strength for a label is its coefficient there minus its
        mean coefficient over the other labels.
        """
        names = self._feature_names_cached()
        result = {}
        for index, label in enumerate(self.labels):
            others = np.delete(self.coef_, index, axis=0).mean(axis=0)
            margin = self.coef_[index] - others
            best = np.argsort(margin)[::-1][:top]
            result[label] = [(str(names[i]), float(margin[i])) for i in best]
        return result

    def _stacked_coefficients(self, width: int) -> np.ndarray:
        """The sentence, previous and next blocks' coefficients side by side, (width, 3 * labels)."""
        stacked = getattr(self, "_stacked", None)
        if stacked is None:
            stacked = np.hstack([self.coef_[:, k * width : (k + 1) * width].T for k in range(3)])
            self._stacked = np.ascontiguousarray(stacked)
        return self._stacked

    def _feature_names_cached(self) -> np.ndarray:
        names = getattr(self, "_feature_names", None)
        if names is None:
            names = self.feature_names()
            self._feature_names = names
        return names

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_feature_names", None)  # derived; keep model files small and stable
        state.pop("_stacked", None)
        return state

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "coef_")

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("this FramingModel is not fitted yet: call fit() or load_model()")

    # --- persistence ---------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Write the fitted model to ``path`` as arrays and JSON (see :mod:`framing.persist`).

        The file loads without unpickling, so it can be shared safely; the same
        model always gives the same bytes.
        """
        from framing import persist

        self._check_fitted()
        return persist.save(self, path)


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Probabilities from linear scores divided by ``temperature`` (rows sum to 1; ``scores``
    is overwritten)."""
    if temperature != 1.0:
        scores /= temperature
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores


def feature_blocks(vectorizers: Sequence, items: Sequence[SentenceInContext], *, context: bool = True) -> dict:
    """The feature blocks of sentences: ``sentence``, ``previous``, ``next``, ``place``.

    Each distinct text (a sentence is its neighbour's neighbour) is vectorized
    once; the neighbour blocks are rows of that one matrix, so context costs
    little more than the sentences alone.
    """
    import scipy.sparse

    if context:
        texts, rows, previous, following = distinct_texts(items)
        matrix = hstack_features([v.transform(texts) for v in vectorizers]).tocsr()
        blocks = {"sentence": matrix[rows], "previous": matrix[previous], "next": matrix[following]}
    else:
        texts = ["" if bare_attribution(item.text) else item.text for item in items]
        blocks = {"sentence": hstack_features([v.transform(texts) for v in vectorizers])}
    blocks["place"] = scipy.sparse.csr_matrix(place_features(items))
    return blocks


def distinct_texts(items: Sequence[SentenceInContext]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Each distinct text once ("" first, for a missing neighbour), and the rows of every
    sentence, its previous and its next sentence among them.

    A bare attribution line ("Sheriff said.") gets the empty row as its own: its words (the
    speaker, the verb) carry no frame, so only its neighbours speak for it.
    """
    index: dict[str, int] = {"": 0}
    for item in items:
        for text in (item.text, item.previous, item.next):
            index.setdefault(text, len(index))

    def rows(texts) -> np.ndarray:
        return np.fromiter((index[text] for text in texts), dtype=np.intp, count=len(items))

    return (
        list(index),
        rows("" if bare_attribution(item.text) else item.text for item in items),
        rows(item.previous for item in items),
        rows(item.next for item in items),
    )


def place_features(items: Sequence[SentenceInContext]) -> np.ndarray:
    """Binary facts of each sentence's place, columns as :data:`PLACE_FEATURES`."""
    rows = np.zeros((len(items), len(PLACE_FEATURES)), dtype=np.float32)
    for row, item in zip(rows, items):
        text = item.text.strip()
        words = len(text.split())
        position = item.position
        continued = item.quote and item.previous != "" and text[:1] not in ('"', "\u201c")
        row[:] = (
            position == 0,
            position in (1, 2),
            position is None,
            item.quote,
            continued,
            text.endswith("?"),
            not text.endswith(_FINAL_PUNCTUATION),
            words <= 8 and not item.quote and _ATTRIBUTION.search(text) is not None,
            words <= 4,
            5 <= words <= 9,
            10 <= words <= 19,
            words >= 20,
        )
    return rows


def default_model_path() -> Path:
    """The shipped model: ``models/framing.npz`` in the source tree, or installed data."""
    source_tree = Path(__file__).resolve().parent.parent / "models" / MODEL_FILENAME
    if source_tree.exists():
        return source_tree
    installed = Path(sys.prefix) / "share" / "framing" / "models" / MODEL_FILENAME
    return installed if installed.exists() else source_tree


def load_model(path: str | Path | None = None) -> FramingModel:
    """Load a model file, after checking its SHA-256; nothing in the file is executed.

    A model file holds arrays and JSON only (see :mod:`framing.persist`), so
    loading one never runs code; old pickle files (``.joblib``) are refused.
    The shipped model must match the SHA-256 pinned in the package; any other
    model file must match the SHA-256 in the model card beside it, which
    catches a damaged or half-copied file.

    Parameters
    ----------
    path : str or Path, optional
        A model file written by ``framing train``; the shipped model by default.

    Returns
    -------
    FramingModel

    Raises
    ------
    ModelError
        If the file or its card is missing, the file does not match its pinned
        or carded SHA-256, or it is not a framing model file.

    Warns
    -----
    ModelVersionWarning
        When the model was saved under another scikit-learn version.

    Examples
    --------
    >>> model = load_model()
    >>> model.labels
    ('enforcement', 'neutral', 'rights')
    """
    import sklearn

    from framing import persist

    shipped = default_model_path()
    path = Path(path) if path is not None else shipped
    persist.refuse_pickle(path)
    if not path.is_file():
        raise ModelError(f"no model file at {path} (run `framing train` to build one)")
    digest = sha256_file(path)
    if path.resolve() == shipped.resolve():
        if digest != persist.pinned_sha256():
            raise ModelError(
                f"{path} is not the model this framing ships (its SHA-256 differs from the one pinned "
                "in the package): reinstall framing, or rebuild it with `framing train`"
            )
        card = read_card(path) if path.with_suffix(".json").is_file() else {}
    else:
        card = read_card(path)
        if digest != card.get("model_sha256"):
            raise ModelError(
                f"{path.name} does not match the SHA-256 in its model card: refusing to load it "
                "(retrain with `framing train`)"
            )
    saved_under = card.get("versions", {}).get("scikit-learn")
    if saved_under and saved_under != sklearn.__version__:
        warnings.warn(
            f"model saved with scikit-learn {saved_under}, running {sklearn.__version__}; "
            "if results look wrong, rebuild it with `framing train`",
            ModelVersionWarning,
            stacklevel=2,
        )
    model = persist.load(path, FramingModel)
    model.source_path_ = path.resolve()
    return model


def _as_items(X: Sequence[str | SentenceInContext]) -> list[SentenceInContext]:
    if isinstance(X, str):
        raise TypeError("expected a sequence of sentences, got one string; wrap it in a list")
    return [as_context(item) for item in X]


def hstack_features(matrices: list):
    """Join feature blocks side by side (a no-op for one block)."""
    if len(matrices) == 1:
        return matrices[0]
    import scipy.sparse

    return scipy.sparse.hstack(matrices, format="csr")
