"""A copy belongs to one file (issue 18), continued: the journal's identity of a post across a
rename, and the native EA Forum pair of a copied post file, tried as an author would.

Each test ends with the right remote copy recorded in the right file, no other post's text
changed, and the public or draft state that was meant.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from crosspost.journal import Journal
from tests.fakes.forummagnum import FakeForum
from tests.fakes.server import Fault
from tests.sites import CONFIG, env_for, make_site, post_text, snapshot
from tests.sites import publish_over_fakes as run
from tests.test_crash import cli, finish, first_run, killer  # noqa: F401 (a fixture)

OTHER_TOKEN = "f" * 64
# Pages dated to the day: a monthly post of one title has an address of its own.
DAILY = CONFIG.replace(":year/:title", ":year/:month/:day/:title")


def record(path: Path, target: str = "lesswrong") -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    block = data["crosspost"][target] or {}
    assert isinstance(block, dict)
    return block


def words(name: str) -> str:
    return " ".join(f"{name}{n}" for n in range(60)) + "\n"


def test_a_draft_left_by_a_refused_publish_step_is_published_after_a_rename(
        forum: FakeForum, tmp_path: Path) -> None:
    """`git mv` keeps the record the failed run wrote: the entry is found by that copy."""
    site = make_site(tmp_path / "site", {})
    newcomer = forum.add_user(OTHER_TOKEN, "newcomer", karma=1)  # LessWrong: 2 posts a week
    old = site / "_posts" / "2024-06-01-draft-left.md"
    old.write_text(post_text("Left as a draft", "Meant to be public.\n"), encoding="utf-8")
    env = {**env_for(forum=forum), "CROSSPOST_LESSWRONG_TOKEN": OTHER_TOKEN}
    forum.inject(Fault.meanwhile(lambda: [forum.add_post(newcomer, f"Other {n}", "x\n") for n in (1, 2)],
                                 match=forum.match("createPost")))
    assert run([old], env).results[0].status == "failed"
    draft_id = record(old)["id"]
    assert forum.post(draft_id)["draft"] is True

    new = site / "_posts" / "2024-06-02-draft-left.md"
    old.rename(new)
    forum.advance(8 * 24 * 3600)  # the week is over
    report = run([new], env)
    assert [(r.status, r.id) for r in report.results] == [("created", draft_id)], report.results
    assert forum.post(draft_id)["draft"] is False
    assert not list(Journal(site).entries())
    assert not report.notices
    assert run([new], env).results[0].status == "up to date"
    assert len([p for p in forum.posts_of(newcomer) if p["title"] == "Left as a draft"]) == 1


def test_an_interrupted_create_is_not_another_post_of_the_same_title(
        forum: FakeForum, tmp_path: Path, killer: Path) -> None:  # noqa: F811
    """A title is no identity: July's "Open thread", killed after its reply and renamed, is
    not August's "Open thread"; August gets its own post and July's keeps its text."""
    site = make_site(tmp_path / "site", {}, config=DAILY)
    july = site / "_posts" / "2024-07-01-open-thread.md"
    july.write_text(post_text("Open thread", words("july"), date="2024-07-01"), encoding="utf-8")
    env = env_for(forum=forum)
    first_run("after-reply", july, env, killer, forum, forum.match("createPost"))
    [public] = forum.posts_of(forum.user)
    assert public["draft"] is False
    renamed = site / "_posts" / "2024-07-02-open-thread.md"
    july.rename(renamed)
    august = site / "_posts" / "2024-08-01-open-thread.md"
    august.write_text(post_text("Open thread", words("august"), date="2024-08-01"), encoding="utf-8")
    forum.advance(3601)  # the forum's own rule: no two posts of one title within the hour

    code, output = finish(cli(august, env, killer))
    assert code != 0  # stopped, with the way on: July's post records it first
    assert f"that an interrupted run made for _posts/{july.name}, a file that is gone" in output
    assert "crosspost link" not in output
    assert "july1 " in forum.post(public["_id"])["markdown"]
    assert "id" not in record(august)

    code, output = finish(cli(renamed, env, killer))  # July, under its new name
    assert code == 0, output
    assert record(renamed)["id"] == public["_id"]
    assert not list(Journal(site).entries())
    code, output = finish(cli(august, env, killer))
    assert code == 0, output
    assert record(august)["id"] != public["_id"]
    assert "july1 " in forum.post(public["_id"])["markdown"]
    assert "august1 " in forum.post(record(august)["id"])["markdown"]
    assert forum.count_posts() == 2


def test_a_dry_run_leaves_a_renamed_posts_journal_entry_where_it_is(forum: FakeForum,
                                                                    tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    Journal(site).begin(site / "_posts" / "2024-07-01-moved.md", "lesswrong", action="create",
                        title="Moved", body="x", content_hash="h", draft=False,
                        canonical_url="https://janedoe.net/blog/2024/moved/")
    new = site / "_posts" / "2024-07-02-moved.md"
    new.write_text(post_text("Moved", "Body.\n"), encoding="utf-8")
    before = snapshot(site)
    [planned] = run([new], env_for(forum=forum), dry_run=True).results
    assert planned.plan is not None
    assert planned.plan.action == "reconcile"
    assert snapshot(site) == before


def test_a_copied_file_never_asks_for_the_pair_of_the_originals_lesswrong_copy(
        make_forum: Callable[..., FakeForum], tmp_path: Path) -> None:
    lw, ea = make_forum("lesswrong"), make_forum("eaforum")
    site = make_site(tmp_path / "site", {"2024-01-02-a.md": post_text("Essay A", "A's words.\n")})
    original = site / "_posts" / "2024-01-02-a.md"
    env = env_for(forum=lw, ea=ea)
    assert run([original], env).results[0].status == "created"
    lw.link_crossposting(ea)  # linked later; Essay A has no pair
    copied = site / "_posts" / "2024-02-01-c.md"  # the template, with an EA Forum block added
    copied.write_text(original.read_text(encoding="utf-8").replace("Essay A", "Essay C")
                      .replace("A's words", "C's words").replace("\n---\n", "\n  eaforum:\n---\n", 1),
                      encoding="utf-8")
    lw_before = lw.post(record(original)["id"])

    [result] = run([copied], env, targets=("eaforum",)).results
    assert result.status == "failed"
    assert original.name in result.message
    assert "a copy belongs to one file" in result.message
    assert ea.count_posts() == 0
    assert lw.post(record(original)["id"]) == lw_before
    assert "id" not in record(copied, "eaforum")


def test_link_after_a_crash_and_a_rename_settles_the_interrupted_write(
        forum: FakeForum, tmp_path: Path) -> None:
    # Killed after the server saved the post, then renamed, then the copy linked by hand:
    # the interrupted write is this post's and is settled; no later run mentions it.
    from crosspost.linking import link_copy
    from crosspost.render import render_post
    from crosspost.sites import Site

    site = make_site(tmp_path / "site", {"2024-05-01-essay.md": post_text("Essay", words("e"))})
    old = site / "_posts" / "2024-05-01-essay.md"
    new = site / "_posts" / "2024-05-02-essay.md"
    rendered = render_post(Site.discover(old).load(old), Site.discover(old), "lesswrong")
    Journal(site).begin(old, "lesswrong", action="create", title=rendered.title,
                        body=rendered.body, content_hash=rendered.hash, draft=False,
                        canonical_url=rendered.canonical_url)
    other = site / "_posts" / "2024-05-03-other.md"  # another post's interrupted write stays
    other.write_text(post_text("Other", words("o")), encoding="utf-8")
    Journal(site).begin(site / "_posts" / "gone.md", "lesswrong", action="create", title="Other",
                        body="Something else entirely.\n", content_hash="x", draft=False)
    old.rename(new)
    post_id = forum.add_post(forum.user, "Essay", rendered.body)
    link_copy(new, "lesswrong", f"https://www.lesswrong.com/posts/{post_id}/essay")
    assert [e.title for e in Journal(site).entries()] == ["Other"]
    report = run([new], env_for(forum=forum))
    assert [r.status for r in report.results] in (["up to date"], ["updated"])
    assert forum.count_posts() == 1
    assert record(new)["id"] == post_id
