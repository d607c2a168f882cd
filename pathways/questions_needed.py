"""Which questions are still worth asking, in order: the first is the one to ask next."""

from pathways.answers import CaseInput
from pathways.model import Question, Route, ThresholdModel
from pathways.rule_state import RuleState

STATUTORY = ("mash", "emergency")


def questions_needed(model: ThresholdModel, case: CaseInput, state: RuleState, route: Route) -> tuple[Question, ...]:
    """Questions whose answer could still change the route, or that the route needs (area, consent).

    Emergency first and always; once the route is a MASH contact only questions that could make it
    an emergency remain; once it is an emergency only the area (for the contacts) remains.
    """
    needed = []
    for question in model.questions:
        if _answered(question, case) or not _ask_if_holds(model, question, case, state, route):
            continue
        if _worth_asking(model, question, case, state, route):
            needed.append(question)
    return tuple(needed)


def _answered(question: Question, case: CaseInput) -> bool:
    if question.id == "area":
        return case.area is not None
    if question.id == "age":
        return case.age is not None
    return question.id in case.answers


def _ask_if_holds(model: ThresholdModel, question: Question, case: CaseInput, state: RuleState, route: Route) -> bool:
    cond = question.ask_if
    if cond.concerns_any and not state.concerns.intersection(cond.concerns_any):
        return False
    if cond.route_in and route not in cond.route_in:
        return False
    if any(case.answers.get(qid) not in values for qid, values in cond.answered.items()):
        return False
    if cond.no_indicators and any(rule_id in model.indicators for rule_id in state.fired):
        return False
    return cond.age_below is None or case.age is None or case.age < cond.age_below


def _worth_asking(model: ThresholdModel, question: Question, case: CaseInput, state: RuleState, route: Route) -> bool:
    if question.id == "area":
        return True
    if route == "emergency":
        return False
    if question.stage == "emergency":
        return True
    if question.id == "age":
        return bool(state.waiting_for_age)
    if question.stage == "basics":
        return not state.concerns and route not in STATUTORY
    if question.stage == "harm":
        gates = [model.gates[r] for o in question.options
                 for r in (*o.fires, *o.possible, *o.clears, *o.clears_unresolved) if r in model.gates]
        if route in STATUTORY:
            return any(g.route == "emergency" and g.id not in state.fired for g in gates)
        return any(state.gate_unresolved(g.id) for g in gates) or any(
            r in model.indicators for o in question.options for r in o.fires)
    return route not in STATUTORY
