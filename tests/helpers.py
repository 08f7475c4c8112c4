"""Paths and small helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPUS = REPO / "corpus"
# The shared real-news set sits beside the repository; tests that use it skip without it.
REALNEWS = REPO.parent / "shared" / "realnews"
