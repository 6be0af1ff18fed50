"""One run at a time per site: the lock every publish takes (``.crosspost/lock``).

Two runs at once (the publish-mode hook and a run by hand, CI and a laptop) each read the
front matter, each saw no copy, and each created one. Every run that may write takes the
site's lock before it reads the posts it will plan from, so the second run plans from what
the first one recorded. A dry run writes nothing and takes no lock.

The lock is ``filelock``'s (an ``flock`` on POSIX): the operating system drops it when its
process dies, so a crash never leaves a stale lock behind. Beside it, ``lock.json`` says who
holds it (process, host, start, command), for the message a waiting run shows.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from crosspost.errors import LockedError
from crosspost.fsutil import atomic_write_text
from crosspost.journal import now_iso, state_dir


def holder(root: Path) -> str:
    """Who holds the site's lock, in words ("pid 4242 on laptop since 10:02:11: `crosspost
    publish …`"), or a plain "another crosspost run" when it does not say."""
    try:
        data: Any = json.loads((state_dir(root) / "lock.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "another crosspost run"
    if not isinstance(data, dict):
        return "another crosspost run"
    parts = [f"another crosspost run (pid {data.get('pid', '?')} on {data.get('host', '?')}"]
    if data.get("started"):
        parts.append(f" since {data['started']}")
    parts.append(")")
    if data.get("command"):
        parts.append(f": `{data['command']}`")
    return "".join(parts)


def _describe_self() -> dict[str, Any]:
    from crosspost.credentials import redact

    command = " ".join(["crosspost", *sys.argv[1:]])[:200] if sys.argv else "crosspost"
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": now_iso(),
            "command": redact(command)}


@contextlib.contextmanager
def site_lock(root: Path, *, wait: float, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold ``root``'s lock for the body of the ``with``; wait at most ``wait`` seconds for it.

    When another run holds it, ``on_wait`` hears who, once; after ``wait`` seconds a
    :class:`LockedError` says who still holds it.
    """
    from filelock import FileLock, Timeout

    folder = state_dir(root, create=True)
    lock = FileLock(str(folder / "lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        who = holder(root)
        if on_wait is not None:
            on_wait(f"waiting up to {wait:g} s for {who} to finish with {root}")
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise LockedError(f"{holder(root)} still holds the lock of {root} after {wait:g} s",
                              hint="let it finish and run again (a dry run needs no lock); "
                              "`--wait SECONDS` waits longer") from None
    info = folder / "lock.json"
    try:
        with contextlib.suppress(OSError):
            atomic_write_text(info, json.dumps(_describe_self()) + "\n")
        yield
    finally:
        with contextlib.suppress(OSError):
            info.unlink()
        lock.release()


@contextlib.contextmanager
def site_locks(roots: Sequence[Path], *, wait: float,
               on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """The locks of several sites, always taken in the same order (no two runs deadlock)."""
    with contextlib.ExitStack() as stack:
        for root in sorted({Path(r).resolve() for r in roots}):
            stack.enter_context(site_lock(root, wait=wait, on_wait=on_wait))
        yield


__all__ = ["holder", "site_lock", "site_locks"]
