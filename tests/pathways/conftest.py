from pathlib import Path

import pytest

from pathways.loader import load_model
from pathways.model import ThresholdModel

PATHWAYS_DIR = Path(__file__).resolve().parents[2] / "pathways"
CLEAR = {"immediate_danger": "no", "harm_screen": "none"}


@pytest.fixture(scope="session")
def model() -> ThresholdModel:
    return load_model(PATHWAYS_DIR)
