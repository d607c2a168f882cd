"""What the engine returns: the route, the level and the rules that fired, with their reasons."""

from dataclasses import dataclass

from pathways.model import AreaContacts, Question, Route


@dataclass(frozen=True)
class FiredRule:
    """A rule that shaped the decision, with its plain-English reason and threshold reference."""

    id: str
    description: str
    reference: str
    route: Route


@dataclass(frozen=True)
class Decision:
    """The recommended route for one case and everything needed to explain and act on it.

    `contacts` is None when the area is unknown; `emergency_number` is always there.
    `questions` are the questions still worth asking, the next one first.
    """

    route: Route
    level: int | None
    fired: tuple[FiredRule, ...]
    next_steps: tuple[str, ...]
    contacts: AreaContacts | None
    guidance_ids: tuple[str, ...]
    questions: tuple[Question, ...]
    emergency_number: str
    concerns: tuple[str, ...] = ()

    @property
    def reasons(self) -> tuple[str, ...]:
        """The fired rules as sentences for a practitioner."""
        return tuple(rule.description for rule in self.fired)
