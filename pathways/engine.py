"""The threshold engine: answers in, an explained route out. Pure and deterministic.

    decision = assess_case(model, area="portsmouth", age=14, answers={"immediate_danger": "no", ...})

Safety properties (tested in tests/pathways): a gate answered "yes" or "not sure" always gives a
MASH contact or an emergency; unanswered gates give `unclear` with the questions, never a lower
route; adding a worrying answer never lowers the route.
"""

from pathways.answers import CaseInput, check_case
from pathways.decision import Decision, FiredRule
from pathways.levels import LevelResult, decide_level
from pathways.model import Gate, Route, ThresholdModel
from pathways.questions_needed import questions_needed
from pathways.rule_state import RuleState, resolve_rules

LEVEL_RULE_ROUTE: dict[int, Route] = {1: "universal", 2: "early_help", 3: "early_help", 4: "mash"}


def assess_case(model: ThresholdModel, area: str | None, age: int | None, answers: dict[str, str]) -> Decision:
    """Recommend a route for one case and explain it.

    Args:
        model: the loaded threshold model.
        area: `southampton`, `portsmouth`, `hampshire`, `isle_of_wight`, or None when unknown.
        age: whole years (0 for a baby or unborn), or None when unknown.
        answers: question id → answer value (see `GET /api/v1/pathways/questions`).

    Returns:
        The decision: route, level, fired rules, next steps, contacts, guidance ids and the
        questions still worth asking (the next one first).

    Raises:
        AssessmentError: unknown question id, wrong value, unknown area or bad age (names the field).
        ContradictoryAnswers: two answers that say opposite things about the same gate.
    """
    case = check_case(model, area, age, answers)
    state = resolve_rules(model, case)
    fired_gates = [g for g in model.gates.values() if g.id in state.fired]
    possible_gates = [g for g in model.gates.values() if g.id in state.possible]
    level_result = decide_level(model, state)
    route, level = _route(model, state, fired_gates, possible_gates, level_result)
    fired = _fired_rules(model, state, fired_gates, possible_gates, level_result)
    return Decision(
        route=route,
        level=level,
        fired=fired,
        next_steps=_next_steps(model, case, route, fired_gates, possible_gates),
        contacts=model.areas.get(case.area) if case.area else None,
        guidance_ids=_guidance(model, route, state, fired_gates + possible_gates, level_result),
        questions=questions_needed(model, case, state, route),
        emergency_number=model.next_steps.emergency_number,
        concerns=tuple(sorted(state.concerns)),
    )


def _route(model: ThresholdModel, state: RuleState, fired_gates: list[Gate], possible_gates: list[Gate],
           level_result: LevelResult) -> tuple[Route, int | None]:
    if any(g.route == "emergency" for g in fired_gates):
        return "emergency", 4
    if fired_gates or possible_gates or level_result.level == 4:
        return "mash", 4
    if any(g.required and state.gate_unresolved(g.id) for g in model.gates.values()):
        return "unclear", None
    if level_result.level is None:
        return "unclear", None
    return model.levels[level_result.level].route, level_result.level


def _fired_rules(model: ThresholdModel, state: RuleState, fired_gates: list[Gate], possible_gates: list[Gate],
                 level_result: LevelResult) -> tuple[FiredRule, ...]:
    fired = [FiredRule(g.id, g.description, g.reference, g.route) for g in fired_gates]
    fired += [FiredRule(g.id, f"Possible (you were not sure): {g.description}", g.reference, "mash")
              for g in possible_gates]
    indicators = sorted((model.indicators[i] for i in state.fired if i in model.indicators), key=lambda i: -i.level)
    fired += [FiredRule(i.id, f"Level {i.level} indicator: {i.text}", i.reference, LEVEL_RULE_ROUTE[i.level])
              for i in indicators]
    if not fired_gates and not possible_gates and level_result.level is not None:
        for rule_id in level_result.rule_ids:
            rule = model.level_rules[rule_id]
            fired.append(FiredRule(rule.id, rule.description, rule.reference, LEVEL_RULE_ROUTE[level_result.level]))
    return tuple(fired)


def _next_steps(model: ThresholdModel, case: CaseInput, route: Route, fired_gates: list[Gate],
                possible_gates: list[Gate]) -> tuple[str, ...]:
    wording = model.next_steps
    steps = list(wording.by_route[route].steps)
    contacts = model.areas.get(case.area) if case.area else None
    if route in ("mash", "emergency", "unclear") and contacts:
        door = contacts.front_door
        if door.professionals_phone:
            steps.append(f"{door.name}: professionals' line {door.professionals_phone}.")
        steps += door.steps
        steps.append(f"Out of hours: {contacts.out_of_hours.name}, {contacts.out_of_hours.phone}.")
    if route == "early_help" and contacts:
        steps.append(f"{contacts.early_help.name}: {contacts.early_help.how}")
        steps += contacts.early_help.steps
    if route == "unclear":
        steps.insert(0, wording.unclear)
    for gate in fired_gates + possible_gates:
        steps += gate.next_steps
    steps += [wording.unsure_gate.format(gate=g.description) for g in possible_gates]
    for gate in fired_gates + possible_gates:
        steps += [wording.do_not_prefix + item for item in gate.do_not]
        steps += [wording.toolkit_prefix + item for item in gate.toolkits]
    steps.append(wording.consent_by_route[route])
    if route == "early_help" and case.answers.get("consent") in wording.consent_answer:
        steps.append(wording.consent_answer[case.answers["consent"]])
    steps += wording.always
    return tuple(dict.fromkeys(steps))


def _guidance(model: ThresholdModel, route: Route, state: RuleState, gates: list[Gate],
              level_result: LevelResult) -> tuple[str, ...]:
    # Most specific first: what the gates and indicators cite, then the route's own guidance.
    ids: list[str] = []
    for gate in gates:
        ids += gate.guidance
    for rule_id in state.fired:
        indicator = model.indicators.get(rule_id)
        if indicator is not None:
            ids += indicator.guidance
    ids += model.next_steps.by_route[route].guidance
    for rule_id in level_result.rule_ids:
        ids += model.level_rules[rule_id].guidance
    ids += model.next_steps.always_guidance
    return tuple(dict.fromkeys(ids))
