"""``python -m crosspost.hook MODE HOOK_PATH REMOTE URL``: what the installed script runs."""

import sys

from crosspost.hook.entry import main

sys.exit(main())
