"""``python -m generator`` is the same as the ``gongkai`` command."""

import sys

from .cli import main

sys.exit(main())
