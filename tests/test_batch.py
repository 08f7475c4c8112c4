from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framing.batch import Summary, count_pending, iter_article_paths, score_folder
from framing.scores import FIELDS, RowWriter, ScoreRow
from framing.cli import app
from framing.scoring import score_article
from framing.errors import FramingError

from tests.helpers import DATA

ARTICLES = {
    "a-sheriff.txt": "Sheriff backs detainers\n\nSheriff Lyle Amundsen said the jail would keep honoring every "
    "federal detainer, because the men released last year went on to commit new assaults.",
    "outlet1/b-families.md": "# Families wait\n\nThe children of the detained workers spent the night at a church "
    "gym, waiting for news of their parents. Volunteers brought cots.",
    "outlet1/deep/c-meeting.txt": "The county board will meet on Tuesday at 6 p.m. to discuss the jail contract.",
    "outlet2/d-page.html": (DATA / "news_page.html").read_text(encoding="utf-8"),
}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    for name, text in ARTICLES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "outlet2" / "empty.txt").write_bytes(b"")
    (root / "outlet2" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" * 10)
    (root / "outlet2" / "huge.txt").write_text("The raid began. " * 1000)
    (root / "outlet2" / "dead-link.txt").symlink_to(root / "nowhere.txt")
    (root / "notes.csv").write_text("not,an,article\n")  # not matched by the default patterns
    return root


EXPECTED_ERRORS = {
    "outlet2/dead-link.txt": "broken link",
    "outlet2/empty.txt": "empty",
    "outlet2/huge.txt": "too large",
    "outlet2/photo.txt": "binary",
}


def rows_by_path(rows) -> dict[str, ScoreRow]:
    return {row.path: row for row in rows}


def test_paths_are_walked_recursively_in_a_stable_order(folder):
    assert list(iter_article_paths(folder)) == [
        "a-sheriff.txt",
        "outlet1/b-families.md",
        "outlet1/deep/c-meeting.txt",
        "outlet2/d-page.html",
        "outlet2/dead-link.txt",
        "outlet2/empty.txt",
        "outlet2/huge.txt",
        "outlet2/photo.txt",
    ]
    assert list(iter_article_paths(folder, ["*.md"])) == ["outlet1/b-families.md"]


def test_every_file_gets_one_row_and_bad_files_get_reasons(folder, shipped_model):
    rows = list(score_folder(folder, jobs=1, max_bytes=10_000))
    assert [row.path for row in rows] == list(iter_article_paths(folder))
    assert all(list(row.to_dict()) == list(FIELDS) for row in rows)
    for path, reason in EXPECTED_ERRORS.items():
        row = rows_by_path(rows)[path]
        assert row.error == reason and row.slant is None and row.sentences == 0
    for path, text in ARTICLES.items():
        row = rows_by_path(rows)[path]
        from framing.text import read_article

        article = read_article(folder / path)
        expected = score_article(shipped_model, article.text)
        assert row.error == ""
        assert row.sentences == len(expected.sentences)
        assert row.slant == pytest.approx(expected.slant, abs=1e-4)
        assert [row.slant_low, row.slant_high] == pytest.approx(list(expected.slant_interval), abs=1e-4)
        assert row.enforcement + row.rights + row.neutral == pytest.approx(1, abs=1e-3)
        assert row.title == (article.title or "")
    assert rows_by_path(rows)["outlet1/b-families.md"].title == "Families wait"


def test_parallel_run_gives_the_same_rows(folder):
    import framing

    one = list(framing.score_folder(folder, jobs=1, max_bytes=10_000))  # the public API name
    two = list(score_folder(folder, jobs=2, max_bytes=10_000, chunk_files=2))
    assert two == one


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_outputs_parse_back(folder, tmp_path, suffix):
    output = tmp_path / f"scores{suffix}"
    rows = list(score_folder(folder, output, jobs=1, max_bytes=10_000))
    with open(output, newline="", encoding="utf-8") as handle:
        if suffix == ".csv":
            parsed = list(csv.DictReader(handle))
            assert list(parsed[0]) == list(FIELDS)
            for row, back in zip(rows, parsed):
                assert back["path"] == row.path and back["error"] == row.error
                if not row.error:
                    assert float(back["slant"]) == row.slant and int(back["sentences"]) == row.sentences
        else:
            parsed = [json.loads(line) for line in handle]
            assert parsed == [row.to_dict() for row in rows]


def test_resume_skips_scored_files_and_drops_a_torn_line(folder, tmp_path):
    output = tmp_path / "scores.jsonl"
    full = list(score_folder(folder, output, jobs=1, max_bytes=10_000))
    lines = output.read_text(encoding="utf-8").splitlines(keepends=True)
    # As if killed while writing the fourth row.
    output.write_text("".join(lines[:3]) + lines[3][:25], encoding="utf-8")
    assert count_pending(folder, output) == (8, 3, 0)
    resumed = list(score_folder(folder, output, jobs=1, max_bytes=10_000))
    assert [row.path for row in resumed] == [row.path for row in full[3:]]
    final = [ScoreRow.from_record(json.loads(line)) for line in output.read_text(encoding="utf-8").splitlines()]
    assert sorted(final, key=lambda row: row.path) == sorted(full, key=lambda row: row.path)
    assert list(score_folder(folder, output, jobs=1, max_bytes=10_000)) == []
    assert len(list(score_folder(folder, output, jobs=1, max_bytes=10_000, overwrite=True))) == 8


def test_resume_of_a_csv_cut_inside_its_header(folder, tmp_path):
    output = tmp_path / "scores.csv"
    output.write_text("path,tit", encoding="utf-8")
    rows = list(score_folder(folder, output, jobs=1))
    with open(output, newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == len(rows) == 8


def test_refuses_an_output_that_is_not_a_score_file(folder, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(FramingError, match="not a framing scores file"):
        list(score_folder(folder, other, jobs=1))
    with pytest.raises(FramingError, match="unknown output extension"):
        RowWriter(tmp_path / "scores.xlsx")


def test_summary_counts_and_histogram():
    summary = Summary()
    for slant in (-1.0, -0.95, 0.05, 1.0):
        summary.add(ScoreRow("a.txt", sentences=1, enforcement=0.5, rights=0.5, neutral=0.0,
                             slant=slant, slant_low=-1.0, slant_high=1.0))
    summary.add(ScoreRow.failed("b.txt", "binary"))
    assert (summary.scored, summary.failed) == (4, 1)
    assert summary.mean_slant == pytest.approx(-0.225)
    assert summary.bins == [2, 0, 0, 0, 0, 1, 0, 0, 0, 1]
    assert summary.histogram()[0].endswith("#" * 40 + " 2")


def test_cli_score_exit_codes_and_rows(folder, tmp_path):
    runner = CliRunner()
    output = tmp_path / "out.csv"
    result = runner.invoke(app, ["score", str(folder), "-o", str(output), "--jobs", "1", "--max-bytes", "10000"])
    assert result.exit_code == 1  # some files became error rows
    assert "scored 4 files, 4 failed" in result.stderr
    assert "binary 1" in result.stderr
    with open(output, newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 8
    result = runner.invoke(app, ["score", str(folder / "outlet1"), "--jobs", "1"])
    assert result.exit_code == 0
    assert [json.loads(line)["path"] for line in result.stdout.splitlines()] == ["b-families.md", "deep/c-meeting.txt"]
    assert runner.invoke(app, ["score", str(tmp_path / "missing")]).exit_code == 2
    assert runner.invoke(app, ["score", str(folder), "-o", str(tmp_path / "x.parquet")]).exit_code == 2


def test_a_run_killed_part_way_resumes_to_the_same_rows(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    sentences = [line for line in (DATA / "split_hazards.json").read_text(encoding="utf-8").split('"') if len(line) > 40]
    for index in range(3000):
        (folder / f"{index:05d}.txt").write_text(" ".join(sentences[index % len(sentences):][:6]) + f" Story {index}.")
    command = [sys.executable, "-m", "framing", "score", str(folder), "--jobs", "1"]
    whole = tmp_path / "whole.jsonl"
    subprocess.run(command + ["-o", str(whole)], check=True, capture_output=True)

    killed = tmp_path / "killed.jsonl"
    process = subprocess.Popen(command + ["-o", str(killed)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not killed.exists() or killed.stat().st_size < 20_000):
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = killed.read_text(encoding="utf-8").count("\n")
    assert 0 < partial < 3000, "the kill should land part-way through the run"
    subprocess.run(command + ["-o", str(killed)], check=True, capture_output=True)

    def rows(path):
        return sorted((json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()), key=lambda r: r["path"])

    assert rows(killed) == rows(whole)


def test_dask_cluster_gives_the_same_rows(folder):
    distributed = pytest.importorskip("distributed")
    local = list(score_folder(folder, jobs=1, max_bytes=10_000))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = list(score_folder(folder, max_bytes=10_000, dask_scheduler=cluster.scheduler_address, chunk_files=2))
    assert sorted(remote, key=lambda r: r.path) == sorted(local, key=lambda r: r.path)
