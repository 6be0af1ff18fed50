"""Installing and removing the pre-push hook script.

``install`` writes ``pre-push`` in the repository's hooks folder (or ``core.hooksPath`` when
it points inside the repository; a shared folder elsewhere is refused, because writing there
would change every repository that uses it). The script carries :data:`MARKER`, so only ours
is ever replaced or removed. A hook we did not write is left alone unless ``chain=True``
moves it to ``pre-push.legacy``; ours then runs it first, with the same arguments and stdin,
and a failure there blocks the push. ``uninstall`` moves it back.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NamedTuple

from crosspost.errors import CrosspostError
from crosspost.hook.repo import git

if TYPE_CHECKING:
    from collections.abc import Mapping

HOOK = "pre-push"
LEGACY_SUFFIX = ".legacy"
MODES = ("check", "publish")
MARKER = ("# crosspost-pre-push-hook: written by `crosspost hook install`;"
          " `crosspost hook uninstall` removes it")
SKIP_ENV = "CROSSPOST_HOOK"


class HookLocation(NamedTuple):
    """Where the pre-push hook of a repository lives."""

    path: str  # the hook script
    legacy: str  # where a chained foreign hook is kept
    hooks_path: str | None  # core.hooksPath as configured, when set


class InstallResult(NamedTuple):
    path: str
    mode: str
    replaced_ours: bool  # an earlier crosspost hook was rewritten (e.g. a new mode)
    chained: str | None  # the legacy hook that runs first, when there is one
    moved_foreign: bool  # this install moved a foreign hook to ``chained``


class UninstallResult(NamedTuple):
    path: str
    removed: bool  # False: there was no crosspost hook
    restored: str | None  # the legacy hook moved back into place


def locate(repo: str = ".", *, environ: Mapping[str, str] | None = None) -> HookLocation:
    """The hook's place in the repository around ``repo``.

    ``core.hooksPath`` is honoured when it resolves inside the work tree or the git
    directory (a ``.githooks`` folder committed with the site, husky's folder). A folder
    outside (often one shared by every repository through the global config) is refused:
    writing there would install crosspost in repositories that never asked for it.
    """
    env = os.environ if environ is None else environ
    done = git(["rev-parse", "--show-toplevel", "--git-common-dir"], cwd=repo, environ=env,
                check=False)
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    if done.returncode != 0 or len(lines) != 2:
        raise CrosspostError(f"{os.path.abspath(repo)} is not inside a git work tree",
                             hint="run this from your site's repository")
    # --git-common-dir (the main repository's .git, also from a linked worktree) may be
    # relative to ``repo``; --show-toplevel is always absolute.
    top, common = (os.path.realpath(os.path.join(repo, line)) for line in lines)
    configured = git(["config", "--type=path", "--get", "core.hooksPath"], cwd=top, environ=env,
                      check=False).stdout.decode("utf-8", "surrogateescape").strip()
    if configured:
        # Relative hooksPath values are relative to where hooks run: the work tree's top.
        folder = os.path.realpath(os.path.join(top, configured))
        if not any(folder == root or folder.startswith(root + os.sep) for root in (top, common)):
            raise CrosspostError(
                f"core.hooksPath is set to {configured}, a folder outside this repository "
                "(perhaps shared by all your repositories), so crosspost will not write there",
                hint=f"add `crosspost hook run --pre-push \"$@\"` to {os.path.join(folder, HOOK)} "
                "yourself, or point core.hooksPath inside this repository")
    else:
        folder = os.path.join(common, "hooks")
    path = os.path.join(folder, HOOK)
    return HookLocation(path, path + LEGACY_SUFFIX, configured or None)


def is_ours(path: str) -> bool:
    """True when ``path`` is a hook crosspost wrote (it carries :data:`MARKER`)."""
    try:
        with open(path, "rb") as handle:
            return MARKER.encode() in handle.read(8192)
    except OSError:
        return False


def script(mode: str, python: str) -> str:
    """The text of the hook: run crosspost with the interpreter it was installed with.

    The interpreter and the package folder are checked with ``[ -x ]`` / ``[ -f ]`` so a
    deleted virtual environment gives a clear message and a fallback to ``crosspost`` on
    PATH, instead of a bare "No module named crosspost". The file checked is the one
    ``-m crosspost.hook`` runs. (Scripts written by 0.1.0 check ``crosspost/hook.py``, which
    is now a folder: they fall back to ``crosspost`` on PATH and ask to be installed again.)
    """
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return f"""#!/bin/sh
{MARKER}
# Mode: {mode}. Change it with `crosspost hook install --mode check|publish`.
# Skip it once with `git push --no-verify`, or with {SKIP_ENV}=skip in the environment.
crosspost_python={_sh_quote(python)}
crosspost_package={_sh_quote(package)}
if [ -x "$crosspost_python" ] && [ -f "$crosspost_package/hook/__main__.py" ]; then
    exec "$crosspost_python" -P -m crosspost.hook {mode} "$0" "$@"
fi
if command -v crosspost >/dev/null 2>&1; then
    echo "crosspost: $crosspost_python (or crosspost in it) is gone; using crosspost on PATH." \\
        "Run \\`crosspost hook install\\` again to remember it." >&2
    exec crosspost hook run --mode {mode} --pre-push --hook-path "$0" "$@"
fi
echo "crosspost: cannot run the pre-push hook: $crosspost_python (or crosspost in it) is gone" \\
    "and crosspost is not on PATH. Reinstall crosspost and run \\`crosspost hook install\\`," \\
    "or \\`crosspost hook uninstall\\`; \\`git push --no-verify\\` skips hooks once." >&2
exit 1
"""


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def install(repo: str = ".", *, mode: str = "check", chain: bool = False, python: str | None = None,
            environ: Mapping[str, str] | None = None) -> InstallResult:
    """Write crosspost's pre-push hook; never overwrite a hook we did not write.

    A foreign hook makes this refuse, unless ``chain`` moves it to ``pre-push.legacy``
    (the pre-commit scheme: reversible, and the old hook still runs first). Re-installing
    our own hook (to change the mode) is always allowed and keeps an existing chain.
    """
    from pathlib import Path

    from crosspost.fsutil import atomic_write_text

    if mode not in MODES:
        raise CrosspostError(f"unknown hook mode {mode!r}", hint=f"use one of: {', '.join(MODES)}")
    where = locate(repo, environ=environ)
    exists = os.path.lexists(where.path)
    ours = exists and is_ours(where.path)
    moved = False
    if exists and not ours:
        if not chain:
            raise CrosspostError(
                f"{where.path} exists and was not written by crosspost; it was left alone",
                hint="run `crosspost hook install --chain` to keep it as pre-push.legacy and run "
                "it before crosspost, or add `crosspost hook run --pre-push \"$@\"` to it yourself")
        if os.path.lexists(where.legacy):
            raise CrosspostError(
                f"both {where.path} (not crosspost's) and {where.legacy} exist; nothing was changed",
                hint="merge them into one hook by hand, then run `crosspost hook install --chain`")
        os.replace(where.path, where.legacy)
        moved = True
    os.makedirs(os.path.dirname(where.path), exist_ok=True)
    atomic_write_text(Path(where.path), script(mode, python or sys.executable), mode=0o755)
    chained = where.legacy if os.path.lexists(where.legacy) else None
    return InstallResult(where.path, mode, bool(ours), chained, moved)


def uninstall(repo: str = ".", *, environ: Mapping[str, str] | None = None) -> UninstallResult:
    """Remove crosspost's hook (and only ours), moving a chained hook back into place."""
    where = locate(repo, environ=environ)
    if not os.path.lexists(where.path):
        return UninstallResult(where.path, False, None)
    if not is_ours(where.path):
        raise CrosspostError(f"{where.path} was not written by crosspost; it was left alone",
                             hint="remove crosspost from it by hand if you added it there")
    os.remove(where.path)
    restored = None
    if os.path.lexists(where.legacy):
        os.replace(where.legacy, where.path)
        restored = where.path
    return UninstallResult(where.path, True, restored)


__all__ = ["HOOK", "LEGACY_SUFFIX", "MARKER", "MODES", "SKIP_ENV", "HookLocation", "InstallResult",
           "UninstallResult", "install", "is_ours", "locate", "script", "uninstall"]
