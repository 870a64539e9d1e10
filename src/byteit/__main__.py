"""`python -m byteit`: the same as the `byteit` command."""

import sys

from byteit.cli import main

sys.exit(main())
