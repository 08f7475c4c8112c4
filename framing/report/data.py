"""The report's data: what each part of a report shows, computed from scores.

Plain frozen dataclasses (:class:`Report` holds the rest) and the functions
that compute them. Nothing here knows HTML: :mod:`framing.report.render`
turns a :class:`Report` into a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import numpy as np

from framing.report import DEFAULT_EVIDENCE
from framing.scores import ScoreRow
from framing.slant import ArticleScore, bootstrap_interval

# Files at the top of a folder whose other articles sit in outlet sub-folders.
TOP_LEVEL_OUTLET = "(top level)"


@dataclass(frozen=True)
class SentenceView:
    """One sentence as the report shows it.

    Attributes
    ----------
    number : int
        Position in the article, from 1; also its footnote number.
    text : str
        The sentence.
    label : str
        The most probable label.
    probabilities : dict of str to float
        Probability of each label.
    evidence : tuple of (str, float)
        The n-grams that pushed the sentence most toward its label, strongest
        first, from :meth:`framing.model.FramingModel.explain`.
    """

    number: int
    text: str
    label: str
    probabilities: dict[str, float]
    evidence: tuple[tuple[str, float], ...] = ()
    quote: bool = False
    speaker: str | None = None

    @property
    def probability(self) -> float:
        """Probability of the chosen label."""
        return self.probabilities[self.label]


@dataclass(frozen=True)
class ArticleSection:
    """An article's highlighted text, slant and label shares.

    Attributes
    ----------
    path : str
        Where the article came from, as given (relative inside a folder).
    title : str
        The article's title, or its file name when it has none.
    paragraphs : tuple of tuple of SentenceView
        The sentences, in order, grouped by the article's paragraphs.
    slant : float
        The article's slant, in [-1, 1].
    slant_interval : tuple of float
        Its 95% bootstrap interval (low, high).
    shares : dict of str to float
        Share of sentences given each label.
    voices : dict
        The reporter's own voice and the quoted material: sentences, slant and
        interval of each (see :class:`framing.slant.ArticleScore`).
    sources : tuple of dict
        Who is quoted: speaker, role, sentences, label shares and slant.
    """

    path: str
    title: str
    paragraphs: tuple[tuple[SentenceView, ...], ...]
    slant: float
    slant_interval: tuple[float, float]
    shares: dict[str, float]
    voices: dict = field(default_factory=dict)
    sources: tuple[dict, ...] = ()

    @property
    def sentences(self) -> tuple[SentenceView, ...]:
        """Every sentence, in order."""
        return tuple(sentence for paragraph in self.paragraphs for sentence in paragraph)


@dataclass(frozen=True)
class OutletSummary:
    """The articles of one first-level sub-folder (an outlet).

    Attributes
    ----------
    name : str
        The sub-folder's name, or :data:`TOP_LEVEL_OUTLET`.
    articles : int
        Articles scored.
    failed : int
        Files that could not be scored.
    mean_slant : float or None
        Mean of the articles' slants; None when none was scored.
    interval : tuple of float or None
        95% bootstrap interval of that mean over the articles.
    """

    name: str
    articles: int
    failed: int
    mean_slant: float | None
    interval: tuple[float, float] | None
    quoted_share: float | None = None
    reporter_slant: float | None = None
    quoted_slant: float | None = None


@dataclass(frozen=True)
class FolderSummary:
    """What a folder's (or a scores file's) rows add up to.

    Attributes
    ----------
    rows : tuple of ScoreRow
        The scored rows (fields of :data:`framing.scores.FIELDS`), sorted by
        slant from rights (-1) to enforcement (+1), then by path.
    errors : tuple of ScoreRow
        The rows of files that could not be scored, by path.
    bins : tuple of int
        Article counts in ten bins of width 0.2 over [-1, 1].
    mean_slant : float or None
        Mean slant of the scored articles.
    outlets : tuple of OutletSummary
        One per first-level sub-folder; empty when no article sits in one.
    sources : tuple of QuotedSource
        The most-quoted sources across the collection.
    """

    rows: tuple[ScoreRow, ...]
    errors: tuple[ScoreRow, ...]
    bins: tuple[int, ...]
    mean_slant: float | None
    outlets: tuple[OutletSummary, ...] = ()
    sources: tuple = ()

    @property
    def files(self) -> int:
        """Files seen, scored or not."""
        return len(self.rows) + len(self.errors)


@dataclass(frozen=True)
class Report:
    """Everything a report shows, ready to render.

    Attributes
    ----------
    kind : str
        "article", "folder" or "scores".
    source : str
        The article file, folder or scores file the report is about.
    title : str
        The report's heading.
    articles : tuple of ArticleSection
        Articles shown with their highlighted text.
    summary : FolderSummary or None
        The summary of a folder or scores file; None for one article.
    model : str or None
        The model file's name, when a model was used.
    notes : tuple of str
        Short remarks for the reader (what was left out, and why).
    skipped_rows : int
        Bad rows of a scores file left out (with ``skip_bad_rows``).
    """

    kind: str
    source: str
    title: str
    articles: tuple[ArticleSection, ...] = ()
    summary: FolderSummary | None = None
    model: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    skipped_rows: int = 0


# --- computing the data -----------------------------------------------------------


def article_section(
    score: ArticleScore,
    model,
    *,
    path: str,
    title: str | None = None,
    text: str | None = None,
    evidence: int = DEFAULT_EVIDENCE,
) -> ArticleSection:
    """Turn an article's score into what its section of the report shows.

    Parameters
    ----------
    score : ArticleScore
        The article's score, from :meth:`FramingModel.score`.
    model : FramingModel
        The model that scored it, asked for each sentence's evidence.
    path : str
        The article's path, as the report should show it.
    title : str, optional
        Its title; the file name when missing.
    text : str, optional
        The text that was scored; when given, sentences are grouped into its
        paragraphs, otherwise they form one paragraph.
    evidence : int
        How many n-grams of evidence to keep per sentence.

    Returns
    -------
    ArticleSection
    """
    from framing.scoring import explain_article

    explained = explain_article(model, score, top=evidence) if evidence > 0 else [()] * len(score.sentences)
    views = [
        SentenceView(
            number=number,
            text=sentence.text,
            label=sentence.label,
            probabilities=dict(sentence.probabilities),
            evidence=tuple(pairs),
            quote=sentence.quote,
            speaker=sentence.speaker,
        )
        for number, (sentence, pairs) in enumerate(zip(score.sentences, explained), start=1)
    ]
    groups = paragraph_groups(text, [view.text for view in views]) if text else [list(range(len(views)))]
    return ArticleSection(
        path=path,
        title=(title or "").strip() or PurePosixPath(path).name or path,
        paragraphs=tuple(tuple(views[index] for index in group) for group in groups),
        slant=score.slant,
        slant_interval=score.slant_interval,
        shares=dict(score.shares),
        voices=dict(score.voices),
        sources=tuple(score.sources),
    )


def paragraph_groups(text: str, sentences: Sequence[str]) -> list[list[int]]:
    """Group sentence indices by the paragraph of ``text`` they come from.

    Only for layout: the sentences come from the splitter as they are, and are
    found again in the text's paragraphs (blank-line separated) while ignoring
    whitespace. When a sentence cannot be found, every sentence goes in one
    paragraph, so none is ever lost or shown twice.

    Parameters
    ----------
    text : str
        The article's text.
    sentences : sequence of str
        Its sentences, in order.

    Returns
    -------
    list of list of int
        Indices into ``sentences``, one list per non-empty paragraph.
    """
    everything = [list(range(len(sentences)))] if sentences else []
    paragraphs = ["".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]
    groups: list[list[int]] = []
    current: list[int] = []
    index, position = 0, 0
    for number, sentence in enumerate(sentences):
        key = "".join(sentence.split())
        while index < len(paragraphs):
            found = paragraphs[index].find(key, position)
            if found >= 0:
                position = found + len(key)
                current.append(number)
                break
            if current:
                groups.append(current)
                current = []
            index, position = index + 1, 0
        else:
            return everything
    if current:
        groups.append(current)
    return groups


def outlet_of(path: str) -> str | None:
    """The first-level sub-folder of a relative path, or None for a file at the top."""
    parts = PurePosixPath(path.replace("\\", "/").lstrip("/")).parts
    parts = tuple(part for part in parts if part != ".")
    return parts[0] if len(parts) > 1 else None


def outlet_summaries(rows: Iterable[ScoreRow]) -> tuple[OutletSummary, ...]:
    """Compare outlets: articles, mean slant and its 95% bootstrap interval per sub-folder.

    Parameters
    ----------
    rows : iterable of ScoreRow
        Rows of :func:`framing.batch.score_folder` (or of a scores file).

    Returns
    -------
    tuple of OutletSummary
        Sorted by outlet name (ignoring case); empty when no row's path has a sub-folder.
    """
    slants: dict[str, list[float]] = {}
    failed: dict[str, int] = {}
    voices: dict[str, list[ScoreRow]] = {}
    nested = False
    for row in rows:
        outlet = outlet_of(row.path)
        nested = nested or outlet is not None
        name = outlet or TOP_LEVEL_OUTLET
        slants.setdefault(name, [])
        failed.setdefault(name, 0)
        if row.error:
            failed[name] += 1
        else:
            slants[name].append(float(row.slant))
            voices.setdefault(name, []).append(row)
    if not nested:
        return ()
    outlets = []
    for name in sorted(slants, key=lambda name: (name.casefold(), name)):
        values = np.asarray(slants[name], dtype=float)
        outlets.append(
            OutletSummary(
                name=name,
                articles=int(values.size),
                failed=failed[name],
                mean_slant=float(values.mean()) if values.size else None,
                interval=bootstrap_interval(values) if values.size else None,
                **_outlet_voices(voices.get(name, [])),
            )
        )
    return tuple(outlets)


def _outlet_voices(rows: Sequence[ScoreRow]) -> dict:
    """An outlet's share of quoted sentences, and the mean slant of its reporters' and its sources' words."""
    def mean(values):
        values = [value for value in values if value is not None]
        return float(np.mean(values)) if values else None

    return {
        "quoted_share": mean(row.quoted_share for row in rows),
        "reporter_slant": mean(row.reporter_slant for row in rows),
        "quoted_slant": mean(row.quoted_slant for row in rows),
    }


@dataclass(frozen=True)
class QuotedSource:
    """One speaker across a collection: in how many articles, how much, and with what slant.

    Attributes
    ----------
    speaker : str
        The name the articles give (sources are matched by name).
    articles : int
        Articles quoting the speaker.
    sentences : int
        Quoted sentences in all.
    mean_slant : float
        Mean slant of those sentences.
    roles : tuple of str
        The roles the articles give, most frequent first.
    """

    speaker: str
    articles: int
    sentences: int
    mean_slant: float
    roles: tuple[str, ...] = ()


def collection_sources(rows: Iterable[ScoreRow], top: int = 15) -> tuple[QuotedSource, ...]:
    """The most-quoted sources across scored rows: by articles quoting them, then by sentences."""
    totals: dict[str, list] = {}
    for row in rows:
        for source in row.sources:
            entry = totals.setdefault(source["speaker"], [0, 0, 0.0, {}])
            entry[0] += 1
            entry[1] += source["sentences"]
            entry[2] += source["slant"] * source["sentences"]
            if source.get("role"):
                entry[3][source["role"]] = entry[3].get(source["role"], 0) + 1
    ranked = sorted(totals.items(), key=lambda item: (-item[1][0], -item[1][1], item[0].casefold()))
    return tuple(
        QuotedSource(speaker=speaker, articles=articles, sentences=sentences, mean_slant=weighted / sentences,
                     roles=tuple(sorted(roles, key=lambda role: -roles[role])))
        for speaker, (articles, sentences, weighted, roles) in ranked[:top]
        if articles >= 1
    )


def folder_summary(rows: Iterable[ScoreRow]) -> FolderSummary:
    """Sum up the rows of a folder or scores file: sorted table, errors, histogram, outlets.

    Parameters
    ----------
    rows : iterable of ScoreRow
        Rows with the fields of :data:`framing.scores.FIELDS`.

    Returns
    -------
    FolderSummary
    """
    from framing.batch import Summary

    rows = list(rows)
    totals = Summary()  # the same bins and mean as the summary of `framing score`
    for row in rows:
        totals.add(row)
    scored = sorted((row for row in rows if not row.error), key=lambda row: (row.slant, row.path))
    errors = sorted((row for row in rows if row.error), key=lambda row: row.path)
    return FolderSummary(
        rows=tuple(scored),
        errors=tuple(errors),
        bins=tuple(totals.bins),
        mean_slant=totals.mean_slant,
        outlets=outlet_summaries(rows),
        sources=collection_sources(scored),
    )
