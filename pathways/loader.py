"""Load and cross-check the threshold model from `pathways/model/*.yml` and `pathways/areas/*.yml`.

Run `python -m pathways.loader [pathways_dir]` to check the YAML: it prints every problem as
`file:line: field: problem` and exits 1, or prints a one-line summary and exits 0.
"""

import re
import sys
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic.dataclasses import dataclass

from pathways.errors import ModelError, ModelProblem
from pathways.exemplars import TriageExemplars, check_exemplars
from pathways.model import (
    YAML_TYPE,
    AreaContacts,
    Gate,
    Indicator,
    Level,
    LevelRule,
    NextSteps,
    Question,
    ThresholdModel,
    TriagePatterns,
)
from pathways.route_reader import RouteReader, RouteReaderFile
from pathways.yaml_source import YamlDocument, read_yaml, validate

AREA_IDS = ("southampton", "portsmouth", "hampshire", "isle_of_wight")
YES_NO_UNSURE = ("yes", "no", "unsure")
DEFAULT_LABELS = {"yes": "Yes", "no": "No", "unsure": "Not sure"}


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class LevelsFile:
    levels: tuple[Level, ...] = Field(min_length=4, max_length=4)


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class GatesFile:
    gates: tuple[Gate, ...] = Field(min_length=1)


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class IndicatorsFile:
    indicators: tuple[Indicator, ...] = Field(min_length=1)


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class LevelRulesFile:
    level_rules: tuple[LevelRule, ...] = Field(min_length=1)


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class QuestionsFile:
    questions: tuple[Question, ...] = Field(min_length=1)


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class VocabularyFile:
    concerns: dict[str, str]
    guidance_ids: tuple[str, ...] = Field(min_length=1)


MODEL_FILES: dict[str, type] = {
    "levels": LevelsFile,
    "gates": GatesFile,
    "indicators": IndicatorsFile,
    "level_rules": LevelRulesFile,
    "questions": QuestionsFile,
    "next_steps": NextSteps,
    "vocabulary": VocabularyFile,
    "triage_patterns": TriagePatterns,
    "triage_exemplars": TriageExemplars,
}
# Optional: without it, free-text triage runs on patterns and exemplars alone.
OPTIONAL_MODEL_FILES: dict[str, type] = {
    "route_reader": RouteReaderFile,
}


def load_model(pathways_dir: Path | str) -> ThresholdModel:
    """Load, validate and cross-check the threshold model.

    Args:
        pathways_dir: the `pathways/` folder holding `model/` and `areas/`.

    Returns:
        The frozen `ThresholdModel`.

    Raises:
        ModelError: with every problem found, each as file, line, field and problem.
    """
    root = Path(pathways_dir)
    problems: list[ModelProblem] = []
    parsed: dict[str, Any] = {}
    docs: dict[str, YamlDocument] = {}
    for name, schema in MODEL_FILES.items():
        doc, found = read_yaml(root / "model" / f"{name}.yml", root)
        problems += found
        if doc is not None:
            docs[name] = doc
            parsed[name], found = validate(doc, (), doc.data, schema)
            problems += found
    for name, schema in OPTIONAL_MODEL_FILES.items():
        path = root / "model" / f"{name}.yml"
        if not path.exists():
            continue
        doc, found = read_yaml(path, root)
        problems += found
        if doc is not None:
            parsed[name], found = validate(doc, (), doc.data, schema)
            problems += found
    areas: dict[str, AreaContacts] = {}
    for area_id in AREA_IDS:
        doc, found = read_yaml(root / "areas" / f"{area_id}.yml", root)
        problems += found
        if doc is None:
            continue
        area, found = validate(doc, (), doc.data, AreaContacts)
        problems += found
        if area is not None:
            if area.id != area_id:
                problems.append(doc.problem(("id",), f'must equal the file name "{area_id}" (got "{area.id}")'))
            areas[area_id] = area
    if problems or any(parsed.get(name) is None for name in MODEL_FILES):
        raise ModelError(problems)
    model = _assemble(parsed, areas)
    problems += _cross_check(model, docs)
    if problems:
        raise ModelError(problems)
    return model


def _assemble(parsed: dict[str, Any], areas: dict[str, AreaContacts]) -> ThresholdModel:
    questions = tuple(sorted((_with_default_labels(q) for q in parsed["questions"].questions), key=lambda q: q.order))
    return ThresholdModel(
        levels={level.id: level for level in parsed["levels"].levels},
        gates={gate.id: gate for gate in parsed["gates"].gates},
        indicators={ind.id: ind for ind in parsed["indicators"].indicators},
        level_rules={rule.id: rule for rule in parsed["level_rules"].level_rules},
        questions=questions,
        areas=areas,
        next_steps=parsed["next_steps"],
        concerns=dict(parsed["vocabulary"].concerns),
        guidance_ids=frozenset(parsed["vocabulary"].guidance_ids),
        triage=parsed["triage_patterns"],
        exemplars=parsed["triage_exemplars"],
        route_reader=RouteReader(parsed["route_reader"]) if parsed.get("route_reader") else None,
    )


def _with_default_labels(question: Question) -> Question:
    if question.kind != "yes_no_unsure":
        return question
    from dataclasses import replace

    options = tuple(replace(o, label=o.label or DEFAULT_LABELS.get(o.value, o.value)) for o in question.options)
    return replace(question, options=options)


def _cross_check(model: ThresholdModel, docs: dict[str, YamlDocument]) -> list[ModelProblem]:
    problems: list[ModelProblem] = []
    rule_ids = set(model.gates) | set(model.indicators) | set(model.level_rules)
    concerns = set(model.concerns)
    guidance_ok = model.guidance_ids

    def check_guidance(doc: YamlDocument, loc: tuple, ids: tuple[str, ...]) -> None:
        for k, gid in enumerate(ids):
            if gid not in guidance_ok:
                problems.append(doc.problem((*loc, k), f'unknown guidance id "{gid}"'))

    seen: dict[str, str] = {}
    for file_key, items in (
        ("gates", model.gates),
        ("indicators", model.indicators),
        ("level_rules", model.level_rules),
    ):
        for index, rule_id in enumerate(items):
            if rule_id in seen:
                problems.append(docs[file_key].problem((file_key, index, "id"), f'duplicate rule id "{rule_id}"'))
            seen[rule_id] = file_key
    for count_file, items, count in (
        ("gates", model.gates, len(docs["gates"].data["gates"])),
        ("indicators", model.indicators, len(docs["indicators"].data["indicators"])),
    ):
        if len(items) != count:
            problems.append(docs[count_file].problem((count_file,), "ids must be unique"))
    for i, gate in enumerate(model.gates.values()):
        check_guidance(docs["gates"], ("gates", i, "guidance"), gate.guidance)
        if gate.concern not in concerns:
            problems.append(docs["gates"].problem(("gates", i, "concern"), f'unknown concern "{gate.concern}"'))
    for i, ind in enumerate(model.indicators.values()):
        check_guidance(docs["indicators"], ("indicators", i, "guidance"), ind.guidance)
        if ind.concern not in concerns:
            problems.append(
                docs["indicators"].problem(("indicators", i, "concern"), f'unknown concern "{ind.concern}"')
            )
    kinds = [r.kind for r in model.level_rules.values()]
    for kind in set(kinds):
        if kinds.count(kind) > 1:
            problems.append(docs["level_rules"].problem(("level_rules",), f'kind "{kind}" appears more than once'))
    for kind in LevelRule.__dataclass_fields__["kind"].type.__args__:
        if kind not in kinds:
            problems.append(docs["level_rules"].problem(("level_rules",), f'no rule of kind "{kind}"'))
    problems += _check_questions(model, docs["questions"], rule_ids, concerns)
    problems += _check_triage(model, docs["triage_patterns"])
    problems += check_exemplars(model, docs["triage_exemplars"])
    steps_doc = docs["next_steps"]
    check_guidance(steps_doc, ("always_guidance",), model.next_steps.always_guidance)
    for route, steps in model.next_steps.by_route.items():
        check_guidance(steps_doc, ("by_route", route, "guidance"), steps.guidance)
    return problems


def _check_questions(
    model: ThresholdModel, doc: YamlDocument, rule_ids: set[str], concerns: set[str]
) -> list[ModelProblem]:
    problems: list[ModelProblem] = []
    raw = list(doc.data["questions"])
    ids = [q["id"] for q in raw]
    by_id = {q.id: q for q in model.questions}
    for i, q_raw in enumerate(raw):
        question = by_id[q_raw["id"]]
        if ids.count(question.id) > 1:
            problems.append(doc.problem(("questions", i, "id"), f'duplicate question id "{question.id}"'))
        values = [o.value for o in question.options]
        if question.kind == "yes_no_unsure" and sorted(values) != sorted(YES_NO_UNSURE):
            problems.append(
                doc.problem(("questions", i, "options"), "yes_no_unsure needs exactly the options yes, no, unsure")
            )
        if question.kind == "choice" and (len(values) < 2 or len(set(values)) != len(values)):
            problems.append(
                doc.problem(("questions", i, "options"), "choice needs two or more options with unique values")
            )
        if question.kind == "number" and (values or question.minimum is None or question.maximum is None):
            problems.append(doc.problem(("questions", i, "kind"), "number takes minimum and maximum, no options"))
        for j, option in enumerate(question.options):
            for field in ("fires", "clears", "clears_unresolved", "possible"):
                for k, rule_id in enumerate(getattr(option, field)):
                    if rule_id not in rule_ids:
                        problems.append(
                            doc.problem(("questions", i, "options", j, field, k), f'unknown rule "{rule_id}"')
                        )
            for k, concern in enumerate(option.concerns):
                if concern not in concerns:
                    problems.append(
                        doc.problem(("questions", i, "options", j, "concerns", k), f'unknown concern "{concern}"')
                    )
        for k, concern in enumerate(question.ask_if.concerns_any):
            if concern not in concerns:
                problems.append(
                    doc.problem(("questions", i, "ask_if", "concerns_any", k), f'unknown concern "{concern}"')
                )
        for other, wanted in question.ask_if.answered.items():
            target = by_id.get(other)
            if target is None or any(target.option(v) is None for v in wanted):
                problems.append(doc.problem(("questions", i, "ask_if", "answered", other), "unknown question or value"))
    for special in ("area", "age", "immediate_danger"):
        if special not in by_id:
            problems.append(doc.problem(("questions",), f'the question "{special}" is required'))
    return problems


def _check_triage(model: ThresholdModel, doc: YamlDocument) -> list[ModelProblem]:
    problems: list[ModelProblem] = []
    patterns = model.triage

    def check_answers(loc: tuple, answers: dict[str, str]) -> None:
        for qid, value in answers.items():
            question = model.question(qid)
            if question is None or (question.kind != "number" and question.option(value) is None):
                problems.append(doc.problem((*loc, qid), f'unknown question or value "{qid}: {value}"'))

    def check_regex(loc: tuple, pattern: str) -> None:
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(doc.problem(loc, f"not a valid pattern ({exc})"))

    for i, signal in enumerate(patterns.signals):
        for k, pattern in enumerate(signal.patterns):
            check_regex(("signals", i, "patterns", k), pattern)
        check_answers(("signals", i, "answers"), signal.answers)
        check_answers(("signals", i, "when_negated"), signal.when_negated)
        check_answers(("signals", i, "when_now"), signal.when_now)
        for qid, value in signal.when_now.items():
            question = model.question(qid)
            option = question.option(value) if question is not None else None
            if option is not None and not any(
                r in model.gates or (r in model.indicators and model.indicators[r].level == 4)
                for r in (*option.fires, *option.possible)
            ):
                problems.append(
                    doc.problem(
                        ("signals", i, "when_now", qid), f'"{qid}: {value}" raises no red flag or level-4 indicator'
                    )
                )
        for k, concern in enumerate(signal.concerns):
            if concern not in model.concerns:
                problems.append(doc.problem(("signals", i, "concerns", k), f'unknown concern "{concern}"'))
    for i, signal in enumerate(patterns.number_signals):
        check_regex(("number_signals", i, "pattern"), signal.pattern)
        for j, band in enumerate(signal.ranges):
            check_answers(("number_signals", i, "ranges", j, "answers"), band.answers)
    for k, pattern in enumerate(patterns.age_patterns):
        check_regex(("age_patterns", k), pattern)
    for key in ("now_cues", "past_cues"):
        for k, pattern in enumerate(getattr(patterns, key)):
            check_regex((key, k), pattern)
    for area in patterns.area_places:
        if area not in AREA_IDS:
            problems.append(doc.problem(("area_places", area), f'unknown area "{area}"'))
    return problems


def main(argv: list[str]) -> int:
    """Check the threshold YAML and print problems for its authors."""
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).parent
    try:
        model = load_model(root)
    except ModelError as exc:
        print("\n".join(str(p) for p in exc.problems), file=sys.stderr)
        return 1
    print(
        f"ok: {len(model.gates)} gates, {len(model.indicators)} indicators, "
        f"{len(model.questions)} questions, {len(model.areas)} areas"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
