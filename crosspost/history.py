"""Earlier committed versions of a post file, from git; nothing of ours is imported.

Why: the body crosspost last sent to a platform is the merge base for edits made there, and
this machine keeps it in ``.crosspost/sent/``, which is never committed. A fresh checkout
(the GitHub Action, a second computer) does not have it, but the post's history does: the
version of the file that was published renders to exactly that body, and the ``hash`` in
the front matter tells which version it is. The caller checks every candidate against the
hash, so a wrong guess here costs a render, never a wrong merge.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

# The versions looked at, newest first: the published one is normally the last or the one
# before (its record commit changes only the front matter's `crosspost` block).
LIMIT = 12
# Git exports these to hooks (a linked worktree's GIT_DIR, a commit's GIT_INDEX_FILE);
# inherited, they would point these reads at another repository.
_KEPT = frozenset({"GIT_EXEC_PATH", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM"})


def earlier_versions(path: Path, *, limit: int = LIMIT) -> Iterator[str]:
    """The committed texts of ``path``, newest first (HEAD's included), decoded as UTF-8.

    Nothing (no error) outside a repository, without git, or for an uncommitted file.
    """
    path = Path(path).resolve()
    folder = path.parent
    listing = _git(["log", f"-n{limit}", "--format=%H", "--", path.name], folder)
    if listing is None:
        return
    for sha in listing.decode("ascii", "replace").split():
        blob = _git(["show", f"{sha}:./{path.name}"], folder)
        if blob is None:
            continue
        try:
            yield blob.decode("utf-8")
        except UnicodeDecodeError:
            continue


def _git(args: list[str], cwd: Path) -> bytes | None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEPT}
    try:
        done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True,
                              check=False, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


__all__ = ["LIMIT", "earlier_versions"]
