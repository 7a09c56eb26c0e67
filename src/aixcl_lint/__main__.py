"""``python -m aixcl_lint``."""

import sys

from aixcl_lint.cli import main

sys.exit(main())
