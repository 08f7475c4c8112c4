"""How the model does on real published coverage, beside the baselines, in one run.

Usage:
    python benchmarks/bench_realnews.py PATH [--model MODEL] [--json]

PATH is a folder laid out like the project's shared real-news set: ``sentences.csv``
(``text,label,article,position,...``: sentences labeled blind, in article order,
position 0 the headline) and ``articles/{left,center,right}/*.txt`` (real articles
in sub-folders by the outlet's rating). Nothing of it is trained on; it only measures.

Prints, for the model and the keyword and majority baselines:
- sentence macro-F1 and per-label F1 on sentences.csv, with expected calibration error;
- article slant against the slant of the gold labels (Spearman over the labeled
  articles; slant over the labeled sentences, for model and gold alike);
- outlet-lean AUC: how well article slant separates right-rated from left-rated
  outlets over every article (center left out).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np


def read_labeled_articles(path: Path) -> list[dict]:
    """The labeled sentences of sentences.csv, grouped by article in reading order."""
    articles: dict[str, list[dict]] = defaultdict(list)
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            articles[row["article"]].append(row)
    result = []
    for article, rows in articles.items():
        rows.sort(key=lambda row: int(row["position"]))
        result.append({"article": article, "texts": [r["text"] for r in rows], "labels": [r["label"] for r in rows]})
    return result


def read_outlet_articles(root: Path) -> tuple[list[str], list[int]]:
    """Texts of every left- and right-rated article, with 1 for right and 0 for left."""
    from framing.text import read_article

    texts, right = [], []
    for lean, value in (("left", 0), ("right", 1)):
        for path in sorted((root / "articles" / lean).glob("*.txt")):
            texts.append(read_article(path).text)
            right.append(value)
    return texts, right


def keyword_lean(texts: list[str]) -> np.ndarray:
    """Per sentence: +1 keyword-enforcement, -1 keyword-rights, 0 otherwise."""
    from framing.evaluation import KeywordBaseline

    predicted = KeywordBaseline().predict(texts)
    return (predicted == "enforcement").astype(float) - (predicted == "rights").astype(float)


def measure(model, root: str | Path, *, outlets: bool = True) -> dict:
    """Every figure of this benchmark for one model (and the baselines)."""
    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    from framing.context import in_context
    from framing.evaluation import KeywordBaseline, classification_scores, expected_calibration_error
    from framing.scoring import score_articles
    from framing.text import split_sentences

    root = Path(root)
    labeled = read_labeled_articles(root / "sentences.csv")
    items = [item for article in labeled for item in in_context(article["texts"])]
    texts = [text for article in labeled for text in article["texts"]]
    truth = [label for article in labeled for label in article["labels"]]
    probabilities = model.predict_proba(items)
    labels = model.labels
    predicted = np.asarray(labels)[probabilities.argmax(axis=1)]
    keywords = KeywordBaseline().predict(texts)
    result = {
        "sentences": len(texts),
        "model": classification_scores(truth, predicted, labels),
        "keywords": classification_scores(truth, keywords, labels),
        "majority": classification_scores(truth, ["neutral"] * len(truth), labels),
    }
    result["model"]["ece"] = expected_calibration_error(probabilities, truth, labels)

    lean = probabilities[:, labels.index("enforcement")] - probabilities[:, labels.index("rights")]
    gold = np.array([{"enforcement": 1.0, "rights": -1.0}.get(label, 0.0) for label in truth])
    keyword = keyword_lean(texts)
    model_slant, gold_slant, keyword_slant, start = [], [], [], 0
    for article in labeled:
        stop = start + len(article["texts"])
        model_slant.append(lean[start:stop].mean())
        gold_slant.append(gold[start:stop].mean())
        keyword_slant.append(keyword[start:stop].mean())
        start = stop
    result["slant_spearman"] = {
        "articles": len(labeled),
        "model": round(float(spearmanr(model_slant, gold_slant).statistic), 4),
        "keywords": round(float(spearmanr(keyword_slant, gold_slant).statistic), 4),
    }

    if outlets:
        started = time.perf_counter()
        outlet_texts, right = read_outlet_articles(root)
        scores = score_articles(model, outlet_texts)
        seconds = time.perf_counter() - started
        keyword_slants = [keyword_lean(split_sentences(text)).mean() for text in outlet_texts]
        result["outlet_auc"] = {
            "articles": len(outlet_texts),
            "model": round(float(roc_auc_score(right, [s.slant for s in scores])), 4),
            "keywords": round(float(roc_auc_score(right, keyword_slants)), 4),
            "seconds": round(seconds, 1),
        }
    return result


def print_table(result: dict) -> None:
    rows = [("framing model", result["model"]), ("baseline: keywords", result["keywords"]), ("baseline: majority", result["majority"])]
    print(f"sentences.csv: {result['sentences']} sentences labeled blind")
    print(f"{'':20} {'macro-F1':>9} {'F1 enf':>7} {'F1 neu':>7} {'F1 rig':>7} {'ECE':>6}")
    for name, scores in rows:
        per = scores["per_class"]
        ece = f"{scores['ece']:.3f}" if "ece" in scores else ""
        print(
            f"{name:20} {scores['macro_f1']:9.3f} {per['enforcement']['f1']:7.3f} "
            f"{per['neutral']['f1']:7.3f} {per['rights']['f1']:7.3f} {ece:>6}"
        )
    spearman = result["slant_spearman"]
    print(
        f"article slant vs gold-label slant, Spearman over {spearman['articles']} articles: "
        f"model {spearman['model']:.3f}, keywords {spearman['keywords']:.3f}"
    )
    if "outlet_auc" in result:
        auc = result["outlet_auc"]
        print(
            f"outlet lean (right- vs left-rated), AUC over {auc['articles']} articles: "
            f"model {auc['model']:.3f}, keyword slant {auc['keywords']:.3f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="folder laid out like the shared real-news set")
    parser.add_argument("--model", type=Path, default=None, help="model file (default: the shipped model)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not (args.path / "sentences.csv").is_file():
        print(f"bench_realnews: no sentences.csv in {args.path}", file=sys.stderr)
        return 2

    from framing.model import load_model

    result = measure(load_model(args.model), args.path)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
