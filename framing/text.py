"""Reading articles from files and splitting their text into sentences.

Reading turns bytes into an :class:`Article` (plain text plus a title, when
there is one): ``.txt`` as text, ``.md`` as text with its markup removed,
``.html``/``.htm`` as the article's body text only. Splitting uses blingfire,
which is fast enough never to be the bottleneck of batch scoring, plus a
small post-processing step for what it misses in news copy (line-based
headlines and bullets, courtesy titles such as "Lt." before a name).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from framing.errors import InputError

from framing.defaults import HTML_SUFFIXES, MARKDOWN_SUFFIXES

# Share of control bytes above which a file is taken for binary, not text.
_MAX_CONTROL_SHARE = 0.10
_SNIFF_BYTES = 8192
# Control bytes that text files do not contain (tab, newlines and form feeds aside).
_BINARY_CONTROLS = bytes(byte for byte in range(32) if byte not in b"\t\n\r\f\x0b")


@dataclass(frozen=True)
class Article:
    """The readable text of one article.

    Attributes
    ----------
    text : str
        Body text, paragraphs separated by blank lines.
    title : str or None
        The HTML ``<title>``/``<h1>``, the first Markdown heading, or a short
        first line of a text file; ``None`` when there is none.
    """

    text: str
    title: str | None = None


def decode_bytes(data: bytes) -> str:
    """Decode the bytes of a text file, refusing binary data.

    UTF-8 (with or without a byte-order mark) is tried first, then UTF-16 when
    a byte-order mark says so, then Windows-1252, which covers the Latin-1
    files old newsroom systems write; bytes undefined there become U+FFFD.

    Parameters
    ----------
    data : bytes
        The file's content.

    Returns
    -------
    str
        The decoded text.

    Raises
    ------
    InputError
        If the data looks binary (NUL bytes or many control characters).

    Examples
    --------
    >>> decode_bytes("Caf\\u00e9".encode("cp1252"))
    'Café'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    head = data[:_SNIFF_BYTES]
    controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))
    if b"\x00" in head or (head and controls / len(head) > _MAX_CONTROL_SHARE):
        raise InputError("binary file, not text", reason="binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_article(path: str | Path, *, max_bytes: int | None = None) -> Article:
    """Read one article file into plain text.

    Parameters
    ----------
    path : str or Path
        A ``.txt``, ``.md`` or ``.html``/``.htm`` file; any other suffix is read
        as plain text.
    max_bytes : int, optional
        Refuse files larger than this many bytes.

    Returns
    -------
    Article

    Raises
    ------
    InputError
        If the file is missing, unreadable, too large, binary or has no text.

    Examples
    --------
    >>> article = read_article("corpus/articles/a01-example.txt")  # doctest: +SKIP
    >>> article.title  # doctest: +SKIP
    'County ends jail deal with ICE'
    """
    path = Path(path)
    try:
        data = _read_regular_file(path, max_bytes)
    except FileNotFoundError:
        kind = "broken link" if path.is_symlink() else "no such file"
        raise InputError(f"{kind}: {path}", reason=kind) from None
    except IsADirectoryError:
        raise InputError(f"is a directory: {path}", reason="not a file") from None
    except PermissionError:
        raise InputError(f"permission denied: {path}", reason="permission denied") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}", reason="unreadable") from None
    try:
        return parse_article(data, suffix=path.suffix.lower())
    except InputError as error:  # name the file: the content-level messages cannot
        raise InputError(f"{path}: {error}", reason=error.reason) from None


def read_stream(stream: BinaryIO, *, max_bytes: int | None = None, name: str = "standard input") -> Article:
    """Read one article from a binary stream (standard input), guessing HTML or text from its content.

    Parameters
    ----------
    stream : binary file object
        Where the article comes from.
    max_bytes : int, optional
        Refuse input longer than this; no more than one byte beyond it is read.
    name : str
        What to call the input in messages.

    Raises
    ------
    InputError
        If the input is too large, binary or has no text.
    """
    data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(f"{name}: input is larger than {max_bytes:,} bytes", reason="too large")
    try:
        return parse_article(data, suffix=guess_suffix(data))
    except InputError as error:
        raise InputError(f"{name}: {error}", reason=error.reason) from None


def _read_regular_file(path: Path, max_bytes: int | None) -> bytes:
    """The bytes of a regular file, at most ``max_bytes``; never blocks on a FIFO or a device."""
    if stat.S_ISSOCK(os.stat(path).st_mode):  # a socket cannot even be opened
        raise InputError(f"{path}: not a regular file (a socket)", reason="not a regular file")
    # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            kind = "FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "device"
            raise InputError(f"{path}: not a regular file (a {kind})", reason="not a regular file")
        if max_bytes is None:
            return handle.read()
        data = handle.read(max_bytes + 1)  # never more, even if the file grows while read
        if len(data) > max_bytes:
            raise InputError(f"{path}: file is larger than {max_bytes:,} bytes", reason="too large")
        return data


_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<p>", b"<div")


def guess_suffix(data: bytes | str) -> str:
    """The suffix content without a file name (stdin) should be read as: ``.html`` or ``.txt``.

    Examples
    --------
    >>> guess_suffix(b"  <!DOCTYPE html><html>..."), guess_suffix("Agents came at dawn.")
    ('.html', '.txt')
    """
    head = data[:1024] if isinstance(data, bytes) else data[:1024].encode("utf-8", "replace")
    return ".html" if head.lstrip().lower().startswith(_HTML_STARTS) else ".txt"


def parse_article(data: bytes | str, *, suffix: str = ".txt") -> Article:
    """Turn a file's content into an :class:`Article`, by the file's suffix.

    Parameters
    ----------
    data : bytes or str
        The content; bytes are decoded with :func:`decode_bytes`.
    suffix : str
        ``.html``/``.htm`` for HTML, ``.md`` for Markdown, anything else for text.

    Returns
    -------
    Article

    Raises
    ------
    InputError
        If the content is binary or holds no text.
    """
    text = decode_bytes(data) if isinstance(data, bytes) else data
    if suffix in HTML_SUFFIXES:
        article = _html_article(text)
    elif suffix in MARKDOWN_SUFFIXES:
        article = _markdown_article(text)
    else:
        article = _text_article(text)
    if not article.text.strip():
        if not text:
            raise InputError("no text to classify (the file is empty)", reason="empty")
        if not text.strip():
            raise InputError("no text to classify (the file holds only white space)", reason="empty")
        if suffix in HTML_SUFFIXES:
            raise InputError("no text to classify (the page has no body text)", reason="empty")
        raise InputError("no text to classify (nothing is left once markup is removed)", reason="empty")
    return article


# --- HTML ------------------------------------------------------------------

# Elements that are never the article's body text.
_NON_BODY_TAGS = (
    "script, style, noscript, template, nav, footer, aside, form, button, iframe, svg,"
    " select, figure, header"
)
# Class or id words that mark page furniture in news sites' markup.
_FURNITURE = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|footer|sidebar|share|sharing|social|related|newsletter|"
    r"subscribe|promo|advert|ads?|cookie|comments?|breadcrumbs?|byline-social|most-read|"
    r"trending|recirc|outbrain|taboola|paywall)($|[\s_-])",
    re.IGNORECASE,
)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK_TAGS = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt, td, th, figcaption"


def _html_article(html: str) -> Article:
    from selectolax.lexbor import LexborHTMLParser

    # A <br> ends a line (release headers, datelines, addresses); keep it as a newline.
    tree = LexborHTMLParser(_BR.sub("\n", html))
    title = _clean_inline(tree.css_first("title").text()) if tree.css_first("title") else ""
    h1 = tree.css_first("h1")
    if h1 is not None and _clean_inline(h1.text()):
        title = _clean_inline(h1.text())

    # The article's own <header> holds its headline; keep that one, drop page headers.
    for node in tree.css(_NON_BODY_TAGS):
        if node.tag == "header" and node.css_first("h1") is not None:
            continue
        node.decompose()
    for node in tree.css("[class], [id], [role]"):
        marker = " ".join(
            node.attributes.get(name) or "" for name in ("class", "id", "role")
        )
        if node.tag not in ("html", "body", "article", "main") and _FURNITURE.search(marker):
            node.decompose()

    root = _body_root(tree)
    if root is None:
        return Article(text="", title=title or None)
    blocks = []
    for node in root.css(_BLOCK_TAGS):
        # A block inside another block (a <p> in an <li>) is read once, by its parent.
        if node.parent is not None and _has_block_ancestor(node, root):
            continue
        text = "\n".join(filter(None, (_clean_inline(line) for line in node.text(separator=" ").split("\n"))))
        if text:
            blocks.append(text)
    if not blocks:  # Markup without paragraphs: fall back to all visible text.
        blocks = [line for line in (_clean_inline(t) for t in root.text(separator="\n").split("\n")) if line]
    if title and (not blocks or blocks[0] != title):
        blocks.insert(0, title)
    return Article(text="\n\n".join(blocks), title=title or None)


_BLOCK_TAG_NAMES = frozenset(tag.strip() for tag in _BLOCK_TAGS.split(","))


def _has_block_ancestor(node, root) -> bool:
    parent = node.parent
    while parent is not None and parent is not root and parent.tag != root.tag:
        if parent.tag in _BLOCK_TAG_NAMES:
            return True
        parent = parent.parent
    return False


def _body_root(tree):
    articles = tree.css("article")
    if articles:
        # Several <article> elements: teasers beside the story; the story is the longest.
        return max(articles, key=lambda node: len(node.text()))
    for selector in ("main", "[role=main]", "body"):
        node = tree.css_first(selector)
        if node is not None:
            return node
    return tree.root


def _clean_inline(text: str) -> str:
    return " ".join(text.split())


# --- Markdown and plain text -----------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


def _markdown_article(markdown: str) -> Article:
    title = None
    lines = []
    for line in _normalize_newlines(markdown).split("\n"):
        if _MD_RULE.match(line):
            lines.append("")
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
            title = title or _clean_inline(_strip_markdown_inline(line)) or None
            # A heading is a paragraph of its own.
            lines.extend(["", line, ""])
            continue
        line = re.sub(r"^\s{0,3}>\s?", "", line)  # block quotes
        lines.append(line)
    return Article(text=_strip_markdown_inline("\n".join(lines)).strip(), title=title)


def _strip_markdown_inline(text: str) -> str:
    return _MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", text))


def _text_article(text: str) -> Article:
    text = _normalize_newlines(text).strip()
    first_line = text.split("\n", 1)[0].strip()
    looks_like_headline = (
        first_line
        and len(first_line.split()) <= 20
        and not first_line.endswith((".", "?", "!", '"', "\u201d", ":"))
    )
    return Article(text=text, title=first_line if looks_like_headline else None)


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- Language ----------------------------------------------------------------

# The commonest English words: in English news they make up a third or more of the words;
# in Spanish, French or German text, a few percent.
_ENGLISH_WORDS = frozenset("""
the of and to a in is that for on was with as it he she said by at from his her they be are have has
had not an this but who were their which will would or its been after about also more than one into
""".split())
_WORD = re.compile(r"[^\W\d_]+")
# Below this share of common English words (in a text of MIN_WORDS_FOR_LANGUAGE words or
# more) a text is not English enough for a model trained on English news.
MIN_ENGLISH_SHARE = 0.12
MIN_WORDS_FOR_LANGUAGE = 20


def looks_like_english(text: str) -> bool:
    """Whether a text reads as English: enough of its words are the commonest English words.

    Short texts (under MIN_WORDS_FOR_LANGUAGE words) are given the benefit of the doubt.

    Examples
    --------
    >>> looks_like_english("The county said it would honor the detainers, and the sheriff agreed with that plan.")
    True
    >>> looks_like_english("El condado dijo que no cumplirá las órdenes de detención, y el alguacil estuvo de acuerdo con ese plan de la junta.")
    False
    """
    words = _WORD.findall(text[:20000].lower())
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return True
    return sum(word in _ENGLISH_WORDS for word in words) / len(words) >= MIN_ENGLISH_SHARE


# --- Sentence splitting ------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-*\u2022\u00b7\u2013\u2014\u25aa\u25cf]|\d{1,2}[.)])\s+")
_TERMINAL = (".", "!", "?", ":", ";", '"', "'", "\u201d", "\u2019", ")")
# Titles that stand before a name: a sentence never ends on one of them.
_NAME_TITLES = (
    "Mr|Mrs|Ms|Mx|Dr|Prof|Rev|Fr|Sen|Rep|Gov|Lt|Gen|Col|Capt|Cmdr|Maj|Sgt|Cpl|Pvt|"
    "Adm|Det|Insp|Supt|Atty|Hon|Pres|Sec|Amb|Supv|Cmsr|Comm|Ald|Asst|Dep"
)
_ENDS_WITH_TITLE = re.compile(rf"(?:^|[\s(\[\"\u201c])(?:{_NAME_TITLES})\.$")
# blingfire keeps "... was held. Mr. Dahl was not." together: cut before the title.
_CUT_BEFORE_TITLE = re.compile(
    rf"(?<=[a-z0-9\u00e0-\u00ff%][.!?])([\"'\u201d\u2019)]?)\s+(?=(?:{_NAME_TITLES})\.\s+[A-Z])"
)
# blingfire misses breaks before an accented capital ("... a conviction. Élise François said")
# and before a number that starts a sentence ("... on Sunday. 2,000 people marched."): cut there
# when the word before the stop is an ordinary lower-case word, not an abbreviation.
_LOWERCASE_ABBREVIATIONS = "vs|approx|ca|no|nos|pp|vol|art|sec|ch|fig|est|etc|al"
_CUT_BEFORE_CAPITAL_OR_NUMBER = re.compile(
    rf"(?<![\w.])(?!(?:{_LOWERCASE_ABBREVIATIONS})\.)([a-z\u00df-\u00ff]{{2,}}|\d+%?|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
    r"([.!?][\"'\u201d\u2019)]?)\s+(?=[\u00c0-\u00d6\u00d8-\u00de]|\d[\d,.]*%?\s+[a-z])"
)
_MAYBE_CAPITAL_OR_NUMBER_AFTER_STOP = re.compile(r"[.!?][\"'\u201d\u2019)]?\s+[\d\u00c0-\u00de]")
# A piece that starts in lower case or with a dash continues the sentence ("EUGENE, Ore. — A judge...").
_STARTS_LIKE_CONTINUATION = re.compile(r"^[a-z,;:)\]%\u2013\u2014]")


def split_sentences(text: str) -> list[str]:
    """Split article text into sentences, as news copy is written.

    Paragraphs (blank lines) and lines that are headlines or bullets are kept
    apart; hard-wrapped lines are joined; within a paragraph blingfire finds
    the sentence ends, and a post-processing step repairs its misses on
    courtesy titles ("Lt. Cole Banner", "... held. Mr. Dahl ...") and on
    fragments that start in lower case.

    Parameters
    ----------
    text : str
        Plain text (for example :attr:`Article.text`).

    Returns
    -------
    list of str
        The sentences, stripped, in order; empty when the text holds none.

    Examples
    --------
    >>> split_sentences("Workers were held in Tulare, Calif.; Ithaca, N.Y. on Feb. 4. Lt. Ann Cole left.")
    ['Workers were held in Tulare, Calif.; Ithaca, N.Y. on Feb. 4.', 'Lt. Ann Cole left.']
    """
    import blingfire

    units = _line_units(text)
    if not units:
        return []
    # One blingfire call per article: U+2029 between units always forces a break and
    # stays at the end of the unit's last piece, so units can be told apart again.
    pieces = blingfire.text_to_sentences(_UNIT_BREAK.join(units)).split("\n")
    sentences: list[str] = []
    unit: list[str] = []
    for piece in pieces:
        *ended, rest = piece.split(_UNIT_BREAK)
        for last_piece in ended:
            unit.append(last_piece)
            sentences.extend(_repair(unit))
            unit = []
        unit.append(rest)
    sentences.extend(_repair(unit))
    return sentences


_UNIT_BREAK = "\u2029"


def _line_units(text: str) -> list[str]:
    """Cut text into paragraphs, and paragraphs into headline, bullet or wrapped-prose units."""
    units: list[str] = []
    text = _normalize_newlines(text).replace(_UNIT_BREAK, "\n\n")
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [" ".join(line.split()) for line in paragraph.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        longest = max(len(line) for line in lines)
        current = lines[0]
        for line in lines[1:]:
            wrapped = (
                longest >= 50
                and len(current.rsplit("\n", 1)[-1]) >= 0.6 * longest
                and not current.endswith(_TERMINAL)
                and not _BULLET.match(line)
                and not _BULLET.match(current)
            )
            if wrapped:
                current = f"{current} {line}"
            else:
                units.append(current)
                current = line
        units.append(current)
    return units


def _ends_with_title(sentence: str) -> bool:
    # Search only the last few characters: the pattern is anchored at the end, and
    # scanning whole sentences for it was a fifth of the splitting time.
    return _ENDS_WITH_TITLE.search(sentence, max(0, len(sentence) - 8)) is not None


# An enumeration marker: "1.", "2)", "3.)", "a.", "(b)".
_MARKER = r"(?:\(?(?:\d{1,2}|[a-hA-H])(?:\.\)|\.|\)))"
# blingfire leaves the next item's marker at the end of the item before ("... money. 2.)").
_TRAILING_MARKER = re.compile(rf"\s({_MARKER})$")
_INLINE_ITEM = re.compile(rf"(?:^|\s){_MARKER}\s+[A-Z]")


def _move_list_markers(sentences: list[str]) -> list[str]:
    """Give a list marker stranded at a sentence's end (or standing alone) to the item it numbers.

    "a." or "4." alone could end an abbreviation or a date ("Feb. 4."), so those move only inside
    a list (the sentence itself starts with a marker, or the one before ends with a colon);
    "2.)" and "2)" are always markers.
    """
    moved: list[str] = []
    carry = ""
    for sentence in sentences:
        sentence = f"{carry} {sentence}".strip() if carry else sentence
        carry = ""
        if re.fullmatch(_MARKER, sentence) and moved is not None:
            carry = sentence  # a marker alone: it belongs to the next piece
            continue
        match = _TRAILING_MARKER.search(sentence)
        if match and match.start() > 0:
            in_list = (bool(re.match(_MARKER + r"\s", sentence)) or bool(moved and moved[-1].endswith(":"))
                       or sentence[: match.start()].rstrip().endswith(":"))
            unambiguous = match.group(1).endswith(")")
            if (unambiguous and _ends_like_list(sentence[: match.start()])) or in_list:
                carry, sentence = match.group(1), sentence[: match.start()].rstrip()
        moved.append(sentence)
    if carry:
        if moved:
            moved[-1] = f"{moved[-1]} {carry}"
        else:
            moved.append(carry)
    return moved


def _ends_like_list(text: str) -> bool:
    return text.rstrip().endswith((".", ":", ";", "!", "?"))


def _split_inline_list(sentence: str) -> str:
    """Cut an inline enumeration ("1.) First item 2.) Second item") before each item, when the
    markers run in order (1, 2, 3 or a, b, c) and each item starts with a capital."""
    markers = list(re.finditer(rf"(?:^|(?<=\s)){_MARKER}(?=\s+[A-Z])", sentence))
    if len(markers) < 2:
        return sentence
    ordinals = [re.sub(r"[^0-9a-hA-H]", "", m.group(0)) for m in markers]
    keys = [int(o) if o.isdigit() else ord(o.lower()) - ord("a") + 1 for o in ordinals]
    if keys != list(range(keys[0], keys[0] + len(keys))):
        return sentence
    cuts = [m.start() for m in markers if m.start() > 0]
    parts, start = [], 0
    for cut in cuts:
        parts.append(sentence[start:cut].strip())
        start = cut
    parts.append(sentence[start:].strip())
    return "\n".join(part for part in parts if part)


def _repair(pieces: list[str]) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out and (_ends_with_title(out[-1]) or _STARTS_LIKE_CONTINUATION.match(piece)):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    out = _move_list_markers(out)
    repaired: list[str] = []
    for sentence in out:
        if _INLINE_ITEM.search(sentence):  # cheap test first: rarely true
            sentence = _split_inline_list(sentence)
        cut = _CUT_BEFORE_TITLE.sub(lambda m: m.group(1) + "\n", sentence)
        if _MAYBE_CAPITAL_OR_NUMBER_AFTER_STOP.search(cut):  # cheap test first: rarely true
            cut = _CUT_BEFORE_CAPITAL_OR_NUMBER.sub(lambda m: m.group(1) + m.group(2) + "\n", cut)
        repaired.extend(part.strip() for part in cut.split("\n") if part.strip())
    return repaired
