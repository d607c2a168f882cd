"""Route reader: a learned reading of the whole description, for what the phrase patterns cannot read.

    features = reader_features(text_vector, clause_vectors, reader.features)
    probabilities = reader.probabilities(features)  # {"emergency": 0.81, ...}
    added = reader_answers(reader, probabilities, answers, route_so_far)

Phrase patterns and exemplar clauses find red flags; they cannot read whether the whole message says the
harm is happening now, or that the practitioner has in effect ruled the red flags out ("she's thriving,
dad's brilliant, just wanted ideas for the holidays"). The reader is a multinomial logistic regression
over the description's sentence embedding and the mean and element-wise maximum of its clauses' embeddings
(all-MiniLM-L6-v2; the file names the parts it was fitted on),
fitted by `bench/fit_route_reader.py` on labelled practitioner descriptions and stored as data in
`pathways/model/route_reader.yml` with the thresholds the fit chose (ADR 0011).
It only gives answers, never a route: the engine still decides.

What it may do, and nothing else:
- raise: "happening now" at `emergency_yes` gives immediate danger "yes", at `emergency_unsure` "not sure"
  (which is then put to the practitioner first); a likely statutory concern at `statutory_possible` gives
  the red-flag screen "not sure" (a MASH contact, and the question asked). Raised answers go through
  "keep the most worrying", so they can never lower what the patterns found.
- rule out: only when patterns and exemplars found no red flag and no possible one (the route is still
  `unclear`), the reader's statutory probability is below `rule_out_max_statutory` and its lower-need
  probability at least `rule_out_at`, it fills the unanswered red-flag questions with "no" and
  additional needs with its reading, for the provisional route; `pathways.triage` still puts those red-flag
  questions to the practitioner first, and the reason says so. When the practitioner's own words rule at
  least one red flag out ("no marks on him", "nothing has been disclosed", "no safeguarding concerns"), the
  statutory limit is `said_rule_out_max_statutory` instead, if that is higher: the text itself says what the
  sentence model can only guess.
- ask rather than assume a "possible": when the only red flags come from exemplar clauses that were merely
  close ("possible", never a phrase pattern and never a "detected" clause) and the reader's statutory
  probability is below `possible_outweighed_below`, `pathways.triage` sets those answers aside, reads the
  description without them (so the rule above may apply) and asks the red-flag questions first
  (`outweighs_possible_red_flags`). "Biting other children" is close to an assault; the whole message says
  it is a two-year-old at nursery.
  When every such hit came from a clause that itself holds a negation ("he told me his dad has never hit
  him"), the sentence model reads the hurt and not the "never", so the evidence is weaker still: those are
  set aside below `negated_possible_outweighed_below` (at most `statutory_possible`; by default the same as
  `possible_outweighed_below`).
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
from pydantic import Field, model_validator
from pydantic.dataclasses import dataclass as yaml_dataclass

from pathways.model import YAML_TYPE, Route

Probability = Field(ge=0.0, le=1.0)
FeaturePart = Literal["text", "clause_mean", "clause_max"]
# What a file without a `features` entry was fitted on (the first readers, 2026-11-22).
FIRST_FEATURES: tuple[FeaturePart, ...] = ("text", "clause_mean")
READER_ROUTES: tuple[Route, ...] = ("emergency", "mash", "early_help", "universal", "unclear")
STATUTORY: tuple[Route, ...] = ("emergency", "mash")
LOWER_NEED: tuple[Route, ...] = ("early_help", "universal")


@yaml_dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class ReaderThresholds:
    """When the reader's probabilities become answers (chosen by the fit on out-of-fold predictions)."""

    emergency_yes: float = Probability
    emergency_unsure: float = Probability
    statutory_possible: float = Probability
    rule_out_at: float = Probability
    rule_out_max_statutory: float = Probability
    # Below this statutory probability, red flags that only the exemplars' "possible" hits raised are put to the
    # practitioner as questions instead of setting the route (0 = never).
    possible_outweighed_below: float = Field(default=0.0, ge=0.0, le=1.0)
    # The same, when every such hit came from a clause holding a negation (None = possible_outweighed_below).
    negated_possible_outweighed_below: float | None = Field(default=None, ge=0.0, le=1.0)
    # Rule out below this statutory probability (instead of rule_out_max_statutory, if higher) when the
    # practitioner's own words rule at least one red flag out ("no marks", "nothing has been disclosed").
    said_rule_out_max_statutory: float | None = Field(default=None, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _yes_is_stricter(self) -> "ReaderThresholds":
        if self.emergency_yes < self.emergency_unsure:
            raise ValueError("emergency_yes must be at least emergency_unsure")
        if self.rule_out_max_statutory > self.statutory_possible:
            raise ValueError("rule_out_max_statutory must not exceed statutory_possible")
        if self.possible_outweighed_below > self.statutory_possible:
            raise ValueError("possible_outweighed_below must not exceed statutory_possible")
        if (self.negated_possible_outweighed_below or 0.0) > self.statutory_possible:
            raise ValueError("negated_possible_outweighed_below must not exceed statutory_possible")
        if (self.said_rule_out_max_statutory or 0.0) > self.statutory_possible:
            raise ValueError("said_rule_out_max_statutory must not exceed statutory_possible")
        return self

    def rule_out_below(self, said_in_text: bool) -> float:
        """The statutory probability under which the reader may rule the red flags out."""
        if said_in_text and self.said_rule_out_max_statutory is not None:
            return max(self.rule_out_max_statutory, self.said_rule_out_max_statutory)
        return self.rule_out_max_statutory


@yaml_dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class RouteReaderFile:
    """`pathways/model/route_reader.yml`: the fitted weights, what they were fitted on, the thresholds."""

    encoder: str
    dimension: int = Field(ge=1)
    fitted: date
    trained_on: tuple[str, ...] = Field(min_length=1)
    examples: int = Field(ge=1)
    features: tuple[FeaturePart, ...] = Field(default=FIRST_FEATURES, min_length=1)
    regularisation_c: float = Field(gt=0)
    cross_validation: dict[str, float] = Field(default_factory=dict)
    thresholds: ReaderThresholds
    classes: tuple[Route, ...]
    intercept: tuple[float, ...]
    coefficients: tuple[tuple[float, ...], ...]

    @model_validator(mode="after")
    def _shapes_agree(self) -> "RouteReaderFile":
        if sorted(self.classes) != sorted(READER_ROUTES):
            raise ValueError(f"classes must be exactly {list(READER_ROUTES)}")
        if len(self.intercept) != len(self.classes) or len(self.coefficients) != len(self.classes):
            raise ValueError("intercept and coefficients need one entry per class")
        if any(len(row) != self.dimension for row in self.coefficients):
            raise ValueError(f"every coefficients row needs {self.dimension} numbers (the dimension)")
        if len(set(self.features)) != len(self.features) or self.dimension % len(self.features):
            raise ValueError("features must be distinct parts, each giving dimension / len(features) numbers")
        return self


class RouteReader:
    """The fitted reader as arrays: `probabilities(vector)` for one description's `reader_features`."""

    def __init__(self, fitted: RouteReaderFile) -> None:
        self.fitted = fitted
        self.thresholds = fitted.thresholds
        self._weights = np.asarray(fitted.coefficients, dtype=np.float64)
        self._bias = np.asarray(fitted.intercept, dtype=np.float64)

    @property
    def dimension(self) -> int:
        """The number of features the weights expect."""
        return self.fitted.dimension

    @property
    def features(self) -> tuple[FeaturePart, ...]:
        """Which parts of the description's embedding the weights read, in order."""
        return self.fitted.features

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        """Softmax over the routes for one embedding (raises ValueError on a wrong dimension)."""
        vector = np.asarray(vector, dtype=np.float64).reshape(-1)
        if vector.shape[0] != self.dimension:
            raise ValueError(f"the reader expects {self.dimension}-dimensional embeddings, got {vector.shape[0]}")
        logits = self._weights @ vector + self._bias
        exp = np.exp(logits - logits.max())
        return {route: float(p) for route, p in zip(self.fitted.classes, exp / exp.sum(), strict=True)}


def reader_features(text_vector: np.ndarray, clause_vectors: np.ndarray,
                    features: Sequence[FeaturePart] = FIRST_FEATURES) -> np.ndarray:
    """What the reader reads: the named parts of the description's embedding, concatenated.

    `text` is the whole description's embedding (the message's overall sense); `clause_mean` the mean of its
    clauses' embeddings, which keeps short decisive clauses ("she's safe with nan now") from being drowned by
    a long story; `clause_max` their element-wise maximum, which keeps one worrying detail in an otherwise
    reassuring description from being averaged away. No clauses: the text's embedding stands in for them.
    """
    if len(clause_vectors):
        parts = {"text": text_vector, "clause_mean": clause_vectors.mean(axis=0),
                 "clause_max": clause_vectors.max(axis=0)}
    else:
        parts = {"text": text_vector, "clause_mean": text_vector, "clause_max": text_vector}
    return np.concatenate([parts[name] for name in features]).astype(np.float64)


@dataclass(frozen=True)
class ReaderReading:
    """What the reader adds: answers to raise (kept only if more worrying), answers to fill, and why.

    `reasons` has one sentence per raised question id, and one under "fill" for the filled answers.
    """

    raise_answers: dict[str, str]
    fill_answers: dict[str, str]
    reasons: dict[str, str]


def read_answers(reader: RouteReader, probabilities: Mapping[str, float], route_so_far: Route,
                 answered: Sequence[str], ruled_out_in_text: Sequence[str] = ()) -> ReaderReading:
    """Turn the reader's probabilities into answers, under the rules in this module's docstring.

    Args:
        reader: the fitted reader (for its thresholds).
        probabilities: the reader's probability per route for this description.
        route_so_far: the route from the patterns and exemplars alone.
        answered: the question ids the patterns and exemplars already answered.
        ruled_out_in_text: the practitioner's own phrases that rule a red flag out ("no marks on him").
    """
    limits = reader.thresholds
    p_emergency = probabilities["emergency"]
    p_statutory = sum(probabilities[r] for r in STATUTORY)
    p_lower = sum(probabilities[r] for r in LOWER_NEED)
    raised: dict[str, str] = {}
    reasons: dict[str, str] = {}
    if p_emergency >= limits.emergency_yes:
        raised["immediate_danger"] = "yes"
        reasons["immediate_danger"] = (f"Read as a child in danger now ({_percent(p_emergency)} like the "
                                       "emergencies the reader learned from): call 999 first if that is right.")
    elif p_emergency >= limits.emergency_unsure:
        raised["immediate_danger"] = "unsure"
        reasons["immediate_danger"] = (f"It may be happening now ({_percent(p_emergency)} like the emergencies "
                                       "the reader learned from), so I ask about immediate danger first.")
    if route_so_far not in STATUTORY and p_statutory >= limits.statutory_possible:
        raised["harm_screen"] = "unsure"
        reasons["harm_screen"] = (f"Read as a possible significant-harm concern ({_percent(p_statutory)} like the "
                                  "MASH and emergency descriptions the reader learned from), so the red-flag "
                                  "questions are asked.")
    filled: dict[str, str] = {}
    if (route_so_far == "unclear" and not raised and p_statutory < limits.rule_out_below(bool(ruled_out_in_text))
            and p_lower >= limits.rule_out_at):
        needs = "yes" if probabilities["early_help"] >= probabilities["universal"] else "no"
        filled = {qid: value for qid, value in (("immediate_danger", "no"), ("harm_screen", "none"),
                                                ("additional_needs", needs)) if qid not in answered}
        if filled:
            service = "early help" if needs == "yes" else "universal services"
            said = ""
            if ruled_out_in_text and p_statutory >= limits.rule_out_max_statutory:
                quoted = ", ".join(f'"{phrase}"' for phrase in ruled_out_in_text[:3])
                said = f" You ruled red flags out yourself ({quoted})."
            reasons["fill"] = (f"Nothing in the description reads like a red flag, and it reads like a concern for "
                               f"{service} ({_percent(p_lower)}).{said} Please confirm the red-flag questions "
                               "first: if any red flag applies, the route goes up.")
    return ReaderReading(raised, filled, reasons)


def outweighs_possible_red_flags(reader: RouteReader, probabilities: Mapping[str, float],
                                 from_negated_clauses: bool = False) -> bool:
    """True when the description reads so unlike a statutory concern that "possible" hits become questions.

    See the module docstring: only red flags raised by exemplar "possible" hits alone are set aside;
    `from_negated_clauses` when every one of those hits came from a clause holding a negation.
    """
    limits = reader.thresholds
    below = limits.possible_outweighed_below
    if from_negated_clauses and limits.negated_possible_outweighed_below is not None:
        below = max(below, limits.negated_possible_outweighed_below)
    return sum(probabilities[r] for r in STATUTORY) < below


def _percent(p: float) -> str:
    return f"{math.floor(p * 100)}%"
