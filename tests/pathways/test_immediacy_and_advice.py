"""Immediacy (tense, time, presence) and advice-only wording: they may raise a route, never lower one."""

from pathlib import Path

import pytest

from pathways.case_file import load_vignettes
from pathways.textscan import normalise, sentence_is_now
from pathways.triage import triage_text

EVAL_DIR = Path(__file__).resolve().parents[2] / "pathways" / "eval"
STATUTORY = {"emergency", "mash"}
REASSURANCES = [
    "Mum asked about after school clubs, the child is thriving, no concerns.",
    "No safeguarding concerns, just wanted advice on where she can find groups.",
    "No worries at all about the family, they have asked for some support.",
]


def _statutory_texts() -> list[str]:
    return [v.text for path in sorted(EVAL_DIR.glob("vignettes*.yml")) for v in load_vignettes(path)
            if v.expected in STATUTORY]


@pytest.mark.parametrize(
    "text",
    [
        "her boyfriend has just had his hands round her throat and he is still in the flat with her",
        "dad has barricaded himself in the house with the toddler right now, shouting that he'll burn the place",
        "15 year old just sent a photo of a pile of pills saying sorry for everything, not picking up",
        "6 week old is floppy and I can barely rouse him",
        "she cut her arm in the toilets and it won't stop bleeding, she is in my office now",
    ],
)
def test_acute_harm_happening_now_is_an_emergency(model, text):
    result = triage_text(model, text, None)
    assert result.route == "emergency"
    assert result.answers["immediate_danger"] == "yes"


@pytest.mark.parametrize(
    "text",
    [
        "two years ago her boyfriend had his hands round her throat",
        "when she was little her dad barricaded the flat and threatened to burn it",
    ],
)
def test_acute_harm_in_the_past_still_asks_the_danger_question(model, text):
    result = triage_text(model, text, None)
    assert result.route == "mash"
    assert "immediate_danger" not in result.answers, "a danger read from the text must be confirmed, not assumed"
    assert result.questions[0].id == "immediate_danger"


@pytest.mark.parametrize(
    "text",
    [
        "the 9 year old is in my room right now asking about football clubs",
        "mum has just rung, they are flying to Spain on holiday this Saturday",
        "he is still at school and has just finished his lunch, currently in the library",
        "she is not picking up her phone tonight, probably at her nan's",
    ],
)
def test_immediacy_words_without_a_harm_signal_create_no_emergency(model, text):
    result = triage_text(model, text, None)
    assert result.route != "emergency"
    assert result.answers.get("immediate_danger") != "yes"


def test_a_now_cue_is_read_per_sentence_and_a_past_cue_cancels_it(model):
    patterns = model.triage
    text = normalise("He is in the flat right now. Last year he had a knife.", patterns)
    assert sentence_is_now(text, 0, 5, patterns)
    knife = text.index("knife")
    assert not sentence_is_now(text, knife, knife + 5, patterns)


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("Mum asking where she can find toddler groups, baby meeting all milestones, no concerns whatsoever",
         "universal"),
        ("Dad asked me for info on healthy eating for his son. Happy, well supported kid, no concerns.", "universal"),
        ("No safeguarding concerns. Mum is struggling since dad left and has asked for some support.", "early_help"),
    ],
)
def test_advice_and_help_requests_give_a_lower_route_only_when_red_flags_are_ruled_out(model, text, route):
    assert triage_text(model, text, None).route == route


@pytest.mark.parametrize(
    "text",
    [
        "Mum asking where she can find toddler groups, baby thriving",
        "Parent asked about holiday clubs for her 6 year old",
        "Family would like some help with bedtimes",
    ],
)
def test_advice_or_a_help_request_without_the_red_flags_ruled_out_gives_no_lower_route(model, text):
    assert triage_text(model, text, None).route not in {"universal", "early_help"}


@pytest.mark.parametrize(
    "text",
    [
        "She said dad hits her with a belt. No concerns.",
        "No safeguarding concerns really, just wanted advice - a 13 year old has a boyfriend who is 19 and "
        "picks her up from school.",
        "Mum asked about toddler groups, baby thriving, no concerns at all. Small bruise on the 6 week old's cheek.",
    ],
)
def test_an_explicit_red_flag_beside_no_concerns_wording_still_routes_up(model, text):
    assert triage_text(model, text, None).route in STATUTORY


@pytest.mark.parametrize("reassurance", REASSURANCES)
@pytest.mark.parametrize("text", _statutory_texts())
def test_reassuring_or_advice_wording_never_lowers_a_statutory_vignette(model, text, reassurance):
    before = triage_text(model, text, None).route
    after = triage_text(model, f"{text} {reassurance}", None).route
    if before in STATUTORY:
        assert after in STATUTORY
    if before == "emergency":
        assert after == "emergency"


def test_every_when_now_answer_raises_a_red_flag_or_a_level_4_indicator(model):
    for signal in model.triage.signals:
        for qid, value in signal.when_now.items():
            option = model.question(qid).option(value)
            raised = (*option.fires, *option.possible)
            assert any(r in model.gates or (r in model.indicators and model.indicators[r].level == 4)
                       for r in raised), (signal.id, qid, value)


@pytest.mark.parametrize(
    "text",
    [
        "mum came to collect her 2 year old and she is absolutely hammered, car keys in her hand",
        "when she was little her dad barricaded the flat and threatened to burn it",
        "a baby who is not yet crawling has a bruise on his arm",
    ],
)
def test_the_danger_question_is_put_to_the_practitioner_unless_the_text_says_yes(model, text):
    """Text may raise the route on a possible danger, but only the practitioner answers it (999 if yes)."""
    result = triage_text(model, text, None)
    if result.route != "emergency":
        assert result.answers.get("immediate_danger") in (None, "no")
        assert any(question.id == "immediate_danger" for question in result.questions) or \
            result.answers.get("immediate_danger") == "no"
