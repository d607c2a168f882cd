"""The route reader of free-text triage: raises freely, rules out only when nothing worrying was found.

The policy tests drive `read_answers` and `triage_text` with a synthetic reader over the fake encoder of
test_semantic_triage, so they run without torch and for any probabilities hypothesis can think of. The
data tests check the fitted file: the shape the loader demands, what it was trained on (never a held-out
set), and the model it expects.
"""

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.held_out import is_held_out
from knowledge.settings import load_settings
from pathways.errors import ModelError
from pathways.loader import load_model
from pathways.route_reader import READER_ROUTES, ReaderThresholds, RouteReader, RouteReaderFile, read_answers
from pathways.semantic import SemanticMatcher
from pathways.triage import reader_vector, triage_text
from tests.pathways.test_semantic_triage import HashedWords

ROOT = Path(__file__).resolve().parents[2]
SEVERITY = {"universal": 0, "early_help": 1, "mash": 2, "emergency": 3}
THRESHOLDS = ReaderThresholds(emergency_yes=0.8, emergency_unsure=0.5, statutory_possible=0.6,
                              rule_out_at=0.7, rule_out_max_statutory=0.1)
DESCRIPTIONS = [
    "7 year old said daddy hit him with a belt",
    "new mum, baby 6 weeks, bruise on his cheek, no explanation",
    "he's been a bit quiet lately, not sure why",
    "mum asked for ideas for the holidays, no worries at all",
    "14 year old going missing overnight, coming back with new trainers and cash",
    "parents separating, both asking for some help with the kids' routines",
    "year 9 lad, something feels off, can't put my finger on it",
    "dad is outside school now shouting he will take her, she is terrified",
]


class Preset(RouteReader):
    """A reader whose probabilities are set by the test, whatever the text."""

    def __init__(self, probabilities: dict[str, float], thresholds: ReaderThresholds = THRESHOLDS) -> None:
        super().__init__(_fitted(2 * HashedWords.dimension, thresholds))
        self.preset = probabilities

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        return self.preset


def _fitted(dimension: int, thresholds: ReaderThresholds = THRESHOLDS) -> RouteReaderFile:
    return RouteReaderFile(encoder="fake", dimension=dimension, fitted=dt.date(2026, 11, 22), trained_on=("x.yml",),
                           examples=1, regularisation_c=1.0, thresholds=thresholds, classes=READER_ROUTES,
                           intercept=(0.0,) * 5, coefficients=((0.0,) * dimension,) * 5)


probabilities = st.lists(st.floats(0.0, 1.0), min_size=5, max_size=5).filter(lambda p: sum(p) > 0).map(
    lambda p: {route: value / sum(p) for route, value in zip(READER_ROUTES, p, strict=True)})


@pytest.fixture(scope="module")
def matcher(model) -> SemanticMatcher:
    return SemanticMatcher(HashedWords(), model.exemplars)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(probs=probabilities, text=st.sampled_from(DESCRIPTIONS))
def test_the_reader_never_lowers_a_route_and_rules_out_only_an_unclear_one(model, matcher, probs, text):
    without = triage_text(dataclasses.replace(model, route_reader=None), text, None, matcher)
    helped = triage_text(dataclasses.replace(model, route_reader=Preset(probs)), text, None, matcher)
    if without.route == "unclear":
        if helped.route in ("early_help", "universal"):
            assert probs["emergency"] + probs["mash"] < THRESHOLDS.rule_out_max_statutory
    else:
        assert SEVERITY[helped.route] >= SEVERITY[without.route], (text, probs)
    for qid, value in without.answers.items():
        options = [o.value for o in model.question(qid).options]
        if qid in helped.answers:
            assert options.index(helped.answers[qid]) >= options.index(value), (text, qid)


@settings(max_examples=300, deadline=None)
@given(probs=probabilities, route=st.sampled_from(READER_ROUTES))
def test_answers_are_filled_only_for_an_unclear_route_and_never_over_what_was_said(probs, route):
    reading = read_answers(Preset(probs), probs, route, ("harm_screen",))
    if reading.fill_answers:
        assert route == "unclear"
        assert not reading.raise_answers
        assert "harm_screen" not in reading.fill_answers
        assert probs["emergency"] + probs["mash"] < THRESHOLDS.rule_out_max_statutory
    assert set(reading.raise_answers.values()) <= {"yes", "unsure"}


def test_a_likely_emergency_is_raised_and_a_possible_one_asked_first(model, matcher):
    text = "he's been a bit quiet lately, not sure why"
    sure = {"emergency": 0.9, "mash": 0.05, "early_help": 0.02, "universal": 0.01, "unclear": 0.02}
    maybe = {"emergency": 0.55, "mash": 0.3, "early_help": 0.05, "universal": 0.05, "unclear": 0.05}
    result = triage_text(dataclasses.replace(model, route_reader=Preset(sure)), text, None, matcher)
    assert result.route == "emergency"
    assert any("danger now" in reason for reason in result.reasons)
    result = triage_text(dataclasses.replace(model, route_reader=Preset(maybe)), text, None, matcher)
    assert result.route == "mash"
    assert result.questions[0].id == "immediate_danger"


def test_a_red_flag_the_patterns_found_is_never_ruled_out(model, matcher):
    calm = {"emergency": 0.0, "mash": 0.0, "early_help": 0.1, "universal": 0.9, "unclear": 0.0}
    text = "7 year old said daddy hit him with a belt"
    result = triage_text(dataclasses.replace(model, route_reader=Preset(calm)), text, None, matcher)
    assert result.route in ("mash", "emergency")
    assert not any("confirm the red-flag questions" in reason for reason in result.reasons)


def test_a_rule_out_gives_a_provisional_route_and_still_asks_the_red_flag_questions_first(model, matcher):
    calm = {"emergency": 0.0, "mash": 0.02, "early_help": 0.08, "universal": 0.88, "unclear": 0.02}
    result = triage_text(dataclasses.replace(model, route_reader=Preset(calm)), DESCRIPTIONS[2], None, matcher)
    assert result.route == "universal"
    assert any("confirm the red-flag questions first" in reason for reason in result.reasons)
    assert [q.id for q in result.questions[:2]] == ["immediate_danger", "harm_screen"]
    assert "harm_screen" not in result.answers and "immediate_danger" not in result.answers


SAID = dataclasses.replace(THRESHOLDS, said_rule_out_max_statutory=0.3)
LOWER_NEED_BUT_UNSURE = {"emergency": 0.0, "mash": 0.2, "early_help": 0.7, "universal": 0.08, "unclear": 0.02}


def test_a_red_flag_ruled_out_in_the_practitioners_own_words_lets_the_reader_rule_out_at_a_higher_limit(model, matcher):
    reader = dataclasses.replace(model, route_reader=Preset(LOWER_NEED_BUT_UNSURE, SAID))
    silent = triage_text(reader, "he's been a bit quiet lately and mum asked for some help with routines", None,
                         matcher)
    assert silent.route == "unclear"
    said = triage_text(reader, "he's been a bit quiet lately and mum asked for some help with routines. "
                               "No marks on him and nothing has been disclosed", None, matcher)
    assert said.route == "early_help"
    assert any("You ruled red flags out yourself" in reason for reason in said.reasons)
    assert [q.id for q in said.questions[:2]] == ["immediate_danger", "harm_screen"]


def test_ruling_one_red_flag_out_never_lowers_another_the_text_raises(model, matcher):
    reader = dataclasses.replace(model, route_reader=Preset(LOWER_NEED_BUT_UNSURE, SAID))
    result = triage_text(reader, "no marks on him but he said his dad hit him with a belt", None, matcher)
    assert result.route in ("mash", "emergency")


@settings(max_examples=300, deadline=None)
@given(probs=probabilities, said=st.booleans())
def test_the_rule_out_limit_is_the_higher_one_only_when_a_red_flag_was_ruled_out_in_words(probs, said):
    reading = read_answers(Preset(probs, SAID), probs, "unclear", (), ("no marks",) if said else ())
    statutory = probs["emergency"] + probs["mash"]
    if reading.fill_answers:
        assert statutory < (SAID.said_rule_out_max_statutory if said else SAID.rule_out_max_statutory)


def test_a_said_rule_out_limit_above_the_possible_threshold_is_rejected():
    with pytest.raises(ValueError, match="said_rule_out_max_statutory"):
        dataclasses.replace(THRESHOLDS, said_rule_out_max_statutory=0.7)


def test_a_reader_for_another_embedding_size_is_left_out(model, matcher):
    reader = RouteReader(_fitted(384))
    text = DESCRIPTIONS[2]
    assert triage_text(dataclasses.replace(model, route_reader=reader), text, None, matcher).route == \
        triage_text(dataclasses.replace(model, route_reader=None), text, None, matcher).route


def test_the_fitted_reader_is_loaded_and_matches_the_guidance_embedding_model(model):
    reader = model.route_reader
    assert reader is not None, "pathways/model/route_reader.yml is missing: run bench.fit_route_reader"
    assert reader.fitted.encoder == load_settings().model.name
    assert sorted(reader.fitted.classes) == sorted(READER_ROUTES)
    vector = np.ones(reader.dimension) / np.sqrt(reader.dimension)
    assert sum(reader.probabilities(vector).values()) == pytest.approx(1.0)


def test_the_reader_was_never_trained_on_a_held_out_set(model):
    trained_on = set(model.route_reader.fitted.trained_on)
    eval_sets = {p.name: p for p in (ROOT / "pathways" / "eval").glob("vignettes*.yml")}
    held_out = {name for name, path in eval_sets.items() if is_held_out(path)}
    assert held_out, "there should always be a blind set the reader has not seen"
    assert not trained_on & held_out
    for name in trained_on:
        assert (ROOT / "pathways" / "training" / name).exists() or name in eval_sets, name


def test_a_malformed_reader_file_is_rejected_with_file_line_and_field(tmp_path):
    copy = tmp_path / "pathways"
    shutil.copytree(ROOT / "pathways" / "model", copy / "model")
    shutil.copytree(ROOT / "pathways" / "areas", copy / "areas")
    path = copy / "model" / "route_reader.yml"
    text = path.read_text(encoding="utf-8").replace("regularisation_c:", "regularisation_c: -1\nold_c:", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelError) as error:
        load_model(copy)
    message = str(error.value)
    assert "route_reader.yml:" in message and "regularisation_c" in message


def test_without_a_reader_file_triage_runs_on_patterns_and_exemplars(tmp_path, matcher):
    copy = tmp_path / "pathways"
    shutil.copytree(ROOT / "pathways" / "model", copy / "model")
    shutil.copytree(ROOT / "pathways" / "areas", copy / "areas")
    (copy / "model" / "route_reader.yml").unlink()
    model = load_model(copy)
    assert model.route_reader is None
    assert triage_text(model, DESCRIPTIONS[0], None, matcher).route in ("mash", "emergency")


@pytest.mark.slow
def test_the_fitted_reader_reads_what_the_served_triage_computes(model):
    from knowledge.embedding import SentenceTransformerEmbedder

    matcher = SemanticMatcher(SentenceTransformerEmbedder(load_settings().model.name), model.exemplars)
    vector = reader_vector(model, matcher, DESCRIPTIONS[4], model.route_reader.features)
    assert len(vector) == model.route_reader.dimension, "refit the reader: make fit-route-reader"
    assert sum(model.route_reader.probabilities(vector).values()) == pytest.approx(1.0)


@pytest.mark.parametrize("wrong", [["text", "clause_median"], ["text", "text"]])
def test_a_reader_file_names_distinct_known_parts_it_reads(tmp_path, wrong):
    copy = tmp_path / "pathways"
    shutil.copytree(ROOT / "pathways" / "model", copy / "model")
    shutil.copytree(ROOT / "pathways" / "areas", copy / "areas")
    path = copy / "model" / "route_reader.yml"
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("features:"))
    path.write_text(text.replace("regularisation_c:", f"features: {wrong}\nregularisation_c:", 1), encoding="utf-8")
    with pytest.raises(ModelError) as error:
        load_model(copy)
    assert "route_reader.yml:" in str(error.value) and "features" in str(error.value)
