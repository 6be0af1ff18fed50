"""The adapters: one module per platform behind :mod:`crosspost.targets.base`.

The table of targets (names, aliases, endpoints, and the entry points that name each
target's class) is :mod:`crosspost.platforms`; this package turns an entry of it into a
working adapter. A target module is imported only through :func:`load_adapter`, so nothing
pays for httpx, or for a package's module, until a command uses that target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crosspost.platforms import TARGETS, TargetInfo, target_class

if TYPE_CHECKING:
    from crosspost.render import Notice, Rendered
    from crosspost.targets.base import Target


def load_adapter(info: TargetInfo) -> type[Target]:
    """The adapter class for ``info``, imported through its entry point (built-in or not).

    Raises PluginError (one line naming the entry point and its package) when it cannot be.
    """
    from crosspost.errors import PluginError
    from crosspost.targets.base import Target

    cls = target_class(info.name)
    if not issubclass(cls, Target):  # derives from the table's Described, but not from Target
        raise PluginError(f"{cls.__module__}.{cls.__qualname__} is not a crosspost target: a "
                          "target is a subclass of crosspost.targets.base.Target", target=info.name)
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
