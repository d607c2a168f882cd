"""Free-text triage: negation, abbreviations, typos, age and area; red flags only go up."""

from pathlib import Path

import pytest

from pathways.case_file import load_vignettes
from pathways.errors import AssessmentError
from pathways.triage import triage_text

VIGNETTES = load_vignettes(Path(__file__).resolve().parents[2] / "pathways" / "eval" / "vignettes.yml")


@pytest.mark.parametrize(
    ("text", "age"),
    [("a 7 year old boy", 7), ("her 6-month-old baby", 0), ("girl aged 14", 14), ("pupil in Year 9", 13),
     ("15yo lad", 15), ("a seven year old", 7), ("newborn twins", 0), ("nothing about age here", None)],
)
def test_age_is_read_from_common_phrasings(model, text, age):
    assert triage_text(model, text, None).age == age


@pytest.mark.parametrize(
    ("text", "area"),
    [("family in Southsea", "portsmouth"), ("school in Basingstoke", "hampshire"), ("lives in Ryde", "isle_of_wight"),
     ("Bitterne family", "southampton"), ("no place named", None)],
)
def test_area_is_read_from_place_names(model, text, area):
    assert triage_text(model, text, None).area == area


@pytest.mark.parametrize(
    ("text", "red_flag"),
    [
        ("concerns re CSE for a 14 yo", "gate_exploitation"),
        ("possible CCE, carrying packages for older boys", "gate_exploitation"),
        ("query NAI on a toddler", "gate_disclosure_or_allegation"),
        ("risk of FGM for a 9 year old girl", "gate_fgm_forced_marriage"),
        ("she dissclosed abuse at home", "gate_disclosure_or_allegation"),
        ("4 month old with brusing on the cheek", "gate_injury_non_mobile_baby"),
    ],
)
def test_abbreviations_and_typos_still_raise_the_red_flag(model, text, red_flag):
    result = triage_text(model, text, None)
    assert red_flag in result.red_flags and result.route in ("mash", "emergency")


@pytest.mark.parametrize(
    "text",
    ["No marks or bruises seen on the 5 month old", "He is not missing, he is at his nan's",
     "No signs of exploitation", "she denies any self-harm"],
)
def test_negated_phrases_do_not_raise_red_flags(model, text):
    assert triage_text(model, text, None).red_flags == ()


def test_a_red_flag_beats_a_reassurance_in_the_same_text(model):
    result = triage_text(model, "No safeguarding concerns. Today she disclosed that her uncle touches her.", None)
    assert result.route == "mash" and "gate_disclosure_or_allegation" in result.red_flags


def test_text_silent_on_red_flags_stays_unclear_and_asks(model):
    result = triage_text(model, "13 year old with 88% attendance", "hampshire")
    assert result.route == "unclear"
    assert result.answers["school_attendance"] == "persistent_absence"
    assert result.questions[0].id == "immediate_danger"
    assert "school_attendance" not in [q.id for q in result.questions]


def test_missing_now_with_high_risk_features_is_an_emergency(model):
    result = triage_text(model, "12 year old still missing since last night, needs her epilepsy medication", None)
    assert result.route == "emergency"


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_empty_or_oversized_text_is_rejected_naming_the_field(model, text):
    with pytest.raises(AssessmentError) as caught:
        triage_text(model, text, None)
    assert caught.value.field == "text"


def test_the_same_text_always_gives_the_same_result(model):
    text = VIGNETTES[10].text
    assert triage_text(model, text, None) == triage_text(model, text, None)


def test_vignettes_have_no_severe_under_triage_and_at_least_90_percent_exact(model):
    results = [(v, triage_text(model, v.text, None).route) for v in VIGNETTES]
    severe = [v.id for v, got in results if v.expected in ("mash", "emergency") and got in ("early_help", "universal")]
    assert severe == []
    assert sum(v.expected == got for v, got in results) / len(results) >= 0.9
    assert len(VIGNETTES) >= 48 and {v.area for v in VIGNETTES} == {"southampton", "portsmouth", "hampshire",
                                                                      "isle_of_wight"}
