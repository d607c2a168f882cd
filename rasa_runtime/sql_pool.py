"""Test a pooled PostgreSQL connection before using it.

Rasa 3.6 creates its SQL tracker store's engine without ``pool_pre_ping``, so after a database restart
the first turn is served from a dead pooled connection: the tracker comes back empty and the turn is
not stored. With pre-ping SQLAlchemy replaces a dead connection before handing it out. SQLite is
unaffected (Rasa passes it no pool options).
"""

from typing import Any

from rasa.core import tracker_store

_original_kwargs = tracker_store.create_engine_kwargs


def create_engine_kwargs(url: Any) -> dict[str, Any]:
    """Rasa's engine options, plus ``pool_pre_ping`` for PostgreSQL."""
    kwargs = _original_kwargs(url)
    if tracker_store.is_postgresql_url(url):
        kwargs["pool_pre_ping"] = True
    return kwargs


def install() -> None:
    """Make Rasa's SQL tracker store build its engine with these options."""
    tracker_store.create_engine_kwargs = create_engine_kwargs
