"""Whose copy a remote post is, decided before anything is written.

Three rules, each closing a way 0.1.0 overwrote another post's copy or made a second one:

* **One owner per copy.** A remote post recorded (or claimed through another tool's key) by
  another file of the site is never this post's: not through a link, not through a copied
  block. When two files record one copy, neither is sent for that target until the author
  says which is right.
* **Adoption only when it is one.** An unrecorded post found in the post itself (a link in a
  "cross-posted on" sentence, another tool's front-matter key) is taken as this post's copy
  only when no other file claims it, and, checked with the platform before anything is
  sent, it belongs to this account and (for a link) is plausibly this post.
* **No second post of the same title.** Before a create, the account's own posts and drafts
  are asked for one with the same title that no file records: a copy made by hand, or by a
  run whose record was lost. Finding one creates nothing; the author links it or passes
  ``--force-new``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from crosspost.engine.model import Adoption, TargetPlan
from crosspost.engine.source import Source
from crosspost.errors import CrosspostError, NotFound, NotOwned, OwnershipError
from crosspost.owners import Claim, alike_bodies, foreign_claims, ids_of
from crosspost.platforms import TARGETS, TargetInfo

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from crosspost.render import Rendered
    from crosspost.targets.base import RemotePost, Target

log = logging.getLogger("crosspost.engine")


def _where(source: Source, claim: Claim) -> str:
    return claim.describe(source.site.root)


def shared_claims(source: Source, info: TargetInfo, record: Mapping[str, Any]) -> list[Claim]:
    """Other files' claims on the copy ``record`` names (on ``info``'s database)."""
    ids = ids_of(info, record)
    return source.index.others(source.path, info.database, ids) if ids else []


def conflict(source: Source, info: TargetInfo, others: list[Claim], url: object) -> OwnershipError:
    """Two files record one copy: the message names both and the two ways to settle it."""
    names = list(dict.fromkeys(_where(source, c) for c in others))
    shown = url if isinstance(url, str) and url else "the same remote post"
    who = (f"{source.path} and {names[0]} both record" if len(names) == 1 else
           f"{source.path}, {', '.join(names[:-1])} and {names[-1]} all record")
    return OwnershipError(
        f"{who} {shown} as their copy on {info.label}; a copy belongs to one file, so nothing "
        f"is sent for it from {'either' if len(names) == 1 else 'any of them'}",
        hint=f"remove `crosspost.{info.name}` (or its id and url) from the file that is not the "
        f"copy's source, or run `crosspost link <the right file> --to {info.name} URL`",
        target=info.name)


def candidates(source: Source, info: TargetInfo, rendered: Rendered,
               notes: list[str]) -> tuple[str, str, Adoption] | None:
    """The first unrecorded remote post the post itself names as its copy on ``info`` that no
    other file claims: (id, url, how). Rejected candidates are explained in ``notes``."""
    found: list[tuple[str, str, str, bool]] = []  # id, url, how, by key
    for claim in foreign_claims(source.post):
        if claim.database == info.database:
            found.append((claim.remote_id, claim.url or post_url(info, claim.remote_id),
                          f"`{claim.where}:` in the front matter", True))
    for url in rendered.copy_candidates:
        remote_id = next((other.post_id_in(url) for other in TARGETS.values()
                          if other.database == info.database and other.post_id_in(url)), None)
        if remote_id is not None:
            found.append((remote_id, url, "a link in a cross-post notice", False))
    for remote_id, url, how, by_key in found:
        others = source.index.others(source.path, info.database, [remote_id])
        if others:
            notes.append(f"{url} ({how}) is not taken as this post's copy: "
                         f"{_where(source, others[0])} records it")
            continue
        return remote_id, url, Adoption(how=how, verify=info.can_update, plausible_only_by_key=by_key)
    return None


def verify(adapter: Target, plan: TargetPlan) -> bool:
    """Ask the platform whether the adopted post is this account's and plausibly this post.

    Sets ``plan.adoption.verdict``. Errors other than "not yours" and "not there" propagate:
    when the platform cannot be asked, nothing is sent.
    """
    adoption = plan.adoption
    rendered = plan.rendered
    assert adoption is not None
    assert rendered is not None
    assert plan.remote_id is not None
    label = TARGETS[plan.target].label
    try:
        remote = adapter.fetch(plan.remote_id)
    except NotOwned:
        adoption.verdict = (f"{plan.remote_url} ({adoption.how}) belongs to another account, so it "
                            "is not this post's copy")
        return False
    except NotFound:
        adoption.verdict = (f"{plan.remote_url} ({adoption.how}) is not on {label} (deleted?), so "
                            "it is not this post's copy")
        return False
    if not adoption.plausible_only_by_key and not _alike(remote, rendered):
        adoption.verdict = (f"{plan.remote_url} ({adoption.how}) is titled "
                            f"{remote.title!r} and its text differs, so it is not taken as this "
                            "post's copy")
        return False
    adoption.verdict = f"{plan.remote_url} ({adoption.how}) is this post's copy on {label}"
    return True


def _alike(remote: RemotePost, rendered: Rendered) -> bool:
    from crosspost.targets.base import title_key

    if remote.title is not None and title_key(remote.title) == title_key(rendered.title):
        return True
    return bool(remote.body) and alike_bodies(str(remote.body), rendered.body)


def same_title_error(source: Source, adapter: Target, rendered: Rendered,
                     target: str) -> OwnershipError | None:
    """The refusal to create when the account has an unrecorded post of the same title."""
    info = TARGETS[target]
    try:
        twins = adapter.same_title(rendered)
    except CrosspostError as exc:
        exc.with_context(target=target, operation="look for a post of the same title")
        raise
    # A twin that names this very page as its canonical URL is this post's copy by the
    # platform's own rule (dev.to refuses a second one and the adapter adopts it).
    unowned = [t for t in twins if not source.index.claims(info.database, [t.id])
               and not _same_page(t, rendered)]
    if not unowned:
        return None
    twin = unowned[0]
    made_by = _journaled(source, target, twin.id)
    if made_by is not None:
        # Made by an interrupted run of another post: that post records it when it is next
        # published (renamed since, too); linking it here would give it the wrong owner.
        return OwnershipError(
            f"{info.label} already has a post titled {rendered.title!r} ({twin.url}) that an "
            f"interrupted run made for {made_by}; nothing was created",
            hint="publish that post first (under its new name if it was renamed): it records "
            "that copy; then publish this one, or pass --force-new", target=target)
    when = (twin.extra or {}).get("postedAt") or (twin.extra or {}).get("published_at") \
        or (twin.extra or {}).get("modifiedAt")
    state = "draft" if twin.draft else "post"
    dated = f", {str(when)[:10]}" if when else ""
    more = f" (and {len(unowned) - 1} more)" if len(unowned) > 1 else ""
    return OwnershipError(
        f"{info.label} already has a {state} titled {rendered.title!r} ({twin.url}{dated}){more} "
        "that no file records; nothing was created",
        hint=f"if it is this post's copy, run `crosspost link {source.path} --to {target} "
        f"{twin.url}`; to publish a separate copy anyway, pass --force-new", target=target)


def _journaled(source: Source, target: str, remote_id: str) -> str | None:
    """The post (as the journal names it) whose unfinished entry made ``remote_id``."""
    mine = source.journal.relpath(source.path)
    for entry in source.journal.entries():
        if entry.target == target and entry.post != mine and remote_id in (
                entry.remote_id, entry.result.get("id")):
            return entry.post + ("" if source.journal.exists(entry) else ", a file that is gone")
    return None


def _same_page(twin: RemotePost, rendered: Rendered) -> bool:
    canonical = (twin.extra or {}).get("canonical_url")
    if not isinstance(canonical, str) or not canonical:
        return False
    return canonical.rstrip("/").split("://")[-1] == rendered.canonical_url.rstrip("/").split("://")[-1]


def post_url(info: TargetInfo, remote_id: str) -> str:
    """A URL that reaches post ``remote_id`` (forums: ``/posts/<id>``; Medium: ``/p/<id>``;
    dev.to: ``/<user>/<slug>``, the form its URLs give)."""
    if info.dialect == "devto":
        return f"{info.site_url}/{remote_id}"
    if info.dialect == "medium":
        return f"{info.site_url}/p/{remote_id}"
    return f"{info.site_url}/posts/{remote_id}"


__all__ = ["alike_bodies", "candidates", "conflict", "post_url", "same_title_error",
           "shared_claims", "verify"]
