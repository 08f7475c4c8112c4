from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.helpers import REPO


@pytest.fixture(scope="session")
def shipped_model():
    import framing

    return framing.load_model()


@pytest.fixture(scope="session")
def corpus_rows() -> list[dict]:
    with open(REPO / "corpus" / "train.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory, corpus_rows) -> Path:
    """A folder with train.csv (60 sentences written alone a label, and 8 whole articles) and
    test.csv (20 sentences a label, and 2 whole articles)."""
    folder = tmp_path_factory.mktemp("corpus")
    by_label: dict[str, list[dict]] = {}
    by_article: dict[str, list[dict]] = {}
    for row in corpus_rows:
        if row["article"]:
            by_article.setdefault(row["article"], []).append(row)
        else:
            by_label.setdefault(row["label"], []).append(row)
    articles = list(by_article.values())
    train = [row for rows in by_label.values() for row in rows[:60]] + [row for rows in articles[:8] for row in rows]
    test = [row for rows in by_label.values() for row in rows[60:80]] + [row for rows in articles[8:10] for row in rows]
    for name, rows in (("train.csv", train), ("test.csv", test)):
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(
                handle,
                fieldnames=["id", "text", "label", "genre", "topic", "group", "article", "position"],
                extrasaction="ignore",
            )
            writer.writeheader()
            writer.writerows(rows)
    return folder
