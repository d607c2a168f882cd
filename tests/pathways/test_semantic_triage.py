"""The semantic recall layer of free-text triage: it adds worry, never removes it.

Most tests use a deterministic fake encoder (hashed bag of words), so they run without torch; the
`slow` test loads the real all-MiniLM-L6-v2 and checks that red flags said in words the phrase
patterns were not written for still raise at least a possible red flag.
"""

import dataclasses
import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.case_file import load_vignettes
from pathways.exemplars import check_exemplars
from pathways.semantic import SemanticMatcher, matcher_or_none, split_clauses
from pathways.triage import CONFIRM_WITH_THE_PRACTITIONER, triage_text
from pathways.yaml_source import read_yaml

EVAL_DIR = Path(__file__).resolve().parents[2] / "pathways" / "eval"
RANK = {"universal": 0, "early_help": 1, "unclear": 1, "mash": 2, "emergency": 3}
STATUTORY = {"mash", "emergency"}


class HashedWords:
    """A fake encoder: each word hashed to one of 512 dimensions, the counts normalised."""

    dimension = 512

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                rows[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1.0, norms)


@pytest.fixture(scope="module")
def matcher(model) -> SemanticMatcher:
    return SemanticMatcher(HashedWords(), model.exemplars)


def _tuning_texts() -> list[str]:
    return [v.text for name in ("vignettes.yml", "vignettes_holdout.yml", "vignettes_blind.yml")
            for v in load_vignettes(EVAL_DIR / name)]


def _worry(model, qid: str, value: str) -> int:
    return [o.value for o in model.question(qid).options].index(value)


def _assert_never_lower(model, text: str, matcher: SemanticMatcher) -> None:
    alone = triage_text(model, text, None)
    helped = triage_text(model, text, None, matcher)
    assert RANK[helped.route] >= RANK[alone.route], text
    if alone.route in STATUTORY:
        assert helped.route in STATUTORY, text
    for qid, value in alone.answers.items():
        if qid in helped.answers:
            assert _worry(model, qid, helped.answers[qid]) >= _worry(model, qid, value), (text, qid)
        elif qid in CONFIRM_WITH_THE_PRACTITIONER and qid in [q.id for q in helped.questions[:1]]:
            pass  # raised to "not sure" from the text: left out of the answers and asked first
        else:  # otherwise only a contradiction can drop an answer, and the worrying reading is the one kept
            assert any("safer reading" in r for r in helped.reasons), (text, qid)


def test_exemplars_the_patterns_miss_are_raised_and_explained(model):
    # top_k 1: with the fake encoder an exemplar's own score is then exactly 1.
    matcher = SemanticMatcher(HashedWords(), dataclasses.replace(model.exemplars, top_k=1))
    missed = [(c, e) for c in model.exemplars.cues for e in c.exemplars
              if triage_text(model, e, None).route == "unclear"]
    assert missed, "every exemplar is already caught by the patterns"
    for cue, exemplar in missed:
        result = triage_text(model, exemplar, None, matcher)
        assert result.route in STATUTORY, exemplar
        assert any(exemplar in r and cue.reason in r for r in result.reasons), exemplar


def test_a_reassurance_alone_raises_nothing(model, matcher):
    for text in model.exemplars.lower_need:
        assert matcher.match(split_clauses(text)) == [], text


@pytest.mark.parametrize("text", _tuning_texts())
def test_the_layer_never_lowers_the_route_or_an_answer_on_the_vignettes(model, matcher, text):
    _assert_never_lower(model, text, matcher)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_layer_never_lowers_the_route_on_mixed_descriptions(model, matcher, data):
    pool = [*_tuning_texts(), *(e for c in model.exemplars.cues for e in c.exemplars), *model.exemplars.lower_need]
    parts = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4))
    _assert_never_lower(model, ". ".join(parts), matcher)


def test_every_cue_answer_must_raise_a_red_flag_or_a_level_4_indicator(model):
    doc, _ = read_yaml(EVAL_DIR.parent / "model" / "triage_exemplars.yml", EVAL_DIR.parent)
    assert check_exemplars(model, doc) == []
    cue = dataclasses.replace(model.exemplars.cues[0], possible={"abuse_disclosure": "no"})
    weakened = dataclasses.replace(model, exemplars=dataclasses.replace(model.exemplars, cues=(cue,)))
    problems = check_exemplars(weakened, doc)
    assert [p.field for p in problems] == ["cues[0].possible.abuse_disclosure"]
    assert "raises no red flag" in problems[0].problem


def test_clauses_are_sentences_and_their_comma_parts():
    assert split_clauses("the boy is 7, he said his dad hit him. ok") == [
        "the boy is 7, he said his dad hit him", "the boy is 7", "he said his dad hit him"]


# Red flags in words the patterns were not written for; none is copied from an exemplar or a vignette.
PARAPHRASED_RED_FLAGS = [
    "Year 5 lad says his stepmum leathers him with a slipper when he is naughty",
    "the girl told her friend that her mum's boyfriend creeps into her bedroom at night and does stuff to her",
    "14 year old keeps getting into cars with blokes in their thirties who give her weed and cash",
    "her father intends to have her circumcised on a trip to see relatives in the summer",
    "the 9 week old has a purple mark on his tummy and dad is vague about how it got there",
]


@pytest.mark.slow
@pytest.mark.parametrize("text", PARAPHRASED_RED_FLAGS)
def test_a_paraphrased_red_flag_raises_at_least_a_possible_red_flag_with_the_real_model(model, text):
    from knowledge.embedding import SentenceTransformerEmbedder

    real = SemanticMatcher(SentenceTransformerEmbedder("all-MiniLM-L6-v2"), model.exemplars)
    result = triage_text(model, text, None, real)
    assert result.route in STATUTORY
    assert result.red_flags or any(r.id.startswith("ind_l4") for r in result.decision.fired)


def test_without_an_encoder_or_when_it_fails_to_load_triage_falls_back_to_the_patterns(model):
    def failing_load():
        raise OSError("model files missing")

    assert matcher_or_none(lambda: None, model.exemplars) is None
    assert matcher_or_none(failing_load, model.exemplars) is None
    assert isinstance(matcher_or_none(HashedWords, model.exemplars), SemanticMatcher)
    text = "a baby who is not yet crawling has a bruise on his arm"
    assert triage_text(model, text, None, matcher_or_none(failing_load, model.exemplars)).route == \
        triage_text(model, text, None).route


def test_a_clause_that_rules_the_harm_out_gives_only_a_possible_hit_marked_negated(model, matcher):
    cue = next(c for c in model.exemplars.cues if c.id == "physical_abuse")
    exemplar = cue.exemplars[0]
    plain = {h.cue.id: h for h in matcher.match([exemplar])}
    assert plain["physical_abuse"].strength == "detected" and not plain["physical_abuse"].negated
    ruled_out = {h.cue.id: h for h in matcher.match([f"never {exemplar}"])}
    assert ruled_out["physical_abuse"].strength == "possible" and ruled_out["physical_abuse"].negated


def test_a_plain_clause_is_preferred_to_a_negated_one_for_the_same_cue(model, matcher):
    exemplar = next(c for c in model.exemplars.cues if c.id == "physical_abuse").exemplars[0]
    hits = {h.cue.id: h for h in matcher.match([f"never {exemplar} again", exemplar])}
    assert hits["physical_abuse"].clause == exemplar and not hits["physical_abuse"].negated


@pytest.mark.parametrize(("clause", "rules_out"), [
    ("he told me himself his dad has never hit him", True),
    ("nothing he's said or we've seen suggests anyone is hurting him", True),
    ("no signs of older lads or adults behind it", True),
    ("there is no food in the house", False),
    ("she has not been fed today", False),
    ("mum denies hitting him", False),
])
def test_which_clauses_rule_something_out(matcher, clause, rules_out):
    assert matcher.rules_out(clause) is rules_out
