"""The model card: the JSON file beside a model that says what it is and how good.

A card records labels, hyper-parameters, cross-validation and test scores,
the SHA-256 of the training file and of the model file, library versions and
the date. Loading a model other than the shipped one checks the model file
against its card's SHA-256, which catches a damaged or half-copied file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from framing.errors import ModelError

# Card fields that legitimately change between two trainings on the same corpus.
VOLATILE_FIELDS = frozenset({"created", "versions", "model_sha256", "training_seconds"})


def card_path(model_path: str | Path) -> Path:
    """Where the card of the model file ``model_path`` lives (same name, ``.json``)."""
    return Path(model_path).with_suffix(".json")


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_card(model_path: str | Path) -> dict[str, Any]:
    """Read the card beside a model file.

    Raises
    ------
    ModelError
        If the card is missing or is not valid JSON.
    """
    path = card_path(model_path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(
            f"no model card at {path}: refusing to load {Path(model_path).name} "
            "(load only model files you trust; `framing train` writes both)"
        ) from None
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot read model card {path}: {error}") from None


def write_card(card: dict[str, Any], model_path: str | Path) -> Path:
    """Write ``card`` beside ``model_path``, keys in a stable order."""
    path = card_path(model_path)
    path.write_text(json.dumps(card, indent=2, sort_keys=False, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def stable_view(card: dict[str, Any]) -> dict[str, Any]:
    """The card without the fields that may differ between identical trainings."""
    return {key: value for key, value in card.items() if key not in VOLATILE_FIELDS}
