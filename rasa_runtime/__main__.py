"""``python -m rasa_runtime run ...``: Rasa's own command line, with our adjustments installed first."""

import sys

from rasa_runtime import redis_lock, schema_cache, sql_pool


def main() -> None:
    """Install the adjustments, then hand over to Rasa's command line with the same arguments."""
    schema_cache.install()
    sql_pool.install()
    redis_lock.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
