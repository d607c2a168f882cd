"""The words on Teams cards, loaded from ``card_labels.yml`` (content is data, not code)."""

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

LABELS_FILE = Path(__file__).with_name("card_labels.yml")
ROUTES = ("emergency", "mash", "early_help", "universal", "unclear")


class Headings(BaseModel):
    """Section headings of the recommendation and guidance cards."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    recommendation: str
    reasons: str
    next_steps: str
    contacts: str
    guidance: str
    emergency: str


class Phrases(BaseModel):
    """Short phrases around a guidance source and its review dates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    reviewed: str
    review_by: str
    unverified: str
    open_source: str


class CardLabels(BaseModel):
    """Every label a Teams card uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    route_names: dict[str, str]
    headings: Headings
    phrases: Phrases

    def route_name(self, route: str) -> str:
        """The plain-English name of ``route`` (the unclear wording for an unknown route)."""
        return self.route_names.get(route, self.route_names["unclear"])


@lru_cache
def load_card_labels(path: Path = LABELS_FILE) -> CardLabels:
    """Load and validate the labels; every route of the shared vocabulary must be named."""
    labels = CardLabels.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    missing = [route for route in ROUTES if route not in labels.route_names]
    if missing:
        raise ValueError(f"{path}: route_names: missing {', '.join(missing)}")
    return labels
