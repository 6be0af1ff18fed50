"""Medium without a token (issue 13): a story imported by hand is found in the author's feed,
recorded with its id and clean URL, and the import steps are never shown again for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from crosspost.engine import PublishOptions, Report, publish
from tests.fakes.medium import CREATE, MediumFake
from tests.fakes.medium_feed import MediumFeedFake
from tests.fakes.server import Fault
from tests.sites import FAST, env_for, make_site, post_text

CANONICAL = "https://janedoe.net/blog/2024/hello-medium/"


def record(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    block = data["crosspost"]["medium"] or {}
    assert isinstance(block, dict)
    return block


def run(path: Path, env: dict[str, str], **options: Any) -> Report:
    return publish([path], PublishOptions(environ=env, http=FAST, **options))


@pytest.fixture
def post(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", {"2024-01-02-hello-medium.md": post_text(
        "Hello Medium", "A story for Medium.\n", crosspost="crosspost:\n  medium:\n")})
    (site / "crosspost.toml").write_text('[targets.medium]\nusername = "jane"\n', encoding="utf-8")
    return site / "_posts" / "2024-01-02-hello-medium.md"


def test_the_imported_story_is_found_and_recorded_once(post: Path, medium_feed: MediumFeedFake) -> None:
    env = {"CROSSPOST_MEDIUM_FEED": medium_feed.url}  # no Medium token
    first = run(post, env).results[0]
    assert first.status == "manual"
    assert "crosspost link" in first.message
    assert f"looked in the Medium feed {medium_feed.url}: not there yet" in first.message
    assert "id" not in record(post)

    story = medium_feed.add_story("Hello Medium (imported)", "<p>A story for Medium.</p>"
                                  f'<p>Originally published at <a href="{CANONICAL}">janedoe.net</a>.</p>')
    second = run(post, env).results[0]
    assert second.status == "recorded"
    assert second.url == story.url
    assert record(post)["id"] == story.id
    assert record(post)["url"] == story.url
    assert "?source=" not in record(post)["url"]
    assert record(post)["published"] == story.published.replace(microsecond=0)  # the feed's date

    third = run(post, env).results[0]
    assert third.status == "up to date"
    assert "crosspost link" not in third.message
    assert len(medium_feed.requests) == 2  # once recorded, the feed is not read again


def test_a_story_citing_another_post_is_recorded_for_its_own_post_only(
        tmp_path: Path, medium_feed: MediumFeedFake) -> None:
    medium = "crosspost:\n  medium:\n"
    site = make_site(tmp_path / "site", {
        "2024-01-02-first.md": post_text("First thoughts", "Body one.\n", crosspost=medium),
        "2024-02-02-second.md": post_text("Second thoughts", "As I said in [it](/blog/2024/first/).\n",
                                          crosspost=medium, date="2024-02-02")})
    (site / "crosspost.toml").write_text('[targets.medium]\nusername = "jane"\n', encoding="utf-8")
    first, second = site / "_posts" / "2024-01-02-first.md", site / "_posts" / "2024-02-02-second.md"
    # Only the second post was imported; its story links the first one in its text.
    story = medium_feed.add_story("Second thoughts", '<p>As I said in <a href="https://janedoe.net/blog/2024/first/">'
                                  "my first post</a>.</p><p>Originally published at <a href="
                                  '"https://janedoe.net/blog/2024/second/">janedoe.net</a>.</p>')
    env = {"CROSSPOST_MEDIUM_FEED": medium_feed.url}
    assert run(second, env).results[0].status == "recorded"
    assert record(second)["id"] == story.id
    result = run(first, env).results[0]
    assert result.status == "manual"
    assert "not there yet" in result.message
    assert "id" not in record(first)
    # Retitled to the other story's title, it is still not taken: that story is recorded.
    first.write_text(first.read_text(encoding="utf-8").replace("First thoughts", "Second thoughts"),
                     encoding="utf-8")
    assert run(first, env).results[0].status == "manual"
    assert "id" not in record(first)


def test_without_a_feed_the_steps_say_how_to_set_one(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"2024-01-02-x.md": post_text(
        "X", "Body.\n", crosspost="crosspost:\n  medium:\n")})
    result = run(site / "_posts" / "2024-01-02-x.md", {}).results[0]
    assert result.status == "manual"
    assert "[targets.medium] username" in result.message


def test_an_unreachable_feed_is_one_line_and_the_steps_stay(post: Path, medium_feed: MediumFeedFake) -> None:
    url = medium_feed.url
    medium_feed.stop()
    result = run(post, {"CROSSPOST_MEDIUM_FEED": url}).results[0]
    assert result.status == "manual"
    [line] = [x for x in result.message.splitlines() if "Medium feed" in x]
    assert line.startswith(f"(crosspost could not read the Medium feed {url}")
    assert "crosspost link" in result.message


def test_a_feed_of_summaries_is_matched_by_the_exact_title(post: Path, medium_feed: MediumFeedFake) -> None:
    medium_feed.summaries_only = True
    story = medium_feed.add_story("Hello Medium", "<p>x</p>")
    result = run(post, {"CROSSPOST_MEDIUM_FEED": medium_feed.url}).results[0]
    assert result.status == "recorded"
    assert record(post)["id"] == story.id


def test_the_dry_run_says_what_it_would_record_and_writes_nothing(post: Path,
                                                                 medium_feed: MediumFeedFake) -> None:
    story = medium_feed.add_story("Hello Medium", f'<p><a href="{CANONICAL}">Originally</a></p>')
    before = post.read_bytes()
    report = run(post, {"CROSSPOST_MEDIUM_FEED": medium_feed.url}, dry_run=True)
    assert report.results[0].status == "planned"
    assert f"{story.url} will be recorded" in report.results[0].message
    assert post.read_bytes() == before


def test_an_uncertain_create_is_settled_by_the_feed(post: Path, medium: MediumFake,
                                                    medium_feed: MediumFeedFake) -> None:
    env = {**env_for(medium=medium), "CROSSPOST_MEDIUM_FEED": medium_feed.url}
    medium.inject(Fault.drop_after(match=CREATE))  # saved; the answer is lost
    first = run(post, env).results[0]
    assert first.status == "failed"
    assert record(post)["status"] == "uncertain"
    [made] = medium.posts
    medium_feed.add_story("Hello Medium", f'<a href="{CANONICAL}">x</a>', story_id=made.id)
    second = run(post, env).results[0]
    assert second.status == "recorded"
    assert record(post)["id"] == made.id
    assert "status" not in record(post)
    assert "updated" not in record(post)  # found, not sent again: it was made when first sent
    assert len(medium.posts) == 1


def test_force_new_after_a_lost_reply_records_a_fresh_copy(post: Path, medium: MediumFake) -> None:
    env = env_for(medium=medium)
    medium.inject(Fault.drop_before(match=CREATE))  # nothing was made, as medium.com/me/stories shows
    assert run(post, env).results[0].status == "failed"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace(f"published: {record(post)['published'].strftime('%Y-%m-%dT%H:%M:%SZ')}",
                                 "published: 2020-01-01T00:00:00Z"), encoding="utf-8")
    assert run(post, env, force_new=True).results[0].status == "created"
    [made] = medium.posts
    assert record(post)["id"] == made.id
    assert record(post)["published"].year > 2020  # when this copy was made
    assert "updated" not in record(post)  # Medium copies are never updated


def test_status_remote_asks_the_feed_for_medium(post: Path, medium_feed: MediumFeedFake) -> None:
    from crosspost.engine.remote import IMPORTED, LIVE, NOT_PUBLISHED, remote_statuses

    env = {"CROSSPOST_MEDIUM_FEED": medium_feed.url}
    options = PublishOptions(environ=env, http=FAST)
    [row] = remote_statuses([post], options)
    assert (row.state, row.detail) == (NOT_PUBLISHED, "not in your feed yet")
    story = medium_feed.add_story("Hello Medium", f'<a href="{CANONICAL}">x</a>')
    [row] = remote_statuses([post], options)
    assert (row.state, row.url) == (IMPORTED, story.url)
    assert run(post, env).results[0].status == "recorded"
    [row] = remote_statuses([post], options)
    assert (row.state, row.detail) == (LIVE, "in your feed")


def test_status_remote_never_calls_an_uncertain_create_not_published(
        post: Path, medium: MediumFake, medium_feed: MediumFeedFake) -> None:
    from crosspost.engine.remote import UNCERTAIN, remote_statuses

    medium.inject(Fault.drop_after(match=CREATE))  # a draft may sit on Medium now
    assert run(post, env_for(medium=medium)).results[0].status == "failed"
    assert record(post)["status"] == "uncertain"
    (post.parent.parent / "crosspost.toml").write_text("", encoding="utf-8")  # no feed, then one
    for env in ({}, {"CROSSPOST_MEDIUM_FEED": medium_feed.url}):
        [row] = remote_statuses([post], PublishOptions(environ=env, http=FAST))
        assert row.state == UNCERTAIN
        assert "https://medium.com/me/stories" in row.detail
        assert "crosspost link" in row.detail


def test_with_a_token_a_story_imported_by_hand_is_recorded_not_made_again(
        post: Path, medium: MediumFake, medium_feed: MediumFeedFake) -> None:
    story = medium_feed.add_story("Hello Medium", f'<p>Originally at <a href="{CANONICAL}">x</a></p>')
    env = {**env_for(medium=medium), "CROSSPOST_MEDIUM_FEED": medium_feed.url}
    original = post.read_bytes()
    planned = run(post, env, dry_run=True).results[0]
    assert f"{story.url} will be recorded" in planned.message
    result = run(post, env).results[0]
    assert (result.status, result.url) == ("recorded", story.url)
    assert record(post)["id"] == story.id
    assert medium.creates() == []
    post.write_bytes(original)  # the record forgotten: --force-new asks for a second copy anyway
    assert run(post, env, force_new=True).results[0].status == "created"
    assert len(medium.posts) == 1
