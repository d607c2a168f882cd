"""Make Rasa's Redis lock store safe for several Rasa servers.

Rasa 3.6's open-source ``RedisLockStore`` updates a conversation's ticket lock by read-modify-write
(``get`` the lock, change it, ``set`` it back) in ``issue_ticket``, ``update_lock`` and ``cleanup``.
Two servers doing that at once for one conversation lose each other's tickets; a waiting message then
finds its ticket (or the whole lock) gone and fails with "Could not acquire lock" (seen in
tests/ops/test_persistence.py with 12 concurrent messages over two servers). Each of these updates now
runs under a short Redis mutex per conversation (``SET NX`` with expiry, redis-py's ``Lock``), so the
updates are serialised across servers; the ticket order and waiting logic stay Rasa's own.
"""

import functools
from collections.abc import Callable
from typing import Any

from rasa.core.lock_store import RedisLockStore

MUTEX_SECONDS = 5.0
SERIALISED_METHODS = ("issue_ticket", "update_lock", "cleanup")


def _serialised(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def under_mutex(self: RedisLockStore, conversation_id: str, *args: Any, **kwargs: Any) -> Any:
        mutex = self.red.lock(f"{self.key_prefix}{conversation_id}:mutex", timeout=MUTEX_SECONDS,
                              blocking_timeout=MUTEX_SECONDS)
        with mutex:
            return method(self, conversation_id, *args, **kwargs)

    under_mutex.__wrapped_by_hips__ = True  # type: ignore[attr-defined]
    return under_mutex


def install() -> None:
    """Serialise the lock store's read-modify-write updates (once, however often it is called)."""
    for name in SERIALISED_METHODS:
        method = getattr(RedisLockStore, name)
        if not getattr(method, "__wrapped_by_hips__", False):
            setattr(RedisLockStore, name, _serialised(method))
