from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from sklearn.base import clone

import framing
from framing.corpus import read_labeled
from framing.errors import InputError, ModelError, ModelVersionWarning
from framing.model import FramingModel, load_model
from framing.training import C_VALUES, WORD_NGRAM_RANGES, train


@pytest.fixture(scope="module")
def trained(small_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("model")
    card = train(small_corpus, out)
    return out / "framing.joblib", card


def test_round_trip_train_save_load_predict(trained, small_corpus):
    path, card = trained
    model = load_model(path)
    test = read_labeled(small_corpus / "test.csv")
    probabilities = model.predict_proba(test.texts)
    assert probabilities.shape == (len(test), 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-6)
    assert model.labels == ("enforcement", "neutral", "rights")
    # Even 180 training sentences must beat chance (1/3) clearly on held-out ones.
    accuracy = np.mean(model.predict(test.texts) == np.asarray(test.labels))
    assert accuracy > 0.5
    assert card["evaluation"]["sentences"]["accuracy"] == pytest.approx(accuracy, abs=1e-4)


def test_model_card_records_what_it_should(trained):
    path, card = trained
    on_disk = json.loads(path.with_suffix(".json").read_text())
    assert on_disk == card
    assert card["labels"] == ["enforcement", "neutral", "rights"]
    assert card["training_data"]["sentences"] == 180
    assert len(card["training_data"]["sha256"]) == 64
    assert {"scikit-learn", "numpy", "python"} <= set(card["versions"])
    # every word n-gram range and the word+char setting, each with every C
    assert len(card["selection"]["candidates"]) == (len(WORD_NGRAM_RANGES) + 1) * len(C_VALUES)
    assert card["selection"]["best"]["macro_f1_mean"] == max(
        c["macro_f1_mean"] for c in card["selection"]["candidates"] if c["features"] == card["selection"]["best"]["features"]
    )


def test_training_is_deterministic(trained, small_corpus, tmp_path):
    _, first = trained
    second = train(small_corpus, tmp_path)
    assert second["model_sha256"] == first["model_sha256"]
    assert second["selection"] == first["selection"]
    assert second["evaluation"] == first["evaluation"]


def test_tampered_model_is_refused(trained, tmp_path):
    path, _ = trained
    copy = tmp_path / "framing.joblib"
    copy.write_bytes(path.read_bytes() + b"\x00")
    copy.with_suffix(".json").write_text(path.with_suffix(".json").read_text())
    with pytest.raises(ModelError, match="does not match the SHA-256"):
        load_model(copy)


def test_model_without_card_is_refused(trained, tmp_path):
    path, _ = trained
    lone = tmp_path / "lone.joblib"
    lone.write_bytes(path.read_bytes())
    with pytest.raises(ModelError, match="no model card"):
        load_model(lone)
    with pytest.raises(ModelError, match="no model file"):
        load_model(tmp_path / "absent.joblib")


def test_version_mismatch_warns_once_and_still_loads(trained, tmp_path):
    path, card = trained
    copy = tmp_path / "framing.joblib"
    copy.write_bytes(path.read_bytes())
    card = dict(card, versions=dict(card["versions"], **{"scikit-learn": "0.0.1"}))
    copy.with_suffix(".json").write_text(json.dumps(card))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = load_model(copy)
    messages = [str(w.message) for w in caught if issubclass(w.category, ModelVersionWarning)]
    assert len(messages) == 1 and "framing train" in messages[0]
    assert model.predict_proba(["a sentence"]).shape == (1, 3)


def test_behaves_like_a_scikit_learn_estimator():
    model = FramingModel(ngram_range=(1, 1), C=2.0)
    assert model.get_params()["C"] == 2.0
    assert clone(model).get_params() == model.get_params()
    with pytest.raises(ModelError, match="not fitted"):
        model.predict_proba(["x"])
    with pytest.raises(TypeError, match="one string"):
        FramingModel().fit("one string", ["neutral"])
    with pytest.raises(ValueError, match="missing"):
        FramingModel().fit(["a", "b"], ["neutral", "rights"])


def test_shipped_model_api_contract(shipped_model):
    assert shipped_model.labels == ("enforcement", "neutral", "rights")
    probabilities = shipped_model.predict_proba(["The board meets Tuesday.", "Another sentence here."])
    assert probabilities.shape == (2, 3)
    result = shipped_model.score(
        "Agents arrested a man with three prior convictions for assault. "
        "His daughter, 9, now walks to school alone and asks when her father is coming home. "
        "The county board meets on Tuesday at 6 p.m."
    )
    assert -1 <= result.slant_interval[0] <= result.slant <= result.slant_interval[1] <= 1
    assert [s.label for s in result.sentences] == ["enforcement", "rights", "neutral"]
    for sentence in result.sentences:
        assert set(sentence.probabilities) == set(shipped_model.labels)
        assert sentence.probabilities[sentence.label] == max(sentence.probabilities.values())
    assert sum(result.shares.values()) == pytest.approx(1.0)


def test_score_many_equals_scoring_one_by_one(shipped_model):
    texts = ["Sheriff Cole said the detainer kept a dangerous man off the streets.", "Families wept outside. The hearing is Feb. 4."]
    together = shipped_model.score_many(texts)
    for text, score in zip(texts, together):
        alone = shipped_model.score(text)
        assert alone.slant == pytest.approx(score.slant)
        assert alone.slant_interval == score.slant_interval


def test_scoring_text_without_sentences_is_an_input_error(shipped_model):
    with pytest.raises(InputError):
        shipped_model.score("   ")


def test_public_api_is_importable_lazily():
    assert framing.load_model is load_model
    assert "score" in dir(framing.FramingModel)
    with pytest.raises(AttributeError):
        framing.no_such_thing
