"""Write publish results into a post's front matter, changing nothing else in the file.

Re-dumping the front matter (what python-frontmatter does, and dabrady/syndicate with it)
sorts keys, drops comments and quotes and re-flows lists: it destroys the user's file. So
the record step edits text: :mod:`~crosspost.record.yaml_edit` learns from PyYAML where each
node sits, :mod:`~crosspost.record.toml_edit` cuts TOML into statements, and both emit only
the lines that must change, with the quoting each format needs and the file's own line
endings. Every edit stays inside the ``crosspost`` block (or appends one).

Before anything is returned, the new text is parsed again and compared with the original
mapping plus the results, and the body is checked to be byte-identical: a shape the editors
cannot change safely is refused with a one-line :class:`PostError`, never guessed at.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from crosspost.errors import ConflictError, PostError
from crosspost.fsutil import atomic_write_text
from crosspost.post import Post, split
from crosspost.record.edits import DELETE, Changes, Entries, Map, Unsupported, to_set
from crosspost.record.toml_edit import TomlEditor
from crosspost.record.yaml_edit import YamlEditor, yaml_key

Results = Mapping[str, Mapping[str, object | None]]

# A file that keeps changing under us is someone else's editor saving in a loop; after this
# many rounds the engine's journal keeps the results and the user is asked to run again.
_ATTEMPTS: Final = 5
_KEPT = "the results are kept in crosspost's journal, so run the same command again once the file is saved"


# -- public API -----------------------------------------------------------------------------


def updated_text(raw: str, results: Results, *, path: Path | str = "<post>") -> str:
    """Pure: the post text with each target's record keys set (value None = remove that key).

    ``results`` maps target names (aliases accepted) to the keys to set; record keys of a
    target that ``results`` does not mention stay as they are. Keys whose value is already
    the one asked for are left byte for byte, so a second identical call returns ``raw``.
    """
    path = Path(path)
    post = Post.from_text(raw, path)
    wanted = _canonical(results)
    changes = _changes(post.crosspost, wanted)
    if not changes:
        return raw
    try:
        new = _edit(post, changes)
        _verify(post, new, changes)
    except Unsupported as exc:
        raise PostError.at(
            path, post.key_line("crosspost") or 1,
            f"cannot record the results in the front matter: {exc}",
            hint="write the `crosspost` block as a plain mapping of targets to options and run again",
        ) from None
    return new


def record_results(path: Path, results: Results, *, expected: str | None) -> str:
    """Apply :func:`updated_text` to the file on disk atomically; returns the new text.

    ``expected`` is the text the caller last read. If the file changed since, the same
    update is applied to what is there now (it only touches the ``crosspost`` block, so it
    merges with the user's edit); if that is impossible, :class:`ConflictError` and the file
    stays exactly as the user left it. The content is compared again right before the
    rename, and the whole read-edit-write is retried when it moved meanwhile.
    """
    path = Path(path)
    # Write through a symlink to the real file instead of replacing the link with a copy.
    real = Path(os.path.realpath(path))
    for _ in range(_ATTEMPTS):
        current = _read_current(real, path)
        new = _merge(current, results, expected, path)
        if new == current:
            return current

        def unchanged(seen: str = current) -> None:
            if _read_current(real, path) != seen:
                raise _Changed

        try:
            atomic_write_text(real, new, before_replace=unchanged)
        except _Changed:
            continue
        except OSError as exc:  # a read-only file or folder, a full disk: the journal keeps it
            raise ConflictError(f"{path}: cannot write: {exc.strerror or exc}",
                                hint="the results are kept in crosspost's journal: run the same "
                                "command again once the file can be written") from exc
        return new
    raise ConflictError(f"{path} kept changing on disk while crosspost tried to record its results",
                        hint=_KEPT)


class _Changed(Exception):
    """The file moved between our read and the rename; the write was abandoned."""


def _read_text(path: Path) -> str:
    # Bytes, then decode: text mode would turn CRLF into LF and the write would convert the file.
    return path.read_bytes().decode("utf-8")


def _read_current(real: Path, shown: Path) -> str:
    try:
        return _read_text(real)
    except FileNotFoundError:
        raise ConflictError(f"{shown} was moved or deleted while crosspost was publishing",
                            hint=_KEPT) from None
    except UnicodeDecodeError:
        raise ConflictError(f"{shown} is no longer valid UTF-8", hint=_KEPT) from None
    except OSError as exc:
        raise ConflictError(f"{shown}: cannot read: {exc.strerror}", hint=_KEPT) from exc


def _merge(current: str, results: Results, expected: str | None, path: Path) -> str:
    if expected is None or current == expected:
        return updated_text(current, results, path=path)
    try:
        had_front_matter = split(expected, path).format != "none"
    except PostError:
        had_front_matter = False
    try:
        if had_front_matter and split(current, path).format == "none":
            raise PostError(f"{path}: the front matter is gone")
        return updated_text(current, results, path=path)
    except PostError as exc:
        raise ConflictError(
            f"{path} changed on disk while crosspost was publishing and the results no longer "
            f"fit in it ({exc.message})",
            hint="fix the front matter; " + _KEPT,
        ) from None


# -- what changes ---------------------------------------------------------------------------


def _canonical(results: Results) -> dict[str, dict[str, object | None]]:
    from crosspost.platforms import ALIASES

    wanted: dict[str, dict[str, object | None]] = {}
    for name, values in results.items():
        target = ALIASES.get(str(name).strip().lower())
        if target is None:
            raise ValueError(f"unknown target {name!r}")
        if not isinstance(values, Mapping):
            raise TypeError(f"results for {name!r} must be a mapping, not {type(values).__name__}")
        record = wanted.setdefault(target, {})
        for key, value in values.items():
            if not isinstance(key, str) or not key:
                raise TypeError(f"record keys must be non-empty strings, not {key!r}")
            record[key] = value
    return wanted


def _changes(current: Mapping[str, Mapping[str, Any]],
             wanted: Mapping[str, Mapping[str, object | None]]) -> Changes:
    changes: Changes = {}
    for target, values in wanted.items():
        record = current.get(target, {})
        entries: Entries = []
        for key, value in values.items():
            if value is None:
                if key in record:
                    entries.append((key, DELETE))
            elif key not in record or not _same(record[key], value):
                entries.append((key, value))
        if entries:
            changes[target] = entries
    return changes


def _same(a: object, b: object) -> bool:
    """Equal and of the same kind: ``"1"``, ``1`` and ``True`` are three different records."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if type(a) is not type(b):
        return False
    return bool(a == b)


# -- the edit, checked ----------------------------------------------------------------------


def _edit(post: Post, changes: Changes) -> str:
    raw, span = post.raw, post.span
    if span.format == "none":
        return _new_front_matter(raw, changes)
    nl = "\r\n" if raw[:span.start].endswith("\r\n") else "\n"
    source = raw[span.start:span.end]
    editor: YamlEditor | TomlEditor
    editor = YamlEditor(source, nl) if span.format == "yaml" else TomlEditor(source, nl)
    return raw[:span.start] + editor.apply(changes) + raw[span.end:]


def _new_front_matter(raw: str, changes: Changes) -> str:
    """A YAML front matter holding only the block: the one case that adds bytes at the top."""
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    body = raw[len(bom):]
    newline = body.find("\n")
    nl = "\r\n" if newline > 0 and body[newline - 1] == "\r" else "\n"
    block = YamlEditor("", nl).block_lines(
        [("crosspost", Map(tuple((name, Map(tuple((yaml_key(k), v) for k, v in to_set(entries))))
                                  for name, entries in changes.items() if to_set(entries))))],
        "")
    return bom + "---" + nl + "".join(line + nl for line in block) + "---" + nl + body


def _verify(old: Post, new_raw: str, changes: Changes) -> None:
    """The new text parses to the old mapping plus the changes, and the body is untouched."""
    try:
        new = Post.from_text(new_raw, old.path)
        got = new.crosspost
    except PostError as exc:
        raise Unsupported(f"the edit would break it ({exc.message})") from None
    old_body = old.body.removeprefix("\ufeff") if old.format == "none" else old.body
    same_opening = old.format == "none" or new_raw[:new.span.start] == old.raw[:old.span.start]
    if new.body != old_body or not same_opening:
        raise Unsupported("the edit would touch the body")
    expected = {target: dict(record) for target, record in old.crosspost.items()}
    for target, entries in changes.items():
        record = expected.setdefault(target, {})
        for key, value in entries:
            if value is DELETE:
                record.pop(key, None)
            else:
                record[key] = list(value) if isinstance(value, tuple) else value
    others_old = {k: v for k, v in old.front_matter.items() if k != "crosspost"}
    others_new = {k: v for k, v in new.front_matter.items() if k != "crosspost"}
    if not _same(others_old, others_new):
        raise Unsupported("the edit would change keys outside `crosspost` (a shared YAML anchor?)")
    if not _same(expected, got):
        raise Unsupported("the `crosspost` block would not read back as written (an unusual "
                          "shape: YAML anchors or merge keys, or a target spelled twice)")


__all__ = ["Results", "record_results", "updated_text"]
