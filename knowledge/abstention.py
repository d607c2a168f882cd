"""Abstention: a small logistic model over evidence features decides whether the top item answers the question.

The coefficients are data (`knowledge/abstention_model.yml`), fitted by `python -m bench.fit_abstention` on the
dev and training question sets (never the blind set), with the threshold chosen by cross-validation. A search
that matches a safety pattern (a disclosure, immediate danger) is never abstained on, whatever the model says.
"""

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from knowledge.yaml_source import read_yaml


@dataclass(frozen=True)
class AbstentionFeatures:
    """Evidence about the top item for one query (place names taken out of the query first).

    cosine: best chunk cosine of the top item; coverage: IDF-weighted share of the query's words in it;
    topic_cosine: best out-of-scope topic cosine (0 without topics); topic_margin: topic_cosine - cosine;
    lexical_strength: the top item's BM25 score over the query's total IDF; agreement: 1 when the dense and
    lexical rankings put the same item first; dense_margin: cosine gap between the two best items;
    known_terms: IDF-weighted share of the query's words that the guidance uses anywhere; mentions_child: 1
    when the query names a child or young person (`abstention.child_patterns`), since a question about adults
    only is rarely one the children's guidance answers; query_length: log(1 + the number of distinct content
    words), because a long question that describes a case matches any one passage less closely than a short
    one does, so the same cosine is stronger evidence for it; scope: the scope classifier's log-odds that the
    question (place names out) is one the children's safeguarding guidance covers at all — a logistic regression
    over its sentence embedding, fitted on in-scope and out-of-scope questions of many writers
    (`AbstentionModel.scope_weights`; 0 when the model has none). Nearest-topic similarity only knows the
    out-of-scope topics listed; the classifier generalises to near-misses no topic names (ADR 0008, 2026-12-05).
    """

    cosine: float
    coverage: float
    topic_cosine: float
    topic_margin: float
    lexical_strength: float
    agreement: float
    dense_margin: float
    known_terms: float
    mentions_child: float = 0.0
    query_length: float = 0.0
    scope: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """Feature name to value."""
        return asdict(self)


FEATURE_NAMES = tuple(AbstentionFeatures.__dataclass_fields__)


class AbstentionModel(BaseModel):
    """Standardised logistic regression: P(in scope) = sigmoid(intercept + sum coef * (x - mean) / scale)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    features: list[str]
    mean: list[float]
    scale: list[float]
    coefficients: list[float]
    intercept: float
    # Answer when P(in scope) >= threshold.
    threshold: float = Field(ge=0, le=1)
    trained_on: list[str] = []
    notes: str = ""
    # The scope classifier (the `scope` feature): log-odds = scope_bias + scope_weights . embedding.
    scope_weights: list[float] = []
    scope_bias: float = 0.0

    @model_validator(mode="after")
    def _consistent(self) -> "AbstentionModel":
        size = len(self.features)
        if not (len(self.mean) == len(self.scale) == len(self.coefficients) == size):
            raise ValueError("features, mean, scale and coefficients must have the same length")
        unknown = set(self.features) - set(FEATURE_NAMES)
        if unknown:
            raise ValueError(f"unknown features: {', '.join(sorted(unknown))}")
        if any(value <= 0 for value in self.scale):
            raise ValueError("every scale must be positive")
        if "scope" in self.features and not self.scope_weights:
            raise ValueError("the scope feature needs scope_weights")
        return self

    def scope_logit(self, vector: Sequence[float] | None) -> float:
        """The scope classifier's log-odds for a normalised query embedding (0 without weights or a vector)."""
        if vector is None or not self.scope_weights:
            return 0.0
        if len(vector) != len(self.scope_weights):
            raise ValueError(f"scope_weights expect {len(self.scope_weights)} dimensions, the embedding has "
                             f"{len(vector)}; refit the abstention model")
        return self.scope_bias + math.fsum(w * float(v) for w, v in zip(self.scope_weights, vector, strict=True))

    def probability(self, features: AbstentionFeatures) -> float:
        """P(the question is in scope and the top item answers it)."""
        values = features.as_dict()
        z = self.intercept + sum(coef * (values[name] - mean) / scale for name, mean, scale, coef
                                 in zip(self.features, self.mean, self.scale, self.coefficients, strict=True))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    def abstains(self, features: AbstentionFeatures) -> bool:
        """True when the model says the guidance does not answer the question."""
        return self.probability(features) < self.threshold


def load_abstention_model(path: Path) -> AbstentionModel | None:
    """Read the model file; None when there is no file (the rule in settings is used instead)."""
    if not path.is_file():
        return None
    return AbstentionModel.model_validate(read_yaml(path.read_text(encoding="utf-8")).data)


@dataclass(frozen=True)
class PatternSet:
    """Case-insensitive regular expressions (from settings); `matches` is True when any occurs in a text."""

    patterns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", [re.compile(p, re.IGNORECASE) for p in self.patterns])

    def matches(self, text: str) -> bool:
        """True when any pattern occurs in the text."""
        return any(pattern.search(text) for pattern in self._compiled)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SafetyOverride(PatternSet):
    """Questions that must never end in "no guidance": disclosures and immediate danger (patterns in settings)."""
