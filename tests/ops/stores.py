"""Real PostgreSQL and Redis for the operations tests: a fresh database per run, or a clear skip."""

import shutil
import socket
import subprocess
import uuid

import pytest

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def reachable(host: str, port: int) -> bool:
    """Return True when something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require_postgres_and_redis() -> None:
    """Skip (never mock) when the machine's PostgreSQL or Redis is not there."""
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed (apt-get install postgresql-client)")
    if not reachable(PG_HOST, PG_PORT):
        pytest.skip(f"PostgreSQL is not reachable on {PG_HOST}:{PG_PORT}; start it: "
                    "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start")
    if not reachable(REDIS_HOST, REDIS_PORT):
        pytest.skip(f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT}; start it: "
                    "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no")


def psql(sql: str, database: str = "test") -> str:
    """Run one SQL statement with psql and return its unaligned output."""
    done = subprocess.run(
        ["psql", "-h", PG_HOST, "-p", str(PG_PORT), "-U", PG_USER, "-d", database, "-At", "-v", "ON_ERROR_STOP=1",
         "-c", sql], capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def create_database(prefix: str) -> str:
    """Create an empty database and return its name."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    psql(f"CREATE DATABASE {name}")
    return name


def drop_database(name: str) -> None:
    """Drop a database made by ``create_database`` (closing its connections first)."""
    psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    psql(f"DROP DATABASE IF EXISTS {name}")


def flush_redis_db(db: int) -> None:
    """Empty one Redis database index (the lock store's), leaving the others alone."""
    subprocess.run(["redis-cli", "-h", REDIS_HOST, "-p", str(REDIS_PORT), "-n", str(db), "FLUSHDB"],
                   capture_output=True, timeout=30, check=False)


def tracker_events(database: str, sender_id: str) -> list[tuple[str, str]]:
    """(type, text) of every stored event of one conversation, in the order Rasa stored them."""
    rows = psql(f"SELECT type_name, regexp_replace(coalesce(data::json->>'text', ''), '\\s+', ' ', 'g') FROM events "
                f"WHERE sender_id = '{sender_id}' ORDER BY id", database)
    return [tuple(line.split("|", 1)) for line in rows.splitlines() if line]  # type: ignore[misc]
