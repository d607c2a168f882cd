"""Faults through the real stack: each gives the safe reply with the emergency route, then recovers by itself.

Action server down and Rasa down are in tests/e2e/test_conversation.py; here: a corrupt index at start,
a guidance folder that cannot be built, the tracker database unreachable, and Rasa slower than the timeout.
PostgreSQL is cut off through a loopback TCP forwarder (the real database behind it), Rasa is slowed by
pausing its process (SIGSTOP), so nothing is mocked.
"""

import dataclasses
import json
import os
import shutil
import signal
import time
from collections.abc import Iterator

import httpx
import pytest

from api.settings import REPO_ROOT
from scripts.stack import Ports, ServiceSpec, Stack
from tests.ops.services import scaled_specs
from tests.ops.stores import (
    PG_HOST,
    PG_PORT,
    PG_USER,
    create_database,
    drop_database,
    require_postgres_and_redis,
    tracker_events,
)
from tests.ops.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PORTS = Ports(rasa=36005, actions=36055, api=38100)
PROXY_PORT = 36432
RASA_TIMEOUT = 4.0


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, TcpProxy, str]]:
    require_postgres_and_redis()
    if not (REPO_ROOT / "var" / "index" / "manifest.json").exists():
        pytest.skip("no built guidance index to corrupt: run `make index` first")
    var_dir = tmp_path_factory.mktemp("faults-var")
    corrupt_index = var_dir / "index"
    shutil.copytree(REPO_ROOT / "var" / "index", corrupt_index)
    (corrupt_index / "dense.faiss").write_bytes(b"not a faiss index")
    database = create_database("hips_faults")
    proxy = TcpProxy(PROXY_PORT, (PG_HOST, PG_PORT))
    proxy.restore()
    specs = scaled_specs(PORTS, var_dir, f"postgresql://{PG_USER}@127.0.0.1:{PROXY_PORT}/{database}", lock_db=None)
    specs = [dataclasses.replace(s, env={**s.env, "HIPS_RASA_TIMEOUT_SECONDS": str(RASA_TIMEOUT),
                                         "HIPS_INDEX_DIR": str(corrupt_index), "HIPS_LOAD_GUIDANCE": "1",
                                         "HIPS_AUDIT_DB": str(var_dir / "audit.db")})
             if s.name == "api" else s for s in specs]
    stack = Stack(specs, var_dir)
    stack.start()
    try:
        stack.wait_healthy(timeout_seconds=600)
        yield stack, proxy, database
    finally:
        stack.stop()
        proxy.cut()
        drop_database(database)


def chat(text: str, session_id: str | None = None, port: int = PORTS.api) -> dict:
    response = httpx.post(f"http://127.0.0.1:{port}/api/v1/chat", json={"message": text, "session_id": session_id},
                          timeout=60)
    assert response.status_code == 200
    return response.json()


def assert_safe_reply(body: dict) -> None:
    assert body["degraded"] is True
    assert "999" in body["messages"][-1]["text"] and "MASH" in body["messages"][-1]["text"]
    assert body["emergency"][0]["phone"] == "999"


def recovers(text: str, session_id: str, within_seconds: float = 60) -> dict:
    deadline = time.monotonic() + within_seconds
    while True:
        body = chat(text, session_id)
        if not body["degraded"] or time.monotonic() > deadline:
            return body
        time.sleep(2)


def test_a_corrupt_index_at_start_is_rebuilt_and_guidance_is_served(faulty):
    stack, _, _ = faulty
    ready = httpx.get(f"http://127.0.0.1:{PORTS.api}/ready", timeout=10).json()
    assert ready["guidance"] is True
    manifest = json.loads((stack.var_dir / "index" / "manifest.json").read_text())
    assert manifest["item_count"] > 0
    found = httpx.post(f"http://127.0.0.1:{PORTS.api}/api/v1/guidance/search",
                       json={"query": "how do I make a referral to the MASH"}, timeout=30).json()
    assert found["results"], "the rebuilt index finds nothing"


def test_rasa_slower_than_the_timeout_gives_the_safe_reply_in_time_then_recovers(faulty):
    stack, _, database = faulty
    session = chat("hello")["session_id"]
    rasa = stack.processes["rasa"]
    os.killpg(rasa.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        body = chat("a pupil is always hungry", session)
        elapsed = time.monotonic() - started
    finally:
        os.killpg(rasa.pid, signal.SIGCONT)
    assert_safe_reply(body)
    assert elapsed < RASA_TIMEOUT + 3, f"the safe reply took {elapsed:.1f} s with a {RASA_TIMEOUT} s timeout"
    assert not recovers("hello", session)["degraded"], "did not recover after Rasa came back"


def test_the_tracker_database_unreachable_gives_the_safe_reply_loses_no_stored_turn_and_logs_no_text(faulty):
    """Rasa wraps every tracker store in its FailSafeTrackerStore and would answer from an empty in-memory
    conversation; the API probes the database first and sends the safe reply instead. The turns stored before
    the outage are kept and the conversation goes on from them."""
    stack, proxy, database = faulty
    session = chat("hello")["session_id"]
    key = session.split(".")[0]
    before = chat("a pupil is always hungry and in dirty clothes", session)
    assert not before["degraded"], "the turn before the outage already got the safe reply (machine overloaded?)"
    stored_before = [event for event in tracker_events(database, key) if event[0] == "user"]
    assert len(stored_before) == 2
    proxy.cut()
    try:
        during = chat("she also has bruises on her arms", session)
    finally:
        proxy.restore()
    assert_safe_reply(during)
    body = recovers("hello", session)
    assert not body["degraded"], "did not recover after the database came back"
    # rasa_runtime gives Rasa's pool pre-ping (ADR 0009): the first turn after the outage is answered from
    # the stored conversation and stored itself, like every turn after it.
    chat("thanks", session)
    stored_after = [event for event in tracker_events(database, key) if event[0] == "user"]
    assert stored_after[:2] == stored_before, "turns stored before the outage were lost"
    assert stored_after[2:] == [("user", "hello"), ("user", "thanks")], (
        f"the turns after the outage were not all stored: {stored_after[2:]}")
    log = (stack.var_dir / "log" / "rasa.log").read_text(encoding="utf-8", errors="replace")
    assert "rest.message.received.timeout" in log, "the slow-Rasa test should have made Rasa log a timeout"
    for words in ("bruises", "dirty clothes", "always hungry"):
        assert words not in log, f"Rasa logged the practitioner's words (timeout or database error): {words!r}"


def test_an_api_whose_guidance_cannot_be_built_still_answers_with_the_safe_reply(faulty, tmp_path):
    stack, _, _ = faulty
    broken = tmp_path / "guidance" / "csa"
    broken.mkdir(parents=True)
    (broken / "broken.yml").write_text("id: [not, valid\n")
    port = PORTS.api + 1
    api = next(s for s in stack.specs if s.name == "api")
    spec = ServiceSpec(name="api-broken", command=[*api.command[:-3], "--port", str(port), "--no-access-log"],
                       health_url=f"http://127.0.0.1:{port}/health",
                       env={**api.env, "HIPS_PORT": str(port), "HIPS_GUIDANCE_DIR": str(tmp_path / "guidance"),
                            "HIPS_INDEX_DIR": str(tmp_path / "no-index"), "HIPS_RASA_URL": "http://127.0.0.1:9"})
    broken_stack = Stack([spec], tmp_path)
    broken_stack.start()
    try:
        broken_stack.wait_healthy(timeout_seconds=180)
        ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=10)
        assert ready.status_code == 503 and ready.json()["guidance"] is False
        assert_safe_reply(chat("a pupil is always hungry", port=port))
    finally:
        broken_stack.stop()
