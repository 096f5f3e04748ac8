"""``python -m adamlab``: the same as the ``adamlab`` command (see :mod:`adamlab.cli`)."""

import sys

from adamlab.cli import main

if __name__ == "__main__":  # (not when imported, e.g. by pytest's doctest collection)
    sys.exit(main())
