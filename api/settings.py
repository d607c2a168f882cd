"""Service settings, read once from the environment (prefix ``HIPS_``) or ``.env``."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything an operator can tune without touching code."""

    model_config = SettingsConfigDict(env_prefix="HIPS_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = Field(default=15.0, gt=0)
    actions_health_url: str = "http://127.0.0.1:5055/health"
    # The tracker store URL Rasa uses (TRACKER_URL); when it names a server, the chat probes it before each turn.
    tracker_url: str = Field(default="", validation_alias="TRACKER_URL")
    guidance_dir: Path = REPO_ROOT / "knowledge" / "guidance"
    index_dir: Path = REPO_ROOT / "var" / "index"
    pathways_dir: Path = REPO_ROOT / "pathways"
    replies_file: Path = REPO_ROOT / "api" / "replies.yml"
    admin_token: str = ""
    session_secret: str = "change-me-in-production"
    max_message_chars: int = Field(default=2000, gt=0)
    load_guidance: bool = True
    cors_origins: list[str] = []
    max_body_bytes: int = Field(default=65536, gt=0)
    chat_messages_per_minute: int = Field(default=30, gt=0)
    new_conversations_per_minute: int = Field(default=300, gt=0)
    audit_db: Path = REPO_ROOT / "var" / "audit.db"
    json_logs: bool = True
    log_level: str = "INFO"


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings (cached; tests override through dependencies)."""
    return Settings()
