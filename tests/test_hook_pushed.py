"""Issue 19: the pre-push hook judges what is being pushed, not the working tree.

Each case is played as an author would: real `git push`es of a real repository to a bare
one, `crosspost publish` run as a command, the hook's advice followed to the letter (its
indented command lines are run as printed), against the fake LessWrong server. Each ends
with every pushed post's record on the remote, one copy per post, and no unpushed text on
the forum.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from crosspost.journal import Journal
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

NEW = "_posts/2024-02-01-new.md"
UNFINISHED = "An unfinished paragraph, for nobody's eyes yet.\n"
BYPASS = "  to push anyway: `git push --no-verify`, or `CROSSPOST_HOOK=skip git push`"
RECORD_COMMIT = f"git commit -m 'crosspost: record URLs of 1 post' -- {NEW}"


def crosspost(repo: Path, forum: FakeForum, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI, run as the author runs it in the site's folder."""
    done = subprocess.run([sys.executable, "-m", "crosspost", *args], cwd=repo, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL,
                          env={**os.environ, **forum_env(forum)}, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def commands(stderr: str) -> list[str]:
    """The commands the hook tells the author to run (its lines indented by four spaces)."""
    return [line[4:] for line in stderr.splitlines() if line.startswith("    ")]


def follow(repo: Path, forum: FakeForum, stderr: str) -> list[str]:
    """Run the hook's advice exactly as printed; returns the commands run."""
    run = commands(stderr)
    assert run, stderr
    for command in run:
        words = shlex.split(command)
        if words[0] == "crosspost":
            crosspost(repo, forum, *words[1:])
        else:
            assert words[0] == "git", command
            git(repo, *words[1:])
    return run


def record(text: str) -> dict[str, object]:
    block = yaml.safe_load(text.split("---")[1])["crosspost"]["lesswrong"]
    assert isinstance(block, dict)
    return block


def on_remote(repo: Path, path: str = NEW, ref: str = "main") -> str:
    return git(repo.parent / "remote.git", "show", f"{ref}:{path}").stdout


def sent(forum: FakeForum) -> list[str]:
    """Every text any copy ever had on the forum."""
    return [rev["markdown"] for post in forum.posts_of(alice(forum))
            for rev in forum.revisions(post["_id"])]


def added(diff: str) -> list[str]:
    return [line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]


def lines_of(stderr: str) -> list[str]:
    """The hook's lines (git's own, such as `   1a2b..3c4d  main -> main`, left out)."""
    return [line for line in stderr.splitlines() if line.startswith(("crosspost", "  "))
            and not (line.startswith("   ") and not line.startswith("    "))]


def assert_settled(repo: Path, forum: FakeForum, *, copies: int = 1) -> None:
    """The remote has the post with the record of its one copy, and nothing unpushed was sent."""
    pushed = on_remote(repo)
    posts = forum.posts_of(alice(forum))
    assert len(posts) == copies == forum.count_posts()
    assert posts[0]["_id"] == record(pushed)["id"]
    assert not any(UNFINISHED.strip() in text for text in sent(forum))
    assert UNFINISHED not in pushed
    assert remote_sha(repo) == git(repo, "rev-parse", "HEAD").stdout.strip()


# -- 1. a copy recorded only in the working tree ---------------------------------------------------


def test_check_mode_blocks_a_push_without_the_record_of_an_existing_copy(installed: Path,
                                                                         forum: FakeForum) -> None:
    repo = installed
    add(repo, NEW, post_text("New"))
    crosspost(repo, forum, "publish", NEW)  # the record lands in the working tree only
    url = str(record((repo / NEW).read_text(encoding="utf-8"))["url"])

    done = push(repo)
    assert done.returncode == 1
    assert lines_of(done.stderr) == [
        "crosspost: 1 post with a `crosspost` block changed in this push:",
        f"  {NEW}: lesswrong: not recorded in this push: a copy exists ({url}), recorded in the "
        "working tree",
        "crosspost: push blocked: 1 post has a copy this push does not record (publishing the "
        "pushed commits, as the GitHub Action does, would make another). Commit the recorded "
        "URLs, then push:",
        f"    {RECORD_COMMIT}",
        BYPASS,
    ]
    assert follow(repo, forum, done.stderr) == [RECORD_COMMIT]
    done = push(repo)
    assert done.returncode == 0, done.stderr
    assert f"  {NEW}: lesswrong: up to date" in done.stderr
    assert_settled(repo, forum)


def test_publish_mode_commits_the_record_of_an_existing_copy_and_sends_nothing(
        publishing: Path, forum: FakeForum) -> None:
    repo = publishing
    add(repo, NEW, post_text("New"))
    crosspost(repo, forum, "publish", NEW)
    (repo / NEW).write_text((repo / NEW).read_text(encoding="utf-8") + UNFINISHED, encoding="utf-8")
    before = sent(forum)

    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 1
    assert f"  {NEW}: lesswrong: up to date " in done.stderr
    assert "crosspost: recorded the URLs of 1 post in a new commit (" in done.stderr
    assert sent(forum) == before  # nothing sent
    # The commit holds the record and not the unfinished paragraph, which stays in the file.
    assert UNFINISHED not in git(repo, "show", f"HEAD:{NEW}").stdout
    assert git(repo, "diff", "--cached", "--name-only").stdout == ""
    assert added(git(repo, "diff").stdout) == ["+" + UNFINISHED.strip()]  # unstaged

    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 0, done.stderr
    assert_settled(repo, forum)
    assert (repo / NEW).read_text(encoding="utf-8").endswith(UNFINISHED)


def test_check_mode_advice_when_the_record_is_staged_and_the_file_holds_more(
        installed: Path, forum: FakeForum) -> None:
    repo = installed
    add(repo, NEW, post_text("New"))
    crosspost(repo, forum, "publish", NEW)
    git(repo, "add", NEW)
    (repo / NEW).write_text((repo / NEW).read_text(encoding="utf-8") + UNFINISHED, encoding="utf-8")

    done = push(repo)
    assert done.returncode == 1
    assert "recorded in the working tree" in done.stderr
    assert commands(done.stderr) == ["git commit -m 'crosspost: record URLs of 1 post'"]
    follow(repo, forum, done.stderr)
    assert push(repo).returncode == 0
    assert_settled(repo, forum)


def test_an_interrupted_create_in_the_journal_blocks_until_it_is_settled(installed: Path,
                                                                        forum: FakeForum) -> None:
    repo = installed
    path = add(repo, NEW, post_text("New"))
    Journal(repo).begin(path, "lesswrong", action="create", title="New", body="Some words.",
                        content_hash="0" * 64)
    done = push(repo)
    assert done.returncode == 1
    assert (f"  {NEW}: lesswrong: not published: an earlier publish was interrupted and may have "
            "made a copy; `crosspost publish` finds and records it before sending anything") \
        in done.stderr
    follow(repo, forum, done.stderr)
    assert push(repo).returncode == 0
    assert_settled(repo, forum)


# -- 2. unfinished work in the working tree --------------------------------------------------------


def test_an_up_to_date_push_passes_whatever_the_working_tree_holds(installed: Path,
                                                                  forum: FakeForum) -> None:
    repo = installed
    add(repo, NEW, post_text("New"))
    crosspost(repo, forum, "publish", NEW)
    git(repo, "commit", "-q", "-am", "record")
    (repo / NEW).write_text((repo / NEW).read_text(encoding="utf-8") + UNFINISHED, encoding="utf-8")

    done = push(repo)
    assert done.returncode == 0, done.stderr
    assert lines_of(done.stderr) == [
        "crosspost: 1 post with a `crosspost` block changed in this push:",
        f"  {NEW}: lesswrong: up to date",
        "crosspost: nothing to publish; push allowed",
    ]
    assert_settled(repo, forum)


def test_check_mode_advice_publishes_only_what_is_pushed(installed: Path, forum: FakeForum) -> None:
    repo = installed
    add(repo, NEW, post_text("New"))
    crosspost(repo, forum, "publish", NEW)
    git(repo, "commit", "-q", "-am", "record")
    assert push(repo).returncode == 0
    text = (repo / NEW).read_text(encoding="utf-8")
    (repo / NEW).write_text(text + "Second thoughts.\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "second thoughts")
    (repo / NEW).write_text(text + "Second thoughts.\n" + UNFINISHED, encoding="utf-8")

    done = push(repo)
    assert done.returncode == 1
    assert lines_of(done.stderr)[2:] == [
        f"crosspost: push blocked: 1 post unpublished or changed since publish. {NEW} has changes "
        "that are not in this push, which `crosspost publish` would send. To publish exactly what "
        "is pushed, from the repository's top folder:",
        f"    git stash push -- {NEW}",
        f"    crosspost publish {NEW}",
        f"    {RECORD_COMMIT}",
        "    git stash pop",
        "  then push again (or commit those changes too, and push them with it)",
        BYPASS,
    ]
    follow(repo, forum, done.stderr)
    assert push(repo).returncode == 0
    assert_settled(repo, forum)
    assert "Second thoughts." in forum.posts_of(alice(forum))[0]["markdown"]
    assert (repo / NEW).read_text(encoding="utf-8").endswith("Second thoughts.\n" + UNFINISHED)


def test_publish_mode_publishes_the_pushed_version_and_keeps_the_rest_unstaged(
        publishing: Path, forum: FakeForum) -> None:
    repo = publishing
    add(repo, NEW, post_text("New"))
    (repo / NEW).write_text(post_text("New") + UNFINISHED, encoding="utf-8")
    (repo / "notes.txt").write_text("staged, not mine\n", encoding="utf-8")
    git(repo, "add", "notes.txt")

    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 1
    assert f"  {NEW}: lesswrong: created https://" in done.stderr
    assert "crosspost: recorded the URLs of 1 post in a new commit (" in done.stderr
    committed = git(repo, "show", f"HEAD:{NEW}").stdout
    assert UNFINISHED not in committed
    assert record(committed) == record((repo / NEW).read_text(encoding="utf-8"))
    assert git(repo, "show", "--name-only", "--format=", "HEAD").stdout.split() == [NEW]
    assert git(repo, "diff", "--cached", "--name-only").stdout.split() == ["notes.txt"]
    assert added(git(repo, "diff").stdout) == ["+" + UNFINISHED.strip()]

    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 0, done.stderr
    assert_settled(repo, forum)


# -- 3. publish mode's own commit fails ------------------------------------------------------------


def test_a_failed_record_commit_shows_the_urls_keeps_the_record_staged_and_blocks(
        publishing: Path, forum: FakeForum) -> None:
    repo = publishing
    add(repo, NEW, post_text("New"))
    git(repo, "config", "commit.gpgsign", "true")
    git(repo, "config", "gpg.program", "false")  # a signing program that cannot sign here
    head = git(repo, "rev-parse", "HEAD").stdout.strip()

    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 1
    url = str(record((repo / NEW).read_text(encoding="utf-8"))["url"])
    assert f"  {NEW}: lesswrong: created {url}" in done.stderr
    assert lines_of(done.stderr)[-3:] == [
        "crosspost: push blocked: the copies above exist, but `git commit` of their URLs failed "
        "(error: gpg failed to sign the data). The recorded URLs of 1 post are staged (and "
        "written in the working tree); commit them, then push:",
        f"    {RECORD_COMMIT}",
        "  until that commit is pushed, pushes stay blocked, so that nothing publishes these posts "
        "again; " + BYPASS.strip(),
    ]
    assert git(repo, "rev-parse", "HEAD").stdout.strip() == head
    assert url in git(repo, "show", f":{NEW}").stdout  # staged
    git(repo, "checkout", "--", ".")  # what loses an unstaged edit keeps a staged one
    assert url in (repo / NEW).read_text(encoding="utf-8")

    # Pushing again publishes nothing more, and still blocks (the signer still fails).
    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 1
    assert "recorded in the working tree" in done.stderr
    assert "`git commit` of their URLs failed" in done.stderr
    # So does check mode, and its advice commits the record once signing works again.
    assert invoke("hook", "install")[0] == 0
    done = push(repo)
    assert done.returncode == 1
    assert commands(done.stderr) == [RECORD_COMMIT]
    git(repo, "config", "commit.gpgsign", "false")
    follow(repo, forum, done.stderr)
    assert push(repo).returncode == 0
    assert_settled(repo, forum)


# -- 4. tags and other refs ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["check", "publish"])
def test_a_tag_push_passes_with_a_note_and_the_branch_is_judged(site: Path, forum: FakeForum,
                                                                mode: str) -> None:
    repo = site
    assert invoke("hook", "install", "--mode", mode)[0] == 0
    add(repo, NEW, post_text("New"))
    git(repo, "tag", "-a", "-m", "release", "v1")
    head = git(repo, "rev-parse", "HEAD").stdout.strip()

    done = push(repo, "v1", extra_env=forum_env(forum))
    assert done.returncode == 0, done.stderr
    assert lines_of(done.stderr) == [
        "crosspost: 1 post with a `crosspost` block changed in this push:",
        f"  {NEW}: lesswrong: not published",
        "crosspost: note: v1 is not a branch, so the posts above there are not blocked (crosspost "
        "publishes and records what a branch push carries); publish them from your branch and "
        "push it",
        "crosspost: nothing to publish; push allowed",
    ]
    assert remote_sha(repo, "v1") != ""
    assert (forum.count_posts(), git(repo, "rev-parse", "HEAD").stdout.strip()) == (0, head)

    done = push(repo, "main", extra_env=forum_env(forum))
    assert done.returncode == 1
    if mode == "check":
        follow(repo, forum, done.stderr)
    assert push(repo, "main", extra_env=forum_env(forum)).returncode == 0
    assert_settled(repo, forum)


def test_every_ref_of_a_push_is_judged(installed: Path, forum: FakeForum) -> None:
    repo = installed
    add(repo, NEW, post_text("New"))
    crosspost(repo, forum, "publish", NEW)
    git(repo, "commit", "-q", "-am", "record")
    git(repo, "branch", "before-record", "HEAD~1")  # the post, without its record

    done = push(repo, "main", "before-record")
    assert done.returncode == 1
    stderr = done.stderr
    assert f"  {NEW} (main): lesswrong: up to date" in stderr
    assert f"  {NEW} (before-record): lesswrong: not recorded in this push: a copy exists" in stderr
    assert (f"crosspost: push blocked: {NEW} is pushed from the branch before-record, which is not "
            "checked out, without the record of its copy on lesswrong (") in stderr
    assert (remote_sha(repo, "before-record"), forum.count_posts()) == ("", 1)
    assert push(repo, "main").returncode == 0
    assert_settled(repo, forum)


# -- the GitHub Action ---------------------------------------------------------------------------


def test_the_action_shows_the_urls_when_its_record_commit_fails(site: Path, tmp_path: Path,
                                                                forum: FakeForum) -> None:
    before = remote_sha(site)
    add(site, NEW, post_text("New"))
    assert push(site).returncode == 0
    checkout = tmp_path / "runner"
    git(tmp_path, "clone", "-q", str(site.parent / "remote.git"), str(checkout))
    git(checkout, "config", "commit.gpgsign", "true")
    git(checkout, "config", "gpg.program", "false")

    done, output = run_action(checkout, before, forum, tmp_path, **{"lesswrong-token": token(forum)})
    assert done.returncode == 1
    url = forum.posts_of(alice(forum))[0]["pageUrl"]
    assert f"  {NEW}: lesswrong: created " in done.stderr
    assert "::error::crosspost: published, but could not commit the URLs (see above); record " \
        "them with `crosspost link POST --to TARGET URL`:" in done.stdout
    assert f"+    url: {url}" in done.stdout
    head = git(site, "rev-parse", "HEAD").stdout.strip()
    assert (output, forum.count_posts(), remote_sha(site)) == ("", 1, head)


def test_the_action_makes_no_second_copy_when_the_record_missed_the_push(
        site: Path, tmp_path: Path, forum: FakeForum) -> None:
    before = remote_sha(site)
    add(site, NEW, post_text("New"))
    crosspost(site, forum, "publish", NEW)
    assert push(site, "--no-verify").returncode == 0  # the record stayed behind
    checkout = tmp_path / "runner"
    git(tmp_path, "clone", "-q", str(site.parent / "remote.git"), str(checkout))

    done, output = run_action(checkout, before, forum, tmp_path, **{"lesswrong-token": token(forum)})
    assert forum.count_posts() == 1
    assert done.returncode == 1
    assert "LessWrong already has a post titled 'New'" in done.stderr
    assert f"crosspost link {NEW} --to lesswrong https://www.lesswrong.com/posts/" in done.stderr
    assert output == ""


# -- the pre-commit framework ----------------------------------------------------------------------


def test_files_named_by_the_pre_commit_framework_are_read_from_the_pushed_commit(
        site: Path, forum: FakeForum, monkeypatch: pytest.MonkeyPatch) -> None:
    add(site, NEW, post_text("New"))
    (site / NEW).write_text(post_text("New") + UNFINISHED, encoding="utf-8")
    for name, value in forum_env(forum).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", git(site, "rev-parse", "HEAD").stdout.strip())
    monkeypatch.setenv("PRE_COMMIT_LOCAL_BRANCH", "main")  # short names are understood too
    monkeypatch.setenv("PRE_COMMIT_REMOTE_BRANCH", "refs/heads/main")
    code, output = invoke("hook", "run", "--mode", "publish", NEW)
    assert code == 1
    assert "crosspost: recorded the URLs of 1 post in a new commit (" in output
    assert UNFINISHED not in git(site, "show", f"HEAD:{NEW}").stdout
    assert not any(UNFINISHED.strip() in text for text in sent(forum))

    monkeypatch.setenv("PRE_COMMIT_TO_REF", git(site, "rev-parse", "HEAD").stdout.strip())
    assert invoke("hook", "run", NEW) == (0, f"crosspost: 1 post with a `crosspost` block changed "
                                             f"in this push:\n  {NEW}: lesswrong: up to date\n"
                                             "crosspost: nothing to publish; push allowed\n")
    # The commit before the record: the copy exists, that version does not record it.
    monkeypatch.setenv("PRE_COMMIT_TO_REF", git(site, "rev-parse", "HEAD~1").stdout.strip())
    code, output = invoke("hook", "run", "--mode", "publish", NEW)
    assert code == 1
    assert "lesswrong: not recorded in this push: a copy exists" in output
    assert "which is not the commit checked out, without the record of its copy" in output
    assert forum.count_posts() == 1


def test_a_busy_index_still_gets_the_record_committed_and_says_how_to_match_it(
        publishing: Path, forum: FakeForum) -> None:
    repo = publishing
    add(repo, NEW, post_text("New"))
    lock = repo / ".git" / "index.lock"  # another git command at work
    lock.write_text("", encoding="utf-8")
    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 1
    assert "crosspost: recorded the URLs of 1 post in a new commit (" in done.stderr
    assert (f"crosspost: note: the index entry of {NEW} could not take the record (") in done.stderr
    assert f"; once git is free again, `git reset -q -- {NEW}` makes it match the new commit" \
        in done.stderr
    lock.unlink()
    git(repo, "reset", "-q", "--", NEW)
    assert git(repo, "status", "--porcelain").stdout == ""
    assert push(repo, extra_env=forum_env(forum)).returncode == 0
    assert_settled(repo, forum)
