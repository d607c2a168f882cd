"""Start, watch and stop the three local services (Rasa, action server, FastAPI).

Used by ``make run`` (scripts/run_services.py) and by the end-to-end tests, so both exercise
exactly the same start-up path.
"""

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Ports:
    """Loopback ports of the three services."""

    rasa: int = 5005
    actions: int = 5055
    api: int = 8000

    @classmethod
    def from_env(cls) -> "Ports":
        """Read ``RASA_PORT``, ``ACTIONS_PORT`` and ``HIPS_PORT`` (defaults 5005, 5055, 8000)."""
        return cls(
            rasa=int(os.environ.get("RASA_PORT", 5005)),
            actions=int(os.environ.get("ACTIONS_PORT", 5055)),
            api=int(os.environ.get("HIPS_PORT", 8000)),
        )


@dataclass(frozen=True)
class ServiceSpec:
    """How to start one service and how to tell that it is healthy."""

    name: str
    command: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)


def service_specs(ports: Ports, var_dir: Path) -> list[ServiceSpec]:
    """The three services with the embedded defaults (SQLite tracker store, local index)."""
    tracker_url = os.environ.get("TRACKER_URL", f"sqlite:///{var_dir / 'rasa' / 'tracker.db'}")
    audit_db = os.environ.get("HIPS_AUDIT_DB", str(var_dir / "audit.db"))
    return [
        ServiceSpec(
            name="actions",
            # One process: rasa-sdk's own app and options without a second, duplicate worker (ADR 0009).
            command=[str(ROOT / ".venv/bin/python"), "-m", "scripts.action_server", "--actions", "actions",
                     "--port", str(ports.actions), "--quiet"],
            health_url=f"http://127.0.0.1:{ports.actions}/health",
            # No progress bars: tqdm's lock would fix multiprocessing to "fork" and Sanic then refuses to start.
            env={"SANIC_HOST": "127.0.0.1", "HIPS_ACTIONS_PRELOAD": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1",
                 "HIPS_AUDIT_DB": audit_db},
        ),
        ServiceSpec(
            name="rasa",
            # rasa_runtime = `rasa run` with the schema-check cache and SQL pre-ping installed (ADR 0009).
            command=[str(ROOT / ".venv-rasa/bin/python"), "-m", "rasa_runtime", "run", "--model", "models/hips.tar.gz",
                     "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
                     "--interface", "127.0.0.1", "--port", str(ports.rasa), "--quiet",
                     "--logging-config-file", "api/observability/rasa_logging.yml"],
            health_url=f"http://127.0.0.1:{ports.rasa}/",
            env={
                "ACTION_ENDPOINT_URL": os.environ.get(
                    "ACTION_ENDPOINT_URL", f"http://127.0.0.1:{ports.actions}/webhook"),
                "TRACKER_URL": tracker_url,
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                # Lock store: in memory for one Rasa process; redis when several share the trackers.
                "LOCK_STORE_TYPE": os.environ.get("LOCK_STORE_TYPE", "in_memory"),
                "LOCK_STORE_URL": os.environ.get("LOCK_STORE_URL", "127.0.0.1"),
                "LOCK_STORE_PORT": os.environ.get("LOCK_STORE_PORT", "6379"),
                "LOCK_STORE_DB": os.environ.get("LOCK_STORE_DB", "1"),
                "LOCK_STORE_PASSWORD": os.environ.get("LOCK_STORE_PASSWORD", ""),
                # Rasa's telemetry and error reports would leave the machine: off (no personal data out).
                "RASA_TELEMETRY_ENABLED": "false",
            },
        ),
        ServiceSpec(
            name="api",
            command=[str(ROOT / ".venv/bin/python"), "-m", "uvicorn", "api.main:app",
                     "--host", "127.0.0.1", "--port", str(ports.api), "--no-access-log"],
            health_url=f"http://127.0.0.1:{ports.api}/health",
            env={"HIPS_RASA_URL": f"http://127.0.0.1:{ports.rasa}", "HIPS_PORT": str(ports.api),
                 "HIPS_ACTIONS_HEALTH_URL": f"http://127.0.0.1:{ports.actions}/health", "HIPS_AUDIT_DB": audit_db,
                 "TRACKER_URL": tracker_url},
        ),
    ]


def is_healthy(url: str) -> bool:
    """Return True when ``url`` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def math_threads() -> dict[str, str]:
    """One BLAS/OpenMP thread per service unless HIPS_SERVICE_THREADS says otherwise (ADR 0009).

    Each service answers many practitioners at once on a 2-core machine; a second math thread per embedding
    only competes with the other services and requests (measured: p95 turn latency under load).
    """
    threads = os.environ.get("HIPS_SERVICE_THREADS", "1")
    return {name: threads for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


class Stack:
    """The running services; logs go to ``var/log/<service>.log``."""

    def __init__(self, specs: list[ServiceSpec], var_dir: Path) -> None:
        self.specs = specs
        self.var_dir = var_dir
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, names: list[str] | None = None) -> None:
        """Start the named services (all by default), each in its own process group."""
        (self.var_dir / "log").mkdir(parents=True, exist_ok=True)
        (self.var_dir / "rasa").mkdir(parents=True, exist_ok=True)
        for spec in self.specs:
            if names is not None and spec.name not in names:
                continue
            env = {**math_threads(), **os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                   "PYTHONPATH": str(ROOT), **spec.env}
            log = open(self.var_dir / "log" / f"{spec.name}.log", "ab")
            self.processes[spec.name] = subprocess.Popen(
                spec.command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_healthy(self, timeout_seconds: float = 300, names: list[str] | None = None) -> dict[str, float]:
        """Wait until every started service is healthy; return seconds to healthy per service.

        Raises:
            RuntimeError: if a service exits or is not healthy in time (its log is named).
        """
        started = time.monotonic()
        waiting = {s.name: s for s in self.specs if s.name in self.processes and (names is None or s.name in names)}
        ready: dict[str, float] = {}
        while waiting:
            for name, spec in list(waiting.items()):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} exited; see {self.var_dir / 'log' / (name + '.log')}")
                if is_healthy(spec.health_url):
                    ready[name] = round(time.monotonic() - started, 1)
                    print(f"  {name:8} ready after {ready[name]:5.1f} s  ({spec.health_url})", flush=True)
                    del waiting[name]
            if time.monotonic() - started > timeout_seconds:
                raise RuntimeError(f"not healthy after {timeout_seconds} s: {', '.join(waiting)}")
            time.sleep(0.5)
        return ready

    def stop(self, names: list[str] | None = None, timeout_seconds: float = 20) -> None:
        """Stop the named services (all by default): SIGTERM to the group, then SIGKILL."""
        for name, process in list(self.processes.items()):
            if names is not None and name not in names:
                continue
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_seconds
        for name, process in list(self.processes.items()):
            if names is not None and name not in names:
                continue
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            del self.processes[name]
