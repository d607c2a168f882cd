"""Conversations survive a Rasa restart, and two Rasa servers share one conversation in order.

Real PostgreSQL (SQL tracker store) and Redis (lock store) on loopback, configured only through
``endpoints.yml`` and the environment, exactly as a deployment would.
"""

import concurrent.futures
import uuid
from collections.abc import Iterator

import pytest

from scripts.stack import Ports, Stack
from tests.ops.conversation import cautious_answer, question_in, rest_sender
from tests.ops.services import scaled_specs
from tests.ops.stores import (
    PG_HOST,
    PG_PORT,
    PG_USER,
    create_database,
    drop_database,
    flush_redis_db,
    require_postgres_and_redis,
    tracker_events,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PORTS = Ports(rasa=35005, actions=35055, api=38000)
SECOND_RASA_PORT = 35006
LOCK_DB = 5
# Identifying details that must never reach Rasa's own log (it runs with --quiet, as deployed).
WORRY = "Amelia Hartley, born 03/04/2015, NHS number 943 476 5919, comes to school hungry and in dirty clothes"


@pytest.fixture(scope="module")
def stores() -> Iterator[tuple[str, str]]:
    require_postgres_and_redis()
    database = create_database("hips_ops")
    flush_redis_db(LOCK_DB)
    try:
        yield database, f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"
    finally:
        flush_redis_db(LOCK_DB)
        drop_database(database)


@pytest.fixture(scope="module")
def two_rasa_stack(stores: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    var_dir = tmp_path_factory.mktemp("ops-var")
    specs = scaled_specs(PORTS, var_dir, stores[1], LOCK_DB, extra_rasa_ports=(SECOND_RASA_PORT,))
    stack = Stack([s for s in specs if s.name != "api"], var_dir)
    stack.start()
    try:
        stack.wait_healthy(timeout_seconds=480)
        yield stack
    finally:
        stack.stop()


def test_a_guided_conversation_continues_after_the_rasa_server_restarts(two_rasa_stack: Stack, stores):
    database, _ = stores
    sender = f"ops-{uuid.uuid4().hex[:8]}"
    send = rest_sender(f"http://127.0.0.1:{PORTS.rasa}", sender)
    first = question_in(send(WORRY))
    assert first is not None, "the bot did not start asking the threshold questions"
    second = question_in(send(cautious_answer(first)))
    assert second is not None and second["text"] != first["text"], "the form did not move to a second question"

    two_rasa_stack.stop(["rasa"])
    two_rasa_stack.start(["rasa"])
    two_rasa_stack.wait_healthy(timeout_seconds=300, names=["rasa"])

    after_restart = send(cautious_answer(second))
    third = question_in(after_restart)
    asked_before = {first["text"], second["text"]}
    assert third is not None, f"after the restart the form neither asked nor answered: {after_restart}"
    assert third["text"] not in asked_before, "after the restart the form started again instead of going on"
    user_texts = [text for kind, text in tracker_events(database, sender) if kind == "user"]
    assert user_texts[:3] == [WORRY, cautious_answer(first), cautious_answer(second)], "stored turns were lost"

    log = (two_rasa_stack.var_dir / "log" / "rasa.log").read_text(encoding="utf-8", errors="replace")
    for detail in ("Amelia", "Hartley", "03/04/2015", "943 476 5919", "dirty clothes"):
        assert detail not in log, f"Rasa's own log printed the practitioner's words: {detail!r}"


def test_two_rasa_servers_behind_one_lock_store_answer_one_conversation_in_order(two_rasa_stack: Stack, stores):
    database, _ = stores
    sender = f"ops-{uuid.uuid4().hex[:8]}"
    servers = [f"http://127.0.0.1:{PORTS.rasa}", f"http://127.0.0.1:{SECOND_RASA_PORT}"]
    messages = [f"hello {n}" for n in range(12)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(messages)) as pool:
        answers = list(pool.map(lambda pair: rest_sender(servers[pair[0] % 2], sender)(pair[1]),
                                enumerate(messages)))
    assert all(answers), "a concurrent message got no answer"

    events = [(kind, text) for kind, text in tracker_events(database, sender) if kind in {"user", "bot"}]
    user_texts = [text for kind, text in events if kind == "user"]
    assert sorted(user_texts) == sorted(messages), "a concurrent message was lost from the stored conversation"
    for index, (kind, _) in enumerate(events):
        if kind == "user":
            following = events[index + 1] if index + 1 < len(events) else ("end", "")
            assert following[0] == "bot", "two messages were processed at once: a user turn has no answer after it"
