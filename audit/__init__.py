"""The audit trail: what the assistant recommended (route, level, rules, guidance ids, feedback), never what was said.

Written by the action server (``record_recommendation``), read and exported by the API.
"""

from audit.store import (
    FEEDBACK_VALUES,
    AuditRow,
    AuditStore,
    conversation_ref,
    default_audit_path,
    record_feedback,
    record_recommendation,
)

__all__ = ["FEEDBACK_VALUES", "AuditRow", "AuditStore", "conversation_ref", "default_audit_path",
           "record_feedback", "record_recommendation"]
