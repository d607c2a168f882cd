"""Teams channel settings, read from the environment (prefix ``HIPS_TEAMS_``) or ``.env``."""

from functools import lru_cache

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class TeamsSettings(BaseSettings):
    """The bot's Entra app registration (single tenant) and how the channel behaves.

    ``auth_enabled`` may be switched off only for local development with the Agents Playground or
    Bot Framework Emulator: then requests are accepted without a token and replies are sent unsigned.
    """

    model_config = SettingsConfigDict(env_prefix="HIPS_TEAMS_", env_file=".env", extra="ignore")

    app_id: str = ""
    tenant_id: str = ""
    client_secret: SecretStr = SecretStr("")
    auth_enabled: bool = True
    session_secret: SecretStr = SecretStr("")
    connector_url_override: str = ""
    max_message_chars: int = Field(default=2000, gt=0)
    max_send_attempts: int = Field(default=4, ge=1, le=10)
    max_retry_wait_seconds: float = Field(default=20.0, gt=0)
    typing_interval_seconds: float = Field(default=3.0, gt=0)

    @model_validator(mode="after")
    def _auth_needs_the_whole_app_registration(self) -> "TeamsSettings":
        if self.auth_enabled and any(self._registration().values()):
            missing = [name for name, value in self._registration().items() if not value]
            if missing:
                names = ", ".join(f"HIPS_TEAMS_{name.upper()}" for name in missing)
                raise ValueError(f"Teams authentication is on but {names} not set")
        return self

    def _registration(self) -> dict[str, str]:
        return {
            "app_id": self.app_id,
            "tenant_id": self.tenant_id,
            "client_secret": self.client_secret.get_secret_value(),
            "session_secret": self.session_secret.get_secret_value(),
        }

    @property
    def channel_enabled(self) -> bool:
        """True when the app registration is complete, or authentication is off for local development."""
        return not self.auth_enabled or all(self._registration().values())

    @property
    def session_secret_or_default(self) -> str:
        """The secret that keys conversation ids into Rasa sender ids (a fixed one only with auth off)."""
        return self.session_secret.get_secret_value() or "local-development-only"


@lru_cache
def get_teams_settings() -> TeamsSettings:
    """Return the process-wide Teams settings (cached)."""
    return TeamsSettings()
