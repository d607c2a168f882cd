"""Server-issued, signed session ids: a client can keep its own session but cannot forge another's."""

import hashlib
import hmac
import secrets


def _signature(secret: str, session_key: str) -> str:
    return hmac.new(secret.encode(), session_key.encode(), hashlib.sha256).hexdigest()[:32]


def issue_session_id(secret: str) -> str:
    """Return a new session id of the form ``<random key>.<signature>``."""
    key = secrets.token_urlsafe(18)
    return f"{key}.{_signature(secret, key)}"


def verify_session_id(secret: str, session_id: str) -> str | None:
    """Return the session key when ``session_id`` carries a valid signature, else None."""
    key, dot, signature = session_id.partition(".")
    if not dot or not key or not signature:
        return None
    if not hmac.compare_digest(signature.encode(), _signature(secret, key).encode()):
        return None
    return key


def resolve_session(secret: str, session_id: str | None) -> tuple[str, str]:
    """Return ``(session_id, session_key)``: the given id when its signature is valid, else a new one.

    A forged, tampered or missing id never reaches another conversation: it starts a new one.
    """
    if session_id:
        key = verify_session_id(secret, session_id)
        if key is not None:
            return session_id, key
    new_id = issue_session_id(secret)
    return new_id, new_id.partition(".")[0]
