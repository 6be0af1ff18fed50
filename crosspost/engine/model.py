"""What the engine hands out: the plan for one post on one target, its result, the report.

These are the only engine types callers (the CLI, the hook, Python users) see, so they hold
data and its presentation (the plan's one-line summary and diff), and nothing that runs.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crosspost.errors import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, CrosspostError
from crosspost.http import HttpSettings

if TYPE_CHECKING:
    from crosspost.engine.drift import Drift
    from crosspost.render import Notice, Rendered
    from crosspost.targets.base import RemotePost


# Plan actions.
CREATE = "create"
UPDATE = "update"
UP_TO_DATE = "up to date"
SKIP = "skip"
MANUAL = "manual"
RECONCILE = "reconcile"
# The EA Forum copy is LessWrong's native crosspost: made and kept in step by the forums,
# settled after LessWrong's turn (engine.native); nothing is sent to the EA Forum.
NATIVE = "native crosspost"

# Result statuses that count as success for the exit status.
SUCCESS = frozenset({"created", "updated", "up to date", "recorded", "manual", "skipped", "planned"})


@dataclass(frozen=True, kw_only=True)
class PublishOptions:
    """Everything a publish run needs, resolved once by the caller (the CLI, the hook)."""

    targets: tuple[str, ...] = ()  # canonical names; empty = the targets in each post's front matter
    dry_run: bool = False
    draft: bool | None = None  # --draft forces drafts everywhere
    force_new: bool = False  # create although a copy exists or may exist (Medium; same title)
    overwrite: bool = False  # replace a copy edited on the platform instead of merging or stopping
    manual: bool = False  # Medium: write an import file instead of calling the API
    environ: Mapping[str, str] = field(default_factory=dict)  # tokens and endpoints come from here
    http: HttpSettings = field(default_factory=HttpSettings)
    jobs: int = 4
    strict: bool = False  # rendering warnings stop that post/target from being sent
    fetch_remote: bool = True  # dry run: read remote copies for the diff when a token is at hand
    confirm: Callable[[Sequence[TargetPlan]], bool] | None = None  # asked before anything goes public
    on_event: Callable[[TargetResult], None] | None = None  # called as each target finishes
    lock_wait: float = 60.0  # seconds to wait for another run's lock on a site
    on_wait: Callable[[str], None] | None = None  # told once when another run holds the lock


@dataclass
class Adoption:
    """A remote post taken as this post's copy, how it was found, and what is left to check.

    ``verify``: before anything is sent, the platform must show the post is this account's
    and (for a link found in the body) that it is plausibly this post. ``fallback`` is the
    rendering to create a new copy with when it is not.
    """

    how: str  # "a link in the post", "`lw-page-url:` in the front matter"
    verify: bool
    plausible_only_by_key: bool = False  # found under a front-matter key: no likeness check
    fallback: Rendered | None = None
    verdict: str = ""  # why it was or was not taken, once checked


@dataclass
class TargetPlan:
    """What will happen to one post on one target, and why."""

    path: Path
    target: str
    action: str
    reason: str = ""
    rendered: Rendered | None = None
    remote_id: str | None = None
    remote_url: str | None = None
    before: str | None = None  # the text the diff starts from
    before_label: str = ""
    before_title: str | None = None  # the title there now, when known
    before_draft: bool | None = None  # the copy's draft state there now, when known
    fields_changed: bool = False  # the text is as sent; tags, description… are not
    # The post is as sent, and --overwrite: the copy is read, and written only when it was
    # edited there (engine.drift)
    overwrite_only: bool = False
    after: str | None = None  # the body that would be sent, when not the rendering (a merge)
    drift: Drift | None = None  # what the update does about edits made there (engine.drift)
    current: RemotePost | None = None  # the copy as an update read it just before writing
    error: CrosspostError | None = None
    # A remote post this plan takes as the post's copy although the post does not record it
    # (a link in a cross-post notice, another tool's key); see engine.ownership.
    adoption: Adoption | None = None

    @property
    def goes_public(self) -> bool:
        """Whether this plan may change what the public sees (asked about on a terminal)."""
        if self.action not in {CREATE, UPDATE, RECONCILE} or self.rendered is None:
            return False
        options = self.rendered.options
        return options.keep_state or not options.draft

    @property
    def notices(self) -> tuple[Notice, ...]:
        return self.rendered.notices if self.rendered is not None else ()

    def summary(self) -> str:
        """One line in the style of ``twine check``: ``post: target: action``."""
        text = self.action
        if self.action == UPDATE and self.remote_url:
            text = f"update {self.remote_url}"
        if self.reason:
            text = f"{text}: {self.reason}" if self.action != UPDATE else f"{text} ({self.reason})"
        if self.rendered is not None and self.rendered.options.draft and self.action in {CREATE, UPDATE}:
            text += " [draft]"
        return text

    def diff(self) -> str:
        """A unified diff from what is there now to what would be sent."""
        if self.rendered is None:
            return ""
        before = self.before if self.before is not None else ""
        after = self.after if self.after is not None else self.rendered.body
        # Title and draft state are part of what is sent: show them when they change.
        heads_before, heads_after = [], []
        if self.before_title is not None and self.before_title != self.rendered.title:
            heads_before.append(f"Title: {self.before_title}\n")
            heads_after.append(f"Title: {self.rendered.title}\n")
        options = self.rendered.options
        if self.before_draft is not None and not options.keep_state \
                and self.before_draft != options.draft:
            heads_before.append(f"State: {'draft' if self.before_draft else 'public'}\n")
            heads_after.append(f"State: {'draft' if options.draft else 'public'}\n")
        if heads_before:
            before = "".join(heads_before) + "\n" + before
            after = "".join(heads_after) + "\n" + after
        label = self.before_label or "before"
        lines = difflib.unified_diff(
            _lines(before), _lines(after),
            fromfile=f"{self.path} ({label})", tofile=f"{self.path} ({self.target})", n=3)
        return "".join(lines)


def _lines(text: str) -> list[str]:
    out = text.replace("\r\n", "\n").splitlines(keepends=True)
    if out and not out[-1].endswith("\n"):
        out[-1] += "\n"
    return out


@dataclass
class TargetResult:
    """How one post fared on one target."""

    path: Path
    target: str
    status: str  # created, updated, up to date, recorded, skipped, manual, planned, failed
    url: str | None = None
    id: str | None = None
    message: str = ""
    error: CrosspostError | None = None
    plan: TargetPlan | None = None

    @property
    def ok(self) -> bool:
        return self.status in SUCCESS


@dataclass
class Report:
    results: list[TargetResult] = field(default_factory=list)
    recorded: list[Path] = field(default_factory=list)  # post files whose front matter changed
    notices: list[str] = field(default_factory=list)  # run-level notes (other posts' journal)
    texts: dict[Path, str] = field(default_factory=dict)  # publish(texts=...): each, recorded

    @property
    def plans(self) -> list[TargetPlan]:
        return [r.plan for r in self.results if r.plan is not None]

    @property
    def exit_code(self) -> int:
        """0 all good, 3 partial, else the failures' common code (1 when they differ)."""
        failed = [r for r in self.results if not r.ok]
        if not failed:
            return EXIT_OK
        if len(failed) < len(self.results):
            return EXIT_PARTIAL
        codes = {r.error.exit_code if r.error is not None else EXIT_FAILED for r in failed}
        return codes.pop() if len(codes) == 1 else EXIT_FAILED


__all__ = ["CREATE", "MANUAL", "NATIVE", "RECONCILE", "SKIP", "SUCCESS", "UPDATE", "UP_TO_DATE", "Adoption",
           "PublishOptions", "Report", "TargetPlan", "TargetResult"]
