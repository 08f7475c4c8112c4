"""Property-based tests: whatever a user feeds framing, it answers with rows or one clear line.

Bounded (few examples, no deadline) so CI stays quick; Hypothesis remembers failing
examples between runs in its own database.
"""

from __future__ import annotations

import json
import os
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from framing.batch import iter_article_paths, score_folder
from framing.cli import app

runner = CliRunner()
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

SENTENCES = st.sampled_from([
    "Agents detained 14 workers at the plant on Tuesday.",
    '"They took my father," said Ana Ruiz, 17.',
    "The county will honour every federal detainer, the sheriff said.",
    "Families waited outside in the rain.",
    "<p>The board meets <b>Tuesday</b>.</p>",
    "# Headline\n\nBody text here.",
    "",
])
CONTENT = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400),
    st.lists(SENTENCES, max_size=8).map(" ".join),
    st.text(alphabet=string.whitespace, max_size=20),
)


def one_clear_line(result) -> None:
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr and "error: unexpected" not in result.stderr, result.stderr
    if result.exit_code == 1:
        assert len(lines) == 1 and lines[0].startswith("framing: error:"), result.stderr


@FUZZ
@given(content=CONTENT, suffix=st.sampled_from([".txt", ".md", ".html", ".htm", ".TXT"]))
def test_classify_answers_any_file_with_labels_or_one_line(tmp_path, content, suffix):
    path = tmp_path / f"article{suffix}"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    result = runner.invoke(app, ["classify", str(path), "--format", "json"])
    assert result.exit_code in (0, 1)
    one_clear_line(result)
    if result.exit_code == 0:
        payload = json.loads(result.stdout)
        assert payload["sentences"] and -1 <= payload["slant"] <= 1


@FUZZ
@given(content=CONTENT)
def test_classify_answers_any_standard_input(content):
    data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
    result = runner.invoke(app, ["classify", "-", "--format", "csv"], input=data)
    assert result.exit_code in (0, 1)
    one_clear_line(result)


NAMES = st.text(alphabet=string.ascii_letters + string.digits + " -_.()'", min_size=1, max_size=12).filter(
    lambda name: name not in (".", "..") and not name.startswith(".")
)


@FUZZ
@given(files=st.dictionaries(NAMES, CONTENT, min_size=1, max_size=6), fifo=st.booleans())
def test_a_folder_gets_one_row_per_article_file(tmp_path_factory, files, fifo):
    folder = tmp_path_factory.mktemp("fuzz")
    for name, content in files.items():
        (folder / f"{name}.txt").write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    if fifo and hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.txt")
    rows = list(score_folder(folder, jobs=1))
    assert [row.path for row in rows] == list(iter_article_paths(folder))
    assert len(rows) == len(files) + (fifo and hasattr(os, "mkfifo"))
    for row in rows:
        assert bool(row.error) == (row.slant is None)


@FUZZ
@given(lines=st.lists(st.one_of(st.text(max_size=80), st.binary(max_size=40).map(lambda b: b.decode("latin-1"))), max_size=5),
       suffix=st.sampled_from([".jsonl", ".csv"]))
def test_a_report_on_any_scores_file_is_a_report_or_one_line(tmp_path_factory, lines, suffix):
    folder = tmp_path_factory.mktemp("scores")
    path = folder / f"scores{suffix}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogateescape")
    result = runner.invoke(app, ["report", str(path), "-o", str(folder / "report.html")])
    assert result.exit_code in (0, 1)
    one_clear_line(result)
    skipping = runner.invoke(app, ["report", str(path), "-o", str(folder / "report.html"), "--skip-bad-rows"])
    assert skipping.exit_code in (0, 1)
    one_clear_line(skipping)


@pytest.mark.parametrize("args", [["--jobs", "0"], ["--jobs", "1000000"], ["--glob", "["], ["--max-bytes", "-5"]])
def test_odd_options_are_usage_errors_or_work(tmp_path, args):
    (tmp_path / "a.txt").write_text("The board meets Tuesday. The vote is at six.", encoding="utf-8")
    result = runner.invoke(app, ["score", str(tmp_path), *args])
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.stderr and "error: unexpected" not in result.stderr
