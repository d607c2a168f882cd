"""docker-compose.yml and the Dockerfiles: health checks, restart policies, non-root images, no literal secrets."""

import re

import pytest
import yaml

from api.settings import REPO_ROOT

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
SECRET_NAMES = re.compile(r"(PASSWORD|SECRET|TOKEN)$")
OUR_IMAGES = ("rasa", "actions", "api")


def test_the_deployment_has_the_five_services():
    assert set(SERVICES) == {"rasa", "actions", "api", "postgres", "redis"}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_has_a_health_check_and_a_restart_policy(name):
    service = SERVICES[name]
    assert service.get("restart") in {"unless-stopped", "always"}, f"{name}: no restart policy"
    check = service.get("healthcheck") or {}
    assert check.get("test"), f"{name}: no health check"
    assert {"interval", "timeout", "retries"} <= set(check), f"{name}: health check without timing"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_secrets_come_from_the_environment_and_are_required(name):
    for key, value in (SERVICES[name].get("environment") or {}).items():
        if SECRET_NAMES.search(key):
            assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", str(value)), f"{name}: {key} is not a required ${{VAR}}"
    for key, value in (SERVICES[name].get("environment") or {}).items():
        assert "change-me" not in str(value), f"{name}: {key} carries a literal placeholder secret"


def test_rasa_uses_the_postgres_tracker_store_and_the_redis_lock_store():
    env = SERVICES["rasa"]["environment"]
    assert env["TRACKER_URL"].startswith("postgresql://") and "@postgres:5432/" in env["TRACKER_URL"]
    assert env["LOCK_STORE_TYPE"] == "redis" and env["LOCK_STORE_URL"] == "redis"
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert {"postgres", "redis", "actions"} <= set(SERVICES["rasa"]["depends_on"])


def test_every_variable_endpoints_yml_needs_is_set_for_rasa():
    lines = (REPO_ROOT / "endpoints.yml").read_text(encoding="utf-8").splitlines()
    needed = {name for line in lines if not line.lstrip().startswith("#")
              for name in re.findall(r"\$\{([A-Z_]+)\}", line)}
    assert needed and needed <= set(SERVICES["rasa"]["environment"])


def test_the_api_publishes_on_loopback_only_and_checks_readiness():
    assert all(str(port).startswith("127.0.0.1:") for port in SERVICES["api"]["ports"])
    assert "/ready" in " ".join(SERVICES["api"]["healthcheck"]["test"])


def test_env_example_names_every_variable_compose_requires():
    text = (REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    required = set(re.findall(r"\$\{([A-Z_]+):\?", text))
    example = {line.split("=", 1)[0] for line in (REPO_ROOT / ".env.example").read_text().splitlines()
               if "=" in line and not line.startswith("#")}
    assert required <= example, f"missing from .env.example: {sorted(required - example)}"


@pytest.mark.parametrize("dockerfile", sorted((REPO_ROOT / "docker").glob("*.Dockerfile")), ids=lambda p: p.name)
def test_our_images_run_as_a_non_root_user(dockerfile):
    users = re.findall(r"^USER\s+(\S+)", dockerfile.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}, f"{dockerfile.name}: the last USER must not be root"


def test_the_model_and_index_are_built_into_the_images_as_artefacts():
    rasa = (REPO_ROOT / "docker" / "rasa.Dockerfile").read_text(encoding="utf-8")
    app = (REPO_ROOT / "docker" / "app.Dockerfile").read_text(encoding="utf-8")
    assert "COPY models/hips.tar.gz" in rasa
    assert "python -m knowledge build" in app
    for package in ("privacy", "audit", "actions", "api", "knowledge", "pathways"):
        assert f"COPY {package} {package}" in app, f"app image lacks the {package} package"


def test_rasa_runs_quiet_with_the_log_configuration_that_withholds_message_text():
    rasa = (REPO_ROOT / "docker" / "rasa.Dockerfile").read_text(encoding="utf-8")
    assert '"--quiet"' in rasa and '"--logging-config-file", "api/observability/rasa_logging.yml"' in rasa
    config = yaml.safe_load((REPO_ROOT / "api" / "observability" / "rasa_logging.yml").read_text(encoding="utf-8"))
    assert config["filters"]["redact_message_text"]["()"] == "api.observability.rasa_log_filter.RedactMessageText"
    assert all("redact_message_text" in handler.get("filters", []) for handler in config["handlers"].values())
