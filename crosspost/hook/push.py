"""What is being pushed: git's pre-push lines, and the opted-in posts the push changes.

Each post is taken as it is in the pushed commit (its text and its record), once per pushed
ref: that version is what the remote, the site and the GitHub Action will see. A file named
on the command line (the pre-commit framework) is read from the commit the framework says is
pushed, or from the working tree when it says nothing.

Standard library only, and a text scan for the ``crosspost`` key: a push that touches no
opted-in post must cost about a Python start-up.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from crosspost.errors import CrosspostError
from crosspost.hook.repo import git, read_blobs

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

# The extensions Jekyll and Hugo treat as Markdown and crosspost renders. MDX is left out:
# its JSX blocks are not Markdown, and no target could show them.
POST_SUFFIXES = (".md", ".markdown")
# How much of a file the opt-in scan reads: front matter lives at the top.
_SCAN_LINES = 400
BRANCH_PREFIX = "refs/heads/"


class PushedRef(NamedTuple):
    """One line of git's pre-push input."""

    local_ref: str
    local_sha: str
    remote_ref: str
    remote_sha: str

    @property
    def deleted(self) -> bool:
        return _is_zero(self.local_sha)

    @property
    def new(self) -> bool:
        return _is_zero(self.remote_sha)


def _is_zero(sha: str) -> bool:
    # 40 zeros for SHA-1 repositories, 64 for SHA-256 ones.
    return not sha.strip("0")


def parse_push_input(text: str) -> list[PushedRef]:
    """Parse the pre-push lines; the local ref may contain spaces, so split from the right."""
    refs = []
    for line in text.splitlines():
        parts = line.rsplit(maxsplit=3)
        if not line.strip():
            continue
        if len(parts) != 4:
            raise CrosspostError(f"unexpected pre-push input line {line!r}",
                                 hint="the hook expects `<local ref> <sha> <remote ref> <sha>` lines")
        refs.append(PushedRef(*parts))
    return refs


class Candidate(NamedTuple):
    """A changed, opted-in Markdown file as one ref pushes it."""

    path: str  # relative to the repository top, forward slashes
    data: bytes  # its content in the pushed commit (or on disk, for file names without one)
    sha: str | None  # the commit it was read from; None when read from the working tree
    ref: str | None = None  # the local ref pushed (refs/heads/main, HEAD, v1~2); None: unknown
    remote_ref: str | None = None  # where it goes (refs/heads/main, refs/tags/v1); None: unknown

    @property
    def on_branch(self) -> bool:
        """A push to a branch (or one we cannot tell: a file named on the command line).
        Only these may block or publish; a tag or another ref is reported in a note."""
        return self.remote_ref is None or self.remote_ref.startswith(BRANCH_PREFIX)

    @property
    def where(self) -> str:
        """The pushed ref's short name, for messages (``main``, ``v1``)."""
        ref = self.remote_ref or self.ref or "HEAD"
        for prefix in (BRANCH_PREFIX, "refs/tags/"):
            ref = ref.removeprefix(prefix)
        return ref


def _changed_paths(ref: PushedRef, remote: str, url: str, *, cwd: str,
                   environ: Mapping[str, str]) -> list[str]:
    """Files added or modified by the commits of ``ref`` that the remote does not have.

    "Does not have" is what ``git rev-list <local> --not <remote sha> --remotes=<remote>``
    lists: for a plain push the commits after the remote's tip, for a force push only the
    commits not already there (never the ones being replaced), for a new branch the commits
    no remote-tracking branch has. Merges contribute their own commits, not a diff of their
    own. A push to a bare URL has no remote-tracking branches, so a new branch there counts
    all of its history.
    """
    exclude = []
    if not ref.new:
        exclude.append(ref.remote_sha)
    if remote != url:  # git passes the URL twice when the push names no remote
        exclude.append(f"--remotes={remote}")
    done = git(["rev-list", ref.local_sha, "--not", *exclude], cwd=cwd, environ=environ, check=False)
    if done.returncode != 0 and not ref.new:
        # The remote's old tip is not in this repository (a force push over commits we
        # never fetched): fall back to what the remote-tracking branches say.
        done = git(["rev-list", ref.local_sha, "--not", *exclude[1:]], cwd=cwd, environ=environ)
    elif done.returncode != 0:
        raise CrosspostError(f"cannot list the commits of {ref.local_ref}: "
                             f"{done.stderr.decode('utf-8', 'replace').strip()}")
    commits = done.stdout
    if not commits.strip():
        return []
    names = git(["diff-tree", "--stdin", "--root", "-r", "-z", "--name-only", "--no-commit-id",
                 "--no-renames", "--diff-filter=d"], cwd=cwd, environ=environ, input=commits).stdout
    seen: dict[str, None] = {}
    for raw in names.split(b"\0"):
        if raw:
            seen.setdefault(raw.decode("utf-8", "surrogateescape"))
    return list(seen)


def _is_post_name(path: str) -> bool:
    return path.lower().endswith(POST_SUFFIXES)


def opts_in(text: str) -> bool:
    """True when the front matter has a top-level ``crosspost`` key.

    A text scan, so a push of ordinary posts never loads a YAML or TOML parser. It may say
    yes to a file the parser then reads differently (the full parse decides), and never
    says no to one that opts in: the key can only be a top-level line of the front matter.
    """
    lines = text.lstrip("\ufeff").split("\n", _SCAN_LINES)[:_SCAN_LINES]
    fence = lines[0].rstrip() if lines else ""
    if fence not in ("---", "+++"):
        return False
    closers = ("---", "...") if fence == "---" else ("+++",)
    for line in lines[1:]:
        stripped = line.rstrip()
        if stripped in closers:
            return False
        if not stripped or stripped[0] in " \t#":
            continue
        if fence == "---":
            key = stripped.split(":", 1)[0] if ":" in stripped else ""
        elif stripped.startswith("["):  # a TOML table: [crosspost] or [crosspost.medium]
            key = stripped.strip("[]").split(".", 1)[0]
        else:  # TOML key = value, possibly dotted: crosspost.lesswrong.draft = true
            key = stripped.split("=", 1)[0].split(".", 1)[0] if "=" in stripped else ""
        if key.strip().strip("\"'") == "crosspost":
            return True
    return False


def _opts_in(data: bytes) -> bool:
    return opts_in(data[:65536].decode("utf-8", "replace"))


def pushed_posts(push_input: str, remote: str, url: str, *, cwd: str = ".",
                 environ: Mapping[str, str] | None = None) -> list[Candidate]:
    """The opted-in posts changed by a push, as each pushed ref has them."""
    env = os.environ if environ is None else environ
    wanted: list[tuple[PushedRef, str]] = []
    for ref in parse_push_input(push_input):
        if ref.deleted:
            continue
        wanted.extend((ref, path) for path in _changed_paths(ref, remote, url, cwd=cwd, environ=env)
                      if _is_post_name(path))
    blobs = read_blobs((f"{ref.local_sha}:{path}" for ref, path in wanted), cwd=cwd, environ=env)
    found = []
    for ref, path in wanted:
        data = blobs.get(f"{ref.local_sha}:{path}")
        if data is not None and _opts_in(data):
            found.append(Candidate(path, data, ref.local_sha, ref.local_ref, ref.remote_ref))
    return found


def named_posts(files: Sequence[str], *, cwd: str = ".",
                environ: Mapping[str, str] | None = None) -> list[Candidate]:
    """The opted-in posts among ``files`` (as the pre-commit framework passes them).

    The framework names the pushed commit and refs in ``PRE_COMMIT_TO_REF``,
    ``PRE_COMMIT_LOCAL_BRANCH`` and ``PRE_COMMIT_REMOTE_BRANCH``; the files are read from
    that commit. Without them (a run by hand), from the working tree.
    """
    env = os.environ if environ is None else environ
    names = [name.replace(os.sep, "/") for name in files if _is_post_name(name)]
    sha = env.get("PRE_COMMIT_TO_REF") or None
    if sha is not None:
        local, remote = (_full_ref(env.get(f"PRE_COMMIT_{side}_BRANCH", ""))
                         for side in ("LOCAL", "REMOTE"))
        blobs = read_blobs((f"{sha}:{name}" for name in names), cwd=cwd, environ=env)
        return [Candidate(name, data, sha, local, remote)
                for name in names if (data := blobs.get(f"{sha}:{name}")) is not None
                and _opts_in(data)]
    found = []
    for name in names:
        try:
            with open(os.path.join(cwd, name), "rb") as handle:
                data = handle.read()
        except OSError:
            continue  # deleted, or not a file: nothing to publish
        if _opts_in(data):
            found.append(Candidate(name, data, None))
    return found


def _full_ref(name: str) -> str | None:
    """``main`` as ``refs/heads/main`` (pre-commit passes full refs; others short names)."""
    if not name:
        return None
    return name if name.startswith("refs/") or name == "HEAD" else BRANCH_PREFIX + name


__all__ = ["BRANCH_PREFIX", "POST_SUFFIXES", "Candidate", "PushedRef", "named_posts", "opts_in",
           "parse_push_input", "pushed_posts"]
