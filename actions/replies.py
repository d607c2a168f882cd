"""The custom actions' wording, kept as data in ``actions/replies.yml``."""

from functools import lru_cache
from pathlib import Path

import yaml

REPLIES_FILE = Path(__file__).resolve().parent / "replies.yml"


@lru_cache(maxsize=1)
def _replies() -> dict[str, str]:
    return {name: str(text) for name, text in yaml.safe_load(REPLIES_FILE.read_text(encoding="utf-8")).items()}


def reply(name: str, **values: object) -> str:
    """The reply ``name`` with its ``{placeholders}`` filled."""
    return _replies()[name].format(**values)
