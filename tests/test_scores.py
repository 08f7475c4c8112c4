"""The scores file format: rows out and back, and files a person has edited."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.errors import InputError
from framing.scores import FIELDS, RowWriter, ScoreRow, ScoresFileError, read_scored_paths, read_scores

SCORED = ScoreRow(
    "herald/raid.txt", title='Raid "at dawn", 40 held', sentences=12, enforcement=0.25, rights=0.5,
    neutral=0.25, slant=-0.2113, slant_low=-0.4, slant_high=0.01, quoted_share=0.25, reporter_slant=-0.1,
    quoted_slant=-0.5, sources=(
        {"speaker": "Ana Ruiz", "role": "Mayor", "sentences": 2, "slant": -0.61},
        {"speaker": "Glen Harmon", "role": None, "sentences": 1, "slant": 0.4},
    ),
)
FAILED = ScoreRow.failed("herald/photo.html", "binary")


def written(tmp_path, suffix: str, rows=(SCORED, FAILED)):
    path = tmp_path / f"scores{suffix}"
    writer = RowWriter(path)
    for row in rows:
        writer.write(row)
    writer.close()
    return path


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_rows_come_back_as_written(tmp_path, suffix):
    path = written(tmp_path, suffix)
    expected = SCORED
    if suffix == ".csv":  # a CSV cell names the sources without their roles
        expected = replace(SCORED, sources=tuple(dict(source, role=None) for source in SCORED.sources))
    assert read_scores(path).rows == (expected, FAILED)
    assert list(read_scored_paths(path)) == [SCORED.path, FAILED.path]


def test_the_file_formats_are_exactly_these(tmp_path):
    assert written(tmp_path, ".jsonl", [FAILED]).read_text(encoding="utf-8") == (
        '{"path": "herald/photo.html", "title": "", "sentences": 0, "enforcement": null, "rights": null, '
        '"neutral": null, "slant": null, "slant_low": null, "slant_high": null, "quoted_share": null, '
        '"reporter_slant": null, "quoted_slant": null, "sources": [], "warning": "", "error": "binary"}\n'
    )
    assert written(tmp_path, ".csv").read_text(encoding="utf-8").splitlines() == [
        ",".join(FIELDS),
        'herald/raid.txt,"Raid ""at dawn"", 40 held",12,0.25,0.5,0.25,-0.2113,-0.4,0.01,0.25,-0.1,-0.5,'
        '"Ana Ruiz (2, -0.610); Glen Harmon (1, +0.400)",,',
        "herald/photo.html,,0,,,,,,,,,,,,binary",
    ]


def test_a_csv_saved_by_a_spreadsheet_with_a_byte_order_mark_is_read(tmp_path):
    path = written(tmp_path, ".csv", [FAILED])
    path.write_bytes("\ufeff".encode() + path.read_bytes())
    assert read_scores(path).rows == (FAILED,)


def edited(tmp_path, **changes) -> object:
    record = {**SCORED.to_dict(), **changes}
    path = tmp_path / "edited.jsonl"
    path.write_text(FAILED.to_json() + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "changes, fault",
    [
        ({"slant": float("nan")}, "'slant' is nan, not a finite number"),
        ({"slant": float("inf")}, "'slant' is inf, not a finite number"),
        ({"slant": 5.0, "slant_high": 5.0}, "'slant' is 5.0, not a slant between -1 and +1"),
        ({"sentences": -3}, "'sentences' is -3, below 0"),
        ({"sentences": 2.5}, "'sentences' must be a whole number"),
        ({"rights": 1.5}, "'rights' is 1.5, not a share between 0 and 1"),
        ({"slant_low": 0.3, "slant_high": -0.3}, "'slant' is not between 'slant_low' and 'slant_high'"),
        ({"slant": "high"}, "'slant' is 'high', not a number"),
        ({"slant": None}, "a scored row needs 'slant'"),
        ({"path": ""}, "'path' must be a non-empty text"),
        ({"error": "binary"}, "an error row has no scores, but 'enforcement' is set"),
        ({"quoted_slant": 1.5}, "'quoted_slant' is 1.5, not a slant between -1 and +1"),
        ({"sources": [{"speaker": "Ana Ruiz", "sentences": 0, "slant": 0.1}]}, "needs 'sentences' of at least 1"),
        ({"path": FAILED.path}, "'herald/photo.html' already has a row on line 1"),
    ],
)
def test_every_bad_value_is_named_with_its_line(tmp_path, changes, fault):
    path = edited(tmp_path, **changes)
    with pytest.raises(ScoresFileError) as raised:
        read_scores(path)
    message = str(raised.value)
    assert message.startswith(f"{path} line 2: not a framing row (") and fault in message
    assert isinstance(raised.value, InputError)
    skipping = read_scores(path, skip_bad_rows=True)
    assert skipping.rows == (FAILED,) and len(skipping.skipped) == 1 and fault in skipping.skipped[0]


def test_a_missing_field_and_a_short_csv_record_are_named(tmp_path):
    record = SCORED.to_dict()
    del record["error"]
    path = tmp_path / "short.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(ScoresFileError, match=r"line 1: not a framing row \(missing field 'error'\)"):
        read_scores(path)
    csv_path = written(tmp_path, ".csv")
    csv_path.write_text(csv_path.read_text(encoding="utf-8") + "only,three,cells\n", encoding="utf-8")
    with pytest.raises(ScoresFileError, match="line 4: not a framing row"):
        read_scores(csv_path)


def test_a_file_with_nothing_good_left_is_refused(tmp_path):
    path = edited(tmp_path, slant=9.0)
    path.write_text(path.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
    with pytest.raises(ScoresFileError, match="no rows in"):
        read_scores(path, skip_bad_rows=True)


def test_resuming_an_edited_file_says_how_to_start_again(tmp_path):
    path = edited(tmp_path, slant=float("nan"))
    with pytest.raises(ScoresFileError, match="use --overwrite to start it afresh"):
        RowWriter(path)


def test_report_skip_bad_rows_carries_on_and_says_so(tmp_path):
    path = edited(tmp_path, slant=7.0, slant_high=7.0)
    out = tmp_path / "report.html"
    runner = CliRunner()
    refused = runner.invoke(app, ["report", str(path), "-o", str(out)])
    assert refused.exit_code == 1 and "line 2: not a framing row" in refused.stderr and not out.exists()
    result = runner.invoke(app, ["report", str(path), "-o", str(out), "--skip-bad-rows"])
    assert result.exit_code == 0, result.stderr
    assert "1 bad row left out" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert "1 bad row was left out" in html and "line 2" in html
