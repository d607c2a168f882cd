"""Operations settings (``HIPS_`` environment variables), taken from the main ``Settings`` where it declares them."""

from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from audit.store import default_audit_path


class OperationsSettings(BaseSettings):
    """Limits and locations for the operations layer."""

    model_config = SettingsConfigDict(env_prefix="HIPS_", env_file=".env", extra="ignore", frozen=True)

    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = Field(default=64 * 1024, gt=0)
    chat_messages_per_minute: int = Field(default=30, gt=0)
    new_conversations_per_minute: int = Field(default=300, gt=0)
    audit_db: Path = Field(default_factory=default_audit_path)
    json_logs: bool = True
    log_level: str = "INFO"

    @classmethod
    def from_settings(cls, settings: Any) -> "OperationsSettings":
        """The environment's values, overridden by any of these fields that ``settings`` declares."""
        declared = {name: getattr(settings, name) for name in cls.model_fields if hasattr(settings, name)}
        return cls(**declared)
