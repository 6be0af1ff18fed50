"""A strict, stateful fake of ForumMagnum's ``/graphql`` (LessWrong, Alignment Forum, EA Forum).

It follows ``reference/forummagnum.md`` and the real schema, and is deliberately no kinder
than the real server: every document is parsed and validated with graphql-core against a
schema with the real type names and nullability (``forummagnum_head.graphql`` for LessWrong
and the Alignment Forum, ``forummagnum_legacy.graphql`` for the EA Forum's older deployment),
then executed by resolvers that apply the server's checks in the server's order.

Flavours (``FakeForum(flavor=...)``):

* ``"lesswrong"``: HEAD schema, Apollo Server 4 error shapes; the login token is read from
  the ``loginToken`` cookie, then from a ``loginToken`` header. Post rate limit: karma < 5
  → 2 published posts a week.
* ``"alignmentforum"``: the same code on another host. Pass the LessWrong fake's ``store``
  to get one database behind two hosts (same users, tokens and posts; ``pageUrl`` uses the
  host's own site URL). Rate limit: 5 published posts a day for everyone.
* ``"eaforum"``: legacy schema (``updatePost(selector: PostSelectorUniqueInput!)``,
  ``contents: JSON``, only ``input:`` on ``post``/``posts``), Apollo Server 2 shapes (any
  reply without ``data`` is HTTP 400, ``throwError`` ids carry ``BAD_USER_INPUT``), cookie
  auth only (``loginToken`` or the legacy ``meteor_login_token``). EA-only checks: emoji in
  titles, terms of use before publishing. Rate limit: 5 published posts a day.

``Authorization: Bearer`` is ignored everywhere, like the real server.

What the resolvers enforce (in the server's order): ``createPost``: anonymous →
``app.operation_not_allowed``; post rate limit when not a draft (``Rate limit: You cannot
post for …``); ``postingDisabled`` → ``app.operation_not_allowed``; any key the user may not
set, by presence (admin-only keys, ``af`` outside the ``alignmentForum`` group, …) →
``app.validation_error``; ``Unrecognized format: X``; EA terms of use and emoji; the
same-title-within-an-hour check (``You recently published another post titled "…"``).
Reading for import (``reference/import.md``): ``user(input: {selector: {slug}})``; the
``userPosts`` view pages (5 posts unless a ``limit`` is given; ``before``/``after`` compare
``postedAt`` strictly; coauthored posts included); ``originalContents.data`` is ``""`` for
anyone but the author while ``ckEditorMarkup`` (computed from the stored revision) is readable
by guests; a rich post's ``markdown`` is the server's lossy turndown conversion and its
``html`` is sanitized with its math pre-rendered (``tests/fakes/forum_content.py``).
``updatePost``: ``app.document_not_found``; undraft rate limit; not the owner or cannot post
→ ``app.operation_not_allowed``; disallowed keys → a message that is the JSON list of
``{id, properties}``; EA checks; recent repost. Publishing sets ``postedAt`` (first time
only) and forces a major revision; ``contents.markdown`` is always exactly the markdown sent,
while ``html`` is rendered with markdown-it and external images are "re-hosted" into a new
patch revision (``Move images to CDN``) right after a create or a content edit, as
ForumMagnum's background task does.

Test helpers (everything a test needs without touching internals)::

    forum = make_forum("lesswrong")           # fixture factory; started, stopped after the test
    forum.endpoint                             # "http://127.0.0.1:<port>/graphql"
    forum.token, forum.user                    # the default user's 64-hex token and FakeUser
    forum.add_user(token, "bob", groups=("alignmentForum",), karma=3, reviewed=False,
                   accepted_tos=False, posting_disabled=False) -> FakeUser
    forum.find_user("bob")                     # the FakeUser called "bob"
    forum.set_groups(user, "alignmentForum")   # replace a user's groups (AF needs this one)
    user.accepted_tos = False                  # FakeUser fields may be changed at any time
    forum.add_post(user, "Title", "body", draft=False, posted_at=None, af=False) -> post id
    forum.add_post(user, "T", "<p>html</p>", kind="ckEditorMarkup", tags=("AI",),
                   fm_crosspost={...}, coauthors=(bob,), shortform=False, is_event=False)
    forum.cdn = "http://127.0.0.1:<port>/cdn"  # where "Move images to CDN" re-hosts images
    forum.aria_labels = False                 # MathJax 3 HTML without its TeX (2026-02…07)
    forum.edit_on_site(post_id, "new markdown")  # the author edits it in the site's editor
    forum.rehost_images(post_id)               # the CDN task: html/version change, markdown not
    forum.set_stats(post_id, score=12, comments=3)
    forum.move_to_draft(post_id); forum.delete_on_site(post_id)
    forum.post(post_id)                        # the stored post, with "markdown"/"html"/"version"
    forum.revisions(post_id)                   # its revisions, oldest first
    forum.posts_of(user)                       # a user's posts (drafts included), newest first
    forum.count_posts()                        # every post in the database
    forum.advance(seconds)                     # move the server clock (rate limits, reposts)
    forum.rate_limits = ()                     # switch post rate limits off (bulk tests)
    forum.calls()                              # every request received, parsed (Call objects)
    forum.inject(Fault.drop_after(match=forum.match("createPost")))
    forum.requests                             # raw Request objects, in order

``apollo_error(...)`` and ``graphql_validation_failure(...)`` build canned replies in the
server's exact shapes for ``Fault.respond``; ``inline_arguments(call, "updatePost")`` gives a
call's literal arguments (variables substituted). ``OTHER_TOKEN`` is a second valid-looking
token for ``add_user``. Both EA and AF enforce 5 published posts a day and every flavour
refuses the same title twice within an hour, as the real servers do: bulk tests should vary
titles and set ``rate_limits=()``.

Fixtures: ``forum`` (a started LessWrong fake with the default user) and ``make_forum``
(``make_forum(flavor="lesswrong", store=None, *, rate_limits=None)``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLResolveInfo,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    execute_sync,
    parse,
    validate,
)

from tests.fakes.server import FakeServer, Fault, Reply, Request, started_fakes

HERE = Path(__file__).resolve().parent

# The default user's token: 64 hex characters, like randomBytes(32).toString('hex').
DEFAULT_TOKEN = hashlib.sha256(b"crosspost fake forummagnum: alice").hexdigest()
OTHER_TOKEN = hashlib.sha256(b"crosspost fake forummagnum: mallory").hexdigest()

# Meteor's id alphabet (no 0, 1, I, O, l).
_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz"


@dataclass(frozen=True)
class Flavor:
    name: str
    site_url: str
    schema_file: str
    forum_type: str
    header_token: bool  # HEAD also reads a `loginToken` request header
    apollo: int  # 4 (HEAD, Next.js) or 2 (Express era)
    formats: frozenset[str]


_HEAD_FORMATS = frozenset({"markdown", "html", "ckEditorMarkup", "draftJS", "lexical"})
FLAVORS: dict[str, Flavor] = {
    "lesswrong": Flavor("lesswrong", "https://www.lesswrong.com", "forummagnum_head.graphql",
                        "LessWrong", header_token=True, apollo=4, formats=_HEAD_FORMATS),
    "alignmentforum": Flavor("alignmentforum", "https://www.alignmentforum.org",
                             "forummagnum_head.graphql", "AlignmentForum", header_token=True,
                             apollo=4, formats=_HEAD_FORMATS),
    "eaforum": Flavor("eaforum", "https://forum.effectivealtruism.org",
                      "forummagnum_legacy.graphql", "EAForum", header_token=False, apollo=2,
                      formats=_HEAD_FORMATS - {"lexical"}),
}


@dataclass(frozen=True)
class PostRateLimit:
    """At most ``posts`` published posts per ``seconds``, for users below ``below_karma``."""

    posts: int
    seconds: float
    message: str
    kind: str
    below_karma: float | None = None


_WEEK = 7 * 24 * 3600.0
_DAY = 24 * 3600.0
# pl/lib/rateLimits/constants.ts: LW's newUserDefault; every other forum type's universal limit.
DEFAULT_RATE_LIMITS: dict[str, tuple[PostRateLimit, ...]] = {
    "LessWrong": (PostRateLimit(2, _WEEK, "Users with less than 5 karma can write up to 2 posts "
                                "a week.", "newUserDefault", below_karma=5),),
    "AlignmentForum": (PostRateLimit(5, _DAY, "Users cannot post more than 5 posts a day.",
                                     "universal"),),
    "EAForum": (PostRateLimit(5, _DAY, "Users cannot post more than 5 posts a day.",
                              "universal"),),
}
_RATE_LIMIT_EXEMPT = frozenset({"admins", "sunshineRegiment", "canBypassPostRateLimit"})

# Keys an ordinary member may set (pl/lib/collections/posts/newSchema.ts canCreate/canUpdate).
_MEMBER_CREATE = frozenset({
    "contents", "moderationGuidelines", "url", "postCategory", "title", "submitToFrontpage",
    "hiddenRelatedQuestion", "originalPostRelationSourceId", "tagRelevance", "activateRSVPs",
    "frontpageDate", "hasCoauthorPermission", "socialPreviewImageId", "socialPreviewImageAutoUrl",
    "socialPreview", "draft", "wasEverUndrafted", "meta", "organizerIds", "groupId", "eventType",
    "isEvent", "startTime", "endTime", "eventRegistrationLink", "joinEventLink", "onlineEvent",
    "globalEvent", "googleLocation", "location", "contactInfo", "facebookLink", "meetupLink",
    "website", "eventImageId", "types", "sharingSettings", "shareWithUsers",
    "sideCommentVisibility", "moderationStyle", "ignoreRateLimits", "collabEditorDialogue",
    "subforumTagId", "suggestForAlignmentUserIds", "generateDraftJargon",
})
_OWNER_UPDATE = frozenset({
    "contents", "moderationGuidelines", "url", "postCategory", "title", "deletedDraft",
    "submitToFrontpage", "hiddenRelatedQuestion", "tagRelevance", "activateRSVPs",
    "hasCoauthorPermission", "socialPreviewImageId", "socialPreviewImageAutoUrl", "socialPreview",
    "draft", "wasEverUndrafted", "meta", "organizerIds", "groupId", "eventType", "startTime",
    "endTime", "eventRegistrationLink", "joinEventLink", "onlineEvent", "globalEvent",
    "googleLocation", "location", "contactInfo", "facebookLink", "meetupLink", "website",
    "eventImageId", "types", "sharingSettings", "shareWithUsers", "sideCommentVisibility",
    "disableSidenotes", "moderationStyle", "ignoreRateLimits", "collabEditorDialogue",
    "suggestForAlignmentUserIds", "agentFoundationsId", "generateDraftJargon",
})
# Before June 2025 `question` was still member-settable (the EA legacy deployment).
_LEGACY_MEMBER_EXTRA = frozenset({"question"})
_AF_KEYS = frozenset({"af", "afDate"})
_CROSSPOST_KARMA = 100

_TOS_ERROR = "You must accept the terms of use before you can publish this post"
_MAX_TITLE = 500


# -- state -------------------------------------------------------------------------------


@dataclass
class FakeUser:
    _id: str
    username: str
    slug: str
    display_name: str
    karma: float = 100.0
    groups: set[str] = field(default_factory=set)
    accepted_tos: bool = True
    posting_disabled: bool = False
    reviewed: bool = True
    banned: bool = False
    deleted: bool = False
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    crosspost_user_id: str | None = None  # fmCrosspostUserId: the linked account on the peer forum

    @property
    def is_admin(self) -> bool:
        return "admins" in self.groups


class ForumStore:
    """One ForumMagnum database. LessWrong and the Alignment Forum fakes may share one."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users: dict[str, FakeUser] = {}
        self.login_tokens: dict[str, str] = {}  # base64(sha256(token)) -> user id
        self.posts: dict[str, dict[str, Any]] = {}
        self.revisions: dict[str, list[dict[str, Any]]] = {}
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def new_id(self) -> str:
        return "".join(secrets.choice(_ID_ALPHABET) for _ in range(17))


def hash_login_token(token: str) -> str:
    """pl/server/loginTokens.ts hashLoginToken: SHA-256 of the token, base64."""
    return base64.b64encode(hashlib.sha256(token.encode("utf-8")).digest()).decode("ascii")


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _js_date(moment: datetime) -> str:
    """A JavaScript Date's toString(), as it appears inside server messages."""
    return moment.astimezone(UTC).strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def _from_now(delta: timedelta) -> str:
    """moment(x).fromNow() for a future x, with relativeTimeThreshold('ss', 0)."""
    seconds = delta.total_seconds()
    if seconds < 45:
        return f"in {max(1, round(seconds))} seconds"
    if seconds < 90:
        return "in a minute"
    if seconds < 45 * 60:
        return f"in {round(seconds / 60)} minutes"
    if seconds < 90 * 60:
        return "in an hour"
    if seconds < 22 * 3600:
        return f"in {round(seconds / 3600)} hours"
    if seconds < 36 * 3600:
        return "in a day"
    if seconds < 26 * 86400:
        return f"in {round(seconds / 86400)} days"
    return f"in {max(1, round(seconds / (30 * 86400)))} months"


def slugify(title: str) -> str:
    """Roughly speakingurl's getSlug(title, {truncate: 60}), as pl/lib/utils/slugify.ts uses it."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > 60:
        cut = slug[:60]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    if slug == "edit":
        slug = "edit-1"
    return slug or "untitled"


def _has_emoji(text: str) -> bool:
    """``/\\p{Extended_Pictographic}/u`` (assertPostTitleHasNoEmojis), with a real property
    class: the fake must not share the product's table, or a mistake in it would go unseen."""
    import regex

    return bool(regex.search(r"\p{Extended_Pictographic}", text))


# -- content -----------------------------------------------------------------------------


@cache
def _markdown_it() -> Any:
    from markdown_it import MarkdownIt

    # pl/lib/utils/markdownItPlugins.ts: markdownIt({linkify: true}); html stays false.
    try:
        return MarkdownIt("js-default", {"linkify": True, "html": False})
    except ModuleNotFoundError:  # pragma: no cover - linkify-it-py missing
        return MarkdownIt("js-default", {"html": False})


def _to_html(kind: str, data: Any, *, aria_label: bool = True) -> tuple[str, str]:
    """(html, markdown) for originalContents {type: kind, data}: a rich post's ``html`` is
    sanitized with its math pre-rendered, its ``markdown`` turndown's lossy conversion
    (``tests/fakes/forum_content.py``)."""
    if kind == "markdown":
        text = str(data)
        return _markdown_it().render(text), text
    if kind in {"html", "ckEditorMarkup", "lexical"}:
        from tests.fakes.forum_content import lossy_markdown, served_html

        html = str(data)
        return (served_html(html, aria_label=aria_label, lexical=kind == "lexical"),
                lossy_markdown(html))
    # draftJS: a JSON document the fake does not render.
    return "", ""


_IMG_SRC = re.compile(r'(<img\b[^>]*\bsrc=")(https?://[^"]+)(")')
_NO_REHOST = ("cloudinary.com", "res.cloudinary.com", "www.lesswrong.com",
              "www.alignmentforum.org")


def _moment(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(
        str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


# -- errors ------------------------------------------------------------------------------


class AppError(Exception):
    """An error a resolver throws; ``app`` marks ForumMagnum's throwError ids."""

    def __init__(self, message: str, *, app: bool = False) -> None:
        super().__init__(message)
        self.app = app


def _app(message: str) -> AppError:
    return AppError(message, app=True)


def _stack(message: str) -> list[str]:
    return [f"Error: {message}", "    at <anonymous> (fake ForumMagnum)"]


def _format_error(error: GraphQLError, flavor: Flavor) -> dict[str, Any]:
    out: dict[str, Any] = {"message": error.message}
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        out["path"] = list(error.path)
    original = error.original_error
    if isinstance(original, AppError) and original.app and flavor.apollo == 2:
        code = "BAD_USER_INPUT"  # Express era: throwError threw UserInputError(id)
    else:
        code = "INTERNAL_SERVER_ERROR"  # Apollo's default for errors thrown without a code
    extensions: dict[str, Any] = {"code": code}
    if flavor.apollo == 4:
        extensions["stacktrace"] = _stack(error.message)  # includeStacktraceInErrorResponses
    else:
        extensions["exception"] = {"stacktrace": _stack(error.message)}
    out["extensions"] = extensions
    return out


def apollo_error(message: str, field_name: str, *, flavor: str = "lesswrong",
                 code: str | None = None) -> Reply:
    """A canned HTTP 200 resolver-error reply, e.g. for ``Fault.respond``."""
    apollo = FLAVORS[flavor].apollo
    extensions: dict[str, Any] = {"code": code or "INTERNAL_SERVER_ERROR"}
    if apollo == 4:
        extensions["stacktrace"] = _stack(message)
    return Reply.json({"errors": [{"message": message, "locations": [{"line": 1, "column": 3}],
                                   "path": [field_name], "extensions": extensions}],
                       "data": {field_name: None}})


def graphql_validation_failure(message: str) -> Reply:
    """A canned HTTP 400 ``GRAPHQL_VALIDATION_FAILED`` reply (a query the server's schema refuses)."""
    return Reply.json({"errors": [{"message": message, "locations": [{"line": 1, "column": 20}],
                                   "extensions": {"code": "GRAPHQL_VALIDATION_FAILED",
                                                  "stacktrace": _stack(message)}}]}, status=400)


def _request_errors(errors: Sequence[GraphQLError], code: str, status: int) -> Reply:
    body = []
    for error in errors:
        item: dict[str, Any] = {"message": error.message}
        if error.locations:
            item["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
        item["extensions"] = {"code": code, "stacktrace": _stack(error.message)}
        body.append(item)
    return Reply.json({"errors": body}, status=status)


# -- schema and resolvers ----------------------------------------------------------------


@dataclass
class _Ctx:
    forum: FakeForum
    user: FakeUser | None
    request: Request


def _ctx(info: GraphQLResolveInfo) -> _Ctx:
    context: _Ctx = info.context
    return context


def _resolve_current_user(_root: Any, info: GraphQLResolveInfo) -> Any:
    ctx = _ctx(info)
    return ctx.forum.user_view(ctx.user, ctx.user) if ctx.user else None


def _resolve_post(_root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    ctx = _ctx(info)
    return ctx.forum.single_post(ctx, args)


def _resolve_posts(_root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    ctx = _ctx(info)
    return ctx.forum.multi_post(ctx, args)


def _resolve_user(_root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    ctx = _ctx(info)
    return ctx.forum.single_user(ctx, args)


def _resolve_create(_root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    ctx = _ctx(info)
    return ctx.forum.create_post(ctx, args["data"])


def _resolve_update(_root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    ctx = _ctx(info)
    return ctx.forum.update_post(ctx, args["selector"], args["data"])


@cache
def load_schema(schema_file: str) -> GraphQLSchema:
    schema = build_schema((HERE / schema_file).read_text(encoding="utf-8"))
    query, mutation = schema.query_type, schema.mutation_type
    assert query is not None
    assert mutation is not None
    query.fields["currentUser"].resolve = _resolve_current_user
    query.fields["post"].resolve = _resolve_post
    query.fields["posts"].resolve = _resolve_posts
    query.fields["user"].resolve = _resolve_user
    mutation.fields["createPost"].resolve = _resolve_create
    mutation.fields["updatePost"].resolve = _resolve_update
    return schema


# -- requests, as tests see them ---------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One request as the fake received it, parsed for assertions."""

    request: Request
    operation: str | None  # "query" / "mutation", None when the body was not GraphQL
    fields: tuple[str, ...]  # root fields, e.g. ("createPost",)
    query: str
    variables: Mapping[str, Any]

    @property
    def cookies(self) -> dict[str, str]:
        return self.request.cookies()


def _parse_call(request: Request) -> Call:
    try:
        payload = json.loads(request.body.decode("utf-8")) if request.body else {}
    except (ValueError, UnicodeDecodeError):
        payload = {}
    if request.method == "GET":
        payload = {"query": (request.query.get("query") or [""])[0]}
    query = payload.get("query") if isinstance(payload, dict) else None
    variables = payload.get("variables") if isinstance(payload, dict) else None
    if not isinstance(query, str):
        return Call(request, None, (), "", {})
    try:
        document = parse(query)
    except GraphQLError:
        return Call(request, None, (), query, variables or {})
    kind: str | None = None
    names: list[str] = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            kind = definition.operation.value
            names.extend(sel.name.value for sel in definition.selection_set.selections
                         if isinstance(sel, FieldNode))
    return Call(request, kind, tuple(names), query, variables if isinstance(variables, dict) else {})


def inline_arguments(call: Call, field_name: str) -> list[dict[str, Any]]:
    """The literal arguments of each ``field_name`` root field of ``call`` (as Python values)."""
    from graphql import value_from_ast_untyped

    out: list[dict[str, Any]] = []
    document = parse(call.query)
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        for sel in definition.selection_set.selections:
            if isinstance(sel, FieldNode) and sel.name.value == field_name:
                out.append({arg.name.value: value_from_ast_untyped(arg.value, dict(call.variables))
                            for arg in sel.arguments})
    return out


# -- the fake ----------------------------------------------------------------------------


_NOT_FOUND_PAGE = "<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>"


class FakeForum:
    """One ForumMagnum host. See the module docstring for the flavours and helpers."""

    def __init__(self, flavor: str = "lesswrong", store: ForumStore | None = None, *,
                 rate_limits: Sequence[PostRateLimit] | None = None) -> None:
        self.flavor = FLAVORS[flavor]
        self.store = store if store is not None else ForumStore()
        self.rate_limits: tuple[PostRateLimit, ...] = tuple(
            DEFAULT_RATE_LIMITS[self.flavor.forum_type] if rate_limits is None else rate_limits)
        self.schema = load_schema(self.flavor.schema_file)
        self.server = FakeServer(self)
        # Where "Move images to CDN" re-hosts images (a test points it at a local server).
        self.cdn = "https://res.cloudinary.com/lesswrong-2-0/image/upload/q_auto,f_auto"
        # MathJax 3 HTML carries the TeX in aria-label (False: revisions of 2026-02-10…07-29).
        self.aria_labels = True
        # The other forum of an FM crossposting pair (LessWrong <-> EA Forum), once linked.
        self.peer: FakeForum | None = None
        # The default user: "alice" in a new database, the first user of a shared one.
        self.token: str = DEFAULT_TOKEN
        with self.store.lock:
            existing = next(iter(self.store.users.values()), None)
        self.user: FakeUser = existing or self.add_user(DEFAULT_TOKEN, "alice",
                                                        display_name="Alice Example")

    # lifecycle and plumbing

    def start(self) -> FakeForum:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    @property
    def endpoint(self) -> str:
        return f"{self.server.url}/graphql"

    @property
    def site_url(self) -> str:
        return self.flavor.site_url

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def inject(self, fault: Fault) -> None:
        self.server.inject(fault)

    def calls(self) -> list[Call]:
        return [_parse_call(request) for request in list(self.server.requests)]

    @staticmethod
    def match(*field_names: str) -> Callable[[Request], bool]:
        """A fault matcher: requests whose root fields include any of ``field_names``."""
        wanted = set(field_names)
        return lambda request: bool(wanted.intersection(_parse_call(request).fields))

    # users and posts for tests

    def add_user(self, token: str | None, username: str, *, groups: Sequence[str] = (),
                 karma: float = 100.0, display_name: str | None = None, reviewed: bool = True,
                 accepted_tos: bool = True, posting_disabled: bool = False,
                 banned: bool = False) -> FakeUser:
        with self.store.lock:
            user = FakeUser(self.store.new_id(), username, slugify(username),
                            display_name or username.title(), karma=karma, groups=set(groups),
                            accepted_tos=accepted_tos, posting_disabled=posting_disabled,
                            reviewed=reviewed, banned=banned)
            self.store.users[user._id] = user
            if token:
                self.store.login_tokens[hash_login_token(token)] = user._id
            return user

    def set_groups(self, user: FakeUser, *groups: str) -> None:
        with self.store.lock:
            user.groups = set(groups)

    def find_user(self, username: str) -> FakeUser:
        for user in self.store.users.values():
            if user.username == username:
                return user
        raise KeyError(username)

    def add_post(self, user: FakeUser, title: str, body: str, *, draft: bool = False,
                 posted_at: datetime | None = None, af: bool = False, kind: str = "markdown",
                 tags: Sequence[str] = (), fm_crosspost: Mapping[str, Any] | None = None,
                 coauthors: Sequence[FakeUser] = (), shortform: bool = False,
                 is_event: bool = False, rehost: bool = True) -> str:
        """Seed a post as if the user had written it on the site (no checks). ``kind`` is
        its editor (``ckEditorMarkup``, ``lexical``: ``body`` is the stored HTML); ``tags``
        are tag names; ``fm_crosspost`` its native crosspost (``{"isCrosspost": True,
        "hostedHere": True, "foreignPostId": …}``). Images are re-hosted, as after any save."""
        with self.store.lock:
            now = self.store.now()
            post = self._new_post(user, {"title": title, "draft": draft, "af": af,
                                         "fmCrosspost": dict(fm_crosspost) if fm_crosspost
                                         else None, "isEvent": is_event}, now)
            if posted_at is not None:
                post["postedAt"] = posted_at
                post["createdAt"] = posted_at
            post["tags"] = list(tags)
            post["coauthorUserIds"] = [c._id for c in coauthors]
            post["shortform"] = shortform
            self.store.posts[post["_id"]] = post
            self.store.revisions[post["_id"]] = [
                self._revision(post, user, kind, body, "0.1.0" if draft else "1.0.0",
                               "initial", None, now)]
            if rehost:
                self._rehost_images(post["_id"])
            return str(post["_id"])

    def edit_on_site(self, post_id: str, text: str, *, kind: str = "markdown",
                     update_type: str = "minor") -> str:
        """The author edits the post in the site's own editor: a new revision, as the server
        stores it (``markdown`` from the new contents, ``html`` rendered again, the version
        bumped), then the image re-hosting task. ``kind="ckEditorMarkup"`` is an edit in the
        rich-text editor (``text`` is HTML; ``markdown`` is then a conversion). Returns the
        new version."""
        with self.store.lock:
            post = self.store.posts[post_id]
            user = self.store.users[post["userId"]]
            revisions = self.store.revisions[post_id]
            major, minor, patch = (int(part) for part in revisions[-1]["version"].split("."))
            version = {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0",
                       "patch": f"{major}.{minor}.{patch + 1}"}[update_type]
            now = self.store.now()
            revisions.append(self._revision(post, user, kind, text, version, update_type, None,
                                            now))
            post["modifiedAt"] = now
            self._rehost_images(post_id)
            return str(self.store.revisions[post_id][-1]["version"])

    def rehost_images(self, post_id: str) -> bool:
        """Run the "Move images to CDN" task on the latest revision now; True when it made
        a new revision (``html`` and ``version`` change, ``markdown`` never does)."""
        with self.store.lock:
            before = len(self.store.revisions[post_id])
            self._rehost_images(post_id)
            return len(self.store.revisions[post_id]) > before

    def set_stats(self, post_id: str, *, score: float | None = None,
                  comments: int | None = None) -> None:
        """Readers voted and commented (``baseScore``, ``commentCount``)."""
        with self.store.lock:
            post = self.store.posts[post_id]
            if score is not None:
                post["baseScore"] = float(score)
            if comments is not None:
                post["commentCount"] = int(comments)

    def move_to_draft(self, post_id: str) -> None:
        """The author moved the post back to drafts on the site."""
        with self.store.lock:
            self.store.posts[post_id]["draft"] = True
            self.store.posts[post_id]["modifiedAt"] = self.store.now()

    def delete_on_site(self, post_id: str) -> None:
        """The author deleted the post on the site (a deleted draft, as the server keeps it)."""
        with self.store.lock:
            self.store.posts[post_id].update(draft=True, deletedDraft=True)

    def post(self, post_id: str) -> dict[str, Any]:
        """The stored post plus its latest revision's markdown, html and version."""
        with self.store.lock:
            post = dict(self.store.posts[post_id])
            latest = self.store.revisions[post_id][-1]
            post.update(markdown=latest["markdown"], html=latest["html"],
                        version=latest["version"], pageUrl=self._page_url(post))
            return post

    def revisions(self, post_id: str) -> list[dict[str, Any]]:
        with self.store.lock:
            return [dict(rev) for rev in self.store.revisions[post_id]]

    def posts_of(self, user: FakeUser | str) -> list[dict[str, Any]]:
        user_id = user._id if isinstance(user, FakeUser) else self.find_user(user)._id
        with self.store.lock:
            mine = [self.post(pid) for pid, post in self.store.posts.items()
                    if post["userId"] == user_id]
        return sorted(mine, key=lambda p: p["createdAt"], reverse=True)

    def count_posts(self) -> int:
        with self.store.lock:
            return len(self.store.posts)

    def link_crossposting(self, peer: FakeForum, user: FakeUser | None = None,
                          peer_user: FakeUser | None = None) -> None:
        """Link ``user`` here and ``peer_user`` on ``peer`` for FM crossposting, as the
        forums' settings page does (connectCrossposter stores ``fmCrosspostUserId`` on both
        sides, forummagnum.md §7.1)."""
        mine, theirs = user or self.user, peer_user or peer.user
        with self.store.lock:
            mine.crosspost_user_id = theirs._id
        with peer.store.lock:
            theirs.crosspost_user_id = mine._id
        self.peer, peer.peer = peer, self

    def advance(self, seconds: float) -> None:
        with self.store.lock:
            self.store.offset += timedelta(seconds=seconds)

    # HTTP

    def __call__(self, request: Request) -> Reply:
        if request.path.rstrip("/") != "/graphql":
            return Reply.html(_NOT_FOUND_PAGE, 404)
        if request.method == "GET":
            params = {key: values[0] for key, values in request.query.items()}
            try:
                variables = json.loads(params.get("variables") or "null")
            except ValueError:
                return Reply.raw(b"Invalid JSON in the variables parameter", 400, "text/plain")
            payload: Any = {"query": params.get("query"), "variables": variables,
                            "operationName": params.get("operationName")}
            return self._operation(request, payload, get=True)
        if request.method != "POST":
            return Reply.raw(b"Method Not Allowed", 405, "text/plain")
        ctype = (request.headers.get_header("content-type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return Reply.raw(b"POST body missing, invalid Content-Type, or JSON object has no keys.",
                             400, "text/plain")
        try:
            payload = json.loads(request.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return Reply.raw(b"Invalid JSON in request body", 400, "text/plain")
        if isinstance(payload, list):  # batched operations (allowBatchedHttpRequests)
            replies = [self._operation(request, item, get=False) for item in payload]
            return Reply.json([json.loads(r.body) for r in replies])
        return self._operation(request, payload, get=False)

    def authenticate(self, request: Request) -> FakeUser | None:
        cookies = request.cookies()
        token = cookies.get("loginToken")
        if token is None and self.flavor.header_token:
            token = request.headers.get_header("logintoken")
        if token is None and self.flavor.apollo == 2:
            token = cookies.get("meteor_login_token")
        if not token:
            return None
        with self.store.lock:
            user_id = self.store.login_tokens.get(hash_login_token(token))
            user = self.store.users.get(user_id) if user_id else None
        if user is None or user.banned:
            return None
        return user

    def _operation(self, request: Request, payload: Any, *, get: bool) -> Reply:
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str) \
                or not payload["query"].strip():
            return Reply.json({"errors": [{
                "message": "GraphQL operations must contain a non-empty `query` or a "
                           "`persistedQuery` extension.",
                "extensions": {"code": "BAD_REQUEST"}}]}, status=400)
        try:
            document = parse(payload["query"])
        except GraphQLError as exc:
            return _request_errors([exc], "GRAPHQL_PARSE_FAILED", 400)
        errors = validate(self.schema, document)
        if errors:
            return _request_errors(errors, "GRAPHQL_VALIDATION_FAILED", 400)
        variables = payload.get("variables")
        if variables is not None and not isinstance(variables, dict):
            return _request_errors([GraphQLError("`variables` in a POST body should be an object")],
                                   "BAD_REQUEST", 400)
        if get and any(isinstance(d, OperationDefinitionNode) and d.operation.value == "mutation"
                       for d in document.definitions):
            return Reply.json({"errors": [{"message": "Can only perform a mutation operation "
                                                      "from a POST request."}]}, status=405)
        ctx = _Ctx(self, self.authenticate(request), request)
        with self.store.lock:
            result: ExecutionResult = execute_sync(
                self.schema, document, context_value=ctx, variable_values=variables,
                operation_name=payload.get("operationName"))
        if result.data is None and result.errors:
            # Variable coercion (unknown or missing field inside $data). Apollo Server 4
            # answers 200 with BAD_USER_INPUT; Apollo Server 2 answered any data-less reply 400.
            status = 200 if self.flavor.apollo == 4 else 400
            return _request_errors(result.errors, "BAD_USER_INPUT", status)
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [_format_error(error, self.flavor) for error in result.errors]
        body["data"] = result.data
        return Reply.json(body)

    # views (what a given viewer may read)

    def _page_url(self, post: Mapping[str, Any]) -> str:
        kind = "events" if post.get("isEvent") else "posts"
        return f"{self.flavor.site_url}/{kind}/{post['_id']}/{post['slug']}"

    def user_view(self, user: FakeUser, viewer: FakeUser | None) -> dict[str, Any]:
        own = viewer is not None and (viewer._id == user._id or viewer.is_admin)
        with self.store.lock:
            posts = [p for p in self.store.posts.values()
                     if p["userId"] == user._id and not p["draft"]]
        return {
            "_id": user._id, "createdAt": _iso(user.created_at), "slug": user.slug,
            "oldSlugs": [], "username": user.username, "isAdmin": user.is_admin,
            "displayName": user.display_name, "previousDisplayName": None,
            "email": f"{user.username}@example.org" if own else None, "noindex": False,
            "groups": sorted(user.groups), "pageUrl": f"{self.flavor.site_url}/users/{user.slug}",
            "pagePath": f"/users/{user.slug}", "acceptedTos": user.accepted_tos if own else None,
            "sortDraftsBy": None, "karma": user.karma, "deleted": user.deleted,
            "banned": None, "reviewedByUserId": "reviewer0000000001" if user.reviewed else None,
            "reviewedAt": None, "postCount": float(len(posts)), "commentCount": 0.0,
            "postingDisabled": user.posting_disabled, "allCommentingDisabled": False,
            "fmCrosspostUserId": user.crosspost_user_id,
            "rateLimitNextAbleToPost": self._rate_limit_info(user) if own else None,
            "rateLimitNextAbleToComment": None, "afKarma": 0.0,
            "afPostCount": float(sum(1 for p in posts if p["af"])), "posts": [],
        }

    def _can_see(self, post: Mapping[str, Any], viewer: FakeUser | None) -> bool:
        owner = viewer is not None and (viewer._id == post["userId"] or viewer.is_admin)
        if owner:
            return True
        return not (post["draft"] or post["authorIsUnreviewed"] or post["status"] != 2
                    or post["rejected"] or post["deletedDraft"])

    def post_view(self, post: Mapping[str, Any], viewer: FakeUser | None) -> dict[str, Any]:
        """A fresh snapshot of ``post`` as ``viewer`` may read it (later edits don't leak in)."""
        owner = viewer is not None and (viewer._id == post["userId"] or viewer.is_admin)
        revisions = self.store.revisions[post["_id"]]

        def revision_view(rev: Mapping[str, Any]) -> dict[str, Any] | None:
            if rev["draft"] and not owner:
                return None
            original = dict(rev["originalContents"])
            if not owner:
                original["data"] = ""
            return {
                "_id": rev["_id"], "createdAt": _iso(rev["editedAt"]),
                "documentId": post["_id"], "collectionName": "Posts", "fieldName": "contents",
                "editedAt": _iso(rev["editedAt"]), "updateType": rev["updateType"],
                "version": rev["version"], "commitMessage": rev["commitMessage"],
                "userId": rev["userId"], "user": None, "draft": rev["draft"],
                "originalContents": original, "html": rev["html"], "markdown": rev["markdown"],
                # Computed from the stored revision, so guests read it (import.md §0.2).
                "ckEditorMarkup": (rev["originalContents"]["data"]
                                   if rev["originalContents"]["type"] == "ckEditorMarkup"
                                   else rev["html"]),
                "wordCount": float(rev["wordCount"]),
                "htmlHighlight": rev["html"][:2000], "plaintextDescription": _plain(rev["html"])[:300],
                "plaintextMainText": _plain(rev["html"]), "hasFootnotes": "[^" in rev["markdown"],
                "post": None,
            }

        latest = revisions[-1]
        contents = revision_view(latest)
        author = self.store.users.get(post["userId"])
        url = post["url"]
        page_url = self._page_url(post)
        return {
            "_id": post["_id"], "schemaVersion": 2.0,
            "createdAt": _iso(post["createdAt"]) if viewer is not None and viewer.is_admin else None,
            "contents": contents, "contents_latest": latest["_id"],
            "revisions": [v for v in (revision_view(r) for r in reversed(revisions[-5:])) if v],
            "version": latest["version"], "slug": post["slug"], "postedAt": _iso(post["postedAt"]),
            "modifiedAt": _iso(post["modifiedAt"]), "url": url,
            "postCategory": post["postCategory"], "title": post["title"], "viewCount": None,
            "lastCommentedAt": _iso(post["postedAt"]), "deletedDraft": post["deletedDraft"],
            "status": float(post["status"]), "isFuture": False, "sticky": False,
            "userId": post["userId"],
            "user": self.user_view(author, viewer) if author else None,
            "domain": urlsplit(url).hostname if url else None, "pageUrl": page_url,
            "pageUrlRelative": urlsplit(page_url).path, "linkUrl": url or page_url,
            "question": post["question"], "authorIsUnreviewed": post["authorIsUnreviewed"],
            "wordCount": int(latest["wordCount"]), "htmlBody": latest["html"],
            "submitToFrontpage": post["submitToFrontpage"],
            "shortform": bool(post.get("shortform")),
            "canonicalSource": None, "tagRelevance": post["tagRelevance"],
            "tags": [{"_id": hashlib.sha256(name.encode()).hexdigest()[:17], "name": name,
                      "slug": slugify(name)} for name in post.get("tags") or ()],
            "coauthors": [self.user_view(self.store.users[uid], viewer)
                          for uid in post.get("coauthorUserIds") or ()],
            "noIndex": False, "feedId": None, "feedLink": None, "curatedDate": None,
            "frontpageDate": None, "coauthorUserIds": list(post.get("coauthorUserIds") or ()),
            "socialPreview": None,
            "fmCrosspost": post["fmCrosspost"], "unlisted": False,
            "draft": post["draft"] if viewer is not None else None,
            "wasEverUndrafted": post["wasEverUndrafted"], "meta": False,
            "isEvent": bool(post.get("isEvent")), "reviewedByUserId": None,
            "shareWithUsers": [], "linkSharingKey": post["linkSharingKey"] if owner else None,
            "hideAuthor": False, "commentCount": float(post.get("commentCount", 0)),
            "collabEditorDialogue": False,
            "rejected": post["rejected"], "rejectedReason": None, "af": post["af"],
            "afDate": _iso(post["afDate"]), "voteCount": 1.0, "baseScore": float(post["baseScore"]),
            "score": 0.0,
        }

    # rate limits

    def _rate_limit_info(self, user: FakeUser) -> dict[str, Any] | None:
        if _RATE_LIMIT_EXEMPT.intersection(user.groups):
            return None
        now = self.store.now()
        strictest: tuple[datetime, PostRateLimit] | None = None
        with self.store.lock:
            published = sorted(
                (p["postedAt"] for p in self.store.posts.values()
                 if p["userId"] == user._id and not p["draft"] and not p.get("isEvent")),
                reverse=True)
        for limit in self.rate_limits:
            if limit.below_karma is not None and user.karma >= limit.below_karma:
                continue
            window = timedelta(seconds=limit.seconds)
            recent = [when for when in published if when > now - window]
            if len(recent) >= limit.posts:
                eligible = recent[limit.posts - 1] + window
                if strictest is None or eligible > strictest[0]:
                    strictest = (eligible, limit)
        if strictest is None:
            return None
        return {"nextEligible": _iso(strictest[0]), "rateLimitType": strictest[1].kind,
                "rateLimitMessage": strictest[1].message}

    def _enforce_rate_limit(self, user: FakeUser) -> None:
        info = self._rate_limit_info(user)
        if info is None:
            return
        eligible = datetime.fromisoformat(info["nextEligible"])
        now = self.store.now()
        if eligible > now:
            raise AppError(f"Rate limit: You cannot post for {_from_now(eligible - now)}, "
                           f"until {_js_date(eligible)}")

    # resolvers

    def single_post(self, ctx: _Ctx, args: Mapping[str, Any]) -> dict[str, Any]:
        given = args.get("input") or {}
        selector = given.get("selector") or args.get("selector") or {}
        allow_null = bool(given.get("allowNull") or args.get("allowNull"))
        post = self._select(selector)
        if post is None or not self._can_see(post, ctx.user):
            if allow_null:
                return {"result": None}
            raise _app("app.missing_document" if post is None else "app.operation_not_allowed")
        return {"result": self.post_view(post, ctx.user)}

    def single_user(self, ctx: _Ctx, args: Mapping[str, Any]) -> dict[str, Any]:
        """``user(input: {selector: {slug}})``: the current slug only (UserSelectorUniqueInput);
        a missing user is ``app.missing_document`` unless ``allowNull`` (legacy only)."""
        given = args.get("input") or {}
        selector = given.get("selector") or args.get("selector") or {}
        with self.store.lock:
            user = next((u for u in self.store.users.values()
                         if (selector.get("slug") and u.slug == selector["slug"])
                         or (selector.get("_id") and u._id == selector["_id"])), None)
        if user is None or user.deleted:
            if given.get("allowNull"):
                return {"result": None}
            raise _app("app.missing_document")
        return {"result": self.user_view(user, ctx.user)}

    def _select(self, selector: Mapping[str, Any]) -> dict[str, Any] | None:
        post_id = selector.get("_id") or selector.get("documentId")
        if post_id:
            return self.store.posts.get(post_id)
        slug = selector.get("slug")
        if slug:
            return next((p for p in self.store.posts.values() if p["slug"] == slug), None)
        return None

    def multi_post(self, ctx: _Ctx, args: Mapping[str, Any]) -> dict[str, Any]:
        given = args.get("input") or {}
        terms = dict(given.get("terms") or {})
        selector = args.get("selector")
        if selector:
            (view, view_terms), = selector.items()
            terms = {**(view_terms or {}), "view": view}
        # The views' default page is 5 posts (viewUtils.ts); asking for more is allowed.
        limit = terms.get("limit") or given.get("limit") or args.get("limit") or 5
        view = terms.get("view") or "default"
        user_id = terms.get("userId")
        posts = list(self.store.posts.values())
        if view == "drafts":
            if not user_id:
                return {"results": [], "totalCount": None}
            chosen = [p for p in posts if p["userId"] == user_id and p["draft"]
                      and (terms.get("includeArchived") or not p["deletedDraft"])
                      and (terms.get("includeDraftEvents") or not p.get("isEvent"))]
            order = terms.get("sortDraftsBy")
            key = "createdAt" if order == "newest" else "modifiedAt"
            chosen.sort(key=lambda p: p[key], reverse=True)
        elif view in {"userPosts", "default"}:
            unreviewed = bool(terms.get("authorIsUnreviewed", False))
            # userPosts: the user's posts and those they coauthored (views.ts).
            chosen = [p for p in posts if not p["draft"] and p["status"] == 2
                      and p["authorIsUnreviewed"] == unreviewed and not p["rejected"]
                      and (not user_id or p["userId"] == user_id
                           or (view == "userPosts" and user_id in (p.get("coauthorUserIds") or ())))]
            # `before`/`after` compare postedAt strictly (pl/lib/collections/posts/views.ts).
            if terms.get("before"):
                cut = _moment(terms["before"])
                chosen = [p for p in chosen if p["postedAt"] < cut]
            if terms.get("after"):
                cut = _moment(terms["after"])
                chosen = [p for p in chosen if p["postedAt"] > cut]
            if terms.get("sortedBy") in {"new", None} and view == "userPosts":
                chosen.sort(key=lambda p: p["postedAt"], reverse=True)
            else:
                chosen.sort(key=lambda p: (p["baseScore"], p["postedAt"]), reverse=True)
        else:
            raise AppError(f"the fake ForumMagnum does not implement the {view!r} view")
        visible = [self.post_view(p, ctx.user) for p in chosen if self._can_see(p, ctx.user)]
        return {"results": visible[: int(limit)], "totalCount": None}

    def _can_set(self, user: FakeUser, key: str, *, creating: bool,
                 post: Mapping[str, Any] | None = None) -> bool:
        if user.is_admin:
            return True
        if key in _AF_KEYS:
            return "alignmentForum" in user.groups
        if key == "fmCrosspost":
            return user.karma >= _CROSSPOST_KARMA
        if self.flavor.apollo == 2 and key in _LEGACY_MEMBER_EXTRA:
            return True
        if creating:
            return key in _MEMBER_CREATE
        owns = post is not None and post["userId"] == user._id
        return owns and key in _OWNER_UPDATE

    def _contents(self, data: Mapping[str, Any]) -> tuple[str, Any] | None:
        contents = data.get("contents")
        if contents is None:
            return None
        if not isinstance(contents, Mapping) or not isinstance(contents.get("originalContents"),
                                                               Mapping):
            raise AppError("Cannot read properties of undefined (reading 'type')")
        original = contents["originalContents"]
        kind = original.get("type")
        if kind not in self.flavor.formats:
            raise AppError(f"Unrecognized format: {kind}")
        return str(kind), original.get("data")

    def _ea_checks(self, user: FakeUser, data: Mapping[str, Any]) -> None:
        if self.flavor.forum_type != "EAForum":
            return
        if data.get("draft") is False and not data.get("shortform") and not user.accepted_tos:
            raise AppError(_TOS_ERROR)
        if _has_emoji(str(data.get("title") or "")):
            raise AppError("Post titles cannot contain emojis")

    def _check_recent_repost(self, post: Mapping[str, Any], user: FakeUser,
                             exclude: str | None) -> None:
        if post.get("draft"):
            return
        hour_ago = self.store.now() - timedelta(hours=1)
        for other in self.store.posts.values():
            if (other["_id"] != exclude and other["title"] == post.get("title")
                    and other["userId"] == user._id and not other["draft"]
                    and other["createdAt"] > hour_ago):
                raise AppError(f'You recently published another post titled "{post.get("title")}"')

    def _check_lengths(self, data: Mapping[str, Any]) -> None:
        for key in ("title", "url"):
            value = data.get(key)
            if isinstance(value, str) and len(value) > _MAX_TITLE:
                if self.flavor.apollo == 2:  # SimpleSchema max: 500
                    raise _app("app.validation_error")
                raise AppError("value too long for type character varying(500)")

    def _unused_slug(self, base: str, exclude: str | None = None) -> str:
        taken = {p["slug"] for p in self.store.posts.values() if p["_id"] != exclude}
        slug, index = base, 0
        while slug in taken:
            index += 1
            slug = f"{base}-{index}" if index <= 10 else f"{base}-{secrets.token_hex(2)}"
        return slug

    # FM crossposting (pl/server/fmCrosspost/crosspost.ts; forummagnum.md §7.1)

    @staticmethod
    def _refuse_foreign_post_id(user: FakeUser, data: Mapping[str, Any]) -> None:
        """``fmCrosspost.foreignPostId`` is set by the servers only (CrosspostInput's
        foreignPostId is admin-only)."""
        value = data.get("fmCrosspost")
        if isinstance(value, Mapping) and value.get("foreignPostId") and not user.is_admin:
            raise _app(json.dumps([{"id": "errors.disallowed_property_detected",
                                    "properties": {"name": "fmCrosspost.foreignPostId"}}],
                                  separators=(",", ":")))

    @staticmethod
    def _wants_crosspost(value: Any) -> bool:
        return (isinstance(value, Mapping) and bool(value.get("isCrosspost"))
                and bool(value.get("hostedHere")) and not value.get("foreignPostId"))

    def _check_crosspost_request(self, user: FakeUser, value: Any, *, draft: bool) -> None:
        """performCrosspost's refusals, before anything is saved: drafts are never
        crossposted; an unlinked account is refused with the server's own words."""
        if draft or not self._wants_crosspost(value):
            return
        if not user.crosspost_user_id:
            raise AppError("You have not connected a crossposting account yet")
        if self.peer is None:
            raise AppError("Failed to create crosspost")

    def _perform_crosspost(self, post: dict[str, Any], user: FakeUser) -> None:
        """A public post asking for a pair gets its copy on the peer forum, made there by the
        server (createCrosspostCrosspostHandler): the peer's post carries the origin's id and
        a copy of its originalContents; the origin stores the peer's id."""
        if post["draft"] or not self._wants_crosspost(post.get("fmCrosspost")):
            return
        peer = self.peer
        assert peer is not None
        assert user.crosspost_user_id is not None
        original = self.store.revisions[post["_id"]][-1]["originalContents"]
        with peer.store.lock:
            owner = peer.store.users[user.crosspost_user_id]
            now = peer.store.now()
            copy = peer._new_post(owner, {"title": post["title"], "draft": False}, now)
            copy["fmCrosspost"] = {"isCrosspost": True, "hostedHere": False, "foreignPostId": post["_id"]}
            peer.store.posts[copy["_id"]] = copy
            peer.store.revisions[copy["_id"]] = [peer._revision(
                copy, owner, original["type"], original["data"], "1.0.0", "initial", None, now)]
        post["fmCrosspost"] = {**post["fmCrosspost"], "foreignPostId": copy["_id"]}

    def _sync_crosspost(self, post: Mapping[str, Any], old: Mapping[str, Any]) -> None:
        """Edits of a pair's origin reach its peer (updateCrosspost: the denormalized title
        and draft state; the peer page shows the origin's contents)."""
        pair = post.get("fmCrosspost")
        if not (isinstance(pair, Mapping) and pair.get("hostedHere") and pair.get("foreignPostId")):
            return
        peer = self.peer
        if peer is None or (post["title"] == old["title"] and post["draft"] == old["draft"]):
            return
        with peer.store.lock:
            copy = peer.store.posts.get(str(pair["foreignPostId"]))
            if copy is not None:
                copy["title"], copy["draft"] = post["title"], post["draft"]

    def _new_post(self, user: FakeUser, data: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        post_id = self.store.new_id()
        draft = bool(data.get("draft"))
        return {
            "_id": post_id, "title": data["title"],
            "slug": self._unused_slug(slugify(str(data["title"]))), "userId": user._id,
            "draft": draft, "deletedDraft": False, "url": data.get("url"),
            "postCategory": data.get("postCategory") or "post", "af": bool(data.get("af")),
            "afDate": now if data.get("af") else None,
            "submitToFrontpage": data.get("submitToFrontpage", True) is not False,
            "authorIsUnreviewed": not user.reviewed, "status": 2, "isEvent": bool(data.get("isEvent")),
            "question": bool(data.get("question")), "rejected": False,
            "createdAt": now, "postedAt": now, "modifiedAt": now,
            "wasEverUndrafted": not draft, "tagRelevance": data.get("tagRelevance"),
            "fmCrosspost": data.get("fmCrosspost"), "linkSharingKey": secrets.token_hex(8),
            "baseScore": 2.0,
        }

    def _revision(self, post: Mapping[str, Any], user: FakeUser, kind: str, data: Any,
                  version: str, update_type: str, commit: str | None,
                  now: datetime) -> dict[str, Any]:
        html, markdown = _to_html(kind, data, aria_label=self.aria_labels)
        return {
            "_id": self.store.new_id(), "version": version, "editedAt": now,
            "updateType": update_type, "commitMessage": commit, "userId": user._id,
            "draft": version.startswith("0."), "originalContents": {"type": kind, "data": data},
            "html": html, "markdown": markdown, "wordCount": len(_plain(html).split()),
        }

    def _rehost_images(self, post_id: str) -> None:
        """The background "Move images to CDN" task, run to completion at once."""
        revisions = self.store.revisions[post_id]
        latest = revisions[-1]

        def swap(match: re.Match[str]) -> str:
            host = urlsplit(match.group(2)).hostname or ""
            if host in _NO_REHOST or host.endswith(".cloudinary.com") or \
                    match.group(2).startswith(self.cdn):
                return match.group(0)
            digest = hashlib.sha256(match.group(2).encode()).hexdigest()[:20]
            return f"{match.group(1)}{self.cdn}/mirroredImages/{post_id}/{digest}{match.group(3)}"

        html = _IMG_SRC.sub(swap, latest["html"])
        if html == latest["html"]:
            return
        major, minor, patch = (int(part) for part in latest["version"].split("."))
        revisions.append({**latest, "_id": self.store.new_id(), "html": html,
                          "version": f"{major}.{minor}.{patch + 1}", "updateType": "patch",
                          "commitMessage": "Move images to CDN", "editedAt": self.store.now()})

    def create_post(self, ctx: _Ctx, data: dict[str, Any]) -> dict[str, Any]:
        user = ctx.user
        # makeGqlCreateMutation: newCheck (rate limit for non-drafts, userCanPost), then
        # validateDocument (key presence), then the createPost callbacks.
        if user is None:
            raise _app("app.operation_not_allowed")
        if not data.get("draft") and not data.get("isEvent"):
            self._enforce_rate_limit(user)
        if user.posting_disabled or user.deleted:
            raise _app("app.operation_not_allowed")
        if any(not self._can_set(user, key, creating=True) for key in data):
            raise _app("app.validation_error")
        self._refuse_foreign_post_id(user, data)
        self._check_lengths(data)
        contents = self._contents(data)
        self._ea_checks(user, data)
        self._check_recent_repost(data, user, exclude=None)
        self._check_crosspost_request(user, data.get("fmCrosspost"), draft=bool(data.get("draft")))
        now = self.store.now()
        post = self._new_post(user, data, now)
        kind, body = contents if contents is not None else ("markdown", "")
        commit = (data.get("contents") or {}).get("commitMessage") if contents else None
        self.store.posts[post["_id"]] = post
        self.store.revisions[post["_id"]] = [
            self._revision(post, user, kind, body, "0.1.0" if post["draft"] else "1.0.0",
                           "initial", commit, now)]
        self._perform_crosspost(post, user)
        view = self.post_view(post, user)
        self._rehost_images(post["_id"])
        return {"data": view}

    def update_post(self, ctx: _Ctx, selector: Mapping[str, Any],
                    data: dict[str, Any]) -> dict[str, Any]:
        if not selector:
            raise AppError("Selector cannot be empty")
        found = self._select(selector)
        if found is None:
            raise _app("app.document_not_found")
        old = dict(found)  # the stored dict is edited in place below
        user = ctx.user
        preview = {**old, **{k: v for k, v in data.items() if k != "contents"}}
        # editCheck: undraft rate limit, userCanPost, ownership.
        if user is None:
            raise _app("app.operation_not_allowed")
        if old["draft"] and not preview["draft"] and not preview.get("isEvent"):
            self._enforce_rate_limit(user)
        if user.posting_disabled or user.deleted:
            raise _app("app.operation_not_allowed")
        if old["userId"] != user._id and not user.is_admin:
            raise _app("app.operation_not_allowed")
        refused = [{"id": "errors.disallowed_property_detected", "properties": {"name": key}}
                   for key in data if not self._can_set(user, key, creating=False, post=old)]
        if refused:
            raise _app(json.dumps(refused, separators=(",", ":")))
        self._refuse_foreign_post_id(user, data)
        self._check_lengths(data)
        contents = self._contents(data)
        self._ea_checks(user, data)
        self._check_recent_repost(preview, user, exclude=old["_id"])
        self._check_crosspost_request(user, preview.get("fmCrosspost"), draft=bool(preview["draft"]))

        post = self.store.posts[old["_id"]]
        now = self.store.now()
        undrafting = data.get("draft") is False and post["draft"]
        if undrafting and not post["wasEverUndrafted"] and not data.get("wasEverUndrafted"):
            post["postedAt"] = now
            post["wasEverUndrafted"] = True
        for key, value in data.items():
            if key == "contents":
                continue
            if key == "deletedDraft" and not preview["draft"]:
                continue  # only honoured while the post is a draft
            post[key] = value
        if "title" in data and data["title"] != old["title"]:
            post["slug"] = self._unused_slug(slugify(str(data["title"])), exclude=old["_id"])
        if data.get("af") and not old["af"]:
            post["afDate"] = now
        post["modifiedAt"] = now
        revisions = self.store.revisions[post["_id"]]
        latest = revisions[-1]
        if contents is not None:
            kind, body = contents
            given = data["contents"]
            update_type = "major" if undrafting else (given.get("updateType") or "minor")
            major, minor, patch = (int(part) for part in latest["version"].split("."))
            version = {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0",
                       "patch": f"{major}.{minor}.{patch + 1}"}.get(update_type)
            if version is None:
                raise AppError("Invalid updateType, must be one of 'patch', 'minor' or 'major'")
            revisions.append(self._revision(post, user, kind, body, version, update_type,
                                            given.get("commitMessage"), now))
        elif undrafting and latest["version"].startswith("0."):
            # ensurePostHasNonDraftContents
            revisions[-1] = {**latest, "version": "1.0.0", "draft": False}
        self._perform_crosspost(post, user)
        self._sync_crosspost(post, old)
        view = self.post_view(post, user)
        if contents is not None:
            self._rehost_images(post["_id"])
        return {"data": view}


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture
def make_forum() -> Iterator[Callable[..., FakeForum]]:
    """``make_forum(flavor="lesswrong", store=None, *, rate_limits=None)``, stopped after the test.

    Every fake has a default user (``forum.user``, token ``forum.token``): "alice" in a new
    database, or the first user of a shared ``store``.
    """
    yield from started_fakes(FakeForum)


@pytest.fixture
def forum(make_forum: Callable[..., FakeForum]) -> FakeForum:
    """A started LessWrong fake whose default user "alice" has the token ``forum.token``."""
    return make_forum("lesswrong")


__all__ = ["DEFAULT_TOKEN", "FLAVORS", "OTHER_TOKEN", "Call", "FakeForum", "FakeUser",
           "ForumStore", "PostRateLimit", "apollo_error", "graphql_validation_failure",
           "hash_login_token", "inline_arguments", "load_schema"]
