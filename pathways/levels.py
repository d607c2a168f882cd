"""Map fired indicators and level answers onto a level of need (facts.md "Mapping")."""

from dataclasses import dataclass

from pathways.model import ThresholdModel
from pathways.rule_state import RuleState


@dataclass(frozen=True)
class LevelResult:
    """The level (None when nothing decides it yet) and the mapping rules that set it, in order."""

    level: int | None
    rule_ids: tuple[str, ...]


def decide_level(model: ThresholdModel, state: RuleState) -> LevelResult:
    """Apply the mapping rules.

    Any level-4 indicator → 4. Two or more level-3 indicators, needs in two or more domains (unless
    one agency can meet them), or needs that need more than one agency → 3. One level-3 indicator → 3
    unless one agency can meet the needs. Other additional needs → 2. No additional needs → 1.
    Support tried without enough change raises the level by one.
    """
    indicators = [model.indicators[i] for i in state.fired if i in model.indicators]
    answered = {model.level_rules[r].kind for r in state.fired if r in model.level_rules}
    rules: list[str] = []

    def use(kind: str) -> None:
        rules.append(model.rule_kind(kind).id)

    level: int | None = None
    if indicators or "additional_needs" in answered:
        level = 2
        if "additional_needs" in answered:
            use("additional_needs")
    level3 = [i for i in indicators if i.level == 3]
    multi_agency = False
    if len(level3) >= 2:
        use("two_level3_indicators")
        multi_agency = True
    if len({i.domain for i in indicators}) >= 2 and "single_agency" not in answered:
        use("needs_across_domains")
        multi_agency = True
    if "multi_agency" in answered and level is not None:
        use("multi_agency")
        multi_agency = True
    if multi_agency:
        level = 3
    elif "single_agency" in answered and level is not None:
        use("single_agency")
    elif level3:
        level = 3
    if any(i.level == 4 for i in indicators):
        level = 4
    if level is None and "no_additional_needs" in answered:
        level = 1
        use("no_additional_needs")
    if "support_not_worked" in answered and level is not None and level < 4:
        level += 1
        use("support_not_worked")
    return LevelResult(level, tuple(rules))
