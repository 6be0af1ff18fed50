"""The adapters: one module per platform behind :mod:`crosspost.targets.base`.

The table of targets (names, aliases, endpoints) is :mod:`crosspost.platforms`; this package
turns an entry of it into a working adapter. :func:`load_adapter` is the only place a target
module is imported, so nothing pays for httpx until a command names a target.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from crosspost.platforms import TARGETS, TargetInfo

if TYPE_CHECKING:
    from crosspost.render import Notice, Rendered
    from crosspost.targets.base import Target


def load_adapter(info: TargetInfo) -> type[Target]:
    """Import the adapter class for ``info``: the only place a target module is imported."""
    module_name, _, class_name = info.adapter.partition(":")
    module = importlib.import_module(module_name)
    cls: type[Target] = getattr(module, class_name)
    return cls


def payload_notices(rendered: Rendered) -> tuple[Notice, ...]:
    """What the target's payload builder had to change or drop for ``rendered`` (no I/O)."""
    from crosspost.http import HttpSettings
    from crosspost.targets.base import TargetContext

    info = TARGETS[rendered.target]
    context = TargetContext(endpoint=info.default_endpoint, token=None, http=HttpSettings())
    with load_adapter(info)(context) as adapter:
        return adapter.notices(rendered)


__all__ = ["load_adapter", "payload_notices"]
