"""Check the engine's input (area, age, answers) and normalise it; errors name the field."""

from dataclasses import dataclass

from pathways.errors import AssessmentError, ContradictoryAnswers
from pathways.model import ThresholdModel


@dataclass(frozen=True)
class CaseInput:
    """Validated input: area and age resolved, answers lower-cased and known to the model."""

    area: str | None
    age: int | None
    answers: dict[str, str]


def check_case(model: ThresholdModel, area: str | None, age: int | None, answers: dict[str, str]) -> CaseInput:
    """Validate and normalise one case.

    Args:
        model: the threshold model.
        area: area id or None when unknown; may also be given as the answer to `area`.
        age: age in whole years (0 for a baby or unborn) or None; may also be the answer to `age`.
        answers: question id → answer value.

    Returns:
        The normalised input.

    Raises:
        AssessmentError: naming the field (`area`, `age`, `answers.<id>`) and the problem.
    """
    if not isinstance(answers, dict):
        raise AssessmentError("answers", "must be an object of question id to answer")
    clean: dict[str, str] = {}
    for qid, raw in answers.items():
        field = f"answers.{qid}"
        question = model.question(qid) if isinstance(qid, str) else None
        if question is None:
            raise AssessmentError(field, "unknown question id")
        if question.kind == "number":
            clean[qid] = str(_check_age(raw, field, question.minimum or 0, question.maximum or 17))
            continue
        if not isinstance(raw, str):
            raise AssessmentError(field, f"must be text, one of {[o.value for o in question.options]}")
        value = raw.strip().lower().replace(" ", "_").replace("-", "_")
        if question.option(value) is None:
            raise AssessmentError(field, f'"{raw}" is not one of {[o.value for o in question.options]}')
        clean[qid] = value
    resolved_area = _resolve_area(model, area, clean.get("area"))
    resolved_age = None if age is None else _check_age(age, "age", 0, 17)
    if "age" in clean:
        answered_age = int(clean["age"])
        if resolved_age is not None and answered_age != resolved_age:
            raise ContradictoryAnswers("answers.age", f"says {answered_age} but age says {resolved_age}")
        resolved_age = answered_age
    return CaseInput(resolved_area, resolved_age, clean)


def _resolve_area(model: ThresholdModel, area: str | None, answered: str | None) -> str | None:
    if area is not None:
        if not isinstance(area, str):
            raise AssessmentError("area", "must be text")
        area = area.strip().lower().replace(" ", "_")
        if area not in model.areas:
            raise AssessmentError("area", f"unknown area; use one of {sorted(model.areas)}")
    if area and answered and area != answered:
        raise ContradictoryAnswers("answers.area", f'says "{answered}" but area says "{area}"')
    return area or answered


def _check_age(raw: object, field: str, minimum: int, maximum: int) -> int:
    if isinstance(raw, bool):
        raise AssessmentError(field, "must be a whole number of years")
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if not isinstance(raw, int):
        raise AssessmentError(field, "must be a whole number of years")
    if not minimum <= raw <= maximum:
        raise AssessmentError(field, f"must be between {minimum} and {maximum} (got {raw})")
    return raw
