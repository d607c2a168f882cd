"""Types of the threshold model: validated from YAML (extra fields forbidden), frozen once loaded.

Each type is a pydantic dataclass: it validates the YAML on the way in and is a plain frozen
dataclass inside the package. The whole model is one `ThresholdModel`.
"""

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import ConfigDict, Field
from pydantic.dataclasses import dataclass

if TYPE_CHECKING:
    from pathways.exemplars import TriageExemplars
    from pathways.route_reader import RouteReader

YAML_TYPE = ConfigDict(extra="forbid", str_strip_whitespace=True)

Route = Literal["emergency", "mash", "early_help", "universal", "unclear"]
GateRoute = Literal["emergency", "mash"]
Domain = Literal["child_development", "parenting_capacity", "family_environment", "risk_outside_home"]
QuestionKind = Literal["yes_no_unsure", "choice", "number"]
Stage = Literal["emergency", "basics", "harm", "concern", "level", "consent"]
LevelRuleKind = Literal[
    "no_additional_needs",
    "additional_needs",
    "single_agency",
    "multi_agency",
    "two_level3_indicators",
    "needs_across_domains",
    "support_not_worked",
]
NonEmpty = Field(min_length=1)


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class Level:
    """A level of need, stored by its meaning; areas map their own names onto it."""

    id: int = Field(ge=1, le=4)
    name: str = NonEmpty
    meaning: str = NonEmpty
    route: Route
    reference: str = NonEmpty


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class Gate:
    """A red flag asked first: if it fires, the route is at least a same-day MASH contact."""

    id: str = Field(pattern=r"^gate_[a-z0-9_]+$")
    description: str = NonEmpty
    reference: str = NonEmpty
    route: GateRoute
    required: bool = True
    concern: str = NonEmpty
    next_steps: tuple[str, ...] = ()
    do_not: tuple[str, ...] = ()
    toolkits: tuple[str, ...] = ()
    guidance: tuple[str, ...] = ()
    age_below: int | None = None
    age_at_least: int | None = None


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class Indicator:
    """An indicator of need at one level, in one domain, in our own words."""

    id: str = Field(pattern=r"^ind_l[234]_[a-z0-9_]+$")
    level: int = Field(ge=2, le=4)
    domain: Domain
    text: str = NonEmpty
    reference: str = NonEmpty
    concern: str = NonEmpty
    guidance: tuple[str, ...] = ()
    age_below: int | None = None
    age_at_least: int | None = None


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class LevelRule:
    """A mapping rule from the threshold design (e.g. two level-3 indicators make level 3)."""

    id: str = Field(pattern=r"^rule_[a-z0-9_]+$")
    kind: LevelRuleKind
    description: str = NonEmpty
    reference: str = NonEmpty
    guidance: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class Option:
    """One answer to a question and what it does to the rules."""

    value: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str = ""
    fires: tuple[str, ...] = ()
    clears: tuple[str, ...] = ()
    clears_unresolved: tuple[str, ...] = ()
    possible: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class AskIf:
    """When a question is worth asking; every condition given must hold."""

    concerns_any: tuple[str, ...] = ()
    route_in: tuple[Route, ...] = ()
    answered: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    no_indicators: bool = False
    age_below: int | None = None


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class Question:
    """A question the assistant may ask, with the answers it accepts."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    text: str = NonEmpty
    help: str = ""
    kind: QuestionKind
    stage: Stage
    order: int
    options: tuple[Option, ...] = ()
    ask_if: AskIf = Field(default_factory=AskIf)
    minimum: int | None = None
    maximum: int | None = None

    def option(self, value: str) -> Option | None:
        """The option with this value, if any."""
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class Source:
    """Where a fact comes from."""

    title: str = NonEmpty
    url: str = Field(pattern=r"^https?://")


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class Provenance:
    """Date, source and verification status of an area fact."""

    valid_from: dt.date
    source: Source
    verified: bool
    note: str = ""


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class EarlyHelpRoute(Provenance):
    """How to ask for early help in an area."""

    name: str = NonEmpty
    how: str = NonEmpty
    consent: str = NonEmpty
    steps: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class FrontDoor(Provenance):
    """The MASH or children's services front door of an area."""

    name: str = NonEmpty
    professionals_phone: str | None = None
    other_phones: tuple[str, ...] = ()
    public_phone: str | None = None
    email: str | None = None
    online_form: str | None = None
    steps: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class OutOfHours(Provenance):
    """Who to call outside office hours."""

    name: str = NonEmpty
    phone: str = NonEmpty


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class Form(Provenance):
    """A form a practitioner completes (IARF, contact form, request for support)."""

    name: str = NonEmpty
    when: str = NonEmpty


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class LevelNames(Provenance):
    """An area's own names for levels 1 to 4."""

    names: dict[int, str]


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class AreaContacts:
    """An area's level names, routes, contacts and forms; emergency is always 999."""

    id: Literal["southampton", "portsmouth", "hampshire", "isle_of_wight"]
    display_name: str = NonEmpty
    emergency: str = NonEmpty
    thresholds_document: str = NonEmpty
    level_names: LevelNames
    early_help: EarlyHelpRoute
    front_door: FrontDoor
    out_of_hours: OutOfHours
    forms: tuple[Form, ...] = ()


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class RouteSteps:
    """Steps and guidance shown for one route."""

    steps: tuple[str, ...] = ()
    guidance: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class NextSteps:
    """The fixed wording of next steps: always shown, per route, on consent, on unsure answers."""

    emergency_number: str = NonEmpty
    always: tuple[str, ...]
    always_guidance: tuple[str, ...] = ()
    by_route: dict[Route, RouteSteps]
    consent_by_route: dict[Route, str]
    consent_answer: dict[str, str] = Field(default_factory=dict)
    unsure_gate: str = NonEmpty
    unclear: str = NonEmpty
    do_not_prefix: str = "Do not: "
    toolkit_prefix: str = "Complete: "


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class Signal:
    """A phrase pattern in free text and the answers and concerns it implies."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    patterns: tuple[str, ...] = Field(min_length=1)
    answers: dict[str, str] = Field(default_factory=dict)
    concerns: tuple[str, ...] = ()
    when_negated: dict[str, str] = Field(default_factory=dict)
    when_now: dict[str, str] = Field(default_factory=dict)
    requires: tuple[str, ...] = ()
    negatable: bool = True
    reason: str = NonEmpty


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class NumberRange:
    """Answers implied when the captured number lies in [at_least, below)."""

    at_least: float = 0
    below: float = 1e9
    answers: dict[str, str]


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class NumberSignal:
    """A number in the text (e.g. attendance %) mapped to answers by range."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    pattern: str = NonEmpty
    ranges: tuple[NumberRange, ...] = Field(min_length=1)
    concerns: tuple[str, ...] = ()
    reason: str = NonEmpty


@dataclass(frozen=True, kw_only=True, config=YAML_TYPE)
class TriagePatterns:
    """Everything the free-text triage matches on: all data, no logic."""

    max_text_chars: int = Field(gt=0)
    replacements: dict[str, str]
    negation_cues: tuple[str, ...]
    negation_window: int = Field(ge=1, le=10)
    # "he isn't going missing or hanging round with older kids": a cue negates every item of an "or" list
    negation_list_joiners: tuple[str, ...] = ()
    negation_list_window: int = Field(default=12, ge=1, le=20)
    denial_cues: tuple[str, ...] = ()
    clause_breaks: tuple[str, ...]
    age_patterns: tuple[str, ...]
    age_in_months_patterns: tuple[str, ...]
    school_year_pattern: str
    school_year_offset: int
    number_words: dict[str, int]
    area_places: dict[str, tuple[str, ...]]
    signals: tuple[Signal, ...]
    number_signals: tuple[NumberSignal, ...] = ()
    now_cues: tuple[str, ...] = ()
    past_cues: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, kw_only=True)
class ThresholdModel:
    """The whole threshold model, loaded and cross-checked by `pathways.loader.load_model`."""

    levels: dict[int, Level]
    gates: dict[str, Gate]
    indicators: dict[str, Indicator]
    level_rules: dict[str, LevelRule]
    questions: tuple[Question, ...]
    areas: dict[str, AreaContacts]
    next_steps: NextSteps
    concerns: dict[str, str]
    guidance_ids: frozenset[str]
    triage: TriagePatterns
    exemplars: "TriageExemplars"
    route_reader: "RouteReader | None" = None

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if any."""
        return next((q for q in self.questions if q.id == question_id), None)

    def rule_kind(self, kind: str) -> LevelRule:
        """The level rule implementing one mapping kind."""
        return next(r for r in self.level_rules.values() if r.kind == kind)
