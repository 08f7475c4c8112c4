"""The HTML report: every sentence highlighted once, numbers as scored, self-contained, errors kept.

The reports are parsed with the standard library's html.parser into a small
tree, so the checks look at elements and attributes rather than at strings.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.errors import FramingError
from framing.scoring import score_article
from framing.report import build_report, render_html, write_report
from framing.text import read_article

from tests.helpers import DATA

runner = CliRunner()

ENFORCEMENT_SENTENCES = [
    "Agents arrested a man with two prior felony convictions who had reentered the country illegally, the sheriff said.",
    "Officials said the operation removed dangerous criminals from the streets and kept the community safe.",
    "The sheriff said honoring detainers keeps violent offenders from being released back into the county.",
]
RIGHTS_SENTENCES = [
    "Her children waited at school for hours, not knowing their mother had been detained and denied a lawyer.",
    "Families said they were afraid to go to court.",
    "Advocates said detainees were held for weeks without a hearing or access to medical care.",
]
NEUTRAL_SENTENCES = [
    "The county board will meet on Tuesday at 6 p.m. to discuss the budget.",
    "The agency did not respond to a request for comment.",
]


# --- a small DOM over html.parser --------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None = None) -> None:
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list[Node]:
        return [
            node for node in self.iter()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.classes)
            and all(node.attrs.get(name.rstrip("_")) == value for name, value in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> Node | None:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None


class TreeBuilder(HTMLParser):
    """Builds a tree and insists that every element is closed, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        assert tag not in VOID, f"end tag for void element <{tag}>"
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        self.current = self.current.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(document: str) -> Node:
    builder = TreeBuilder()
    builder.feed(document)
    builder.close()
    assert builder.current is builder.root, f"<{builder.current.tag}> never closed"
    return builder.root


# --- helpers -------------------------------------------------------------------------


def shown(value: float) -> str:
    """A slant as the report displays it: rounded to 4 decimals like `framing score`'s rows, then to 3, half up."""
    digits = Decimal(f"{value:.4f}").quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    text = f"{abs(digits) if digits == 0 else digits:+.3f}"
    assert abs(float(text) - value) <= 0.00055
    return text


def number(text: str) -> float:
    return float(text.strip().replace("\u2212", "-"))


def write_article(path: Path, paragraphs: list[list[str]], title: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(" ".join(paragraph) for paragraph in paragraphs)
    path.write_text((f"{title}\n\n" if title else "") + body + "\n", encoding="utf-8")
    return path


def mixed_article(path: Path, enforcement: int, rights: int) -> Path:
    """An article whose slant grows with ``enforcement`` and falls with ``rights``."""
    return write_article(
        path,
        [ENFORCEMENT_SENTENCES[:enforcement] + NEUTRAL_SENTENCES[:1], RIGHTS_SENTENCES[:rights] + NEUTRAL_SENTENCES[1:]],
    )


def assert_self_contained(document: str, tree: Node) -> None:
    assert "<script" not in document.lower()
    assert not tree.find_all("script")
    for tag in ("link", "img", "iframe", "object", "embed", "audio", "video", "source"):
        assert not tree.find_all(tag), f"<{tag}> in a self-contained report"
    for node in tree.iter():
        for name in ("src", "href", "xlink:href", "srcset", "action", "data"):
            value = node.attrs.get(name)
            if value is not None:
                assert value.startswith("#"), f"{node.tag} {name}={value!r} points outside the report"
    styles = " ".join(node.text() for node in tree.find_all("style"))
    assert "@import" not in styles
    assert not re.search(r"url\(", styles), "no url() in the styles: nothing fetched"
    assert not re.search(r"https?://", styles)
    for node in tree.iter():  # style attributes too
        assert "url(" not in (node.attrs.get("style") or "")


def article_sections(tree: Node) -> list[Node]:
    return tree.find_all("section", cls="article")


def check_article_section(section: Node, score, model) -> None:
    """Every sentence once, in order, as a span of its label; slant, gauge, notes as scored."""
    spans = section.find("div", cls="text").find_all("span", cls="sent")
    assert [span.text() for span in spans] == [sentence.text for sentence in score.sentences]
    # Nothing else in the article's text is highlighted, and no sentence text is outside a span.
    assert len(section.find_all("span", cls="sent")) == len(score.sentences)
    from framing.scoring import explain_article

    evidence = explain_article(model, score, top=5)
    for number_, (span, sentence, pairs) in enumerate(zip(spans, score.sentences, evidence), start=1):
        assert sentence.label in span.classes
        assert span.attrs["data-label"] == sentence.label
        assert not set(span.classes) & ({"enforcement", "neutral", "rights"} - {sentence.label})
        tooltip = span.attrs["title"]
        assert f"{sentence.label} (p {sentence.probability:.2f})" in tooltip
        note = section.find("li", id=f"{section.attrs['id']}-n{number_}")
        assert note is not None, f"no note for sentence {number_}"
        assert note.find("span", cls="tag").text() == sentence.label
        assert f"p {sentence.probability:.2f}" in note.text()
        for feature, weight in pairs:
            assert f"\u201c{feature}\u201d {weight:+.2f}" in note.text()
            assert feature in tooltip
    assert section.find("strong", cls="slant-value").text() == shown(score.slant)
    low, high = score.slant_interval
    assert f"[{shown(low)}, {shown(high)}]" in section.find("span", cls="interval").text()
    shares = {label: section.find("span", cls=f"share-{label}").text() for label in ("enforcement", "rights", "neutral")}
    assert shares == {label: f"{score.shares[label]:.0%}" for label in shares}
    check_gauge(section.find("svg", cls="gauge"), score.slant, score.slant_interval)


def check_gauge(gauge: Node, slant: float, interval: tuple[float, float]) -> None:
    """The marker sits at the slant and the band spans the interval on the -1..+1 axis."""
    assert gauge is not None
    ticks = [number(node.text()) for node in gauge.find_all("text") if re.fullmatch(r"[+\u2212-]?[\d.]+", node.text())]
    assert min(ticks) == -1 and max(ticks) == 1
    left, right = 20.0, 410.0

    def x(value: float) -> float:
        return left + (value + 1) / 2 * (right - left)

    marker = gauge.find("path", cls="marker")
    assert float(re.match(r"M([\d.]+)", marker.attrs["d"]).group(1)) == pytest.approx(x(slant), abs=0.06)
    band = gauge.find("rect", cls="band")
    band_x, band_width = float(band.attrs["x"]), float(band.attrs["width"])
    if x(interval[1]) - x(interval[0]) >= 3:
        assert band_x == pytest.approx(x(interval[0]), abs=0.06)
        assert band_x + band_width == pytest.approx(x(interval[1]), abs=0.12)
    assert band_x <= x(slant) <= band_x + band_width


def table_rows(tree: Node) -> list[dict]:
    table = tree.find("table", cls="articles")
    assert table is not None, "no table of articles"
    rows = []
    for row in table.find("tbody").find_all("tr"):
        rows.append(
            {
                "path": row.find("span", cls="path").text(),
                "title": (row.find("span", cls="title") or Node("x", {})).text(),
                "sentences": int(row.find("td", cls="sentences").text()),
                "enforcement": row.find("td", cls="share-enforcement").text(),
                "rights": row.find("td", cls="share-rights").text(),
                "neutral": row.find("td", cls="share-neutral").text(),
                "slant": number(row.find("td", cls="slant").text()),
            }
        )
    return rows


def error_rows(tree: Node) -> dict[str, str]:
    table = tree.find("table", cls="errors")
    if table is None:
        return {}
    return {row.find("td", cls="path").text(): row.find("td", cls="reason").text() for row in table.find("tbody").find_all("tr")}


def outlet_rows(tree: Node) -> dict[str, tuple[int, int, float | None]]:
    table = tree.find("table", cls="outlets")
    assert table is not None
    rows = {}
    for row in table.find("tbody").find_all("tr"):
        mean = row.find("td", cls="mean").text()
        rows[row.find("td", cls="name").text()] = (
            int(row.find("td", cls="articles").text()),
            int(row.find("td", cls="failed").text()),
            None if mean == "–" else number(mean),
        )
    return rows


def report_html(path, model, **options) -> tuple[str, Node]:
    document = render_html(build_report(path, model, **options))
    return document, parse(document)


# --- one article -----------------------------------------------------------------------


@pytest.fixture
def article(tmp_path) -> Path:
    return write_article(
        tmp_path / "story.txt",
        [ENFORCEMENT_SENTENCES[:2], [RIGHTS_SENTENCES[0], NEUTRAL_SENTENCES[0]], [RIGHTS_SENTENCES[1]], NEUTRAL_SENTENCES[1:]],
        title="Raid at the plant",
    )


@pytest.mark.parametrize("source", ["tmp", "news_page"])
def test_article_report_highlights_every_sentence_once_as_scored(shipped_model, article, source):
    path = article if source == "tmp" else DATA / "news_page.html"
    score = score_article(shipped_model, read_article(path).text)
    document, tree = report_html(path, shipped_model)
    assert_self_contained(document, tree)
    sections = article_sections(tree)
    assert len(sections) == 1
    check_article_section(sections[0], score, shipped_model)
    if source == "tmp":
        # The test article holds all three labels, so all three highlights are exercised.
        assert {s.label for s in score.sentences} == {"enforcement", "neutral", "rights"}
        # Paragraphs of the text stay paragraphs: 4 paragraphs after the title.
        assert len(sections[0].find("div", cls="text").find_all("p")) == 5
    assert tree.find("section", cls="legend") is not None
    assert not tree.find_all("table", cls="articles"), "one article has no folder table"


def test_labels_look_different_in_colour_and_in_line_style(shipped_model, article):
    document, tree = report_html(article, shipped_model)
    css = tree.find("style").text()

    def rule(selector: str) -> str:
        match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
        assert match, f"no CSS rule for {selector}"
        return match.group(1)

    variables = dict(re.findall(r"(--[\w-]+):\s*([^;]+);", css))

    def background(selector: str) -> str:
        value = re.search(r"background:\s*([^;]+)", rule(selector)).group(1).strip()
        return variables.get(value.removeprefix("var(").removesuffix(")"), value).lower()

    enforcement, rights = rule(".sent.enforcement"), rule(".sent.rights")
    assert background(".sent.enforcement") != background(".sent.rights")
    # Okabe-Ito orange and sky blue, as tints; the second cue is the underline's style.
    assert "#e69f00" in css.lower() and "#56b4e9" in css.lower()
    assert "underline" in enforcement and "solid" in enforcement
    assert "underline" in rights and "dotted" in rights
    assert "background" not in rule(".sent.neutral")
    legend = tree.find("section", cls="legend")
    assert {span.classes[1] for span in legend.find_all("span", cls="sent")} == {"enforcement", "rights", "neutral"}
    assert "@media print" in css


def test_article_text_is_escaped_not_executed(shipped_model, tmp_path):
    path = write_article(
        tmp_path / "hostile.txt",
        [[
            'Agents arrested a man at <script>alert("x")</script> the plant, the sheriff said.',
            'Her children saw <img src="https://evil.example/p.png"> and waited for their mother & a lawyer.',
        ]],
        title="<b>Title</b> with <style>@import url(https://evil.example/a.css);</style>",
    )
    score = score_article(shipped_model, read_article(path).text)
    document, tree = report_html(path, shipped_model)
    assert_self_contained(document, tree)
    check_article_section(article_sections(tree)[0], score, shipped_model)
    assert len(tree.find_all("style")) == 1


def test_one_sentence_article_says_how_little_it_tells(shipped_model, tmp_path):
    path = write_article(tmp_path / "one.txt", [[RIGHTS_SENTENCES[0]]])
    score = score_article(shipped_model, read_article(path).text)
    assert score.slant_interval == (-1.0, 1.0)
    _, tree = report_html(path, shipped_model)
    section = article_sections(tree)[0]
    check_article_section(section, score, shipped_model)
    assert float(section.find("rect", cls="band").attrs["width"]) == pytest.approx(390.0)  # the whole axis
    assert "1 sentence:" in section.find("p", cls="shares").text()
    assert "too few sentences to tell (1)" in section.text()


# --- folders ---------------------------------------------------------------------------------


@pytest.fixture
def flat_folder(tmp_path) -> Path:
    folder = tmp_path / "flat"
    mixed_article(folder / "mostly-rights.txt", 0, 3)
    mixed_article(folder / "balanced.md", 1, 1)
    mixed_article(folder / "mostly-enforcement.txt", 3, 0)
    mixed_article(folder / "leans-enforcement.txt", 2, 1)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")  # not matched: not listed at all
    return folder


@pytest.fixture
def outlet_folder(tmp_path) -> Path:
    folder = tmp_path / "outlets"
    mixed_article(folder / "Daily Planet" / "one.txt", 3, 0)
    mixed_article(folder / "Daily Planet" / "two.txt", 2, 1)
    mixed_article(folder / "herald" / "one.txt", 0, 3)
    mixed_article(folder / "herald" / "two.txt", 1, 2)
    mixed_article(folder / "herald" / "three.txt", 1, 1)
    (folder / "herald" / "broken.html").write_bytes(b"\x00\x01\x02\x03binary")
    (folder / "herald" / "empty.txt").write_bytes(b"")
    return folder


def expected_scores(model, folder: Path, paths: list[str]) -> dict[str, object]:
    return {path: score_article(model, read_article(folder / path).text) for path in paths}


def test_folder_report_table_is_sorted_by_slant_and_lists_every_file(shipped_model, flat_folder):
    document, tree = report_html(flat_folder, shipped_model)
    assert_self_contained(document, tree)
    good = ["balanced.md", "leans-enforcement.txt", "mostly-enforcement.txt", "mostly-rights.txt"]
    scores = expected_scores(shipped_model, flat_folder, good)
    rows = table_rows(tree)
    assert sorted(row["path"] for row in rows) == good
    slants = [row["slant"] for row in rows]
    assert slants == sorted(slants)
    assert rows[0]["path"] == "mostly-rights.txt" and rows[-1]["path"] == "mostly-enforcement.txt"
    for row in rows:
        score = scores[row["path"]]
        # The same number as in the article's own report, though the table is built from rounded rows.
        assert row["slant"] == float(shown(score.slant))
        assert row["sentences"] == len(score.sentences)
        assert row["enforcement"] == f"{score.shares['enforcement']:.0%}"
        assert row["rights"] == f"{score.shares['rights']:.0%}"
        assert row["neutral"] == f"{score.shares['neutral']:.0%}"
    # Bad files are rows of their own, with their reasons; files that are not articles are not listed.
    assert error_rows(tree) == {"empty.txt": "empty", "photo.html": "binary"}
    assert "notes.pdf" not in document
    assert tree.find("span", cls="files").text() == "6" and tree.find("span", cls="scored").text() == "4"
    # No sub-folders, no outlets.
    assert tree.find(id="outlets") is None and tree.find("table", cls="outlets") is None
    bars = tree.find("svg", cls="histogram").find_all("rect", cls="bar")
    assert len(bars) == 10 and sum(int(bar.attrs["data-count"]) for bar in bars) == 4
    # The articles in detail follow the table's order, each highlighted as scored.
    sections = article_sections(tree)
    assert [section.find("p", cls="path").text() for section in sections] == [row["path"] for row in rows]
    for section, row in zip(sections, rows):
        check_article_section(section, scores[row["path"]], shipped_model)


def test_folder_report_details_can_be_limited(shipped_model, flat_folder):
    _, tree = report_html(flat_folder, shipped_model, details=1)
    assert len(article_sections(tree)) == 1
    assert len(table_rows(tree)) == 4
    assert "shown for 1 of the 4 scored articles" in " ".join(note.text() for note in tree.find_all("p", cls="note"))
    _, tree = report_html(flat_folder, shipped_model, details=2)
    shown = [section.find("p", cls="path").text() for section in article_sections(tree)]
    table = [row["path"] for row in table_rows(tree)]
    assert shown == [table[0], table[-1]]  # the most rights-leaning and the most enforcement-leaning
    _, tree = report_html(flat_folder, shipped_model, details=0)
    assert article_sections(tree) == []
    assert len(table_rows(tree)) == 4


def test_outlets_are_compared_when_the_folder_has_sub_folders(shipped_model, outlet_folder):
    document, tree = report_html(outlet_folder, shipped_model)
    assert_self_contained(document, tree)
    assert tree.find("figure", id="outlets") is not None
    outlets = outlet_rows(tree)
    assert set(outlets) == {"Daily Planet", "herald"}
    assert outlets["Daily Planet"][:2] == (2, 0)
    assert outlets["herald"][:2] == (3, 2)
    for name, paths in {"Daily Planet": ["one.txt", "two.txt"], "herald": ["one.txt", "two.txt", "three.txt"]}.items():
        scores = expected_scores(shipped_model, outlet_folder / name, paths)
        mean = sum(score.slant for score in scores.values()) / len(scores)
        assert outlets[name][2] == pytest.approx(mean, abs=0.0006)
    # The enforcement-heavy outlet sits right of the rights-heavy one in the chart too.
    marks = {
        re.match(r"(.+?): mean slant", mark.find("title").text()).group(1): float(mark.find("circle").attrs["cx"])
        for mark in tree.find("svg", cls="outlet-chart").find_all("g", cls="outlet-mark")
    }
    assert marks["Daily Planet"] > marks["herald"]
    assert error_rows(tree) == {"herald/broken.html": "binary", "herald/empty.txt": "empty"}
    assert [row["path"].split("/")[0] for row in table_rows(tree)].count("herald") == 3


def test_top_level_files_form_their_own_outlet_beside_sub_folders(shipped_model, outlet_folder):
    mixed_article(outlet_folder / "loose.txt", 1, 1)
    _, tree = report_html(outlet_folder, shipped_model, details=0)
    assert set(outlet_rows(tree)) == {"(top level)", "Daily Planet", "herald"}
    assert outlet_rows(tree)["(top level)"][:2] == (1, 0)


def test_scores_file_report_matches_the_folder_report(shipped_model, outlet_folder, tmp_path):
    from framing.batch import score_folder

    for suffix in (".jsonl", ".csv"):
        scores = tmp_path / f"scores{suffix}"
        list(score_folder(outlet_folder, scores, jobs=1))
        document, tree = report_html(scores, None)
        assert_self_contained(document, tree)
        assert article_sections(tree) == []
        _, folder_tree = report_html(outlet_folder, shipped_model, details=0)
        assert table_rows(tree) == table_rows(folder_tree)
        assert outlet_rows(tree) == outlet_rows(folder_tree)
        assert error_rows(tree) == error_rows(folder_tree)


def test_the_library_prints_nothing(shipped_model, outlet_folder, tmp_path, capsys):
    write_report(tmp_path / "r.html", render_html(build_report(outlet_folder, shipped_model)))
    write_report(tmp_path / "a.html", render_html(build_report(outlet_folder / "herald" / "one.txt", shipped_model)))
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


# --- the command ----------------------------------------------------------------------------------


def invoke(*args):
    return runner.invoke(app, [str(arg) for arg in args])


def test_cli_writes_an_article_report(article, tmp_path):
    out = tmp_path / "report.html"
    result = invoke("report", article, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote {out}" in result.stderr
    tree = parse(out.read_text(encoding="utf-8"))
    assert len(article_sections(tree)) == 1
    assert not list(tmp_path.glob(".report.html.*")), "no temporary file left behind"


def test_cli_folder_with_bad_files_is_a_report_not_a_failure(flat_folder, tmp_path):
    out = tmp_path / "folder.html"
    result = invoke("report", flat_folder, "-o", out, "--details", "2")
    assert result.exit_code == 0, result.output
    assert "6 files, 2 shown in detail" in result.stderr
    tree = parse(out.read_text(encoding="utf-8"))
    assert set(error_rows(tree)) == {"empty.txt", "photo.html"}
    assert len(table_rows(tree)) == 4 and len(article_sections(tree)) == 2


def test_cli_reports_a_scores_file(flat_folder, tmp_path):
    scores = tmp_path / "s.jsonl"
    assert invoke("score", flat_folder, "-o", scores, "-j", "1").exit_code == 1  # two bad files
    assert len(scores.read_text().splitlines()) == 6
    out = tmp_path / "scores.html"
    result = invoke("report", scores, "-o", out)
    assert result.exit_code == 0, result.output
    tree = parse(out.read_text(encoding="utf-8"))
    assert len(table_rows(tree)) == 4 and len(error_rows(tree)) == 2


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda p: p / "missing.txt", "no such file"),
        (lambda p: (p / "empty.txt").write_bytes(b"") and None or p / "empty.txt", "empty"),
        (lambda p: (p / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00") and None or p / "photo.txt", "binary"),
        (lambda p: (p / "nothing").mkdir() or p / "nothing", "no article files"),
        (lambda p: (p / "bad.jsonl").write_text('{"not": "a row"}\n') and None or p / "bad.jsonl", "not a framing row"),
    ],
    ids=["missing", "empty", "binary", "empty-folder", "bad-scores"],
)
def test_cli_bad_input_is_one_line_exit_1_and_keeps_the_old_report(tmp_path, make, message):
    out = tmp_path / "report.html"
    out.write_text("old report", encoding="utf-8")
    result = invoke("report", make(tmp_path), "-o", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("framing: error:") and message in lines[0]
    assert "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "old report"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".report")) == []


def test_unwritable_output_is_refused_up_front_and_by_the_library(article, tmp_path):
    result = invoke("report", article, "-o", tmp_path / "no" / "such" / "dir.html")
    assert result.exit_code == 2  # a usage error, found before any work
    assert "no folder" in result.stderr
    with pytest.raises(FramingError, match="cannot write the report"):
        write_report(tmp_path / "no" / "such" / "dir.html", "<html></html>")


@pytest.mark.parametrize("args", [["report", "x.txt"], ["report"], ["report", "x.txt", "-o", "r.html", "--details", "-1"]])
def test_cli_bad_usage_is_exit_2(args):
    result = invoke(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("framing: error:")


# --- who frames the story -------------------------------------------------------------------

QUOTED_ARTICLE = [
    ["Sheriff Dana Holt said the county jail would keep honouring every federal detainer."],
    ['"We hold people ICE asks us to hold, because the men we released went on to hurt people," Holt said.',
     '"That is my job."'],
    ["Immigration lawyer Rosa Mendez disagreed.",
     '"Families are torn apart over a traffic stop, and the county calls it safety," Mendez said.'],
    ["The county board meets again on Tuesday."],
]


def test_who_frames_this_story_sets_the_reporter_against_the_sources(shipped_model, tmp_path):
    path = write_article(tmp_path / "quoted.txt", QUOTED_ARTICLE)
    score = score_article(shipped_model, read_article(path).text)
    assert [source["speaker"] for source in score.sources] == ["Dana Holt", "Rosa Mendez"]
    _, tree = report_html(path, shipped_model)
    section = article_sections(tree)[0].find("section", cls="voices")
    captions = [figure.find("figcaption").text() for figure in section.find_all("figure", cls="voice")]
    reporter, quoted = score.voices["reporter"], score.voices["quoted"]
    assert captions == [
        f"The reporter's own voice: {reporter['sentences']} sentences, slant {shown(reporter['slant'])}",
        f"Quoted sources: {quoted['sentences']} sentences, slant {shown(quoted['slant'])}",
    ]
    assert len(section.find_all("svg", cls="gauge")) == 2
    rows = section.find("table", cls="sources").find("tbody").find_all("tr")
    assert [row.find("td", cls="speaker").text() for row in rows] == ["Dana Holt", "Rosa Mendez"]
    assert [row.find("td", cls="slant").text() for row in rows] == [shown(s["slant"]) for s in score.sources]
    notes = " ".join(note.text() for note in article_sections(tree)[0].find_all("li"))
    assert "Quoted: Dana Holt." in notes and "Quoted: Rosa Mendez." in notes


def test_an_article_without_quotes_says_so(shipped_model, article):
    _, tree = report_html(article, shipped_model)
    voices = article_sections(tree)[0].find("section", cls="voices")
    assert "No direct quotation" in voices.text() and voices.find("table") is None


def test_a_folder_report_lists_who_is_quoted_across_articles(shipped_model, tmp_path):
    folder = tmp_path / "quoted"
    write_article(folder / "herald" / "one.txt", QUOTED_ARTICLE)
    write_article(folder / "herald" / "two.txt", QUOTED_ARTICLE[:2])
    write_article(folder / "ledger" / "three.txt", [["The board met on Tuesday and approved the budget."] * 3])
    _, tree = report_html(folder, shipped_model)
    rows = tree.find("table", cls="collection-sources").find("tbody").find_all("tr")
    cells = {row.find("td", cls="speaker").text(): row.find_all("td") for row in rows}
    assert list(cells) == ["Dana Holt", "Rosa Mendez"]
    assert cells["Dana Holt"][2].text() == "2" and cells["Rosa Mendez"][2].text() == "1"
    outlets = {row.find("td", cls="name").text(): row for row in tree.find("table", cls="outlets").find_all("tr", cls="outlet")}
    assert outlets["ledger"].find("td", cls="quoted-share").text() == "0%"
    assert outlets["ledger"].find("td", cls="quoted-slant").text() == "–"
    assert outlets["herald"].find("td", cls="quoted-slant").text() != "–"


def test_markup_in_a_file_name_is_inert(shipped_model, tmp_path):
    path = write_article(tmp_path / '<script>alert(1)</script><img src=x onerror="y">.txt', QUOTED_ARTICLE)
    document, tree = report_html(path, shipped_model)
    assert_self_contained(document, tree)
    assert "<script>alert" not in document and "&lt;script&gt;alert(1)&lt;/script&gt;" in document
