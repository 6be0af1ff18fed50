"""Medium's profile feed, read back over real HTTP from a fake shaped as Medium serves it."""

from __future__ import annotations

import pytest

from crosspost.errors import ConfigError, NotFound, ProtocolError
from crosspost.targets.medium_feed import (
    clean_link,
    feed_url,
    find_story,
    lookup,
    parse_feed,
    read_feed,
)
from tests.fakes.medium_feed import MediumFeedFake
from tests.sites import FAST

CANONICAL = "https://janedoe.net/blog/2024/hello/"


def test_the_feed_is_read_with_ids_clean_links_and_html(medium_feed: MediumFeedFake) -> None:
    story = medium_feed.add_story("Hello", f'<p>Hi.</p><p>Originally published at <a href="{CANONICAL}">'
                                           "janedoe.net</a>.</p>", tags=("ai", "writing"))
    feed = read_feed(medium_feed.url, FAST)
    [item] = feed.items
    assert item.id == story.id
    assert item.url == story.url
    assert "?" not in item.url
    assert item.title == "Hello"
    assert item.categories == ("ai", "writing")
    assert item.html is not None
    assert item.html.startswith("<h3>Hello</h3>")
    assert CANONICAL in item.links
    assert item.published is not None


def test_a_story_is_found_by_its_link_to_the_canonical_url_first(medium_feed: MediumFeedFake) -> None:
    medium_feed.add_story("Hello", "<p>Another story with the same title.</p>")
    linked = medium_feed.add_story("Retitled on Medium", f'<p>Text.</p><p><a href="{CANONICAL.rstrip("/")}">'
                                                         "Originally published</a></p>")
    feed = read_feed(medium_feed.url, FAST)
    found = find_story(feed, canonical_url="http://www.janedoe.net/blog/2024/hello", title="Hello")
    assert found is not None
    assert found.id == linked.id


def test_a_story_that_only_cites_the_post_is_not_its_copy(medium_feed: MediumFeedFake) -> None:
    # The author's newer story links this post in its text and ends with its own attribution.
    medium_feed.add_story("Second thoughts", f'<p>As I said in <a href="{CANONICAL}">my first post</a>.</p>'
                          '<p>Originally published at <a href="https://janedoe.net/blog/2024/second/">'
                          "janedoe.net</a>.</p>")
    feed = read_feed(medium_feed.url, FAST)
    assert find_story(feed, canonical_url=CANONICAL, title="Hello") is None
    # The post's own copy is found beside it, by its attribution or by its title.
    copy = medium_feed.add_story("Hello (on Medium)", f'<p>Hi.</p><p>Originally published at '
                                 f'<a href="{CANONICAL}">janedoe.net</a>.</p>')
    found = find_story(read_feed(medium_feed.url, FAST), canonical_url=CANONICAL, title="Hello")
    assert found is not None
    assert found.id == copy.id


def test_a_story_another_post_records_is_never_found_again(medium_feed: MediumFeedFake) -> None:
    story = medium_feed.add_story("Hello", f'<p>Originally published at <a href="{CANONICAL}">x</a>.</p>')
    feed = read_feed(medium_feed.url, FAST)
    assert find_story(feed, canonical_url=CANONICAL, title="Hello", taken=lambda i: False) is not None
    assert find_story(feed, canonical_url=CANONICAL, title="Hello", taken={story.id}.__contains__) is None


def test_without_a_link_only_one_exact_title_matches(medium_feed: MediumFeedFake) -> None:
    only = medium_feed.add_story("Hello  world", "<p>Text.</p>")
    feed = read_feed(medium_feed.url, FAST)
    found = find_story(feed, canonical_url=CANONICAL, title="hello world")
    assert found is not None
    assert found.id == only.id
    medium_feed.add_story("Hello world", "<p>A second one.</p>")
    assert find_story(read_feed(medium_feed.url, FAST), canonical_url=CANONICAL, title="Hello world") is None


def test_a_title_medium_or_the_site_curled_still_matches(medium_feed: MediumFeedFake) -> None:
    story = medium_feed.add_story("Don\u2019t panic \u2014 it\u2019s \u201cfine\u201d", "<p>Text.</p>")
    feed = read_feed(medium_feed.url, FAST)
    found = find_story(feed, canonical_url=CANONICAL, title="Don't panic --- it's \"fine\"")
    assert found is not None
    assert found.id == story.id
    assert find_story(feed, canonical_url=CANONICAL, title="Do panic - it's \"fine\"") is None


def test_only_the_latest_ten_are_there_and_the_lookup_says_so(medium_feed: MediumFeedFake) -> None:
    from datetime import UTC, datetime, timedelta

    old = medium_feed.add_story("Old", f'<a href="{CANONICAL}">x</a>',
                                published=datetime.now(UTC) - timedelta(days=400))
    for n in range(10):
        medium_feed.add_story(f"New {n}", "<p>x</p>")
    assert old.id not in {i.id for i in read_feed(medium_feed.url, FAST).items}
    found, said = lookup(medium_feed.url, FAST, canonical_url=CANONICAL, title="Old")
    assert found is None
    assert said.startswith(f"looked in the Medium feed {medium_feed.url}: not there yet")
    assert "latest 10 stories" in said


def test_a_feed_of_summaries_only_is_matched_by_title_and_says_so(medium_feed: MediumFeedFake) -> None:
    medium_feed.summaries_only = True
    story = medium_feed.add_story("Hello", f'<a href="{CANONICAL}">x</a>')
    found, _ = lookup(medium_feed.url, FAST, canonical_url=CANONICAL, title="Hello")
    assert found is not None
    assert found.id == story.id
    assert found.html is None
    found, said = lookup(medium_feed.url, FAST, canonical_url=CANONICAL, title="Something else")
    assert found is None
    assert "summaries only" in said


def test_an_unreachable_or_wrong_feed_is_one_line(medium_feed: MediumFeedFake) -> None:
    url = medium_feed.url.replace("@jane", "@nobody")
    with pytest.raises(NotFound):
        read_feed(url, FAST)
    found, said = lookup(url, FAST, canonical_url=CANONICAL, title="x")
    assert found is None
    assert said.startswith(f"could not read the Medium feed {url}")
    assert "\n" not in said
    medium_feed.stop()
    found, said = lookup(medium_feed.url, FAST, canonical_url=CANONICAL, title="x")
    assert found is None
    assert "could not read the Medium feed" in said


@pytest.mark.parametrize("data", [
    b"not xml at all",
    b"<html><body>Sign in</body></html>",
    # A "billion laughs" entity bomb: refused, never expanded.
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    b"<rss><channel><item><title>&b;</title></item></channel></rss>",
    # An external entity: never fetched.
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel>'
    b"<item><title>&x;</title></item></channel></rss>",
])
def test_what_is_not_a_plain_rss_feed_is_refused(data: bytes) -> None:
    with pytest.raises(ProtocolError):
        parse_feed(data)


def test_the_feed_address_comes_from_the_environment_or_the_username() -> None:
    assert feed_url("jane", {}) == "https://medium.com/feed/@jane"
    assert feed_url("@jane", {}) == "https://medium.com/feed/@jane"
    assert feed_url(None, {}) is None
    assert feed_url("jane", {"CROSSPOST_MEDIUM_FEED": "https://blog.example.org/feed"}) \
        == "https://blog.example.org/feed"
    assert feed_url(None, {"CROSSPOST_MEDIUM_FEED": "http://127.0.0.1:8000/feed/@x"}) \
        == "http://127.0.0.1:8000/feed/@x"
    with pytest.raises(ConfigError, match="plain HTTP"):
        feed_url("jane", {"CROSSPOST_MEDIUM_FEED": "http://medium.com/feed/@jane"})
    with pytest.raises(ConfigError, match="not a Medium username"):
        feed_url("jane doe/x", {})


def test_clean_link_drops_the_tracking_query() -> None:
    assert clean_link("https://jane.medium.com/post-e1131f7c0355?source=rss-bc507f75565c------2") \
        == "https://jane.medium.com/post-e1131f7c0355"
