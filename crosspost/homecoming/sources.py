"""Where the posts come from: the addresses readers copy, and the platforms' read sides.

A forum post's address comes in every shape a reader copies from the address bar:
``/posts/<id>/<slug>``, ``/posts/<id>``, ``/s/<sequence>/p/<id>``, with ``?commentId=…`` or
``#…``; ``lesswrong.com`` with or without ``www.``. A Medium story: ``medium.com/@user/<slug>-
<id>``, ``<user>.medium.com/<slug>-<id>``, ``medium.com/<publication>/<slug>-<id>`` or
``medium.com/p/<id>``. Medium has no read API: the story is taken from the author's feed,
which lists only the latest ten.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crosspost.errors import ConfigError, InputError, NotFound, ProtocolError
from crosspost.platforms import TARGETS

if TYPE_CHECKING:
    from crosspost.http import HttpSettings
    from crosspost.targets.forummagnum import ForumMagnum
    from crosspost.targets.forummagnum_read import ForumPost
    from crosspost.targets.medium_feed import Feed

FORUM_HOSTS = {
    "lesswrong.com": "lesswrong", "www.lesswrong.com": "lesswrong",
    "forum.effectivealtruism.org": "eaforum",
    "alignmentforum.org": "alignmentforum", "www.alignmentforum.org": "alignmentforum",
}
_FORUM_PATH = re.compile(r"^/(?:posts|s/[A-Za-z0-9]+/p)/(?P<id>[A-Za-z0-9]{17})(?:/|$)")
_MEDIUM_ID = re.compile(r"(?:^|-)(?P<id>[0-9a-f]{10,16})$")
FORUMS = ("lesswrong", "eaforum", "alignmentforum")


@dataclass(frozen=True)
class Address:
    """A post asked for: the platform and its id there (and the address as given)."""

    target: str
    id: str
    given: str


@dataclass(frozen=True)
class Item:
    """A remote post, read and ready to be brought home (platform-neutral)."""

    target: str
    id: str
    url: str
    title: str
    slug: str
    posted_at: dt.datetime | None
    source: str  # the text to convert
    kind: str  # "markdown", "ckeditor", "stored", "served" (forums), "medium"
    served_html: str = ""  # the forums' served HTML: the re-hosted images' addresses
    base: str | None = None  # what a later read of the copy returns (the merge base)
    editor: str | None = None
    tags: tuple[str, ...] = ()
    also: tuple[tuple[str, str, str], ...] = ()  # (target, id, url): its native crosspost

    @property
    def database(self) -> str:
        return TARGETS[self.target].database


def parse_address(url: str) -> Address:
    """The platform and post id an address names; an InputError (one line) otherwise."""
    text = url.strip()
    parts = urlsplit(text if "://" in text else "https://" + text)
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not host:
        raise InputError(f"{url!r} is not the address of a post",
                         hint="give the post's address as the browser shows it")
    if host in FORUM_HOSTS:
        found = _FORUM_PATH.match(parts.path)
        if found is None:
            raise InputError(f"{url!r} is not the address of a post on "
                             f"{TARGETS[FORUM_HOSTS[host]].label}",
                             hint="a post's address looks like …/posts/<17-character id>/<slug>")
        return Address(FORUM_HOSTS[host], found.group("id"), text)
    if host == "medium.com" or host.endswith(".medium.com"):
        segments = [s for s in parts.path.split("/") if s]
        story = None
        if len(segments) == 2 and segments[0] == "p":
            story = segments[1] if re.fullmatch(r"[0-9a-f]{10,16}", segments[1]) else None
        elif segments:
            found_id = _MEDIUM_ID.search(segments[-1])
            story = found_id.group("id") if found_id else None
        if story is None:
            raise InputError(f"{url!r} is not the address of a Medium story",
                             hint="a story's address ends in its id: …/<title>-1a2b3c4d5e6f, or "
                             "medium.com/p/1a2b3c4d5e6f")
        return Address("medium", story, text)
    raise InputError(f"{url!r} is not on LessWrong, the EA Forum, the Alignment Forum or Medium",
                     hint="crosspost imports posts from those platforms")


# -- the forums -------------------------------------------------------------------------------


class Readers:
    """The adapters a run reads with (one per forum, shared by the worker threads), and the
    Medium feed (read once)."""

    def __init__(self, environ: Mapping[str, str], http: HttpSettings, *,
                 medium_user: str | None) -> None:
        self.environ = environ
        self.http = http
        self.medium_user = medium_user
        self._lock = threading.Lock()
        self._adapters: dict[str, ForumMagnum] = {}
        self._feed: Feed | None = None

    def adapter(self, target: str) -> ForumMagnum:
        from crosspost import credentials
        from crosspost.http import check_endpoint
        from crosspost.targets import load_adapter
        from crosspost.targets.base import TargetContext
        from crosspost.targets.forummagnum import ForumMagnum

        with self._lock:
            if target not in self._adapters:
                info = TARGETS[target]
                given = self.environ.get(info.endpoint_env)
                endpoint = check_endpoint(given or info.default_endpoint, target=target,
                                          env_var=info.endpoint_env if given else None)
                # A token is optional: anyone may read a published post; its author also
                # gets the stored text of a Lexical or HTML post (originalContents).
                credential = credentials.resolve(info, endpoint, self.environ)
                context = TargetContext(endpoint=endpoint, http=self.http,
                                        token=credential.token if credential else None)
                adapter = load_adapter(info)(context)
                assert isinstance(adapter, ForumMagnum)
                adapter._http()  # the client exists before threads share the adapter
                self._adapters[target] = adapter
            return self._adapters[target]

    def close(self) -> None:
        for adapter in self._adapters.values():
            adapter.close()

    def forum_item(self, target: str, post_id: str) -> Item:
        from crosspost.targets.forummagnum_read import read_post

        post = read_post(self.adapter(target), post_id)
        if not post.hosted_here and post.foreign_id and target == "eaforum":
            # A native crosspost of a LessWrong post: the original is the one to bring home.
            original = read_post(self.adapter("lesswrong"), post.foreign_id)
            return _forum_item(original, also=(("eaforum", post.id, _bare(post)),))
        also: tuple[tuple[str, str, str], ...] = ()
        if post.foreign_id and post.hosted_here and target == "lesswrong":
            url = f"{TARGETS['eaforum'].site_url}/posts/{post.foreign_id}"
            also = (("eaforum", post.foreign_id, url),)
        return _forum_item(post, also=also)

    # -- Medium ---------------------------------------------------------------------------

    def feed(self) -> Feed:
        from crosspost.targets.medium_feed import FEED_ENV, feed_url, read_feed

        with self._lock:
            if self._feed is None:
                url = feed_url(self.medium_user, self.environ)
                if url is None:
                    raise ConfigError(
                        "Medium has no read API: stories are read from your profile's feed, and "
                        "crosspost does not know your Medium username",
                        hint=f'set `username = "…"` under [targets.medium] in crosspost.toml, '
                        f"or {FEED_ENV}")
                self._feed = read_feed(url, self.http)
            return self._feed

    def medium_item(self, story_id: str) -> Item:
        from crosspost.targets.medium_feed import FEED_SIZE

        feed = self.feed()
        item = next((i for i in feed.items if i.id == story_id), None)
        if item is None:
            raise NotFound(f"story {story_id} is not in the Medium feed {feed.url}: the feed lists "
                           f"only the latest {FEED_SIZE} stories",
                           hint="Medium has no read API, so an older story cannot be imported; "
                           "copy it into a post by hand and `crosspost link` it", target="medium",
                           operation="read the story")
        if item.html is None:
            raise ProtocolError(f"the Medium feed {feed.url} carries only a summary of story "
                                f"{story_id}, not its text", hint="switch the publication's feed "
                                "to full text, or import the story by hand", target="medium",
                                operation="read the story")
        last = urlsplit(item.url).path.rstrip("/").rsplit("/", 1)[-1]
        slug = re.sub(r"-?[0-9a-f]{10,16}$", "", last)
        return Item(target="medium", id=item.id, url=item.url, title=item.title, slug=slug,
                    posted_at=item.published, source=item.html, kind="medium",
                    tags=item.categories)


def _forum_item(post: ForumPost, *, also: tuple[tuple[str, str, str], ...]) -> Item:
    return Item(target=post.target, id=post.id, url=post.url, title=post.title, slug=post.slug,
                posted_at=post.posted_at, source=post.source, kind=post.source_kind,
                served_html=post.html, base=post.markdown, editor=post.editor, tags=post.tags,
                also=also)


def _bare(post: ForumPost) -> str:
    return f"{TARGETS[post.target].site_url}/posts/{post.id}"


__all__ = ["FORUMS", "FORUM_HOSTS", "Address", "Item", "Readers", "parse_address"]
