"""Fail when the committed model card does not match a fresh training on the committed corpus.

Run: python .ci/check_model_card.py   (from the repository root)

Trains into a temporary folder with `framing train` and compares the new card
with models/framing.json, leaving aside what may differ between identical
trainings (date, library versions, the model file's hash).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from framing.card import stable_view


# Scores may differ in their last digits between machines (BLAS kernels sum in another
# order); what was chosen and what it was trained on must not differ at all.
SCORE_TOLERANCE = 0.01
EXACT = ("hyperparameters", "selection.chosen.C", "selection.chosen.class_weight",
         "selection.chosen.context_weight", "training_data", "test_data", "labels", "n_features")


def differences(old, new, where="") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new)):
            found += differences(old.get(key), new.get(key), f"{where}.{key}" if where else key)
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [d for i, (a, b) in enumerate(zip(old, new)) for d in differences(a, b, f"{where}[{i}]")]
    exact = where.startswith(EXACT)
    if not exact and isinstance(old, float) and isinstance(new, float) and abs(old - new) <= SCORE_TOLERANCE:
        return []
    return [] if old == new else [f"{where}: committed {old!r}, retrained {new!r}"]


def main() -> int:
    committed = json.loads(Path("models/framing.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["framing", "train", "--corpus", "corpus", "--out", out], check=True)
        fresh = json.loads((Path(out) / "framing.json").read_text(encoding="utf-8"))
    found = differences(stable_view(committed), stable_view(fresh))
    if found:
        print("models/framing.json does not match a fresh `framing train` on corpus/:", file=sys.stderr)
        for line in found[:30]:
            print(f"  {line}", file=sys.stderr)
        print("retrain with `framing train` and commit models/", file=sys.stderr)
        return 1
    print("model card matches a fresh training on corpus/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
