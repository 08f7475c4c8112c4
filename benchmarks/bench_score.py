"""Benchmark `framing score` against the model alone (not a test).

Run: python benchmarks/bench_score.py [N ...]      (default: 1000 10000 100000)

For each N: writes N articles of about 30 sentences each, drawn from the
corpus, into a temporary folder; runs `framing score FOLDER -o OUT.jsonl` as a
user would (default --jobs); and prints wall time, articles/s, sentences/s and
peak memory (largest process); then runs it again with ``--jobs 1`` and
compares that with the time the shipped model alone takes to classify the same
sentences, each with its neighbours, in one process (vectorizer + regression,
batched): the ratio is the
whole run's cost relative to the model's.
"""

from __future__ import annotations

import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SENTENCES_PER_ARTICLE = 30


def corpus_sentences() -> list[str]:
    with open(REPO / "corpus" / "train.csv", newline="", encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def write_articles(folder: Path, n: int, pool: list[str], seed: int = 0) -> int:
    """N articles in sub-folders of 1,000; returns the number of sentences written."""
    rng = random.Random(seed)
    total = 0
    for index in range(n):
        sub = folder / f"batch{index // 1000:04d}"
        if index % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        count = rng.randint(SENTENCES_PER_ARTICLE - 10, SENTENCES_PER_ARTICLE + 10)
        chosen = rng.sample(pool, count)
        paragraphs = ["\n\n".join(" ".join(chosen[i : i + 3]) for i in range(0, count, 3))]
        (sub / f"article{index:06d}.txt").write_text(paragraphs[0], encoding="utf-8")
        total += count
    return total


def model_only_seconds(folder: Path) -> tuple[float, int]:
    """Time to classify every sentence of the folder's articles with the model alone."""
    import framing
    from framing.batch import iter_article_paths
    from framing.context import in_context
    from framing.text import split_sentences

    model = framing.load_model()
    batch: list = []
    elapsed, count = 0.0, 0
    paths = list(iter_article_paths(folder))
    for number, path in enumerate(paths, start=1):
        # Each sentence with its neighbours, as `framing score` reads them.
        batch.extend(in_context(split_sentences((folder / path).read_text(encoding="utf-8"))))
        if len(batch) >= 20_000 or number == len(paths):
            start = time.perf_counter()
            model.predict_proba(batch)
            elapsed += time.perf_counter() - start
            count += len(batch)
            batch = []
    return elapsed, count


def score_seconds(folder: Path, output: Path, jobs: int | None) -> float:
    """Wall time of `framing score` as a user runs it (a fresh process)."""
    command = [sys.executable, "-m", "framing", "score", str(folder), "-o", str(output), "--overwrite"]
    if jobs:
        command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(n: int, pool: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        write_articles(folder, n, pool)
        output = Path(tmp) / "scores.jsonl"
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        wall = score_seconds(folder, output, jobs=None)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rows = sum(1 for _ in open(output, encoding="utf-8"))
        # One worker against the model alone on one core: what reading, splitting,
        # aggregating and writing cost on top of the model.
        wall_one = score_seconds(folder, output, jobs=1)
        model_seconds, sentences = model_only_seconds(folder)
    peak = f"{peak_kib / 1024:,.0f} MiB" if peak_kib > before else f"<= {before / 1024:,.0f} MiB"
    print(
        f"N={n:>7,}  rows={rows:>7,}  default --jobs: {wall:7.1f} s  {n / wall:7,.0f} articles/s  "
        f"{sentences / wall:9,.0f} sentences/s  peak RSS {peak}  |  one core: {wall_one:7.1f} s  "
        f"model alone {model_seconds:6.1f} s ({sentences / model_seconds:,.0f} sentences/s)  "
        f"cost/model {wall_one / model_seconds:4.2f}x",
        flush=True,
    )


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [1_000, 10_000, 100_000]
    pool = corpus_sentences()
    print(f"{os.cpu_count()} cores; ~{SENTENCES_PER_ARTICLE} sentences an article from {len(pool):,} corpus sentences")
    for n in sizes:
        run(n, pool)


if __name__ == "__main__":
    main()
