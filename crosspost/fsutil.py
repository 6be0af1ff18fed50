"""Writing files so that a crash never leaves half of one behind."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None,
                       before_replace: Callable[[], None] | None = None) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename it over.

    The rename is atomic on POSIX and Windows (``os.replace``), so a reader sees the old
    file or the new one, never a mix. The file keeps its permission bits (``mode`` for a new
    file; the umask applies otherwise). ``before_replace`` runs when the temporary file is
    complete, just before the rename: raising from it abandons the write (the temporary file
    is removed), which lets a caller re-check that the target did not change meanwhile.
    """
    path = Path(path)
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str, *, mode: int | None = None,
                      before_replace: Callable[[], None] | None = None) -> None:
    """:func:`atomic_write_bytes` for text, UTF-8, with no newline translation."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode, before_replace=before_replace)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not possible on every platform, harmless to skip.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = ["atomic_write_bytes", "atomic_write_text"]
