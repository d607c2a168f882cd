"""The current request's id, readable from anywhere in the request (logs, error answers)."""

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
