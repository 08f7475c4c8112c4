"""The framing classifier: TF-IDF features and a multinomial logistic regression.

:class:`FramingModel` behaves like a scikit-learn estimator (parameters stored
by ``__init__``, work done in :meth:`~FramingModel.fit`, ``get_params`` and
``clone`` work), and adds what framing needs: article scoring and per-sentence
explanations. After fitting it keeps only the vectorizers and the regression's
coefficients, so loading a model imports no more of scikit-learn than TF-IDF.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator

from framing.card import read_card, sha256_file
from framing.errors import InputError, ModelError, ModelVersionWarning
from framing.slant import LABELS, ArticleScore, aggregate
from framing.text import split_sentences

MODEL_FILENAME = "framing.joblib"
_CHAR_PREFIX = "char:"


class FramingModel(BaseEstimator):
    """Sentence framing classifier: enforcement, neutral or rights.

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 2)
        Word n-gram range of the TF-IDF features.
    char_ngram_range : tuple of int or None, default=None
        When given, character n-grams (within word boundaries) in this range
        are added to the word features. Slower to predict, sometimes more
        accurate on unseen wording.
    C : float, default=4.0
        Inverse regularization strength of the logistic regression.
    min_df : int, default=1
        Ignore word n-grams seen in fewer sentences than this.
    class_weight : "balanced" or None, default="balanced"
        Weight classes inversely to their frequency, so the rarer frames are
        not drowned by neutral sentences.
    max_iter : int, default=3000
        Iterations allowed to the lbfgs solver.

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

    Examples
    --------
    >>> model = FramingModel().fit(sentences, labels)  # doctest: +SKIP
    >>> model.predict_proba(["Agents arrested a man with two prior convictions."])  # doctest: +SKIP
    array([[0.81, 0.12, 0.07]])
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] | None = None,
        C: float = 4.0,
        min_df: int = 1,
        class_weight: str | None = "balanced",
        max_iter: int = 3000,
    ) -> None:
        self.ngram_range = ngram_range
        self.char_ngram_range = char_ngram_range
        self.C = C
        self.min_df = min_df
        self.class_weight = class_weight
        self.max_iter = max_iter

    # --- fitting -------------------------------------------------------------

    def fit(self, X: Sequence[str], y: Sequence[str]) -> FramingModel:
        """Fit the vectorizers and the regression on labeled sentences.

        Parameters
        ----------
        X : sequence of str
            Sentences.
        y : sequence of str
            Their labels; each of "enforcement", "neutral" and "rights" must occur.

        Returns
        -------
        self : FramingModel
            The fitted model.
        """
        from sklearn.linear_model import LogisticRegression

        X = _as_texts(X)
        y = np.asarray(list(y), dtype=object)
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} sentences but y has {len(y)} labels")
        unknown = sorted(set(y) - set(LABELS))
        missing = sorted(set(LABELS) - set(y))
        if unknown or missing:
            raise ValueError(f"labels must be exactly {LABELS}; unknown {unknown}, missing {missing}")

        self.vectorizers_ = self._make_vectorizers()
        features = hstack_features([vectorizer.fit_transform(X) for vectorizer in self.vectorizers_])
        for vectorizer in self.vectorizers_:
            # An object id that scikit-learn caches: it would make every model file differ.
            vectorizer.__dict__.pop("_stop_words_id", None)
        regression = LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=self.max_iter, solver="lbfgs"
        )
        regression.fit(features, y.astype(str))
        self.classes_ = regression.classes_
        self.coef_ = regression.coef_
        self.intercept_ = regression.intercept_
        return self

    def _make_vectorizers(self) -> list:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizers = [
            TfidfVectorizer(
                ngram_range=tuple(self.ngram_range),
                min_df=self.min_df,
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

    # --- prediction ----------------------------------------------------------

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels, in the column order of :meth:`predict_proba`."""
        self._check_fitted()
        return tuple(str(label) for label in self.classes_)

    def transform(self, X: Sequence[str]):
        """TF-IDF features of sentences, as a sparse matrix (n_sentences, n_features)."""
        self._check_fitted()
        X = _as_texts(X)
        return hstack_features([vectorizer.transform(X) for vectorizer in self.vectorizers_])

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        """Linear scores of each label, shape (n_sentences, n_labels)."""
        return np.asarray(self.transform(X) @ self.coef_.T) + self.intercept_

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Probability of each label for each sentence; no sentence splitting.

        Parameters
        ----------
        X : sequence of str
            Sentences.

        Returns
        -------
        ndarray of shape (n_sentences, 3)
            Columns in :attr:`labels` order; rows sum to 1.
        """
        scores = self.decision_function(X)
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def predict(self, X: Sequence[str]) -> np.ndarray:
        """Most probable label of each sentence."""
        return self.classes_[self.decision_function(X).argmax(axis=1)]

    def score(self, article_text: str) -> ArticleScore:
        """Split an article into sentences, classify them and aggregate.

        Unlike scikit-learn's ``score(X, y)``, which returns accuracy, this
        scores one article's framing.

        Parameters
        ----------
        article_text : str
            Plain text of one article.

        Returns
        -------
        ArticleScore

        Raises
        ------
        InputError
            If the text holds no sentence.
        """
        return self.score_many([article_text])[0]

    def score_many(self, article_texts: Iterable[str]) -> list[ArticleScore]:
        """Score several articles with one pass of the vectorizer and the model.

        Batching every sentence of many articles into one call is much faster
        than scoring articles one at a time.

        Parameters
        ----------
        article_texts : iterable of str
            Plain texts.

        Returns
        -------
        list of ArticleScore
            One per article, in order.

        Raises
        ------
        InputError
            If an article holds no sentence.
        """
        sentence_lists = [split_sentences(text) for text in article_texts]
        return self.score_sentence_lists(sentence_lists)

    def score_sentence_lists(self, sentence_lists: Sequence[Sequence[str]]) -> list[ArticleScore]:
        """Score articles that are already split into sentences (see :meth:`score_many`)."""
        for sentences in sentence_lists:
            if not sentences:
                raise InputError("no sentences to classify", reason="empty")
        flat = [sentence for sentences in sentence_lists for sentence in sentences]
        probabilities = self.predict_proba(flat) if flat else np.empty((0, len(self.classes_)))
        labels = self.labels
        scores, start = [], 0
        for sentences in sentence_lists:
            stop = start + len(sentences)
            scores.append(aggregate(sentences, probabilities[start:stop], labels))
            start = stop
        return scores

    # --- explanation ---------------------------------------------------------

    def feature_names(self) -> np.ndarray:
        """Names of the features, character n-grams prefixed with ``char:``."""
        self._check_fitted()
        names = [self.vectorizers_[0].get_feature_names_out()]
        for vectorizer in self.vectorizers_[1:]:
            names.append(np.char.add(_CHAR_PREFIX, vectorizer.get_feature_names_out().astype(str)))
        return np.concatenate(names)

    def explain(self, sentence: str, top: int = 5) -> list[tuple[str, float]]:
        """The n-grams that pushed a sentence most toward its label.

        Each feature's contribution is its TF-IDF value times the difference
        between the predicted label's coefficient and the runner-up label's.

        Parameters
        ----------
        sentence : str
            One sentence.
        top : int, default=5
            How many features to return at most.

        Returns
        -------
        list of (str, float)
            Features with a positive contribution, strongest first.
        """
        features = self.transform([sentence])
        scores = self.decision_function([sentence])[0]
        order = np.argsort(scores)[::-1]
        winner, runner_up = order[0], order[1]
        row = features.tocsr()
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

    def _feature_names_cached(self) -> np.ndarray:
        names = getattr(self, "_feature_names", None)
        if names is None:
            names = self.feature_names()
            self._feature_names = names
        return names

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_feature_names", None)  # derived; keep model files small and stable
        return state

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ModelError("this FramingModel is not fitted yet: call fit() or load_model()")

    # --- persistence ---------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Write the fitted model to ``path`` with joblib (compressed); returns the path."""
        import joblib

        self._check_fitted()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)
        return path


def default_model_path() -> Path:
    """The shipped model: ``models/framing.joblib`` in the source tree, or installed data."""
    source_tree = Path(__file__).resolve().parent.parent / "models" / MODEL_FILENAME
    if source_tree.exists():
        return source_tree
    installed = Path(sys.prefix) / "share" / "framing" / "models" / MODEL_FILENAME
    return installed if installed.exists() else source_tree


def load_model(path: str | Path | None = None) -> FramingModel:
    """Load a model, after checking its file against its model card.

    joblib files are pickles and loading one runs code: load only model files
    you trust. The model file's SHA-256 must match the card beside it.

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
        If the file or its card is missing, or the file does not match its card.

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
    import joblib
    import sklearn

    path = Path(path) if path is not None else default_model_path()
    if not path.is_file():
        raise ModelError(f"no model file at {path} (run `framing train` to build one)")
    card = read_card(path)
    expected = card.get("model_sha256")
    if sha256_file(path) != expected:
        raise ModelError(
            f"{path.name} does not match the SHA-256 in its model card: refusing to load it "
            "(retrain with `framing train`, and load only model files you trust)"
        )
    saved_under = card.get("versions", {}).get("scikit-learn")
    if saved_under and saved_under != sklearn.__version__:
        warnings.warn(
            f"model saved with scikit-learn {saved_under}, running {sklearn.__version__}; "
            "if results look wrong, rebuild it with `framing train`",
            ModelVersionWarning,
            stacklevel=2,
        )
    with warnings.catch_warnings():
        # We report a version difference ourselves, once, above.
        warnings.filterwarnings("ignore", category=UserWarning, module="sklearn")
        try:
            model = joblib.load(path)
        except Exception as error:  # a pickle can fail in many ways
            raise ModelError(f"cannot load {path}: {error}") from None
    if not isinstance(model, FramingModel):
        raise ModelError(f"{path} does not hold a FramingModel")
    return model


def _as_texts(X: Sequence[str]) -> list[str]:
    if isinstance(X, str):
        raise TypeError("expected a sequence of sentences, got one string; wrap it in a list")
    return [str(text) for text in X]


def hstack_features(matrices: list):
    """Join feature blocks side by side (a no-op for one block)."""
    if len(matrices) == 1:
        return matrices[0]
    import scipy.sparse

    return scipy.sparse.hstack(matrices, format="csr")
