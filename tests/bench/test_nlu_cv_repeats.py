"""Seeded cross-validation folds (bench/nlu_cv_repeats.py) are Rasa's own folds with a fixed shuffle.

Runs in the Rasa environment (.venv-rasa), since Rasa is not installed in .venv; skipped when it is missing.
"""

import pytest

from tests.nlu.rasa_script import needs_rasa, run_in_rasa

pytestmark = needs_rasa

SCRIPT = """
import json
import sklearn.model_selection as model_selection
from sklearn.model_selection import StratifiedKFold
from rasa.nlu.test import generate_folds
from bench.nlu_cv_repeats import load_as_cli, seeded_folds

data, config = load_as_cli("bot/nlu", "config.yml", "domain.yml")


def folds(seed):
    with seeded_folds(seed):
        return [sorted(example.get("text") for example in test.intent_examples)
                for _, test in generate_folds(3, data)]


examples = data.intent_examples
labels = [example.get_full_intent() for example in examples]
direct = [sorted(examples[i].get("text") for i in test)
          for _, test in StratifiedKFold(n_splits=3, shuffle=True, random_state=4).split(examples, labels)]
first = folds(4)
result = {
    "repeatable": first == folds(4),
    "seeds_differ": first != folds(5),
    "same_as_sklearn_seeded": first == direct,
    "restored": model_selection.StratifiedKFold is StratifiedKFold,
    "covers_every_example_once": sorted(text for fold in first for text in fold)
                                 == sorted(example.get("text") for example in examples),
    "pipeline_named": [component["name"] for component in config["pipeline"]][:1],
}
print("RESULT" + json.dumps(result))
"""


@pytest.fixture(scope="module")
def outcome() -> dict:
    return run_in_rasa(SCRIPT)


def test_the_same_seed_gives_the_same_folds_and_another_seed_other_folds(outcome: dict) -> None:
    assert outcome["repeatable"] and outcome["seeds_differ"]


def test_the_folds_are_rasas_stratified_shuffle_with_the_seed_and_cover_every_example_once(outcome: dict) -> None:
    assert outcome["same_as_sklearn_seeded"] and outcome["covers_every_example_once"]


def test_rasa_is_left_unseeded_afterwards(outcome: dict) -> None:
    assert outcome["restored"]


def test_data_and_config_load_as_the_cli_loads_them(outcome: dict) -> None:
    assert outcome["pipeline_named"] == ["WhitespaceTokenizer"]
