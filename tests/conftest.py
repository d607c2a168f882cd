"""Shared fixtures: the real services, started once per session for end-to-end and browser tests,
on ports that do not clash with `make run`."""

from collections.abc import Iterator

import pytest

from scripts.stack import Ports, Stack, service_specs


@pytest.fixture(scope="session")
def ports() -> Ports:
    return Ports(rasa=15005, actions=15055, api=18000)


@pytest.fixture(scope="session")
def stack(ports: Ports, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    var_dir = tmp_path_factory.mktemp("var")
    running = Stack(service_specs(ports, var_dir), var_dir)
    running.start()
    try:
        running.wait_healthy(timeout_seconds=420)
        yield running
    finally:
        running.stop()
