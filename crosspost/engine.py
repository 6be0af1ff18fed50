"""Plan and publish: the one module that decides create / update / skip, and runs the targets.

Data flows one way::

    load (Post, Site) → render (Rendered) → plan (TargetPlan) → publish (adapters) → record

* **plan** is offline: the front-matter record, the body hash, the journal, and links to the
  post's own copy in its body decide the action. A dry run stops here (optionally reading
  the remote copies for the diff when a token is at hand) and writes nothing anywhere.
* **publish** runs every (post, database) group concurrently. Targets sharing a database
  (LessWrong and the Alignment Forum) run one after the other inside their group, so an
  Alignment Forum run reuses the LessWrong post instead of creating a second one.
* Every remote write is journaled before it is sent (:mod:`crosspost.journal`); unfinished
  entries are reconciled before anything new is sent for that post and target.
* **record** is the only step that writes the post file (:mod:`crosspost.record`), under a
  per-file lock, always against the text this run last saw.

Nothing here prints, prompts or exits: callers get a :class:`Report`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosspost.errors import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PARTIAL,
    AmbiguousWrite,
    CrosspostError,
    InputError,
    NotFound,
)
from crosspost.http import HttpSettings
from crosspost.journal import Entry, Journal, entry_name, now_iso, state_dir
from crosspost.platforms import TARGETS, TargetInfo
from crosspost.status import recorded_state

if TYPE_CHECKING:
    from crosspost.post import Post
    from crosspost.render import Notice, Rendered
    from crosspost.sites import Site
    from crosspost.targets.base import RemotePost, Target

log = logging.getLogger("crosspost.engine")

# Plan actions.
CREATE = "create"
UPDATE = "update"
UP_TO_DATE = "up to date"
SKIP = "skip"
MANUAL = "manual"
RECONCILE = "reconcile"

# Result statuses that count as success for the exit status.
SUCCESS = frozenset({"created", "updated", "up to date", "recorded", "manual", "skipped", "planned"})


@dataclass(frozen=True, kw_only=True)
class PublishOptions:
    """Everything a publish run needs, resolved once by the caller (the CLI, the hook)."""

    targets: tuple[str, ...] = ()  # canonical names; empty = the targets in each post's front matter
    dry_run: bool = False
    draft: bool | None = None  # --draft forces drafts everywhere
    force_new: bool = False  # Medium: post again although a copy (maybe) exists
    manual: bool = False  # Medium: write an import file instead of calling the API
    environ: Mapping[str, str] = field(default_factory=dict)  # tokens and endpoints come from here
    http: HttpSettings = field(default_factory=HttpSettings)
    jobs: int = 4
    strict: bool = False  # rendering warnings stop that post/target from being sent
    fetch_remote: bool = True  # dry run: read remote copies for the diff when a token is at hand
    confirm: Callable[[Sequence[TargetPlan]], bool] | None = None  # asked before anything goes public
    on_event: Callable[[TargetResult], None] | None = None  # called as each target finishes


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
    error: CrosspostError | None = None

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
        after = self.rendered.body
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


# -- loading ------------------------------------------------------------------------------


@dataclass
class _Source:
    """One post file during a run: what we read, and a lock for writing it back."""

    path: Path
    post: Post
    site: Site
    journal: Journal
    lock: threading.Lock = field(default_factory=threading.Lock)


def _load(paths: Sequence[Path]) -> tuple[list[_Source], list[TargetResult]]:
    from crosspost.post import Post
    from crosspost.sites import SiteCache

    sites = SiteCache()
    sources: list[_Source] = []
    failures: list[TargetResult] = []
    for path in paths:
        try:
            post = Post.from_path(path)  # under the user's own path, for every message
            site = sites.for_post(Path(path))
        except CrosspostError as exc:
            if len(paths) == 1:
                raise
            failures.append(TargetResult(Path(path), "*", "failed", message=str(exc), error=exc))
            continue
        sources.append(_Source(Path(path), post, site, Journal(site.root)))
    return sources, failures


def targets_for(post: Post, requested: Sequence[str]) -> list[str]:
    """The targets to run for ``post``: the requested ones, else those in its front matter."""
    names = list(requested) if requested else list(post.crosspost)
    return sorted(dict.fromkeys(names), key=lambda n: list(TARGETS).index(n))


# -- planning -----------------------------------------------------------------------------


def _record_of(post: Post, target: str) -> dict[str, Any]:
    return dict(post.crosspost.get(target, {}))


def _same_database(info: TargetInfo) -> list[TargetInfo]:
    """The other targets that show the same posts (LessWrong and the Alignment Forum)."""
    return [other for other in TARGETS.values()
            if other.name != info.name and other.database == info.database]


def _shared_record(post: Post, info: TargetInfo) -> tuple[str, dict[str, Any]] | None:
    """A record of the same remote post under another target with the same database."""
    for other in _same_database(info):
        record = _record_of(post, other.name)
        if record.get("id"):
            return other.name, record
    return None


def _render(source: _Source, target: str, options: PublishOptions) -> Rendered:
    from crosspost.render import render_post

    block = source.post.crosspost.get(target)
    target_options = source.site.settings.options_for(
        target, block, where=f"{source.path}: crosspost.{target}", draft=options.draft)
    return render_post(source.post, source.site, target, target_options)


def _plan_one(source: _Source, target: str, options: PublishOptions) -> TargetPlan:
    plan = _decide(source, target, options)
    if plan.goes_public and plan.error is None and plan.rendered is not None:
        why = source.site.unpublished_reason(source.post)
        if why is not None:
            # Its canonical URL does not exist yet: the attribution line and Medium's
            # canonical link would point at a 404. A draft copy is fine (it is private).
            plan.action = SKIP
            plan.reason = (f"the post is not live on your site ({why}), so its address would "
                           "not work; publish it on the site first, or send a draft with --draft")
    return plan


def _decide(source: _Source, target: str, options: PublishOptions) -> TargetPlan:
    info = TARGETS[target]
    plan = TargetPlan(path=source.path, target=target, action=CREATE)
    try:
        rendered = _render(source, target, options)
    except CrosspostError as exc:
        plan.action, plan.error, plan.reason = SKIP, exc, str(exc)
        return plan
    extra = _payload_notices(rendered)
    if extra:
        rendered = rendered.with_body(rendered.body, notices=rendered.notices + extra)
    plan.rendered = rendered
    plan.before, plan.before_label = source.post.body, "source"
    plan.before_title = source.post.title
    if options.strict and rendered.warnings:
        plan.action = SKIP
        plan.error = InputError(f"{len(rendered.warnings)} rendering warning(s) and --strict",
                                hint="fix them or drop --strict; nothing was sent", target=target)
        plan.reason = str(plan.error)
        return plan

    entry = source.journal.get(source.path, target)
    record = _record_of(source.post, target)
    for other in _same_database(info):
        if source.journal.get(source.path, other.name) is not None:
            plan.action = SKIP
            plan.reason = (f"an interrupted run on {other.label} (the same database) must be "
                           f"settled first: run `crosspost publish {source.path} --to {other.name}`")
            return plan
    if entry is not None:
        plan.action = RECONCILE
        plan.reason = ("an earlier run was interrupted while sending; it will be checked "
                       "before anything new is sent" if entry.state == "sending"
                       else "an earlier run's result will be recorded first")
        return plan

    remote_id = record.get("id")
    remote_url = record.get("url")
    how = ""
    if not remote_id:
        shared = _shared_record(source.post, info)
        if shared is not None:
            shared_name, shared_record = shared
            remote_id = shared_record.get("id")
            remote_url = _url_on(info, str(remote_id), shared_record.get("url"))
            how = f"the same post as on {TARGETS[shared_name].label}"
    if not remote_id and rendered.self_ids:
        remote_id = rendered.self_ids[0]
        remote_url = _post_url(info, remote_id)
        how = "found a link to it in the post"
    if remote_id:
        plan.remote_id, plan.remote_url = str(remote_id), remote_url
        # An existing copy keeps its draft or public state unless the post itself says
        # `draft:`; a site-wide default and --draft shape new copies only.
        block = source.post.crosspost.get(target, {})
        explicit = "draft" in block
        rendered = rendered.with_body(rendered.body, options=rendered.options.replace(
            draft=bool(block["draft"]) if explicit else rendered.options.draft,
            keep_state=not explicit))
        plan.rendered = rendered
        sent = _last_sent(source, target)
        if sent is not None:
            plan.before, plan.before_label = sent, "last sent"
        if str(record.get("status", "")) == "uncertain":
            plan.action = SKIP if not options.force_new else CREATE
            plan.reason = (_UNCERTAIN if not options.force_new
                           else "posting again because of --force-new")
            return plan
        if not how and recorded_state(record.get("hash"), rendered, explicit_draft=explicit):
            plan.action = UP_TO_DATE
            return plan
        if not info.can_update:
            if how:
                plan.action, plan.reason = UPDATE, f"{how}; it will be recorded"
                return plan
            if options.force_new:
                plan.action, plan.reason = CREATE, "posting a new copy because of --force-new"
                return plan
            plan.action = SKIP
            plan.reason = (f"changed since publish: {info.label}'s API cannot update; "
                           f"edit {remote_url or 'the post'} by hand, or pass --force-new")
            return plan
        plan.action, plan.reason = UPDATE, how
        return plan
    if str(record.get("status", "")) == "uncertain" and not options.force_new:
        plan.action, plan.reason = SKIP, _UNCERTAIN
        return plan
    if info.name == "medium" and options.manual:
        plan.action, plan.reason = MANUAL, "writing a file for Medium's 'Import a story'"
    return plan


def _payload_notices(rendered: Rendered) -> tuple[Notice, ...]:
    from crosspost.targets import payload_notices

    try:
        return payload_notices(rendered)
    except CrosspostError as exc:  # surfaces again, with context, when publishing
        log.info("%s: %s", rendered.target, exc)
        return ()


_UNCERTAIN = ("an earlier create may have succeeded and Medium's API cannot look it up: check "
              "https://medium.com/me/stories, then `crosspost link` its URL, or pass --force-new")


def _url_on(info: TargetInfo, remote_id: str, other_url: object) -> str:
    """The URL of a shared-database post on ``info``'s host (AF and LW show the same post)."""
    if isinstance(other_url, str) and "/posts/" in other_url:
        return info.site_url + other_url[other_url.index("/posts/"):]
    return _post_url(info, remote_id)


def _post_url(info: TargetInfo, remote_id: str) -> str:
    """A URL that reaches post ``remote_id`` (forums: ``/posts/<id>``; Medium: ``/p/<id>``)."""
    return f"{info.site_url}/p/{remote_id}" if info.dialect == "medium" else \
        f"{info.site_url}/posts/{remote_id}"


def _sent_path(source: _Source, target: str) -> Path:
    return state_dir(source.site.root) / "sent" / entry_name(source.journal.relpath(source.path),
                                                              target).replace(".json", ".txt")


def _last_sent(source: _Source, target: str) -> str | None:
    try:
        return _sent_path(source, target).read_text(encoding="utf-8")
    except OSError:
        return None


def plan(paths: Sequence[Path], options: PublishOptions) -> list[TargetPlan]:
    """The plans for ``paths`` (offline; see :func:`publish` with ``dry_run`` for the diffs)."""
    sources, _ = _load(paths)
    return [_plan_one(s, t, options) for s in sources for t in targets_for(s.post, options.targets)]


# -- publishing ---------------------------------------------------------------------------


class _Runner:
    """Runs the plans of one publish call; shared by the worker threads."""

    def __init__(self, options: PublishOptions, report: Report) -> None:
        self.options = options
        self.report = report
        self.lock = threading.Lock()

    # tokens and adapters

    def endpoint(self, info: TargetInfo) -> str:
        from crosspost.http import check_endpoint

        url = self.options.environ.get(info.endpoint_env) or info.default_endpoint
        return check_endpoint(url, target=info.name, env_var=info.endpoint_env
                              if self.options.environ.get(info.endpoint_env) else None)

    def adapter(self, info: TargetInfo, source: _Source, *, token_required: bool = True) -> Target:
        from crosspost import credentials
        from crosspost.targets import load_adapter
        from crosspost.targets.base import TargetContext

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

    def has_token(self, info: TargetInfo) -> bool:
        from crosspost import credentials

        try:
            return credentials.resolve(info, self.endpoint(info), self.options.environ) is not None
        except CrosspostError:
            return False

    # recording

    def record(self, source: _Source, target: str, values: Mapping[str, Any]) -> None:
        from crosspost.record import record_results

        values = dict(values)
        # `published`: when the copy was first made; `updated`: when it was last sent again.
        if "published" not in values:
            key = "updated" if _record_of(source.post, target).get("published") else "published"
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
            source.post = source.post.with_raw(new_raw)
        with self.lock:
            if source.path not in self.report.recorded:
                self.report.recorded.append(source.path)

    def remember_sent(self, source: _Source, target: str, body: str) -> None:
        from crosspost.fsutil import atomic_write_text

        path = _sent_path(source, target)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, body)
        except OSError as exc:  # a cache; losing it costs only an offline diff
            log.info("could not keep a copy of what was sent (%s)", exc)

    def emit(self, result: TargetResult) -> TargetResult:
        with self.lock:
            self.report.results.append(result)
        if self.options.on_event is not None:
            self.options.on_event(result)
        return result


def _timestamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _values(remote: RemotePost, rendered: Rendered, **extra: Any) -> dict[str, Any]:
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
                              "status": None}
    values.update(extra)
    return values


def _run_group(runner: _Runner, source: _Source, plans: list[TargetPlan]) -> None:
    """Run one post's targets that share a database, in order (LessWrong before AF).

    Each target after the first is planned again when its turn comes: it then sees what the
    earlier ones recorded (the post LessWrong just created is the one the Alignment Forum
    updates with ``af: true``), so a shared database never gets two copies.
    """
    for index, planned in enumerate(plans):
        plan = planned
        if index and planned.error is None:
            plan = _plan_one(source, planned.target, runner.options)
        try:
            result = _run_one(runner, source, plan)
        except CrosspostError as exc:
            exc.with_context(target=plan.target)
            result = TargetResult(plan.path, plan.target, "failed", message=str(exc), error=exc,
                                  plan=plan)
        runner.emit(result)


def _run_one(runner: _Runner, source: _Source, plan: TargetPlan) -> TargetResult:
    info = TARGETS[plan.target]
    if plan.error is not None:
        raise plan.error
    rendered = plan.rendered
    assert rendered is not None

    if plan.action == UP_TO_DATE:
        return TargetResult(plan.path, plan.target, "up to date", url=plan.remote_url,
                            id=plan.remote_id, plan=plan)
    if plan.action == SKIP:
        return TargetResult(plan.path, plan.target, "skipped", url=plan.remote_url,
                            message=plan.reason, plan=plan)
    if plan.action == MANUAL or (info.name == "medium" and not runner.has_token(info)
                                 and plan.action == CREATE):
        return _manual(runner, source, plan)

    adapter = runner.adapter(info, source)
    with adapter:
        if plan.action == RECONCILE:
            settled = _reconcile(runner, source, plan, adapter)
            if settled is not None:
                return settled
        if plan.action == UPDATE and plan.remote_id:
            return _update(runner, source, plan, adapter)
        return _create(runner, source, plan, adapter)


def _create(runner: _Runner, source: _Source, plan: TargetPlan, adapter: Target) -> TargetResult:
    rendered = plan.rendered
    assert rendered is not None
    entry = source.journal.begin(source.path, plan.target, action=CREATE, title=rendered.title,
                                 body=rendered.body, content_hash=rendered.hash)
    try:
        remote = adapter.create(rendered)
    except AmbiguousWrite as exc:
        return _after_ambiguous(runner, source, plan, adapter, entry, exc)
    except CrosspostError as exc:
        created = exc.created
        if created is not None:
            # The post exists (a draft whose publishing failed): record it so the next run
            # updates it. Record the hash as unknown so that update is certain to happen.
            runner.record(source, plan.target, _values(created, rendered, hash=None))  # type: ignore[arg-type]
        source.journal.clear(entry)
        raise
    return _settle(runner, source, plan, entry, remote, "created")


def _update(runner: _Runner, source: _Source, plan: TargetPlan, adapter: Target) -> TargetResult:
    rendered = plan.rendered
    assert rendered is not None
    assert plan.remote_id is not None
    info = TARGETS[plan.target]
    if not info.can_update:
        # Medium: a copy found in the body or under a sibling record is recorded, not sent.
        from crosspost.targets.base import RemotePost

        remote = RemotePost(plan.remote_id, plan.remote_url or "")
        runner.record(source, plan.target, _values(remote, rendered))
        return TargetResult(plan.path, plan.target, "recorded", url=remote.url, id=remote.id,
                            plan=plan)
    entry = source.journal.begin(source.path, plan.target, action=UPDATE, title=rendered.title,
                                 body=rendered.body, content_hash=rendered.hash,
                                 remote_id=plan.remote_id)
    try:
        remote = adapter.update(plan.remote_id, rendered)
    except NotFound as exc:
        source.journal.clear(entry)
        raise NotFound(f"the recorded post {plan.remote_id} does not exist on {info.label} "
                       "(deleted, or recorded for another account)",
                       hint=f"nothing was created; remove `crosspost.{plan.target}.id` from "
                       "the front matter to publish a new copy", target=plan.target,
                       status=exc.status) from exc
    except CrosspostError:
        source.journal.clear(entry)  # an update is safe to send again; nothing to reconcile
        raise
    return _settle(runner, source, plan, entry, remote, "updated")


def _settle(runner: _Runner, source: _Source, plan: TargetPlan, entry: Entry, remote: RemotePost,
            status: str) -> TargetResult:
    rendered = plan.rendered
    assert rendered is not None
    values = _values(remote, rendered)
    source.journal.finish(entry, values)
    runner.record(source, plan.target, values)
    source.journal.clear(entry)
    runner.remember_sent(source, plan.target, rendered.body)
    return TargetResult(plan.path, plan.target, status, url=remote.url, id=remote.id, plan=plan)


def _after_ambiguous(runner: _Runner, source: _Source, plan: TargetPlan, adapter: Target,
                     entry: Entry, error: AmbiguousWrite) -> TargetResult:
    """The create was sent and the answer was lost: ask the platform, never resend."""
    rendered = plan.rendered
    assert rendered is not None
    try:
        found = adapter.find_existing(rendered)
    except CrosspostError as exc:
        log.info("%s: could not look for the post after a lost reply: %s", plan.target, exc)
        found = None
    if found is not None:
        if found.draft and not rendered.options.draft:
            # The lost reply left a draft behind (the forums create drafts, then publish them):
            # record it, then publish it by updating it.
            runner.record(source, plan.target, _values(found, rendered, hash=None))
            source.journal.clear(entry)
            plan.remote_id, plan.remote_url = found.id, found.url
            result = _update(runner, source, plan, adapter)
            result.status = "created"
            return result
        return _settle(runner, source, plan, entry, found, "created")
    if not TARGETS[plan.target].can_update:
        # The platform cannot be asked (Medium): mark the post so no later run posts again
        # silently. The adapter's message already says what to check and how to go on.
        runner.record(source, plan.target, {"status": "uncertain", "published": now_iso(),
                                            "hash": rendered.hash})
        source.journal.clear(entry)
        raise error
    raise AmbiguousWrite(
        f"{error.message}; no copy was found yet",
        hint="run the same command again: it checks for the post before creating anything",
        target=plan.target) from error


def _reconcile(runner: _Runner, source: _Source, plan: TargetPlan,
               adapter: Target) -> TargetResult | None:
    """Settle the journal entry an earlier run left; None = carry on with the plan."""
    from crosspost.render import Rendered

    entry = source.journal.get(source.path, plan.target)
    rendered = plan.rendered
    assert rendered is not None
    if entry is None:
        return None
    if entry.state == "done" and entry.result.get("id"):
        runner.record(source, plan.target, entry.result)
        source.journal.clear(entry)
        log.info("%s: recorded the result an earlier run left in the journal", plan.target)
    elif entry.action == UPDATE:
        source.journal.clear(entry)  # updates are idempotent: just send it again
    else:
        sent = Rendered(target=plan.target, title=entry.title, body=entry.body,
                        format=rendered.format, canonical_url=rendered.canonical_url,
                        options=rendered.options, source_path=rendered.source_path)
        found = adapter.find_existing(sent) if entry.title else None
        if found is not None:
            # A draft where a public post was meant must still be published: no hash, so
            # the plan below turns into an update.
            unfinished = bool(found.draft) and not sent.options.draft
            values = _values(found, sent, hash=None if unfinished else entry.hash)
            runner.record(source, plan.target, values)
            source.journal.clear(entry)
            log.info("%s: found the post an interrupted run created: %s", plan.target, found.url)
        elif not TARGETS[plan.target].can_update:
            runner.record(source, plan.target, {"status": "uncertain", "hash": entry.hash,
                                                "published": entry.started or now_iso()})
            source.journal.clear(entry)
            if not runner.options.force_new:
                return TargetResult(plan.path, plan.target, "failed", message=_UNCERTAIN,
                                    error=AmbiguousWrite(_UNCERTAIN, target=plan.target),
                                    plan=plan)
        else:
            source.journal.clear(entry)  # searched: the create never happened
    # Re-plan against the record we now have.
    fresh = _plan_one(source, plan.target, runner.options)
    plan.action, plan.remote_id, plan.remote_url, plan.reason = (
        fresh.action, fresh.remote_id, fresh.remote_url, fresh.reason)
    if plan.action == UP_TO_DATE:
        current = _record_of(source.post, plan.target)
        return TargetResult(plan.path, plan.target, "recorded", url=current.get("url"),
                            id=current.get("id"), plan=plan,
                            message="recorded the copy an interrupted run made")
    if plan.action == SKIP:
        return TargetResult(plan.path, plan.target, "skipped", message=plan.reason, plan=plan)
    return None


def _manual(runner: _Runner, source: _Source, plan: TargetPlan) -> TargetResult:
    from crosspost.targets import medium_import

    rendered = plan.rendered
    assert rendered is not None
    dest = state_dir(source.site.root, create=True) / "medium"
    dest.mkdir(parents=True, exist_ok=True)
    path = medium_import.write_import_file(rendered, dest)
    steps = medium_import.import_instructions(rendered, path)
    return TargetResult(plan.path, plan.target, "manual", message="\n".join(steps), plan=plan)


# -- the entry point ----------------------------------------------------------------------


def publish(paths: Sequence[Path], options: PublishOptions) -> Report:
    """Publish (or, with ``dry_run``, plan) every post on its targets. Never raises for a
    target's failure: each outcome is in the report. Raises only when a single post
    cannot be read at all (nothing was attempted)."""
    report = Report()
    sources, failures = _load([Path(p) for p in paths])
    for failure in failures:
        report.results.append(failure)

    runner = _Runner(options, report)
    plans: list[tuple[_Source, TargetPlan]] = []
    for source in sources:
        names = targets_for(source.post, options.targets)
        if not names:
            if len(paths) == 1:
                raise InputError(f"{source.path}: the post names no target",
                                 hint="add a `crosspost:` block to its front matter, or pass --to")
            # Among many posts, those that ask for no target are simply not cross-posted.
            runner.emit(TargetResult(source.path, "*", "skipped", message="asks for no target"))
            continue
        plans.extend((source, _plan_one(source, name, options)) for name in names)

    _chain_shared_creates(plans)
    if options.dry_run:
        _finish_dry_run(runner, plans)
        return report

    going_public = [p for _, p in plans if p.goes_public]
    if going_public and options.confirm is not None and not options.confirm(going_public):
        for _, p in plans:
            runner.emit(TargetResult(p.path, p.target, "cancelled",
                                     message="not confirmed; nothing was sent", plan=p))
        return report

    groups: dict[tuple[int, str], list[TargetPlan]] = {}
    by_key: dict[tuple[int, str], _Source] = {}
    for source, p in plans:
        key = (id(source), TARGETS[p.target].database)
        groups.setdefault(key, []).append(p)
        by_key[key] = source
    _note_other_entries(report, sources, plans)
    _run_groups(runner, [(by_key[key], group) for key, group in groups.items()])
    _link_new_siblings(runner, sources)
    order = {(p.path, p.target): i for i, (_, p) in enumerate(plans)}
    report.results.sort(key=lambda r: order.get((r.path, r.target), -1))
    return report


def _run_groups(runner: _Runner, groups: Sequence[tuple[_Source, list[TargetPlan]]]) -> None:
    jobs = max(1, min(runner.options.jobs, len(groups)))
    if jobs == 1:
        for source, group in groups:
            _run_group(runner, source, group)
        return
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="crosspost") as pool:
        futures = [pool.submit(_run_group, runner, source, group) for source, group in groups]
        for future in futures:
            future.result()


def _link_new_siblings(runner: _Runner, sources: Sequence[_Source]) -> None:
    """One more pass when posts of this run link to each other.

    A post that links to a sibling points at the sibling's copy on the same target, but
    only once that copy exists: when both are published in one run, the first pass sent the
    link to the sibling's site URL. Now that every copy is recorded, posts whose rendering
    changed are updated again (where the target can update), so one run settles the batch.
    """
    made = {(r.target) for r in runner.report.results if r.status == "created"}
    if len(sources) < 2 or not made:
        return
    for source in sources:
        source.site.remember(source.post)
    again: list[tuple[_Source, list[TargetPlan]]] = []
    done = {(r.path, r.target) for r in runner.report.results if r.ok}
    for source in sources:
        group = []
        for target in made:
            if not TARGETS[target].can_update or (source.path, target) not in done:
                continue
            plan = _plan_one(source, target, runner.options)
            if plan.action == UPDATE and plan.error is None:
                plan.reason = "links to copies made in this run"
                group.append(plan)
        if group:
            again.append((source, group))
    if not again:
        return
    first = {(r.path, r.target): r for r in runner.report.results}
    before = len(runner.report.results)
    _run_groups(runner, again)
    # Keep one line per post and target: the first pass's outcome, unless the second failed.
    for result in runner.report.results[before:]:
        earlier = first.get((result.path, result.target))
        if earlier is not None and result.ok:
            runner.report.results.remove(result)
        elif earlier is not None:
            runner.report.results.remove(earlier)


def _chain_shared_creates(plans: Sequence[tuple[_Source, TargetPlan]]) -> None:
    """Within one post, a second target on the same database updates what the first creates."""
    creating: dict[tuple[int, str], str] = {}
    for source, plan in plans:
        key = (id(source), TARGETS[plan.target].database)
        if plan.action != CREATE:
            continue
        if key in creating:
            plan.action = UPDATE
            plan.reason = f"the same post as on {TARGETS[creating[key]].label}, once created there"
        else:
            creating[key] = plan.target


def _finish_dry_run(runner: _Runner, plans: Iterable[tuple[_Source, TargetPlan]]) -> None:
    """Fill in remote copies for the diffs (when possible) and report each plan."""
    for source, plan in plans:
        info = TARGETS[plan.target]
        if (runner.options.fetch_remote and plan.action == UPDATE and plan.remote_id
                and info.can_update and runner.has_token(info)):
            try:
                with runner.adapter(info, source) as adapter:
                    remote = adapter.fetch(plan.remote_id)
                if remote.body is not None:
                    plan.before, plan.before_label = remote.body, f"on {info.label} now"
                    plan.before_title, plan.before_draft = remote.title, remote.draft
                    rendered = plan.rendered
                    same_state = (rendered is not None and (rendered.options.keep_state
                                                            or remote.draft == rendered.options.draft))
                    if rendered is not None and remote.body == rendered.body \
                            and remote.title == rendered.title and same_state:
                        plan.action, plan.reason = UP_TO_DATE, "the remote copy matches"
            except CrosspostError as exc:
                plan.reason = (plan.reason + "; " if plan.reason else "") + \
                    f"could not read the remote copy: {exc}"
        status = "failed" if plan.error is not None else "planned"
        runner.emit(TargetResult(plan.path, plan.target, status, url=plan.remote_url,
                                 id=plan.remote_id, message=plan.reason, error=plan.error,
                                 plan=plan))


def _note_other_entries(report: Report, sources: Sequence[_Source],
                        plans: Sequence[tuple[_Source, TargetPlan]]) -> None:
    """Unfinished journal entries of posts not in this run: say so, once."""
    in_run = {(s.journal.relpath(s.path), p.target) for s, p in plans}
    seen: set[Path] = set()
    for source in sources:
        root = source.site.root.resolve()
        if root in seen:
            continue
        seen.add(root)
        for entry in source.journal.entries():
            if (entry.post, entry.target) not in in_run:
                report.notices.append(
                    f"{entry.post}: an interrupted {entry.action} on {entry.target} is "
                    f"unfinished; run `crosspost publish {entry.post} --to {entry.target}` to settle it")


__all__ = ["PublishOptions", "Report", "TargetPlan", "TargetResult", "plan", "publish",
           "targets_for"]
