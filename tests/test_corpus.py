"""The shipped corpus keeps its format, and the format checks catch what they claim to."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from framing.corpus import format_problems, near_duplicates, read_article_labels, read_labeled
from framing.errors import CorpusError
from framing.slant import LABELS

from conftest import REPO

CORPUS = REPO / "corpus"
GENRES = {"wire", "local", "oped", "press_release", "advocacy", "think_tank", "headline", "quote", "boilerplate"}
TOPICS = {
    "detainers_sanctuary", "courthouse_arrests", "worksite_raids", "border", "deportation_flights",
    "detention_conditions", "asylum", "daca", "police_cooperation_287g", "funding_lawsuits",
}


@pytest.fixture(scope="module")
def train():
    return read_labeled(CORPUS / "train.csv")


@pytest.fixture(scope="module")
def test():
    return read_labeled(CORPUS / "test.csv")


@pytest.fixture(scope="module")
def articles():
    return read_article_labels(CORPUS / "articles" / "labels.csv")


def write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


# --- the shipped files ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["train.csv", "test.csv"])
def test_shipped_split_has_no_format_problem(name):
    data = read_labeled(CORPUS / name, check=False)
    assert format_problems(data) == []
    assert set(data.columns["genre"]) <= GENRES
    assert set(data.columns["topic"]) <= TOPICS


def test_sizes_and_label_balance(train, test):
    assert len(train) >= 3000
    assert len(test) >= 600
    for data in (train, test):
        shares = {label: count / len(data) for label, count in Counter(data.labels).items()}
        assert set(shares) == set(LABELS)
        assert min(shares.values()) >= 0.2, shares


def test_every_genre_and_topic_is_represented(train):
    genres = Counter(train.columns["genre"])
    topics = Counter(train.columns["topic"])
    assert set(genres) == GENRES and min(genres.values()) >= 100, genres
    assert set(topics) == TOPICS and min(topics.values()) >= 200, topics


def test_contrast_groups_stay_in_one_split(train, test):
    train_groups = {group for group in train.groups if group}
    test_groups = {group for group in test.groups if group}
    assert len(train_groups) >= 300
    assert not train_groups & test_groups
    sizes = Counter(group for group in train.groups if group)
    assert all(2 <= size <= 3 for size in sizes.values()), [g for g, s in sizes.items() if not 2 <= s <= 3]


def test_test_labels_are_adjudicated_from_two_blind_annotations(test):
    writer, annotator = test.columns["writer_label"], test.columns["annotator_label"]
    for final, first, second in zip(test.labels, writer, annotator):
        assert final in (first, second)
    assert sum(first == second for first, second in zip(writer, annotator)) / len(test) > 0.8


def test_no_near_duplicates_within_train(train):
    assert near_duplicates(train.texts) == []


def test_no_near_duplicates_between_train_and_held_out_text(train, test, articles):
    article_sentences = [sentence for article in articles for sentence in article.sentences]
    assert near_duplicates(train.texts, test.texts) == []
    assert near_duplicates(train.texts, article_sentences) == []


def test_article_labels_cover_real_files(articles):
    folder = CORPUS / "articles"
    assert len(articles) >= 40
    for article in articles:
        assert (folder / article.name).is_file(), article.name
        assert 12 <= len(article.sentences) <= 40, (article.name, len(article.sentences))
        assert -1 <= article.slant <= 1
        assert set(article.labels) <= set(LABELS)
    slants = sorted(article.slant for article in articles)
    assert slants[0] <= -0.5 and slants[-1] >= 0.5  # the whole slant range


# --- the checks can fail ----------------------------------------------------------------


def good_rows() -> list[dict]:
    return [
        {"id": "x1", "text": "The council voted 5-2 on Tuesday to end detainer holds at the county jail.", "label": "neutral"},
        {"id": "x2", "text": "Releasing a man with three assault convictions put every family on that street at risk.", "label": "enforcement"},
        {"id": "x3", "text": "Parents now skip school pickups because agents waited outside the gates last spring.", "label": "rights"},
    ]


def test_good_rows_pass(tmp_path):
    assert len(read_labeled(write_csv(tmp_path / "good.csv", good_rows()))) == 3


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda rows: rows[1].update(label="pro-enforcement"), "line 3: unknown label 'pro-enforcement'"),
        (lambda rows: rows[2].update(text="   "), "line 4: empty text"),
        (lambda rows: rows[2].update(id="x1"), "line 4: duplicate id 'x1' (line 2)"),
        (lambda rows: rows[2].update(text=rows[0]["text"].upper()), "line 4: duplicate text of line 2"),
    ],
)
def test_each_format_problem_is_refused(tmp_path, change, message):
    rows = good_rows()
    change(rows)
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(CorpusError, match="^.*bad.csv: " + message.replace("(", r"\(").replace(")", r"\)")):
        read_labeled(path)


def test_missing_column_is_refused(tmp_path):
    rows = [{"id": row["id"], "sentence": row["text"], "label": row["label"]} for row in good_rows()]
    with pytest.raises(CorpusError, match="missing column"):
        read_labeled(write_csv(tmp_path / "bad.csv", rows))


def test_near_duplicates_differing_by_name_or_number_are_found():
    train = [
        "Sheriff Dale Ortiz said the county released 41 people wanted by ICE last year despite their records.",
        "The shelter in Yuma had 300 beds and was full by noon on Friday, its director said.",
    ]
    test = [
        "Sheriff Ana Pruitt said the county released 73 people wanted by ICE last year despite their records.",
        "A federal judge in Seattle set a hearing for March 3 on the state's motion to dismiss the suit.",
    ]
    pairs = near_duplicates(train, test)
    assert [(i, j) for i, j, _ in pairs] == [(0, 0)]
