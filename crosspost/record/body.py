"""Writing lines of a post's body, with the same care as the front-matter record.

``crosspost pull --apply`` brings edits made on a platform into the post. Like the record,
it replaces whole lines of the text it read and nothing else (line endings, the front
matter, every other byte stay), writes atomically, and never clobbers an edit made in the
meantime: the file must still be exactly the text that was read when the rename happens.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from crosspost.errors import ConflictError, PostError
from crosspost.fsutil import atomic_write_text
from crosspost.post import split


def replaced_lines(raw: str, changes: Sequence[tuple[int, int, Sequence[str]]], *,
                   path: Path | str = "<post>") -> str:
    """Pure: ``raw`` with each ``(first, count, lines)`` applied: file lines ``first`` to
    ``first + count - 1`` (1-based; ``count`` 0 inserts before ``first``) become ``lines``
    (without line endings; they get the file's own). Changes must not overlap and must stay
    in the body."""
    parts = raw.split("\n")  # only "\n" ends a line, as in the renderer's line numbers
    old = [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    newline = "\r\n" if raw.count("\r\n") * 2 > raw.count("\n") else "\n"
    body_start = split(raw, Path(path)).body_start
    first_body_line = raw.count("\n", 0, body_start) + 1
    out = list(old)
    limit = len(old)
    for first, count, lines in sorted(changes, key=lambda c: (c[0], c[1]), reverse=True):
        start, stop = first - 1, first - 1 + count
        if first < first_body_line or stop > limit or count < 0:
            raise PostError(f"{path}: cannot change line {first}: outside the body, or overlapping")
        limit = start
        text = [line + newline for line in lines]
        if count and stop == len(old) and not old[-1].endswith("\n") and text:
            text[-1] = text[-1][: -len(newline)]  # the last line had no newline: keep it so
        elif not count and start == len(old) and out and not out[-1].endswith("\n"):
            out[-1] += newline  # appending after a last line without a newline
        out[start:stop] = text
    new = "".join(out)
    if new[:body_start] != raw[:body_start]:
        raise PostError(f"{path}: the edit would touch the front matter")
    return new


def write_lines(path: Path, expected: str,
                changes: Sequence[tuple[int, int, Sequence[str]]]) -> str:
    """Apply :func:`replaced_lines` to the file on disk, atomically; returns the new text.

    ``expected`` is the text the changes were worked out against: if the file is not that
    text any more (edited meanwhile), nothing is written and :class:`ConflictError` says so.
    """
    path = Path(path)
    real = Path(os.path.realpath(path))  # through a symlink to the real file
    new = replaced_lines(expected, changes, path=path)

    def unchanged() -> None:
        if real.read_bytes().decode("utf-8") != expected:
            raise ConflictError(f"{path} changed on disk while crosspost worked on it; nothing "
                                "was written", hint="run the same command again")

    unchanged()
    try:
        atomic_write_text(real, new, before_replace=unchanged)
    except OSError as exc:  # a read-only file or folder, a full disk
        raise PostError(f"{path}: cannot write: {exc.strerror or exc}; nothing was written",
                        hint="run the same command again once the file can be written") from exc
    return new


__all__ = ["replaced_lines", "write_lines"]
