"""The new post file: its front matter, its record, and its creation without overwriting.

The front matter is written in the site's format (YAML, or TOML for a Hugo site whose posts
use it) with the keys its posts use; the ``crosspost`` block is then added by
:mod:`crosspost.record`, exactly as after a publish. The file is created next to where it
goes and linked into place (``link(2)`` fails when the name exists), so a file that appeared
meanwhile is never replaced and a crash never leaves half a post.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from crosspost.errors import ConflictError


def front_matter(fields: Sequence[tuple[str, Any]], fmt: str) -> str:
    """The front matter block (with its fences) holding ``fields`` in order."""
    data = dict(fields)
    if fmt == "toml":
        import tomlkit

        return "+++\n" + tomlkit.dumps(data) + "+++\n"
    lines = [f"{key}: {_yaml_value(value)}" for key, value in data.items()]
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n"


def _yaml_value(value: Any) -> str:
    """One YAML value on one line: a time as Jekyll writes one (``2024-03-05 09:30:00
    -05:00``), a list in flow style, a string quoted only when it must be."""
    import yaml

    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
        return text[:19] + (" " + text[19:] if len(text) > 19 else "")
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def with_records(raw: str, path: Path, records: Mapping[str, Mapping[str, object | None]]) -> str:
    """``raw`` with each target's record set in its ``crosspost`` block."""
    from crosspost.record import updated_text

    return updated_text(raw, records, path=path)


def timestamp(moment: dt.datetime) -> dt.datetime:
    """A record time as crosspost writes it (UTC, whole seconds; reads back as a time)."""
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def create(path: Path, content: str | bytes) -> None:
    """Create ``path`` holding ``content``; a ConflictError if it exists (nothing replaced).

    The content goes to a temporary file in the same folder first, then is linked into
    place: the name appears complete or not at all (an interrupted run leaves no half file).
    """
    folder = path.parent
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, temporary = tempfile.mkstemp(prefix=".crosspost-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise ConflictError(f"{path} appeared while crosspost was importing; it is left "
                                "as it is", hint="run the import again: it picks another name"
                                ) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


__all__ = ["create", "front_matter", "timestamp", "with_records"]
