"""The fixed replies used when a backend fails: always with the emergency route."""

from dataclasses import dataclass
from pathlib import Path

import yaml

from api.messages import BotMessage


@dataclass(frozen=True)
class EmergencyLine:
    """One way to get urgent help: who, and the number to ring."""

    label: str
    phone: str


@dataclass(frozen=True)
class CannedReplies:
    """Canned replies loaded from ``api/replies.yml`` with the emergency lines filled in."""

    templates: dict[str, str]
    emergency_lines: tuple[EmergencyLine, ...]

    def render(self, name: str, **values: object) -> BotMessage:
        """Return the canned reply ``name`` as a message, with the emergency route attached."""
        custom = {"type": "emergency_route", "lines": self.emergency_payload()}
        return BotMessage(text=self.text(name, **values), custom=custom)

    def text(self, name: str, **values: object) -> str:
        """Return the text of canned reply ``name`` with its placeholders filled."""
        lines = "\n".join(f"- {line.label}: {line.phone}" for line in self.emergency_lines)
        return self.templates[name].format(emergency_lines=lines, **values)

    def emergency_payload(self) -> list[dict[str, str]]:
        """The emergency lines as plain data for channels to show in a banner."""
        return [{"label": line.label, "phone": line.phone} for line in self.emergency_lines]


def load_canned_replies(path: Path, emergency_lines: tuple[EmergencyLine, ...]) -> CannedReplies:
    """Load the canned replies file; every reply must have a ``text`` template."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    templates = {name: str(entry["text"]) for name, entry in raw.items()}
    return CannedReplies(templates=templates, emergency_lines=emergency_lines)
