"""A red flag that only an exemplar's "possible" hit raised is asked about, not assumed, when the whole
description reads as lower need; anything firmer is never set aside (pathways.route_reader, ADR 0011).

The exemplar hits are preset (a matcher whose `match` returns given hits) and so are the reader's
probabilities, so every combination is driven directly, without torch.
"""

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.route_reader import ReaderThresholds
from pathways.semantic import SemanticHit, SemanticMatcher
from pathways.triage import RED_FLAG_SCREENS, triage_text
from tests.pathways.test_route_reader import DESCRIPTIONS, Preset, probabilities
from tests.pathways.test_semantic_triage import HashedWords

SEVERITY = {"universal": 0, "early_help": 1, "unclear": 1, "mash": 2, "emergency": 3}
ASKS_FIRST = ReaderThresholds(emergency_yes=0.8, emergency_unsure=0.5, statutory_possible=0.6, rule_out_at=0.5,
                              rule_out_max_statutory=0.1, possible_outweighed_below=0.05,
                              negated_possible_outweighed_below=0.4)
CALM = {"emergency": 0.0, "mash": 0.01, "early_help": 0.1, "universal": 0.87, "unclear": 0.02}
WORRIED = {"emergency": 0.05, "mash": 0.25, "early_help": 0.3, "universal": 0.3, "unclear": 0.1}
ORDINARY = "2 year old at nursery keeps biting the other children when he is tired"


class PresetHits(SemanticMatcher):
    """The exemplar layer with its hits fixed by the test: one hit on the named cue, at the given strength."""

    def __init__(self, model, cue_id: str, strength: str, negated: bool = False) -> None:
        super().__init__(HashedWords(), model.exemplars)
        self.cue = next(cue for cue in model.exemplars.cues if cue.id == cue_id)
        self.strength = strength
        self.negated = negated

    def match(self, clauses, vectors=None) -> list[SemanticHit]:
        return [SemanticHit(self.cue, clauses[0] if clauses else "", 0.5, self.strength, self.cue.exemplars[0],
                            self.negated)]


def _triage(model, text, cue_id, strength, probs, thresholds=ASKS_FIRST, negated=False):
    served = dataclasses.replace(model, route_reader=Preset(probs, thresholds))
    return triage_text(served, text, None, PresetHits(model, cue_id, strength, negated))


@pytest.mark.parametrize("cue_id", ["physical_abuse", "baby_injury", "sexual_abuse", "immediate_danger",
                                    "serious_self_harm"])
def test_a_possible_red_flag_alone_is_asked_first_when_the_description_reads_as_lower_need(model, cue_id):
    assert triage_text(model, ORDINARY, None).route not in ("mash", "emergency"), "the patterns must find nothing"
    result = _triage(model, ORDINARY, cue_id, "possible", CALM)
    assert result.route not in ("mash", "emergency")
    assert [q.id for q in result.questions[:2]] == list(RED_FLAG_SCREENS)
    assert not set(RED_FLAG_SCREENS) & set(result.answers)
    assert any("put to you as questions rather than assumed" in reason for reason in result.reasons)


@pytest.mark.parametrize(("strength", "probs"), [("detected", CALM), ("possible", WORRIED)])
def test_a_detected_red_flag_or_a_reader_that_is_not_sure_keeps_the_route_up(model, strength, probs):
    assert _triage(model, ORDINARY, "physical_abuse", strength, probs).route in ("mash", "emergency")


def test_nothing_is_set_aside_when_the_setting_is_off(model):
    off = dataclasses.replace(ASKS_FIRST, possible_outweighed_below=0.0)
    assert _triage(model, ORDINARY, "physical_abuse", "possible", CALM, off).route in ("mash", "emergency")


def test_a_red_flag_the_patterns_found_is_never_set_aside(model):
    text = "7 year old said daddy hit him with a belt"
    assert triage_text(model, text, None).route in ("mash", "emergency")
    result = _triage(model, text, "physical_abuse", "possible", CALM)
    assert result.route in ("mash", "emergency")
    assert not any("rather than assumed" in reason for reason in result.reasons)


# Between the two limits: a plain "possible" hit stands, one from a clause that rules something out is asked.
IN_TWO_MINDS = {"emergency": 0.05, "mash": 0.2, "early_help": 0.3, "universal": 0.4, "unclear": 0.05}
RULED_OUT = "2 year old at nursery keeps biting the others when tired, mum and dad are worried about it"


def test_a_possible_red_flag_from_a_clause_that_rules_it_out_is_asked_at_a_less_calm_reading(model):
    assert ASKS_FIRST.possible_outweighed_below < 0.25 < ASKS_FIRST.negated_possible_outweighed_below
    plain = _triage(model, RULED_OUT, "physical_abuse", "possible", IN_TWO_MINDS)
    negated = _triage(model, RULED_OUT, "physical_abuse", "possible", IN_TWO_MINDS, negated=True)
    assert plain.route in ("mash", "emergency")
    assert negated.route not in ("mash", "emergency")
    assert [q.id for q in negated.questions[:2]] == list(RED_FLAG_SCREENS)


def test_a_negated_clause_never_outweighs_a_worried_reading(model):
    worried = {"emergency": 0.1, "mash": 0.4, "early_help": 0.2, "universal": 0.25, "unclear": 0.05}
    assert _triage(model, RULED_OUT, "physical_abuse", "possible", worried, negated=True).route in ("mash", "emergency")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(probs=probabilities, text=st.sampled_from([*DESCRIPTIONS, ORDINARY]),
       cue_id=st.sampled_from(["physical_abuse", "exploitation", "immediate_danger", "domestic_abuse_child_hurt"]),
       strength=st.sampled_from(["possible", "detected"]), negated=st.booleans())
def test_a_route_is_lowered_only_for_possible_hits_alone_a_calm_reading_and_the_screens_asked_first(
        model, probs, text, cue_id, strength, negated):
    without_reader = triage_text(dataclasses.replace(model, route_reader=None), text, None,
                                 PresetHits(model, cue_id, strength, negated))
    helped = _triage(model, text, cue_id, strength, probs, negated=negated)
    if SEVERITY[helped.route] < SEVERITY[without_reader.route]:
        assert strength == "possible"
        limit = ASKS_FIRST.negated_possible_outweighed_below if negated else ASKS_FIRST.possible_outweighed_below
        assert probs["emergency"] + probs["mash"] < limit
        patterns_alone = triage_text(model, text, None)
        assert patterns_alone.route not in ("mash", "emergency")
        screens = [qid for qid in RED_FLAG_SCREENS if qid not in patterns_alone.answers]
        assert [q.id for q in helped.questions[:len(screens)]] == screens, text
