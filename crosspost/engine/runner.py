"""The runner of one publish call: tokens, adapters, recording results, reporting them.

Shared by the worker threads: recording a post goes through the post's own lock, the
report through the runner's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosspost.copies import record_of
from crosspost.engine.model import PublishOptions, Report, TargetResult
from crosspost.engine.source import Source
from crosspost.errors import CrosspostError
from crosspost.journal import now_iso, state_dir
from crosspost.platforms import TargetInfo

if TYPE_CHECKING:
    from crosspost.render import Rendered
    from crosspost.targets.base import RemotePost, Target


class Runner:
    """Runs the plans of one publish call; shared by the worker threads."""

    def __init__(self, options: PublishOptions, report: Report) -> None:
        self.options = options
        self.report = report
        self.lock = threading.Lock()
        # What each target's platform answered in this run, by (post, target): a later step
        # may need it (the EA Forum copy LessWrong's create made).
        self.remotes: dict[tuple[Path, str], RemotePost] = {}
        # An adapter that already asked its platform who the user is, handed to the next run
        # of that target on that site (one `currentUser` instead of two).
        self._warm: dict[tuple[str, Path], Target] = {}

    # tokens and adapters

    def endpoint(self, info: TargetInfo) -> str:
        from crosspost.http import check_endpoint

        url = self.options.environ.get(info.endpoint_env) or info.default_endpoint
        return check_endpoint(url, target=info.name, env_var=info.endpoint_env
                              if self.options.environ.get(info.endpoint_env) else None)

    def adapter(self, info: TargetInfo, source: Source, *, token_required: bool = True) -> Target:
        from crosspost import credentials
        from crosspost.targets import load_adapter
        from crosspost.targets.base import TargetContext

        with self.lock:
            warm = self._warm.pop((info.name, source.site.root), None)
        if warm is not None:
            return warm
        endpoint = self.endpoint(info)
        credential = (credentials.require(info, endpoint, self.options.environ) if token_required
                      else credentials.resolve(info, endpoint, self.options.environ))
        identity = None
        if credential is not None and credential.source.startswith("keyring"):
            identity = credentials.cached_identity(info, endpoint)
        context = TargetContext(endpoint=endpoint, token=credential.token if credential else None,
                                http=self.options.http,
                                state_dir=state_dir(source.site.root, create=not self.options.dry_run),
                                cached_identity=identity)
        return load_adapter(info)(context)

    def keep_warm(self, adapter: Target, info: TargetInfo, source: Source) -> None:
        """Keep ``adapter`` for the next :meth:`adapter` call of its target on this site."""
        with self.lock:
            old = self._warm.pop((info.name, source.site.root), None)
            self._warm[(info.name, source.site.root)] = adapter
        if old is not None:
            old.close()

    def close(self) -> None:
        """Release the adapters nobody took."""
        with self.lock:
            left, self._warm = list(self._warm.values()), {}
        for adapter in left:
            adapter.close()

    def has_token(self, info: TargetInfo) -> bool:
        """Whether a token for ``info`` is at hand. An endpoint setting that publishing would
        refuse is not "no token" (which quietly plans offline, or hands Medium's story over
        for import by hand): its ConfigError is raised, as publishing raises it."""
        from crosspost import credentials

        endpoint = self.endpoint(info)
        try:
            return credentials.resolve(info, endpoint, self.options.environ) is not None
        except CrosspostError:
            return False

    # recording

    def record(self, source: Source, target: str, values: Mapping[str, Any]) -> None:
        from crosspost.record import record_results, updated_text

        values = dict(values)
        # `published`: when the copy was first made; `updated`: when it was last sent again.
        if "published" not in values:
            key = "updated" if record_of(source.post, target).get("published") else "published"
            values[key] = now_iso()
        if isinstance(values.get("published"), str):
            # A real timestamp reads back as one (`published: 2026-11-27T04:00:00Z`, unquoted).
            with contextlib.suppress(ValueError):
                values["published"] = _timestamp(values["published"])
        if isinstance(values.get("updated"), str):
            with contextlib.suppress(ValueError):
                values["updated"] = _timestamp(values["updated"])
        with source.lock:
            new_raw = record_results(source.path, {target: values}, expected=source.post.raw)
            if source.pinned:  # keep to the given text; the file may hold more
                new_raw = updated_text(source.post.raw, {target: values}, path=source.path)
            source.post = source.post.with_raw(new_raw)
            source.index.update(source.post)
        with self.lock:
            if source.path not in self.report.recorded:
                self.report.recorded.append(source.path)

    def emit(self, result: TargetResult) -> TargetResult:
        with self.lock:
            self.report.results.append(result)
        if self.options.on_event is not None:
            self.options.on_event(result)
        return result


def _timestamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def record_values(remote: RemotePost, rendered: Rendered, **extra: Any) -> dict[str, Any]:
    """The record of ``remote`` as a copy of ``rendered`` (times are added by the record step).

    The hash covers the draft state the copy really has: when an update left it alone
    (``keep_state``), that is the state the platform answered with.
    """
    from crosspost.render import content_hash

    draft = rendered.options.draft
    if rendered.options.keep_state and remote.draft is not None:
        draft = remote.draft
    values: dict[str, Any] = {"id": remote.id, "url": remote.url,
                              "hash": content_hash(rendered.title, rendered.body, draft),
                              "meta": rendered.meta, "status": None}
    values.update(extra)
    return values


def created_values(remote: RemotePost, rendered: Rendered, *, when: str | None = None,
                   **extra: Any) -> dict[str, Any]:
    """The record of a copy that was just made: its own `published` time (``when`` it was
    made, default now) and no `updated`. A record left from a copy that is gone (its `id`
    and `url` removed to publish a new one) must not lend it the old copy's times."""
    return record_values(remote, rendered, published=when or now_iso(), updated=None, **extra)


__all__ = ["Runner", "created_values", "record_values"]
