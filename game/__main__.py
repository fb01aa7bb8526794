"""``python -m game``: the same as the ``flashpoint`` command (the classroom server runs each
student's game this way, with no shell in between)."""

import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main())
