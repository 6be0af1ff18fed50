"""The pre-push hook in publish mode and the GitHub Action obey issue 12: a copy edited on the
platform is merged when the edits touch other lines (and the merge is reported), and blocks
the push (or fails the job) when they touch the same lines, naming the post and the command."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.fakes.forummagnum import FakeForum
from tests.hook_repos import (
    add,
    alice,
    forum_env,
    git,
    invoke,
    post_text,
    push,
    remote_sha,
    run_action,
    token,
)

POST = "_posts/2024-02-01-edited.md"
BODY = """\
The first paragraph, with a tpyo in it.

The second paragraph says one thing.

The third paragraph closes the post.
"""


def edit_there(forum: FakeForum, old: str, new: str) -> str:
    [copy] = forum.posts_of(alice(forum))
    markdown = forum.post(copy["_id"])["markdown"]
    assert old in markdown
    forum.edit_on_site(copy["_id"], markdown.replace(old, new))
    return str(copy["_id"])


def commit_edit(repo: Path, old: str, new: str) -> None:
    path = repo / POST
    text = path.read_text(encoding="utf-8")
    assert old in text
    add(repo, POST, text.replace(old, new))


def test_publish_mode_passes_a_clean_merge_and_blocks_a_conflict(
        publishing: Path, forum: FakeForum) -> None:
    repo = publishing
    add(repo, POST, post_text("Edited on both sides", body=BODY))
    assert push(repo, extra_env=forum_env(forum)).returncode == 1  # published, URL committed
    assert push(repo, extra_env=forum_env(forum)).returncode == 0

    post_id = edit_there(forum, "a tpyo in it", "a typo fixed on LessWrong")
    commit_edit(repo, "says one thing", "says another thing")
    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 1  # the record commit stops the push, as for any publish
    assert f"  {POST}: lesswrong: updated" in done.stderr
    assert "kept 1 edit made on LessWrong (merged with yours)" in done.stderr
    assert f"`crosspost pull {POST} --from lesswrong --apply`" in done.stderr
    markdown = forum.post(post_id)["markdown"]
    assert "a typo fixed on LessWrong" in markdown
    assert "says another thing" in markdown
    assert push(repo, extra_env=forum_env(forum)).returncode == 0

    edit_there(forum, "closes the post", "closes the post on LessWrong")
    commit_edit(repo, "closes the post", "closes the post at home")
    head, before = git(repo, "rev-parse", "HEAD").stdout.strip(), remote_sha(repo)
    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 1
    assert f"  {POST}: lesswrong: failed: not updated: the copy was edited on LessWrong" \
        in done.stderr
    assert f"`crosspost pull {POST} --from lesswrong`" in done.stderr
    assert f"`crosspost publish {POST} --to lesswrong --overwrite`" in done.stderr
    assert "    <<<<<<< on LessWrong" in done.stderr
    assert "crosspost: push blocked: 1 target not published (see above)" in done.stderr
    assert "closes the post on LessWrong" in forum.post(post_id)["markdown"]
    assert (git(repo, "rev-parse", "HEAD").stdout.strip(), remote_sha(repo)) == (head, before)


def test_publish_mode_s_ways_on_from_a_conflict_never_publish_unpushed_work(
        publishing: Path, forum: FakeForum, monkeypatch: pytest.MonkeyPatch) -> None:
    """`crosspost publish POST --overwrite` reads the working tree: work not pushed would be
    published with it (and then kept as an edit made there). The note says to set it aside."""
    repo = publishing
    add(repo, POST, post_text("Edited on both sides", body=BODY))
    assert push(repo, extra_env=forum_env(forum)).returncode == 1  # published, URL committed
    assert push(repo, extra_env=forum_env(forum)).returncode == 0
    post_id = edit_there(forum, "closes the post", "closes the post on LessWrong")
    commit_edit(repo, "closes the post", "closes the post at home")
    path = repo / POST
    path.write_text(path.read_text(encoding="utf-8") + "\nA paragraph not pushed yet.\n",
                    encoding="utf-8")

    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 1
    assert f"`crosspost publish {POST} --to lesswrong --overwrite`" in done.stderr
    lines = done.stderr.splitlines()
    note = lines.index(f"crosspost: note: {POST} has changes that are not in this push, which "
                       "`crosspost publish --overwrite` would send too. To replace the copy with "
                       "exactly what is pushed, from the repository's top folder:")
    commands = [f"git stash push -- {POST}",
                f"crosspost publish {POST} --to lesswrong --overwrite",
                f"git commit -m 'crosspost: record URLs of 1 post' -- {POST}",
                "git stash pop"]
    assert lines[note + 1:note + 6] == [*("    " + c for c in commands), "  then push again"]

    # Followed as printed: the pushed text replaces the copy; the paragraph stays at home.
    monkeypatch.setenv("CROSSPOST_LESSWRONG_ENDPOINT", forum.endpoint)
    monkeypatch.setenv("CROSSPOST_LESSWRONG_TOKEN", token(forum))
    for command in commands:
        if command.startswith("git "):
            git(repo, *shlex.split(command)[1:])
        else:
            code, output = invoke(*shlex.split(command)[1:])
            assert code == 0, output
    markdown = forum.post(post_id)["markdown"]
    assert "closes the post at home" in markdown
    assert "not pushed yet" not in markdown
    assert "A paragraph not pushed yet." in path.read_text(encoding="utf-8")
    assert push(repo, extra_env=forum_env(forum)).returncode == 0
    assert "not pushed yet" not in forum.post(post_id)["markdown"]


def test_the_action_passes_a_clean_merge_and_fails_a_conflict(
        site: Path, tmp_path: Path, forum: FakeForum) -> None:
    lw = {"lesswrong-token": token(forum)}

    def fresh_checkout(name: str) -> Path:
        checkout = tmp_path / name  # a new runner: no .crosspost/ from earlier runs
        git(tmp_path, "clone", "-q", str(site.parent / "remote.git"), str(checkout))
        return checkout

    before = remote_sha(site)
    add(site, POST, post_text("Edited on both sides", body=BODY))
    assert push(site).returncode == 0
    done, _ = run_action(fresh_checkout("run1"), before, forum, tmp_path, **lw)
    assert done.returncode == 0, done.stdout + done.stderr
    git(site, "pull", "-q", "--ff-only", "origin", "main")

    post_id = edit_there(forum, "a tpyo in it", "a typo fixed on LessWrong")
    before = remote_sha(site)
    commit_edit(site, "says one thing", "says another thing")
    assert push(site).returncode == 0
    done, output = run_action(fresh_checkout("run2"), before, forum, tmp_path, **lw)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kept 1 edit made on LessWrong" in done.stderr
    assert output.startswith("commit=")
    markdown = forum.post(post_id)["markdown"]
    assert "a typo fixed on LessWrong" in markdown
    assert "says another thing" in markdown
    git(site, "pull", "-q", "--ff-only", "origin", "main")

    edit_there(forum, "closes the post", "closes the post on LessWrong")
    before = remote_sha(site)
    commit_edit(site, "closes the post", "closes the post at home")
    assert push(site).returncode == 0
    done, output = run_action(fresh_checkout("run3"), before, forum, tmp_path, **lw)
    assert done.returncode == 1
    assert f"{POST}: lesswrong: failed: not updated" in done.stderr
    assert f"`crosspost pull {POST} --from lesswrong`" in done.stderr
    assert output == ""
    markdown = forum.post(post_id)["markdown"]
    assert "closes the post on LessWrong" in markdown
    assert "a typo fixed on LessWrong" in markdown, "an edit kept earlier is still there"
