"""framing: tag sentences of immigration-enforcement news as enforcement-, rights-framed or
neutral, and score each article's slant.

>>> import framing
>>> model = framing.load_model()
>>> result = framing.score_article(model, "Agents arrested 14 workers at the plant. Their children waited at school.")
>>> result.slant  # doctest: +SKIP

Names are imported on first use, so ``import framing`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_model": "framing.model",
    "FramingModel": "framing.model",
    "ArticleScore": "framing.slant",
    "SentenceScore": "framing.slant",
    "LABELS": "framing.labels",
    "Article": "framing.text",
    "read_article": "framing.text",
    "split_sentences": "framing.text",
    "train": "framing.training",
    "score_folder": "framing.batch",
    "score_article": "framing.scoring",
    "score_articles": "framing.scoring",
    "in_context": "framing.context",
    "SentenceInContext": "framing.context",
    "evaluate": "framing.evaluation",
    "FramingError": "framing.errors",
    "InputError": "framing.errors",
    "ModelError": "framing.errors",
    "CorpusError": "framing.errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]

if TYPE_CHECKING:
    from framing.errors import CorpusError, FramingError, InputError, ModelError
    from framing.model import FramingModel, load_model
    from framing.context import SentenceInContext, in_context
    from framing.labels import LABELS
    from framing.scoring import score_article, score_articles
    from framing.slant import ArticleScore, SentenceScore
    from framing.text import Article, read_article, split_sentences
    from framing.training import train
    from framing.batch import score_folder
    from framing.evaluation import evaluate


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'framing' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
