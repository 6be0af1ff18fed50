"""Edits made on the platform, the way authors break them (issue 12): other targets than
LessWrong, other front-matter formats and line endings, and text the renderer rewrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosspost.engine.drift import lines_of, merge
from tests.conftest import Cli
from tests.fakes.devto import DevtoFake
from tests.fakes.forummagnum import FakeForum
from tests.sites import env_for, make_site, post_text
from tests.test_pull import edit_there
from tests.test_pull import publish_once as published

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


def test_a_paragraph_added_there_above_a_conflict_never_replaces_one_of_the_post(
        cli: Cli, forum_post: Path, forum: FakeForum) -> None:
    """A paragraph inserted on LessWrong just above a line edited on both sides: lined up by
    their blank lines alone, the merge took the inserted paragraph for an edit of the post's
    first one, and `pull --apply` wrote it in that paragraph's place (the author's paragraph
    was gone from the file). Blank lines keep edits apart, but do not line paragraphs up."""
    env = env_for(forum=forum)
    post_id = published(cli, forum_post, forum)
    edit_there(forum, post_id, "The first paragraph, with a tpyo",
               "A new paragraph written there.\n\nThe first paragraph, with a typo")
    edit_there(forum, post_id, "says one thing", "says one thing there")
    text = forum_post.read_text(encoding="utf-8")
    forum_post.write_text(text.replace("says one thing", "says one thing here"), encoding="utf-8")
    before = forum_post.read_bytes()

    code, out, err = cli("pull", str(forum_post), "--apply", env=env)
    assert code == 0, out + err
    assert "was edited on LessWrong and in your post; keep what you want by hand" in out
    assert "LessWrong: A new paragraph written there." in out
    assert forum_post.read_bytes() == before, "the edits there are all in the conflict"

    code, out, err = cli("publish", str(forum_post), env=env)
    assert code == 1, out + err
    assert "says one thing there" in forum.post(post_id)["markdown"]


def test_merge_lines_paragraphs_up_by_text_and_by_blank_lines_only_when_they_count_alike() -> None:
    base = "A.\n\nP1.\n\nP2.\n\nZ.\n"
    theirs = "A.\n\nNew.\n\nP1, edited.\n\nP2, there.\n\nZ.\n"
    ours = "A.\n\nP1.\n\nP2, here.\n\nZ.\n"
    merged, [conflict] = merge(base, theirs, ours, prefer="ours")
    assert conflict.base == ("P1.\n", "\n", "P2.\n")
    assert "P1.\n" in merged, "the post's paragraph is not taken for the one added there"
    # As many paragraphs on each side: edited in place, and each edit stays apart.
    merged, conflicts = merge(base, "A.\n\nP1, edited.\n\nP2.\n\nZ.\n", ours)
    assert (merged, conflicts) == ("A.\n\nP1, edited.\n\nP2, here.\n\nZ.\n", [])


@given(st.lists(st.sampled_from(["P1.\n", "P2.\n", "P3.\n", "\n", "  \n", "New.\n"]), max_size=12),
       st.lists(st.sampled_from(["P1.\n", "P2.\n", "\n", "Other.\n"]), max_size=12))
def test_a_merge_with_one_side_unchanged_is_the_other_side(base: list[str], other: list[str]) -> None:
    base_text, other_text = "".join(base), "".join(other)
    assert merge(base_text, other_text, base_text) == (lines_text(other_text), [])
    assert merge(base_text, base_text, other_text) == (lines_text(other_text), [])


def lines_text(text: str) -> str:
    return "".join(lines_of(text))
