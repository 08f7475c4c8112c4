"""The one place where text, model and slant meet: article text in, :class:`ArticleScore` out.

Data flows one way: text -> sentences (:mod:`framing.text`) -> sentences in
context (:mod:`framing.context`) and their voices (:mod:`framing.quotes`) ->
probabilities (:mod:`framing.model`) -> article score (:mod:`framing.slant`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from framing.context import in_context
from framing.errors import InputError
from framing.quotes import attribute
from framing.slant import ArticleScore, aggregate
from framing.text import split_sentences


def score_article(model, text: str) -> ArticleScore:
    """Split one article into sentences, classify each in its context, and aggregate.

    Parameters
    ----------
    model : FramingModel
        A fitted model (:func:`framing.load_model`).
    text : str
        Plain text of one article; its first line is read as the headline.

    Returns
    -------
    ArticleScore

    Raises
    ------
    InputError
        If the text holds no sentence.

    Examples
    --------
    >>> from framing.model import load_model
    >>> result = score_article(load_model(), "Board meets Tuesday. The vote is at 6 p.m.")
    >>> len(result.sentences)
    2
    """
    return score_articles(model, [text])[0]


def score_articles(model, texts: Iterable[str]) -> list[ArticleScore]:
    """Score several articles with one pass of the vectorizer and the model.

    Batching every sentence of many articles into one call is much faster
    than scoring articles one at a time; the results are the same.

    Raises
    ------
    InputError
        If an article holds no sentence.
    """
    return score_sentence_lists(model, [split_sentences(text) for text in texts])


def score_sentence_lists(model, sentence_lists: Sequence[Sequence[str]]) -> list[ArticleScore]:
    """Score articles that are already split into sentences (see :func:`score_articles`)."""
    for sentences in sentence_lists:
        if not sentences:
            raise InputError("no sentences to classify", reason="empty")
    items = [item for sentences in sentence_lists for item in in_context(sentences)]
    probabilities = model.predict_proba(items) if items else np.empty((0, len(model.classes_)))
    labels = model.labels
    scores, start = [], 0
    for sentences in sentence_lists:
        stop = start + len(sentences)
        scores.append(aggregate(sentences, probabilities[start:stop], labels, voices=attribute(sentences)))
        start = stop
    return scores


def explain_article(model, score: ArticleScore, top: int = 5) -> list[list[tuple[str, float]]]:
    """The evidence of every sentence of a scored article, read in its context."""
    items = in_context([sentence.text for sentence in score.sentences])
    return [model.explain(item, top=top) for item in items]
