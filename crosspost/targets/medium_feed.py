"""Medium's profile feed: the only way to read stories back, with no token.

Medium's API cannot list, read or search posts, and most writers cannot get a token any more,
so "Import a story" by hand is the usual way a post reaches Medium. The author's RSS feed
(``https://medium.com/feed/@<username>``) then lists the story with the same 12-hex id the API
would have returned (``guid`` ``https://medium.com/p/<id>``): enough to record the copy, and
its ``content:encoded`` holds the story's HTML (for bringing stories home).

Facts (``shared`` reference medium.md §3.4, import.md §4): only the **latest 10** items, no
paging; ``link`` carries a ``?source=…`` tracking query; responses (comments) are items too;
a publication may serve summaries only. The feed is XML from the network: it is parsed with
``defusedxml`` (no entity expansion, no external entities), never with regular expressions.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from crosspost.errors import ConfigError, CrosspostError, NetworkError, ProtocolError

if TYPE_CHECKING:
    from crosspost.http import HttpSettings

log = logging.getLogger("crosspost.targets.medium")

FEED_ENV = "CROSSPOST_MEDIUM_FEED"
FEED_SIZE = 10  # Medium serves the latest ten items, no more
_NS = {"content": "http://purl.org/rss/1.0/modules/content/",
       "dc": "http://purl.org/dc/elements/1.1/",
       "atom": "http://www.w3.org/2005/Atom"}


@dataclass(frozen=True)
class FeedItem:
    """One story (or response) of the feed."""

    id: str  # the 12-hex post id, from guid
    url: str  # the link without its tracking query
    title: str
    html: str | None  # content:encoded; None when the feed serves summaries only
    summary: str | None = None  # description, when there is one
    categories: tuple[str, ...] = ()
    creator: str | None = None
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    links: tuple[str, ...] = field(default=(), repr=False)  # hrefs in the story, in order


@dataclass(frozen=True)
class Feed:
    url: str
    items: tuple[FeedItem, ...]

    @property
    def summaries_only(self) -> bool:
        return bool(self.items) and all(item.html is None for item in self.items)


def feed_url(username: str | None, environ: Mapping[str, str]) -> str | None:
    """Where to read the author's stories: ``CROSSPOST_MEDIUM_FEED``, else the profile feed of
    ``username`` (``[targets.medium] username`` in crosspost.toml, or the post's own block)."""
    from crosspost.http import check_endpoint

    given = environ.get(FEED_ENV, "").strip()
    if given:
        return check_endpoint(given, target="medium", env_var=FEED_ENV)
    if not username:
        return None
    name = username.strip().lstrip("@")
    if not name or "/" in name or any(ch.isspace() for ch in name):
        raise ConfigError(f"medium: {username!r} is not a Medium username",
                          hint="write it as on your profile's address, e.g. username = \"jane\"")
    return f"https://medium.com/feed/@{name}"


def clean_link(link: str) -> str:
    """A story's address without Medium's ``?source=…`` tracking query (or any query)."""
    parts = urlsplit(link.strip())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def read_feed(url: str, settings: HttpSettings) -> Feed:
    """Fetch and parse the feed at ``url``. Raises a CrosspostError saying what went wrong."""
    from crosspost.http import error_for_status, make_client, send

    operation = "read your Medium feed"
    accept = {"Accept": "application/rss+xml, application/xml;q=0.9, */*;q=0.1"}
    with make_client(settings, headers=accept) as client:
        response = send(client, "GET", url, target="medium", operation=operation, idempotent=True,
                        settings=settings)
        if response.status_code != 200:
            raise error_for_status(response, target="medium", operation=operation)
        return Feed(url, tuple(parse_feed(response.content, source=url)))


def parse_feed(data: bytes, *, source: str = "the feed") -> list[FeedItem]:
    """The items of an RSS 2.0 feed as Medium writes it."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException) as exc:
        raise ProtocolError(f"{source} is not a readable RSS feed ({exc})",
                            hint="check CROSSPOST_MEDIUM_FEED or the Medium username",
                            target="medium", operation="read your Medium feed") from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ProtocolError(f"{source} is not an RSS feed (its root is <{root.tag}>)",
                            hint="check CROSSPOST_MEDIUM_FEED or the Medium username",
                            target="medium", operation="read your Medium feed")
    items = []
    for node in channel.findall("item"):
        guid = (node.findtext("guid") or "").strip()
        post_id = guid.rstrip("/").rsplit("/", 1)[-1] if "/p/" in guid else ""
        link = (node.findtext("link") or "").strip()
        if not post_id or not link:
            continue  # not a story (nothing to record)
        html = node.findtext("content:encoded", namespaces=_NS)
        items.append(FeedItem(
            id=post_id, url=clean_link(link), title=(node.findtext("title") or "").strip(),
            html=html if html and html.strip() else None,
            summary=node.findtext("description"),
            categories=tuple((c.text or "").strip() for c in node.findall("category") if c.text),
            creator=(node.findtext("dc:creator", namespaces=_NS) or "").strip() or None,
            published=_rfc822(node.findtext("pubDate")),
            updated=_iso(node.findtext("atom:updated", namespaces=_NS)),
            links=tuple(_hrefs(html or "")),
        ))
    return items


def find_story(feed: Feed, *, canonical_url: str, title: str,
               taken: Callable[[str], bool] | None = None) -> FeedItem | None:
    """The story that is this post's copy, never one that ``taken`` says another post records.

    A story that links the post's canonical URL is its copy when it also carries the post's
    title, or when that link is its attribution (the last link off Medium: Medium's import and
    crosspost's import file both end with "originally published at"); a story that merely
    cites the post in its text is another post's. Failing that, the one story with exactly
    this title.
    """
    wanted = _page(canonical_url)
    free = [item for item in feed.items if taken is None or not taken(item.id)]
    linking = [item for item in free if any(_page(href) == wanted for href in item.links)]
    titled = [item for item in free if _same_title(item.title, title)]
    titled_ids = {item.id for item in titled}
    for picks in ([item for item in linking if item.id in titled_ids],
                  [item for item in linking if _attribution(item) == wanted]):
        if picks:
            return picks[0]
    return titled[0] if len(titled) == 1 else None


# Typographic quotes and dashes as typed: Medium's editor and the site's own page title
# (jekyll-seo-tag's `smartify`, which Medium's import reads) curl what the author typed.
_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                             "\u2013": "-", "\u2014": "-", "\u2026": "..."})


def _same_title(one: str, other: str) -> bool:
    from crosspost.targets.base import title_key

    def plain(title: str) -> str:  # `--` and `---` are smartified into one dash
        return title_key(re.sub(r"-{2,}", "-", title.translate(_TYPOGRAPHY)))

    return plain(one) == plain(other)


def _attribution(item: FeedItem) -> str | None:
    """The page the story's last link off Medium points to (its "originally published at")."""
    own = (urlsplit(item.url).hostname or "").lower()
    for href in reversed(item.links):
        host = (urlsplit(href.strip()).hostname or "").lower()
        if host and host not in (own, "medium.com") and not host.endswith(".medium.com"):
            return _page(href)
    return None


def lookup(url: str, settings: HttpSettings, *, canonical_url: str, title: str,
           taken: Callable[[str], bool] | None = None) -> tuple[FeedItem | None, str]:
    """The story for a post, and one line saying what was looked at (for the user)."""
    try:
        feed = read_feed(url, settings)
    except NetworkError as exc:
        return None, f"could not read the Medium feed {url} ({exc.message})"
    except CrosspostError as exc:
        return None, f"could not read the Medium feed {url} ({exc.text(with_target=False)})"
    found = find_story(feed, canonical_url=canonical_url, title=title, taken=taken)
    if found is not None:
        return found, f"found it in the Medium feed {url}"
    why = (" (the feed carries summaries only, so only an exact title can match)"
           if feed.summaries_only else "")
    return None, (f"looked in the Medium feed {url}: not there yet{why}; it lists only the latest "
                  f"{FEED_SIZE} stories, and new ones can take a while to appear")


def _page(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host + "/" + parts.path.strip("/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: Sequence[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def _hrefs(html: str) -> Iterable[str]:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.hrefs


def _rfc822(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError):
        return None


def _iso(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


__all__ = ["FEED_ENV", "FEED_SIZE", "Feed", "FeedItem", "clean_link", "feed_url", "find_story", "lookup",
           "parse_feed", "read_feed"]
