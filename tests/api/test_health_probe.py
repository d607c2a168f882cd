"""The action-server probe: busy is not down, silent or refusing is."""

import asyncio

import httpx

from api.health_probe import HealthProbe


def probe_answering(answers: list, grace: float = 30.0) -> HealthProbe:
    """A probe whose successive checks get ``answers``: a status code or an exception to raise."""
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer)

    return HealthProbe("http://actions.test/health", cache_seconds=0, busy_grace_seconds=grace,
                       transport=httpx.MockTransport(handler))


def checks(probe: HealthProbe, count: int) -> list[bool]:
    async def run() -> list[bool]:
        return [await probe.is_up() for _ in range(count)]
    return asyncio.run(run())


def test_a_server_too_busy_to_answer_in_time_after_answering_recently_is_up():
    probe = probe_answering([200, httpx.ReadTimeout("busy"), httpx.ReadTimeout("busy")])
    assert checks(probe, 3) == [True, True, True]


def test_a_server_that_never_answered_is_down_even_when_it_accepts_the_connection():
    probe = probe_answering([httpx.ReadTimeout("silent")])
    assert checks(probe, 1) == [False]


def test_a_server_silent_for_longer_than_the_grace_period_is_down():
    probe = probe_answering([200, httpx.ReadTimeout("silent")], grace=0.0)
    assert checks(probe, 2) == [True, False]


def test_refused_connections_and_error_statuses_are_down_at_once():
    probe = probe_answering([200, httpx.ConnectError("refused"), 503, httpx.ConnectTimeout("no route"), 200])
    assert checks(probe, 5) == [True, False, False, False, True]
