"""The pre-push hook as an author meets it with a real repository and a bare remote: several
posts in one push where one fails, a run by hand holding the site's lock, branches checked out
in another worktree, renamed and deleted posts, a post edited after its record was committed,
and the pre-commit framework running the hook from its own manifest."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from tests.fakes.forummagnum import FakeForum
from tests.fakes.server import Fault
from tests.hook_repos import ROOT, add, alice, forum_env, git, post_text, push, remote_sha
from tests.test_hook_pushed import crosspost, follow, on_remote, record

ALPHA, BETA, GAMMA = ("_posts/2024-02-01-alpha.md", "_posts/2024-02-02-beta.md",
                      "_posts/2024-02-03-gamma.md")
RECORD_1 = "crosspost: record URLs of 1 post"


def titles(forum: FakeForum) -> dict[str, bool]:
    """Each copy's title and whether it is a draft."""
    return {post["title"]: post["draft"] for post in forum.posts_of(alice(forum))}


def settled(repo: Path, forum: FakeForum, paths: dict[str, str]) -> None:
    """Every path's pushed version records its one public copy, and the remote has HEAD."""
    assert remote_sha(repo) == git(repo, "rev-parse", "HEAD").stdout.strip()
    posts = {post["title"]: post for post in forum.posts_of(alice(forum))}
    assert forum.count_posts() == len(paths) == len(posts)
    for path, title in paths.items():
        assert record(on_remote(repo, path))["id"] == posts[title]["_id"]
        assert posts[title]["draft"] is False


# -- several posts in one push, one of them refused --------------------------------------------


def test_publish_mode_commits_what_was_made_when_one_post_of_a_push_is_refused(
        publishing: Path, forum: FakeForum) -> None:
    repo = publishing
    alice(forum).karma = 3  # LessWrong: two published posts a week below 5 karma
    for path, title in ((ALPHA, "Alpha"), (BETA, "Beta"), (GAMMA, "Gamma")):
        add(repo, path, post_text(title))
    pushed = git(repo, "rev-parse", "HEAD").stdout.strip()

    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 1
    assert done.stderr.count(": lesswrong: created https://www.lesswrong.com/posts/") == 2
    assert done.stderr.count("Rate limit: You cannot post for") == 1
    assert "crosspost: recorded the URLs of 3 posts in a new commit (" in done.stderr
    assert "crosspost: push blocked: 1 target not published (see above)" in done.stderr
    # The refused one was saved as a draft: its record is committed with the others, so that
    # nothing (this hook, the Action, a clone) creates it a second time.
    assert sorted(titles(forum).values()) == [False, False, True]
    assert git(repo, "rev-parse", "HEAD~1").stdout.strip() == pushed
    assert sorted(git(repo, "show", "--name-only", "--format=", "HEAD").stdout.split()) == \
        [ALPHA, BETA, GAMMA]
    assert all(record(git(repo, "show", f"HEAD:{p}").stdout)["id"] for p in (ALPHA, BETA, GAMMA))
    assert git(repo, "status", "--porcelain").stdout == ""

    done = push(repo, extra_env=forum_env(forum))  # still refused: blocked, nothing new made
    assert done.returncode == 1
    assert forum.count_posts() == 3
    assert git(repo, "status", "--porcelain").stdout == ""

    forum.advance(8 * 24 * 3600)
    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 1
    assert "crosspost: recorded the URLs of 1 post in a new commit (" in done.stderr
    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 0, done.stderr
    settled(repo, forum, {ALPHA: "Alpha", BETA: "Beta", GAMMA: "Gamma"})


# -- a run by hand holds the site's lock -------------------------------------------------------


def test_publish_mode_waits_for_a_run_by_hand_says_so_and_records_its_copy(
        publishing: Path, forum: FakeForum) -> None:
    repo = publishing
    add(repo, ALPHA, post_text("Alpha"))
    saved, release = threading.Event(), threading.Event()

    def hold_the_create() -> None:  # the run by hand is inside its create, holding the lock
        saved.set()
        release.wait(timeout=60)

    forum.inject(Fault.meanwhile(hold_the_create, match=forum.match("createPost")))
    env = {**os.environ, **forum_env(forum), "PYTHONPATH": str(ROOT)}
    # The run by hand waits for its reply as long as the test holds it.
    by_hand = subprocess.Popen([sys.executable, "-m", "crosspost", "publish", ALPHA, "--yes"],
                               cwd=repo, env={**env, "CROSSPOST_TIMEOUT": "120"},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    hook: subprocess.Popen[str] | None = None
    try:
        assert saved.wait(timeout=60), "the run by hand never sent its create"
        hook = subprocess.Popen(["git", "push", "origin", "main"], cwd=repo, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert hook.stderr is not None
        seen = []
        for line in hook.stderr:  # the hook says whom it waits for, then waits
            seen.append(line)
            if "waiting up to" in line:
                break
        assert f"crosspost: waiting up to 60 s for another crosspost run (pid {by_hand.pid} " \
            in seen[-1], "".join(seen)
    finally:
        release.set()
    out, err = by_hand.communicate(timeout=60)
    assert by_hand.returncode == 0, out + err
    assert hook is not None
    _, err = hook.communicate(timeout=60)
    assert hook.returncode == 1, err
    assert "crosspost: recorded the URLs of 1 post in a new commit (" in err
    assert forum.count_posts() == 1
    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 0, done.stderr
    settled(repo, forum, {ALPHA: "Alpha"})


# -- a branch checked out in another worktree --------------------------------------------------


def test_a_branch_checked_out_in_another_worktree_is_sent_there_not_to_git_switch(
        publishing: Path, forum: FakeForum, tmp_path: Path) -> None:
    repo = publishing
    other = tmp_path / "feature-worktree"
    git(repo, "worktree", "add", "-q", "-b", "feature", str(other))
    add(other, ALPHA, post_text("Alpha"))

    done = push(repo, "feature", extra_env=forum_env(forum))
    assert done.returncode == 1
    assert "git switch" not in done.stderr  # git refuses a branch another worktree has
    assert git(repo, "switch", "feature", check=False).returncode != 0
    assert (f"crosspost: push blocked: cannot publish from this push: {ALPHA} is pushed from the "
            f"branch feature, which is checked out in the worktree {other}; crosspost reads the "
            f"post and records its copies in the files checked out: push it from there\n"
            ) in done.stderr
    assert forum.count_posts() == 0

    # As told: from that worktree the hook publishes, commits the record there, and passes.
    done = push(other, "feature", extra_env=forum_env(forum))
    assert done.returncode == 1
    assert "crosspost: recorded the URLs of 1 post in a new commit (" in done.stderr
    assert git(other, "status", "--porcelain").stdout == ""
    assert git(repo, "status", "--porcelain").stdout == ""
    done = push(other, "feature", extra_env=forum_env(forum))
    assert done.returncode == 0, done.stderr
    assert record(on_remote(repo, ALPHA, "feature"))["id"] == forum.posts_of(alice(forum))[0]["_id"]
    assert forum.count_posts() == 1


def test_check_mode_names_the_worktree_of_a_branch_whose_record_is_not_pushed(
        installed: Path, forum: FakeForum, tmp_path: Path) -> None:
    repo = installed
    other = tmp_path / "feature-worktree"
    git(repo, "worktree", "add", "-q", "-b", "feature", str(other))
    add(other, ALPHA, post_text("Alpha"))
    crosspost(other, forum, "publish", ALPHA)  # the record is in that worktree's file only

    done = push(repo, "feature")
    assert done.returncode == 1
    assert "git switch" not in done.stderr
    assert f"which is checked out in the worktree {other}" in done.stderr
    done = push(other, "feature")  # from there the hook sees the record and says to commit it
    assert done.returncode == 1
    assert follow(other, forum, done.stderr) == [
        f"git commit -m '{RECORD_1}' -- {ALPHA}"]
    assert push(other, "feature").returncode == 0
    assert record(on_remote(repo, ALPHA, "feature"))["id"] == forum.posts_of(alice(forum))[0]["_id"]
    assert forum.count_posts() == 1
