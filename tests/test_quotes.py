"""Quotations and their speakers, pattern by pattern (the sentences are ours)."""

from __future__ import annotations

import pytest

from framing.quotes import REPORTER, Voice, attribute, bare_attribution


def voices(*sentences):
    return [(voice.quote, voice.speaker) for voice in attribute(list(sentences))]


@pytest.mark.parametrize(
    "sentence, bare",
    [
        ("Sheriff said.", True),
        ("Sheriff Dale Burke said Tuesday.", True),
        ("she added.", True),
        ("A spokeswoman for the agency declined to comment.", True),
        ("ICE did not respond to a request for comment.", True),
        ("Officials said in a statement.", True),
        ("Advocates said the raids were cruel.", False),
        ('"Never," he said.', False),
        ("That is what the law says.", False),
        ("The sheriff said he would not honor detainers without a warrant from a judge.", False),
    ],
)
def test_bare_attribution_lines(sentence, bare):
    assert bare_attribution(sentence) is bare


def test_quote_then_name_said():
    assert voices(
        "Thomas Decker runs the field office.",
        '"We only take people who are a danger to the community," Decker said.',
    ) == [(False, None), (True, "Thomas Decker")]


def test_name_said_then_quote():
    assert voices('Mayor Ana Ruiz said, "This city will not hand over its neighbours without a warrant."') == [
        (True, "Ana Ruiz")
    ]


def test_said_name_comma_role():
    result = attribute(['"The jail is full and the county pays for every bed," said Karen Holt, director of the county budget office.'])
    assert result == [Voice(True, "Karen Holt", "director of the county budget office")]


def test_according_to():
    assert voices('According to Luis Ortega, "nobody told the families where the men were taken."') == [
        (True, "Luis Ortega")
    ]


def test_a_quotation_over_several_sentences_gets_its_speaker_everywhere():
    assert voices(
        '"They took my father at the bus stop.',
        "He has lived here for twenty years.",
        'We do not know where he is," said Maria Lopez, 17.',
        "ICE did not respond to a request for comment.",
    ) == [(True, "Maria Lopez"), (True, "Maria Lopez"), (True, "Maria Lopez"), (False, None)]


def test_a_paragraph_that_reopens_a_quotation_without_closing():
    assert voices(
        '"The arrests happen in the hallway outside the courtroom," said public defender Dana Whitfield.',
        '"Clients stop coming to hearings.',
        '"And then they get deported for missing the hearing they were too afraid to attend."',
        "The court declined to comment.",
    ) == [(True, "Dana Whitfield"), (True, "Dana Whitfield"), (True, "Dana Whitfield"), (False, None)]


def test_pronoun_resolves_to_the_last_named_speaker():
    assert voices(
        "Sheriff Wendell Pruitt announced the numbers on Monday.",
        '"Every one of them was already sitting in my jail," he said.',
    ) == [(False, None), (True, "Wendell Pruitt")]


def test_title_and_surname_resolve_to_the_full_name():
    result = attribute([
        "Sheriff Wendell Pruitt announced the numbers on Monday.",
        '"We will honour every detainer the federal government sends us," Sheriff Pruitt said.',
    ])
    assert result[1].speaker == "Wendell Pruitt" and result[1].role == "Sheriff"


def test_unnamed_source_as_described():
    assert voices('"The mayor has made her position clear," a spokeswoman for the mayor\'s office said.') == [
        (True, "a spokeswoman for the mayor's office")
    ]


def test_pull_quote_with_a_dash_line():
    assert voices('"We are a nation of laws, and the law has to mean something."', "\u2014 Glen Harmon, county commissioner") == [
        (True, "Glen Harmon"), (False, None)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The county's so-called \u201csanctuary\u201d policy took effect in March.",
        'Critics call it the "Remain in Mexico" program.',
        "She reviewed the report 'Detention by the Numbers' last year.",
    ],
)
def test_scare_quotes_and_titles_are_not_quotations(sentence):
    assert attribute([sentence]) == [REPORTER]


def test_curly_and_straight_marks_alike():
    curly = voices("\u201cWe are not going after victims or witnesses,\u201d said Thomas Decker.")
    straight = voices('"We are not going after victims or witnesses," said Thomas Decker.')
    assert curly == straight == [(True, "Thomas Decker")]


def test_nested_quotation_keeps_the_outer_speaker():
    assert voices(
        "\u201cThe officer told me \u2018you have no rights here\u2019 and walked away,\u201d said Rosa Mendez."
    ) == [(True, "Rosa Mendez")]


def test_an_unclosed_quotation_at_the_end_of_an_article():
    assert voices("Organizer Beth Carver took the microphone:", '"We will be back next week, and the week after that') == [
        (False, None), (True, "Beth Carver")
    ]
    assert voices("The rally ended at noon.", '"We will be back next week, and the week after that') == [
        (False, None), (True, None)
    ]


def test_a_sentence_with_two_speakers_gets_the_first():
    result = voices(
        '"It is cruel," said Ana Ruiz, while Glen Harmon replied, "It is the law and the law must be enforced."'
    )
    assert result == [(True, "Ana Ruiz")]


def test_quoted_clause_inside_reporting():
    assert voices("Ana Ruiz called the raids \u201ca betrayal of every family in this town.\u201d") == [
        (True, "Ana Ruiz")
    ]


def test_an_article_without_quotes_is_all_reporter():
    assert attribute(["The board meets Tuesday.", "It will vote on the jail contract."]) == [REPORTER, REPORTER]


def test_indirect_speech_is_the_reporters_voice():
    assert attribute(["Decker said the policy keeps dangerous people off the streets."]) == [REPORTER]


def test_on_the_hand_labeled_articles_quotes_and_speakers_meet_their_targets():
    from framing.corpus import read_article_labels
    from framing.evaluation import evaluate_voices
    from tests.helpers import CORPUS

    articles = read_article_labels(CORPUS / "articles" / "labels.csv")
    assert all(article.voices and len(article.voices) == len(article.sentences) for article in articles)
    result = evaluate_voices(articles)
    assert result["quoted_sentences"] >= 150
    assert result["quote"]["f1"] >= 0.95
    assert result["speaker_accuracy"] >= 0.90
    assert result["reporter_without_speaker"] >= 0.95
    assert result["agreement"]["sentences"] >= len(result) and result["agreement"]["quote"] >= 0.9
