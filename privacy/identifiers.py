"""Find and scrub identifying details in free text, with patterns from ``privacy/patterns.yml``."""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

PATTERNS_FILE = Path(__file__).resolve().parent / "patterns.yml"


@dataclass(frozen=True)
class IdentifierKind:
    """One kind of identifying detail and the expressions that find it."""

    name: str
    label: str
    expressions: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def identifier_kinds(path: Path = PATTERNS_FILE) -> tuple[IdentifierKind, ...]:
    """Load and compile the patterns once."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["kinds"]
    kinds = []
    for name, spec in raw.items():
        flags = 0 if spec.get("case_sensitive") else re.IGNORECASE
        kinds.append(IdentifierKind(name, spec["label"], tuple(re.compile(p, flags) for p in spec["patterns"])))
    return tuple(kinds)


def find_identifiers(text: str) -> list[IdentifierKind]:
    """The kinds of identifying detail present in ``text`` (each kind once, in file order)."""
    return [kind for kind in identifier_kinds() if any(e.search(text) for e in kind.expressions)]


def scrub_identifiers(text: str) -> str:
    """Replace every identifying detail in ``text`` with ``[kind removed]``."""
    for kind in identifier_kinds():
        for expression in kind.expressions:
            text = expression.sub(f"[{kind.name} removed]", text)
    return text
