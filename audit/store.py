"""An SQLite audit store that can only hold identifiers: ids, routes, levels, areas, fixed feedback values.

Nothing a practitioner typed can be stored: every field is checked against a closed vocabulary or an
identifier pattern, and anything else is refused. The conversation is kept only as a one-way reference.
"""

import csv
import hashlib
import io
import logging
import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
ROUTES = frozenset({"emergency", "mash", "early_help", "universal", "unclear"})
AREAS = frozenset({"southampton", "portsmouth", "hampshire", "isle_of_wight"})
FEEDBACK_VALUES = frozenset({"helpful", "not_helpful", "route_too_low", "route_too_high"})
_IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9_.-]{0,79}")
CSV_COLUMNS = ("recorded_at", "conversation_ref", "area", "route", "level", "rules_fired", "guidance_ids",
               "feedback", "feedback_at")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS recommendations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at TEXT NOT NULL,
    conversation_ref TEXT NOT NULL,
    area TEXT,
    route TEXT NOT NULL,
    level INTEGER,
    rules_fired TEXT NOT NULL,
    guidance_ids TEXT NOT NULL,
    feedback TEXT,
    feedback_at TEXT
);
CREATE INDEX IF NOT EXISTS recommendations_conversation ON recommendations (conversation_ref);
"""


class AuditRejected(ValueError):
    """A value that is not an identifier from the closed vocabulary: it is never stored."""


def default_audit_path() -> Path:
    """``HIPS_AUDIT_DB`` when set, else ``var/audit.db`` in the repository."""
    value = os.environ.get("HIPS_AUDIT_DB")
    return Path(value) if value else REPO_ROOT / "var" / "audit.db"


def conversation_ref(sender_id: str) -> str:
    """A one-way reference to a conversation: links feedback to its recommendation, reveals nothing."""
    return hashlib.sha256(f"hips-audit:{sender_id}".encode()).hexdigest()[:20]


def _identifiers(values: Iterable[str], field: str) -> str:
    checked = []
    for value in values:
        if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
            raise AuditRejected(f"{field}: not an identifier")
        checked.append(value)
    return " ".join(checked)


@dataclass(frozen=True)
class AuditRow:
    """One stored recommendation."""

    recorded_at: str
    conversation_ref: str
    area: str | None
    route: str
    level: int | None
    rules_fired: tuple[str, ...]
    guidance_ids: tuple[str, ...]
    feedback: str | None
    feedback_at: str | None


class AuditStore:
    """The recommendations table in one SQLite file (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=10)
        connection.execute("PRAGMA journal_mode=WAL")
        return connection

    def record(self, *, conversation: str, area: str | None, route: str, level: int | None,
               rules_fired: Iterable[str], guidance_ids: Iterable[str], now: datetime | None = None) -> None:
        """Store one recommendation.

        Raises:
            AuditRejected: when any value is outside the vocabulary (nothing is stored then).
        """
        if route not in ROUTES:
            raise AuditRejected("route: not a known route")
        if area is not None and area not in AREAS:
            raise AuditRejected("area: not a known area")
        if level is not None and (not isinstance(level, int) or not 1 <= level <= 4):
            raise AuditRejected("level: not 1 to 4")
        row = ((now or datetime.now(UTC)).isoformat(timespec="seconds"), conversation_ref(conversation), area, route,
               level, _identifiers(rules_fired, "rules_fired"), _identifiers(guidance_ids, "guidance_ids"))
        with self._connect() as connection:
            connection.execute(
                "INSERT INTO recommendations (recorded_at, conversation_ref, area, route, level, rules_fired, "
                "guidance_ids) VALUES (?, ?, ?, ?, ?, ?, ?)", row)

    def add_feedback(self, conversation: str, feedback: str, now: datetime | None = None) -> bool:
        """Attach feedback to the conversation's latest recommendation; False when it has none.

        Raises:
            AuditRejected: when ``feedback`` is not one of ``FEEDBACK_VALUES``.
        """
        if feedback not in FEEDBACK_VALUES:
            raise AuditRejected("feedback: not a known value")
        stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        with self._connect() as connection:
            cursor = connection.execute(
                "UPDATE recommendations SET feedback = ?, feedback_at = ? WHERE id = (SELECT max(id) FROM "
                "recommendations WHERE conversation_ref = ?)", (feedback, stamp, conversation_ref(conversation)))
            return cursor.rowcount == 1

    def rows(self) -> list[AuditRow]:
        """Every stored recommendation, oldest first."""
        with self._connect() as connection:
            raw = connection.execute(f"SELECT {', '.join(CSV_COLUMNS)} FROM recommendations ORDER BY id").fetchall()
        return [AuditRow(r[0], r[1], r[2], r[3], r[4], tuple(r[5].split()), tuple(r[6].split()), r[7], r[8])
                for r in raw]

    def export_csv(self) -> str:
        """The whole trail as CSV (lists joined with spaces), header first."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in self.rows():
            writer.writerow([row.recorded_at, row.conversation_ref, row.area or "", row.route,
                             "" if row.level is None else row.level, " ".join(row.rules_fired),
                             " ".join(row.guidance_ids), row.feedback or "", row.feedback_at or ""])
        return out.getvalue()


def record_feedback(*, conversation: str, feedback: str, path: Path | None = None) -> bool:
    """Attach feedback to the conversation's latest recommendation; never raises.

    Returns:
        True when stored; False when there was no recommendation, the value was refused or the store failed.
    """
    try:
        return AuditStore(path or default_audit_path()).add_feedback(conversation, feedback)
    except (AuditRejected, sqlite3.Error, OSError) as error:
        logger.warning("audit feedback not stored: %s", type(error).__name__)
        return False


def record_recommendation(*, conversation: str, area: str | None, route: str, level: int | None,
                          rules_fired: Iterable[str], guidance_ids: Iterable[str], path: Path | None = None) -> bool:
    """Store one recommendation in the audit trail; never raises (the practitioner's answer comes first).

    Returns:
        True when stored; False when refused or the store failed (logged without any values).
    """
    try:
        AuditStore(path or default_audit_path()).record(
            conversation=conversation, area=area, route=route, level=level,
            rules_fired=list(rules_fired), guidance_ids=list(guidance_ids))
    except (AuditRejected, sqlite3.Error, OSError) as error:
        logger.warning("audit record not stored: %s", type(error).__name__)
        return False
    return True
