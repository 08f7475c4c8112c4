"""Sentences read in their article: neighbours, position and quotations reach the model."""

from __future__ import annotations

import numpy as np
import pytest

from framing.context import SentenceInContext, as_context, in_context
from framing.model import FramingModel, PLACE_FEATURES, place_features


def test_neighbours_and_positions():
    items = in_context(["Headline here", "First sentence.", "Last one."])
    assert [item.position for item in items] == [0, 1, 2]
    assert [(item.previous, item.next) for item in items] == [
        ("", "First sentence."),
        ("Headline here", "Last one."),
        ("First sentence.", ""),
    ]
    assert in_context([]) == []


@pytest.mark.parametrize(
    "sentences, quoted",
    [
        # a quotation that runs over three sentences, closed by attribution
        (['"We were not told.', "Nobody called.", 'Nobody came," she said.', "The hearing is Friday."],
         [True, True, True, False]),
        # curly marks, and a new paragraph of the same quotation reopening without a close
        (["\u201cThey took him at dawn.", "\u201cHe had lived here 20 years.\u201d", "Agents declined to comment."],
         [True, True, False]),
        # scare quotes and a short title are not quotations
        (['The so-called "sanctuary" law took effect.', 'She read "Exile" twice.'], [False, False]),
        (['"Such policies cannot continue," Holt said.', "The vote is Monday."], [True, False]),
    ],
)
def test_quotations_are_followed_across_sentences(sentences, quoted):
    assert [item.quote for item in in_context(sentences)] == quoted


def test_plain_strings_are_sentences_without_context():
    item = as_context("Agents came at dawn.")
    assert item == SentenceInContext("Agents came at dawn.")
    assert as_context(item) is item
    with pytest.raises(TypeError, match="SentenceInContext"):
        as_context(3)


def test_place_features_describe_the_sentence():
    items = in_context(["Board Delays Vote", "Is this fair?", "Holt said."]) + [as_context("Alone.")]
    rows = {name: column for name, column in zip(PLACE_FEATURES, place_features(items).T)}
    assert rows["headline"].tolist() == [1, 0, 0, 0]
    assert rows["lead"].tolist() == [0, 1, 1, 0]
    assert rows["standalone"].tolist() == [0, 0, 0, 1]
    assert rows["question"].tolist() == [0, 1, 0, 0]
    assert rows["no_final_punctuation"].tolist() == [1, 0, 0, 0]
    assert rows["attribution_short"].tolist() == [0, 0, 1, 0]


def articles_where_a_reply_takes_the_frame_before_it():
    enforcement = ["He had three prior assault convictions and was deported twice.", "Gang members preyed on the neighborhood."]
    rights = ["Her children cried at the school gate after agents took their mother.", "Families live in fear of the raids."]
    neutral = ["The board meets on Tuesday at 6 p.m.", "The report was released on Monday."]
    X, y = [], []
    for index in range(12):
        for opener, label in ((enforcement[index % 2], "enforcement"), (rights[index % 2], "rights"), (neutral[index % 2], "neutral")):
            X += in_context([opener, "That is the point."])
            y += [label, label]
    return X, y


def test_a_context_model_reads_the_sentence_before():
    X, y = articles_where_a_reply_takes_the_frame_before_it()
    with_context = FramingModel(C=10.0, context_weight=1.0).fit(X, y)
    alone = FramingModel(C=10.0).fit(X, y)
    after_enforcement = in_context(["Deported twice, with prior assault convictions.", "That is the point."])[1]
    after_rights = in_context(["Children cried after agents took their mother.", "That is the point."])[1]
    assert with_context.predict([after_enforcement, after_rights]).tolist() == ["enforcement", "rights"]
    # read alone, the reply gets one label whatever came before it
    assert len(set(alone.predict([after_enforcement, after_rights]).tolist())) == 1
    names = with_context.feature_names()
    assert "prev:assault" in names and "next:point" in names
    assert any(name.startswith("prev:") for name, _ in with_context.explain(after_enforcement, top=10))


def test_context_blocks_do_not_change_sentences_without_neighbours():
    X, y = articles_where_a_reply_takes_the_frame_before_it()
    model = FramingModel(C=10.0, context_weight=1.0, place_weight=1.0).fit(X, y)
    lone = "Families live in fear of the raids."
    np.testing.assert_allclose(model.predict_proba([lone]), model.predict_proba([SentenceInContext(lone, quote=False)]))
    assert model.transform([lone]).shape[1] == len(model.feature_names())


def test_fast_scores_equal_the_full_feature_matrix():
    X, y = articles_where_a_reply_takes_the_frame_before_it()
    for place_weight in (0.0, 1.0):
        model = FramingModel(C=10.0, context_weight=0.5, place_weight=place_weight).fit(X, y)
        full = np.asarray(model.transform(X) @ model.coef_.T) + model.intercept_
        np.testing.assert_allclose(model.decision_function(X), full, rtol=1e-5, atol=1e-5)
