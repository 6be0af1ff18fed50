"""Edits made on the platform, the way authors break them (issue 12): other targets than
LessWrong, other front-matter formats and line endings, and text the renderer rewrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.fakes.devto import DevtoFake
from tests.fakes.forummagnum import FakeForum
from tests.sites import env_for, make_site, post_text

BODY = """\
A first line with `{{ code }}` and $$x^2$$.

The first paragraph, with a tpyo in it.

The second paragraph says one thing.

The third paragraph closes the post.
"""


@pytest.fixture
def devto_post(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", {"2024-01-02-hello.md": post_text(
        "Hello dev", BODY, crosspost="crosspost:\n  devto:\n")})
    return site / "_posts" / "2024-01-02-hello.md"


def test_pull_apply_brings_a_dev_to_edit_home(cli: Cli, devto_post: Path, devto: DevtoFake) -> None:
    """dev.to's body is the forum's plus a last pass (Liquid, math): a line that pass left
    alone is the author's line, and an edit there comes home like one made on LessWrong."""
    env = env_for(devto=devto)
    code, out, err = cli("publish", str(devto_post), env=env)
    assert code == 0, out + err
    [article] = devto.articles_of()
    devto.edit_on_site(article.id, article.body_markdown.replace("tpyo", "typo")
                       .replace("`x^2`", "`y^2`"))
    before = devto_post.read_bytes()

    code, out, err = cli("pull", str(devto_post), "--from", "devto", "--apply", env=env)
    assert code == 0, out + err
    assert f"wrote 1 edit into {devto_post}" in out
    assert "1 edit in text crosspost rewrote for the platform, left for you" in out
    assert "{% katex inline %}`y^2`{% endkatex %}" in out
    assert devto_post.read_bytes() == before.replace(b"tpyo", b"typo")


@pytest.fixture
def forum_post(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", {"2024-01-02-hello.md": post_text("Hello forums", BODY)})
    return site / "_posts" / "2024-01-02-hello.md"


def published(cli: Cli, post: Path, forum: FakeForum) -> str:
    code, out, err = cli("publish", str(post), env=env_for(forum=forum))
    assert code == 0, out + err
    [copy] = forum.posts_of(forum.user)
    return str(copy["_id"])


def edit_there(forum: FakeForum, post_id: str, old: str, new: str) -> None:
    markdown = forum.post(post_id)["markdown"]
    assert old in markdown
    forum.edit_on_site(post_id, markdown.replace(old, new))


def test_overwrite_replaces_edits_made_there_on_a_post_that_did_not_change(
        cli: Cli, forum_post: Path, forum: FakeForum) -> None:
    """`status --remote` says a copy was edited there; the post itself is as sent. --overwrite
    must still put the post back (it is the way the conflict message and the README give):
    the hash alone says nothing about the copy, so the copy is read."""
    env = env_for(forum=forum)
    post_id = published(cli, forum_post, forum)
    edit_there(forum, post_id, "says one thing", "says something I did not write")

    code, out, err = cli("publish", str(forum_post), "--overwrite", "--dry-run", env=env)
    assert code == 0, out + err
    assert "--overwrite: replaces the edits made on LessWrong" in out
    assert "says something I did not write" in out

    before = len(forum.requests)
    code, out, err = cli("publish", str(forum_post), "--overwrite", env=env)
    assert code == 0, out + err
    assert "lesswrong: updated" in out
    assert "something I did not write" not in forum.post(post_id)["markdown"]
    assert "says one thing" in forum.post(post_id)["markdown"]
    assert [c.fields for c in forum.calls()[before:]] == [("currentUser", "post"), ("updatePost",)]

    # The copy shows the post again: --overwrite reads it and writes nothing; without it,
    # not even the read.
    before = len(forum.requests)
    code, out, err = cli("publish", str(forum_post), "--overwrite", env=env)
    assert code == 0, out + err
    assert "lesswrong: up to date" in out
    assert [c.fields for c in forum.calls()[before:]] == [("currentUser", "post")]
    before = len(forum.requests)
    code, out, err = cli("publish", str(forum_post), env=env)
    assert (code, len(forum.requests)) == (0, before)
