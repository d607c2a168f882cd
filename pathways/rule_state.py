"""Apply each answer's effects to the rules: which gates fired, which are possible, which are cleared."""

from dataclasses import dataclass, field

from pathways.answers import CaseInput
from pathways.errors import ContradictoryAnswers
from pathways.model import Gate, Indicator, ThresholdModel


@dataclass
class RuleState:
    """Rule id → the question whose answer put it there (first in question order)."""

    fired: dict[str, str] = field(default_factory=dict)
    possible: dict[str, str] = field(default_factory=dict)
    cleared: dict[str, str] = field(default_factory=dict)
    waiting_for_age: set[str] = field(default_factory=set)
    concerns: set[str] = field(default_factory=set)

    def gate_unresolved(self, gate_id: str) -> bool:
        """True when nothing has been answered about this gate yet."""
        return gate_id not in self.fired and gate_id not in self.possible and gate_id not in self.cleared


def age_condition(rule: Gate | Indicator, age: int | None) -> bool | None:
    """Whether the rule's age condition holds: True, False, or None when the age is needed but unknown."""
    if rule.age_below is None and rule.age_at_least is None:
        return True
    if age is None:
        return None
    if rule.age_below is not None and age >= rule.age_below:
        return False
    return not (rule.age_at_least is not None and age < rule.age_at_least)


def resolve_rules(model: ThresholdModel, case: CaseInput) -> RuleState:
    """Work out the state of every rule from the answers.

    "Not sure" on a gate makes it possible (never cleared); a "yes" always wins over "not sure";
    a gate that one answer fires and another explicitly clears is a contradiction.

    Raises:
        ContradictoryAnswers: naming the answer that clears a gate another answer fired.
    """
    state = RuleState()
    clear_if_unresolved: list[tuple[str, str]] = []
    for question in model.questions:
        value = case.answers.get(question.id)
        option = question.option(value) if value is not None else None
        if option is None:
            continue
        state.concerns.update(option.concerns)
        for rule_id in option.fires:
            _fire(model, state, rule_id, question.id, case.age)
        for rule_id in option.possible:
            rule = model.gates.get(rule_id)
            if rule is None or age_condition(rule, case.age) is not False:
                state.possible.setdefault(rule_id, question.id)
        for rule_id in option.clears:
            state.cleared.setdefault(rule_id, question.id)
        clear_if_unresolved += [(rule_id, question.id) for rule_id in option.clears_unresolved]
    for rule_id in state.fired:
        state.possible.pop(rule_id, None)
    for rule_id, question_id in clear_if_unresolved:
        if state.gate_unresolved(rule_id):
            state.cleared[rule_id] = question_id
    for rule_id in state.fired.keys() & state.cleared.keys():
        raise ContradictoryAnswers(
            f"answers.{state.cleared[rule_id]}",
            f"contradicts answers.{state.fired[rule_id]} about: {_describe(model, rule_id)}",
        )
    for rule_id in [*state.fired, *state.possible]:
        rule = model.gates.get(rule_id) or model.indicators.get(rule_id)
        if rule is not None:
            state.concerns.add(rule.concern)
    return state


def _fire(model: ThresholdModel, state: RuleState, rule_id: str, question_id: str, age: int | None) -> None:
    rule = model.gates.get(rule_id) or model.indicators.get(rule_id)
    condition = True if rule is None else age_condition(rule, age)
    if condition is True:
        state.fired.setdefault(rule_id, question_id)
    elif condition is None:
        state.waiting_for_age.add(rule_id)
        if rule_id in model.gates:
            state.possible.setdefault(rule_id, question_id)


def _describe(model: ThresholdModel, rule_id: str) -> str:
    gate = model.gates.get(rule_id)
    return gate.description if gate else rule_id
