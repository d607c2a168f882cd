"""Start every service of the assistant locally, wait until healthy, print the chat URL.

Ctrl-C stops them all. Run through ``make run``, which first installs, validates, indexes and trains.
"""

import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import ROOT, Ports, Stack, service_specs  # noqa: E402


def main() -> int:
    """Run the stack until interrupted; return the exit code."""
    ports = Ports.from_env()
    stack = Stack(service_specs(ports, ROOT / "var"), ROOT / "var")
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    print("starting the Rasa server, the action server and the API (logs in var/log/) ...", flush=True)
    started = time.monotonic()
    stack.start()
    try:
        stack.wait_healthy()
    except RuntimeError as exc:
        print(f"could not start: {exc}", file=sys.stderr)
        stack.stop()
        return 1
    print(f"\nready in {time.monotonic() - started:.0f} s. Web chat: http://127.0.0.1:{ports.api}/", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    while not stopping:
        for name, process in stack.processes.items():
            if process.poll() is not None:
                print(f"{name} stopped unexpectedly; see var/log/{name}.log", file=sys.stderr)
                stopping = True
        time.sleep(1)
    print("\nstopping ...", flush=True)
    stack.stop()
    print("stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
