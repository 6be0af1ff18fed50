"""The git commands the hook runs, and what it asks git about the repository.

Standard library only: the no-op push goes through here.
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING, NamedTuple

from crosspost.errors import CrosspostError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

# Variables that tell git which repository, index or object store to use. Git exports some
# of them to hooks (GIT_DIR from a linked worktree, GIT_INDEX_FILE during commits), and
# inherited they redirect the git commands a hook runs; pre-commit hit this repeatedly
# (pre-commit/pre-commit#300) and strips every GIT_* variable except those about transport
# and authentication. We follow it, and also keep the ones that name no repository but
# carry the user's identity and config choices, because the commit publish mode makes must
# look like the user's own.
_GIT_ENV_KEPT = frozenset({
    "GIT_EXEC_PATH", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSH_VARIANT", "GIT_SSL_CAINFO",
    "GIT_SSL_NO_VERIFY", "GIT_ASKPASS", "GIT_TERMINAL_PROMPT", "GIT_HTTP_PROXY_AUTHMETHOD",
    "GIT_ALLOW_PROTOCOL", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM",
    "GIT_CONFIG_COUNT", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE",
})


def no_git_env(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` without the GIT_* variables that would point git at another repository."""
    return {k: v for k, v in environ.items()
            if not k.startswith("GIT_") or k in _GIT_ENV_KEPT
            or k.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))}


def git(args: Sequence[str], *, cwd: str, environ: Mapping[str, str], input: bytes | None = None,
        check: bool = True, extra_env: Mapping[str, str] | None = None,
        ) -> subprocess.CompletedProcess[bytes]:
    """Run git in ``cwd`` with the repository-redirecting variables removed (``extra_env``
    is added after, for the one command that wants its own index)."""
    env = no_git_env(environ)
    env.update(extra_env or {})
    try:
        done = subprocess.run(["git", *args], cwd=cwd, env=env, input=input, capture_output=True,
                              check=False)
    except FileNotFoundError:
        raise CrosspostError("git is not installed (or not on PATH)") from None
    if check and done.returncode != 0:
        raise CrosspostError(f"`git {' '.join(args[:2])}` failed: {last_line(done)}")
    return done


def last_line(done: subprocess.CompletedProcess[bytes]) -> str:
    """git's reason: its first ``error:`` or ``fatal:`` line (``gpg failed to sign the
    data``, ``Unable to create '.git/index.lock'``), else its last line, else the status."""
    lines = [line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines()
             if line.strip()]
    errors = [line for line in lines if line.startswith(("error:", "fatal:"))]
    return (errors or lines[-1:] or [f"exit status {done.returncode}"])[0]


def out(args: Sequence[str], *, cwd: str, environ: Mapping[str, str]) -> str:
    return git(args, cwd=cwd, environ=environ).stdout.decode("utf-8", "surrogateescape").strip()


def read_blobs(names: Iterable[str], *, cwd: str, environ: Mapping[str, str]) -> dict[str, bytes]:
    """The contents of ``<rev>:<path>`` object names in one ``git cat-file --batch`` run.

    Names git cannot find (a path deleted later in the same push, a file not in the index)
    are left out, and so are those that are not files.
    """
    usable = list(dict.fromkeys(name for name in names if "\n" not in name))
    if not usable:
        return {}
    request = "".join(f"{name}\n" for name in usable).encode("utf-8", "surrogateescape")
    data = git(["cat-file", "--batch"], cwd=cwd, environ=environ, input=request).stdout
    found: dict[str, bytes] = {}
    pos = 0
    for name in usable:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if len(header) != 3 or header[-1] == b"missing":
            continue
        size = int(header[2])
        if header[1] == b"blob":
            found[name] = data[pos:pos + size]
        pos += size + 1
    return found


class Head(NamedTuple):
    """The commit and branch checked out (the record commit goes on top of them)."""

    sha: str  # empty in a repository without commits
    branch: str  # the full ref (refs/heads/main); empty on a detached HEAD
    # Branches checked out in the repository's other worktrees, and where: git refuses to
    # switch to one of them here, so advice sends the author there instead.
    worktrees: tuple[tuple[str, str], ...] = ()

    def worktree_of(self, ref: str) -> str | None:
        """The other worktree where branch ``ref`` is checked out, if one is."""
        return dict(self.worktrees).get(ref)

    @property
    def branch_name(self) -> str:
        return self.branch.removeprefix("refs/heads/")

    def holds(self, sha: str | None, ref: str | None) -> bool:
        """True when a push of ``ref`` at ``sha`` pushes this very checkout: the same commit,
        named as HEAD or as the branch checked out (not another branch that is there too)."""
        return bool(self.sha) and sha == self.sha and (ref or "HEAD") in {"HEAD", self.branch}


def head(*, cwd: str, environ: Mapping[str, str]) -> Head:
    sha = git(["rev-parse", "--verify", "-q", "HEAD"], cwd=cwd, environ=environ, check=False)
    branch = git(["symbolic-ref", "-q", "HEAD"], cwd=cwd, environ=environ, check=False)
    ref = branch.stdout.decode("utf-8", "surrogateescape").strip()
    return Head(sha.stdout.decode().strip(), ref,
                tuple((b, p) for b, p in _worktrees(cwd=cwd, environ=environ) if b != ref))


def _worktrees(*, cwd: str, environ: Mapping[str, str]) -> list[tuple[str, str]]:
    """(branch ref, path) of each worktree with a branch checked out."""
    listing = git(["worktree", "list", "--porcelain", "-z"], cwd=cwd, environ=environ, check=False)
    if listing.returncode != 0:  # git before 2.36 has no -z; paths with newlines are rare
        listing = git(["worktree", "list", "--porcelain"], cwd=cwd, environ=environ, check=False)
        fields = listing.stdout.split(b"\n")
    else:
        fields = listing.stdout.split(b"\0")
    found, path = [], ""
    for raw in fields:
        line = raw.decode("utf-8", "surrogateescape")
        if line.startswith("worktree "):
            path = line.removeprefix("worktree ")
        elif line.startswith("branch ") and path:
            found.append((line.removeprefix("branch "), path))
    return found


def staged_paths(*, cwd: str, environ: Mapping[str, str]) -> list[str]:
    """The paths whose staged content differs from HEAD's."""
    names = git(["diff", "--cached", "--name-only", "-z", "--no-renames"], cwd=cwd,
                environ=environ, check=False).stdout
    return [raw.decode("utf-8", "surrogateescape") for raw in names.split(b"\0") if raw]


def unstaged(paths: Sequence[str], *, cwd: str, environ: Mapping[str, str]) -> bool:
    """True when the working tree holds changes to ``paths`` that are not staged."""
    return git(["diff", "--quiet", "--", *paths], cwd=cwd, environ=environ,
               check=False).returncode != 0


def modes(commit: str, paths: Sequence[str], *, cwd: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The file mode (100644, 100755) of each of ``paths`` in ``commit``."""
    listing = git(["ls-tree", "-z", commit, "--", *paths], cwd=cwd, environ=environ).stdout
    found = {}
    for entry in listing.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        if name:
            found[name.decode("utf-8", "surrogateescape")] = meta.split()[0].decode()
    return found


def write_blob(data: bytes, *, cwd: str, environ: Mapping[str, str]) -> str:
    """Store ``data`` as it is (no filters: it is already the content git keeps)."""
    return git(["hash-object", "-w", "--no-filters", "--stdin"], cwd=cwd, environ=environ,
               input=data).stdout.decode().strip()


__all__ = ["Head", "git", "head", "last_line", "modes", "no_git_env", "out", "read_blobs",
           "staged_paths", "unstaged", "write_blob"]
