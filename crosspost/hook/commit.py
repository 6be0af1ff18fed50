"""Committing records: the pushed version of each post plus its new records, on top of the
pushed commit, touching nothing else.

The commit is built from a temporary index holding the pushed commit's tree with the
recorded posts swapped in, so neither the user's staged changes nor their unstaged work in
the same file go into it. It is made with ``git commit`` (not ``commit-tree``), so it is
signed when the user signs commits, and ``--no-verify``: a pre-commit or commit-msg hook
that rewrote or refused crosspost's own edit would leave the record uncommitted while the
push was already stopped for it.

The same records go into the working-tree file and into the index entry of the post (each
merged with what is there, changing only the ``crosspost`` block), so ``git status`` shows
the user's own changes and nothing else. When the commit fails, that staged record is what
is left to commit, and the message says how.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from crosspost.errors import CrosspostError
from crosspost.hook.repo import Head, git, last_line, modes, read_blobs, write_blob

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from crosspost.post import Post

Results = dict[str, dict[str, Any]]


class Recorded(NamedTuple):
    """A post whose records go into a commit: as pushed, and with its records."""

    path: str  # relative to the repository top
    pushed: str
    recorded: str


class CommitResult(NamedTuple):
    commit: str | None  # the new commit's short id; None when ``git commit`` failed
    failure: str  # why it failed (git's own words)
    notes: tuple[str, ...]  # files that could not take the record (the commit still has it)
    staged: bool  # every post's index entry holds its records


def record_changes(before: Post, after: Post) -> Results:
    """The record keys that differ between two versions of a post: set, or None to remove.

    Only what the engine writes (and never the user's options) differs between a pushed
    version and that version with its records, so applying this to another version of the
    same file (the working tree, the index) gives it exactly those records.
    """
    changes: Results = {}
    old, new = before.crosspost, after.crosspost
    for target in dict.fromkeys([*old, *new]):
        mine, theirs = old.get(target, {}), new.get(target, {})
        diff = {key: theirs.get(key) for key in dict.fromkeys([*theirs, *mine])
                if key not in theirs or key not in mine or theirs[key] != mine[key]}
        if diff:
            changes[target] = diff
    return changes


def commit_records(posts: Sequence[Recorded], head: Head, *, cwd: str, environ: Mapping[str, str],
                   subject: str) -> CommitResult:
    """Write the records into the working tree, commit them on ``head``, and stage them.

    The working tree comes first: it is where the user and every later run look, and the
    engine's journal no longer holds these results. The index entry is updated whether or
    not the commit succeeds: after a success it matches the new commit, after a failure it
    holds the record, staged, for the user to commit.
    """
    from crosspost.post import Post

    notes: list[str] = []
    changes = {p.path: record_changes(Post.from_text(p.pushed, p.path),
                                      Post.from_text(p.recorded, p.path)) for p in posts}
    for post in posts:
        notes.extend(_apply_to_worktree(cwd, post.path, changes[post.path]))
    failure = ""
    commit: str | None = None
    try:
        commit = _commit(posts, head, cwd=cwd, environ=environ,
                         message=_message(subject, posts, changes))
    except CrosspostError as exc:
        failure = exc.message
    unstaged = _stage(posts, changes, cwd=cwd, environ=environ)
    for path, why in unstaged:
        notes.append(f"the index entry of {path} could not take the record ({why})" + (
            f"; once git is free again, `git reset -q -- {path}` makes it match the new commit"
            if commit is not None else ""))
    return CommitResult(commit, failure, tuple(notes), not unstaged)


def _apply_to_worktree(cwd: str, path: str, changes: Results) -> list[str]:
    from crosspost.record import record_results

    try:
        record_results(Path(cwd, path), changes, expected=None)
    except (CrosspostError, OSError) as exc:
        return [f"{path} in the working tree could not take the record ({exc})"]
    return []


def _message(subject: str, posts: Sequence[Recorded], changes: Mapping[str, Results]) -> str:
    from crosspost.post import Post

    body: list[str] = []
    for post in posts:
        recorded = Post.from_text(post.recorded, post.path).crosspost
        body.extend(f"{post.path}: {target}: {recorded[target]['url']}"
                    for target in changes[post.path] if recorded.get(target, {}).get("url"))
    count = f"{len(posts)} post{'s' * (len(posts) != 1)}"
    return subject.replace("{posts}", count) + ("\n\n" + "\n".join(body) if body else "")


def _commit(posts: Sequence[Recorded], head: Head, *, cwd: str, environ: Mapping[str, str],
            message: str) -> str:
    now = git(["rev-parse", "--verify", "-q", "HEAD"], cwd=cwd, environ=environ, check=False)
    if now.stdout.decode().strip() != head.sha:
        raise CrosspostError("HEAD moved while crosspost was publishing")
    found = modes(head.sha, [p.path for p in posts], cwd=cwd, environ=environ)
    with tempfile.TemporaryDirectory(prefix="crosspost-index-") as folder:
        index = {"GIT_INDEX_FILE": os.path.join(folder, "index")}
        git(["read-tree", head.sha], cwd=cwd, environ=environ, extra_env=index)
        for post in posts:
            blob = write_blob(post.recorded.encode("utf-8"), cwd=cwd, environ=environ)
            git(["update-index", "--add", "--cacheinfo",
                 f"{found.get(post.path, '100644')},{blob},{post.path}"],
                cwd=cwd, environ=environ, extra_env=index)
        done = git(["commit", "--no-verify", "--quiet", "-m", message], cwd=cwd,
                   environ=environ, extra_env=index, check=False)
        if done.returncode != 0:
            raise CrosspostError(last_line(done))
    return git(["rev-parse", "--short", "HEAD"], cwd=cwd,
               environ=environ).stdout.decode().strip()


def _stage(posts: Sequence[Recorded], changes: Mapping[str, Results], *, cwd: str,
           environ: Mapping[str, str]) -> list[tuple[str, str]]:
    """Give each post's index entry its records (merged with what is staged there); the
    posts whose entry could not take them, and why."""
    from crosspost.record import updated_text

    try:
        staged = read_blobs((f":{p.path}" for p in posts), cwd=cwd, environ=environ)
        found = modes("HEAD", [p.path for p in posts], cwd=cwd, environ=environ)
    except CrosspostError as exc:
        return [(p.path, str(exc)) for p in posts]
    notes = []
    for post in posts:
        data = staged.get(f":{post.path}")
        if data is None:
            continue  # not in the index (removed with `git rm --cached`): leave it so
        try:
            text = data.decode("utf-8")
            new = post.recorded if text == post.pushed else updated_text(
                text, changes[post.path], path=post.path)
            if new != text:
                blob = write_blob(new.encode("utf-8"), cwd=cwd, environ=environ)
                git(["update-index", "--cacheinfo",
                     f"{found.get(post.path, '100644')},{blob},{post.path}"], cwd=cwd, environ=environ)
        except (UnicodeDecodeError, CrosspostError) as exc:
            notes.append((post.path, str(exc)))
    return notes


__all__ = ["CommitResult", "Recorded", "commit_records", "record_changes"]
