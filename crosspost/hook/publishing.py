"""Publish mode: publish the pushed version of each post, commit its records, stop the push.

What is sent is the pushed text (with the records of copies this repository already knows,
so nothing is created twice), whatever the working tree holds beyond it; the engine writes
the records into the working-tree file as well, merged with any unpushed work there
(``publish(texts=...)``). The commit that records them is built from the pushed version
alone (:mod:`.commit`), goes on top of the pushed commit, and the push stops so the next
one carries it: a hook that changes files fails, as pre-commit's do.

When that commit fails (a signing program that cannot prompt inside a hook, say), every
URL published is still shown, the records stay staged, and the message gives the command
that commits them; until that commit is pushed, every push is blocked for it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from crosspost.errors import CrosspostError
from crosspost.hook.advice import bypass, commit_command, elsewhere, plural, staged_record, words

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from crosspost.engine import Report, TargetResult
    from crosspost.hook.commit import Recorded
    from crosspost.hook.judge import Judged
    from crosspost.hook.repo import Head
    from crosspost.http import HttpSettings


def publish_pushed(blocking: Sequence[Judged], head: Head, *, cwd: str, environ: Mapping[str, str],
                   subject: str, on_wait: Callable[[str], None] | None = None,
                   ) -> tuple[int, list[str]]:
    """Publish ``blocking`` (posts of this push that need it) and commit their records;
    ``on_wait`` hears at once when another run holds the site's lock."""
    from crosspost.engine import PublishOptions, publish

    problems = _problems(blocking, head)
    if problems:
        return 1, [*(f"crosspost: push blocked: cannot publish from this push: {p}" for p in problems),
                   "  " + bypass()]
    texts = {Path(cwd, j.path): j.wanted or "" for j in blocking}
    options = PublishOptions(environ=dict(environ), http=_http_settings(environ), jobs=4,
                             on_wait=on_wait)
    try:
        report = publish(list(texts), options, texts=texts)
    except CrosspostError as exc:
        return 1, [f"crosspost: push blocked: {exc}", "  " + bypass()]
    lines = _result_lines(report, cwd=cwd)
    code = 0
    recorded = _recorded(blocking, report, cwd=cwd)
    if recorded:
        code = 1
        lines.extend(_commit(recorded, head, cwd=cwd, environ=environ, subject=subject))
    failed = [r for r in report.results if not r.ok or r.status == "manual"]
    if failed:
        lines.append(f"crosspost: push blocked: {plural(len(failed), 'target')} not published (see "
                     "above); fix that and push again (nothing already published is lost: the "
                     "results are recorded or journaled); " + bypass())
        lines.extend(_set_aside(blocking, failed, cwd=cwd, subject=subject))
        code = 1
    return code, lines


def _set_aside(blocking: Sequence[Judged], failed: Sequence[TargetResult], *, cwd: str,
               subject: str) -> list[str]:
    """An edit made on a platform stops a post, and one way on is ``crosspost publish
    --overwrite``, which reads the working-tree file: where that file holds more than the
    push, the work not pushed would be published too (and then kept as an edit made there).
    So give that way as commands that set the work aside, as check mode's advice does."""
    from crosspost.errors import EditedThere

    stopped: dict[str, list[str]] = {}
    for result in failed:
        if isinstance(result.error, EditedThere):
            stopped.setdefault(os.path.relpath(result.path, cwd), []).append(result.target)
    dirty = [j.path for j in blocking if j.path in stopped and not j.worktree_is_wanted()]
    if not dirty:
        return []
    targets = dict.fromkeys(t for path in dirty for t in stopped[path])
    return [f"crosspost: note: {', '.join(dirty)} {'has' if len(dirty) == 1 else 'have'} changes "
            "that are not in this push, which `crosspost publish --overwrite` would send too. To "
            "replace the copy with exactly what is pushed, from the repository's top folder:",
            f"    git stash push -- {words(dirty)}",
            f"    crosspost publish {words(dirty)} {' '.join(f'--to {t}' for t in targets)} "
            "--overwrite",
            "    " + commit_command(subject, dirty, only=True),
            "    git stash pop",
            "  then push again"]


def _problems(blocking: Sequence[Judged], head: Head) -> list[str]:
    problems = []
    errors = [j.path for j in blocking if j.has_error]
    if errors:
        problems.append(f"{', '.join(errors)} cannot be read or rendered as pushed (see above): fix "
                        "it, commit and push again")
    problems.extend(elsewhere(j, head) for j in blocking if not j.has_error
                    and (not j.holds_head or not j.committed))
    missing = [j.path for j in blocking if not j.has_error and j.holds_head and j.worktree is None]
    if missing:
        problems.append(f"{', '.join(missing)} cannot be read in the working tree (deleted, or its "
                        "front matter is broken), where the recorded URLs are written too: restore "
                        "or fix it (`git restore` brings back the committed version) and push again")
    return problems


def _recorded(blocking: Sequence[Judged], report: Report, *, cwd: str) -> list[Recorded]:
    """The posts whose pushed version gained records (new copies, or ones the push lacked)."""
    from crosspost.hook.commit import Recorded

    found = []
    for one in blocking:
        text = report.texts.get(Path(cwd, one.path))
        if one.text is not None and text is not None and text != one.text:
            found.append(Recorded(one.path, one.text, text))
    return found


def _commit(recorded: Sequence[Recorded], head: Head, *, cwd: str, environ: Mapping[str, str],
            subject: str) -> list[str]:
    from crosspost.hook.commit import commit_records

    count = plural(len(recorded), "post")
    paths = [r.path for r in recorded]
    until = ("  until that commit is pushed, pushes stay blocked, so that nothing publishes "
             "these posts again; " + bypass())
    try:
        result = commit_records(recorded, head, cwd=cwd, environ=environ, subject=subject)
    except CrosspostError as exc:  # the URLs above must reach the author whatever happens
        return [f"crosspost: push blocked: the copies above exist, but recording them in git "
                f"failed ({exc}). Their URLs are in the working tree ({', '.join(paths)}); commit "
                "just them, then push:", *staged_record(paths, subject=subject), until]
    lines = [f"crosspost: note: {note}" for note in result.notes]
    if result.commit is not None:
        return [*lines, f"crosspost: recorded the URLs of {count} in a new commit ({result.commit}); "
                "push again"]
    if not result.staged:
        return [*lines, f"crosspost: push blocked: the copies above exist, but `git commit` of "
                f"their URLs failed ({result.failure}). The recorded URLs of {count} are written "
                "in the working tree; commit just them, then push:",
                *staged_record(paths, subject=subject), until]
    return [*lines,
            f"crosspost: push blocked: the copies above exist, but `git commit` of their URLs "
            f"failed ({result.failure}). The recorded URLs of {count} are staged (and written "
            "in the working tree); commit them, then push:",
            *staged_record(paths, subject=subject, cwd=cwd, environ=environ), until]


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


__all__ = ["publish_pushed"]
