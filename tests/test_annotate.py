"""framing annotate: choosing sentences, keeping every answer, resuming, undo; agreement; train --extra."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from framing.annotate import LabelFile, agreement, candidates, cohen_kappa, read_label_file
from framing.cli import app
from framing.errors import CorpusError
from tests.helpers import CORPUS

runner = CliRunner()


@pytest.fixture()
def source(tmp_path):
    folder = tmp_path / "collection"
    folder.mkdir()
    for name in ("a01-marion-sheriff-detainer-report.txt", "a02-santa-fe-county-ends-detainer-holds.txt"):
        (folder / name).write_bytes((CORPUS / "articles" / name).read_bytes())
    return folder


def rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_least_sure_sentences_come_first_spread_over_articles(source, shipped_model):
    queue = candidates(source, shipped_model)
    margins = [candidate.margin for candidate in queue]
    assert margins[0] <= np.median(margins)  # uncertain first
    assert all(a.article != b.article for a, b in zip(queue[:10], queue[1:11]))
    assert len({candidate.id for candidate in queue}) == len(queue)
    shuffled = candidates(source, shipped_model, strategy="random", seed=3)
    assert {c.id for c in shuffled} == {c.id for c in queue} and shuffled != queue


def test_a_scripted_session_keeps_answers_undo_and_skip(source, tmp_path):
    labels = tmp_path / "labels.csv"
    result = runner.invoke(app, ["annotate", str(source), "--labels", str(labels)], input="e\nn\nx\nr\nu\nn\ns\nq\n")
    assert result.exit_code == 0, result.stderr
    assert "unknown key 'x'" in result.stderr
    answered = rows(labels)
    assert [row["label"] for row in answered] == ["enforcement", "neutral", "neutral"]
    assert set(answered[0]) == {"id", "text", "label", "article", "position", "source", "model_label",
                                "model_probability", "strategy", "labeled_at"}
    again = runner.invoke(app, ["annotate", str(source), "--labels", str(labels)], input="r\nr\nq\n")
    assert again.exit_code == 0, again.stderr
    after = rows(labels)
    assert len(after) == 5 and len({row["id"] for row in after}) == 5  # never asked twice
    assert "5 labeled" in again.stderr


def test_a_killed_session_loses_nothing_and_resumes(source, tmp_path):
    labels = tmp_path / "labels.csv"
    process = subprocess.Popen(
        [sys.executable, "-m", "framing", "annotate", str(source), "--labels", str(labels)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )
    process.stdin.write("e\nn\n")
    process.stdin.flush()
    deadline = time.time() + 120
    while time.time() < deadline and (not labels.exists() or len(rows(labels)) < 2):
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    kept = rows(labels)
    assert [row["label"] for row in kept] == ["enforcement", "neutral"]
    resumed = runner.invoke(app, ["annotate", str(source), "--labels", str(labels)], input="r\nq\n")
    assert resumed.exit_code == 0
    assert len({row["id"] for row in rows(labels)}) == 3


def test_a_labels_file_with_a_bad_label_is_refused_with_its_row(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("id,text,label\n1,The board met.,neutral\n2,Agents came.,maybe\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="line 3: label 'maybe'"):
        read_label_file(path)
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["annotate", str(tmp_path), "--labels", str(other)])
    assert result.exit_code == 1 and "not a labels file" in result.stderr


def test_agreement_of_two_annotators(tmp_path):
    first, second = tmp_path / "one.csv", tmp_path / "two.csv"
    texts = ["A.", "B.", "C.", "D."]
    for path, labels in ((first, ["enforcement", "enforcement", "neutral", "neutral"]),
                         (second, ["enforcement", "neutral", "neutral", "neutral"])):
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text", "label"])
            writer.writerows([str(i), text, label] for i, (text, label) in enumerate(zip(texts, labels)))
    result = agreement(first, second)
    assert result["sentences"] == 4 and result["kappa"] == pytest.approx(0.5)
    assert result["confusion"][0] == [1, 1, 0] and [d["text"] for d in result["disagreements"]] == ["B."]
    assert cohen_kappa(["neutral"] * 3, ["neutral"] * 3) == 1.0
    shown = runner.invoke(app, ["agreement", str(first), str(second)])
    assert shown.exit_code == 0 and "kappa 0.500" in shown.stdout and "B." in shown.stdout


def test_train_extra_moves_the_model_toward_the_given_labels(small_corpus, tmp_path):
    from framing.model import load_model
    from framing.training import train

    sentences = ["The county's new policy was adopted on Tuesday after a long public meeting.",
                 "Officials will publish the monthly figures on the county website."]
    labels = tmp_path / "labels.csv"
    store = LabelFile(labels)
    from framing.annotate import Candidate

    for index, text in enumerate(sentences):
        store.add(Candidate(str(index), text, "", "", "mine.txt", "", index, "neutral", 0.5, 0.0), "rights",
                  source="test", strategy="random")
    base_card = train(small_corpus, tmp_path / "base")
    card = train(small_corpus, tmp_path / "adapted", extra=labels, extra_weight=8.0)
    assert card["extra_data"]["sentences"] == 2 and card["extra_data"]["label_counts"] == {"rights": 2}
    assert card["training_data"] == base_card["training_data"]
    base = load_model(tmp_path / "base" / "framing.npz")
    adapted = load_model(tmp_path / "adapted" / "framing.npz")
    column = list(base.labels).index("rights")
    assert (adapted.predict_proba(sentences)[:, column] > base.predict_proba(sentences)[:, column]).all()
    chosen = train(small_corpus, tmp_path / "chosen", extra=labels)  # the weight by cross-validation
    from framing.training import EXTRA_WEIGHTS

    assert chosen["extra_data"]["weight"] in EXTRA_WEIGHTS
    assert set(chosen["extra_data"]["weight_cross_validation"]) == {str(w) for w in EXTRA_WEIGHTS}


def test_a_long_session_retrains_in_the_background_and_compares_on_quit(source, small_corpus, tmp_path):
    labels = tmp_path / "labels.csv"
    answers = "".join("enr"[i % 3] + "\n" for i in range(32)) + "q\n"
    result = runner.invoke(
        app, ["annotate", str(source), "--labels", str(labels), "--corpus", str(small_corpus)], input=answers
    )
    assert result.exit_code == 0, result.stderr
    assert len(rows(labels)) == 32
    said = " ".join(result.stderr.split())  # the console wraps long lines
    assert "-fold cross-validation, by article): shipped model macro-F1" in said


def test_rerank_puts_the_least_sure_first(source, shipped_model):
    from framing.annotate import rerank

    queue = candidates(source, shipped_model, strategy="random", seed=1)
    ranked = rerank(queue, shipped_model)
    assert sorted(c.id for c in ranked) == sorted(c.id for c in queue)
    assert ranked[0].margin <= np.median([c.margin for c in ranked])
