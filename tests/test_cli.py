from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.corpus import read_labeled

from tests.helpers import DATA

runner = CliRunner()


def invoke(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_classify_json_meets_the_contract():
    result = invoke("classify", str(DATA / "news_page.html"), "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"path", "slant", "slant_interval", "shares", "voices", "sources", "sentences"}
    assert payload["path"] == str(DATA / "news_page.html")
    low, high = payload["slant_interval"]
    assert -1 <= low <= payload["slant"] <= high <= 1
    assert set(payload["shares"]) == {"enforcement", "neutral", "rights"}
    assert sum(payload["shares"].values()) == pytest.approx(1)
    texts = [s["text"] for s in payload["sentences"]]
    assert texts[0] == "Courthouse arrests keep witnesses away, defenders say"
    assert not any("Subscribe" in t or "Privacy" in t for t in texts)
    for sentence in payload["sentences"]:
        assert set(sentence) == {"text", "label", "probabilities", "quote", "speaker"}
        assert sentence["probabilities"][sentence["label"]] == max(sentence["probabilities"].values())
        assert sentence["speaker"] is None or sentence["quote"]
    voices = payload["voices"]
    assert voices["reporter"]["sentences"] + voices["quoted"]["sentences"] == len(texts)
    assert voices["quoted"]["sentences"] == sum(s["quote"] for s in payload["sentences"])
    for source in payload["sources"]:
        spoken = [s for s in payload["sentences"] if s["speaker"] == source["speaker"]]
        assert source["sentences"] == len(spoken) > 0
    mean = sum(s["probabilities"]["enforcement"] - s["probabilities"]["rights"] for s in payload["sentences"]) / len(texts)
    assert payload["slant"] == pytest.approx(mean)


def test_classify_table_shows_sentences_and_slant():
    result = invoke("classify", str(DATA / "news_page.html"))
    assert result.exit_code == 0, result.output
    assert "Immigration agents arrested two men" in result.stdout.replace("\n", " ") or "Immigration" in result.stdout
    assert "slant" in result.stdout and "95% interval" in result.stdout


def test_classify_csv_parses_back():
    result = invoke("classify", str(DATA / "news_page.html"), "-f", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 7
    assert {row["label"] for row in rows} <= {"enforcement", "neutral", "rights"}
    assert len({row["article_slant"] for row in rows}) == 1


def test_classify_reads_stdin():
    text = "Agents detained 14 workers at the plant on Tuesday. Their children waited at school for hours."
    result = invoke("classify", "-", "-f", "json", input=text)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["sentences"]) == 2
    html = "<html><body><article><p>Agents came at dawn.</p><p>The mayor spoke.</p></article></body></html>"
    result = invoke("classify", "-", "-f", "json", input=html)
    assert [s["text"] for s in json.loads(result.stdout)["sentences"]] == ["Agents came at dawn.", "The mayor spoke."]


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda p: p / "missing.txt", "no such file"),
        (lambda p: (p / "empty.txt").write_bytes(b"") and None or p / "empty.txt", "empty"),
        (lambda p: (p / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00") and None or p / "photo.txt", "binary"),
    ],
    ids=["missing", "empty", "binary"],
)
def test_bad_article_is_one_line_and_exit_1(tmp_path, make, message):
    result = invoke("classify", str(make(tmp_path)))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("framing: error:") and message in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args", [["classify"], ["classify", "x.txt", "--format", "xml"], ["classify", "x.txt", "--bogus"], ["nosuchcommand"]]
)
def test_bad_usage_is_one_line_and_exit_2(args):
    result = invoke(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("framing: error:")


def test_bad_model_path_is_exit_1(tmp_path):
    result = invoke("classify", str(DATA / "news_page.html"), "--model", str(tmp_path / "none.npz"))
    assert result.exit_code == 1
    assert "no model file" in result.stderr


def test_no_arguments_shows_help():
    result = invoke()
    assert result.exit_code == 0
    assert "classify" in result.stdout and "train" in result.stdout


def test_train_then_evaluate_with_the_new_model(small_corpus, tmp_path):
    result = invoke("train", "--corpus", str(small_corpus), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "test macro-F1" in result.stderr
    card = json.loads((tmp_path / "framing.json").read_text())
    result = invoke(
        "evaluate", "--model", str(tmp_path / "framing.npz"), "--data", str(small_corpus / "test.csv"),
        "--articles", str(tmp_path), "--format", "json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["sentences"]["macro_f1"] == card["evaluation"]["sentences"]["macro_f1"]
    assert sum(map(sum, report["sentences"]["confusion"])) == len(read_labeled(small_corpus / "test.csv"))


def test_evaluate_table(small_corpus):
    result = invoke("evaluate", "--data", str(small_corpus / "test.csv"))
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.stdout and "confusion" in result.stdout


def test_train_on_missing_corpus_is_one_line(tmp_path):
    result = invoke("train", "--corpus", str(tmp_path), "--out", str(tmp_path / "m"))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("framing: error: no such labeled file")


def test_version_is_shown():
    from framing import __version__

    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"framing {__version__}"


def test_counts_of_one_are_singular():
    result = invoke("classify", "-", input="The county board meets on Tuesday at 6 p.m.\n")
    assert result.exit_code == 0, result.output
    assert "1 sentence:" in result.stdout and "1 sentences" not in result.stdout


def test_stdin_html_is_read_as_html():
    page = "<!DOCTYPE html><html><body><nav>Subscribe now</nav><p>The board voted on Tuesday.</p></body></html>"
    result = invoke("classify", "-", "--format", "json", input=page)
    assert result.exit_code == 0, result.output
    assert [s["text"] for s in json.loads(result.stdout)["sentences"]] == ["The board voted on Tuesday."]
