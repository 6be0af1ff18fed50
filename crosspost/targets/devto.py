"""dev.to through the Forem API v1 (reference devto.md; "§" below points into it).

Every request carries ``api-key`` and ``Accept: application/vnd.forem.api-v1+json`` (without
it the beta v0 API answers, §A1). Requests:

* ``whoami``: ``GET /api/users/me``.
* ``create``: one ``POST /api/articles``, never resent after it may have arrived.
* ``update``: one ``PUT /api/articles/{id}``; the state (``published``) is sent only when the
  post says what it wants, and ``tags`` always (a PUT without them has been seen to wipe
  them, §A3).
* ``fetch`` and ``find_existing``: ``GET /api/articles/me/all`` page by page (it has drafts,
  ``body_markdown`` and is not edge-cached, §A4), plus ``GET /api/articles/{id}`` for a live
  article's ``edited_at``.

Traps that answer with success, and what is done about them:

* The response to a create has no ``published`` field: a draft is an article whose
  ``published_at`` is null (§A2). A draft's slug is temporary and changes when it is published,
  so the URL recorded is always the one in the last answer (§A3).
* Front matter inside ``body_markdown`` overrides the API's fields, and Liquid in it renders
  silently wrong: the body comes from the ``devto`` dialect (``render/devto.py``), which
  leaves neither.

Exactly once: a create whose answer was lost, timed out or came back as a 5xx is an
:class:`~crosspost.errors.AmbiguousWrite`; the engine then asks :meth:`DevTo.find_existing`,
which looks through the account's articles for the canonical URL, then for the title with
the same body. The two duplicate guards (§A4) lead to the same search from inside
:meth:`DevTo.create`: "Body markdown has already been taken" and "Canonical url has already
been taken" name a copy that already exists; when it is the account's own it is adopted
(and updated to the post as it is now), otherwise the error says whose it is not.

Pacing (§A6): Rack::Attack lets through one write per second per key and three reads per
second, counted in whole-second windows, and answers more with 429. Requests through one key
are spaced a little more than that apart, across every adapter in the process; a 429 is
answered by waiting its ``Retry-After`` (a create too: a throttled request never reached the
application) as long as that is within ``HttpSettings.max_wait``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from crosspost.errors import (
    AmbiguousWrite,
    AuthError,
    ConfigError,
    CredentialError,
    CrosspostError,
    InputError,
    NotFound,
    ProtocolError,
    RateLimited,
    Rejected,
)
from crosspost.platforms import TARGETS
from crosspost.render import Notice
from crosspost.targets.base import Identity, RemotePost, Target, TargetContext, post_tags, title_key

if TYPE_CHECKING:
    import httpx

    from crosspost.render import Rendered

log = logging.getLogger("crosspost.targets.devto")

NAME = "devto"
ACCEPT = "application/vnd.forem.api-v1+json"  # §A1
MAX_TITLE = 128  # §A5
MAX_BODY_BYTES = 800 * 1024  # §A5
TAG_LIMIT = 4  # §A5 "Tag list exceed the maximum of 4 tags"
TAG_LENGTH = 30  # §A5
PER_PAGE = 100  # of /articles/me/all (the server's maximum is 1000, §A4)
MAX_PAGES = 100
# Rack::Attack's api_write_throttle and api_throttle (§A6), and a margin so that network
# jitter never brings two requests into one of its one-second windows.
WRITE_INTERVAL = 1.0
READ_INTERVAL = 1.0 / 3
MARGIN = 0.05

CANONICAL_TAKEN = "Canonical url has already been taken"
BODY_TAKEN = "Body markdown has already been taken"
DASHBOARD = "https://dev.to/dashboard"
# Forem refuses these outside code before saving (devto.md §A5, `catch_xss_attempts`).
_XSS = re.compile(r"src=[\"'](?:data|&)", re.IGNORECASE)
_CODE = re.compile(r"(~{3}|`{3}|`{2}|`)[\s\S]*?\1")


# -- the payload (pure) -------------------------------------------------------------------------


@dataclass(frozen=True)
class DevtoPayload:
    """The request body (``{"article": {...}}``) and what the user should know about it."""

    body: dict[str, Any]
    notices: tuple[Notice, ...] = ()


def prepare(rendered: Rendered) -> DevtoPayload:
    """The create payload for ``rendered`` (no I/O). ``update`` sends the same fields."""
    notices: list[Notice] = []
    path = str(rendered.source_path)
    article: dict[str, Any] = {
        "title": rendered.title,
        "body_markdown": rendered.body,
        "published": not rendered.options.draft,
        "canonical_url": rendered.canonical_url,
    }
    tags, dropped = select_tags(rendered.options.tags or post_tags(rendered))
    article["tags"] = tags  # always an array: a comma string is silently dropped (§A2)
    if dropped:
        notices.append(Notice(path, None, f"dev.to takes at most {TAG_LIMIT} tags of letters and "
                              f"digits, up to {TAG_LENGTH} long; not sent: " + ", ".join(dropped)))
    for key, field_name in (("description", "description"), ("series", "series"),
                            ("cover_image", "main_image")):
        value = rendered.extra.get(key)
        if isinstance(value, str) and value:
            article[field_name] = value
    if len(rendered.title) > MAX_TITLE:
        notices.append(Notice(path, None, f"dev.to accepts titles of at most {MAX_TITLE} "
                              f"characters; set a shorter `title` under crosspost.{NAME}"))
    return DevtoPayload({"article": article}, tuple(notices))


def select_tags(tags: Sequence[str]) -> tuple[list[str], list[str]]:
    """(the tags as dev.to takes them, the ones left out with the reason).

    dev.to's tags are letters and digits only, lower case (§A5): ``Machine-Learning`` is
    sent as ``machinelearning``.
    """
    kept: list[str] = []
    dropped: list[str] = []
    for raw in tags:
        tag = "".join(ch for ch in str(raw) if ch.isalnum()).lower()
        if not tag or tag in kept:
            if not tag and str(raw).strip():
                dropped.append(f"{raw!r} (no letters or digits)")
            continue
        if len(tag) > TAG_LENGTH:
            dropped.append(f"{raw!r} (over {TAG_LENGTH} characters)")
        elif len(kept) >= TAG_LIMIT:
            dropped.append(f"{raw!r} (beyond the first {TAG_LIMIT})")
        else:
            kept.append(tag)
    return kept, dropped


# -- pacing ---------------------------------------------------------------------------------------


class _Pace:
    """When the next read and the next write through one key may leave (monotonic time)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.next = {"read": 0.0, "write": 0.0}

    def turn(self, kind: str, interval: float, clock: Callable[[], float]) -> float:
        """Reserve the next slot for ``kind``; returns how long to wait for it."""
        with self.lock:
            now = clock()
            slot = max(now, self.next[kind])
            self.next[kind] = slot + interval
            return slot - now


_PACES: dict[tuple[str, str], _Pace] = {}
_PACES_LOCK = threading.Lock()


def _pace_for(endpoint: str, token: str) -> _Pace:
    # Keyed by a digest: the token itself is kept nowhere else.
    key = (endpoint, hashlib.sha256(token.encode("utf-8")).hexdigest())
    with _PACES_LOCK:
        return _PACES.setdefault(key, _Pace())


# -- the adapter ------------------------------------------------------------------------------------


class DevTo(Target):
    """dev.to's API v1 with an API key; see the module docstring."""

    info = TARGETS[NAME]

    def __init__(self, context: TargetContext) -> None:
        super().__init__(context)
        self._base = context.endpoint.rstrip("/")
        # Where readers see the articles: the endpoint without /api (the fakes' host in tests).
        self._site = self._base[:-4] if self._base.endswith("/api") else self.info.site_url
        self._client: httpx.Client | None = None
        self._listing: list[Mapping[str, Any]] = []
        self._listing_complete = False
        self._pages_read = 0
        self._pace: _Pace | None = None

    # -- pure ------------------------------------------------------------------------------

    def build_payload(self, rendered: Rendered) -> dict[str, Any]:
        return prepare(rendered).body

    def notices(self, rendered: Rendered) -> tuple[Notice, ...]:
        return prepare(rendered).notices

    # -- I/O -------------------------------------------------------------------------------

    def whoami(self) -> Identity:
        if self._identity is None:
            data = self._data(self._send("GET", "/users/me", operation="check the API key"),
                              "check the API key")
            if not isinstance(data, Mapping) or data.get("id") is None:
                raise ProtocolError("dev.to's answer about the API key's owner has no id",
                                    hint=_ENDPOINT_HINT, target=NAME, operation="check the API key")
            username = str(data.get("username") or "")
            self._identity = Identity(
                id=str(data["id"]), name=str(data.get("name") or username or data["id"]),
                url=f"{self._site}/{username}" if username else None,
                details={"username": username or None, "joined_at": data.get("joined_at")})
        return self._identity

    def fetch(self, remote_id: str) -> RemotePost:
        """The article as dev.to holds it, with what ``status --remote`` shows in ``extra``:
        ``state`` (live or draft), ``published_at``, ``edited_at`` (live articles),
        ``comments_count``, ``public_reactions_count``, ``page_views_count``."""
        article = self._own_article(remote_id)
        remote = self._remote(article)
        if remote.draft:
            return remote
        try:
            shown = self._data(self._send("GET", f"/articles/{_seg(remote.id)}",
                                          operation="read the article"), "read the article")
        except CrosspostError as exc:  # edge-cached or just published: the listing is enough
            log.info("devto: could not read article %s itself (%s)", remote.id, exc)
            return remote
        if isinstance(shown, Mapping):
            extra = dict(remote.extra)
            for key in ("edited_at", "tags", "last_comment_at"):
                if key in shown:
                    extra[key] = shown[key]
            return RemotePost(remote.id, remote.url, remote.title, remote.body, remote.draft, extra)
        return remote

    def same_title(self, rendered: Rendered) -> list[RemotePost]:
        self._forget_listing()
        wanted = title_key(rendered.title)
        return [self._remote(a) for a in self._articles()
                if title_key(str(a.get("title") or "")) == wanted]

    def find_existing(self, rendered: Rendered) -> RemotePost | None:
        found = self._find(rendered, canonical_only=False)
        return self._remote(found) if found is not None else None

    def create(self, rendered: Rendered) -> RemotePost:
        self._check(rendered)
        payload = self.build_payload(rendered)
        response = self._send("POST", "/articles", operation="create", payload=payload,
                              create=True)
        status = response.status_code
        if 200 <= status < 300:
            try:
                remote = self._remote(self._data(response, "create"))
            except CrosspostError as exc:
                raise AmbiguousWrite(
                    f"dev.to accepted the article (HTTP {status}) but its answer could not be "
                    f"read ({exc.message})", hint="run the same command again: it looks for the "
                    "article before sending anything", status=status, target=NAME,
                    operation="create") from exc
            try:
                return self._verified(remote, rendered, step="create")
            except CrosspostError as exc:
                exc.created = remote
                raise
        if status >= 500:
            raise AmbiguousWrite(f"dev.to failed with HTTP {status} after receiving the article; "
                                 "it may have saved it anyway", status=status, target=NAME,
                                 operation="create")
        message = _message(response)
        if status == 422 and message.startswith((CANONICAL_TAKEN, BODY_TAKEN)):
            return self._adopt(rendered, message)
        raise self._error(response, "create")

    def update(self, remote_id: str, rendered: Rendered) -> RemotePost:
        self._check(rendered)
        article_id = self._article_id(remote_id)
        payload = self.build_payload(rendered)
        if rendered.options.keep_state:
            del payload["article"]["published"]  # only sent keys change (§A3)
        response = self._send("PUT", f"/articles/{_seg(article_id)}", operation="update",
                              payload=payload)
        if response.status_code == 404:
            raise NotFound(f"article {article_id} does not exist on dev.to, or belongs to another "
                           "account", hint=f"check crosspost.{NAME}.id, or remove it and "
                           f"crosspost.{NAME}.url to publish a new copy", status=404, target=NAME,
                           operation="update")
        if response.status_code == 422 and _message(response).startswith(CANONICAL_TAKEN):
            raise self._canonical_elsewhere(rendered, _message(response), exclude=article_id)
        remote = self._remote(self._data(response, "update"))
        return self._verified(remote, rendered, step="update")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- steps -----------------------------------------------------------------------------

    def _check(self, rendered: Rendered) -> None:
        """Refuse, before sending anything, what dev.to would refuse (§A5)."""
        if rendered.format != "markdown":
            raise InputError(f"dev.to receives Markdown, not {rendered.format}", target=NAME,
                             operation="render")
        title = rendered.title
        if not title.strip():
            raise InputError("the post has no title", target=NAME, operation="publish")
        if len(title) > MAX_TITLE:
            raise InputError(f"the title is {len(title)} characters; dev.to accepts at most "
                             f"{MAX_TITLE}", hint=f"set a shorter `title` under crosspost.{NAME}",
                             target=NAME, operation="publish")
        size = len(rendered.body.encode("utf-8"))
        if size > MAX_BODY_BYTES:
            raise InputError(f"the body is {size // 1024} KB; dev.to accepts at most "
                             f"{MAX_BODY_BYTES // 1024} KB", target=NAME, operation="publish")
        if _XSS.search(_CODE.sub("", rendered.body)):
            raise InputError("dev.to refuses a body with src=\"data:…\" outside code ("
                             "\"Invalid markdown detected\")", hint="link the image by its "
                             "address instead of inlining it", target=NAME, operation="publish")
        if not rendered.canonical_url.startswith(("https://", "http://")):
            raise ConfigError(f"{NAME}: the canonical URL {rendered.canonical_url!r} is not "
                              "absolute", hint="set the site's `url` in its configuration or "
                              "in crosspost.toml")

    def _verified(self, remote: RemotePost, rendered: Rendered, *, step: str) -> RemotePost:
        """The answer describes the article as stored: its body and state must be ours."""
        problems = []
        if remote.body is not None and remote.body != rendered.body:
            problems.append("its body differs from the Markdown sent")
        if not rendered.options.keep_state and remote.draft is not None \
                and remote.draft != rendered.options.draft:
            problems.append("it is a draft" if remote.draft else "it is published")
        if problems:
            raise ProtocolError(f"dev.to accepted the {step} of article {remote.id}, but its "
                                f"answer shows that {'; '.join(problems)}",
                                hint="run the same command again to update it; report it if "
                                "this repeats", target=NAME, operation=step)
        return remote

    def _adopt(self, rendered: Rendered, message: str) -> RemotePost:
        """A duplicate guard fired: the copy exists. The account's own is updated and returned."""
        canonical = message.startswith(CANONICAL_TAKEN)
        found = self._find(rendered, canonical_only=canonical)
        if found is None:
            if canonical:
                raise self._canonical_elsewhere(rendered, message)
            raise Rejected(f"dev.to says this account already has an article with this title and "
                           f"body (\"{_clip(message)}\"), but it is not among its articles",
                           hint=f"find it in {DASHBOARD} and record it with `crosspost link`",
                           status=422, target=NAME, operation="create")
        remote = self._remote(found)
        log.info("devto: the article is already there (%s): %s", _clip(message), remote.url)
        options = rendered.options
        if not remote.draft:
            options = options.replace(keep_state=True)  # an adopted live copy stays live
        return self.update(remote.id, rendered.with_body(rendered.body, options=options))

    def _canonical_elsewhere(self, rendered: Rendered, message: str,
                             exclude: str | None = None) -> CrosspostError:
        mine = self._find(rendered, canonical_only=True, exclude=exclude)
        if mine is not None:
            return Rejected(f"another of this account's articles already uses the canonical URL "
                            f"{rendered.canonical_url} ({mine.get('url')}), and dev.to allows one "
                            "published article per canonical URL",
                            hint=f"record that one with `crosspost link`, or unpublish it in "
                            f"{DASHBOARD}", status=422, target=NAME, operation="publish")
        return Rejected(f"dev.to says the canonical URL {rendered.canonical_url} is already used "
                        f"by a published article of another account (\"{_clip(message)}\")",
                        hint="if that account is also yours, publish from it; otherwise dev.to "
                        "asks you to email them (see the message)", status=422, target=NAME,
                        operation="publish")

    # -- the account's articles -------------------------------------------------------------

    def _articles(self) -> Iterator[Mapping[str, Any]]:
        """Every article of the account, newest first; pages are read as they are needed and
        kept (for ``fetch`` of many posts) until this adapter writes or searches."""
        yield from list(self._listing)
        index = len(self._listing)
        while not self._listing_complete:
            if self._pages_read >= MAX_PAGES:
                log.info("devto: stopped listing articles after %d pages", MAX_PAGES)
                self._listing_complete = True
                break
            page = self._data(self._send("GET", "/articles/me/all", operation="list your articles",
                                         params={"page": self._pages_read + 1,
                                                 "per_page": PER_PAGE}),
                              "list your articles")
            if not isinstance(page, list):
                raise ProtocolError("dev.to's list of your articles is not a list",
                                    hint=_ENDPOINT_HINT, target=NAME, operation="list your articles")
            self._pages_read += 1
            self._listing.extend(a for a in page if isinstance(a, Mapping) and a.get("id") is not None)
            if len(page) < PER_PAGE:  # no next link: a short page is the last (§A4)
                self._listing_complete = True
            yield from self._listing[index:]
            index = len(self._listing)

    def _forget_listing(self) -> None:
        self._listing, self._listing_complete, self._pages_read = [], False, 0

    def _own_article(self, remote_id: str) -> Mapping[str, Any]:
        wanted = str(remote_id).strip()
        for article in self._articles():
            if str(article.get("id")) == wanted or str(article.get("path") or "").strip("/") == wanted:
                return article
        raise NotFound(f"article {wanted} is not among this account's articles on dev.to "
                       "(deleted, or made with another account)",
                       hint=f"remove `crosspost.{NAME}.id` and `crosspost.{NAME}.url` from the "
                       "front matter to publish a new copy", target=NAME, operation="read the article")

    def _article_id(self, remote_id: str) -> str:
        """The numeric id; a "user/slug" (from a recorded URL) is looked up first."""
        value = str(remote_id).strip()
        if value.isdigit():
            return value
        return str(self._own_article(value)["id"])

    def _find(self, rendered: Rendered, *, canonical_only: bool,
              exclude: str | None = None) -> Mapping[str, Any] | None:
        """The account's copy of ``rendered``: one with the same canonical URL, else (unless
        ``canonical_only``) one with the same title and body. Of several, the one with the
        same body wins, then the wanted state, then the newest. Always read afresh: it
        decides whether something is sent."""
        self._forget_listing()
        canonical = _bare(rendered.canonical_url)
        title = _loose(rendered.title)
        candidates: list[tuple[Mapping[str, Any], bool]] = []
        for article in self._articles():
            if exclude is not None and str(article.get("id")) == exclude:
                continue
            same_body = article.get("body_markdown") == rendered.body
            by_canonical = _bare(str(article.get("canonical_url") or "")) == canonical
            if by_canonical or (not canonical_only and same_body
                                and _loose(str(article.get("title") or "")) == title):
                candidates.append((article, by_canonical))
                if by_canonical and same_body:
                    break  # nothing can match better
        if not candidates:
            return None
        wanted_draft = rendered.options.draft

        def rank(item: tuple[int, tuple[Mapping[str, Any], bool]]) -> tuple[bool, bool, bool, int]:
            index, (article, by_canonical) = item
            return (by_canonical, article.get("body_markdown") == rendered.body,
                    (not article.get("published")) == wanted_draft, -index)

        return max(enumerate(candidates), key=rank)[1][0]

    def _remote(self, data: Any) -> RemotePost:
        """A RemotePost from an article as any endpoint shows it (§A2, §A4)."""
        if not isinstance(data, Mapping) or data.get("id") is None:
            raise ProtocolError("dev.to's answer is not an article", hint=_ENDPOINT_HINT,
                                target=NAME)
        url = data.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ProtocolError("dev.to's answer has no article URL", target=NAME)
        published = data.get("published")
        if not isinstance(published, bool):
            # The show answer (create, update, read) has no `published`: a draft has no
            # publication time (§A2).
            published = bool(data.get("published_at")) and data.get("published_timestamp") != ""
        body = data.get("body_markdown")
        extra: dict[str, Any] = {"state": "live" if published else "draft"}
        for key in ("slug", "path", "canonical_url", "published_at", "edited_at", "created_at",
                    "comments_count", "public_reactions_count", "page_views_count",
                    "reading_time_minutes", "cover_image", "description"):
            if key in data:
                extra[key] = data[key]
        tags = data.get("tags") if isinstance(data.get("tags"), list) else data.get("tag_list")
        if isinstance(tags, str):  # a string on /articles/{id}, an array on /me (§A4)
            tags = [t.strip() for t in tags.split(",") if t.strip()]
        if isinstance(tags, list):
            extra["tags"] = tags
        title = data.get("title")
        return RemotePost(id=str(data["id"]), url=url, title=title if isinstance(title, str) else None,
                          body=body if isinstance(body, str) else None, draft=not published,
                          extra=extra)

    # -- HTTP -------------------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        if self._client is None:
            from crosspost.http import header_auth, make_client

            token = self.context.token
            if not token:
                raise CredentialError.missing(NAME, self.info.token_env[0])
            self._client = make_client(self.context.http, auth=header_auth("api-key", token),
                                       headers={"Accept": ACCEPT})
            self._pace = _pace_for(self._base, token.reveal())
        return self._client

    def _send(self, method: str, path: str, *, operation: str, payload: Any = None,
              params: Mapping[str, Any] | None = None, create: bool = False) -> httpx.Response:
        """One request, paced; a 429 within ``max_wait`` is waited out and sent again.

        ``create`` marks the request that must never be sent twice once it may have arrived:
        only a refusal (429) is resent, a lost answer is the engine's to reconcile.
        """
        from crosspost.http import dumps, retry_after, send

        settings = self.context.http
        client = self._http()
        assert self._pace is not None
        write = method != "GET"
        kwargs: dict[str, Any] = {}
        if payload is not None:
            kwargs["content"] = dumps(payload)
            kwargs["headers"] = {"Content-Type": "application/json"}
        if params:
            kwargs["params"] = dict(params)
        if write:
            self._forget_listing()
        refused = 0
        while True:
            wait = self._pace.turn("write" if write else "read",
                                   (WRITE_INTERVAL if write else READ_INTERVAL) + MARGIN,
                                   settings.clock)
            if wait > 0:
                settings.sleep(wait)
            response = send(client, method, self._base + path, target=NAME, operation=operation,
                            idempotent=not create, settings=settings, **kwargs)
            # Reads and updates had their 429 waited out by `send` already.
            if response.status_code != 429 or not create or refused >= settings.retries:
                return response
            delay = retry_after(response)
            if delay is None or delay > settings.max_wait:
                return response
            refused += 1
            log.info("%s %s -> 429, waiting %.0fs as dev.to asks", method, path, delay)
            settings.sleep(delay)

    def _data(self, response: httpx.Response, operation: str) -> Any:
        """The JSON of a 2xx answer; anything else becomes its error."""
        from crosspost.http import json_body

        if not 200 <= response.status_code < 300:
            raise self._error(response, operation)
        return json_body(response, target=NAME, operation=operation)

    def _error(self, response: httpx.Response, operation: str) -> CrosspostError:
        """dev.to's ``{"error": …, "status": N}`` (or Rack::Attack's plain text), translated."""
        from crosspost.http import error_for_status, is_html, retry_after

        status = response.status_code
        message = "" if is_html(response) else _message(response)
        said = f" ({_clip(message)})" if message else ""
        if status == 401:
            return AuthError(f"dev.to refused the API key (HTTP 401){said}",
                             hint=f"to get a new one, {self.info.token_help}; then run "
                             f"`crosspost login {NAME}`", target=NAME, operation=operation)
        if status == 429 and not is_html(response):
            wait = retry_after(response)
            when = f"try again in {wait:.0f} s" if wait else "try again later"
            return RateLimited(f"dev.to's rate limit was reached{said}", retry_after=wait,
                               hint=f"{when}; nothing was created by this request", status=status,
                               target=NAME, operation=operation)
        if status == 422:
            return Rejected(f"dev.to refused to {operation} the article{said}",
                            hint=_hint_for(message), status=status, target=NAME,
                            operation=operation)
        if status == 404:
            return NotFound(f"dev.to has no such article{said}", status=status, target=NAME,
                            operation=operation)
        return error_for_status(response, target=NAME, operation=operation,
                                detail=_clip(message) or None, token_help=self.info.token_help)


_ENDPOINT_HINT = "check CROSSPOST_DEVTO_ENDPOINT (the API base, ending in /api)"


def _hint_for(message: str) -> str | None:
    lowered = message.lower()
    if "tag" in lowered:
        return "dev.to takes at most 4 tags, letters and digits only"
    if "liquid" in lowered:
        return ("a Liquid tag in the post is not one dev.to knows; `crosspost render --to "
                "devto` shows the body")
    if "canonical" in lowered:
        return "check the site's URL in its configuration or crosspost.toml"
    return None


def _message(response: httpx.Response) -> str:
    """The ``error`` of a JSON answer, or the first line of a plain one."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        text = response.content[:500].decode("utf-8", "replace").strip()
        return text.splitlines()[0] if text else ""
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, str):
            return error
    return ""


def _clip(text: str, limit: int = 300) -> str:
    from crosspost.credentials import redact

    text = " ".join(redact(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bare(url: str) -> str:
    return url.strip().rstrip("/")


def _loose(title: str) -> str:
    # dev.to turns characters it does not allow in titles into spaces (§A5).
    return " ".join(re.sub(r"[^\w]+", " ", title.lower()).split())


def _seg(value: str) -> str:
    return quote(value, safe="")


__all__ = ["DevTo", "DevtoPayload", "prepare", "select_tags"]
