"""``python -m adamlab``: the same as the ``adamlab`` command (see :mod:`adamlab.cli`)."""

import sys

from adamlab.cli import main

sys.exit(main())
