"""Running the hook: the installed script's entry point, the chained hook, the decision.

:func:`run` finds the opted-in posts a push changes (standard library only: most pushes
stop there), then imports the rest to judge them (:mod:`.judge`) and to block with advice
(:mod:`.advice`) or publish (:mod:`.publishing`). Only :func:`main` and
:func:`run_pre_push` print; everything else returns an :class:`Outcome`.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from typing import TYPE_CHECKING, NamedTuple

from crosspost.errors import CrosspostError
from crosspost.hook.install import LEGACY_SUFFIX, MODES, SKIP_ENV
from crosspost.hook.push import named_posts, pushed_posts

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from crosspost.hook.push import Candidate

SKIP_VALUES = frozenset({"skip", "0", "off", "no", "false"})
# The subject of the commit publish mode makes; "{posts}" becomes "1 post", "2 posts"...
COMMIT_MESSAGE = "crosspost: record URLs of {posts}"
# Set while a chained hook runs, so a copy of our own script saved as the legacy hook
# cannot make each run start another.
_RUNNING_LEGACY_ENV = "CROSSPOST_RUNNING_LEGACY_HOOK"


class Outcome(NamedTuple):
    """What the hook decided: the exit status and the lines to show (on stderr)."""

    exit_code: int
    lines: tuple[str, ...] = ()


def skipped(environ: Mapping[str, str]) -> bool:
    return environ.get(SKIP_ENV, "").strip().lower() in SKIP_VALUES


def run(mode: str, *, push_input: str | None = None, remote: str = "", url: str = "",
        files: Sequence[str] = (), cwd: str = ".", environ: Mapping[str, str] | None = None,
        commit_message: str = COMMIT_MESSAGE, on_wait: Callable[[str], None] | None = None,
        ) -> Outcome:
    """Decide a push: from git's pre-push input (``push_input``, ``remote``, ``url``), or
    from file names (``files``) when ``push_input`` is None. ``commit_message`` is the
    subject of the record commit ("{posts}" becomes "1 post", "2 posts"...). ``on_wait``
    hears at once when publish mode waits for another run's lock: the outcome's lines come
    only at the end, and a push that hangs without a word looks broken."""
    env = os.environ if environ is None else environ
    if mode not in MODES:
        raise CrosspostError(f"unknown hook mode {mode!r}", hint=f"use one of: {', '.join(MODES)}")
    if skipped(env):
        return Outcome(0, (f"crosspost: hook skipped ({SKIP_ENV}={env[SKIP_ENV]})",))
    if push_input is not None:
        posts = pushed_posts(push_input, remote, url, cwd=cwd, environ=env)
    else:
        posts = named_posts(files, cwd=cwd, environ=env)
    if not posts:
        return Outcome(0)
    # From here on a post asks for crosspost: the heavy imports are worth it.
    return _decide(mode, posts, cwd=cwd, environ=env, subject=commit_message, on_wait=on_wait)


def _decide(mode: str, posts: Sequence[Candidate], *, cwd: str, environ: Mapping[str, str],
            subject: str, on_wait: Callable[[str], None] | None) -> Outcome:
    from crosspost.hook.advice import check_remedy, listing, other_refs_note
    from crosspost.hook.judge import judge
    from crosspost.hook.repo import head, staged_paths

    checkout = head(cwd=cwd, environ=environ)
    judged = judge(posts, checkout, cwd=cwd, environ=environ)
    lines = [*listing(judged), *other_refs_note(judged)]
    blocking = [j for j in judged if j.on_branch and j.blocking]
    if not blocking:
        lines.append("crosspost: nothing to publish; push allowed")
        return Outcome(0, tuple(lines))
    if mode == "check":
        staged = staged_paths(cwd=cwd, environ=environ) if any(j.known for j in blocking) else []
        lines.extend(check_remedy(blocking, checkout, subject=subject, staged=staged))
        return Outcome(1, tuple(lines))
    from crosspost.hook.publishing import publish_pushed

    code, more = publish_pushed(blocking, checkout, cwd=cwd, environ=environ, subject=subject,
                                on_wait=on_wait)
    return Outcome(code, (*lines, *more))


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
    try:
        return subprocess.run([legacy, *args], input=stdin, env=env, check=False).returncode
    except OSError as exc:
        if exc.errno != errno.ENOEXEC:
            raise CrosspostError(f"cannot run the chained hook {legacy}: {exc.strerror}",
                                 hint="fix it, or run `crosspost hook uninstall`") from None
    # No "#!" line: git runs such a hook with sh, so it runs here too.
    return subprocess.run(["/bin/sh", legacy, *args], input=stdin, env=env, check=False).returncode


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


def say_now(message: str) -> None:
    """A line shown while the hook is still at work (waiting for another run's lock)."""
    sys.stderr.write(f"crosspost: {message}\n")
    sys.stderr.flush()


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
                      url=url, commit_message=commit_message, on_wait=say_now)
    except CrosspostError as exc:
        from crosspost.hook.advice import bypass

        sys.stderr.write(f"crosspost: error: {exc}; push blocked; {bypass()}\n")
        return exc.exit_code
    except Exception as exc:  # one line, never a traceback in the middle of a push
        from crosspost.credentials import redact
        from crosspost.hook.advice import bypass

        sys.stderr.write(f"crosspost: internal error: {type(exc).__name__}: {redact(str(exc))}; "
                         f"push blocked (please report it); {bypass()}\n")
        return 1
    if outcome.lines:
        sys.stderr.write("\n".join(outcome.lines) + "\n")
    return outcome.exit_code


__all__ = ["COMMIT_MESSAGE", "SKIP_VALUES", "Outcome", "main", "run", "run_legacy", "run_pre_push",
           "say_now", "skipped"]
