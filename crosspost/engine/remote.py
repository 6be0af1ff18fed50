"""``crosspost status --remote``: each recorded copy, as the platform shows it now.

Offline ``status`` compares the front matter with a fresh render. This asks the platforms,
concurrently (one read per copy, as a publish would): is the copy live, a draft, or gone;
was it edited there since crosspost last sent it (the same base as ``engine.drift``); and
what readers made of it, where the platform counts votes and comments. Medium has no read
API, so its rows say what is known: nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosspost.copies import record_of
from crosspost.engine.model import PublishOptions, Report
from crosspost.engine.pull import recorded_id
from crosspost.engine.runner import Runner
from crosspost.engine.send import blamed, taken_by_others
from crosspost.engine.source import Source
from crosspost.errors import CrosspostError, NotFound
from crosspost.platforms import TARGETS
from crosspost.targets import checked

if TYPE_CHECKING:
    from crosspost.sites import SiteCache
    from crosspost.targets.medium_feed import Feed

LIVE = "live"
DRAFT = "draft"
GONE_DELETED = "gone (deleted there)"
GONE_DRAFT = "gone (moved to draft there)"
NOT_PUBLISHED = "not published"
NO_READ_API = "unknown (no read API)"
FOLLOWS = "follows its origin"
IMPORTED = "imported, not recorded yet"
UNCERTAIN = "uncertain"
ERROR = "error"

YES, NO, UNKNOWN = "yes", "no", "unknown"

_LOST = ("an earlier create's reply was lost, so the story may exist (a draft is not in your "
         "feed): check https://medium.com/me/stories, then `crosspost link` its URL, or publish "
         "with --force-new")


@dataclass(frozen=True)
class RemoteStatus:
    path: Path
    target: str
    state: str
    url: str | None = None
    edited: str = ""  # yes / no / unknown: edits made there that the post does not have
    score: float | None = None
    comments: int | None = None
    detail: str = ""


def remote_statuses(paths: Iterable[Path], options: PublishOptions, *,
                    sites: SiteCache | None = None) -> list[RemoteStatus]:
    """One row per post and recorded target, in the order of ``paths``; never raises for
    one copy (its row says ``error``)."""
    from crosspost.journal import Journal
    from crosspost.owners import IndexCache
    from crosspost.sites import SiteCache

    sites = sites if sites is not None else SiteCache()
    indexes = IndexCache()
    runner = Runner(options, Report())
    feeds: dict[str, Feed | str] = {}  # each Medium feed read once: the feed, or why not
    jobs: list[tuple[Source, str]] = []
    rows: dict[tuple[Path, str], RemoteStatus] = {}
    order: list[tuple[Path, str]] = []
    for path in paths:
        try:
            site = sites.for_post(path)
            post = site.load(path)
        except CrosspostError as exc:
            order.append((path, "*"))
            rows[(path, "*")] = RemoteStatus(path, "*", ERROR, detail=str(exc))
            continue
        source = Source(path, post, site, Journal(site.root), indexes.for_root(site.root, load=site.load))
        for target in post.crosspost:
            key = (path, target)
            order.append(key)
            record = record_of(post, target)
            url = record.get("url")
            via = record.get("via")
            if record.get("id") and isinstance(via, str) and via in TARGETS:
                rows[key] = RemoteStatus(path, target, FOLLOWS, url, UNKNOWN,
                                         detail=f"{TARGETS[via].label}'s native crosspost; it "
                                         f"follows {TARGETS[via].label} (see its row)")
            elif target == "medium":
                rows[key] = _medium(runner, source, record, feeds)
            elif not recorded_id(source, target):
                rows[key] = RemoteStatus(path, target, NOT_PUBLISHED)
            elif not TARGETS[target].can_update:
                rows[key] = RemoteStatus(path, target, NO_READ_API, url, UNKNOWN,
                                         detail=f"{TARGETS[target].label}'s API cannot read "
                                         "posts; see the copy in a browser")
            else:
                jobs.append((source, target))
    if jobs:
        with ThreadPoolExecutor(max_workers=max(1, min(options.jobs, len(jobs))),
                                thread_name_prefix="crosspost-status") as pool:
            for status in pool.map(lambda job: _ask(runner, *job), jobs):
                rows[(status.path, status.target)] = status
    return [rows[key] for key in order]


def _medium(runner: Runner, source: Source, record: dict[str, Any],
            feeds: dict[str, Feed | str]) -> RemoteStatus:
    """Medium has no read API; its profile feed (no token) shows the latest 10 stories."""
    from crosspost.render import render_post
    from crosspost.targets.medium_feed import feed_url, find_story, read_feed

    path, url = source.path, record.get("url")
    # A create whose reply was lost may have made a story: never "not published" for it.
    uncertain = str(record.get("status", "")) == "uncertain" and not record.get("id")
    unsent, lost = (UNCERTAIN, _LOST) if uncertain else (NOT_PUBLISHED, "")
    try:
        options = source.site.settings.options_for("medium", source.post.crosspost.get("medium"),
                                                   where=f"{path}: crosspost.medium")
        where = feed_url(options.username, runner.options.environ)
    except CrosspostError as exc:
        return RemoteStatus(path, "medium", ERROR, url, detail=exc.text(with_target=False))
    if where is None:
        if not record.get("id"):
            return RemoteStatus(path, "medium", unsent, detail=lost)
        return RemoteStatus(path, "medium", NO_READ_API, url, UNKNOWN,
                            detail="Medium's API cannot read posts; set `[targets.medium] "
                            "username` and your feed says whether the story is live")
    if where not in feeds:
        try:
            feeds[where] = read_feed(where, runner.options.http)
        except CrosspostError as exc:
            feeds[where] = f"could not read the Medium feed {where} ({exc.text(with_target=False)})"
    feed = feeds[where]
    if isinstance(feed, str):
        return RemoteStatus(path, "medium", NO_READ_API if record.get("id") else unsent,
                            url, UNKNOWN, detail=feed)
    if record.get("id"):
        listed = next((item for item in feed.items if item.id == str(record["id"])), None)
        if listed is not None:
            return RemoteStatus(path, "medium", LIVE, listed.url, UNKNOWN, detail="in your feed")
        return RemoteStatus(path, "medium", NO_READ_API, url, UNKNOWN,
                            detail="not among the latest 10 stories of your feed")
    rendered = render_post(source.post, source.site, "medium", options)
    story = find_story(feed, canonical_url=rendered.canonical_url, title=rendered.title,
                       taken=taken_by_others(source))
    if story is not None:
        return RemoteStatus(path, "medium", IMPORTED, story.url, UNKNOWN,
                            detail="in your feed; `crosspost publish` records it")
    return RemoteStatus(path, "medium", unsent,
                        detail="not in your feed yet" + (f"; {lost}" if lost else ""))


def _ask(runner: Runner, source: Source, target: str) -> RemoteStatus:
    from crosspost.engine.drift import find_base, lines_of, recorded_hashes
    from crosspost.render import content_hash, render_post

    info = TARGETS[target]
    record = record_of(source.post, target)
    remote_id = recorded_id(source, target)
    url = record.get("url")
    try:
        with blamed(target), runner.adapter(info, source) as adapter:
            remote = checked(adapter.fetch(remote_id), target, "fetch")
        options = source.site.settings.options_for(target, source.post.crosspost.get(target),
                                                   where=f"{source.path}: crosspost.{target}",
                                                   blocks=source.post.crosspost)
        rendered = render_post(source.post, source.site, target, options)
    except NotFound:
        return RemoteStatus(source.path, target, GONE_DELETED, url, UNKNOWN)
    except CrosspostError as exc:
        return RemoteStatus(source.path, target, ERROR, url, detail=exc.text(with_target=False))
    extra: Any = remote.extra
    score, comments = extra.get("score"), extra.get("comments")
    base = find_base(source, target, remote_id, remote, rendered)
    edited = UNKNOWN
    if base is not None and remote.body is not None:
        edited = NO if lines_of(remote.body) == lines_of(base.text) else YES
    state = LIVE
    if remote.draft:
        state = DRAFT
        hashes = recorded_hashes(source, target, remote_id)
        if base is not None and base.title is not None \
                and content_hash(base.title, base.text, False) in hashes:
            state = GONE_DRAFT  # it was sent public
    return RemoteStatus(source.path, target, state, remote.url or url, edited,
                        float(score) if isinstance(score, int | float) else None,
                        int(comments) if isinstance(comments, int | float) else None)


__all__ = ["DRAFT", "ERROR", "GONE_DELETED", "GONE_DRAFT", "LIVE", "NOT_PUBLISHED", "NO_READ_API",
           "RemoteStatus", "remote_statuses"]
