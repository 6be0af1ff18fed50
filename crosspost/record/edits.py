"""Text edits shared by the YAML and TOML editors, and the vocabulary they speak.

An editor never rewrites a front matter: it returns :class:`TextEdit` spans, which
:func:`apply_edits` splices into the text. Everything outside those spans stays byte for byte.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final


class Delete:
    """Marks a record key to remove (a ``None`` in ``results``)."""


DELETE: Final = Delete()
Entries = list[tuple[str, object]]  # (record key, new value or DELETE), in results order
Changes = dict[str, Entries]  # canonical target → what must change


class Unsupported(Exception):
    """A front-matter shape the editors will not touch; becomes a PostError with the path."""


def to_set(entries: Entries) -> Entries:
    """The entries that set a value (not the removals)."""
    return [(key, value) for key, value in entries if value is not DELETE]


@dataclass(frozen=True)
class TextEdit:
    """Replace ``text[start:end]`` with ``text``; ``start == end`` inserts."""

    start: int
    end: int
    text: str


def apply_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """Apply non-overlapping edits; insertions at one spot keep the order they were made in."""
    order = sorted(range(len(edits)),
                   key=lambda i: (edits[i].start, edits[i].end > edits[i].start, i))
    out: list[str] = []
    pos = 0
    for i in order:
        edit = edits[i]
        if edit.start < pos:
            raise Unsupported("overlapping edits")
        out.append(text[pos:edit.start])
        out.append(edit.text)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def start_of_line(text: str, pos: int) -> int:
    """The start of the line holding ``pos``."""
    return text.rfind("\n", 0, pos) + 1


def start_of_next_line(text: str, pos: int) -> int:
    """The start of the line after the one holding ``pos`` (or the end of the text)."""
    found = text.find("\n", pos)
    return len(text) if found < 0 else found + 1


def end_of_line(text: str, pos: int) -> int:
    """Where the line holding ``pos`` ends, before its line break."""
    found = text.find("\n", pos)
    end = len(text) if found < 0 else found
    if end > pos and text[end - 1] == "\r":
        end -= 1
    return end


def insert_lines(text: str, pos: int, lines: Sequence[str], nl: str) -> TextEdit:
    """Insert whole lines at ``pos``, the start of a line (or the end of the text)."""
    inserted = "".join(line + nl for line in lines)
    if pos > 0 and text[pos - 1] != "\n":
        inserted = nl + inserted.removesuffix(nl)
    return TextEdit(pos, pos, inserted)


@dataclass(frozen=True)
class Map:
    """A mapping to write in the surrounding style; keys are already spelled for the format."""

    pairs: tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class Raw:
    """Source text written back verbatim (an alias ``*opts``, an anchored mapping)."""

    text: str


def iso(value: dt.datetime) -> str:
    """ISO 8601 as the contract shows it: ``2026-11-27T04:00:00Z`` for UTC."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def canonical_name(name: str) -> str | None:
    """The target a key names (``lw`` → ``lesswrong``), or None."""
    from crosspost.platforms import ALIASES

    return ALIASES.get(name.strip().lower())


__all__ = [
    "DELETE", "Changes", "Delete", "Entries", "Map", "Raw", "TextEdit", "Unsupported",
    "apply_edits", "canonical_name", "end_of_line", "insert_lines", "iso", "start_of_line",
    "start_of_next_line", "to_set",
]
