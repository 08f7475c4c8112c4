"""A batch never stops, hangs or drops a file; inputs a user can get wrong give one clear line."""

from __future__ import annotations

import json
import os
import sys

import pytest
from typer.testing import CliRunner

from framing.batch import count_pending, iter_article_paths, score_folder
from framing.cli import app
from framing.errors import InputError
from framing.scores import ScoresFileError, read_scores, settings_path
from framing.text import read_article

runner = CliRunner()
STORY = "Sheriff Dana Holt said the jail would honour every detainer. Families waited outside in the rain."


def write(folder, name, text=STORY):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def folder(tmp_path):
    root = tmp_path / "articles"
    write(root, "a.txt")
    write(root, "b/STORY.TXT")
    write(root, "b/PAGE.HTML", f"<html><body><p>{STORY}</p></body></html>")
    return root


def test_patterns_ignore_case(folder):
    assert list(iter_article_paths(folder)) == ["a.txt", "b/PAGE.HTML", "b/STORY.TXT"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_file_name_that_is_not_utf8_gets_its_row_and_resumes(folder, tmp_path, suffix):
    os.close(os.open(os.fsencode(folder) + b"/caf\xe9.txt", os.O_CREAT | os.O_WRONLY))
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "w", encoding="utf-8") as handle:
        handle.write(STORY)
    name = os.fsdecode(b"caf\xe9.txt")
    output = tmp_path / f"scores{suffix}"
    rows = list(score_folder(folder, output, jobs=1))
    assert name in [row.path for row in rows]
    assert name in [row.path for row in read_scores(output).rows]
    assert list(score_folder(folder, output, jobs=1)) == []  # resumes past it, no second row
    result = runner.invoke(app, ["score", str(folder), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    assert name in [json.loads(line)["path"] for line in result.stdout.splitlines()]


def test_nothing_matched_is_an_error(folder, tmp_path):
    for args in (["--glob", "*.txt *.md"], ["--glob", "["], ["--glob", "*.pdf"]):
        result = runner.invoke(app, ["score", str(folder), *args])
        assert result.exit_code == 1 and "no files matched" in result.stderr, args
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["score", str(empty)])
    assert result.exit_code == 1 and "no files matched" in result.stderr


def test_an_unreadable_sub_folder_becomes_an_error_row(folder, monkeypatch):
    locked = folder / "locked"
    write(locked, "hidden.txt")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == os.fspath(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    rows = {row.path: row for row in score_folder(folder, jobs=1)}
    assert rows["locked/"].error == "unreadable folder"
    assert rows["a.txt"].error == ""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_an_error_row_and_never_hangs(folder):
    os.mkfifo(folder / "pipe.txt")
    rows = {row.path: row for row in score_folder(folder, jobs=1)}
    assert rows["pipe.txt"].error == "not a regular file"
    assert all(not row.error for path, row in rows.items() if path != "pipe.txt")
    with pytest.raises(InputError, match="not a regular file"):
        read_article(folder / "pipe.txt")
    result = runner.invoke(app, ["classify", str(folder / "pipe.txt")])
    assert result.exit_code == 1 and "not a regular file (a FIFO)" in result.stderr


def test_devices_are_refused():
    with pytest.raises(InputError, match="not a regular file"):
        read_article("/dev/zero")


def test_framings_own_outputs_are_not_scored(folder, tmp_path):
    report = folder / "report.html"
    result = runner.invoke(app, ["report", str(folder / "a.txt"), "-o", str(report)])
    assert result.exit_code == 0, result.stderr
    output = folder / "scores.csv"
    rows = list(score_folder(folder, output, jobs=1, patterns=["*"]))
    paths = [row.path for row in rows]
    assert "a.txt" in paths
    assert not {"report.html", "scores.csv", settings_path(output).name} & set(paths)


def test_resume_refuses_another_model_or_other_settings(folder, tmp_path, shipped_model):
    from framing import persist

    output = tmp_path / "scores.jsonl"
    list(score_folder(folder, output, jobs=1))
    from framing.model import FramingModel

    other = persist.load(shipped_model.source_path_, FramingModel)
    copy = persist.save(other, tmp_path / "other.npz")
    other.source_path_ = copy
    with open(copy, "ab") as handle:  # another file, so another hash
        handle.write(b"\0")
    with pytest.raises(ScoresFileError, match="another model"):
        list(score_folder(folder, output, jobs=1, model=other))
    with pytest.raises(ScoresFileError, match="another max bytes"):
        list(score_folder(folder, output, jobs=1, max_bytes=10))
    assert len(list(score_folder(folder, output, jobs=1, max_bytes=10, overwrite=True))) == 3


def test_retry_errors_scores_failed_files_again_and_errors_mean_exit_1(folder, tmp_path):
    output = tmp_path / "scores.jsonl"
    broken = write(folder, "late.txt", "")
    first = runner.invoke(app, ["score", str(folder), "-o", str(output)])
    assert first.exit_code == 1
    again = runner.invoke(app, ["score", str(folder), "-o", str(output)])
    assert again.exit_code == 1 and "1 error row from before" in again.stderr
    assert count_pending(folder, output).failed == 1
    broken.write_text(STORY, encoding="utf-8")
    retried = runner.invoke(app, ["score", str(folder), "-o", str(output), "--retry-errors"])
    assert retried.exit_code == 0, retried.stderr
    rows = read_scores(output).rows
    assert sorted(row.path for row in rows) == ["a.txt", "b/PAGE.HTML", "b/STORY.TXT", "late.txt"]
    assert all(not row.error for row in rows)


def test_many_jobs_on_few_files_are_capped(folder):
    assert len(list(score_folder(folder, jobs=1000))) == 3


@pytest.mark.parametrize("where", ["input", "inside", "missing"])
def test_report_output_is_checked_before_any_work(folder, tmp_path, where):
    article = folder / "a.txt"
    before = article.read_text(encoding="utf-8")
    source, output = {
        "input": (article, article),
        "inside": (folder, folder / "b" / "report.html"),
        "missing": (article, tmp_path / "nowhere" / "report.html"),
    }[where]
    result = runner.invoke(app, ["report", str(source), "-o", str(output)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert article.read_text(encoding="utf-8") == before
    assert not (folder / "b" / "report.html").exists()


def test_classify_max_bytes_reads_no_further(tmp_path):
    big = write(tmp_path, "big.txt", STORY * 50)
    result = runner.invoke(app, ["classify", str(big), "--max-bytes", "100"])
    assert result.exit_code == 1 and "larger than 100 bytes" in result.stderr
    result = runner.invoke(app, ["classify", "-", "--max-bytes", "100"], input=STORY * 50)
    assert result.exit_code == 1 and "larger than 100 bytes" in result.stderr
    assert runner.invoke(app, ["classify", str(big)]).exit_code == 0


SPANISH = ("El alguacil del condado dijo el martes que la cárcel no entregará a nadie sin una orden firmada "
           "por un juez, y las familias esperaron afuera bajo la lluvia hasta la noche.")


def test_text_that_is_not_english_is_scored_with_a_warning(folder):
    write(folder, "es/nota.txt", SPANISH)
    rows = {row.path: row for row in score_folder(folder, jobs=1)}
    assert rows["es/nota.txt"].warning == "not English?" and not rows["es/nota.txt"].error
    assert rows["a.txt"].warning == ""
    result = runner.invoke(app, ["score", str(folder)])
    assert result.exit_code == 0 and "not English? 1" in result.stderr
    result = runner.invoke(app, ["classify", str(folder / "es" / "nota.txt")])
    assert result.exit_code == 0 and "does not look like English" in result.stderr


def test_a_file_changed_since_the_last_run_is_scored_again(folder, tmp_path):
    output = tmp_path / "scores.jsonl"
    first = {row.path: row for row in score_folder(folder, output, jobs=1)}
    assert list(score_folder(folder, output, jobs=1)) == []  # nothing changed: nothing to do
    rewritten = write(folder, "a.txt", "Families waited in the rain outside the county jail for news of the men. " * 3)
    os.utime(rewritten)  # modified now, after the last run started
    assert count_pending(folder, output).already == 2
    again = list(score_folder(folder, output, jobs=1))
    assert [row.path for row in again] == ["a.txt"] and again[0].slant != first["a.txt"].slant
    rows = read_scores(output).rows
    assert sorted(row.path for row in rows) == sorted(first) and len(rows) == len(first)
