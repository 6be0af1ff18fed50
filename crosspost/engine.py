"""Plan and publish: the only module that decides create / update / skip, and runs targets.

(Interface stub: the implementation is being written. Signatures are the contract.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosspost.http import HttpSettings


@dataclass(frozen=True, kw_only=True)
class PublishOptions:
    """Everything a publish run needs, resolved once by the caller (the CLI, the hook)."""

    targets: tuple[str, ...] = ()  # canonical names; empty = the targets in each post's front matter
    dry_run: bool = False
    draft: bool | None = None  # --draft forces drafts everywhere
    force_new: bool = False  # Medium: post again although a copy exists
    manual: bool = False  # Medium: write an import file instead of calling the API
    environ: Mapping[str, str] = field(default_factory=dict)  # tokens and endpoints come from here
    http: HttpSettings = field(default_factory=HttpSettings)
    jobs: int = 4
    confirm: Callable[[Sequence[Any]], bool] | None = None  # asked before anything goes public
    on_event: Callable[[Any], None] | None = None  # progress


@dataclass
class TargetResult:
    path: Path
    target: str
    status: str  # "created", "updated", "up to date", "skipped", "failed", "planned", "manual"
    url: str | None = None
    id: str | None = None
    message: str = ""
    error: Exception | None = None


@dataclass
class Report:
    results: list[TargetResult] = field(default_factory=list)
    recorded: list[Path] = field(default_factory=list)  # post files whose front matter changed

    @property
    def exit_code(self) -> int:
        raise NotImplementedError


def publish(paths: Sequence[Path], options: PublishOptions) -> Report:
    raise NotImplementedError
