"""Structured JSON logs: one object per line, with the request id, and never the practitioner's words.

A log line keeps only what an operator needs: time, level, logger, request id, the event and the
exception *type*. The event is the call's template with its arguments filled in only where they cannot
carry someone's words: numbers are shown, our own exceptions (whose messages we write) are shown, and any
string or other exception becomes ``<withheld>``. What remains is scrubbed of identifying details
(``privacy.identifiers``) and cut short. Tracebacks are left out: exception messages can quote input.
"""

import json
import logging
import sys
from datetime import UTC, datetime

from api.observability.context import request_id_var
from privacy.identifiers import scrub_identifiers

MAX_EVENT_CHARS = 300
# Loggers that print whole requests or bodies at DEBUG; kept at WARNING whatever the root level.
OUR_PACKAGES = ("api.", "audit.", "knowledge.", "pathways.", "actions.", "teams.")
WITHHELD = "<withheld>"
NOISY_LOGGERS = ("httpx", "httpx2", "httpcore", "multipart", "uvicorn.access")


def safe_argument(value: object) -> object:
    """The argument itself when it cannot carry free text, else ``<withheld>``."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, BaseException):
        own = type(value).__module__.startswith(OUR_PACKAGES)
        return f"{type(value).__name__}: {value}" if own else type(value).__name__
    return WITHHELD


def safe_event(record: logging.LogRecord) -> str:
    """The record's message with unsafe arguments withheld, scrubbed and shortened."""
    template = str(record.msg)
    args = record.args
    try:
        if isinstance(args, dict):
            text = template % {key: safe_argument(value) for key, value in args.items()}
        elif args:
            text = template % tuple(safe_argument(value) for value in args)
        else:
            text = template
    except (TypeError, ValueError, KeyError):
        text = template
    return scrub_identifiers(text)[:MAX_EVENT_CHARS]


class JsonFormatter(logging.Formatter):
    """Formats a record as a single JSON object (no message text, no traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": request_id_var.get(),
            "event": safe_event(record),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["error_type"] = record.exc_info[0].__name__
        for key in ("route", "status", "duration_ms", "method"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        return json.dumps(entry, ensure_ascii=False)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it), never to a closed stream."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        del value


def configure_json_logging(level: str = "INFO") -> logging.Handler:
    """Send every log record (ours, uvicorn's, libraries') to stderr as JSON; return the handler."""
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
