"""A fake Medium profile feed on 127.0.0.1, shaped as Medium serves it (medium.md §3.4,
import.md §4): RSS 2.0, ``text/xml``, the latest ten items only, ``link`` with a ``?source=``
tracking query, ``guid`` ``https://medium.com/p/<id>`` (not a permalink), tag slugs as
``category``, ``content:encoded`` HTML (the title repeated as an ``<h3>``, a tracking pixel
last), responses as items too, and, for a publication that turned it on, summaries only.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

import pytest

from tests.fakes.server import FakeServer, Reply, Request

USERHASH = "bc507f75565c"


@dataclass
class Story:
    id: str
    title: str
    slug: str
    html: str
    tags: tuple[str, ...] = ()
    published: datetime = field(default_factory=lambda: datetime.now(UTC))
    response: bool = False

    @property
    def url(self) -> str:
        return f"https://medium.com/@jane/{self.slug}-{self.id}"


class MediumFeedFake:
    """``GET /feed/@<username>``: the RSS of that user's latest ten stories and responses."""

    def __init__(self, username: str = "jane") -> None:
        self.username = username
        self.stories: list[Story] = []  # newest last
        self.summaries_only = False
        self.server = FakeServer(self)

    def start(self) -> MediumFeedFake:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    @property
    def url(self) -> str:
        return f"{self.server.url}/feed/@{self.username}"

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def add_story(self, title: str, html: str, *, tags: tuple[str, ...] = (), response: bool = False,
                  published: datetime | None = None, story_id: str | None = None) -> Story:
        """A story (or response) as Medium lists it; ``story_id`` for one the API made."""
        slug = "-".join("".join(ch if ch.isalnum() else " " for ch in title.lower()).split())
        story = Story(story_id or secrets.token_hex(6), title, slug or "untitled", html, tags,
                      published or datetime.now(UTC) - timedelta(minutes=len(self.stories)), response)
        self.stories.append(story)
        return story

    def __call__(self, request: Request) -> Reply:
        if request.method != "GET" or request.path != f"/feed/@{self.username}":
            return Reply.html("<html><body>Page not found</body></html>", 404)
        return Reply(200, self.render().encode("utf-8"), {"Content-Type": "text/xml; charset=UTF-8"})

    def render(self) -> str:
        latest = sorted(self.stories, key=lambda s: s.published, reverse=True)[:10]
        items = "".join(self._item(story) for story in latest)
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:atom="http://www.w3.org/2005/Atom" version="2.0" '
            'xmlns:cc="http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html">'
            f"<channel><title><![CDATA[Stories by Jane on Medium]]></title>"
            f"<link>https://medium.com/@{self.username}?source=rss-{USERHASH}------2</link>"
            "<generator>Medium</generator>"
            f"<lastBuildDate>{format_datetime(datetime.now(UTC), usegmt=True)}</lastBuildDate>"
            f"<webMaster><![CDATA[yourfriends@medium.com]]></webMaster>{items}</channel></rss>")

    def _item(self, story: Story) -> str:
        categories = "".join(f"<category><![CDATA[{tag}]]></category>" for tag in story.tags)
        body = (f"<h3>{escape(story.title)}</h3>{story.html}"
                f'<img src="https://medium.com/_/stat?event=post.clientViewed&amp;referrerSource=full_rss'
                f'&amp;postId={story.id}" width="1" height="1" alt="">')
        content = (f"<description><![CDATA[<p>{escape(story.title)}</p><p>Continue reading on Medium »</p>]]>"
                   "</description>" if self.summaries_only
                   else f"<content:encoded><![CDATA[{body}]]></content:encoded>")
        updated = story.published.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return (f"<item><title><![CDATA[{story.title}]]></title>"
                f"<link>{story.url}?source=rss-{USERHASH}------2</link>"
                f'<guid isPermaLink="false">https://medium.com/p/{story.id}</guid>{categories}'
                "<dc:creator><![CDATA[Jane Doe]]></dc:creator>"
                f"<pubDate>{format_datetime(story.published, usegmt=True)}</pubDate>"
                f"<atom:updated>{updated}</atom:updated>{content}</item>")


@pytest.fixture
def medium_feed() -> Iterator[MediumFeedFake]:
    fake = MediumFeedFake().start()
    try:
        yield fake
    finally:
        fake.stop()
