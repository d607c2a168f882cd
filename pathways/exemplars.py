"""Types of the semantic-recall data (`pathways/model/triage_exemplars.yml`): cues with exemplar statements.

Data only; the matching is in `pathways.semantic`. Validated from YAML like the rest of the model.
"""

from pydantic import Field, model_validator
from pydantic.dataclasses import dataclass

from pathways.errors import ModelProblem
from pathways.model import YAML_TYPE, NonEmpty, ThresholdModel
from pathways.yaml_source import YamlDocument

Similarity = Field(ge=0.0, le=1.0)


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class SemanticCue:
    """A red flag (or level-4 indicator) described by example statements, and the answers it implies."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    reason: str = NonEmpty
    possible: dict[str, str] = Field(min_length=1)
    detected: dict[str, str] = Field(min_length=1)
    concerns: tuple[str, ...] = ()
    exemplars: tuple[str, ...] = Field(min_length=3)


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class TriageExemplars:
    """Every cue, the lower_need statements they are contrasted with, and the calibrated thresholds."""

    possible_at: float = Similarity
    detected_at: float = Similarity
    margin: float = Field(ge=0.0, le=1.0)
    detected_margin: float = Field(ge=0.0, le=1.0)
    top_k: int = Field(ge=1, le=10)
    cues: tuple[SemanticCue, ...] = Field(min_length=1)
    lower_need: tuple[str, ...] = Field(min_length=1)
    # Words that make a clause a rule-out ("has never hit him"); such clauses give only weak, "negated" hits.
    negation_cues: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _detected_is_stricter(self) -> "TriageExemplars":
        if self.detected_at < self.possible_at or self.detected_margin < self.margin:
            raise ValueError("detected_at and detected_margin must be at least possible_at and margin")
        return self


def check_exemplars(model: ThresholdModel, doc: YamlDocument) -> list[ModelProblem]:
    """Every cue answer names a known question and value, and is a worrying one.

    Worrying means the option fires, or makes possible, a gate or a level-4 indicator: that is what
    guarantees the semantic layer can only raise a route.
    """
    problems: list[ModelProblem] = []
    for i, cue in enumerate(model.exemplars.cues):
        for kind, answers in (("possible", cue.possible), ("detected", cue.detected)):
            for qid, value in answers.items():
                question = model.question(qid)
                option = question.option(value) if question is not None else None
                if option is None:
                    problems.append(doc.problem(("cues", i, kind, qid), f'unknown question or value "{qid}: {value}"'))
                elif not any(r in model.gates or (r in model.indicators and model.indicators[r].level == 4)
                             for r in (*option.fires, *option.possible)):
                    problems.append(doc.problem((
                        "cues", i, kind, qid), f'"{qid}: {value}" raises no red flag or level-4 indicator'))
        for k, concern in enumerate(cue.concerns):
            if concern not in model.concerns:
                problems.append(doc.problem(("cues", i, "concerns", k), f'unknown concern "{concern}"'))
    return problems
