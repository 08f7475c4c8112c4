"""Compare sentence splitters on news hazards and on speed (not a test).

Run: python benchmarks/bench_split.py

Prints, for each candidate library (raw, without our post-processing) and for
framing's own splitter (library + post-processing), how many of the hazard
cases it gets exactly right and how many sentences per second it splits.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

# Each case: a text and the sentences a careful reader expects (shared with the tests).
HAZARDS: list[tuple[str, list[str]]] = [
    (case["text"], case["sentences"])
    for case in json.loads((Path(__file__).resolve().parent.parent / "tests" / "data" / "split_hazards.json").read_text())
]


def _blingfire(text: str) -> list[str]:
    import blingfire

    return [s for s in blingfire.text_to_sentences(text).split("\n") if s.strip()]


def _pysbd_factory() -> Callable[[str], list[str]]:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    return lambda text: [s.strip() for s in seg.segment(text) if s.strip()]


def _syntok(text: str) -> list[str]:
    from syntok import segmenter

    out = []
    for paragraph in segmenter.process(text):
        for sentence in paragraph:
            out.append("".join(t.spacing + t.value for t in sentence).strip())
    return out


def _framing(text: str) -> list[str]:
    from framing.text import split_sentences

    return split_sentences(text)


def main() -> None:
    splitters: dict[str, Callable[[str], list[str]]] = {
        "blingfire (raw)": _blingfire,
        "pysbd (raw)": _pysbd_factory(),
        "syntok (raw)": _syntok,
    }
    splitters["framing.text.split_sentences"] = _framing
    corpus = " ".join(text.replace("\n", " ") for text, _ in HAZARDS) * 40
    n_sentences = len(_blingfire(corpus))
    print(f"{'splitter':32} {'hazards':>8} {'sentences/s':>12}")
    for name, split in splitters.items():
        right = sum(split(text) == expected for text, expected in HAZARDS)
        start = time.perf_counter()
        for _ in range(5):
            split(corpus)
        rate = 5 * n_sentences / (time.perf_counter() - start)
        print(f"{name:32} {right:>5}/{len(HAZARDS)} {rate:>12,.0f}")
        for text, expected in HAZARDS:
            got = split(text)
            if got != expected:
                print(f"    miss: {got!r}")


if __name__ == "__main__":
    main()
