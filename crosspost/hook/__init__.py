"""The git pre-push hook: installing it, and deciding whether a push may go.

The hook judges what is being pushed, not the working tree. For each ref of the push it
finds the Markdown posts changed by the commits the remote does not have yet, keeps those
whose front matter has a ``crosspost`` key, and takes each as that ref's commit has it:

* **check** mode blocks a branch push while a pushed post is unpublished, changed since
  publish, or lacks the record of a copy this repository knows about (in the working tree,
  the index or the journal: pushed without it, the copy would be made again by whatever
  publishes the pushed commits). A pushed version that is up to date passes, whatever the
  working tree holds. The advice never publishes or commits text the push does not carry.
* **publish** mode publishes the pushed versions instead, commits their records on top of
  the pushed commit (nothing else goes into that commit), and stops the push so the next
  one carries it. When that commit fails, the records stay staged and every push is
  blocked until they are committed.
* A **tag** (or any ref outside ``refs/heads/``) is never blocked and never published for:
  a record commit cannot go onto it, and what is published is what a branch carries. Posts
  there that are not up to date get a note.

Rooms: :mod:`.install` (the script, install and uninstall), :mod:`.repo` (the git commands),
:mod:`.push` (git's pre-push input and the changed posts), :mod:`.entry` (the entry point and
the decision), :mod:`.judge`, :mod:`.advice`, :mod:`.publishing` and :mod:`.commit`.

Speed is the design constraint: most pushes touch no opted-in post, and for them the hook
must cost about a Python start-up. So :mod:`.install`, :mod:`.repo`, :mod:`.push` and
:mod:`.entry` import only the standard library's light parts at top level (no pathlib,
dataclasses, re or argparse), two git plumbing commands run, opted-in posts are recognised
with a text scan of the front matter, and the YAML parser, the renderer and the engine are
imported only when a post actually opts in. The installed script calls ``python -m
crosspost.hook``, whose entry point (:func:`main`) skips click.
"""

from __future__ import annotations

from crosspost.hook.entry import (
    COMMIT_MESSAGE,
    Outcome,
    main,
    run,
    run_legacy,
    run_pre_push,
    say_now,
    skipped,
)
from crosspost.hook.install import (
    HOOK,
    LEGACY_SUFFIX,
    MARKER,
    MODES,
    SKIP_ENV,
    HookLocation,
    InstallResult,
    UninstallResult,
    install,
    is_ours,
    locate,
    script,
    uninstall,
)
from crosspost.hook.push import (
    POST_SUFFIXES,
    Candidate,
    PushedRef,
    named_posts,
    opts_in,
    parse_push_input,
    pushed_posts,
)
from crosspost.hook.repo import no_git_env

__all__ = ["COMMIT_MESSAGE", "HOOK", "LEGACY_SUFFIX", "MARKER", "MODES", "POST_SUFFIXES", "SKIP_ENV",
           "Candidate", "HookLocation", "InstallResult", "Outcome", "PushedRef", "UninstallResult",
           "install", "is_ours", "locate", "main", "named_posts", "no_git_env", "opts_in",
           "parse_push_input", "pushed_posts", "run", "run_legacy", "run_pre_push", "say_now",
           "script", "skipped", "uninstall"]
