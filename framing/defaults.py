"""The settings a user meets, in one home: file kinds, limits, names and counts.

The library modules take their defaults from here, and the CLI builds its help
texts from the same values, so a default is changed in one place. This module
imports nothing, so the CLI can read it without loading the library.
"""

from __future__ import annotations

# Article files framing reads, by suffix.
HTML_SUFFIXES = frozenset({".html", ".htm"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
ARTICLE_SUFFIXES = HTML_SUFFIXES | MARKDOWN_SUFFIXES | TEXT_SUFFIXES

# `framing score`: the files it picks in a folder (case does not matter), the largest article
# it reads, and how it splits the work.
DEFAULT_PATTERNS: tuple[str, ...] = ("*.txt", "*.md", "*.html", "*.htm")
DEFAULT_MAX_BYTES = 5_000_000
# Files a worker handles per task: enough sentences to make one model call efficient,
# few enough that progress moves and little is redone after a kill.
CHUNK_FILES = 200
# Below this many files to score, worker start-up costs more than it saves (measured in
# benchmarks/bench_score.py: 1,000 files took 2.7 s in one process, 3.8 s on two workers).
SMALL_RUN_FILES = 3000

# The scores file's formats, by suffix.
SCORES_SUFFIXES: tuple[str, ...] = (".jsonl", ".csv")

# The model file and its card, as `framing train` names them.
MODEL_FILENAME = "framing.npz"
CARD_FILENAME = "framing.json"

# `framing report`: articles shown with their highlighted text in a folder's report, and
# n-grams of evidence per sentence.
DEFAULT_DETAILS = 20
DEFAULT_EVIDENCE = 5

# `framing train --extra`: the weight of each sentence of a user's own labels file.
EXTRA_WEIGHT = 1.0
