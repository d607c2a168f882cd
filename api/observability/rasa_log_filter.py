"""A logging filter for the Rasa server (Python 3.10, standard library only): no message text in its log.

Rasa 3.6 logs the user's text at ERROR level when a REST request is cancelled (the API timed out) or fails
(``rest.message.received.timeout`` / ``.failure``), and its tracker-store errors quote SQL parameters, which
hold conversation events. Rasa's own redaction hook needs Rasa Pro. This filter, installed through
``rasa run --logging-config-file api/observability/rasa_logging.yml``, withholds the values of every key Rasa
itself lists as anonymisable and cuts SQL statements and parameters out of error messages.
"""

import json
import logging
import re

WITHHELD = "<withheld>"
# The keys Rasa 3.6's own anonymiser covers (rasa/utils/log_utils.py), plus the SQL and event fields.
TEXT_KEYS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response", "slot_candidates",
    "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states", "successes",
    "current_entity", "next_entity", "states", "entity", "token_text", "user_message", "json_message",
    "utter_action", "events", "tracker", "parse_data",
})
_SQL_DETAIL = re.compile(r"\[(SQL|parameters): .*?\](?=\s*(\(Background|\[|$))", re.DOTALL)


def redact_text(message: str) -> str:
    """The log message with text-bearing JSON values withheld and SQL statements and parameters removed."""
    stripped = message.strip()
    if stripped.startswith("{"):
        try:
            entry = json.loads(stripped)
        except ValueError:
            entry = None
        if isinstance(entry, dict):
            return json.dumps({k: (WITHHELD if k in TEXT_KEYS else v) for k, v in entry.items()})
    return _SQL_DETAIL.sub(lambda m: f"[{m.group(1)}: {WITHHELD}]", message)


class RedactMessageText(logging.Filter):
    """Rewrites each record's message with ``redact_text``; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        record.exc_text = None
        if record.exc_info:
            record.msg = f"{record.msg} ({record.exc_info[0].__name__ if record.exc_info[0] else 'error'})"
            record.exc_info = None
        return True
