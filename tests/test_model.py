from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from sklearn.base import clone

import framing
from framing.corpus import read_labeled
from framing.errors import InputError, ModelError, ModelVersionWarning
from framing.model import FramingModel, NotFittedError, load_model
from framing.scoring import score_article, score_articles
from framing.training import C_VALUES, CLASS_WEIGHTS, CONTEXT_WEIGHTS, train


@pytest.fixture(scope="module")
def trained(small_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("model")
    card = train(small_corpus, out)
    return out / "framing.npz", card


def test_round_trip_train_save_load_predict(trained, small_corpus):
    path, card = trained
    model = load_model(path)
    test = read_labeled(small_corpus / "test.csv")
    probabilities = model.predict_proba(test.in_context())
    assert probabilities.shape == (len(test), 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-6)
    assert model.labels == ("enforcement", "neutral", "rights")
    # Even a few hundred training sentences must beat chance (1/3) clearly on held-out ones.
    accuracy = model.score(test.in_context(), test.labels)
    assert accuracy > 0.5
    assert card["evaluation"]["sentences"]["accuracy"] == pytest.approx(accuracy, abs=1e-4)


def test_model_card_records_what_it_should(trained):
    path, card = trained
    on_disk = json.loads(path.with_suffix(".json").read_text())
    assert on_disk == card
    assert card["labels"] == ["enforcement", "neutral", "rights"]
    assert card["training_data"]["sentences"] == 180 + card["training_data"]["article_sentences"]
    assert card["training_data"]["articles"] == 8
    assert len(card["training_data"]["sha256"]) == 64
    assert {"scikit-learn", "numpy", "python"} <= set(card["versions"])
    # every word n-gram range with every class weight and C
    candidates = card["selection"]["candidates"]
    assert len(candidates) == len(CONTEXT_WEIGHTS) * len(CLASS_WEIGHTS) * len(C_VALUES)
    chosen = card["selection"]["chosen"]
    assert chosen in candidates
    assert card["hyperparameters"]["C"] == chosen["C"]
    assert card["hyperparameters"]["class_weight"] == chosen["class_weight"]
    assert card["hyperparameters"]["temperature"] == card["calibration"]["temperature"]


def test_training_is_deterministic(trained, small_corpus, tmp_path):
    _, first = trained
    second = train(small_corpus, tmp_path)
    assert second["model_sha256"] == first["model_sha256"]
    assert second["selection"] == first["selection"]
    assert second["evaluation"] == first["evaluation"]


def test_tampered_model_is_refused(trained, tmp_path):
    path, _ = trained
    copy = tmp_path / "framing.npz"
    copy.write_bytes(path.read_bytes() + b"\x00")
    copy.with_suffix(".json").write_text(path.with_suffix(".json").read_text())
    with pytest.raises(ModelError, match="does not match the SHA-256"):
        load_model(copy)


def test_model_without_card_is_refused(trained, tmp_path):
    path, _ = trained
    lone = tmp_path / "lone.npz"
    lone.write_bytes(path.read_bytes())
    with pytest.raises(ModelError, match="no model card"):
        load_model(lone)
    with pytest.raises(ModelError, match="no model file"):
        load_model(tmp_path / "absent.npz")


def test_version_mismatch_warns_once_and_still_loads(trained, tmp_path):
    path, card = trained
    copy = tmp_path / "framing.npz"
    copy.write_bytes(path.read_bytes())
    card = dict(card, versions=dict(card["versions"], **{"scikit-learn": "0.0.1"}))
    copy.with_suffix(".json").write_text(json.dumps(card))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = load_model(copy)
    messages = [str(w.message) for w in caught if issubclass(w.category, ModelVersionWarning)]
    assert len(messages) == 1 and "framing train" in messages[0]
    assert model.predict_proba(["a sentence"]).shape == (1, 3)


def test_behaves_like_a_scikit_learn_classifier(small_corpus):
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError
    from sklearn.model_selection import cross_val_score

    model = FramingModel(ngram_range=(1, 1), C=2.0)
    assert model.get_params()["C"] == 2.0
    assert clone(model).get_params() == model.get_params()
    with pytest.raises(NotFittedError, match="not fitted"):
        model.predict_proba(["x"])
    with pytest.raises(SklearnNotFittedError):
        model.predict(["x"])
    assert issubclass(NotFittedError, ModelError)
    data = read_labeled(small_corpus / "train.csv")
    scores = cross_val_score(FramingModel(C=8.0), data.texts, data.labels, cv=3)
    assert len(scores) == 3 and scores.mean() > 0.5
    fitted = FramingModel(C=8.0).fit(data.texts, data.labels)
    # score(X, y) is accuracy, as for every scikit-learn classifier
    assert fitted.score(data.texts, data.labels) == pytest.approx(
        np.mean(fitted.predict(data.texts) == np.asarray(data.labels))
    )
    with pytest.raises(TypeError, match="one string"):
        FramingModel().fit("one string", ["neutral"])
    with pytest.raises(ValueError, match="missing"):
        FramingModel().fit(["a", "b"], ["neutral", "rights"])


def test_temperature_softens_probabilities_keeps_labels_and_is_saved(small_corpus, tmp_path):
    data = read_labeled(small_corpus / "train.csv")
    sharp = FramingModel(C=8.0).fit(data.in_context(), data.labels)
    soft = FramingModel(C=8.0, temperature=2.0).fit(data.in_context(), data.labels)
    items = data.in_context()[:50]
    assert (soft.predict(items) == sharp.predict(items)).all()
    assert (soft.predict_proba(items).max(axis=1) < sharp.predict_proba(items).max(axis=1)).all()
    scores = sharp.decision_function(items) / 2.0
    expected = np.exp(scores - scores.max(axis=1, keepdims=True))
    np.testing.assert_allclose(soft.predict_proba(items), expected / expected.sum(axis=1, keepdims=True), rtol=1e-5)
    path = soft.save(tmp_path / "soft.npz")
    from framing import persist

    reloaded = persist.load(path, FramingModel)
    assert reloaded.temperature == 2.0
    np.testing.assert_allclose(reloaded.predict_proba(items), soft.predict_proba(items), rtol=1e-6)
    with pytest.raises(ValueError, match="temperature"):
        FramingModel(temperature=0.0).fit(data.texts, data.labels)


def test_neither_a_speakers_gender_nor_a_bare_attribution_line_moves_the_label(small_corpus):
    data = read_labeled(small_corpus / "train.csv")
    model = FramingModel(C=8.0, context_weight=0.3).fit(data.in_context(), data.labels)
    vocabulary = model.vectorizers_[0].vocabulary_
    assert not {"he", "she", "her", "his", "she said", "he said"} & set(vocabulary)
    assert "said" in vocabulary
    # Alone, a bare attribution line has no features at all: it gets the model's prior.
    bare = model.transform(["Sheriff Dale Burke said.", "Advocates said.", "She added."])
    assert bare.nnz == 0
    prior = model.predict_proba(["Sheriff Dale Burke said."])
    np.testing.assert_allclose(model.predict_proba(["Advocates said."]), prior)
    # In an article, only its neighbours count; a sentence with content is read as before.
    article = framing.in_context(["Agents arrested six men.", "Sheriff Dale Burke said.", "The vote is Tuesday."])
    same_words = framing.in_context(["Agents arrested six men.", "Advocates said.", "The vote is Tuesday."])
    np.testing.assert_allclose(model.predict_proba(article)[1], model.predict_proba(same_words)[1])
    assert model.transform(["Advocates said the raids were cruel."]).nnz > 0


def test_shipped_model_api_contract(shipped_model):
    assert shipped_model.labels == ("enforcement", "neutral", "rights")
    probabilities = shipped_model.predict_proba(["The board meets Tuesday.", "Another sentence here."])
    assert probabilities.shape == (2, 3)
    result = score_article(
        shipped_model,
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
    together = score_articles(shipped_model, texts)
    for text, score in zip(texts, together):
        alone = score_article(shipped_model, text)
        assert alone.slant == pytest.approx(score.slant)
        assert alone.slant_interval == score.slant_interval


def test_scoring_text_without_sentences_is_an_input_error(shipped_model):
    with pytest.raises(InputError):
        score_article(shipped_model, "   ")


def test_public_api_is_importable_lazily():
    assert framing.load_model is load_model
    assert framing.score_article is score_article
    with pytest.raises(AttributeError):
        framing.no_such_thing
