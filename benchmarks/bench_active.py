"""Does labeling one's own sentences help, and does choosing them well help more? (not a test)

Run: python benchmarks/bench_active.py PATH [--budgets 25 50 100 200] [--seeds 5] [--splits 1] [--weight W] [--json]

PATH is a folder laid out like ../shared/realnews: ``sentences.csv`` with ``text``,
``label``, ``article`` and ``position`` columns. The gold labels play the annotator.
The pool's articles are split in two halves (seeded). From the first half, ``framing
annotate``'s ordering chooses N sentences (``uncertain``: smallest margin first,
spread over articles; ``random``: a seeded shuffle); a model is fitted on
corpus/train.csv plus those N sentences (each weighted as ``train --extra`` weighs
them, with the shipped model's hyper-parameters) and measured on the second half's
sentences (macro-F1). The shipped model's score on the same half is the baseline. With ``--splits K``
(K > 1) the articles are split K ways (each seeded shuffle used in both directions),
and every figure is the mean over the splits: one split of a few dozen articles can
give the two halves very different label shares.
Models live only in memory: nothing is written to models/, and nothing of PATH
enters the shipped model.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def read_pool(path: Path) -> dict[str, list[dict]]:
    articles: dict[str, list[dict]] = defaultdict(list)
    with open(path / "sentences.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            articles[row["article"]].append(row)
    for rows in articles.values():
        rows.sort(key=lambda row: int(row["position"]))
    return dict(articles)


def in_context_rows(articles: dict[str, list[dict]]) -> tuple[list, list[str], list[str]]:
    """Each labeled sentence with its labeled neighbours, its gold label and its article."""
    from framing.context import in_context

    items, labels, names = [], [], []
    for name, rows in articles.items():
        items += in_context([row["text"] for row in rows])
        labels += [row["label"] for row in rows]
        names += [name] * len(rows)
    return items, labels, names


def halves(articles: dict[str, list[dict]], split: int) -> tuple[dict, dict]:
    """The pool half and the held-out half of split number `split`: split 0 is the
    benchmark's original seeded shuffle, odd splits swap the halves of the split before."""
    names = sorted(articles)
    random.Random(2026 + split // 2).shuffle(names)
    first, second = names[: len(names) // 2], names[len(names) // 2 :]
    if split % 2:
        first, second = second, first
    return {name: articles[name] for name in first}, {name: articles[name] for name in second}


def choose(model, items, names, count: int, strategy: str, seed: int) -> list[int]:
    """Indices of the sentences `framing annotate` would ask about first."""
    from framing.annotate import Candidate, order

    probabilities = model.predict_proba(items)
    ordered = np.sort(probabilities, axis=1)
    margins = ordered[:, -1] - ordered[:, -2]
    pool = [Candidate(str(i), item.text, "", "", names[i], "", 0, "", 0.0, float(margins[i]))
            for i, item in enumerate(items)]
    return [int(c.id) for c in order(pool, strategy, seed)[:count]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--budgets", type=int, nargs="+", default=[25, 50, 100, 200])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--splits", type=int, default=1, help="article splits to average over (default 1)")
    parser.add_argument("--weight", type=float, default=None, help="weight of each chosen sentence (default: train --extra's)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from framing.corpus import read_labeled
    from framing.defaults import EXTRA_WEIGHT
    from framing.evaluation import classification_scores
    from framing.model import FramingModel, load_model
    from framing.training import sample_weights

    articles = read_pool(args.path)
    shipped = load_model()
    corpus = read_labeled(REPO / "corpus" / "train.csv")
    corpus_items, corpus_weights = corpus.in_context(), sample_weights(corpus)
    params = shipped.get_params()
    weight = args.weight if args.weight is not None else EXTRA_WEIGHT
    results: dict = {"splits": [], "weight": weight, "curves": {}}
    runs: dict = defaultdict(list)  # (strategy, budget) -> [(score, gain over shipped), ...]
    for split in range(args.splits):
        first, second = halves(articles, split)
        pool_items, pool_labels, pool_names = in_context_rows(first)
        test_items, test_labels, _ = in_context_rows(second)
        baseline = classification_scores(test_labels, list(shipped.predict(test_items)))["macro_f1"]
        results["splits"].append({"pool": len(pool_items), "test": len(test_items), "shipped": baseline})
        print(f"split {split}: pool {len(pool_items)} sentences ({len(first)} articles); held-out half "
              f"{len(test_items)} sentences ({len(second)} articles); shipped model macro-F1 {baseline:.3f}",
              file=sys.stderr)
        for strategy in ("uncertain", "random"):
            for budget in args.budgets:
                for seed in range(args.seeds if strategy == "random" else 1):  # uncertain is deterministic
                    chosen = choose(shipped, pool_items, pool_names, budget, strategy, seed)
                    started = time.perf_counter()
                    model = FramingModel(**params).fit(
                        list(corpus_items) + [pool_items[i] for i in chosen],
                        list(corpus.labels) + [pool_labels[i] for i in chosen],
                        sample_weight=np.concatenate([corpus_weights, np.full(len(chosen), weight)]),
                    )
                    score = classification_scores(test_labels, list(model.predict(test_items)))["macro_f1"]
                    runs[strategy, budget].append((score, score - baseline))
                    print(f"split {split} {strategy:9s} {budget:4d} seed {seed}: macro-F1 {score:.3f} "
                          f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    results["shipped"] = float(np.mean([split["shipped"] for split in results["splits"]]))
    for (strategy, budget), pairs in runs.items():
        scores, gains = np.array(pairs).T
        results["curves"].setdefault(strategy, {})[budget] = {
            "mean": float(scores.mean()), "std": float(scores.std()), "gain": float(gains.mean()),
            "gain_std": float(gains.std()), "runs": len(scores)}
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"held-out half: shipped model {results['shipped']:.3f} (mean of {args.splits} split(s))")
        print("sentences  " + "  ".join(f"{s:>31s}" for s in results["curves"]))
        for budget in args.budgets:
            cells = [f"{c[budget]['mean']:.3f} ({c[budget]['gain']:+.3f} ± {c[budget]['gain_std']:.3f}, {c[budget]['runs']})"
                     for c in results["curves"].values()]
            print(f"{budget:9d}  " + "  ".join(f"{cell:>31s}" for cell in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
