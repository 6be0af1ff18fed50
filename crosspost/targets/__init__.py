"""The adapters: one module per platform behind :mod:`crosspost.targets.base`.

The table of targets (names, aliases, endpoints, and the entry points that name each
target's class) is :mod:`crosspost.platforms`; this package turns an entry of it into a
working adapter. A target module is imported only through :func:`load_adapter`, so nothing
pays for httpx, or for a package's module, until a command uses that target.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from crosspost.errors import CrosspostError, TargetBug
from crosspost.platforms import TARGETS, TargetInfo, target_class

if TYPE_CHECKING:
    from crosspost.render import Notice, Rendered
    from crosspost.targets.base import RemotePost, Target


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
    with blamed(info.name), load_adapter(info)(context) as adapter:
        return adapter.notices(rendered)


def unexpected(exc: Exception, target: str) -> TargetBug:
    """A target's failure for an exception that is no CrosspostError (a bug in its code).

    It stops that target only, never the run, and names the code to blame: a package's
    target its package, a built-in one crosspost. The original is the ``__cause__`` (the CLI
    shows its traceback with ``--debug``).
    """
    text = " ".join(str(exc).split())
    error = TargetBug(f"{culprit(target)} raised {type(exc).__name__}"
                      + (f": {text}" if text else ""), hint=BUG_HINT, target=target)
    error.__cause__ = exc
    return error


@contextlib.contextmanager
def blamed(target: str) -> Iterator[None]:
    """Inside: an exception from the target's code that is no CrosspostError becomes
    :func:`unexpected`. Wraps every call into a target's code, its constructor included,
    so a package's bug fails its own target in one line and never the whole command."""
    try:
        yield
    except CrosspostError:
        raise
    except Exception as exc:
        raise unexpected(exc, target) from exc


def checked(value: object, target: str, method: str) -> RemotePost:
    """``value``, which ``method`` of the target returned, if crosspost can record it.

    What is recorded in the post's front matter and printed must be a post: a RemotePost
    whose id is a non-empty string and whose URL an absolute https address (http on the
    loopback host, where tests serve). Anything else is the target's bug, named in one line
    (TargetBug), never written into the writer's file.
    """
    from crosspost.targets.base import RemotePost

    if not isinstance(value, RemotePost):
        problem = f"{_kind(value)}, not a crosspost.targets.base.RemotePost"
    elif not isinstance(value.id, str) or not value.id.strip():
        problem = (f"a RemotePost whose id is {value.id!r} ({type(value.id).__name__}), not a "
                   "non-empty string")
    elif not _recordable_url(value.url):
        problem = f"a RemotePost whose url is {value.url!r}, not an absolute https address"
    else:
        return value
    raise TargetBug(f"{culprit(target)}'s {method} returned {problem}", hint=BUG_HINT,
                    target=target)


BUG_HINT = "a bug there: run again with --debug for the traceback, and please report it"
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def culprit(target: str) -> str:
    """The package whose code a target runs: a package's name, or crosspost for its own."""
    declarations = getattr(TARGETS[target], "declarations", ())
    package = declarations[0].package if declarations else None
    return package or "crosspost"


def _kind(value: object) -> str:
    return "None" if value is None else f"a {type(value).__name__}"


def _recordable_url(url: object) -> bool:
    from urllib.parse import urlsplit

    if not isinstance(url, str) or not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if not host:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and host in _LOOPBACK)


__all__ = ["BUG_HINT", "blamed", "checked", "culprit", "load_adapter", "payload_notices", "unexpected"]
