"""A sentence with its place in the article: neighbours, position, quotation.

Real framing often sits outside the sentence: "That bothers me." takes its frame
from the speaker and the sentence before, a quotation runs over several
sentences, a headline frames by what it selects. The model therefore reads each
sentence as a :class:`SentenceInContext`; a plain string is a sentence with no
known context (a corpus sentence written alone, or one sentence typed by a user).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from framing.quotes import quote_open_after, quoted_spans


@dataclass(frozen=True, slots=True)
class SentenceInContext:
    """One sentence and what the article around it says.

    Attributes
    ----------
    text : str
        The sentence.
    previous, next : str
        The sentences before and after it in the article ("" at either end).
    position : int or None
        0 for the article's first line (its headline), 1, 2, ... after; None
        when the sentence stands alone.
    quote : bool
        The sentence holds a direct quotation or continues one opened before it.
    """

    text: str
    previous: str = ""
    next: str = ""
    position: int | None = None
    quote: bool = False


def in_context(sentences: Sequence[str]) -> list[SentenceInContext]:
    """The sentences of one article, in order, each with its context.

    Parameters
    ----------
    sentences : sequence of str
        One article's sentences in reading order (the first is its headline
        when the article has one).

    Returns
    -------
    list of SentenceInContext

    Examples
    --------
    >>> first, second, third = in_context(['Agents came at dawn.', '"They took my father.', 'He has lived here 20 years," she said.'])
    >>> first.quote, second.quote, third.quote, third.previous
    (False, True, True, '"They took my father.')
    """
    result = []
    open_before = False
    last = len(sentences) - 1
    for index, text in enumerate(sentences):
        open_after = quote_open_after(text, open_before)
        result.append(
            SentenceInContext(
                text=text,
                previous=sentences[index - 1] if index > 0 else "",
                next=sentences[index + 1] if index < last else "",
                position=index,
                quote=open_before or _has_quotation(text),
            )
        )
        open_before = open_after
    return result


def as_context(item: str | SentenceInContext) -> SentenceInContext:
    """A :class:`SentenceInContext` for either a plain sentence or one already in context."""
    if isinstance(item, SentenceInContext):
        return item
    if isinstance(item, str):
        return SentenceInContext(text=item, quote=_has_quotation(item))
    raise TypeError(f"expected a sentence (str or SentenceInContext), got {type(item).__name__}")


def _has_quotation(text: str) -> bool:
    # A quotation in the sentence, or an opening mark with no close that starts one running on.
    return bool(quoted_spans(text)) or quote_open_after(text, False)
