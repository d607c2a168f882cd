"""Abstention model, its fitting, and the safety override that never abstains on disclosures or danger."""

import argparse
from pathlib import Path

import numpy as np
import pytest
import yaml
from pydantic import ValidationError

from bench.fit_abstention import (
    DEFAULT_SETS,
    choose_threshold,
    fit_logistic,
    held_out_rates,
    leave_one_set_out,
    with_scope,
)
from bench.fit_abstention import main as fit_abstention_main
from bench.held_out import is_held_out
from knowledge.abstention import (
    FEATURE_NAMES,
    AbstentionFeatures,
    AbstentionModel,
    PatternSet,
    SafetyOverride,
    load_abstention_model,
)
from knowledge.settings import load_settings
from tests.knowledge.support import make_service, settings_for_tests

SAFETY_QUESTIONS = [
    "a girl in year 8 told me her uncle touches her what do i do now",
    "a child has disclosed abuse to me",
    "kid says hes scared to go home tonight",
    "dad is threatening to kill the kids",
    "the baby is in immediate danger",
    "should I ring 999",
    "17 yr old being made to marry her cousin",
    "teenager talking about suicide",
    "boy says his stepdad hits him",
    "pupil brought a knife into school and says he needs it for protection",
    "year 10 girl has been self-harming and showed me the cuts",
    "toddler left alone in the flat, mum not answering, is that a 999 call",
]
ORDINARY_QUESTIONS = ["how do I reset my password", "signs of neglect", "when is the bin collection",
                      "what is a CERAF"]


NAMES_A_CHILD = ["worried about a 7 yr old", "teenager not coming home", "baby with a bruise",
                 "pupil in year 9", "my stepdaughter", "young person in care", "kids left alone",
                 "picking up yr 10s after school", "bruise on a 6 wk old"]
ADULTS_ONLY = ["80 year old couple, husband hitting wife", "19 yr old with a learning disability",
               "staff member off sick", "how do I reset my password", "my neighbour's dog", "budget for year 2027"]


@pytest.mark.parametrize("question", NAMES_A_CHILD)
def test_the_child_patterns_see_a_child_or_young_person(question: str) -> None:
    assert PatternSet(tuple(load_settings().abstention.child_patterns)).matches(question)


@pytest.mark.parametrize("question", ADULTS_ONLY)
def test_the_child_patterns_ignore_questions_about_adults_only(question: str) -> None:
    assert not PatternSet(tuple(load_settings().abstention.child_patterns)).matches(question)


def features(**values: float) -> AbstentionFeatures:
    return AbstentionFeatures(**({name: 0.0 for name in FEATURE_NAMES} | values))


def a_model(**overrides) -> AbstentionModel:
    base = {"features": ["cosine", "topic_margin"], "mean": [0.4, 0.0], "scale": [0.1, 0.1],
            "coefficients": [2.0, -1.0], "intercept": 0.0, "threshold": 0.5}
    return AbstentionModel.model_validate(base | overrides)


@pytest.mark.parametrize("question", SAFETY_QUESTIONS)
def test_the_configured_safety_patterns_cover_disclosures_and_danger(question: str) -> None:
    assert SafetyOverride(tuple(load_settings().abstention.never_abstain_patterns)).matches(question)


@pytest.mark.parametrize("question", ORDINARY_QUESTIONS)
def test_the_safety_patterns_leave_ordinary_questions_to_the_model(question: str) -> None:
    assert not SafetyOverride(tuple(load_settings().abstention.never_abstain_patterns)).matches(question)


def test_a_safety_question_is_answered_even_when_every_threshold_says_abstain(tmp_path: Path) -> None:
    patterns = load_settings().abstention.never_abstain_patterns
    refuse_all = settings_for_tests(dense_accept=1.01, dense_floor=1.01, min_coverage=1.0,
                                    never_abstain_patterns=patterns)
    service = make_service(tmp_path, settings=refuse_all)
    assert service.search("contact the MASH by telephone").abstained
    for question in SAFETY_QUESTIONS:
        response = service.search(question)
        assert not response.abstained and response.results, question


def test_a_safety_question_is_answered_even_when_the_model_abstains_on_everything(tmp_path: Path) -> None:
    always_abstain = {"features": ["cosine"], "mean": [0.0], "scale": [1.0], "coefficients": [0.0],
                      "intercept": -50.0, "threshold": 0.5}
    model_file = tmp_path / "model.yml"
    model_file.write_text(yaml.safe_dump(always_abstain), encoding="utf-8")
    settings = settings_for_tests(model_file=model_file)
    service = make_service(tmp_path, settings=settings,
                           out_of_scope_dir=settings.resolve(Path("knowledge/out_of_scope")))
    assert service.search("contact the MASH by telephone").abstained
    for question in SAFETY_QUESTIONS:
        response = service.search(question)
        assert not response.abstained and response.results, question


def test_the_model_answers_strong_evidence_and_abstains_on_weak() -> None:
    model = a_model()
    assert not model.abstains(features(cosine=0.7, topic_margin=-0.2))
    assert model.abstains(features(cosine=0.2, topic_margin=0.2))
    assert model.probability(features(cosine=0.6)) > model.probability(features(cosine=0.5))


@pytest.mark.parametrize(("overrides", "message"), [
    ({"mean": [0.4]}, "same length"), ({"features": ["cosine", "shoe_size"]}, "unknown features"),
    ({"scale": [0.1, 0.0]}, "positive"), ({"threshold": 1.5}, "less than or equal"),
])
def test_a_malformed_model_is_rejected(overrides: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        a_model(**overrides)


def test_no_model_file_means_the_rule_decides(tmp_path: Path) -> None:
    assert load_abstention_model(tmp_path / "missing.yml") is None


def test_the_shipped_model_is_valid_and_uses_known_features() -> None:
    settings = load_settings()
    model = load_abstention_model(settings.resolve(settings.abstention.model_file))
    assert model is not None and set(model.features) <= set(FEATURE_NAMES)
    assert not any("blind" in name for name in model.trained_on)


def test_logistic_fit_separates_two_clouds_and_the_threshold_keeps_the_budget() -> None:
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(1.0, 0.5, (200, 2)), rng.normal(-1.0, 0.5, (200, 2))])
    y = np.array([1.0] * 200 + [0.0] * 200)
    coef, intercept = fit_logistic(x, y, l2=1.0)
    probabilities = 1 / (1 + np.exp(-(x @ coef + intercept)))
    assert ((probabilities >= 0.5) == (y == 1)).mean() > 0.95
    threshold, abstained, wrong = choose_threshold(probabilities, y, max_wrong=0.02)
    assert wrong <= 0.02 and abstained > 0.9
    assert (probabilities[y == 1] < threshold).mean() <= 0.02


def test_the_fit_refuses_held_out_sets_and_always_has_one_to_refuse() -> None:
    sets = sorted(Path("knowledge/eval").glob("questions_*.yml"))
    assert any(is_held_out(path) for path in sets), "there should always be a blind question set nobody tuned on"
    assert not any(is_held_out(Path(path)) for path in DEFAULT_SETS)
    assert fit_abstention_main(["--questions", "knowledge/eval/questions_blind.yml"]) == 1
    assert fit_abstention_main(["--leave-one-set-out", "--check", "knowledge/eval/questions_blind.yml"]) == 1


def two_clouds(rows_per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.vstack([rng.normal(1.0, 0.5, (rows_per_class, 2)), rng.normal(-1.0, 0.5, (rows_per_class, 2))])
    return x, np.array([1.0] * rows_per_class + [0.0] * rows_per_class)


def fit_options(**overrides: float) -> argparse.Namespace:
    return argparse.Namespace(**({"repeats": 3, "folds": 5, "l2": 1.0, "max_wrong": 0.02, "scope_l2": 1.0}
                                 | overrides))


def test_a_set_left_out_is_scored_by_a_model_that_never_saw_it() -> None:
    x, y = two_clouds(150, seed=1)
    train = np.arange(len(y)) % 3 != 0
    oos, wrong, threshold = held_out_rates(x, y, train, ~train, fit_options())
    assert oos > 0.9 and wrong <= 0.05 and 0 < threshold < 1
    # Shift the left-out set's in-scope questions towards the out-of-scope cloud: its wrong abstention shows it.
    shifted = x.copy()
    shifted[~train & (y == 1)] -= 1.5
    assert held_out_rates(shifted, y, train, ~train, fit_options())[1] > wrong + 0.2


def test_leave_one_set_out_reports_every_evaluation_set_but_the_training_one(capsys: pytest.CaptureFixture) -> None:
    x, y = two_clouds(100, seed=2)
    groups = np.array(["questions_train.yml", "questions_dev.yml", "questions_fresh.yml", "questions_fresh2.yml"]
                      * (len(y) // 4))
    vectors = np.column_stack([x, np.ones(len(y))])
    leave_one_set_out(x, y, groups, {"questions_fresh.yml"}, fit_options(), ("cosine", "coverage"), vectors)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["questions_dev.yml", "questions_fresh.yml", "questions_fresh2.yml"]
    assert "check" in lines[1] and "left out" in lines[0]


def test_query_length_counts_distinct_content_words_and_not_place_names(tmp_path: Path) -> None:
    searcher = make_service(tmp_path)._searcher
    short = searcher.features("neglect signs")
    assert short is not None and short.query_length == pytest.approx(np.log1p(2))
    repeated = searcher.features("neglect neglect signs in Southampton, the signs")
    assert repeated is not None and repeated.query_length == pytest.approx(short.query_length)
    long = searcher.features("toddler always hungry, dirty clothes, missed health visits and the flat smells")
    assert long is not None and long.query_length > short.query_length


def test_the_scope_feature_is_filled_without_leakage() -> None:
    """Each training row's scope value comes from a classifier that did not see it; other rows from one fitted on
    every training row. A label-copying vector column would give perfect in-sample scores; out of fold it cannot
    help the rows it was not fitted on more than the held-out classifier does."""
    x, y = two_clouds(60, seed=3)
    rng = np.random.default_rng(4)
    vectors = np.column_stack([rng.normal(size=(len(y), 8)), np.where(y == 1, 1.0, -1.0) + rng.normal(0, 2, len(y))])
    names = ("cosine", "scope")
    rows = np.column_stack([x[:, 0], np.zeros(len(y))])
    train = np.arange(len(y)) % 3 != 0
    filled, coef, intercept = with_scope(rows, names, vectors, y, train, l2=1.0)
    assert np.array_equal(filled[:, 0], rows[:, 0])
    assert np.allclose(filled[~train, 1], vectors[~train] @ coef + intercept)
    assert not np.allclose(filled[train, 1], vectors[train] @ coef + intercept)
    same, _, _ = with_scope(rows[:, :1], ("cosine",), vectors, y, train, l2=1.0)
    assert np.array_equal(same, rows[:, :1])


def test_the_scope_classifier_reads_the_embedding_and_needs_its_weights() -> None:
    model = AbstentionModel(features=["cosine", "scope"], mean=[0.0, 0.0], scale=[1.0, 1.0],
                            coefficients=[1.0, 1.0], intercept=0.0, threshold=0.5,
                            scope_weights=[2.0, -1.0], scope_bias=0.5)
    assert model.scope_logit([1.0, 1.0]) == pytest.approx(1.5)
    assert model.scope_logit(None) == 0.0
    with pytest.raises(ValueError, match="dimensions"):
        model.scope_logit([1.0, 0.0, 0.0])
    with pytest.raises(ValidationError, match="scope_weights"):
        AbstentionModel(features=["scope"], mean=[0.0], scale=[1.0], coefficients=[1.0], intercept=0.0,
                        threshold=0.5)


def test_a_model_fitted_for_another_embedding_size_is_left_out_and_the_rule_decides(tmp_path: Path,
                                                                                   caplog: pytest.LogCaptureFixture
                                                                                   ) -> None:
    wrong_size = {"features": ["cosine", "scope"], "mean": [0.0, 0.0], "scale": [1.0, 1.0],
                  "coefficients": [0.0, 0.0], "intercept": -50.0, "threshold": 0.5,
                  "scope_weights": [0.1] * 7, "scope_bias": 0.0}
    model_file = tmp_path / "model.yml"
    model_file.write_text(yaml.safe_dump(wrong_size), encoding="utf-8")
    service = make_service(tmp_path, settings=settings_for_tests(model_file=model_file))
    assert service._searcher.model is None
    assert "abstention model left out" in caplog.text
    response = service.search("signs of neglect in a toddler")
    assert not response.abstained and response.results
