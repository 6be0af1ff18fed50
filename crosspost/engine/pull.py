"""``crosspost pull``: the edits made on a platform's copy, brought back to the post.

The edits are what the copy gained over the merge base (:mod:`.drift`), applied to the post
as it renders now: the same three-way merge an update would make, but kept from the
platform's side only. Each edit is then placed in the post file through the renderer's line
provenance (:attr:`~crosspost.render.Rendered.lines`): an edited line that the renderer
copied verbatim from the file maps to that file line; a line it rewrote (an absolutised
link, a figure, the attribution) has no such line, so that edit is shown and left to the
author. Nothing is guessed by similarity.

A copy crosspost never sent has no base: every difference between it and the post is shown
(theirs and the post's alike), and its text then counts as seen: it becomes the base, so the
next publish replaces what was not brought home.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crosspost.copies import record_of
from crosspost.engine.drift import Conflict, LineMatcher, find_base, lines_of, merge
from crosspost.engine.model import PublishOptions, Report
from crosspost.engine.runner import Runner
from crosspost.engine.send import blamed
from crosspost.engine.source import Source, load_sources
from crosspost.errors import InputError
from crosspost.owners import ids_of
from crosspost.platforms import TARGETS
from crosspost.targets import checked

if TYPE_CHECKING:
    from crosspost.render import Rendered


@dataclass(frozen=True)
class Hunk:
    """One edit made on the platform, in lines of the post's rendering."""

    at: int  # 0-based line of the rendering where it starts
    ours: tuple[str, ...]  # the rendering's lines it replaces (empty: an insertion)
    theirs: tuple[str, ...]  # the copy's lines
    place: tuple[int, int] | None  # (first file line, how many) when it maps cleanly
    why: str = ""  # why it does not map

    def diff(self, label: str) -> str:
        """The edit as a small unified diff of the rendering."""
        head = f"@@ line {self.at + 1} of the {label} version @@\n"
        return head + "".join(f"-{line}" for line in self.ours) + \
            "".join(f"+{line}" for line in self.theirs)


@dataclass
class Pulled:
    """The edits found on one copy, and what became of them."""

    path: Path
    target: str
    url: str | None
    base: str | None  # where the base came from; None: crosspost never sent this copy
    hunks: list[Hunk] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)  # also changed in the post
    title_there: str | None = None  # the copy's title, when it differs from the post's
    patch: str = ""  # the mapped edits as a unified diff of the post file
    applied: bool = False
    seen: bool = False  # the copy's text became the base (it had none)

    @property
    def label(self) -> str:
        return TARGETS[self.target].label

    @property
    def mapped(self) -> list[Hunk]:
        return [h for h in self.hunks if h.place is not None]

    @property
    def left(self) -> list[Hunk]:
        return [h for h in self.hunks if h.place is None]


def pull(path: Path, options: PublishOptions, *, target: str | None = None,
         apply: bool = False) -> list[Pulled]:
    """The edits made on ``path``'s copies (or on ``target``'s only); ``apply`` writes the
    ones that map cleanly into the post file (one copy at a time)."""
    sources, _, _ = load_sources([Path(path)])
    source = sources[0]
    targets = _copies(source, target)
    runner = Runner(options, Report())
    found = [_pull_one(runner, source, name) for name in targets]
    if apply:
        with_edits = [p for p in found if p.mapped]
        if len(with_edits) > 1:
            names = ", ".join(p.target for p in with_edits)
            raise InputError(f"{path}: the copies on {names} all have edits; apply one at a time",
                             hint=f"add --from {with_edits[0].target}, and pull again for the next")
        for pulled in with_edits:
            _apply(source, pulled)
    return found


def _copies(source: Source, target: str | None) -> list[str]:
    if target is not None:
        info = TARGETS[target]
        if not info.can_update:
            raise InputError(f"{info.label}'s API cannot read posts back, so there is nothing "
                             "to pull", hint="compare the copy with your post in a browser",
                             target=target)
        if not recorded_id(source, target):
            raise InputError(f"{source.path}: no copy on {info.label} is recorded",
                             hint=f"`crosspost link {source.path} --to {target} URL` records one")
        return [target]
    names: list[str] = []
    seen: set[tuple[str, str]] = set()
    for name in source.post.crosspost:
        known = TARGETS.get(name)
        remote_id = recorded_id(source, name) if known is not None else ""
        if known is None or not known.can_update or not remote_id:
            continue
        if (known.database, remote_id) not in seen:  # LessWrong and AF: one post
            seen.add((known.database, remote_id))
            names.append(name)
    if not names:
        raise InputError(f"{source.path}: no copy that crosspost can read is recorded",
                         hint="pull reads the forums' copies; Medium's API cannot read posts")
    return names


def recorded_id(source: Source, target: str) -> str:
    """The id of the copy ``target``'s record names: its ``id``, else the one in its ``url``
    (a copy recorded by its address alone, as publish reads it), else ""."""
    found = ids_of(TARGETS[target], record_of(source.post, target))
    return found[0] if found else ""


def _render(source: Source, target: str) -> Rendered:
    from crosspost.render import render_post

    block = source.post.crosspost.get(target)
    options = source.site.settings.options_for(target, block,
                                               where=f"{source.path}: crosspost.{target}",
                                               blocks=source.post.crosspost)
    return render_post(source.post, source.site, target, options, provenance=True)


def _pull_one(runner: Runner, source: Source, target: str) -> Pulled:
    info = TARGETS[target]
    record = record_of(source.post, target)
    remote_id = recorded_id(source, target)
    rendered = _render(source, target)
    with blamed(target), runner.adapter(info, source) as adapter:
        remote = checked(adapter.fetch(remote_id), target, "fetch")
    if remote.body is None:
        raise InputError(f"{info.label} did not return the copy's text", target=target)
    base = find_base(source, target, remote_id, remote, rendered)
    ours = lines_of(rendered.body)
    pulled = Pulled(source.path, target, remote.url or record.get("url"),
                    base.origin if base is not None else None)
    if remote.title is not None and remote.title != rendered.title \
            and (base is None or base.title is None or remote.title != base.title):
        pulled.title_there = remote.title  # changed there (or cannot tell), not in the post
    if base is None:
        wanted = lines_of(remote.body)
        # Seen now: the copy's text is the base from here on (see the module docstring).
        source.remember_base(target, remote_id, remote.body, title=remote.title,
                             content_hash=None)
        pulled.seen = True
    else:
        merged, conflicts = merge(base.text, remote.body, rendered.body, prefer="ours")
        wanted = lines_of(merged)
        pulled.conflicts = conflicts
    origins = list(rendered.lines or ())
    file_lines = [line.rstrip("\r") for line in source.post.raw.split("\n")]
    matcher = LineMatcher(None, ours, wanted)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        place, why = _place(origins, ours, file_lines, i1, i2)
        pulled.hunks.append(Hunk(i1, tuple(ours[i1:i2]), tuple(wanted[j1:j2]), place, why))
    pulled.patch = _patch(source, pulled)
    return pulled


def _place(origins: Sequence[int | None], ours: Sequence[str], file_lines: Sequence[str],
           i1: int, i2: int) -> tuple[tuple[int, int] | None, str]:
    """Where rendering lines ``[i1, i2)`` stand in the file: (first line, count), or why not."""
    rewritten = "in text crosspost rewrote for the platform (a link, a figure, the attribution…)"

    def verbatim(i: int) -> int | None:
        line = origins[i] if i < len(origins) else None
        if line is None or line > len(file_lines):
            return None
        return line if file_lines[line - 1] == ours[i].rstrip("\n") else None

    if i2 > i1:
        first = verbatim(i1)
        if first is None or any(verbatim(i) != first + (i - i1) for i in range(i1, i2)):
            return None, rewritten
        return (first, i2 - i1), ""
    # An insertion: after the line before it, or before the line after it, when that line
    # is the author's own and nothing the renderer dropped stands between.
    before = verbatim(i1 - 1) if i1 > 0 else None
    after = verbatim(i1) if i1 < len(ours) else None
    if before is not None and (after is None or after == before + 1):
        return (before + 1, 0), ""
    if after is not None and before is None and i1 > 0 and origins[i1 - 1] is None:
        return (after, 0), ""
    return None, "next to text crosspost rewrote for the platform"


def _patch(source: Source, pulled: Pulled) -> str:
    from crosspost.record.body import replaced_lines

    if not pulled.mapped:
        return ""
    raw = source.post.raw
    new = replaced_lines(raw, _changes(pulled), path=source.path)
    return "".join(difflib.unified_diff(
        lines_of(raw), lines_of(new),
        fromfile=str(source.path), tofile=f"{source.path} (with the edits made on {pulled.label})"))


def _changes(pulled: Pulled) -> list[tuple[int, int, list[str]]]:
    changes = []
    for hunk in pulled.mapped:
        assert hunk.place is not None
        first, count = hunk.place
        changes.append((first, count, [line.rstrip("\n") for line in hunk.theirs]))
    return changes


def _apply(source: Source, pulled: Pulled) -> None:
    from crosspost.record.body import write_lines

    with source.lock:
        new = write_lines(source.path, source.post.raw, _changes(pulled))
        source.post = source.post.with_raw(new)
    pulled.applied = True


__all__ = ["Hunk", "Pulled", "pull"]
