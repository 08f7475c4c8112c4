"""The shipped corpus keeps its format, and the format checks catch what they claim to."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from framing.corpus import format_problems, near_duplicates, read_article_labels, read_labeled
from framing.errors import CorpusError
from framing.slant import LABELS

from tests.helpers import CORPUS, REALNEWS

# Genres of sentences written alone, and of whole articles.
GENRES = {"wire", "local", "oped", "press_release", "advocacy", "think_tank", "headline", "quote", "boilerplate"}
ARTICLE_GENRES = {
    "wire", "local", "tv", "national", "oped", "editorial", "press_release", "advocacy", "think_tank",
    "transcript", "liveblog", "explainer",
}
TOPICS = {
    "detainers_sanctuary", "courthouse_arrests", "worksite_raids", "border", "deportation_flights",
    "detention_conditions", "asylum", "daca", "police_cooperation_287g", "funding_lawsuits",
}
ARTICLE_TOPICS = {
    "detainers_sanctuary", "courthouse_arrests", "worksite_raids", "border", "wall", "deportation",
    "detention_conditions", "asylum", "refugees", "daca", "legislation", "elections", "courts", "travel_ban",
    "legal_immigration", "economy", "police_cooperation_287g", "family_separation", "census",
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
    alone = [index for index, article in enumerate(data.articles) if not article]
    in_articles = [index for index, article in enumerate(data.articles) if article]
    assert {data.columns["genre"][i] for i in alone} <= GENRES
    assert {data.columns["topic"][i] for i in alone} <= TOPICS
    assert {data.columns["genre"][i] for i in in_articles} <= ARTICLE_GENRES
    assert {data.columns["topic"][i] for i in in_articles} <= ARTICLE_TOPICS


@pytest.mark.parametrize("name", ["train.csv", "test.csv"])
def test_articles_are_whole_and_in_order(name):
    data = read_labeled(CORPUS / name, check=False)
    positions: dict[str, list[int]] = {}
    genres: dict[str, set[str]] = {}
    for article, position, genre in zip(data.articles, data.columns["position"], data.columns["genre"]):
        if article:
            positions.setdefault(article, []).append(int(position))
            genres.setdefault(article, set()).add(genre)
    assert positions, "no whole articles"
    for article, found in positions.items():
        assert found == list(range(len(found))), article  # positions 0..n-1, in file order
        assert len(genres[article]) == 1, article


def test_sizes_and_label_shares(train, test):
    articles = {article for article in train.articles if article}
    assert len(train) >= 25000 and len(articles) >= 900
    assert sum(1 for article in train.articles if article) >= 20000
    assert len(test) >= 1800
    for data in (train, test):
        shares = {label: count / len(data) for label, count in Counter(data.labels).items()}
        assert set(shares) == set(LABELS)
        assert min(shares.values()) >= 0.1, shares
    # Whole articles are mostly neutral, as real coverage is.
    in_articles = Counter(label for label, article in zip(train.labels, train.articles) if article)
    assert 0.6 <= in_articles["neutral"] / sum(in_articles.values()) <= 0.8, in_articles


def test_every_genre_and_topic_is_represented(train):
    alone = [i for i, article in enumerate(train.articles) if not article]
    genres = Counter(train.columns["genre"][i] for i in alone)
    topics = Counter(train.columns["topic"][i] for i in alone)
    assert set(genres) == GENRES and min(genres.values()) >= 100, genres
    assert set(topics) == TOPICS and min(topics.values()) >= 200, topics
    article_genres = Counter(g for g, a in zip(train.columns["genre"], train.articles) if a)
    article_topics = Counter(t for t, a in zip(train.columns["topic"], train.articles) if a)
    assert set(article_genres) == ARTICLE_GENRES and min(article_genres.values()) >= 300, article_genres
    assert set(article_topics) == ARTICLE_TOPICS and min(article_topics.values()) >= 300, article_topics


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



def test_reviewed_train_labels_follow_two_agreeing_readers(train):
    """A train label differs from its writer's only where two blind readers agreed on it."""
    with open(CORPUS / "review.csv", newline="", encoding="utf-8") as handle:
        reviews = list(csv.DictReader(handle))
    label_of = dict(zip(train.columns["id"], train.labels))
    changed = 0
    for row in reviews:
        agreed = row["reader_1"] == row["reader_2"]
        assert row["label"] == (row["reader_1"] if agreed else row["writer_label"]), row["id"]
        assert label_of[row["id"]] == row["label"], row["id"]
        changed += row["label"] != row["writer_label"]
    assert len({row["id"] for row in reviews}) == len(reviews) >= 3000
    assert changed >= 900

def test_no_near_duplicates_within_sentences_written_alone(train):
    # Whole articles repeat stock lines across articles as real coverage does; sentences
    # written alone must each say something new.
    alone = [text for text, article in zip(train.texts, train.articles) if not article]
    assert near_duplicates(alone) == []


def test_no_near_duplicates_between_train_and_held_out_text(train, test, articles):
    article_sentences = [sentence for article in articles for sentence in article.sentences]
    assert near_duplicates(train.texts, test.texts) == []
    assert near_duplicates(train.texts, article_sentences) == []


@pytest.mark.skipif(not (REALNEWS / "sentences.csv").is_file(), reason="the shared real-news set is absent")
def test_no_train_sentence_is_close_to_real_coverage(train):
    """Real coverage is for measuring only: nothing in train may copy or paraphrase it."""
    from framing.text import read_article, split_sentences

    with open(REALNEWS / "sentences.csv", newline="", encoding="utf-8") as handle:
        real = [row["text"] for row in csv.DictReader(handle)]
    for path in sorted((REALNEWS / "articles").glob("*/*.txt")):
        real.extend(split_sentences(read_article(path).text))
    close = near_duplicates(train.texts, real, threshold=0.5)
    assert close == [], [(train.texts[i], real[j]) for i, j, _ in close[:5]]


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
