"""The pre-push hook, end to end: installed by the command, run by real `git push`es to a
bare repository on disk, against the fake LessWrong server for publish mode."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from crosspost import hook
from crosspost.errors import CrosspostError
from tests.fakes.forummagnum import FakeForum
from tests.hook_repos import (
    ROOT,
    add,
    alice,
    forum_env,
    git,
    hook_file,
    invoke,
    post_text,
    push,
    remote_sha,
    run_action,
    runner_python,
    token,
)

LW_URL = "https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/hello"
MEDIUM_URL = "https://medium.com/@jane/hello-1a2b3c4d5e6f"


# -- installing ---------------------------------------------------------------------------------


def test_install_writes_an_executable_marked_hook_and_reinstall_changes_the_mode(site: Path) -> None:
    path = hook_file(site)
    code, output = invoke("hook", "install")
    assert (code, output) == (0, f"installed crosspost's pre-push hook (check mode) at {path}\n")
    text = path.read_text(encoding="utf-8")
    assert hook.MARKER in text
    assert repr(sys.executable).strip("'") in text
    assert "-m crosspost.hook check" in text
    assert path.stat().st_mode & stat.S_IXUSR
    assert hook.is_ours(str(path))

    code, output = invoke("hook", "install", "--mode", "publish")
    assert (code, output) == (0, f"updated crosspost's pre-push hook (publish mode) at {path}\n")
    assert "-m crosspost.hook publish" in path.read_text(encoding="utf-8")
    assert not (path.parent / "pre-push.legacy").exists()


def test_install_outside_a_repository_is_one_clear_error(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CrosspostError, match="not inside a git work tree"):
        hook.install(".")


def test_uninstall_removes_ours_and_says_when_there_is_nothing(installed: Path) -> None:
    path = hook_file(installed)
    assert invoke("hook", "uninstall") == (0, f"removed crosspost's pre-push hook from {path}\n")
    assert not path.exists()
    assert invoke("hook", "uninstall") == (0, f"no pre-push hook at {path}; nothing to do\n")


FOREIGN = """#!/bin/sh
# someone else's hook: records what it was given, fails when asked to
cat > "$LEGACY_LOG.stdin"
echo "$@" > "$LEGACY_LOG.args"
exit "${LEGACY_EXIT:-0}"
"""


def write_foreign(repo: Path) -> Path:
    path = hook_file(repo)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FOREIGN, encoding="utf-8")
    path.chmod(0o755)
    return path


def test_a_foreign_hook_is_never_overwritten_or_removed(site: Path) -> None:
    path = write_foreign(site)
    code, output = invoke("hook", "install")
    assert code == 1
    assert "was not written by crosspost; it was left alone" in output
    assert "crosspost hook install --chain" in output
    assert path.read_text(encoding="utf-8") == FOREIGN

    code, output = invoke("hook", "uninstall")
    assert code == 1
    assert "was not written by crosspost; it was left alone" in output
    assert path.read_text(encoding="utf-8") == FOREIGN


def test_chain_runs_the_foreign_hook_first_and_uninstall_restores_it(site: Path, tmp_path: Path) -> None:
    path = write_foreign(site)
    legacy = path.parent / "pre-push.legacy"
    code, output = invoke("hook", "install", "--chain")
    assert code == 0
    assert output.splitlines()[1] == (f"moved the existing hook to {legacy}; it runs first, and its "
                                      "failure blocks the push (`crosspost hook uninstall` puts it back)")
    assert legacy.read_text(encoding="utf-8") == FOREIGN
    assert hook.is_ours(str(path))

    log = tmp_path / "legacy"
    add(site, "notes.txt", "more notes\n")
    before = remote_sha(site)
    done = push(site, extra_env={"LEGACY_LOG": str(log), "LEGACY_EXIT": "7"})
    assert done.returncode != 0
    assert f"the chained hook {hook_file(site).relative_to(site)}.legacy failed (exit 7); push blocked" \
        in done.stderr.replace(str(site) + "/", "")
    assert remote_sha(site) == before
    # It saw exactly what git gave us: the remote's name and URL, and the ref lines.
    assert log.with_suffix(".args").read_text().split() == ["origin", str(site.parent / "remote.git")]
    head = git(site, "rev-parse", "HEAD").stdout.strip()
    assert log.with_suffix(".stdin").read_text() == f"refs/heads/main {head} refs/heads/main {before}\n"

    done = push(site, extra_env={"LEGACY_LOG": str(log)})
    assert done.returncode == 0, done.stderr
    assert remote_sha(site) == head

    # Reinstalling ours keeps the chain.
    assert invoke("hook", "install", "--mode", "publish")[1].splitlines()[1] == \
        f"the hook in {legacy} still runs first"
    code, output = invoke("hook", "uninstall")
    assert code == 0
    assert output.splitlines()[1] == f"restored the previous hook at {path}"
    assert path.read_text(encoding="utf-8") == FOREIGN
    assert not legacy.exists()


def test_chain_refuses_to_clobber_an_existing_legacy_hook(site: Path) -> None:
    path = write_foreign(site)
    legacy = path.parent / "pre-push.legacy"
    legacy.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    code, output = invoke("hook", "install", "--chain")
    assert code == 1
    assert "nothing was changed" in output
    assert path.read_text(encoding="utf-8") == FOREIGN


def test_core_hooks_path_inside_the_repository_is_honoured(site: Path) -> None:
    git(site, "config", "core.hooksPath", ".githooks")
    code, output = invoke("hook", "install")
    assert (code, output) == (0, "installed crosspost's pre-push hook (check mode) at "
                                 f"{site / '.githooks' / 'pre-push'}\n")
    assert not hook_file(site).exists()
    add(site, "_posts/2024-02-01-new.md", post_text("New"))
    done = push(site)
    assert done.returncode == 1
    assert "crosspost publish _posts/2024-02-01-new.md" in done.stderr


def test_core_hooks_path_outside_the_repository_is_refused(site: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared-hooks"
    git(site, "config", "core.hooksPath", str(shared))
    code, output = invoke("hook", "install")
    assert code == 1
    assert f"core.hooksPath is set to {shared}, a folder outside this repository" in output
    assert not shared.exists()
    assert not hook_file(site).exists()


# -- check mode -------------------------------------------------------------------------------


def test_a_push_touching_no_opted_in_post_passes_quietly(installed: Path) -> None:
    add(installed, "notes.txt", "changed\n")
    add(installed, "_posts/2024-01-01-plain.md", post_text("A plain post", crosspost=None, body="New.\n"))
    done = push(installed)
    assert done.returncode == 0, done.stderr
    assert "crosspost" not in done.stderr
    assert remote_sha(installed) == git(installed, "rev-parse", "HEAD").stdout.strip()


def test_a_new_opted_in_post_blocks_the_push_in_check_mode(installed: Path) -> None:
    add(installed, "_posts/2024-02-01-new.md", post_text("New"))
    before = remote_sha(installed)
    done = push(installed)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.startswith(("crosspost", "  "))]
    assert lines == [
        "crosspost: 1 post with a `crosspost` block changed in this push:",
        "  _posts/2024-02-01-new.md: lesswrong: not published",
        "crosspost: push blocked: 1 post unpublished or changed since publish. Publish from the "
        "repository's top folder, commit the recorded URLs, then push again:",
        "    crosspost publish _posts/2024-02-01-new.md",
        "    git commit -m 'crosspost: record URLs of 1 post' -- _posts/2024-02-01-new.md",
        "  to push anyway: `git push --no-verify`, or `CROSSPOST_HOOK=skip git push`",
    ]
    assert remote_sha(installed) == before

    # Both bypasses work.
    done = push(installed, extra_env={"CROSSPOST_HOOK": "skip"})
    assert done.returncode == 0, done.stderr
    assert "crosspost: hook skipped (CROSSPOST_HOOK=skip)" in done.stderr
    add(installed, "_posts/2024-02-02-other.md", post_text("Other"))
    assert push(installed, "--no-verify").returncode == 0


def test_an_up_to_date_post_passes_and_an_edit_after_publishing_blocks(installed: Path) -> None:
    from crosspost.post import Post
    from crosspost.record import record_results
    from crosspost.render import render_post
    from crosspost.sites import Site

    path = add(installed, "_posts/2024-02-01-new.md", post_text("New"))
    sent = render_post(Post.from_path(path), Site.discover(path), "lesswrong")
    record_results(path, {"lesswrong": {"id": LW_URL.split("/")[4], "url": LW_URL,
                                        "hash": sent.hash}}, expected=None)  # as if published
    git(installed, "commit", "-q", "-am", "record")
    done = push(installed)
    assert done.returncode == 0, done.stderr
    assert "  _posts/2024-02-01-new.md: lesswrong: up to date" in done.stderr
    assert "crosspost: nothing to publish; push allowed" in done.stderr

    path.write_text(path.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    git(installed, "commit", "-q", "-am", "edit")
    done = push(installed)
    assert done.returncode == 1
    assert "  _posts/2024-02-01-new.md: lesswrong: changed since publish" in done.stderr
    assert "    crosspost publish _posts/2024-02-01-new.md" in done.stderr


def test_a_medium_copy_changed_since_publish_warns_but_does_not_block(installed: Path) -> None:
    from crosspost.linking import link_copy

    path = add(installed, "_posts/2024-02-01-new.md", post_text("New", crosspost="medium: {}"))
    link_copy(path, "medium", MEDIUM_URL)
    path.write_text(path.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    git(installed, "commit", "-q", "-am", "record and edit")
    done = push(installed)
    assert done.returncode == 0, done.stderr
    assert (f"  _posts/2024-02-01-new.md: medium: changed since publish (warning: Medium's API cannot "
            f"update a post; edit {MEDIUM_URL} by hand. Not blocking the push)") in done.stderr


def test_deleting_a_branch_passes(installed: Path) -> None:
    git(installed, "checkout", "-q", "-b", "old")
    add(installed, "_posts/2024-02-01-new.md", post_text("New"))
    assert push(installed, "old", "--no-verify").returncode == 0
    git(installed, "checkout", "-q", "main")
    done = push(installed, "--delete", "old")
    assert done.returncode == 0, done.stderr
    assert "crosspost" not in done.stderr
    assert remote_sha(installed, "old") == ""


def test_a_new_branch_checks_only_what_the_remote_lacks(installed: Path) -> None:
    add(installed, "_posts/2024-02-01-on-main.md", post_text("On main"))
    assert push(installed, "--no-verify").returncode == 0  # already on the remote, unpublished
    git(installed, "checkout", "-q", "-b", "feature")
    add(installed, "notes.txt", "feature notes\n")
    done = push(installed, "feature")
    assert done.returncode == 0, done.stderr
    assert "crosspost" not in done.stderr

    add(installed, "_posts/2024-02-02-on-feature.md", post_text("On feature"))
    git(installed, "checkout", "-q", "-b", "feature2")
    done = push(installed, "feature2")
    assert done.returncode == 1
    assert "    crosspost publish _posts/2024-02-02-on-feature.md\n" in done.stderr
    assert "on-main" not in done.stderr


def test_a_force_push_checks_only_the_commits_the_remote_lacks(installed: Path) -> None:
    add(installed, "_posts/2024-02-01-new.md", post_text("New"))
    add(installed, "notes.txt", "one\n")
    assert push(installed, "--no-verify").returncode == 0
    # Rewrite the last commit: the unpublished post is in the tree but not in a new commit.
    (installed / "notes.txt").write_text("one, amended\n", encoding="utf-8")
    git(installed, "commit", "-q", "-a", "--amend", "-m", "amended")
    done = push(installed, "--force")
    assert done.returncode == 0, done.stderr
    assert "crosspost" not in done.stderr

    # Replace history below the post: now the post is in a commit the remote lacks.
    git(installed, "reset", "-q", "--hard", "HEAD~2")
    add(installed, "_posts/2024-02-01-new.md", post_text("New", body="Rewritten.\n"))
    done = push(installed, "--force")
    assert done.returncode == 1
    assert "    crosspost publish _posts/2024-02-01-new.md" in done.stderr


def test_a_force_push_over_commits_never_fetched_falls_back_to_the_tracking_branch(
        installed: Path, tmp_path: Path) -> None:
    add(installed, "_posts/2024-02-01-on-main.md", post_text("On main"))
    assert push(installed, "--no-verify").returncode == 0  # on the remote already, unpublished
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(installed.parent / "remote.git"), str(other))
    git(other, "config", "user.name", "Someone Else")
    git(other, "config", "user.email", "else@example.org")
    add(other, "_posts/2024-03-01-theirs.md", post_text("Theirs"))
    assert push(other).returncode == 0  # no hook there
    theirs = remote_sha(installed)
    assert git(installed, "cat-file", "-e", theirs, check=False).returncode != 0  # never fetched

    add(installed, "notes.txt", "ours\n")
    done = push(installed, "--force")
    assert done.returncode == 0, done.stderr
    assert "crosspost" not in done.stderr
    assert remote_sha(installed) == git(installed, "rev-parse", "HEAD").stdout.strip()


def test_a_push_to_a_url_compares_with_the_remote_tip(installed: Path) -> None:
    add(installed, "_posts/2024-02-01-on-main.md", post_text("On main"))
    assert push(installed, "--no-verify").returncode == 0
    add(installed, "notes.txt", "more\n")
    url = str(installed.parent / "remote.git")
    done = git(installed, "push", url, "main", check=False)  # no remote name: git passes the URL twice
    assert done.returncode == 0, done.stderr
    assert "crosspost" not in done.stderr


def test_a_post_deleted_later_in_the_same_push_is_not_checked(installed: Path) -> None:
    add(installed, "_posts/2024-02-01-new.md", post_text("New"))
    git(installed, "rm", "-q", "_posts/2024-02-01-new.md")
    git(installed, "commit", "-q", "-m", "never mind")
    done = push(installed)
    assert done.returncode == 0, done.stderr


def test_a_moved_interpreter_falls_back_to_crosspost_on_path(installed: Path, tmp_path: Path) -> None:
    path = hook_file(installed)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"crosspost_python='{sys.executable}'",
                                 f"crosspost_python='{tmp_path / 'gone' / 'python'}'"), encoding="utf-8")
    add(installed, "_posts/2024-02-01-new.md", post_text("New"))
    # A `crosspost` on PATH that is this interpreter's CLI.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "crosspost").write_text(f"#!/bin/sh\nexec '{sys.executable}' -m crosspost \"$@\"\n")
    (bin_dir / "crosspost").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    done = push(installed, env=env)
    assert done.returncode == 1
    gone = tmp_path / "gone" / "python"
    assert f"crosspost: {gone} (or crosspost in it) is gone; using crosspost on PATH." in done.stderr
    assert "    crosspost publish _posts/2024-02-01-new.md" in done.stderr

    # A PATH with git alone: whatever else this machine has installed (a system-wide crosspost
    # included) cannot decide the outcome.
    only_git = tmp_path / "only-git"
    only_git.mkdir()
    git_path = shutil.which("git")
    assert git_path is not None
    (only_git / "git").symlink_to(git_path)
    done = push(installed, env={**os.environ, "PATH": str(only_git)})
    assert done.returncode == 1
    assert "crosspost: cannot run the pre-push hook:" in done.stderr


def test_a_hook_written_by_0_1_0_runs_through_crosspost_on_path(installed: Path,
                                                               tmp_path: Path) -> None:
    """0.1.0's script checked for crosspost/hook.py, now a folder: it must still stop a push
    that needs stopping, through the `crosspost` on PATH, and say to install again."""
    path = hook_file(installed)
    text = path.read_text(encoding="utf-8")
    assert '[ -f "$crosspost_package/hook/__main__.py" ]' in text
    path.write_text(text.replace("hook/__main__.py", "hook.py"), encoding="utf-8")
    add(installed, "_posts/2024-02-01-new.md", post_text("New"))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "crosspost").write_text(f"#!/bin/sh\nexec '{sys.executable}' -m crosspost \"$@\"\n")
    (bin_dir / "crosspost").chmod(0o755)
    done = push(installed, env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
    assert done.returncode == 1
    assert "using crosspost on PATH. Run `crosspost hook install` again" in done.stderr
    assert "    crosspost publish _posts/2024-02-01-new.md" in done.stderr


def test_the_no_op_path_imports_nothing_heavy(installed: Path) -> None:
    add(installed, "notes.txt", "changed\n")
    add(installed, "_posts/2024-01-01-plain.md", post_text("A plain post", crosspost=None, body="New.\n"))
    head = git(installed, "rev-parse", "HEAD").stdout.strip()
    program = (
        "import sys\n"
        "from crosspost.hook import main\n"
        "code = main(['check', '.git/hooks/pre-push', 'origin', 'url'])\n"
        "heavy = {'yaml', 'frontmatter', 'httpx', 'keyring', 'markdown_it', 'click', 'ruamel',\n"
        "         'tomlkit', 'bs4', 'markdownify', 'argparse'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}), code)\n")
    done = subprocess.run([sys.executable, "-c", program], cwd=installed, capture_output=True, text=True,
                          input=f"refs/heads/main {head} refs/heads/main {remote_sha(installed)}\n",
                          check=False)
    assert (done.stdout, done.stderr) == ("[] 0\n", "")


# -- publish mode -------------------------------------------------------------------------------


def test_publish_mode_publishes_commits_the_urls_and_stops_the_push(publishing: Path,
                                                                   forum: FakeForum) -> None:
    repo = publishing
    path = add(repo, "_posts/2024-02-01-new.md", post_text("New"))
    # Someone else's staged work must stay staged and out of crosspost's commit.
    (repo / "notes.txt").write_text("staged, not mine\n", encoding="utf-8")
    git(repo, "add", "notes.txt")
    before = remote_sha(repo)

    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 1
    last = [line for line in done.stderr.splitlines() if line.startswith("crosspost:")][-1]
    assert last.startswith("crosspost: recorded the URLs of 1 post in a new commit (")
    assert last.endswith("); push again")
    assert remote_sha(repo) == before
    posts = forum.posts_of(alice(forum))
    assert len(posts) == 1
    url = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])["crosspost"]["lesswrong"]["url"]
    assert posts[0]["_id"] in url
    assert git(repo, "log", "-1", "--format=%s").stdout.strip() == "crosspost: record URLs of 1 post"
    committed = git(repo, "show", "--name-only", "--format=", "HEAD").stdout.split()
    assert committed == ["_posts/2024-02-01-new.md"]
    assert git(repo, "diff", "--cached", "--name-only").stdout.split() == ["notes.txt"]
    assert git(repo, "status", "--porcelain", "--", "_posts").stdout == ""

    done = push(repo, extra_env=forum_env(forum))
    assert done.returncode == 0, done.stderr
    assert "  _posts/2024-02-01-new.md: lesswrong: up to date" in done.stderr
    head = git(repo, "rev-parse", "HEAD").stdout.strip()
    assert remote_sha(repo) == head
    pushed = git(repo.parent / "remote.git", "show", "main:_posts/2024-02-01-new.md").stdout
    assert url in pushed
    assert forum.count_posts() == 1


def test_publish_mode_failure_blocks_and_commits_nothing(publishing: Path, forum: FakeForum) -> None:
    repo = publishing
    add(repo, "_posts/2024-02-01-new.md", post_text("New"))
    head = git(repo, "rev-parse", "HEAD").stdout.strip()
    done = push(repo, extra_env={**forum_env(forum), "CROSSPOST_LESSWRONG_TOKEN": "0" * 64})
    assert done.returncode == 1
    assert "  _posts/2024-02-01-new.md: lesswrong: failed: " in done.stderr
    assert "crosspost: push blocked: 1 target not published (see above)" in done.stderr
    assert git(repo, "rev-parse", "HEAD").stdout.strip() == head
    assert forum.count_posts() == 0


def test_publish_mode_refuses_a_branch_that_is_not_checked_out(publishing: Path, forum: FakeForum) -> None:
    repo = publishing
    git(repo, "checkout", "-q", "-b", "feature")
    add(repo, "_posts/2024-02-01-new.md", post_text("New"))
    git(repo, "checkout", "-q", "main")
    done = push(repo, "feature", extra_env=forum_env(forum))
    assert done.returncode == 1
    assert "  _posts/2024-02-01-new.md: lesswrong: not published\n" in done.stderr
    assert ("crosspost: push blocked: cannot publish from this push: _posts/2024-02-01-new.md is "
            "pushed from the branch feature, which is not checked out; crosspost reads the post "
            "and records its copies in the files checked out: check it out (`git switch feature`) "
            "and push again\n") in done.stderr
    assert forum.count_posts() == 0
    assert remote_sha(repo, "feature") == ""

    # The same post, identical on both branches, must still be recorded on the pushed branch.
    git(repo, "merge", "-q", "--ff-only", "feature")
    git(repo, "checkout", "-q", "-b", "other")
    git(repo, "checkout", "-q", "main")
    done = push(repo, "other", extra_env=forum_env(forum))
    assert done.returncode == 1
    assert ("_posts/2024-02-01-new.md is pushed from the branch other, which is not checked out; "
            "crosspost reads the post and records its copies in the files checked out: check it "
            "out (`git switch other`) and push again") in done.stderr
    assert forum.count_posts() == 0


# -- the pre-commit framework entry and the pieces ---------------------------------------------


def test_hook_run_takes_file_names(site: Path) -> None:
    new = site / "_posts" / "2024-02-01-new.md"
    new.write_text(post_text("New"), encoding="utf-8")
    code, output = invoke("hook", "run", "notes.txt", "_posts/2024-01-01-plain.md")
    assert (code, output) == (0, "")
    code, output = invoke("hook", "run", "_posts/2024-02-01-new.md")
    assert code == 1
    assert "    crosspost publish _posts/2024-02-01-new.md" in output


def test_parse_push_input() -> None:
    zero = "0" * 40
    refs = hook.parse_push_input(f"refs/heads/a b {'1' * 40} refs/heads/a {zero}\n\n"
                                 f"(delete) {zero} refs/heads/old {'2' * 40}\n")
    assert [(r.local_ref, r.new, r.deleted) for r in refs] == [("refs/heads/a b", True, False),
                                                              ("(delete)", False, True)]
    with pytest.raises(CrosspostError, match="unexpected pre-push input"):
        hook.parse_push_input("garbage\n")


@pytest.mark.parametrize(("text", "expected"), [
    ("---\ntitle: x\ncrosspost:\n  lesswrong: {}\n---\nbody", True),
    ("---\ntitle: x\ncrosspost: [lesswrong]\n---\n", True),
    ("\ufeff---\r\n'crosspost': [medium]\r\n---\r\n", True),
    ("---\ntitle: x\nextra:\n  crosspost: [lesswrong]\n---\n", False),  # nested: not ours
    ("---\ntitle: x\n---\ncrosspost: [lesswrong]\n", False),  # in the body
    ("# crosspost: [lesswrong]\n", False),  # no front matter
    ('+++\ntitle = "x"\n[crosspost.lesswrong]\ndraft = true\n+++\n', True),
    ('+++\ncrosspost = ["medium"]\n+++\n', True),
    ('+++\ncrosspost.lesswrong.draft = true\n+++\n', True),
    ('+++\ntitle = "crosspost"\n+++\n', False),
])
def test_opts_in_scans_only_top_level_front_matter_keys(text: str, expected: bool) -> None:
    assert hook.opts_in(text) is expected


def test_no_git_env_drops_repository_variables_and_keeps_identity() -> None:
    env = hook.no_git_env({"GIT_DIR": "x", "GIT_INDEX_FILE": "y", "GIT_WORK_TREE": "z",
                           "GIT_SSH_COMMAND": "ssh", "GIT_AUTHOR_NAME": "me",
                           "GIT_CONFIG_KEY_0": "k", "PATH": "/bin"})
    assert env == {"GIT_SSH_COMMAND": "ssh", "GIT_AUTHOR_NAME": "me", "GIT_CONFIG_KEY_0": "k",
                   "PATH": "/bin"}


def test_a_hook_run_from_a_linked_worktree_ignores_git_dir(installed: Path, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    git(installed, "worktree", "add", "-q", "-b", "wt", str(tree))
    add(tree, "_posts/2024-02-01-new.md", post_text("New"))
    done = push(tree, "wt")
    assert done.returncode == 1
    assert "    crosspost publish _posts/2024-02-01-new.md" in done.stderr


def test_pre_commit_hooks_manifest() -> None:
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {h["id"]: h for h in manifest}
    assert set(by_id) == {"crosspost", "crosspost-publish"}
    for entry in by_id.values():
        assert entry["language"] == "python"
        assert entry["stages"] == ["pre-push"]
        assert entry["types"] == ["markdown"]
        assert entry["pass_filenames"] is True
        assert entry["entry"].startswith("crosspost hook run")
        code, output = invoke(*entry["entry"].split()[1:], "--help")
        assert code == 0, output
    assert "--mode publish" in by_id["crosspost-publish"]["entry"]


def test_action_manifest_documents_its_inputs() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    for name, spec in action["inputs"].items():
        assert spec.get("description"), f"input {name} has no description"
    steps = "\n".join(str(step.get("run", "")) for step in action["runs"]["steps"])
    assert "pip install" in steps
    assert '"${{ github.action_path }}"' in steps
    for target in ("LESSWRONG", "EAFORUM", "ALIGNMENTFORUM", "MEDIUM"):
        assert f"CROSSPOST_{target}_TOKEN" in str(action["runs"]["steps"])


def test_the_runners_python_is_this_environments_interpreter(tmp_path: Path) -> None:
    """Outside any venv variables and from another directory, the ``python`` the action tests
    put on PATH imports the very crosspost under test (a symlink would not, on a fresh machine)."""
    import crosspost

    bin_dir = tmp_path / "runner-bin"
    bin_dir.mkdir()
    runner_python(bin_dir)
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}}
    env["PATH"] = f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin"
    program = "import sys, crosspost; print(sys.prefix); print(crosspost.__file__)"
    done = subprocess.run(["python", "-c", program], cwd="/", env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [sys.prefix, crosspost.__file__]


def test_the_action_publishes_commits_back_and_then_finds_nothing_to_do(site: Path, tmp_path: Path,
                                                                        forum: FakeForum) -> None:
    before = remote_sha(site)
    add(site, "_posts/2024-02-01-new.md", post_text("New"))
    assert push(site).returncode == 0
    checkout = tmp_path / "runner"
    git(tmp_path, "clone", "-q", str(site.parent / "remote.git"), str(checkout))

    done, output = run_action(checkout, before, forum, tmp_path, **{"lesswrong-token": token(forum)})
    assert done.returncode == 0, done.stdout + done.stderr
    pushed = remote_sha(site)
    assert output == f"commit={pushed}\n"
    assert git(checkout, "log", "-1", "--format=%s%n%an", pushed).stdout.splitlines() == [
        "crosspost: record URLs of 1 post [skip ci]", "github-actions[bot]"]
    assert forum.count_posts() == 1
    recorded = git(checkout, "show", f"{pushed}:_posts/2024-02-01-new.md").stdout
    assert forum.posts_of(alice(forum))[0]["_id"] in recorded

    # The run the record commit would start (were it not [skip ci]) does nothing.
    done, output = run_action(checkout, before=git(checkout, "rev-parse", "HEAD~1").stdout.strip(),
                              forum=forum, tmp_path=tmp_path, **{"lesswrong-token": token(forum)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert output == ""
    assert remote_sha(site) == pushed
    assert forum.count_posts() == 1


def test_the_action_fails_the_job_when_publishing_fails(site: Path, tmp_path: Path,
                                                        forum: FakeForum) -> None:
    before = remote_sha(site)
    add(site, "_posts/2024-02-01-new.md", post_text("New"))
    assert push(site).returncode == 0
    checkout = tmp_path / "runner"
    git(tmp_path, "clone", "-q", str(site.parent / "remote.git"), str(checkout))
    done, output = run_action(checkout, before, forum, tmp_path, **{"lesswrong-token": "0" * 64})
    assert done.returncode == 1
    assert "_posts/2024-02-01-new.md: lesswrong: failed: " in done.stderr
    assert (output, forum.count_posts()) == ("", 0)
    assert remote_sha(site) == git(checkout, "rev-parse", "HEAD").stdout.strip()
