"""Recording a copy that was made by hand (``crosspost link``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from crosspost.errors import InputError
from crosspost.platforms import TARGETS


@dataclass(frozen=True)
class Linked:
    target: str
    id: str
    url: str
    replaced: str | None = None  # the URL recorded before, if it was another copy


def link_copy(path: Path, target: str, url: str) -> Linked:
    """Record ``url`` as ``path``'s copy on ``target``, offline.

    On the forums no hash is recorded, so the next ``crosspost publish`` updates the copy
    into crosspost's rendering (attribution line, absolute links…). On Medium, whose API
    cannot update, the hash of the current rendering is recorded: the copy is taken to show
    the post as it is now. Medium's tracking query (``?source=…``) and dev.to's
    draft preview key (``?preview=…``) are dropped from the URL.
    An interrupted run's journal entry for the same post and target is settled by this.
    """
    from crosspost.journal import Journal, now_iso
    from crosspost.post import Post
    from crosspost.record import record_results
    from crosspost.render import render_post
    from crosspost.sites import Site

    info = TARGETS[target]
    url = url.strip()
    if info.dialect in {"medium", "devto"}:
        url = url.split("?", 1)[0]
    remote_id = info.post_id_in(url)
    if remote_id is None:
        raise InputError(f"{url!r} is not the address of a post on {info.label}",
                         hint=f"copy the post's address from {info.site_url}", target=target)
    post = Post.from_path(path)
    site = Site.discover(path)
    before = post.crosspost.get(target, {})
    replaced = before.get("url") if before.get("id") and before.get("id") != remote_id else None
    content_hash = render_post(post, site, target).hash if not info.can_update else None
    published = dt.datetime.fromisoformat(now_iso().replace("Z", "+00:00"))
    values: dict[str, object | None] = {"id": remote_id, "url": url, "published": published,
                                        "hash": content_hash, "status": None}
    record_results(Path(path), {target: values}, expected=post.raw)
    journal = Journal(site.root)
    entry = journal.get(Path(path), target)
    if entry is not None:
        journal.clear(entry)
    return Linked(target, remote_id, url, str(replaced) if replaced else None)


__all__ = ["Linked", "link_copy"]
