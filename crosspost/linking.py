"""Recording a copy that was made by hand (``crosspost link``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from crosspost.errors import InputError
from crosspost.owners import Claim, CopyIndex
from crosspost.platforms import TARGETS


@dataclass(frozen=True)
class Linked:
    target: str
    id: str
    url: str
    replaced: str | None = None  # the URL recorded before, if it was another copy
    released: tuple[str, ...] = ()  # other files whose record of this copy was removed
    still_claimed: tuple[str, ...] = ()  # other files naming it under another tool's key


def link_copy(path: Path, target: str, url: str) -> Linked:
    """Record ``url`` as ``path``'s copy on ``target``, offline.

    On the forums no hash is recorded, so the next ``crosspost publish`` updates the copy
    into crosspost's rendering (attribution line, absolute links…). On Medium, whose API
    cannot update, the hash of the current rendering is recorded: the copy is taken to show
    the post as it is now. Medium's tracking query (``?source=…``) and dev.to's
    draft preview key (``?preview=…``) are dropped from the URL.
    An interrupted run's journal entry for the same post and target is settled by this.

    A copy belongs to one file: another file of the site that records the same copy (a post
    file copied as a template) has that record removed, its options kept; a file naming it
    under another tool's key is reported, not edited.
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
    rendered = render_post(post, site, target)
    content_hash = rendered.hash if not info.can_update else None
    published = dt.datetime.fromisoformat(now_iso().replace("Z", "+00:00"))
    values: dict[str, object | None] = {"id": remote_id, "url": url, "published": published,
                                        "hash": content_hash, "meta": None, "status": None}
    if before.get("id") != remote_id:
        values["via"] = None  # another copy than the one the forums made: no longer theirs
    index = CopyIndex(site.root)
    others = index.others(Path(path), info.database, [remote_id])
    record_results(Path(path), {target: values}, expected=post.raw)
    journal = Journal(site.root)
    entry = journal.get(Path(path), target)
    if entry is not None:
        journal.clear(entry)
    # An interrupted write of this post under the name it had before a rename: linking
    # settles it as publishing would (the same rule decides which post it is).
    from crosspost.owners import entry_is_this_post

    for orphan in list(journal.orphans(target)):
        if entry_is_this_post(orphan, index, Path(path), rendered, []):
            journal.clear(orphan)
    released = _release(others, site.root)
    still = tuple(dict.fromkeys(c.describe(site.root) for c in others if not c.recorded))
    return Linked(target, remote_id, url, str(replaced) if replaced else None, released, still)


def _release(claims: list[Claim], root: Path) -> tuple[str, ...]:
    """Remove the record of a copy from the files that recorded it but are not its owner
    (a copied post file, say): a copy belongs to one file. Their options stay."""
    from crosspost.post import Post
    from crosspost.record import record_results

    released: list[str] = []
    for claim in claims:
        if not claim.recorded:
            continue
        gone = dict.fromkeys(("id", "url", "hash", "meta", "published", "updated", "status",
                              "via"))
        current = Post.from_path(claim.path)
        record_results(claim.path, {claim.target: gone}, expected=current.raw)
        released.append(claim.describe(root))
    return tuple(dict.fromkeys(released))


__all__ = ["Linked", "link_copy"]
