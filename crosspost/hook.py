"""The git pre-push hook: installing it, and deciding whether a push may go.

Two halves:

* **install / uninstall** write ``pre-push`` in the repository's hooks folder (or
  ``core.hooksPath`` when it points inside the repository; a shared folder elsewhere is
  refused, because writing there would change every repository that uses it). The script
  carries :data:`MARKER`, so only ours is ever replaced or removed. A hook we did not write
  is left alone unless ``chain=True`` moves it to ``pre-push.legacy``; ours then runs it
  first, with the same arguments and stdin, and a failure there blocks the push. Uninstall
  moves it back.
* **run** reads git's pre-push input (``<local ref> <local sha> <remote ref> <remote sha>``
  lines on stdin; remote name and URL as arguments), or file names (the pre-commit
  framework), finds the Markdown posts changed by the commits the remote does not have yet,
  and keeps those whose front matter has a ``crosspost`` key. Then ``check`` mode blocks
  the push while one of them is unpublished or changed since publish, and ``publish`` mode
  publishes them, commits the recorded URLs, and stops the push so the next one carries
  that commit (a hook that changes files fails, as pre-commit's do).

Speed is the design constraint: most pushes touch no opted-in post, and for them the hook
must cost about a Python start-up. So this module imports only the standard library's
light parts at top level (no pathlib, dataclasses, re or argparse), runs two git plumbing
commands, recognises opted-in posts with a text scan of the front matter, and imports the
YAML parser, the renderer and the engine only when a post actually opts in. The installed
script calls ``python -m crosspost.hook``, whose entry point (:func:`main`) skips click.

Like the rest of the library, nothing here prints except :func:`main`, the hook's entry
point; the CLI and tests get :class:`Outcome` and result objects.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING, NamedTuple

from crosspost.errors import CrosspostError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from crosspost.engine import Report
    from crosspost.http import HttpSettings
    from crosspost.status import TargetStatus

HOOK = "pre-push"
LEGACY_SUFFIX = ".legacy"
MODES = ("check", "publish")
MARKER = ("# crosspost-pre-push-hook: written by `crosspost hook install`;"
          " `crosspost hook uninstall` removes it")
SKIP_ENV = "CROSSPOST_HOOK"
SKIP_VALUES = frozenset({"skip", "0", "off", "no", "false"})
# Set while a chained hook runs, so a copy of our own script saved as the legacy hook
# cannot make each run start another.
_RUNNING_LEGACY_ENV = "CROSSPOST_RUNNING_LEGACY_HOOK"
# The extensions Jekyll and Hugo treat as Markdown and crosspost renders. MDX is left out:
# its JSX blocks are not Markdown, and no target could show them.
POST_SUFFIXES = (".md", ".markdown")
# The subject of the commit publish mode makes; "{posts}" becomes "1 post", "2 posts"...
COMMIT_MESSAGE = "crosspost: record URLs of {posts}"
# How much of a file the opt-in scan reads: front matter lives at the top.
_SCAN_LINES = 400

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


def _git(args: Sequence[str], *, cwd: str, environ: Mapping[str, str], input: bytes | None = None,
         check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, env=no_git_env(environ), input=input,
                              capture_output=True, check=False)
    except FileNotFoundError:
        raise CrosspostError("git is not installed (or not on PATH)") from None
    if check and done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        why = detail[-1] if detail else f"exit status {done.returncode}"
        raise CrosspostError(f"`git {' '.join(args[:2])}` failed: {why}")
    return done


def _out(args: Sequence[str], *, cwd: str, environ: Mapping[str, str]) -> str:
    return _git(args, cwd=cwd, environ=environ).stdout.decode("utf-8", "surrogateescape").strip()


# -- installing -----------------------------------------------------------------------------


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
    done = _git(["rev-parse", "--show-toplevel", "--git-common-dir"], cwd=repo, environ=env,
                check=False)
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    if done.returncode != 0 or len(lines) != 2:
        raise CrosspostError(f"{os.path.abspath(repo)} is not inside a git work tree",
                             hint="run this from your site's repository")
    # --git-common-dir (the main repository's .git, also from a linked worktree) may be
    # relative to ``repo``; --show-toplevel is always absolute.
    top, common = (os.path.realpath(os.path.join(repo, line)) for line in lines)
    configured = _git(["config", "--type=path", "--get", "core.hooksPath"], cwd=top, environ=env,
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
    PATH, instead of a bare "No module named crosspost".
    """
    package = os.path.dirname(os.path.abspath(__file__))
    return f"""#!/bin/sh
{MARKER}
# Mode: {mode}. Change it with `crosspost hook install --mode check|publish`.
# Skip it once with `git push --no-verify`, or with {SKIP_ENV}=skip in the environment.
crosspost_python={_sh_quote(python)}
crosspost_package={_sh_quote(package)}
if [ -x "$crosspost_python" ] && [ -f "$crosspost_package/hook.py" ]; then
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


# -- what is being pushed ----------------------------------------------------------------------


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
    """A changed Markdown file being pushed."""

    path: str  # relative to the repository top, forward slashes
    text: str  # its content in the pushed commit (or on disk, for file names)
    sha: str | None  # the commit it was read from; None when read from the working tree
    ref: str | None = None  # the local ref pushed (refs/heads/main, HEAD); None for file names


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
    done = _git(["rev-list", ref.local_sha, "--not", *exclude], cwd=cwd, environ=environ, check=False)
    if done.returncode != 0 and not ref.new:
        # The remote's old tip is not in this repository (a force push over commits we
        # never fetched): fall back to what the remote-tracking branches say.
        done = _git(["rev-list", ref.local_sha, "--not", *exclude[1:]], cwd=cwd, environ=environ)
    elif done.returncode != 0:
        raise CrosspostError(f"cannot list the commits of {ref.local_ref}: "
                             f"{done.stderr.decode('utf-8', 'replace').strip()}")
    commits = done.stdout
    if not commits.strip():
        return []
    names = _git(["diff-tree", "--stdin", "--root", "-r", "-z", "--name-only", "--no-commit-id",
                  "--no-renames", "--diff-filter=d"], cwd=cwd, environ=environ, input=commits).stdout
    seen: dict[str, None] = {}
    for raw in names.split(b"\0"):
        if raw:
            seen.setdefault(raw.decode("utf-8", "surrogateescape"))
    return list(seen)


def _is_post_name(path: str) -> bool:
    return path.lower().endswith(POST_SUFFIXES)


def _read_blobs(wanted: Sequence[tuple[str, str]], *, cwd: str,
                environ: Mapping[str, str]) -> dict[tuple[str, str], str]:
    """Contents of ``(commit, path)`` pairs in one ``git cat-file --batch`` run.

    Paths missing from the commit (deleted later in the same push) are left out.
    """
    usable = [(sha, path) for sha, path in wanted if "\n" not in path]
    if not usable:
        return {}
    request = "".join(f"{sha}:{path}\n" for sha, path in usable).encode("utf-8", "surrogateescape")
    data = _git(["cat-file", "--batch"], cwd=cwd, environ=environ, input=request).stdout
    found: dict[tuple[str, str], str] = {}
    pos = 0
    for key in usable:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if len(header) != 3 or header[-1] == b"missing":
            continue
        size = int(header[2])
        blob = data[pos:pos + size]
        pos += size + 1
        if header[1] == b"blob":
            found[key] = blob.decode("utf-8", "replace")
    return found


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


def pushed_posts(push_input: str, remote: str, url: str, *, cwd: str = ".",
                 environ: Mapping[str, str] | None = None) -> list[Candidate]:
    """The opted-in posts changed by a push, as they are in the pushed commits."""
    env = os.environ if environ is None else environ
    wanted: dict[str, PushedRef] = {}  # path -> the first pushed ref that changes it
    for ref in parse_push_input(push_input):
        if ref.deleted:
            continue
        for path in _changed_paths(ref, remote, url, cwd=cwd, environ=env):
            if _is_post_name(path):
                wanted.setdefault(path, ref)
    blobs = _read_blobs([(ref.local_sha, path) for path, ref in wanted.items()], cwd=cwd, environ=env)
    return [Candidate(path, text, sha, wanted[path].local_ref)
            for (sha, path), text in blobs.items() if opts_in(text)]


def named_posts(files: Sequence[str], *, cwd: str = ".") -> list[Candidate]:
    """The opted-in posts among ``files`` (as the pre-commit framework passes them)."""
    found = []
    for name in files:
        if not _is_post_name(name):
            continue
        try:
            with open(os.path.join(cwd, name), encoding="utf-8", errors="replace") as handle:
                head = "".join(handle.readline() for _ in range(_SCAN_LINES))
        except OSError:
            continue  # deleted, or not a file: nothing to publish
        if opts_in(head):
            found.append(Candidate(name.replace(os.sep, "/"), head, None))
    return found


# -- the legacy hook ----------------------------------------------------------------------------


def run_legacy(hook_path: str, args: Sequence[str], stdin: bytes,
               environ: Mapping[str, str] | None = None) -> int | None:
    """Run the chained ``pre-push.legacy`` beside ``hook_path`` with git's arguments and
    stdin; its exit status, or None when there is none (or it is not executable, which git
    would skip too)."""
    legacy = hook_path + LEGACY_SUFFIX
    if not os.access(legacy, os.X_OK) or os.path.isdir(legacy):
        return None
    env = dict(os.environ if environ is None else environ)
    if env.get(_RUNNING_LEGACY_ENV):
        raise CrosspostError(f"{legacy} runs crosspost's hook again",
                             hint="run `crosspost hook uninstall`, then `crosspost hook install --chain`")
    env[_RUNNING_LEGACY_ENV] = "1"
    return subprocess.run([legacy, *args], input=stdin, env=env, check=False).returncode


# -- deciding ------------------------------------------------------------------------------------


class Outcome(NamedTuple):
    """What the hook decided: the exit status and the lines to show (on stderr)."""

    exit_code: int
    lines: tuple[str, ...] = ()


def skipped(environ: Mapping[str, str]) -> bool:
    return environ.get(SKIP_ENV, "").strip().lower() in SKIP_VALUES


def run(mode: str, *, push_input: str | None = None, remote: str = "", url: str = "",
        files: Sequence[str] = (), cwd: str = ".", environ: Mapping[str, str] | None = None,
        commit_message: str = COMMIT_MESSAGE) -> Outcome:
    """Decide a push: from git's pre-push input (``push_input``, ``remote``, ``url``), or
    from file names (``files``) when ``push_input`` is None. ``commit_message`` is the
    subject of publish mode's commit ("{posts}" becomes "1 post", "2 posts"...)."""
    env = os.environ if environ is None else environ
    if mode not in MODES:
        raise CrosspostError(f"unknown hook mode {mode!r}", hint=f"use one of: {', '.join(MODES)}")
    if skipped(env):
        return Outcome(0, (f"crosspost: hook skipped ({SKIP_ENV}={env[SKIP_ENV]})",))
    if push_input is not None:
        posts = pushed_posts(push_input, remote, url, cwd=cwd, environ=env)
    else:
        posts = named_posts(files, cwd=cwd)
    if not posts:
        return Outcome(0)
    # From here on a post asks for crosspost: the heavy imports are worth it.
    return _decide(mode, posts, cwd=cwd, environ=env, message=commit_message)


_BLOCKING = "block"
_WARNING = "warn"


def _verdict(status: TargetStatus) -> str | None:
    """Block on what `crosspost publish` would fix (or a post it cannot read); warn on what
    it cannot: a Medium copy changed since publish (its API cannot update) and an uncertain
    create (only `crosspost link` settles it)."""
    from crosspost.platforms import TARGETS
    from crosspost.status import CHANGED, ERROR, NEEDS_ATTENTION, UNCERTAIN

    info = TARGETS.get(status.target)
    if status.state == CHANGED and info is not None and not info.can_update:
        return _WARNING
    if status.state in NEEDS_ATTENTION or status.state == ERROR:
        return _BLOCKING
    if status.state == UNCERTAIN:
        return _WARNING
    return None


def _status_line(path: str, status: TargetStatus, verdict: str | None) -> str:
    from crosspost.platforms import TARGETS

    text = f"  {path}: {status.target}: {status.state}"
    if status.detail:
        text += f": {status.detail}"
    info = TARGETS.get(status.target)
    if verdict == _WARNING and info is not None and not info.can_update:
        text += (f" (warning: {info.label}'s API cannot update a post; edit "
                 f"{status.url or 'the copy'} by hand. Not blocking the push)")
    elif verdict == _WARNING:
        text += " (warning: not blocking the push)"
    return text


def _statuses(posts: Sequence[Candidate], *,
              cwd: str) -> tuple[list[tuple[str, TargetStatus]], list[str], list[str]]:
    """Each post's status on each of its targets (offline, from the working tree, which is
    what crosspost reads); notes about posts whose working-tree copy is not the pushed one;
    and the posts missing from the working tree (pushed from a branch not checked out)."""
    from pathlib import Path

    from crosspost.status import ERROR, TargetStatus, status_of

    results: list[tuple[str, TargetStatus]] = []
    notes: list[str] = []
    absent: list[str] = []
    for post in posts:
        path = Path(cwd, post.path)
        try:
            on_disk = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            absent.append(post.path)
            continue
        if post.sha is not None and on_disk != post.text:
            notes.append(f"crosspost: note: {post.path} has changes that are not in this push; "
                         "checked the copy in the working tree")
        try:
            results.extend((post.path, status) for status in status_of(path))
        except CrosspostError as exc:
            results.append((post.path, TargetStatus(path, "*", ERROR, None, str(exc))))
    return results, notes, absent


def _bypass() -> str:
    return f"to push anyway: `git push --no-verify`, or `{SKIP_ENV}=skip git push`"


def _decide(mode: str, posts: Sequence[Candidate], *, cwd: str, environ: Mapping[str, str],
            message: str) -> Outcome:
    import shlex

    statuses, notes, absent = _statuses(posts, cwd=cwd)
    lines = [f"crosspost: {len(posts)} post{'s' * (len(posts) != 1)} with a `crosspost` block "
             "changed in this push:"]
    verdicts = [(path, status, _verdict(status)) for path, status in statuses]
    lines.extend(_status_line(path, status, verdict) for path, status, verdict in verdicts)
    lines.extend(f"  {path}: not in the working tree" for path in absent)
    lines.extend(notes)
    blocking = list(dict.fromkeys(path for path, _, verdict in verdicts if verdict == _BLOCKING))
    if not blocking and not absent:
        lines.append("crosspost: nothing to publish; push allowed")
        return Outcome(0, tuple(lines))
    if absent:
        # Unknown is not "fine": crosspost reads posts from the working tree, and a post
        # that is not there could be unpublished.
        lines.append(f"crosspost: push blocked: {len(absent)} post{'s' * (len(absent) != 1)} "
                     "pushed from a branch that is not checked out cannot be checked; check that "
                     "branch out and push again; " + _bypass())
    command = "crosspost publish " + " ".join(shlex.quote(p) for p in blocking)
    if mode == "check" or absent:
        if blocking:
            lines += [f"crosspost: push blocked: {len(blocking)} post{'s' * (len(blocking) != 1)} "
                      "unpublished or changed since publish. Publish from the repository's top "
                      "folder with", f"    {command}",
                      "  then commit the recorded URLs and push again; " + _bypass()]
        return Outcome(1, tuple(lines))
    return _publish_and_commit(blocking, posts, lines, command, cwd=cwd, environ=environ,
                               message=message)


def _publish_and_commit(paths: Sequence[str], posts: Sequence[Candidate], lines: list[str],
                        command: str, *, cwd: str, environ: Mapping[str, str], message: str) -> Outcome:
    """Publish mode: refuse unless the posts are exactly what is pushed and HEAD is the
    pushed commit (the record commit goes on HEAD), then publish and commit the records."""
    from pathlib import Path

    from crosspost.engine import PublishOptions, publish

    problems = _publish_preconditions(paths, posts, cwd=cwd, environ=environ)
    if problems:
        lines += [f"crosspost: push blocked: cannot publish from this push: {p}" for p in problems]
        lines.append(f"  or publish by hand (`{command}`), commit, and push again; " + _bypass())
        return Outcome(1, tuple(lines))
    options = PublishOptions(environ=dict(environ), http=_http_settings(environ), jobs=4)
    try:
        report = publish([Path(cwd, p) for p in paths], options)
    except CrosspostError as exc:
        lines += [f"crosspost: push blocked: {exc}", "  " + _bypass()]
        return Outcome(1, tuple(lines))
    lines.extend(_result_lines(report, cwd=cwd))
    failed = [r for r in report.results if not r.ok or r.status == "manual"]
    recorded = [os.path.relpath(p, cwd) for p in report.recorded]
    code = 0
    if recorded:
        commit = _commit(recorded, report, cwd=cwd, environ=environ, subject=message)
        lines.append(f"crosspost: recorded the URLs of {len(recorded)} post"
                     f"{'s' * (len(recorded) != 1)} in a new commit ({commit}); push again")
        code = 1
    if failed:
        lines.append(f"crosspost: push blocked: {len(failed)} target{'s' * (len(failed) != 1)} not "
                     "published (see above); fix that and push again (nothing already published "
                     "is lost: the results are recorded or journaled); " + _bypass())
        code = 1
    return Outcome(code, tuple(lines))


def _publish_preconditions(paths: Sequence[str], posts: Sequence[Candidate], *, cwd: str,
                           environ: Mapping[str, str]) -> list[str]:
    by_path = {p.path: p for p in posts}
    head = _git(["rev-parse", "--verify", "-q", "HEAD"], cwd=cwd, environ=environ,
                check=False).stdout.decode().strip()
    branch = _git(["symbolic-ref", "-q", "HEAD"], cwd=cwd, environ=environ,
                  check=False).stdout.decode("utf-8", "surrogateescape").strip()
    # The pre-commit framework names the pushed commit and local ref in these variables.
    framework_sha = environ.get("PRE_COMMIT_TO_REF")
    framework_ref = environ.get("PRE_COMMIT_LOCAL_BRANCH")

    def on_head(path: str) -> bool:
        # The record commit goes on HEAD, so HEAD must be what is pushed: the same commit,
        # pushed as HEAD itself or as the branch checked out (not another branch at it).
        post = by_path[path]
        sha = post.sha or framework_sha or head
        ref = post.ref or framework_ref or "HEAD"
        return sha == head and ref in {"HEAD", branch}

    problems = []
    elsewhere = [p for p in paths if not on_head(p)]
    if elsewhere:
        problems.append(f"{', '.join(elsewhere)} come{'s' * (len(elsewhere) == 1)} from a branch "
                        "that is not checked out, and the recorded URLs must be committed on it; "
                        "check it out and push again")
    dirty = _git(["status", "--porcelain", "-z", "--untracked-files=no", "--", *paths], cwd=cwd,
                 environ=environ).stdout
    changed = sorted({entry[3:].decode("utf-8", "surrogateescape")
                      for entry in dirty.split(b"\0") if len(entry) > 3})
    if changed:
        problems.append(f"{', '.join(changed)} ha{'s' if len(changed) == 1 else 've'} uncommitted "
                        "changes, which crosspost would publish and commit; commit or stash them "
                        "and push again")
    return problems


def _http_settings(environ: Mapping[str, str]) -> HttpSettings:
    from crosspost.http import HttpSettings

    timeout = environ.get("CROSSPOST_TIMEOUT")
    if timeout:
        try:
            return HttpSettings(timeout=float(timeout))
        except ValueError:
            raise CrosspostError(f"CROSSPOST_TIMEOUT must be a number of seconds, not {timeout!r}") from None
    return HttpSettings()


def _result_lines(report: Report, *, cwd: str) -> list[str]:
    from crosspost.engine.drift import report_lines  # edits made on the platform (issue 12)

    lines = []
    for result in report.results:
        shown = os.path.relpath(result.path, cwd)
        text = f"  {shown}: {result.target}: {result.status}"
        if result.url and result.status != "failed":
            text += f" {result.url}"
        if result.message and result.status in {"failed", "skipped", "manual"}:
            text += ": " + result.message.replace(str(result.path), shown).replace("\n", "\n    ")
        lines.append(text)
        lines.extend("  " + line for line in report_lines(result, shown))
    lines.extend(f"crosspost: note: {note}" for note in report.notices)
    return lines


def _commit(paths: Sequence[str], report: Report, *, cwd: str, environ: Mapping[str, str],
            subject: str) -> str:
    """Commit exactly ``paths`` (``--only``: the user's other staged changes stay staged and
    out of this commit) and return the new commit's short id.

    ``--no-verify``: the change is crosspost's own edit of the ``crosspost`` block, and a
    pre-commit or commit-msg hook that rewrote or refused it would leave the record
    uncommitted while the push had already been stopped for it.
    """
    body = [f"{os.path.relpath(r.path, cwd)}: {r.target}: {r.url}"
            for r in report.results if r.url and r.status in {"created", "updated", "recorded"}]
    posts = f"{len(paths)} post{'s' * (len(paths) != 1)}"
    message = subject.replace("{posts}", posts) + ("\n\n" + "\n".join(body) if body else "")
    _git(["commit", "--no-verify", "--quiet", "--only", "-m", message, "--", *paths], cwd=cwd,
         environ=environ)
    return _out(["rev-parse", "--short", "HEAD"], cwd=cwd, environ=environ)


# -- the installed script's entry point ---------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m crosspost.hook MODE HOOK_PATH REMOTE URL``, as the installed script runs it
    (refs on stdin). Kept free of click and argparse: this is the no-op push's whole cost."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 4 or args[0] not in MODES:
        sys.stderr.write("usage: python -m crosspost.hook check|publish HOOK_PATH REMOTE URL "
                         "(run by the installed pre-push hook; see `crosspost hook --help`)\n")
        return 2
    mode, hook_path, remote, url = args
    return run_pre_push(mode, hook_path, remote, url, sys.stdin.buffer.read())


def run_pre_push(mode: str, hook_path: str | None, remote: str, url: str, stdin: bytes, *,
                 commit_message: str = COMMIT_MESSAGE) -> int:
    """The whole pre-push run, legacy hook first; prints the outcome on stderr."""
    try:
        if hook_path:
            legacy = run_legacy(hook_path, [remote, url], stdin)
            if legacy:
                sys.stderr.write(f"crosspost: the chained hook {hook_path}{LEGACY_SUFFIX} failed "
                                 f"(exit {legacy}); push blocked\n")
                return legacy
        outcome = run(mode, push_input=stdin.decode("utf-8", "surrogateescape"), remote=remote,
                      url=url, commit_message=commit_message)
    except CrosspostError as exc:
        sys.stderr.write(f"crosspost: error: {exc}; push blocked; {_bypass()}\n")
        return exc.exit_code
    except Exception as exc:  # one line, never a traceback in the middle of a push
        from crosspost.credentials import redact

        sys.stderr.write(f"crosspost: internal error: {type(exc).__name__}: {redact(str(exc))}; "
                         f"push blocked (please report it); {_bypass()}\n")
        return 1
    if outcome.lines:
        sys.stderr.write("\n".join(outcome.lines) + "\n")
    return outcome.exit_code


__all__ = ["COMMIT_MESSAGE", "HOOK", "MARKER", "MODES", "POST_SUFFIXES", "SKIP_ENV", "Candidate",
           "HookLocation", "InstallResult", "Outcome", "PushedRef", "UninstallResult", "install",
           "is_ours", "locate", "main", "named_posts", "no_git_env", "opts_in", "parse_push_input",
           "pushed_posts", "run", "run_legacy", "run_pre_push", "script", "skipped", "uninstall"]


if __name__ == "__main__":
    sys.exit(main())
