"""The model file: a fitted model as plain arrays and JSON, loaded without running any code.

A model file is a zip of ``.npy`` arrays (numpy's ``.npz``), read with
``allow_pickle=False``: the vocabularies (UTF-8 text and offsets), idf weights,
coefficients and intercepts, plus one JSON document with the model's parameters
and the vectorizers' settings. Loading rebuilds the vectorizers and the model
from those; nothing in the file is ever executed, so a model passed between
colleagues can at worst give wrong labels, never run code. Old pickle files
(``.joblib``) are refused.

Writing is deterministic: the same model gives the same bytes (fixed entry
times, sorted entries), so a model's SHA-256 names its content.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from framing.errors import ModelError

FORMAT = "framing-model"
FORMAT_VERSION = 1
# Vectorizer settings a file may carry; anything else (a callable tokenizer, say) is refused.
_VECTORIZER_SETTINGS = {
    "analyzer", "binary", "decode_error", "encoding", "input", "lowercase", "max_df", "max_features",
    "min_df", "ngram_range", "norm", "smooth_idf", "stop_words", "strip_accents", "sublinear_tf",
    "token_pattern", "use_idf",
}
_DTYPES = ("float32", "float64")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PICKLE_SUFFIXES = (".joblib", ".pkl", ".pickle")
# The SHA-256 of the shipped model, kept in the package: the shipped model is checked against
# it, not against the card beside it (which anyone able to replace the model could rewrite).
SHIPPED_PIN = Path(__file__).resolve().parent / "shipped_model.sha256"


def save(model, path: str | Path) -> Path:
    """Write a fitted :class:`~framing.model.FramingModel` to ``path``; returns the path.

    Parameters
    ----------
    model : FramingModel
        A fitted model.
    path : str or Path
        The file to write (``.npz`` by convention); its folder is created.

    Returns
    -------
    Path
    """
    import numpy as np

    path = Path(path)
    arrays: dict[str, np.ndarray] = {
        "coef": np.asarray(model.coef_),
        "intercept": np.asarray(model.intercept_),
    }
    vectorizers = []
    for index, vectorizer in enumerate(model.vectorizers_):
        params = vectorizer.get_params()
        if params.get("preprocessor") or params.get("tokenizer") or params.get("vocabulary") is not None:
            raise ModelError("cannot save a vectorizer with a custom preprocessor, tokenizer or vocabulary")
        settings = {name: params[name] for name in sorted(_VECTORIZER_SETTINGS)}
        settings["ngram_range"] = list(settings["ngram_range"])
        if isinstance(settings["stop_words"], (list, tuple, frozenset, set)):
            settings["stop_words"] = sorted(settings["stop_words"])
        settings["dtype"] = np.dtype(params["dtype"]).name
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
        encoded = [term.encode("utf-8") for term in terms]
        arrays[f"terms_{index}"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        arrays[f"offsets_{index}"] = np.cumsum([0] + [len(term) for term in encoded], dtype=np.int64)
        arrays[f"idf_{index}"] = np.asarray(vectorizer.idf_)
        vectorizers.append(settings)
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "params": _jsonable(model.get_params()),
        "classes": [str(label) for label in model.classes_],
        "vectorizers": vectorizers,
    }
    arrays["meta"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, buffer.getvalue(), compresslevel=6)
    return path


def load(path: str | Path, estimator: type):
    """Read a model file written by :func:`save`, without unpickling anything.

    Parameters
    ----------
    path : str or Path
        The model file.
    estimator : type
        The model class to rebuild (:class:`framing.model.FramingModel`; passed in,
        so the file format does not depend on the model's module).

    Raises
    ------
    ModelError
        If the file is a pickle, is not a framing model file, or is damaged.
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    path = Path(path)
    try:
        refuse_pickle(path)
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except ValueError as error:
        if "pickled" in str(error) or path.suffix.lower() in PICKLE_SUFFIXES:
            raise _pickle_refused(path) from None
        raise ModelError(f"{path} is not a framing model file ({error})") from None
    except (OSError, zipfile.BadZipFile, EOFError) as error:
        raise ModelError(f"{path} is not a framing model file ({error})") from None
    try:
        meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError("not a framing model")
        if meta.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"format version {meta.get('format_version')}, this framing reads {FORMAT_VERSION}")
        params = dict(meta["params"])
        for name in ("ngram_range", "char_ngram_range"):
            if params.get(name) is not None:
                params[name] = tuple(params[name])
        model = estimator(**params)
        vectorizers = []
        for index, settings in enumerate(meta["vectorizers"]):
            settings = dict(settings)
            unknown = set(settings) - _VECTORIZER_SETTINGS - {"dtype"}
            if unknown:
                raise ValueError(f"unknown vectorizer setting {sorted(unknown)[0]!r}")
            settings["ngram_range"] = tuple(settings["ngram_range"])
            if settings["dtype"] not in _DTYPES:
                raise ValueError(f"unknown dtype {settings['dtype']!r}")
            settings["dtype"] = np.dtype(settings["dtype"]).type
            vectorizer = TfidfVectorizer(**settings)
            text = bytes(arrays[f"terms_{index}"])
            offsets = arrays[f"offsets_{index}"]
            terms = [text[start:end].decode("utf-8") for start, end in zip(offsets[:-1], offsets[1:])]
            vectorizer.vocabulary_ = {term: position for position, term in enumerate(terms)}
            if len(vectorizer.vocabulary_) != len(terms):
                raise ValueError("repeated vocabulary terms")
            vectorizer.fixed_vocabulary_ = False
            vectorizer.idf_ = arrays[f"idf_{index}"]
            vectorizers.append(vectorizer)
        model.vectorizers_ = vectorizers
        model.classes_ = np.asarray(meta["classes"])
        model.coef_ = arrays["coef"]
        model.intercept_ = arrays["intercept"]
        width = sum(len(v.vocabulary_) for v in vectorizers)
        expected = model.n_features_for(width)
        if model.coef_.shape != (len(model.classes_), expected) or model.intercept_.shape != (len(model.classes_),):
            raise ValueError("coefficients do not fit the vocabulary")
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as error:
        raise ModelError(f"{path} is not a usable framing model file ({error})") from None
    return model


def _pickle_refused(path: Path) -> ModelError:
    return ModelError(
        f"{path} is a pickle (an older framing's .joblib model): refusing to load it, because loading "
        "a pickle runs code; rebuild it with `framing train`"
    )


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {name: list(value) if isinstance(value, tuple) else value for name, value in params.items()}


def pinned_sha256() -> str | None:
    """The SHA-256 the package pins for the shipped model (None if the pin is missing)."""
    try:
        return SHIPPED_PIN.read_text(encoding="ascii").strip() or None
    except OSError:
        return None


def pin_shipped(digest: str) -> None:
    """Pin ``digest`` as the shipped model's SHA-256 (``framing train`` into the shipped folder)."""
    SHIPPED_PIN.write_text(digest + "\n", encoding="ascii")


def refuse_pickle(path: Path) -> None:
    """Raise :class:`ModelError` for a pickle model file, before anything reads it."""
    if Path(path).suffix.lower() in PICKLE_SUFFIXES:
        raise _pickle_refused(Path(path))
