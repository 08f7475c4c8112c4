"""Who speaks in each sentence: direct quotations and the sources they are attributed to.

Framing research asks not only how an article leans but who defines the issue:
an article can be neutral in its own voice and hand its framing to the people it
quotes. :func:`attribute` reads an article's sentences in order and gives each a
:class:`Voice`: whether it carries (or continues) a direct quotation, and whose.

Rules, no parser: quotation marks of every kind open and close quotations
(a quotation may run over several sentences and paragraphs); the attribution is
found in the text outside the marks (``"...," X said.``, ``X said, "..."``,
``"...," said X, director of ...``, ``According to X, "..."``, ``X called it
"..."``, a pull quote's ``— Name`` line); a surname, a title with a surname or a
pronoun is resolved to the fullest name the article has introduced. Scare
quotes around a term or a title ("so-called 'sanctuary' policies") are not
quotations. Nothing is downloaded; nothing here prints.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

# Marks that open and close a quotation; a straight double quote toggles.
_OPEN, _CLOSE, _STRAIGHT = "\u201c", "\u201d", '"'
# A quoted span shorter than this (in words) is a scare-quoted term or a title, not a quotation.
MIN_QUOTE_WORDS = 4
_DOUBLE_SPAN = re.compile(r'["\u201c]([^"\u201c\u201d]*)(?:["\u201d]|$)')
# Single marks quote only at word edges (a headline's 'To Be Determined'), never an apostrophe.
_SINGLE_SPAN = re.compile(r"(?:(?<=^)|(?<=[\s(\[:]))[\u2018']([^\u2018\u2019']{3,}?)[\u2019'](?=[\s,.:;!?)\]]|$)")

SPEECH_VERBS = (
    "said", "says", "told", "tells", "added", "adds", "asked", "asks", "stated", "states", "wrote", "writes",
    "explained", "explains", "argued", "argues", "noted", "notes", "warned", "warns", "recalled", "recalls",
    "insisted", "insists", "continued", "continues", "replied", "replies", "testified", "testifies",
    "tweeted", "posted", "declared", "declares", "acknowledged", "acknowledges", "conceded", "concedes",
    "admitted", "admits", "countered", "counters", "recounted", "remembered", "shouted", "cried", "urged",
    "urges", "pleaded", "vowed", "vows", "predicted", "predicts", "complained", "complains", "announced",
    "announces", "responded", "responds", "observed", "emphasized", "stressed", "claimed", "claims",
    "maintained", "maintains", "contended", "contends", "suggested", "suggests", "called", "calls",
    "described", "describes", "wondered", "joked", "whispered", "sighed", "agreed", "agrees",
)
_VERB = "(?:" + "|".join(SPEECH_VERBS) + ")"
# A line that only says who spoke ("Sheriff Dale Burke said." "A spokesman declined to comment."):
# a subject of a few words, a speech verb or a no-comment phrase, then when or how.
_BARE_ATTRIBUTION = re.compile(
    rf"^(?P<who>[\w.'\u2019\- ]{{0,50}}?)\b(?:{_VERB}|disagreed|told reporters|declined to (?:comment|elaborate)"
    r"|did not (?:respond|return|comment)|could not be reached)"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|later|then|again|too|as well"
    r"|in a statement|in an interview|in an email|by phone|for comment|to (?:a )?requests? for comment|to messages))*"
    r"\s*[.!]?$",
    re.IGNORECASE,
)
# Titles and honorifics before a name: they are its role, never part of the name.
TITLES = frozenset("""
sheriff mayor sen senator rep representative gov governor dr judge justice chief president director
commissioner deputy officer officers capt captain lt lieutenant sgt sergeant attorney general
councilwoman councilman councilmember council member supervisor pastor rev reverend father sister
brother mr mrs ms miss secretary acting assistant special agent agents spokesman spokeswoman
spokesperson professor prof sheriff's state us u.s. county city district federal former interim
vice speaker leader chairman chairwoman chair executive superintendent principal coach bishop rabbi
imam dean trooper detective inspector marshal warden administrator commander col colonel gen
organizer organiser activist lawyer advocate owner teacher student volunteer nurse doctor resident
farmer worker economist analyst researcher candidate challenger incumbent host anchor reporter
alderman alderwoman rancher charge patrol field border agent police legislator delegate assemblyman
assemblywoman freshman sophomore junior senior
""".split())
# Words that make a capitalized run an organisation or a place, not a person.
ORGANISATION_WORDS = frozenset("""
church coalition center centre services service department office county company inc llc corp
association university college school hospital baptist methodist catholic council committee
commission board court patrol agency institute foundation project network alliance union party
times post news journal herald tribune press group clinic shelter city state republic
""".split())
_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
_MALE = frozenset({"he", "him", "his", "himself", "mr", "father", "husband", "son", "brother", "man", "grandfather", "uncle"})
_FEMALE = frozenset({"she", "her", "hers", "herself", "mrs", "ms", "mother", "wife", "daughter", "sister", "woman", "grandmother", "aunt"})
_DETERMINERS = frozenset({"a", "an", "the", "one", "another", "two", "three", "several", "some", "many", "his", "her", "their"})
_NOT_LETTERS = "\"'\u2018\u2019\u201c\u201d([{<\u2014\u2013-*_/.,;:!?#@&"
# Lower-case words inside a name ("Luis de la Cruz", "Anna van Dijk").
_NAME_PARTICLES = ("de", "del", "la", "van", "von", "da", "di", "bin", "al", "le")
_PARTICLE = "|".join(_NAME_PARTICLES)
_CAPITALIZED_RUN = re.compile(
    rf"[A-Z\u00c0-\u00de][\w'\u2019-]*\.?(?:\s+(?:[A-Z\u00c0-\u00de][\w'\u2019-]*\.?|(?:{_PARTICLE})(?=\s+[A-Z])))*"
)
_NAME_WORD = r"[A-Z\u00c0-\u00de][a-z\u00df-\u00ff'\u2019]+(?:-[A-Z\u00c0-\u00de][a-z\u00df-\u00ff'\u2019]+)*"
_PERSON_NAME_WORD = re.compile(rf"{_NAME_WORD}|{_PARTICLE}|[A-Z]\.")
_FULL_NAME = re.compile(
    rf"(?<![\w-])({_NAME_WORD}(?:\s+[A-Z]\.)?(?:\s+(?:de la |de |del |van |von |da |di |bin |al |le )?{_NAME_WORD}){{1,2}})(?![\w-])"
)
_NOT_NAMES = frozenset("""
the a an and but or if in on at of for to by with from as this that these those it its he she they we
i you his her their our my monday tuesday wednesday thursday friday saturday sunday january february
march april may june july august september october november december immigration customs enforcement
border patrol homeland security department county city state court police office house senate congress
new united states america american north south east west street avenue road jail center
when after before while since although though because as so then now still yet once until unless
where whether also even just only asked like unlike without despite during inside outside
""".split())
_WORDS = re.compile(r"[a-z]+")
_CAPITALIZED_WORD = re.compile(r"(?<![\w-])[A-Z\u00c0-\u00de][\w'\u2019-]+")
_PULL_QUOTE_LINE = re.compile(r"^\s*[\u2014\u2013-]{1,2}\s*(?P<who>[^,]+?)(?:,\s*(?P<role>.+?))?\s*\.?\s*$")


@dataclass(frozen=True, slots=True)
class Voice:
    """Whose words a sentence carries.

    Attributes
    ----------
    quote : bool
        The sentence contains, opens or continues a direct quotation.
    speaker : str or None
        The quotation's source as the article names it (its fullest name, or an
        unnamed source as described); None in the reporter's voice or when the
        speaker cannot be told.
    role : str or None
        What the article says the speaker is ("director of ICE's New York field
        office", "Sheriff"), when it says.
    """

    quote: bool = False
    speaker: str | None = None
    role: str | None = None


REPORTER = Voice()


def bare_attribution(text: str) -> bool:
    """Whether a sentence only says who spoke, with no words of theirs or of the reporter's.

    Such a line carries no frame of its own, whoever the speaker is.

    Examples
    --------
    >>> bare_attribution("Sheriff Dale Burke said."), bare_attribution("A spokeswoman declined to comment.")
    (True, True)
    >>> bare_attribution("Advocates said the raids were cruel.")
    False
    """
    text = text.strip()
    if len(text) > 100 or len(text.split()) > 12:
        return False
    match = _BARE_ATTRIBUTION.match(text)
    # "That is what the law says." has a clause before its verb, not a speaker.
    return match is not None and _NOT_A_SPEAKER.isdisjoint(match.group("who").lower().split())


_NOT_A_SPEAKER = frozenset("is are was were be been what that this it not will would can could should who which".split())


@functools.lru_cache(maxsize=8192)  # the context builder asks first, attribution again
def quoted_spans(text: str) -> tuple[str, ...]:
    """The quotations of a sentence: quoted spans of at least MIN_QUOTE_WORDS words that are not titles."""
    spans = _DOUBLE_SPAN.findall(text) if ('"' in text or _OPEN in text) else []
    if "\u2018" in text or " '" in text or text.startswith("'"):
        spans += _SINGLE_SPAN.findall(text)
    return tuple(span for span in spans if len(span.split()) >= MIN_QUOTE_WORDS and not _is_title(span))


_LOWER_LONG_WORD = re.compile(r"(?<![\w'\u2019-])(?!(?:from|with)\b)[a-z][a-z]{3,}")
_MINOR_WORDS = frozenset("a an and as at but by for in of on or the to vs with from".split())


def _is_title(span: str) -> bool:
    """Title Case throughout ('Detention by the Numbers'): the name of a work, not someone's words."""
    if _LOWER_LONG_WORD.search(span):  # a lower-case word of four letters or more: ordinary speech
        return False
    words = [word for word in re.findall(r"[A-Za-z][\w'\u2019-]*", span)]
    major = [word for word in words if word.lower() not in _MINOR_WORDS]
    return len(major) >= 2 and all(word[0].isupper() for word in major) and not span.rstrip().endswith((".", "!", "?", ","))


_MARKS = re.compile('[\u201c\u201d"]')


@functools.lru_cache(maxsize=8192)  # the context builder asks first, attribution again
def quote_open_after(text: str, open_before: bool) -> bool:
    """Whether a double-mark quotation is still open at the end of ``text``."""
    opened = open_before
    for mark in _MARKS.finditer(text):
        char = mark.group(0)
        if char == _OPEN:
            opened = True
        elif char == _CLOSE:
            opened = False
        else:
            # A mark that starts a sentence opens (a new paragraph of a running quotation
            # reopens with one); elsewhere a straight mark toggles.
            opened = True if not text[: mark.start()].strip() else not opened
    return opened


def attribute(sentences: Sequence[str]) -> list[Voice]:
    """The voice of every sentence of one article, in order.

    Parameters
    ----------
    sentences : sequence of str
        The article's sentences in reading order.

    Returns
    -------
    list of Voice
        One per sentence; :data:`REPORTER` (no quote, no speaker) for the reporter's own voice.

    Examples
    --------
    >>> voices = attribute([
    ...     "ICE field office director Thomas Decker defended the arrests.",
    ...     '"We are not going after victims or witnesses.',
    ...     'We go after people who are a danger," Decker said.',
    ...     "The board meets Tuesday.",
    ... ])
    >>> [(v.quote, v.speaker) for v in voices]
    [(False, None), (True, 'Thomas Decker'), (True, 'Thomas Decker'), (False, None)]
    """
    sentences = list(sentences)
    if not any(_may_quote(text) for text in sentences):
        return [REPORTER] * len(sentences)
    quoted, runs, inside = _quotation_runs(sentences)
    people = _People(sentences)
    voices = [REPORTER] * len(sentences)
    last: tuple[str | None, str | None] = (None, None)
    previous_run_end = -2
    for run in runs:
        found = None
        for index in run:
            found = _attribution(sentences[index], people, index, last, inside[index])
            if found is not None:
                break
        if found is None and run[-1] + 1 < len(sentences):
            found = _pull_quote_line(sentences[run[-1] + 1], people, run[-1] + 1)
        if found is None and run[0] > 0 and not quoted[run[0] - 1]:
            found = _lead_in(sentences[run[0] - 1], people, run[0] - 1, last)
        if found is None and last[0] is not None and run[0] - previous_run_end <= 2:
            found = last  # the same speaker goes on, in a new sentence or after a line of reporting
        speaker, role = found if found is not None else (None, None)
        for index in run:
            voices[index] = Voice(quote=True, speaker=speaker, role=role)
        if speaker is not None:
            last = (speaker, role)
            people.spoke_at[speaker] = run[-1]
        previous_run_end = run[-1]
    return voices


def _may_quote(text: str) -> bool:
    # A straight apostrophe inside a word ("don't") is no quotation mark: only one at a word's edge is.
    return _OPEN in text or _STRAIGHT in text or _CLOSE in text or "\u2018" in text or " '" in text or text[:1] == "'"


def _quotation_runs(sentences: list[str]) -> tuple[list[bool], list[list[int]], list[bool]]:
    """Which sentences carry a quotation, grouped into runs of one continuing quotation,
    and which sentences start inside an open quotation."""
    quoted = [False] * len(sentences)
    inside = [False] * len(sentences)
    runs: list[list[int]] = []
    open_before = False
    for index, text in enumerate(sentences):
        if not open_before and not _may_quote(text):
            continue  # most sentences: no mark, no quotation
        open_after = quote_open_after(text, open_before)
        opens_unclosed = open_after and not open_before
        has = open_before or bool(quoted_spans(text)) or (opens_unclosed and _opens_quotation(text))
        if open_after and not has:
            open_after = False  # a stray mark, not a quotation that runs on
        quoted[index] = has
        inside[index] = open_before and not text.lstrip().startswith((_OPEN, _STRAIGHT))
        if has:
            if open_before and runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        open_before = open_after
    return quoted, runs, inside


def _opens_quotation(text: str) -> bool:
    """An opening mark followed by enough words to be a quotation that closes later."""
    position = max(text.rfind(_OPEN), text.rfind(_STRAIGHT))
    return len(text[position + 1 :].split()) >= MIN_QUOTE_WORDS - 1 or position <= 1


def _outside_quotes(text: str, open_at_start: bool = False) -> str:
    """The sentence with every quoted stretch replaced by a placeholder ``Q``."""
    out, opened, start = ([" Q "], True, 0) if open_at_start else ([], False, 0)
    first_letter = len(text) - len(text.lstrip())
    for mark in _MARKS.finditer(text):
        char, at = mark.group(0), mark.start()
        starts = at <= first_letter
        now_open = char == _OPEN or (char == _STRAIGHT and (starts or not opened))
        if not opened:
            out.append(text[start:at])
        if now_open and not opened:
            out.append(" Q ")
        opened, start = now_open, mark.end()
    if not opened:
        out.append(text[start:])
    return " ".join("".join(out).split())


_AFTER_VERB_SPEAKER = re.compile(
    rf"Q\s*[,.!?:;\u2014-]*\s*(?:{_VERB})\s+(?P<who>(?:[^,.;]|\.(?=\s*[A-Z])|(?<=[A-Z])\.)+?)"
    rf"(?:,\s*(?P<role>(?:[^.;]|\.(?=\s*[A-Z])|(?<=[A-Z])\.)+?))?\s*(?:\.(?!\s*[A-Z])|;|$)"
)
# A subject: words without clause punctuation, where a period may end an abbreviation (Rep., U.S.).
_SUBJECT = r"(?:[^,.;:Q]|\.(?=\s*[A-Z])|(?<=[A-Z])\.)*?[^\s,.;:Q]"
_SPEAKER_VERB = re.compile(
    rf"(?:^|Q\s*[,.!?:;\u2014-]*\s*|[,;]\s*|\band\s+)(?P<who>{_SUBJECT})(?:,\s*(?P<role>[^,;Q]+?),)?\s+"
    rf"(?:(?:has|had|have|later|also|then|once|again|previously|repeatedly|in a statement|in an email)\s+)?"
    rf"(?P<verb>{_VERB})\b"
)
# The subject that opens a sentence of reporting which quotes inside it
# ("Judge Stiehl did not rule and said she would decide 'in the coming weeks.'").
_OPENING_SUBJECT = re.compile(
    rf"^(?:In [^,]{{3,60}}, )?(?P<who>(?:(?:The|A|An|One)\s+)?{_SUBJECT})(?:,\s*(?P<role>[^,;Q]+?),)?\s+(?:[a-z][\w,]*\s+){{0,8}}?"
    rf"(?:{_VERB}|saying|writing|arguing|calling|adding|noting|warning)\b"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to (?P<who>[^,.;]+?)(?:,\s*(?P<role>[^,;]+?))?\s*(?:,|\.|;|$)")


def _last_speech_verb_end(text: str) -> int:
    """Where the last speech verb ends (as a whole lower-case word), or -1."""
    end = -1
    for word in _WORDS.finditer(text):
        if word.group(0) in _SPEECH_VERB_SET and not _WORD_CHAR.match(text, word.end()):
            end = word.end()
    return end


_SPEECH_VERB_SET = frozenset(SPEECH_VERBS)
_WORD_CHAR = re.compile(r"\w")


def _attribution(text: str, people: _People, index: int, last, inside: bool = False) -> tuple[str, str | None] | None:
    """The speaker (and role) a quoted sentence names outside its quotation marks, if any."""
    # Most quoted sentences are quotation only, or name nobody: nothing to look for.
    outside = _outside_quotes(text, inside)
    if len(outside) < 4 or (": Q" not in outside and not _has_attribution_word(outside)):
        return None
    candidates = []
    verb_end = _last_speech_verb_end(outside)
    if verb_end > 0:
        candidates += [(match.start(), match) for match in _AFTER_VERB_SPEAKER.finditer(outside)]
        # This pattern's matches end on a speech verb: searching past the last one only costs.
        candidates += [(match.start(), match) for match in _SPEAKER_VERB.finditer(outside, 0, verb_end)]
    candidates += [(match.start(), match) for match in _ACCORDING.finditer(outside)]
    colon = outside.find(": Q")
    if colon > 0:  # "Her husband, Darnell, saw it differently: Q"
        appositive = _APPOSITIVE_NAME.match(outside[: colon + 1])
        if appositive is not None:
            candidates.append((colon, appositive))
    for _, match in sorted(candidates, key=lambda pair: pair[0]):
        resolved = _resolve(match.group("who"), match.groupdict().get("role"), people, index, last)
        if resolved is not None:
            return resolved
    # Last resort, so searched only now: the subject that opens the sentence.
    opening = _OPENING_SUBJECT.search(outside)
    if opening is not None:
        return _resolve(opening.group("who"), opening.groupdict().get("role"), people, index, last)
    return None


_ATTRIBUTION_WORDS = frozenset(SPEECH_VERBS) | {"saying", "writing", "arguing", "calling", "adding", "noting", "warning", "according"}


def _has_attribution_word(text: str) -> bool:
    # A word set beats one regex of every verb here: sre would try each verb at every position.
    return not _ATTRIBUTION_WORDS.isdisjoint(_WORDS.findall(text.lower()))
_APPOSITIVE_NAME = re.compile(r"^(?P<role>[^,]{2,60}),\s*(?P<who>[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){0,3}),")



def _lead_in(text: str, people: _People, index: int, last) -> tuple[str, str | None] | None:
    """The speaker of a reporting sentence just before a quotation: one that introduces it
    ("Decker put it this way:") or reports the same person's words indirectly."""
    stripped = text.rstrip()
    appositive = _APPOSITIVE_NAME.match(stripped)
    if appositive is not None and stripped.endswith(":"):
        return _resolve(appositive.group("who"), appositive.group("role"), people, index, last)
    match = None
    if _has_attribution_word(stripped):  # both patterns need a speech verb
        match = _SPEAKER_VERB.search(stripped) or _OPENING_SUBJECT.search(stripped)
    if match is None and stripped.endswith(":"):
        match = re.search(r"^(?P<who>[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*)*)\s+[a-z]", stripped)
    if match is None:
        return None
    return _resolve(match.group("who"), match.groupdict().get("role"), people, index, last)


def _pull_quote_line(text: str, people: _People, index: int) -> tuple[str, str | None] | None:
    match = _PULL_QUOTE_LINE.match(text)
    if match is None or len(match.group("who").split()) > 6:
        return None
    return _resolve(match.group("who"), match.group("role"), people, index, (None, None))


def _resolve(who: str, role: str | None, people: _People, index: int, last) -> tuple[str, str | None] | None:
    """A speaker phrase as the article's fullest name, a described source, or None."""
    words = who.strip().strip("\u2014-,:; ").split()
    while words and words[0].lower() in {"and", "but", "while", "so", "then"}:
        words = words[1:]
    if not words or len(words) > 12:
        return None
    if words[0].lower() in {"that", "this", "it", "which", "who", "what", "there"}:
        return None
    if len(words) == 1 and words[0].lower() in _DETERMINERS:
        return None  # "The" alone names nobody
    role = role.strip() if role else None
    if role and (len(role.split()) > 14 or role.lower().startswith(("and ", "but ", "who ", "which "))):
        role = None
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        return people.pronoun(words[0].lower(), index, last, role)
    phrase = " ".join(words)
    lowered = [word.lower().strip(".,") for word in words]
    # "his wife, Celia, said": a one-word appositive name after a description.
    if role and re.fullmatch(_NAME_WORD, role) and role.lower() not in _NOT_NAMES and role.lower() not in TITLES \
            and len(words) <= 4 and not {"for", "of", "in", "at", "from"} & set(lowered) \
            and (lowered[0] in _DETERMINERS or not phrase[:1].isupper()):
        return role, phrase
    # A subject that runs on into a clause ("Judge Marianne Stiehl did not rule ... and"): its person.
    if len(words) > 6 and lowered[0] not in _DETERMINERS:
        names = [person_name(m.group(0)) for m in _CAPITALIZED_RUN.finditer(phrase)]
        names = [name for name in names if name]
        if names:
            return people.full_name(names[0], index), None
    # An appositive name after a description ("the company's attorney, Beverly Stroud, said").
    if role and person_name(role) is not None and (lowered[0] in _DETERMINERS or not phrase[:1].isupper()
                                                    or "'s " in phrase or "\u2019s " in phrase):
        return people.full_name(person_name(role), index), phrase
    if lowered[0] in _DETERMINERS:
        runs = [(m.start(), m.group(0)) for m in _CAPITALIZED_RUN.finditer(phrase) if m.start() > 0]
        name = person_name(runs[-1][1]) if runs else None
        if name is None or not phrase.endswith(runs[-1][1]) or _after_preposition(phrase, runs[-1][0]):
            return phrase, role  # an unnamed source as described ("a spokeswoman for the mayor's office")
        return people.full_name(name, index), role or phrase[: runs[-1][0]].strip() or None
    # "Mayor Celestine Pires of Central Falls": the name comes before the preposition.
    cut = re.search(r"\s(?:of|from|for|at|in|with)\s", phrase)
    head = phrase[: cut.start()] if cut and _has_name(phrase[: cut.start()]) else phrase
    runs = [(m.start(), m.group(0)) for m in _CAPITALIZED_RUN.finditer(head)]
    if not runs:
        return None
    start, run = runs[-1]
    if not head.endswith(run):
        return phrase, role  # "ICE's regional field office", "Benefield's attorney": described
    name = person_name(run)
    if name is None:
        single = run.split()[-1]
        if len(run.split()) == 1 or run.split()[0].lower().strip(".,") in TITLES:
            full = people.full_name(single, index)  # a surname, or a title and a surname
            title = " ".join(w for w in (head[:start] + " " + run).split()[:-1]) or None
            return full, role or title
        return run, role  # an organisation speaking ("ICE", "the Justice Department")
    title = head[: start + run.rfind(name)].strip() or None
    return people.full_name(name, index), role or title


def _has_name(phrase: str) -> bool:
    return any(person_name(m.group(0)) for m in _CAPITALIZED_RUN.finditer(phrase))


def _after_preposition(phrase: str, start: int) -> bool:
    """Whether the capitalized run at ``start`` follows a preposition ("a spokeswoman for ICE")."""
    before = phrase[:start].split()
    return bool(before) and before[-1].lower() in {"for", "of", "in", "at", "from", "with", "to", "on", "by"}


@functools.lru_cache(maxsize=65536)
def person_name(run: str) -> str | None:
    """A person's name from a run of capitalized words, without titles ("U.S. District Judge
    Sabine Arceneaux" -> "Sabine Arceneaux"), or None when the run is not a person's name."""
    if " " not in run:
        return None  # one word is never a full name
    words = run.split()
    if words and words[-1].endswith(".") and not re.fullmatch(r"[A-Z]\.", words[-1]):
        words[-1] = words[-1][:-1]  # the sentence's full stop, not an abbreviation
    # The name is what follows the last title, organisation word or abbreviation.
    for position in range(len(words) - 1, -1, -1):
        word = words[position].lower().strip(".,")
        if word in TITLES or word in ORGANISATION_WORDS or words[position].endswith("."):
            if not re.fullmatch(r"[A-Z]\.", words[position]):  # a middle initial is part of the name
                words = words[position + 1 :]
                break
    while words and words[0].lower() in _NOT_NAMES:
        words = words[1:]
    if not 2 <= len(words) <= 4:
        return None
    if any(word.lower() in _NOT_NAMES for word in words):
        return None
    if not all(_PERSON_NAME_WORD.fullmatch(word) for word in words):
        return None
    return " ".join(words)


class _People:
    """Full names introduced in the article, found on demand, for surnames and pronouns."""

    def __init__(self, sentences: list[str]) -> None:
        self._sentences = sentences
        self._cache: dict[int, list[tuple[int, int, str]]] = {}
        self._surnames: dict[str, tuple[int, str | None]] = {}
        self._mentioned: dict[int, list[tuple[int, str]]] = {}
        self._joined: str | None = None
        self._starts: list[int] = []
        self.spoke_at: dict[str, int] = {}
        self._genders: dict[str, str | None] = {}

    def _names_in(self, index: int) -> list[tuple[int, int, str]]:
        """(start, end, full name) of the people one sentence names in full (read once, on demand)."""
        names = self._cache.get(index)
        if names is None:
            names = []
            for match in _CAPITALIZED_RUN.finditer(self._sentences[index]):
                if " " in match.group(0):
                    name = person_name(match.group(0))
                    if name is not None:
                        names.append((match.start(), match.end(), name))
            self._cache[index] = names
        return names

    def _mentions(self, index: int) -> list[tuple[int, str]]:
        """(offset, full name) of the people a sentence names, in full or by surname alone."""
        if not 0 <= index < len(self._sentences):
            return []
        if index in self._mentioned:
            return self._mentioned[index]
        names = self._names_in(index)
        mentions = [(start, name) for start, _, name in names]
        for match in _CAPITALIZED_WORD.finditer(self._sentences[index]):
            word = match.group(0)
            if word.isupper() or word.lower() in _NOT_NAMES or word.lower() in TITLES:
                continue  # an acronym (ICE, DHS) or a common word is no one's surname
            if any(start <= match.start() < end for start, end, _ in names):
                continue
            full = self._introduced(match.group(0), index)
            if full is not None:
                mentions.append((match.start(), full))
        self._mentioned[index] = sorted(mentions)
        return self._mentioned[index]

    def _introduced(self, surname: str, index: int) -> str | None:
        """The full name with this surname first given in the article, if given by the next sentence."""
        first = self._surnames.get(surname)
        if first is None:
            first = (len(self._sentences), None)
            if _PERSON_NAME_WORD.fullmatch(surname):  # "McConnell", "It's" never end a name read here
                first = self._first_full_name(surname) or first
            self._surnames[surname] = first
        return first[1] if first[0] <= index + 1 else None

    def _first_full_name(self, surname: str) -> tuple[int, str] | None:
        checked = -1
        for position, at in self._occurrences(surname):
            # Only a capitalized word (or "de", "van", ...) just before can make it a full
            # name's last word: most occurrences are ruled out without reading the sentence.
            if position == checked or not self._after_name_word(at):
                continue
            checked = position
            found = next((name for _, _, name in self._names_in(position) if name.split()[-1] == surname), None)
            if found is not None:
                return position, found
        return None

    def _after_name_word(self, at: int) -> bool:
        joined, end = self._joined, at
        while end > 0 and joined[end - 1].isspace():
            end -= 1
        if end == at or end == 0:
            return False
        start = end
        while start > 0 and not joined[start - 1].isspace():
            start -= 1
        word = joined[start:end].lstrip(_NOT_LETTERS)  # '"Jeff' before "Sessions" is still a name word
        return word[:1].isupper() or word in _NAME_PARTICLES

    def _occurrences(self, word: str):
        """(sentence index, offset in the joined text) of every occurrence of ``word``, in order."""
        if self._joined is None:
            self._joined = "\n".join(self._sentences)
            self._starts = [0]
            for text in self._sentences[:-1]:
                self._starts.append(self._starts[-1] + len(text) + 1)
        at = self._joined.find(word)
        while at >= 0:
            yield bisect.bisect_right(self._starts, at) - 1, at
            at = self._joined.find(word, at + len(word))

    def _sentences_with(self, word: str):
        """Indices of the sentences that contain ``word``, in order (found in the joined text)."""
        last = -1
        for position, _ in self._occurrences(word):
            if position != last:
                yield position
                last = position

    def _recent(self, index: int, back: int) -> list[tuple[int, str]]:
        """(sentence index, name) of mentions in sentences ``index - back`` to ``index``, in order."""
        return [(position, name) for position in range(max(index - back, 0), index + 1)
                for _, name in self._mentions(position)]

    def full_name(self, name: str, index: int) -> str:
        """``name`` as the article first gave it in full ("Decker" -> "Thomas Decker")."""
        parts = name.split()
        if len(parts) >= 2:
            # "Charge Roger Lindqvist" (from "Special Agent in Charge Roger Lindqvist") is Roger Lindqvist.
            known = self._introduced(parts[-1], index)
            if known is not None:
                known_parts = known.split()
                if len(known_parts) < len(parts) and parts[-len(known_parts):] == known_parts:
                    return known
            return name
        return self._introduced(parts[0], index) or name

    def _newest(self, index: int, back: int, last) -> tuple[int, str, str | None] | None:
        """The most recent person: the last named in sentences ``index - back`` to ``index``,
        or the last speaker when they spoke at or after that (read from the end, lazily)."""
        mention = None
        for position in range(index, max(index - back, 0) - 1, -1):
            names = self._mentions(position)
            if names:
                mention = (position, names[-1][1], None)
                break
        if last[0] is not None:
            spoke = self.spoke_at.get(last[0], -1)
            if mention is None or spoke >= mention[0]:
                return spoke, last[0], last[1]
        return mention

    def pronoun(self, pronoun: str, index: int, last, role: str | None) -> tuple[str, str | None] | None:
        """Whom "he" or "she" refers to: the most recent person named or quoted whose gender fits."""
        wanted = {"he": "m", "she": "f"}.get(pronoun)
        newest = self._newest(index, 3, last)
        if newest is None:
            return None
        if wanted is None or self.gender(newest[1]) == wanted:
            return newest[1], role or newest[2]  # the most recent person fits: no one else to weigh
        recent: list[tuple[int, str, str | None]] = [(position, full, None) for position, full in self._recent(index, 3)]
        if last[0] is not None:
            recent.append((self.spoke_at.get(last[0], -1), last[0], last[1]))
        recent.sort(key=lambda item: item[0])
        if len({item[1] for item in recent}) <= 1:
            choice = recent[-1]  # nobody to tell apart
        else:
            genders = {name: self.gender(name) for name in {item[1] for item in recent}}
            fitting = [item for item in recent if genders[item[1]] in (wanted, None)]
            matched = [item for item in fitting if genders[item[1]] == wanted]
            choice = (matched or fitting or [None])[-1]
        if choice is None:
            return None
        return choice[1], role or choice[2]

    def gender(self, name: str) -> str | None:
        """"m", "f" or None, from the pronouns and words the article uses next to the name."""
        if name in self._genders:
            return self._genders[name]
        surname = name.split()[-1]
        votes = {"m": 0, "f": 0}
        for position in self._sentences_with(surname):
            text = self._sentences[position]
            at = text.find(surname)
            window = text[at : at + 240]
            if len(window) < 240 and position + 1 < len(self._sentences):
                window = (window + " " + self._sentences[position + 1])[:240]
            for word in window.lower().split():
                word = word.strip(",.;:!?\"'()\u201c\u201d\u2019")
                if word in _MALE or word in _FEMALE:
                    votes["m" if word in _MALE else "f"] += 1
                    break
        self._genders[name] = None if votes["m"] == votes["f"] else max(votes, key=votes.get)
        return self._genders[name]

