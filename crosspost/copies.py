"""What a post's front matter says about its copies, read the same way by every command.

``publish`` plans from it and ``status`` reports from it; both must agree on which targets
a post asks for and on whether a recorded copy is this very rendering, or ``status`` would
say "up to date" where ``publish`` sends an update. So those answers live here, below both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from crosspost.platforms import TARGETS

if TYPE_CHECKING:
    from crosspost.post import Post
    from crosspost.render import Rendered


def targets_for(post: Post, requested: Sequence[str]) -> list[str]:
    """The targets to run for ``post``: the requested ones, else those in its front matter."""
    names = list(requested) if requested else list(post.crosspost)
    return sorted(dict.fromkeys(names), key=lambda n: list(TARGETS).index(n))


def record_of(post: Post, target: str) -> dict[str, Any]:
    """The post's record of its copy on ``target`` (empty when it has none)."""
    return dict(post.crosspost.get(target, {}))


def recorded_state(record_hash: object, rendered: Rendered, *, explicit_draft: bool,
                   record_meta: object = None) -> str | None:
    """``"draft"`` or ``"public"`` when the record's hash is of this very rendering, else None.

    The hash covers the draft state sent. When the post says nothing about ``draft`` (a
    site-wide default only shapes new copies), either state counts as up to date: the copy
    keeps the one it has. When the post does say, only that state does. A recorded ``meta``
    (the fields sent beside the body, :attr:`Rendered.meta`) must match too; a record
    without one is judged by its hash alone.
    """
    if record_meta is not None and str(record_meta) != (rendered.meta or ""):
        return None
    from crosspost.render import content_hash

    states = (rendered.options.draft,) if explicit_draft else (True, False)
    for draft in states:
        if record_hash == content_hash(rendered.title, rendered.body, draft):
            return "draft" if draft else "public"
    return None


def broken_key(record: Mapping[str, Any]) -> str | None:
    """``"id"`` or ``"url"`` when the record holds one that is no copy's (a list, a date…)."""
    value = record.get("id")
    if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
        return "id"
    if record.get("url") is not None and not isinstance(record.get("url"), str):
        return "url"
    return None


__all__ = ["broken_key", "record_of", "recorded_state", "targets_for"]
