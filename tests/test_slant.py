from __future__ import annotations

import numpy as np
import pytest

from framing.slant import LABELS, aggregate, bootstrap_interval


def test_slant_is_mean_of_enforcement_minus_rights():
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.2, 0.7, 0.1]])
    score = aggregate(["a", "b", "c"], probabilities, LABELS)
    assert score.slant == pytest.approx(((0.7 - 0.1) + (0.1 - 0.8) + (0.2 - 0.1)) / 3)
    assert [s.label for s in score.sentences] == ["enforcement", "rights", "neutral"]
    assert score.shares == pytest.approx({"enforcement": 1 / 3, "neutral": 1 / 3, "rights": 1 / 3})
    assert score.sentences[1].probability == pytest.approx(0.8)
    assert score.sentences[1].lean == pytest.approx(-0.7)


def test_label_order_is_taken_from_the_columns():
    probabilities = np.array([[0.9, 0.05, 0.05]])
    score = aggregate(["a"], probabilities, ("rights", "neutral", "enforcement"))
    assert score.sentences[0].label == "rights"
    assert score.slant == pytest.approx(0.05 - 0.9)


def test_extreme_articles_reach_the_ends_of_the_scale():
    assert aggregate(["a", "b"], np.array([[1.0, 0, 0], [1.0, 0, 0]])).slant == 1.0
    assert aggregate(["a", "b"], np.array([[0, 0, 1.0], [0, 0, 1.0]])).slant == -1.0


def test_interval_brackets_slant_and_is_reproducible():
    rng = np.random.default_rng(7)
    probabilities = rng.dirichlet([1, 1, 1], size=40)
    first = aggregate([str(i) for i in range(40)], probabilities)
    second = aggregate([str(i) for i in range(40)], probabilities)
    low, high = first.slant_interval
    assert -1 <= low < first.slant < high <= 1
    assert first.slant_interval == second.slant_interval


def test_interval_narrows_with_more_sentences():
    rng = np.random.default_rng(3)
    values = rng.uniform(-1, 1, size=400)
    wide = np.subtract(*bootstrap_interval(values[:20])[::-1])
    narrow = np.subtract(*bootstrap_interval(values)[::-1])
    assert narrow < wide


def test_one_or_two_sentences_get_the_whole_scale_and_say_so():
    from framing.slant import describe_slant

    for rows in ([[0.6, 0.3, 0.1]], [[0.9, 0.05, 0.05], [0.8, 0.1, 0.1]]):
        score = aggregate(["a"] * len(rows), np.array(rows))
        assert score.slant_interval == (-1.0, 1.0)
        assert describe_slant(score.slant, len(rows)) == f"too few sentences to tell ({len(rows)})"
    three = aggregate(["a", "b", "c"], np.array([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.7, 0.2, 0.1]]))
    assert -1.0 < three.slant_interval[0] <= three.slant_interval[1] < 1.0
    assert describe_slant(three.slant, 3) == "strongly enforcement"


def test_no_sentences_or_bad_shapes_are_refused():
    with pytest.raises(ValueError, match="at least one sentence"):
        aggregate([], np.empty((0, 3)))
    with pytest.raises(ValueError, match="shape"):
        aggregate(["a", "b"], np.array([[0.5, 0.5, 0.0]]))
