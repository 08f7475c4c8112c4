"""How does accuracy on real news grow with the corpus? (not a test)

Run: python benchmarks/bench_learning_curve.py PATH [--fractions 0.25 0.5 0.75 1] [--seeds 2] [--no-outlets] [--json]

PATH is a folder laid out like ../shared/realnews (see bench_realnews.py). For each
fraction, a seeded random share of corpus/train.csv's articles is kept (sentences written
alone are always kept), a model is fitted on it with the shipped model's hyper-parameters,
and bench_realnews's figures are measured, with macro-F1 on corpus/test.csv beside them.
Every fraction below 1 is drawn once per seed; the full corpus is fitted once. The last
lines fit each figure against log2 of the articles kept (the gain per doubling of the
corpus) and say how many times today's articles that slope would need to reach the
issue's targets, if it held.
Models live only in memory: nothing is written to models/, and nothing of PATH enters
any model.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

# Targets of the real-news issue, for the extrapolation.
TARGETS = {"macro_f1": 0.70, "spearman": 0.70, "auc": 0.80}


def articles_kept(articles: list[str], fraction: float, seed: int) -> np.ndarray:
    """Mask of the rows kept: every sentence written alone, and a seeded share of articles."""
    names = sorted(set(articles) - {""})
    chosen = set(np.random.default_rng(seed).permutation(names)[: round(fraction * len(names))])
    return np.array([article == "" or article in chosen for article in articles])


def figures(model, path: Path, test, outlets: bool) -> dict:
    from bench_realnews import measure

    from framing.evaluation import evaluate_sentences

    result = measure(model, path, outlets=outlets)
    return {
        "macro_f1": result["model"]["macro_f1"],
        "ece": result["model"]["ece"],
        "spearman": result["slant_spearman"]["model"],
        "auc": result["outlet_auc"]["model"] if outlets else None,
        "own_test_f1": evaluate_sentences(model, test)["macro_f1"],
    }


def doubling_fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Slope and intercept of a figure against log2 of the share of articles kept."""
    x = np.log2([share for share, _ in points])
    y = np.array([value for _, value in points])
    slope, intercept = np.polyfit(x, y, 1)
    return float(slope), float(intercept)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, help="folder laid out like the shared real-news set")
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.25, 0.5, 0.75, 1.0])
    parser.add_argument("--seeds", type=int, default=2, help="draws of each fraction below 1 (default 2)")
    parser.add_argument("--no-outlets", action="store_true", help="skip the outlet AUC (scores every article)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not (args.path / "sentences.csv").is_file():
        print(f"bench_learning_curve: no sentences.csv in {args.path}", file=sys.stderr)
        return 2
    if any(not 0 < fraction <= 1 for fraction in args.fractions):
        print("bench_learning_curve: every fraction must be in (0, 1]", file=sys.stderr)
        return 2

    from framing.corpus import read_labeled
    from framing.model import FramingModel, load_model
    from framing.training import sample_weights

    train = read_labeled(REPO / "corpus" / "train.csv")
    test = read_labeled(REPO / "corpus" / "test.csv")
    items, labels, weights = train.in_context(), np.asarray(train.labels), sample_weights(train)
    params = load_model().get_params()
    outlets = not args.no_outlets
    runs = []
    for fraction in sorted(set(args.fractions)):
        for seed in range(args.seeds if fraction < 1 else 1):
            keep = articles_kept(train.articles, fraction, seed)
            started = time.perf_counter()
            model = FramingModel(**params).fit(
                [items[i] for i in np.flatnonzero(keep)], labels[keep], sample_weight=weights[keep]
            )
            run = {"fraction": fraction, "seed": seed, "sentences": int(keep.sum()),
                   **figures(model, args.path, test, outlets)}
            runs.append(run)
            print(f"fraction {fraction:.2f} seed {seed}: {run['sentences']} sentences, real macro-F1 "
                  f"{run['macro_f1']:.3f} ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)

    names = ["macro_f1", "ece", "spearman"] + (["auc"] if outlets else []) + ["own_test_f1"]
    table = []
    for fraction in sorted({run["fraction"] for run in runs}):
        same = [run for run in runs if run["fraction"] == fraction]
        table.append({"fraction": fraction, "sentences": int(np.mean([r["sentences"] for r in same])),
                      "runs": len(same), **{name: float(np.mean([r[name] for r in same])) for name in names}})
    trends = {}
    if len(table) > 1:
        for name, target in TARGETS.items():
            if name not in names:
                continue
            slope, intercept = doubling_fit([(row["fraction"], row[name]) for row in table])
            # log2(times today's articles) at which the fitted line meets the target
            needed = 2 ** ((target - intercept) / slope) if slope > 0 else None
            trends[name] = {"per_doubling": slope, "target": target, "times_today": needed}
    if args.json:
        print(json.dumps({"runs": runs, "table": table, "trends": trends}, indent=2))
        return 0
    print("articles kept   sentences   " + "  ".join(f"{name:>11s}" for name in names))
    for row in table:
        print(f"{row['fraction'] * 100:>12g}%   {row['sentences']:>9,d}   "
              + "  ".join(f"{row[name]:>11.3f}" for name in names))
    for name, trend in trends.items():
        reach = (f"{trend['times_today']:.1f}x today's articles" if trend["times_today"] is not None
                 else "never, at this slope")
        print(f"{name}: {trend['per_doubling']:+.3f} per doubling of the articles; {trend['target']} at {reach}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
