"""Where each post stands on each target, offline: the front-matter record against a fresh render.

States:

* ``not published``: the post asks for the target and has no copy there yet;
* ``up to date``: the recorded hash equals the hash of what would be sent now;
* ``draft``: up to date, and the copy is a draft (``draft: true``);
* ``changed since publish``: the post (or its options) changed since the copy was sent;
* ``uncertain``: an earlier create's reply was lost and the platform cannot be asked;
* a native crosspost (``via: lesswrong``) stands as its origin does, and says so;
* ``conflict``: another file of the site records the same copy (a post file copied with its
  ``crosspost`` block); publish sends nothing for it until one file is left;
* ``error``: the post cannot be rendered for that target (the detail says why).

No network and no writes. Only posts that have a copy are rendered, so a large site whose
posts mostly have none is quick.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crosspost.copies import broken_key, recorded_state, targets_for
from crosspost.errors import CrosspostError
from crosspost.owners import CopyIndex, IndexCache, ids_of

if TYPE_CHECKING:
    from crosspost.post import Post
    from crosspost.sites import Site, SiteCache

NOT_PUBLISHED = "not published"
UP_TO_DATE = "up to date"
DRAFT = "draft"
CHANGED = "changed since publish"
UNCERTAIN = "uncertain"
CONFLICT = "conflict"
ERROR = "error"

# States that mean "publishing would do something".
NEEDS_PUBLISH = frozenset({NOT_PUBLISHED, CHANGED})
# States `status --check` and the hook do not let pass.
NEEDS_ATTENTION = NEEDS_PUBLISH | {CONFLICT}


@dataclass(frozen=True)
class TargetStatus:
    path: Path
    target: str
    state: str
    url: str | None = None
    detail: str = ""


def status_of(path: Path, *, targets: Sequence[str] = (), site: Site | None = None) -> list[TargetStatus]:
    """The status of one post on each of its targets (or on ``targets``)."""
    from crosspost.post import Post
    from crosspost.sites import Site

    post = Post.from_path(path)
    return post_status(post, site if site is not None else Site.discover(path), targets=targets)


def post_status(post: Post, site: Site, *, targets: Sequence[str] = (),
                index: CopyIndex | None = None) -> list[TargetStatus]:
    """The status of a post already read (from a file, or as git holds it in a commit) on
    each of its targets (or on ``targets``). ``post.path`` places it in ``site``; ``index``
    is the site's index of copies (one is made when not given)."""
    index = index if index is not None else CopyIndex(site.root, load=site.load)
    return [_one(post, site, target, index) for target in targets_for(post, targets)]


def _one(post: Post, site: Site, target: str, index: CopyIndex) -> TargetStatus:
    from crosspost.platforms import TARGETS
    from crosspost.render import render_post

    record = post.crosspost.get(target, {})
    url = record.get("url")
    if record.get("status") == "uncertain":
        return TargetStatus(post.path, target, UNCERTAIN, url,
                            "an earlier create's reply was lost; check the platform")
    via = record.get("via")
    if isinstance(via, str) and via in post.crosspost and via != target and record.get("id"):
        # A native crosspost (the EA Forum copy LessWrong made): it stands as its origin does.
        origin = _one(post, site, via, index)
        return TargetStatus(post.path, target, origin.state, url,
                            f"{TARGETS[via].label}'s native crosspost; it follows {TARGETS[via].label}")
    info = TARGETS[target]
    broken = broken_key(record)
    if broken:
        return TargetStatus(post.path, target, ERROR, None,
                            f"`crosspost.{target}.{broken}` is not a copy's {broken}: "
                            f"{record.get(broken)!r}")
    ids = ids_of(info, record)
    if ids:
        others = index.others(Path(post.path), info.database, ids)
        if others:
            return TargetStatus(post.path, target, CONFLICT, url,
                                f"{others[0].describe(site.root)} records the same copy")
    if not ids:  # a URL alone records a copy too: publish updates it, never makes another
        return TargetStatus(post.path, target, NOT_PUBLISHED)
    try:
        options = site.settings.options_for(target, record, where=f"{post.path}: crosspost.{target}",
                                            blocks=post.crosspost)
        rendered = render_post(post, site, target, options)
    except CrosspostError as exc:
        return TargetStatus(post.path, target, ERROR, url, str(exc))
    state = recorded_state(record.get("hash"), rendered, explicit_draft="draft" in record,
                           record_meta=record.get("meta"))
    if state is None:
        return TargetStatus(post.path, target, CHANGED, url)
    return TargetStatus(post.path, target, DRAFT if state == "draft" else UP_TO_DATE, url)


def site_statuses(paths: Iterable[Path], *, sites: SiteCache | None = None,
                  ) -> tuple[list[TargetStatus], list[Path]]:
    """Statuses for many posts; also returns the posts that ask for no target at all.

    ``sites`` are the sites found so far (by the caller, listing a site's posts).
    """
    from crosspost.sites import SiteCache

    sites = sites if sites is not None else SiteCache()
    indexes = IndexCache()
    results: list[TargetStatus] = []
    quiet: list[Path] = []
    for path in paths:
        try:
            site = sites.for_post(path)
            post = site.load(path)
            names = list(post.crosspost)
        except CrosspostError as exc:
            results.append(TargetStatus(path, "*", ERROR, None, str(exc)))
            continue
        if not names:
            quiet.append(path)
            continue
        index = indexes.for_root(site.root, load=site.load)
        results.extend(_one(post, site, name, index) for name in names)
    return results, quiet


__all__ = ["CHANGED", "CONFLICT", "DRAFT", "ERROR", "NEEDS_ATTENTION", "NEEDS_PUBLISH", "NOT_PUBLISHED",
           "UNCERTAIN", "UP_TO_DATE", "TargetStatus", "post_status", "site_statuses", "status_of"]
