"""What finding voices (quotations and speakers) adds to `framing score` (not a test).

Run: python benchmarks/bench_voices.py FOLDER [--repeats 2] [--json]

Scores every article of FOLDER in one process (``score_folder`` with ``jobs=1``, as
each worker of `framing score` does) and samples the running stack every
millisecond of CPU time. Samples inside voice finding (``quotes.attribute``, the
per-article source table and the voice intervals) are counted against all the
others. Sampling one process measures shares of the same run, so a busy machine
moves both sides alike; timing two runs with and without voices does not (on a
shared 2-core machine their difference drowns in noise).

Prints the shares of the main stages and the cost of voices relative to the rest
of the work; the project's limit is 15%.
"""

from __future__ import annotations

import argparse
import collections
import json
import signal
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

VOICE_FUNCTIONS = {("quotes.py", "attribute"), ("slant.py", "_sources"), ("slant.py", "__getitem__")}
STAGES = ("read_article", "split_sentences", "in_context", "predict_proba", "aggregate", "bootstrap_interval")


def sample(folder: Path, repeats: int, interval: float = 0.001) -> tuple[int, int, collections.Counter]:
    from framing.batch import score_folder
    from framing.model import load_model

    model = load_model()
    list(score_folder(folder, jobs=1, model=model))  # warm caches and imports once
    total, in_voices, stages = 0, 0, collections.Counter()

    def on_sample(signum, frame) -> None:
        nonlocal total, in_voices
        total += 1
        seen, voice = set(), False
        while frame is not None:
            code = frame.f_code
            if (Path(code.co_filename).name, code.co_name) in VOICE_FUNCTIONS:
                voice = True
            if code.co_name in STAGES and code.co_name not in seen:
                stages[code.co_name] += 1
                seen.add(code.co_name)
            frame = frame.f_back
        in_voices += voice

    previous = signal.signal(signal.SIGPROF, on_sample)
    signal.setitimer(signal.ITIMER_PROF, interval, interval)
    try:
        for _ in range(repeats):
            for _ in score_folder(folder, jobs=1, model=model):
                pass
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, previous)
    return total, in_voices, stages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeats", type=int, default=2, help="passes over the folder (more samples)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    total, in_voices, stages = sample(args.folder, args.repeats)
    if not total:
        print("no samples: the folder holds too little to measure", file=sys.stderr)
        return 1
    result = {
        "samples": total,
        "voices_share": in_voices / total,
        "voices_over_rest": in_voices / (total - in_voices),
        "stages": {name: stages[name] / total for name in STAGES},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{total} samples of 1 ms CPU time over {args.repeats} passes of {args.folder}")
    for name in STAGES:
        print(f"  {name:16s} {result['stages'][name]:6.1%}")
    print(f"  {'finding voices':16s} {result['voices_share']:6.1%}")
    print(f"finding voices adds {result['voices_over_rest']:.1%} to the rest of the work (limit 15%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
