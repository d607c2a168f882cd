"""Which evaluation sets are held out: the one rule every fit and benchmark uses.

A set is held out while the comment header at its top says never to tune on it and does not say it was
used for development. Nothing may learn from a held-out set (the route-reader and abstention fits refuse
it) and `make bench-triage` prints its figures but not its misses, so that nobody tunes on it by accident.
Releasing a set for development is one header line ("USED FOR DEVELOPMENT from <date> ..."), written
after its one blind measurement, when a newer blind set takes over.
"""

from pathlib import Path

HEADER_LINES = 20


def is_held_out(path: Path) -> bool:
    """True while the file's header says "never tune" and not "used for development"."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()[:HEADER_LINES]
    header = " ".join(line for line in lines if line.lstrip().startswith("#")).upper()
    return "NEVER TUNE" in header and "USED FOR DEVELOPMENT" not in header
