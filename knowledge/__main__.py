"""Entry point for `python -m knowledge` (see knowledge/cli.py for the commands)."""

import sys

from knowledge.cli import main

sys.exit(main())
