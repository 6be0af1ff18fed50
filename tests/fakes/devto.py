"""A strict fake of dev.to's Forem API v1, served over real HTTP on 127.0.0.1.

It follows ``reference/devto.md`` (§ below) and is no kinder than dev.to, traps included:

* auth by ``api-key`` only (401 ``{"error": "unauthorized", "status": 401}``); without
  ``Accept: application/vnd.forem.api-v1+json`` the answer carries v0's ``Warning: 299``
  (§A1), and such requests are counted in ``v0_requests``;
* ``POST /api/articles``: ``{"article": {...}}`` only (else 422), unpermitted keys silently
  dropped (a comma string for ``tags`` too), 201 with the show body, which has **no
  ``published`` field**, and ``Location``; drafts get a ``…-temp-slug-…`` slug that is
  replaced when they are first published (§A2, §A3);
* front matter at the top of ``body_markdown`` overrides the fields sent (§A5);
* validation (§A5): title ≤ 128, body ≤ 800 KB (U+202A–E stripped), at most 4 tags of
  letters and digits ≤ 30 long (downcased, ``js`` aliased), http(s) canonical URL and main
  image, ``src="data:`` outside code refused; both duplicate guards: "Body markdown has
  already been taken" (same user, title and body) and "Canonical url has already been
  taken. …" (published articles, every user; drafts exempt);
* ``PUT /api/articles/{id}``: 404 for another user's article, only sent keys applied, a PUT
  of ``published`` alone wipes the tags (forem#15364), ``published_at`` immutable once
  published, ``edited_at`` set when a live article's title or body changes;
* Liquid (§A5): the body is rendered as Markdown, code having been wrapped in ``raw`` first
  (Forem's regular expression), then the HTML is parsed as Liquid. Known tags: ``raw``,
  ``katex`` (a block whose text is the TeX, ``inline`` or display) and a few embeds. An
  unknown tag or malformed Liquid still saves, and ``body_html`` is then only the error
  message; ``{{ x }}`` renders as nothing;
* ``GET /api/articles/{id}`` and ``/{username}/{slug}`` serve published articles only;
  ``GET /api/articles/me[/published|/unpublished|/all]`` pages with ``page``/``per_page``
  (30 by default, 1000 at most), newest publication first, drafts (no date) before them;
* no DELETE (404), ``/unpublish`` refused;
* the write throttle (Rack::Attack, §A6): one POST/PUT per key per window (1 s), else 429
  ``Retry later`` as plain text with ``Retry-After``; three GETs per window per address;
  and the rate-limit checker: more than 9 published creates, or 30 updates, in 30 s → 429
  JSON with ``Retry-After: 30``.

The clock is the fake's own (:meth:`DevtoFake.advance`); :meth:`DevtoFake.sleep` is meant for
``HttpSettings(sleep=devto.sleep, clock=devto.now)``: a client that waits moves the fake's clock
instead of the test's, and every wait is kept in ``waits``. No test sleeps. (With several
threads waiting at once the fake's clock adds their waits up, so such tests run one post at a
time.)

Fixtures: ``devto`` (a started fake with one user: :data:`TOKEN`, :data:`USERNAME`) and
``devto_factory``. Faults: ``devto.inject(Fault...)`` with :data:`CREATE`, :data:`UPDATE`,
:data:`LIST` or :data:`ME` as ``match``.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import math
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from markdown_it import MarkdownIt

from tests.fakes.server import App, FakeServer, Fault, Reply, Request, started_fakes

TOKEN = "k3Yq8sV2mN5pR7tW9xZ1bC4d"  # dev.to keys are 24 letters and digits
USERNAME = "ada"
USER_NAME = "Ada Writer"
USER_ID = 1234567
SITE = "https://dev.to"
V1 = "application/vnd.forem.api-v1+json"
V0_WARNING = ('299 - "This endpoint is part of the V0 (beta) API. To start using the V1 endpoints '
              'add the Accept header and set it to application/vnd.forem.api-v1+json."')

PERMITTED = frozenset({"title", "body_markdown", "published", "series", "main_image",
                       "canonical_url", "description", "tags", "published_at", "subforem_id",
                       "language", "video_source_url", "organization_id"})
TAG_ALIASES = {"js": "javascript"}
MAX_BODY = 800 * 1024
CANONICAL_TAKEN = ("Canonical url has already been taken. Email yo@dev.to for further details.")
BODY_TAKEN = "Body markdown has already been taken"
RETRY_LATER = "Retry later\n"
CREATE_LIMIT, UPDATE_LIMIT, LIMIT_WINDOW = 9, 30, 30.0
KNOWN_TAGS = frozenset({"embed", "youtube", "github", "twitter", "codepen", "link", "user", "tag"})


def CREATE(request: Request) -> bool:
    return request.method == "POST" and request.path == "/api/articles"


def UPDATE(request: Request) -> bool:
    return request.method == "PUT" and re.fullmatch(r"/api/articles/\d+", request.path) is not None


def LIST(request: Request) -> bool:
    return request.method == "GET" and request.path.startswith("/api/articles/me")


def ME(request: Request) -> bool:
    return request.method == "GET" and request.path == "/api/users/me"


def forem_error(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply.json({"error": message, "status": status}, status, headers)


def retry_later(seconds: int = 1) -> Reply:
    """Rack::Attack's throttled answer: plain text, not JSON (§A6)."""
    return Reply(429, RETRY_LATER.encode(), {"Content-Type": "text/plain",
                                             "Retry-After": str(seconds)})


# -- Liquid, as Forem runs it over the rendered body --------------------------------------------

class LiquidError(Exception):
    """Liquid::SyntaxError; Forem shows its message instead of the post (§A5)."""


_TOKENS = re.compile(r"(\{%.*?%\}|\{\{.*?\}\}?|\{%|\{\{)", re.DOTALL)
_FULL_TAG = re.compile(r"\A\{%-?\s*(\w+)\s*(.*?)-?%\}\Z", re.DOTALL)
_POSSIBLY_INVALID = re.compile(r"\A(.*)\{%-?\s*(\w+)\s*(.*)?-?%\}\Z", re.DOTALL)
# Forem's escape_liquid_tags_in_codeblock (MarkdownProcessor::Parser).
_CODE = re.compile(r"\s*~{3}.*?~{3}|\s*`{3}.*?`{3}|`{2}.+?`{2}|`{1}.+?`{1}", re.DOTALL)
_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def escape_code(markdown: str) -> str:
    def wrap(match: re.Match[str]) -> str:
        code = match.group(0).replace("{% endraw %}", "{----% endraw %----}")
        code = code.replace("{% raw %}", "{----% raw %----}")
        if re.match(r"\s*`{3}", code):
            return "\n{% raw %}\n" + code + "\n{% endraw %}\n"
        return "{% raw %}" + code + "{% endraw %}"

    return _CODE.sub(wrap, markdown)


def liquid(source: str) -> str:
    """Render ``source`` as Liquid with no variables; raises LiquidError."""
    tokens = [t for t in _TOKENS.split(source) if t]
    out, rest = _render(tokens, closing=None)
    assert not rest
    return out


def _render(tokens: list[str], closing: str | None) -> tuple[str, list[str]]:
    out: list[str] = []
    while tokens:
        token = tokens.pop(0)
        if token.startswith("{{"):
            if not token.endswith("}}"):
                raise LiquidError(f"Liquid syntax error: Variable '{token}' was not properly "
                                  "terminated with regexp: /\\}\\}/")
            continue  # no variables: nothing
        if not token.startswith("{%"):
            out.append(token)
            continue
        tag = _FULL_TAG.match(token)
        if tag is None:
            raise LiquidError(f"Liquid syntax error: Tag '{token}' was not properly terminated "
                              "with regexp: /\\%\\}/")
        name, markup = tag.group(1), tag.group(2)
        if closing is not None and name == closing:
            return "".join(out), tokens
        if name == "raw":
            out.append(_raw(tokens))
        elif name == "katex":
            body, tokens = _render(tokens, closing="endkatex")
            tex = html.unescape(re.sub(r"<[^>]*>", "", body)).strip()
            mode = "inline" if "inline" in markup.split() else "display"
            out.append(f'<span class="katex" data-mode="{mode}">{html.escape(tex)}</span>')
        elif name in KNOWN_TAGS:
            out.append(f'<div class="ltag {name}">{html.escape(markup)}</div>')
        else:
            raise LiquidError(f"Liquid syntax error: Unknown tag '{name}'")
    if closing is not None:
        raise LiquidError(f"Liquid syntax error: '{closing[3:]}' tag was never closed")
    return "".join(out), tokens


def _raw(tokens: list[str]) -> str:
    body: list[str] = []
    while tokens:
        token = tokens.pop(0)
        match = _POSSIBLY_INVALID.match(token)
        if match and match.group(2) == "endraw":
            body.append(match.group(1))
            return "".join(body)
        body.append(token)
    raise LiquidError("Liquid syntax error: 'raw' tag was never closed")


def render_body(markdown: str) -> str:
    """``body_html`` as Forem makes it: Markdown with code escaped, then Liquid, then the
    placeholders for raw tags inside code put back (§A5)."""
    try:
        html_text = liquid(_MD.render(escape_code(markdown)))
    except LiquidError as exc:
        return str(exc)
    return html_text.replace("{----% raw %----}", "{% raw %}").replace(
        "{----% endraw %----}", "{% endraw %}")


def visible_text(body_html: str) -> str:
    """What a reader sees of ``body_html`` (tags removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", body_html))


# -- state ----------------------------------------------------------------------------------------

@dataclass
class FakeUser:
    id: int
    username: str
    name: str
    api_key: str

    def public(self) -> dict[str, Any]:
        return {"name": self.name, "username": self.username, "twitter_username": None,
                "github_username": None, "user_id": self.id, "website_url": None,
                "profile_image": "https://media.dev.to/profile/fake.png",
                "profile_image_90": "https://media.dev.to/profile/fake-90.png"}


@dataclass
class FakeArticle:
    id: int
    user: FakeUser
    title: str
    body_markdown: str
    published: bool
    slug: str
    created_at: float
    published_at: float | None = None
    edited_at: float | None = None
    canonical_url: str | None = None
    description: str = ""
    main_image: str | None = None
    series: str | None = None
    tags: list[str] = field(default_factory=list)
    body_html: str = ""
    comments_count: int = 0
    public_reactions_count: int = 0
    page_views_count: int = 0

    @property
    def path(self) -> str:
        return f"/{self.user.username}/{self.slug}"


class _Refusal(Exception):
    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


def _refuse(status: int, message: str, headers: dict[str, str] | None = None) -> _Refusal:
    return _Refusal(forem_error(status, message, headers))


def _iso(stamp: float | None) -> str | None:
    if stamp is None:
        return None
    return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "article"


class DevtoFake:
    """The fake API's state plus its server. See the module docstring."""

    def __init__(self, *, token: str = TOKEN, username: str = USERNAME, name: str = USER_NAME,
                 window: float = 1.0, site: str = SITE,
                 clock: Callable[[], float] = time.time) -> None:
        self.site = site
        self.window = window
        self.users: dict[str, FakeUser] = {}
        self.articles: list[FakeArticle] = []
        self.waits: list[float] = []
        self.throttled: list[Request] = []  # answered 429 by the throttle or the checker
        self.v0_requests: list[Request] = []
        self._ids = itertools.count(1_800_001)
        self._user_ids = itertools.count(USER_ID + 1)
        self._clock = clock
        self._offset = 0.0
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str, int], int] = {}
        self._creates: list[tuple[int, float]] = []
        self._updates: list[tuple[int, float]] = []
        self.user = self.add_user(username, name=name, api_key=token, user_id=USER_ID)
        self.server = FakeServer(self._app())

    # -- arranging and inspecting ----------------------------------------------------------

    @property
    def token(self) -> str:
        return self.user.api_key

    @property
    def endpoint(self) -> str:
        """``CROSSPOST_DEVTO_ENDPOINT``: the API base, ending in /api."""
        return f"{self.server.url}/api"

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def writes(self) -> list[Request]:
        return [r for r in self.server.requests if r.method in {"POST", "PUT", "DELETE"}]

    def add_user(self, username: str, *, name: str | None = None, api_key: str | None = None,
                 user_id: int | None = None) -> FakeUser:
        user = FakeUser(user_id or next(self._user_ids), username, name or username.title(),
                        api_key or secrets.token_urlsafe(18)[:24])
        self.users[user.api_key] = user
        return user

    def add_article(self, user: FakeUser, title: str, body: str, *, published: bool = True,
                    canonical_url: str | None = None, tags: tuple[str, ...] = ()) -> FakeArticle:
        """An article made elsewhere (by hand, or by another account)."""
        now = self.now()
        article = FakeArticle(id=next(self._ids), user=user, title=title, body_markdown=body,
                              published=published, slug=self._slug(title, published),
                              created_at=now, published_at=now if published else None,
                              canonical_url=canonical_url, tags=list(tags))
        article.body_html = render_body(body)
        self.articles.append(article)
        return article

    def edit_on_site(self, article_id: int, body: str) -> None:
        article = self.article(article_id)
        article.body_markdown = body
        article.body_html = render_body(body)
        article.edited_at = self.now()

    def article(self, article_id: int | str) -> FakeArticle:
        return next(a for a in self.articles if a.id == int(article_id))

    def articles_of(self, user: FakeUser | None = None) -> list[FakeArticle]:
        who = user or self.user
        return [a for a in self.articles if a.user is who]

    def now(self) -> float:
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += seconds

    def sleep(self, seconds: float) -> None:
        """For ``HttpSettings(sleep=..., clock=fake.now)``: the client's wait moves the fake's
        clock."""
        self.waits.append(seconds)
        self.advance(seconds)

    def inject(self, fault: Fault) -> None:
        self.server.inject(fault)

    def start(self) -> DevtoFake:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    # -- answers ------------------------------------------------------------------------------

    def show(self, article: FakeArticle) -> dict[str, Any]:
        """``show.json.jbuilder`` (§A2): no ``published``; tag_list a string, tags an array."""
        return {
            "type_of": "article", "id": article.id, "title": article.title,
            "description": article.description,
            "readable_publish_date": (dt.datetime.fromtimestamp(article.published_at, dt.UTC)
                                      .strftime("%b %-d") if article.published_at else None),
            "slug": article.slug, "path": article.path, "url": self.site + article.path,
            "comments_count": article.comments_count,
            "public_reactions_count": article.public_reactions_count,
            "collection_id": None, "published_timestamp": self._timestamp(article),
            "positive_reactions_count": article.public_reactions_count,
            "cover_image": self._cdn(article.main_image),
            "social_image": self._cdn(article.main_image) or f"{self.site}/social/{article.id}.png",
            "canonical_url": article.canonical_url or self.site + article.path,
            "created_at": _iso(article.created_at), "edited_at": _iso(article.edited_at),
            "crossposted_at": None, "published_at": _iso(article.published_at),
            "last_comment_at": _iso(article.published_at),
            "reading_time_minutes": max(1, len(article.body_markdown.split()) // 275),
            "tag_list": ", ".join(article.tags), "tags": list(article.tags),
            "body_html": article.body_html, "body_markdown": article.body_markdown,
            "user": article.user.public(),
        }

    def me_entry(self, article: FakeArticle) -> dict[str, Any]:
        """``me.json.jbuilder`` (§A4): ``published`` present, tag_list an array."""
        return {
            "type_of": "article", "id": article.id, "title": article.title,
            "description": article.description, "published": article.published,
            "published_at": _iso(article.published_at), "slug": article.slug,
            "path": article.path, "url": self.site + article.path,
            "comments_count": article.comments_count,
            "public_reactions_count": article.public_reactions_count,
            "page_views_count": article.page_views_count,
            "published_timestamp": self._timestamp(article),
            "body_markdown": article.body_markdown,
            "positive_reactions_count": article.public_reactions_count,
            "cover_image": self._cdn(article.main_image), "tag_list": list(article.tags),
            "canonical_url": article.canonical_url or self.site + article.path,
            "reading_time_minutes": max(1, len(article.body_markdown.split()) // 275),
            "user": article.user.public(),
        }

    @staticmethod
    def _timestamp(article: FakeArticle) -> str:
        return (_iso(article.published_at) or "") if article.published else ""

    @staticmethod
    def _cdn(url: str | None) -> str | None:
        # The cover is served through dev.to's image optimiser, not from the URL sent (§A7).
        return f"https://media.dev.to/cdn-cgi/image/width=1000/{url}" if url else None

    # -- the API ------------------------------------------------------------------------------

    def _app(self) -> App:
        routes: list[tuple[str, re.Pattern[str], Callable[..., Reply]]] = [
            ("GET", re.compile(r"/api/users/me"), self._me),
            ("GET", re.compile(r"/api/articles/me(?:/(?P<which>published|unpublished|all))?"),
             self._mine),
            ("GET", re.compile(r"/api/articles/(?P<article_id>\d+)"), self._show),
            ("PUT", re.compile(r"/api/articles/(?P<article_id>\d+)"), self._update),
            ("PUT", re.compile(r"/api/articles/(?P<article_id>\d+)/unpublish"), self._unpublish),
            ("POST", re.compile(r"/api/articles"), self._create),
            ("GET", re.compile(r"/api/articles/(?P<username>[^/]+)/(?P<slug>[^/]+)"),
             self._show_by_path),
        ]

        def app(request: Request) -> Reply:
            throttled = self._throttle(request)
            if throttled is not None:
                return throttled
            reply = self._route(request, routes)
            if V1 not in (request.headers.get_header("accept") or ""):
                self.v0_requests.append(request)
                reply.headers["Warning"] = V0_WARNING
            if reply.status == 429:
                self.throttled.append(request)
            return reply

        return app

    def _route(self, request: Request,
               routes: list[tuple[str, re.Pattern[str], Callable[..., Reply]]]) -> Reply:
        try:
            for method, pattern, handler in routes:
                match = pattern.fullmatch(request.path)
                if match and request.method == method:
                    return handler(request, **{k: v for k, v in match.groupdict().items()
                                               if v is not None})
            return forem_error(404, "not found")  # no route: no DELETE either (§A1)
        except _Refusal as refusal:
            return refusal.reply

    def _throttle(self, request: Request) -> Reply | None:
        """Rack::Attack (§A6): fixed windows; writes per address and key, reads per address."""
        now = self.now()
        bucket = int(now // self.window)
        if request.method == "GET":
            key, limit = ("read", "127.0.0.1", bucket), 3
        else:
            key, limit = ("write", request.headers.get_header("api-key") or "", bucket), 1
        with self._lock:
            count = self._windows.get(key, 0) + 1
            self._windows[key] = count
        if count <= limit:
            return None
        self.throttled.append(request)
        return retry_later(max(1, math.ceil(self.window - now % self.window)))

    def _user(self, request: Request) -> FakeUser:
        user = self.users.get(request.headers.get_header("api-key") or "")
        if user is None:
            raise _refuse(401, "unauthorized")
        return user

    def _me(self, request: Request) -> Reply:
        user = self._user(request)
        return Reply.json({"type_of": "user", "id": user.id, "username": user.username,
                           "name": user.name, "twitter_username": None,
                           "github_username": None, "summary": None, "location": None,
                           "website_url": None, "joined_at": "Jan 3, 2021",
                           "profile_image": "https://media.dev.to/profile/fake.png"})

    def _mine(self, request: Request, which: str = "published") -> Reply:
        user = self._user(request)
        page = int(request.query.get("page", ["1"])[0])
        per_page = min(int(request.query.get("per_page", ["30"])[0]), 1000)
        mine = [a for a in self.articles if a.user is user and (
            which == "all" or a.published == (which == "published"))]
        # published_at desc (drafts, with none, first: PostgreSQL), then created_at desc.
        mine.sort(key=lambda a: (a.published_at is not None, -(a.published_at or 0), -a.created_at))
        chosen = mine[(page - 1) * per_page: page * per_page]
        return Reply.json([self.me_entry(a) for a in chosen])

    def _visible(self, article: FakeArticle | None) -> FakeArticle:
        if article is None or not article.published or (article.published_at or 0) > self.now():
            raise _refuse(404, "not found")
        return article

    def _show(self, request: Request, article_id: str) -> Reply:
        article = next((a for a in self.articles if a.id == int(article_id)), None)
        return Reply.json(self.show(self._visible(article)))

    def _show_by_path(self, request: Request, username: str, slug: str) -> Reply:
        article = next((a for a in self.articles
                        if a.user.username == username and a.slug == slug), None)
        return Reply.json(self.show(self._visible(article)))

    def _unpublish(self, request: Request, article_id: str) -> Reply:
        self._user(request)
        raise _refuse(401, "unauthorized")  # admins and moderators only (§A3)

    def _fields(self, request: Request) -> dict[str, Any]:
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            raise _refuse(422, "param is missing or the value is empty: article") from None
        article = body.get("article") if isinstance(body, dict) else None
        if not isinstance(article, dict):
            raise _refuse(422, "param is missing or the value is empty: article")
        fields = {k: v for k, v in article.items() if k in PERMITTED}
        fields.pop("organization_id", None)  # the user is in no organisation
        if "tags" in fields and not (isinstance(fields["tags"], list)
                                     and all(isinstance(t, str) for t in fields["tags"])):
            del fields["tags"]  # not a permitted scalar array: silently dropped
        return fields

    def _limit(self, log: list[tuple[int, float]], user: FakeUser, limit: int) -> None:
        recent = [t for u, t in log if u == user.id and t > self.now() - LIMIT_WINDOW]
        if len(recent) >= limit:
            raise _refuse(429, "Rate limit reached, try again in 30 seconds",
                          {"Retry-After": "30"})

    def _create(self, request: Request) -> Reply:
        user = self._user(request)
        fields = self._fields(request)
        now = self.now()
        article = FakeArticle(id=0, user=user, title="", body_markdown="", published=False,
                              slug="", created_at=now)
        self._apply(article, fields, creating=True)
        if article.published:
            self._limit(self._creates, user, CREATE_LIMIT)
        article.id = next(self._ids)
        article.slug = self._slug(article.title, article.published)
        if article.published:
            article.published_at = now
            self._creates.append((user.id, now))
        self.articles.append(article)
        url = self.site + article.path
        return Reply.json(self.show(article), 201, {"Location": url})

    def _update(self, request: Request, article_id: str) -> Reply:
        user = self._user(request)
        article = next((a for a in self.articles if a.id == int(article_id)), None)
        if article is None or article.user is not user:
            raise _refuse(404, "not found")
        fields = self._fields(request)
        self._limit(self._updates, user, UPDATE_LIMIT)
        if "published_at" in fields and article.published:
            raise _refuse(422, "Published at updating published_at for articles that have "
                          "already been published is not allowed")
        before = (article.title, article.body_markdown, article.published)
        if set(fields) == {"published"}:
            article.tags = []  # forem#15364: a PUT of `published` alone loses the tags
        self._apply(article, fields, creating=False)
        now = self.now()
        if article.published and not before[2]:
            if article.published_at is None:
                article.published_at = now
            if "-temp-slug-" in article.slug:
                article.slug = self._slug(article.title, True)
        elif before[2] and (article.title, article.body_markdown) != before[:2]:
            article.edited_at = now
        self._updates.append((user.id, now))
        return Reply.json(self.show(article))

    def _apply(self, article: FakeArticle, sent: dict[str, Any], *, creating: bool) -> None:
        """Validate and apply the fields sent, with the body's front matter on top (§A5)."""
        values = dict(sent)
        body = values.get("body_markdown", article.body_markdown)
        if not isinstance(body, str):
            body = ""
        body = re.sub("[\u202a-\u202e]", "", body)
        values["body_markdown"] = body
        front, content = _front_matter(body)
        if front:
            for key in ("title", "published", "description", "canonical_url", "series"):
                if key in front:
                    values[key] = front[key]
            if "tags" in front:
                tags = front["tags"]
                values["tags"] = [t.strip() for t in tags.split(",")] if isinstance(tags, str) \
                    else list(tags or [])
            if "cover_image" in front:
                values["main_image"] = front["cover_image"]
            if "title" in front and "series" not in front:
                values["series"] = None
        title = values.get("title", article.title)
        if not isinstance(title, str) or not title.strip():
            raise _refuse(422, "Title can't be blank")
        if len(title) > 128:
            raise _refuse(422, "Title is too long (maximum is 128 characters)")
        if len(body.encode("utf-8")) > MAX_BODY:
            raise _refuse(422, "Body markdown is too long")
        without_code = _CODE.sub("", content)
        if re.search(r"src=[\"'](data|&)", without_code, re.IGNORECASE) or \
                re.search(r"data:text/html[,;][\sa-z0-9]*", without_code, re.IGNORECASE):
            raise _refuse(422, "Invalid markdown detected")
        tags = values.get("tags", article.tags)
        if len(tags) > 4:
            raise _refuse(422, "Tag list exceed the maximum of 4 tags")
        clean_tags = []
        for sent_tag in tags:
            tag = str(sent_tag).strip().lower()
            tag = TAG_ALIASES.get(tag, tag)
            if len(tag) > 30:
                raise _refuse(422, f"Tag \"{tag}\" is too long (maximum is 30 characters)")
            if not re.fullmatch(r"[^\W_]+", tag):
                raise _refuse(422, f"Tag \"{tag}\" contains non-alphanumeric or prohibited "
                              "unicode characters")
            clean_tags.append(tag)
        published = values.get("published", article.published)
        published = published is True or published == "true"
        canonical = values.get("canonical_url", article.canonical_url)
        if canonical:
            parts = urlsplit(str(canonical))
            if parts.scheme not in ("http", "https") or not parts.hostname or " " in canonical \
                    or parts.hostname in ("localhost", "127.0.0.1"):
                raise _refuse(422, "Canonical url must be a valid URL")
            if published and any(a is not article and a.published and a.canonical_url == canonical
                                 for a in self.articles):
                raise _refuse(422, CANONICAL_TAKEN)
        if any(a is not article and a.user is article.user and a.title == title
               and a.body_markdown == body for a in self.articles):
            raise _refuse(422, BODY_TAKEN)
        image = values.get("main_image", article.main_image)
        if image and urlsplit(str(image)).scheme not in ("http", "https"):
            raise _refuse(422, "Main image must be a valid URL")
        # Everything checked: apply.
        article.title = title
        article.body_markdown = body
        article.body_html = render_body(content)
        article.published = published
        article.canonical_url = str(canonical) if canonical else None
        article.main_image = str(image) if image else None
        if "description" in values or creating:
            article.description = str(values.get("description") or "")
        if "series" in values:
            article.series = values["series"] or None
        if "tags" in values or creating:
            article.tags = clean_tags

    def _slug(self, title: str, published: bool) -> str:
        if published:
            return f"{slugify(title)}-{secrets.token_hex(2)}"
        return f"{slugify(title)}-temp-slug-{secrets.randbelow(10**7)}"


def _front_matter(body: str) -> tuple[dict[str, Any], str]:
    match = re.match(r"\A\s*---[ \t]*\n(.*?)\n[ \t]*---[ \t]*(?:\n|\Z)", body, re.DOTALL)
    if not match:
        return {}, body
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, body
    if not isinstance(data, dict):
        return {}, body
    return data, body[match.end():]


# -- fixtures -------------------------------------------------------------------------------------

@pytest.fixture
def devto_factory() -> Iterator[Callable[..., DevtoFake]]:
    """Make started fakes (kwargs go to :class:`DevtoFake`); all stop at teardown."""
    yield from started_fakes(DevtoFake)


@pytest.fixture
def devto(devto_factory: Callable[..., DevtoFake]) -> DevtoFake:
    """A started fake dev.to with one user (api key :data:`TOKEN`, ``@`` :data:`USERNAME`)."""
    return devto_factory()


__all__ = ["CREATE", "LIST", "ME", "TOKEN", "UPDATE", "USERNAME", "USER_ID", "DevtoFake",
           "FakeArticle", "FakeUser", "devto", "devto_factory", "escape_code", "forem_error",
           "liquid", "render_body", "retry_later", "visible_text"]
