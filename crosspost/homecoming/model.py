"""What ``crosspost import`` is asked (:class:`ImportOptions`) and what it answers
(:class:`ImportReport`): the library never prints, the command does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crosspost.errors import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, CrosspostError

if TYPE_CHECKING:
    from crosspost.http import HttpSettings

WRITTEN = "written"  # a new post file (and its images) is in the site
PLANNED = "would write"  # a dry run's answer
ALREADY = "already in the site"  # a file of the site has this copy: nothing written
SKIPPED = "skipped"  # not an article (a shortform container, an event)
FAILED = "failed"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class ImportOptions:
    """One import: by address (``urls``) or every post of ``user`` on ``source``."""

    urls: tuple[str, ...] = ()
    source: str | None = None  # --from: the platform of --user
    user: str | None = None
    since: dt.datetime | None = None
    limit: int | None = None
    site: Path = Path(".")
    dry_run: bool = False
    keep_remote_images: bool = False
    environ: Mapping[str, str] = field(default_factory=dict)
    http: HttpSettings | None = None
    jobs: int = 4
    lock_wait: float = 60.0
    on_wait: Callable[[str], None] | None = None
    on_total: Callable[[int], None] | None = None  # how many posts there are to do
    on_event: Callable[[ImportResult], None] | None = None  # one post done
    now: Callable[[], dt.datetime] = _now


@dataclass
class ImportResult:
    """What became of one post."""

    given: str  # the address as given (or the post's address when listed)
    status: str
    title: str = ""
    path: Path | None = None  # the new file, or (already) the file that has the copy
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    front_matter: str = ""  # a dry run shows it
    images: list[tuple[str, Path]] = field(default_factory=list)  # (address, file)
    error: CrosspostError | None = None

    @property
    def ok(self) -> bool:
        return self.status != FAILED


@dataclass
class ImportReport:
    site_root: Path
    results: list[ImportResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def exit_code(self) -> int:
        failed = [r for r in self.results if r.status == FAILED]
        if not failed:
            return EXIT_OK
        if len(failed) < len(self.results):
            return EXIT_PARTIAL
        if len(failed) == 1 and failed[0].error is not None:
            return failed[0].error.exit_code
        return EXIT_FAILED


__all__ = ["ALREADY", "FAILED", "PLANNED", "SKIPPED", "WRITTEN", "ImportOptions", "ImportReport",
           "ImportResult"]
