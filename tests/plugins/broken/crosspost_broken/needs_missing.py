"""A target whose module needs a library that is not installed: importing it fails."""

from __future__ import annotations

import quill_sdk_not_installed  # type: ignore[import-not-found]  # noqa: F401


class Broken:
    pass
