"""Service specs for the operations tests: the project's own start-up path with other ports and stores."""

import dataclasses
from pathlib import Path

from scripts.stack import Ports, ServiceSpec, service_specs
from tests.ops.stores import REDIS_HOST, REDIS_PORT

RASA_LOGGING = "api/observability/rasa_logging.yml"


def with_port(command: list[str], port: int) -> list[str]:
    """The same command with its ``--port`` value replaced."""
    index = command.index("--port")
    return [*command[: index + 1], str(port), *command[index + 2:]]


def with_log_redaction(command: list[str]) -> list[str]:
    """The Rasa command with the logging configuration that withholds message text (ADR 0007)."""
    if "--logging-config-file" in command:
        return command
    return [*command, "--logging-config-file", RASA_LOGGING]


def scaled_specs(ports: Ports, var_dir: Path, tracker_url: str, lock_db: int | None,
                 extra_rasa_ports: tuple[int, ...] = ()) -> list[ServiceSpec]:
    """Actions, Rasa (plus one Rasa per extra port) and the API, on ``tracker_url`` and a Redis lock store.

    ``lock_db`` None keeps the in-memory lock store (one Rasa process only).
    """
    specs = {spec.name: spec for spec in service_specs(ports, var_dir)}
    rasa_env = {**specs["rasa"].env, "TRACKER_URL": tracker_url}
    if lock_db is not None:
        rasa_env |= {"LOCK_STORE_TYPE": "redis", "LOCK_STORE_URL": REDIS_HOST,
                     "LOCK_STORE_PORT": str(REDIS_PORT), "LOCK_STORE_DB": str(lock_db)}
    rasa = dataclasses.replace(specs["rasa"], env=rasa_env, command=with_log_redaction(specs["rasa"].command))
    extra = [
        dataclasses.replace(rasa, name=f"rasa{n + 2}", command=with_port(rasa.command, port),
                            health_url=f"http://127.0.0.1:{port}/")
        for n, port in enumerate(extra_rasa_ports)
    ]
    api = dataclasses.replace(specs["api"], env={**specs["api"].env, "TRACKER_URL": tracker_url})
    return [specs["actions"], rasa, *extra, api]
