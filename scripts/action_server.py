"""Run the rasa-sdk action server in one process (``python -m scripts.action_server`` + rasa-sdk's options).

rasa-sdk 3.21 always starts Sanic's process manager: the primary process imports the actions (and with
``HIPS_ACTIONS_PRELOAD=1`` loads the embedding model and the index), then a worker process does it all
again. That doubles the action server's memory (about 0.5 GB) and, on a busy 2-core machine, the
worker's second load can miss Sanic's fixed 30 s start-up acknowledgement, so the server gives up.
One process, the same Sanic app, the same routes and options (ADR 0009). Scale out with more
containers, not with Sanic workers.
"""

import logging
import os

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app_for_serve, create_argument_parser
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic


def main() -> None:
    """Parse rasa-sdk's own arguments, register the actions and serve them from this process."""
    args = create_argument_parser().parse_args()
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel, args.logging_config_file)
    utils.update_sanic_log_level()

    executor = ActionExecutor()
    executor.register_package(args.actions_module or args.actions)
    app = create_app_for_serve(executor, cors_origins=args.cors, endpoints=args.endpoints)
    app.prepare(host=os.environ.get("SANIC_HOST", "0.0.0.0"), port=args.port, single_process=True, motd=False)
    Sanic.serve_single(app)


if __name__ == "__main__":
    main()
