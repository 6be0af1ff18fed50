"""Edits made on the platform (issue 12), end to end over the fake forum: kept, merged, refused.

The platform-side edits are made the way the server stores them (``FakeForum.edit_on_site``:
a new revision, the Markdown changed, the HTML rendered again), and the server's own image
re-hosting (a revision whose HTML and version change, never its Markdown) is no edit.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from crosspost.engine.drift import CONFLICT, MERGED, SAME, UNCHANGED, UNKNOWN, merge
from crosspost.errors import EditedThere
from tests.fakes.forummagnum import FakeForum
from tests.sites import env_for, make_site, post_text, publish_over_fakes, snapshot

BODY = """\
The first paragraph, with a tpyo in it.

The second paragraph says one thing.

The third paragraph closes the post.
"""


run = publish_over_fakes


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {"2024-01-02-hello.md": post_text("Hello forums", BODY)})


@pytest.fixture
def post(site: Path) -> Path:
    return site / "_posts" / "2024-01-02-hello.md"


def published(forum: FakeForum, post: Path) -> str:
    """Publish ``post`` once; the id of its copy."""
    report = run([post], env_for(forum=forum))
    assert [r.status for r in report.results] == ["created"]
    [copy] = forum.posts_of(forum.user)
    return str(copy["_id"])


def edit_source(post: Path, old: str, new: str) -> None:
    text = post.read_text(encoding="utf-8")
    assert old in text
    post.write_text(text.replace(old, new), encoding="utf-8")


def edit_there(forum: FakeForum, post_id: str, old: str, new: str) -> None:
    markdown = forum.post(post_id)["markdown"]
    assert old in markdown
    forum.edit_on_site(post_id, markdown.replace(old, new))


def writes(forum: FakeForum) -> list[str]:
    return [f for c in forum.calls() for f in c.fields if f in {"createPost", "updatePost"}]


def test_edits_on_different_paragraphs_are_merged_and_reported(forum: FakeForum, post: Path) -> None:
    post_id = published(forum, post)
    edit_there(forum, post_id, "a tpyo in it", "a typo fixed on LessWrong")
    edit_source(post, "says one thing", "says another thing")

    before = len(forum.requests)
    report = run([post], env_for(forum=forum))
    [result] = report.results
    assert result.status == "updated"
    assert report.exit_code == 0
    # The measured cost of an update: one read of the copy, one updatePost.
    assert [c.fields for c in forum.calls()[before:]] == [("currentUser", "post"), ("updatePost",)]
    markdown = forum.post(post_id)["markdown"]
    assert "a typo fixed on LessWrong" in markdown
    assert "says another thing" in markdown
    assert result.plan is not None
    assert result.plan.drift is not None
    drift = result.plan.drift
    assert drift.state == MERGED
    assert "+The first paragraph, with a typo fixed on LessWrong." in drift.kept()
    assert "another thing" not in drift.kept(), "only the platform's edits are reported as kept"


def test_the_kept_edit_survives_the_next_publish_until_it_is_brought_home(
        forum: FakeForum, post: Path) -> None:
    post_id = published(forum, post)
    edit_there(forum, post_id, "a tpyo in it", "a typo fixed there")
    edit_source(post, "says one thing", "says another thing")
    assert run([post], env_for(forum=forum)).results[0].status == "updated"
    # The post is in step with what it asked for: no request at all.
    before = len(forum.requests)
    assert run([post], env_for(forum=forum)).results[0].status == "up to date"
    assert len(forum.requests) == before

    # The post changes again, without the edit made there: the edit is kept again.
    edit_source(post, "closes the post", "closes the post for good")
    again = run([post], env_for(forum=forum)).results[0]
    assert again.status == "updated"
    markdown = forum.post(post_id)["markdown"]
    assert "a typo fixed there" in markdown
    assert "for good" in markdown


def test_edits_to_the_same_sentence_are_refused_and_nothing_is_sent(
        forum: FakeForum, post: Path) -> None:
    post_id = published(forum, post)
    edit_there(forum, post_id, "says one thing", "says one thing, edited on LessWrong")
    edit_source(post, "says one thing", "says one thing, edited at home")
    there = forum.post(post_id)["markdown"]

    report = run([post], env_for(forum=forum))
    [result] = report.results
    assert result.status == "failed"
    assert report.exit_code == 1
    assert isinstance(result.error, EditedThere)
    assert "edited on LessWrong since crosspost last sent it" in result.message
    assert f"crosspost pull {post} --from lesswrong" in result.message
    assert "--overwrite" in result.message
    assert writes(forum) == ["createPost", "updatePost"], "only the first publish wrote"
    assert forum.post(post_id)["markdown"] == there
    assert result.plan is not None
    assert result.plan.drift is not None
    [conflict] = result.plan.drift.conflicts
    assert conflict.theirs == ("The second paragraph says one thing, edited on LessWrong.\n",)
    assert conflict.ours == ("The second paragraph says one thing, edited at home.\n",)

    forced = run([post], env_for(forum=forum), overwrite=True).results[0]
    assert forced.status == "updated"
    assert "edited at home" in forum.post(post_id)["markdown"]
    assert "edited on LessWrong" not in forum.post(post_id)["markdown"]
    assert forced.plan is not None
    assert forced.plan.drift is not None
    assert "+The second paragraph says one thing, edited on LessWrong." in forced.plan.drift.lost()


def test_a_conflict_on_one_target_leaves_the_others_going(
        forum: FakeForum, make_forum: Callable[..., FakeForum], site: Path) -> None:
    ea = make_forum("eaforum")
    path = site / "_posts" / "2024-02-02-two.md"
    path.write_text(post_text("Two forums", BODY, crosspost="crosspost:\n  lesswrong:\n  eaforum:\n"),
                    encoding="utf-8")
    env = env_for(forum=forum, ea=ea)
    assert [r.status for r in run([path], env).results] == ["created", "created"]
    [lw_copy] = forum.posts_of(forum.user)
    edit_there(forum, lw_copy["_id"], "says one thing", "says it there")
    edit_source(path, "says one thing", "says it here")
    report = run([path], env)
    assert {r.target: r.status for r in report.results} == {"lesswrong": "failed",
                                                            "eaforum": "updated"}
    assert report.exit_code == 3


def test_image_rehosting_on_the_server_is_not_an_edit(forum: FakeForum, site: Path) -> None:
    path = site / "_posts" / "2024-03-01-picture.md"
    path.write_text(post_text("A picture", "![A chart](https://example.org/chart.png)\n\n" + BODY),
                    encoding="utf-8")
    post_id = published(forum, path)
    stored = forum.post(post_id)
    assert stored["version"] == "1.0.1", "the server re-hosted the image in a patch revision"
    assert "res.cloudinary.com" in stored["html"]
    edit_source(path, "says one thing", "says another thing")

    [result] = run([path], env_for(forum=forum)).results
    assert result.status == "updated"
    assert result.plan is not None
    assert result.plan.drift is not None
    assert result.plan.drift.state == UNCHANGED
    assert "says another thing" in forum.post(post_id)["markdown"]


def test_a_copy_crosspost_never_sent_is_not_replaced_unseen(forum: FakeForum, site: Path) -> None:
    existing = forum.add_post(forum.user, "By hand", "Written by hand on the forum.\n")
    path = site / "_posts" / "2024-04-01-by-hand.md"
    path.write_text(post_text("By hand", BODY, crosspost=(
        f"crosspost:\n  lesswrong:\n    id: {existing}\n"
        f"    url: https://www.lesswrong.com/posts/{existing}/by-hand\n")), encoding="utf-8")
    [result] = run([path], env_for(forum=forum)).results
    assert result.status == "failed"
    assert result.plan is not None
    assert result.plan.drift is not None
    assert result.plan.drift.state == UNKNOWN
    assert "never sent the text of this copy" in result.message
    assert forum.post(existing)["markdown"] == "Written by hand on the forum.\n"
    assert writes(forum) == []

    # A copy that already shows the post is no risk: it is updated.
    same = run([path], env_for(forum=forum), overwrite=True).results[0]
    assert same.status == "updated"
    edit_source(path, "closes the post", "closes the post, again")
    plain = run([path], env_for(forum=forum)).results[0]
    assert plain.status == "updated"


def test_a_fresh_checkout_rebuilds_the_base_from_git_history(forum: FakeForum, post: Path,
                                                             site: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=site, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "add", "-A")
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "post")
    post_id = published(forum, post)
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qam", "record")
    shutil.rmtree(site / ".crosspost")  # what a CI checkout looks like

    edit_there(forum, post_id, "a tpyo in it", "a typo fixed there")
    edit_source(post, "says one thing", "says another thing")
    [result] = run([post], env_for(forum=forum)).results
    assert result.status == "updated", result.message
    assert result.plan is not None
    assert result.plan.drift is not None
    assert result.plan.drift.base is not None
    assert result.plan.drift.base.origin == "the post's git history"
    markdown = forum.post(post_id)["markdown"]
    assert "a typo fixed there" in markdown
    assert "says another thing" in markdown


def test_without_the_local_copy_or_history_an_edited_copy_is_not_guessed_at(
        forum: FakeForum, post: Path, site: Path) -> None:
    post_id = published(forum, post)
    shutil.rmtree(site / ".crosspost")
    edit_source(post, "says one thing", "says another thing")
    # Not edited there: the copy's own hash vouches for it.
    [plain] = run([post], env_for(forum=forum)).results
    assert plain.status == "updated"

    shutil.rmtree(site / ".crosspost")
    edit_there(forum, post_id, "a tpyo in it", "a typo fixed there")
    edit_source(post, "another thing", "a third thing")
    [result] = run([post], env_for(forum=forum)).results
    assert result.status == "failed"
    assert "this machine does not have that text" in result.message
    assert "a typo fixed there" in forum.post(post_id)["markdown"]


def test_a_title_changed_there_is_not_overwritten(forum: FakeForum, post: Path) -> None:
    post_id = published(forum, post)
    with forum.store.lock:
        forum.store.posts[post_id]["title"] = "A better title, chosen on LessWrong"
    edit_source(post, "says one thing", "says another thing")
    [result] = run([post], env_for(forum=forum)).results
    assert result.status == "failed"
    assert "its title was changed there" in result.message
    assert forum.post(post_id)["title"] == "A better title, chosen on LessWrong"

    edit_source(post, "title: Hello forums", "title: A better title, chosen on LessWrong")
    [taken] = run([post], env_for(forum=forum)).results
    assert taken.status == "updated"


def test_the_alignment_forum_shares_the_base_of_the_lesswrong_post(
        make_forum: Callable[..., FakeForum], site: Path) -> None:
    lw = make_forum("lesswrong")
    af = make_forum("alignmentforum", store=lw.store)
    lw.set_groups(lw.user, "alignmentForum")
    path = site / "_posts" / "2024-03-01-both.md"
    path.write_text(post_text("Both forums", BODY,
                              crosspost="crosspost:\n  lesswrong:\n  alignmentforum:\n"), encoding="utf-8")
    env = env_for(forum=lw, af=af)
    assert sorted(r.status for r in run([path], env).results) == ["created", "updated"]
    [stored] = lw.posts_of(lw.user)
    edit_there(lw, stored["_id"], "a tpyo in it", "a typo fixed there")
    edit_source(path, "says one thing", "says another thing")
    report = run([path], env)
    assert sorted(r.status for r in report.results) == ["updated", "updated"], \
        [r.message for r in report.results]
    markdown = lw.post(stored["_id"])["markdown"]
    assert "a typo fixed there" in markdown
    assert "says another thing" in markdown


def test_the_dry_run_says_what_would_happen_and_writes_nothing(forum: FakeForum, post: Path,
                                                               site: Path) -> None:
    post_id = published(forum, post)
    edit_there(forum, post_id, "a tpyo in it", "a typo fixed there")
    edit_source(post, "says one thing", "says another thing")
    state = site / ".crosspost"
    before = snapshot(state)
    requests = len(forum.requests)

    merged = run([post], env_for(forum=forum), dry_run=True).results[0]
    assert merged.status == "planned"
    assert merged.plan is not None
    assert "keeps 1 edit made on LessWrong" in merged.plan.reason
    diff = merged.plan.diff()
    assert "+The second paragraph says another thing." in diff
    assert "a typo fixed there" not in "".join(line for line in diff.splitlines(keepends=True)
                                                if line.startswith("-")), "the kept edit stays"

    edit_source(post, "The first paragraph, with a tpyo in it.", "The first paragraph, rewritten.")
    conflict = run([post], env_for(forum=forum), dry_run=True).results[0]
    assert conflict.status == "failed"
    assert conflict.plan is not None
    assert conflict.plan.drift is not None
    assert conflict.plan.drift.state == CONFLICT
    overwrite = run([post], env_for(forum=forum), dry_run=True, overwrite=True).results[0]
    assert overwrite.status == "planned"
    assert overwrite.plan is not None
    assert overwrite.plan.drift is not None
    assert "-The first paragraph, with a tpyo in it." in overwrite.plan.drift.lost()
    assert "+The first paragraph, with a typo fixed there." in overwrite.plan.drift.lost()
    assert len(forum.requests) == requests + 3  # one read each, no write
    assert writes(forum) == ["createPost", "updatePost"]
    assert snapshot(state) == before


def test_a_copy_that_already_shows_the_post_is_same(forum: FakeForum, post: Path) -> None:
    post_id = published(forum, post)
    edit_source(post, "says one thing", "says another thing")
    edit_there(forum, post_id, "says one thing", "says another thing")
    sent = len(forum.requests)
    [result] = run([post], env_for(forum=forum)).results
    assert result.status == "up to date"  # recorded; nothing written (no new revision there)
    assert result.plan is not None
    assert result.plan.drift is not None
    assert result.plan.drift.state == SAME
    assert len(forum.requests) - sent == 1  # the read
    assert run([post], env_for(forum=forum)).results[0].status == "up to date"
    assert len(forum.requests) - sent == 1


# -- the merge itself ---------------------------------------------------------------------------


def test_merge_keeps_both_sides_on_different_paragraphs() -> None:
    base = "A one.\n\nB two.\n\nC three.\n"
    merged, conflicts = merge(base, "A one!\n\nB two.\n\nC three.\n", "A one.\n\nB two.\n\nC 3.\n")
    assert (merged, conflicts) == ("A one!\n\nB two.\n\nC 3.\n", [])


def test_merge_conflicts_on_the_same_line_and_on_adjacent_lines() -> None:
    base = "A one.\nB two.\n"
    _, same = merge(base, "A one, theirs.\nB two.\n", "A one, ours.\nB two.\n")
    assert [(c.line, c.theirs, c.ours) for c in same] == [(1, ("A one, theirs.\n",), ("A one, ours.\n",))]
    _, adjacent = merge(base, "A one, theirs.\nB two.\n", "A one.\nB two, ours.\n")
    assert len(adjacent) == 1, "lines next to each other are one hunk, as in git"


def test_merge_of_a_long_post_keeps_blank_lines_as_anchors() -> None:
    paragraphs = [f"Paragraph {n} of a long post.\n" for n in range(300)]
    base = "\n".join(paragraphs)
    theirs = base.replace("Paragraph 10 of", "Paragraph ten of")
    ours = base.replace("Paragraph 12 of", "Paragraph twelve of")
    merged, conflicts = merge(base, theirs, ours)
    assert conflicts == []
    assert "Paragraph ten of" in merged
    assert "Paragraph twelve of" in merged


def test_a_copy_linked_in_place_of_another_does_not_inherit_its_base(
        forum: FakeForum, post: Path) -> None:
    from crosspost.linking import link_copy

    published(forum, post)
    by_hand = forum.add_post(forum.user, "Hello forums, by hand", "Typed by hand.\n")
    link_copy(post, "lesswrong", f"https://www.lesswrong.com/posts/{by_hand}/by-hand")
    edit_source(post, "says one thing", "says another thing")
    [result] = run([post], env_for(forum=forum)).results
    assert result.status == "failed"
    assert "never sent the text of this copy" in result.message
    assert forum.post(by_hand)["markdown"] == "Typed by hand.\n"


def test_linking_the_same_copy_again_keeps_its_base(forum: FakeForum, post: Path) -> None:
    from crosspost.linking import link_copy

    post_id = published(forum, post)
    edit_source(post, "says one thing", "says another thing")
    assert run([post], env_for(forum=forum)).results[0].status == "updated"
    link_copy(post, "lesswrong", f"https://www.lesswrong.com/posts/{post_id}/hello-forums")
    edit_there(forum, post_id, "a tpyo in it", "a typo fixed there")
    edit_source(post, "closes the post", "ends it")
    [result] = run([post], env_for(forum=forum)).results
    assert result.status == "updated", result.message
    markdown = forum.post(post_id)["markdown"]
    assert "a typo fixed there" in markdown
    assert "ends it" in markdown
