"""Model files: arrays and JSON only, loaded without running code; the shipped model pinned."""

from __future__ import annotations

import json
import pickle
import zipfile

import numpy as np
import pytest

from framing import persist
from framing.card import sha256_file
from framing.context import in_context
from framing.errors import ModelError
from framing.model import FramingModel, default_model_path, load_model

ARTICLE = in_context([
    "County Frees Man ICE Wanted Held",
    "The sheriff said the man had two prior convictions.",
    "Families gathered outside the jail on Sunday.",
])


def test_saved_model_predicts_exactly_as_the_fitted_one(shipped_model, tmp_path):
    path = persist.save(shipped_model, tmp_path / "copy.npz")
    again = persist.load(path, FramingModel)
    np.testing.assert_array_equal(again.predict_proba(ARTICLE), shipped_model.predict_proba(ARTICLE))
    assert again.get_params() == shipped_model.get_params()
    assert again.labels == shipped_model.labels


def test_the_same_model_gives_the_same_bytes(shipped_model, tmp_path):
    first = persist.save(shipped_model, tmp_path / "a.npz")
    second = persist.save(persist.load(first, FramingModel), tmp_path / "b.npz")
    assert sha256_file(first) == sha256_file(second)


def test_the_file_holds_no_pickle(tmp_path, shipped_model):
    path = persist.save(shipped_model, tmp_path / "copy.npz")
    with np.load(path, allow_pickle=False) as data:  # would raise on any object array
        assert all(data[name].dtype != object for name in data.files)


class _Payload:
    """Writes a file when unpickled: what a hostile model file would do."""

    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (open, (str(self.target), "w"))


def test_a_pickle_model_file_is_refused_before_it_runs(tmp_path):
    target = tmp_path / "ran.txt"
    for name in ("old.joblib", "disguised.npz"):
        path = tmp_path / name
        path.write_bytes(pickle.dumps(_Payload(target)))
        path.with_suffix(".json").write_text(json.dumps({"model_sha256": sha256_file(path)}))
        with pytest.raises(ModelError, match="pickle|not a framing model"):
            load_model(path)
        assert not target.exists(), "loading ran code from the file"


def test_a_damaged_or_foreign_file_is_a_clear_error(shipped_model, tmp_path):
    good = persist.save(shipped_model, tmp_path / "good.npz")
    cut = tmp_path / "cut.npz"
    cut.write_bytes(good.read_bytes()[: 10_000])
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, weights=np.zeros(3))
    for path in (cut, foreign):
        with pytest.raises(ModelError, match="not a (usable )?framing model file"):
            persist.load(path, FramingModel)


def test_coefficients_that_do_not_fit_the_vocabulary_are_refused(shipped_model, tmp_path):
    path = persist.save(shipped_model, tmp_path / "good.npz")
    bad = tmp_path / "bad.npz"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bad, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "coef.npy":
                import io

                buffer = io.BytesIO()
                np.save(buffer, np.zeros((3, 7), dtype=np.float32))
                data = buffer.getvalue()
            target.writestr(entry, data)
    with pytest.raises(ModelError, match="coefficients do not fit"):
        persist.load(bad, FramingModel)


def test_the_shipped_model_is_checked_against_the_pin_not_its_card(tmp_path, monkeypatch):
    shipped = default_model_path()
    assert sha256_file(shipped) == persist.pinned_sha256()
    pin = tmp_path / "pin.sha256"
    pin.write_text("0" * 64 + "\n")
    monkeypatch.setattr(persist, "SHIPPED_PIN", pin)
    with pytest.raises(ModelError, match="pinned in the package"):
        load_model()


def test_an_unfitted_model_cannot_be_saved(tmp_path):
    with pytest.raises(ModelError):
        FramingModel().save(tmp_path / "x.npz")
