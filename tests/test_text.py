from __future__ import annotations

import json
import os

import pytest

from framing.errors import InputError
from framing.text import decode_bytes, parse_article, read_article, split_sentences

from tests.helpers import DATA

HAZARDS = json.loads((DATA / "split_hazards.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", HAZARDS, ids=[case["text"][:40] for case in HAZARDS])
def test_split_news_hazards(case):
    assert split_sentences(case["text"]) == case["sentences"]


def test_split_keeps_state_abbreviations_in_one_sentence():
    text = "Raids hit Tulare, Calif.; Ithaca, N.Y.; and Dayton, Ohio. Nobody was charged."
    assert split_sentences(text) == [
        "Raids hit Tulare, Calif.; Ithaca, N.Y.; and Dayton, Ohio.",
        "Nobody was charged.",
    ]


def test_split_cuts_before_a_courtesy_title_blingfire_misses():
    assert split_sentences("Ms. Ortiz was held. Mr. Dahl was not.") == ["Ms. Ortiz was held.", "Mr. Dahl was not."]


def test_split_joins_hard_wrapped_lines_but_not_paragraphs():
    text = (
        "The sheriff said the county would keep honoring detainers from the\n"
        "federal agency, whatever the board decided on Tuesday night.\n\nA second paragraph."
    )
    assert split_sentences(text) == [
        "The sheriff said the county would keep honoring detainers from the federal agency, "
        "whatever the board decided on Tuesday night.",
        "A second paragraph.",
    ]


def test_split_empty_text_gives_no_sentences():
    assert split_sentences("  \n\n ") == []


def test_read_html_keeps_body_and_drops_page_furniture():
    article = read_article(DATA / "news_page.html")
    assert article.title == "Courthouse arrests keep witnesses away, defenders say"
    assert "Immigration agents arrested two men in the hallway" in article.text
    assert "cannot bar it from public hallways" in article.text
    for furniture in ("Sports", "Share on", "Subscribe", "Most read", "Privacy", "dataLayer", "Related", "Photo:"):
        assert furniture not in article.text


def test_read_markdown_strips_markup(tmp_path):
    path = tmp_path / "story.md"
    path.write_text(
        "# Board ends **jail** deal\n\nThe vote was [4-1](https://example.org/vote) on Tuesday.\n\n"
        "> Families are afraid, she said.\n\n---\n\n- first point\n- second point\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.title == "Board ends jail deal"
    assert split_sentences(article.text) == [
        "Board ends jail deal",
        "The vote was 4-1 on Tuesday.",
        "Families are afraid, she said.",
        "- first point",
        "- second point",
    ]


def test_read_text_takes_a_headline_as_title(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Agents detain 14 at dairy\n\nThe raid began at dawn.", encoding="utf-8")
    assert read_article(path).title == "Agents detain 14 at dairy"
    path.write_text("The raid began at dawn. Nobody was hurt.", encoding="utf-8")
    assert read_article(path).title is None


@pytest.mark.parametrize(
    "encoding,bom",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""), ("latin-1", b""), ("utf-16", b"")],
)
def test_decodes_common_encodings(tmp_path, encoding, bom):
    text = "Señora Peña’s café — “afraid to call the police.”" if encoding != "latin-1" else "Señora Peña, café."
    path = tmp_path / "story.txt"
    path.write_bytes(bom + text.encode(encoding))
    assert read_article(path).text == text


def test_undecodable_bytes_are_replaced_not_fatal():
    assert decode_bytes(b"caf\xe9 \x81 ok") == "caf\u00e9 \ufffd ok"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4, b"%PDF-1.7\n\x00\x01\x02\x03"],
)
def test_binary_input_is_refused(data):
    with pytest.raises(InputError, match="binary"):
        parse_article(data)


def test_missing_empty_and_oversized_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "nope.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_article(tmp_path / "empty.txt")
    (tmp_path / "big.txt").write_text("Word. " * 100)
    with pytest.raises(InputError, match="larger than 100 bytes"):
        read_article(tmp_path / "big.txt", max_bytes=100)
    with pytest.raises(InputError, match="directory"):
        read_article(tmp_path)


def test_empty_inputs_say_what_is_true():
    with pytest.raises(InputError, match="the page has no body text") as raised:
        parse_article(b"<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>", suffix=".html")
    assert raised.value.reason == "empty"
    with pytest.raises(InputError, match="only white space"):
        parse_article(b"  \n\t\n  ", suffix=".txt")
    with pytest.raises(InputError, match="the file is empty"):
        parse_article(b"", suffix=".txt")


@pytest.mark.parametrize(
    "text, expected",
    [
        # Our own cases of the kinds press releases use (not any published suite's text).
        ("The coalition asks for three things: 1.) Counsel for every child. 2.) An end to courthouse arrests. "
         "The county has not replied.",
         ["The coalition asks for three things:", "1.) Counsel for every child.", "2.) An end to courthouse arrests.",
          "The county has not replied."]),
        ("The demands: 1. Release the men held since May. 2. End the jail contract. 3. Fund legal aid.",
         ["The demands:", "1. Release the men held since May.", "2. End the jail contract.", "3. Fund legal aid."]),
        ("a. Hire two judges b. Open a second courtroom c. Publish the docket",
         ["a. Hire two judges", "b. Open a second courtroom", "c. Publish the docket"]),
        ("Steps taken: 1) Notices were mailed 2) Hearings were moved 3) Interpreters were hired. The rest waits.",
         ["Steps taken:", "1) Notices were mailed", "2) Hearings were moved", "3) Interpreters were hired.",
          "The rest waits."]),
        ("She waited... The bus never came.", ["She waited...", "The bus never came."]),
        ("The raid was on Feb. 4. Lt. Ann Cole led it.", ["The raid was on Feb. 4.", "Lt. Ann Cole led it."]),
        ("Options include a. more judges and b. more staff, the memo said.",
         ["Options include a. more judges and b. more staff, the memo said."]),
    ],
)
def test_split_enumerations_and_ellipses(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_broken_link_is_named(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing-target.txt")
    with pytest.raises(InputError, match="broken link"):
        read_article(tmp_path / "gone.txt")
