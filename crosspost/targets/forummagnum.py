"""LessWrong, the EA Forum and the Alignment Forum: one adapter for ForumMagnum's GraphQL API.

The three sites run ForumMagnum (``reference/forummagnum.md``; "§" below points into it).
What differs between them is a small table of quirks (:data:`QUIRKS`): the Alignment
Forum is a LessWrong post with ``af: true``, open only to the ``alignmentForum`` group
(§1, §3.2); the EA Forum refuses emoji in titles and publishing before its terms of use are
accepted (§5.2), and runs an older server (§3.6).

Every document is written to validate on both server generations (§3.6): reads use
``post(input: {selector: …})`` / ``posts(input: {terms: …})``, and ``updatePost`` gets its
selector inline (``selector: {_id: "<17-char id>"}``), which is a ``SelectorInput!`` at HEAD
and a ``PostSelectorUniqueInput!`` on the EA Forum. Authentication is the ``loginToken``
cookie, the only form every version reads (§2.1); never ``Authorization: Bearer``.

Publishing flow (``create``), and why:

1. ``currentUser`` first (cached per adapter). It says whether the token works (``null``
   means it does not, §2.2), and carries what the pre-flight checks need: ``groups`` (AF),
   ``acceptedTos`` (EA), ``postingDisabled`` and ``rateLimitNextAbleToPost`` (§4.1, §5.3).
   Anything that would be refused is refused here, before a request is sent.
2. ``createPost`` with ``draft: true``. ``draft`` defaults to false (§0.3), there is no
   idempotency key and the client cannot choose ``_id`` (§4.4), and the server does a lot of
   work after inserting the row, so an error or a lost reply does not prove nothing was
   saved. A draft makes that case cheap: at worst a private draft exists, which
   :meth:`find_existing` finds (the ``drafts`` view, §4.2). The web editor does the same
   (§4.4), and creating drafts is never rate limited (§5.3). The request is sent once
   (``idempotent=False``); a lost reply, a 5xx or an unreadable 200 is
   :class:`~crosspost.errors.AmbiguousWrite`.
3. ``updatePost(selector: {_id}, data: {title, contents, draft: false, …})``. The contents
   go again so the public revision is exactly what was meant (§3.4 "Recommendation").
   If this step fails (rate limit, the same title within an hour, terms of use, network),
   the error carries ``error.created`` = the draft, so the engine records its id and the
   next run updates it instead of creating another.
4. Verify: the mutation answers with the stored post (``contents`` resolves to the revision
   just written), so ``contents.markdown`` must equal the Markdown sent, ``draft`` the state
   wanted and ``af`` be set on the Alignment Forum (§10.7), with no second request. HTML is
   never compared: the Cloudinary re-hosting task rewrites it after every create and edit
   (§6.4).

Requests: a published create is 3 round trips (``currentUser``, ``createPost``,
``updatePost``), a draft 2. An ``update`` is one ``updatePost`` (the Alignment Forum adds
the ``currentUser`` membership check), verified from its answer: the server itself refuses
a bad token, someone else's post and an undraft over the rate limit, and each refusal is
mapped to its own message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from crosspost.errors import (
    AmbiguousWrite,
    AuthError,
    CredentialError,
    CrosspostError,
    InputError,
    NotFound,
    NotOwned,
    ProtocolError,
    RateLimited,
    Rejected,
    ServerError,
)
from crosspost.platforms import TARGETS
from crosspost.targets.base import Identity, RemotePost, Target, TargetContext, title_key
from crosspost.targets.emoji import has_emoji
from crosspost.targets.fmcrosspost import FMCrosspostOrigin
from crosspost.targets.forummagnum_queries import (
    CREATE,
    FETCH,
    FETCH_WITH_USER,
    FIND,
    POST_FIELDS,
    UPDATE,
    WHOAMI,
)

if TYPE_CHECKING:
    import httpx

    from crosspost.render import Notice, Rendered


@dataclass(frozen=True)
class Quirks:
    """What one ForumMagnum site does differently."""

    af: bool = False  # send `af: true`; only `alignmentForum` members may (§3.2)
    no_emoji_titles: bool = False  # assertPostTitleHasNoEmojis (EA only, §3.2)
    terms_before_publish: bool = False  # checkTosAccepted on `draft: false` (EA only, §5.2)


QUIRKS: dict[str, Quirks] = {
    "lesswrong": Quirks(),
    "eaforum": Quirks(no_emoji_titles=True, terms_before_publish=True),
    "alignmentforum": Quirks(af=True),
}

AF_GROUP = "alignmentForum"
MAX_TITLE = 500  # VARCHAR(500) at HEAD, SimpleSchema max 500 before (§3.2)
_POST_ID = re.compile(r"[A-Za-z0-9]{17}")
_MAX_CANDIDATES = 10

# Admin-only keys: the server refuses the whole mutation if one is merely present (§3.2).
# build_payload never produces them; the tests check that against this list.
ADMIN_ONLY_KEYS = frozenset({
    "canonicalSource", "feedId", "feedLink", "slug", "postedAt", "userId", "status", "unlisted",
    "noIndex", "shortform", "question", "curatedDate", "frontpageDate", "authorIsUnreviewed",
    "hideAuthor", "sticky", "reviewedByUserId",
})

_TOS_MESSAGE = "You must accept the terms of use before you can publish this post"
# Both: a URL alone still records a copy (one made by hand), which the next run would update.
_NOT_FOUND_HINT = ("remove `crosspost.{target}.id` and `crosspost.{target}.url` from the front "
                   "matter to publish a new copy")
_API_CHANGED_HINT = ("the forum's API seems to have changed; update crosspost, or report it if "
                     "you already run the latest version")

def valid_post_id(value: str) -> bool:
    return bool(_POST_ID.fullmatch(value))


def _clip(text: str, limit: int = 300) -> str:
    from crosspost.credentials import redact

    text = " ".join(redact(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_OPERATION_NAME = re.compile(r"\s*(?:query|mutation)\s+(\w+)")
_JS_DATE = re.compile(r"until \w{3} (\w{3} \d{1,2} \d{4} \d{2}:\d{2}:\d{2}) GMT([+-]\d{4})")


def _rate_limit_wait(message: str) -> float | None:
    """Seconds until the date in "Rate limit: … until <JS Date.toString()>"."""
    match = _JS_DATE.search(message)
    if not match:
        return None
    try:
        until = datetime.strptime(f"{match.group(1)} {match.group(2)}", "%b %d %Y %H:%M:%S %z")
    except ValueError:
        return None
    return max(0.0, (until - datetime.now(UTC)).total_seconds())


class ForumMagnum(Target):
    """The shared adapter; the three site classes below only pick ``info`` and quirks."""

    quirks: ClassVar[Quirks]

    def __init__(self, context: TargetContext) -> None:
        super().__init__(context)
        self._client: httpx.Client | None = None
        self._me: dict[str, Any] | None = None

    # -- pure ------------------------------------------------------------------------------

    def build_payload(self, rendered: Rendered) -> dict[str, Any]:
        """The ``CreatePostDataInput`` for ``rendered``, with the draft state the user wants.

        ``create`` sends it with ``draft: true`` and publishes with ``updatePost``; see the
        module docstring. Admin-only keys are never included: their mere presence makes the
        server refuse the whole mutation (§3.2).
        """
        if rendered.format != "markdown":
            raise InputError(f"{self.info.label} receives Markdown, not {rendered.format}",
                             target=self.name, operation="render")
        options = rendered.options
        data: dict[str, Any] = {
            "title": rendered.title,
            "contents": {"originalContents": {"type": "markdown", "data": rendered.body}},
            "draft": options.draft,
            "submitToFrontpage": options.frontpage,
        }
        data.update(self._linkpost_fields(rendered))
        if self.quirks.af:
            data["af"] = True
        return data

    def notices(self, rendered: Rendered) -> tuple[Notice, ...]:
        """What the forum would refuse or not show, known without asking it."""
        from crosspost.render import Notice

        path, label = str(rendered.source_path), self.info.label
        found = []
        if self.quirks.no_emoji_titles and has_emoji(rendered.title):
            found.append(Notice(path, None, f"{label} refuses titles with emoji; set a `title` "
                                f"without emoji under crosspost.{self.name}"))
        if len(rendered.title) > MAX_TITLE:
            found.append(Notice(path, None, f"{label} accepts titles of at most {MAX_TITLE} "
                                "characters"))
        if rendered.options.tags:
            # tagRelevance takes tag ids, not names, and unknown ids are dropped silently (§3.2).
            found.append(Notice(path, None, f"tags are not sent to {label}; add them on the site",
                                severity="info"))
        return tuple(found)

    def _linkpost_fields(self, rendered: Rendered) -> dict[str, Any]:
        if not rendered.options.linkpost:
            return {}
        # `url` + `postCategory: linkpost` is the member-settable way to point at the
        # original; `canonicalSource` is admin-only (§7.2).
        return {"url": rendered.canonical_url, "postCategory": "linkpost"}

    def _update_data(self, rendered: Rendered) -> dict[str, Any]:
        payload = self.build_payload(rendered)
        keys = ("title", "contents") if rendered.options.keep_state else ("title", "contents", "draft")
        data = {key: payload[key] for key in keys}
        data.update(self._linkpost_fields(rendered))
        if self.quirks.af:
            data["af"] = True
        return data

    # -- I/O -------------------------------------------------------------------------------

    def whoami(self) -> Identity:
        if self._identity is None:
            self._current_user()
        assert self._identity is not None
        return self._identity

    def fetch(self, remote_id: str) -> RemotePost:
        post_id = self._checked_id(remote_id)
        with_user = self._me is None and self.context.token is not None
        data, errors = self._graphql("read post", FETCH_WITH_USER if with_user else FETCH,
                                     {"id": post_id})
        if with_user:
            self._remember(self._field(data, errors, "currentUser", nullable=True))
        single = self._field(data, errors, "post", post_id=post_id)
        post = single.get("result") if isinstance(single, Mapping) else None
        if not isinstance(post, Mapping) or post.get("deletedDraft"):
            raise self._not_found(post_id)
        if self._me is not None and post.get("userId") != self._me.get("_id"):
            raise NotOwned(
                f"post {post_id} on {self.info.label} belongs to someone else, not to "
                f"{self._me_name()}",
                hint=f"check crosspost.{self.name}.id in the front matter, or the token",
                target=self.name, operation="read post")
        return self._remote(post)

    def find_existing(self, rendered: Rendered) -> RemotePost | None:
        me = self._current_user()
        data, errors = self._graphql("find existing posts", FIND, {"userId": me["_id"]})
        candidates: dict[str, Mapping[str, Any]] = {}
        for key in ("drafts", "published", "unreviewed"):
            listing = self._field(data, errors, key)
            results = listing.get("results") if isinstance(listing, Mapping) else None
            for post in results or []:
                if (isinstance(post, Mapping) and post.get("title") == rendered.title
                        and not post.get("deletedDraft") and valid_post_id(str(post.get("_id")))
                        and (post.get("af") or not self.quirks.af)):
                    candidates.setdefault(str(post["_id"]), post)
        if not candidates:
            return None
        ids = sorted(candidates, key=lambda i: str(candidates[i].get("modifiedAt") or ""),
                     reverse=True)[:_MAX_CANDIDATES]
        parts = [f'p{n}: post(input: {{selector: {{_id: "{post_id}"}}, allowNull: true}}) '
                 f"{{ result {{ {POST_FIELDS} }} }}" for n, post_id in enumerate(ids)]
        data, errors = self._graphql("find existing posts",
                                     "query CrosspostCandidates { " + " ".join(parts) + " }", {})
        matches = []
        for n in range(len(ids)):
            single = self._field(data, errors, f"p{n}", nullable=True)
            post = single.get("result") if isinstance(single, Mapping) else None
            if (isinstance(post, Mapping) and post.get("userId") == me["_id"]
                    and self._markdown(post) == rendered.body):
                matches.append(post)
        if not matches:
            return None
        wanted_draft = rendered.options.draft
        best = max(matches, key=lambda p: (bool(p.get("draft")) == wanted_draft,
                                           str(p.get("modifiedAt") or "")))
        return self._remote(best)

    def same_title(self, rendered: Rendered) -> list[RemotePost]:
        """Drafts, published and unreviewed posts of the account with this title, any body.

        On the Alignment Forum every LessWrong post counts: an AF post is a LessWrong post.
        """
        me = self._current_user()
        data, errors = self._graphql("find posts of the same title", FIND, {"userId": me["_id"]})
        wanted = title_key(rendered.title)
        found: dict[str, RemotePost] = {}
        for key in ("drafts", "published", "unreviewed"):
            listing = self._field(data, errors, key)
            results = listing.get("results") if isinstance(listing, Mapping) else None
            for post in results or []:
                if (isinstance(post, Mapping) and not post.get("deletedDraft")
                        and title_key(str(post.get("title") or "")) == wanted
                        and valid_post_id(str(post.get("_id")))):
                    found.setdefault(str(post["_id"]), self._remote(post))
        return list(found.values())

    def create(self, rendered: Rendered) -> RemotePost:
        payload = self.build_payload(rendered)
        publish = not rendered.options.draft
        me = self._preflight(rendered, publishing=publish)
        # Step 2: always a draft first (module docstring).
        data, errors = self._graphql(
            "createPost", CREATE, {"data": {**payload, **self._pair_fields(rendered, me), "draft": True}},
            write=True)
        answer = self._field(data, errors, "createPost", creating=True)
        post = answer.get("data") if isinstance(answer, Mapping) else None
        if not isinstance(post, Mapping) or not valid_post_id(str(post.get("_id"))):
            raise AmbiguousWrite(f"{self.info.label} answered createPost without the new post; "
                                 "it may have been saved", target=self.name,
                                 operation="createPost")
        draft = self._remote(post)
        try:
            if publish:
                post = self._publish_draft(draft.id, rendered)
            return self._after_create(self._verify(draft.id, rendered, step="create", post=post),
                                      rendered)
        except CrosspostError as exc:
            exc.created = draft
            exc.message = (f"{exc.message} (the draft {draft.id} was saved; the next run "
                           "updates it instead of creating another)")
            raise

    def update(self, remote_id: str, rendered: Rendered) -> RemotePost:
        """One round trip: ``updatePost``, verified from the post it answers with.

        No ``currentUser`` pre-flight (except on the Alignment Forum, whose membership rule is
        checked before sending): an update cannot duplicate anything, and the server itself
        refuses a bad token, someone else's post and an undraft over the rate limit, each
        mapped to its own clear error.
        """
        post_id = self._checked_id(remote_id)
        if self.quirks.af:
            # Membership is checked before anything is sent, for updates too: a non-member's
            # `af: true` must not even reach the server.
            self._preflight(rendered, publishing=False)
        else:
            self._check_locally(rendered)
        try:
            post = self._send_update(post_id, self._update_data(rendered), operation="updatePost")
        except Rejected as exc:
            # "Not allowed" means a bad token or someone else's post; one question tells
            # which (currentUser is null for a bad token, and that raises AuthError).
            if "app.operation_not_allowed" in exc.message and self._me is None:
                self._current_user()
            raise
        return self._verify(post_id, rendered, step="update", post=post)

    def _publish_draft(self, post_id: str, rendered: Rendered) -> Mapping[str, Any]:
        """Step 3 of a create: the draft goes public, with the contents sent again."""
        return self._send_update(post_id, self._update_data(rendered), operation="publish")

    def _pair_fields(self, rendered: Rendered, me: Mapping[str, Any]) -> dict[str, Any]:
        """Extra createPost fields asking the server for a crosspost pair (LessWrong's
        override, :mod:`crosspost.targets.fmcrosspost`); none here."""
        return {}

    def _after_create(self, remote: RemotePost, rendered: Rendered) -> RemotePost:
        """The created post, with what a pair made of it (LessWrong's override)."""
        return remote

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- steps -----------------------------------------------------------------------------

    def _preflight(self, rendered: Rendered, *, publishing: bool) -> dict[str, Any]:
        """Refuse, before sending anything, what the forum would refuse."""
        self._check_locally(rendered)
        label = self.info.label
        me = self._current_user()
        if me.get("postingDisabled"):
            raise Rejected(f"{label} has disabled posting for {self._me_name()}",
                           hint=f"see your account on {self.info.site_url}", target=self.name,
                           operation="publish")
        if self.quirks.af and AF_GROUP not in (me.get("groups") or []):
            raise Rejected(
                f"only Alignment Forum members may post there, and {self._me_name()} is not one",
                hint="publish to lesswrong instead (AF members can promote it), or apply for "
                "membership", target=self.name, operation="publish")
        if publishing and self.quirks.terms_before_publish and not me.get("acceptedTos"):
            raise Rejected(f"{label} requires accepting its terms of use before publishing "
                           f"(\"{_TOS_MESSAGE}\")", hint=self._terms_hint(), target=self.name,
                           operation="publish")
        if publishing:
            self._check_rate_limit(me)
        return me

    def _check_locally(self, rendered: Rendered) -> None:
        """What can be refused without asking the forum (title, linkpost, EA's emoji rule)."""
        label = self.info.label
        title = rendered.title
        if not title.strip():
            raise InputError("the post has no title", target=self.name, operation="publish")
        if len(title) > MAX_TITLE:
            raise InputError(f"the title is {len(title)} characters; {label} accepts at most "
                             f"{MAX_TITLE}", hint=f"set a shorter `title` under crosspost.{self.name}",
                             target=self.name, operation="publish")
        if rendered.options.linkpost and not rendered.canonical_url:
            raise InputError("`linkpost` needs the post's URL on your site, and there is none",
                             target=self.name, operation="publish")
        if self.quirks.no_emoji_titles and has_emoji(title):
            raise Rejected(f"{label} refuses titles with emoji (\"Post titles cannot contain "
                           f"emojis\"): {title!r}",
                           hint=f"set a `title` without emoji under crosspost.{self.name}",
                           target=self.name, operation="publish")

    def _terms_hint(self) -> str:
        return (f"log in on {self.info.site_url}, accept the terms of use when asked (publishing "
                "any post there from the editor asks for it), then run again; or publish as a "
                "draft")

    def _rate_limited_until(self, me: Mapping[str, Any]) -> datetime | None:
        info = me.get("rateLimitNextAbleToPost")
        if not isinstance(info, Mapping):
            return None
        until = _parse_time(info.get("nextEligible"))
        return until if until is not None and until > datetime.now(UTC) else None

    def _check_rate_limit(self, me: Mapping[str, Any]) -> None:
        until = self._rate_limited_until(me)
        if until is None:
            return
        info = me.get("rateLimitNextAbleToPost")
        why = info.get("rateLimitMessage") if isinstance(info, Mapping) else None
        wait = (until - datetime.now(UTC)).total_seconds()
        raise RateLimited(
            f"{self.info.label} will not accept another published post from {self._me_name()} "
            f"until {until.strftime('%Y-%m-%d %H:%M UTC')}" + (f" ({_clip(str(why))})" if why else ""),
            retry_after=wait, hint="run again after that time, or publish it as a draft now",
            target=self.name, operation="publish")

    def _send_update(self, post_id: str, data: dict[str, Any], *, operation: str) -> Mapping[str, Any]:
        document = UPDATE % json.dumps(post_id)  # safe: post_id is 17 letters/digits
        answer_data, errors = self._graphql(operation, document, {"data": data})
        answer = self._field(answer_data, errors, "updatePost", post_id=post_id)
        post = answer.get("data") if isinstance(answer, Mapping) else None
        if not isinstance(post, Mapping):
            raise ProtocolError(f"{self.info.label} answered updatePost without the post",
                                target=self.name, operation=operation)
        if post.get("deletedDraft"):
            raise self._not_found(post_id, why="it was deleted on the site")
        return post

    def _verify(self, post_id: str, rendered: Rendered, *, step: str,
                post: Mapping[str, Any] | None = None) -> RemotePost:
        """Check the stored post against what was meant: Markdown, title, draft state, af.

        ``post`` is the mutation's own answer, which ForumMagnum builds from the stored post
        (``contents`` resolves to the revision just written), so it needs no second read; the
        HTML is never compared (image re-hosting rewrites it later, §6.4).
        """
        if post is None:
            data, errors = self._graphql("read back", FETCH, {"id": post_id})
            single = self._field(data, errors, "post", post_id=post_id)
            post = single.get("result") if isinstance(single, Mapping) else None
        if not isinstance(post, Mapping):
            raise ProtocolError(f"{self.info.label} accepted the {step} of post {post_id} but "
                                "cannot show it", target=self.name, operation="read back")
        problems = []
        if self._markdown(post) != rendered.body:
            problems.append("its body differs from the Markdown sent")
        if str(post.get("title") or "").strip() != rendered.title.strip():
            problems.append(f"its title is {post.get('title')!r}")
        if not rendered.options.keep_state and bool(post.get("draft")) != rendered.options.draft:
            problems.append("it is still a draft" if post.get("draft") else "it is published")
        if self.quirks.af and not post.get("af"):
            problems.append("it is not on the Alignment Forum (af is false)")
        if problems:
            raise ProtocolError(
                f"{self.info.label} accepted the {step} of post {post_id}, but reading it back "
                f"shows that {'; '.join(problems)}",
                hint="run the same command again to update it; report it if this repeats",
                target=self.name, operation="read back")
        return self._remote(post)

    # -- identity ----------------------------------------------------------------------------

    def _current_user(self) -> dict[str, Any]:
        if self._me is not None:
            return self._me
        if self.context.token is None:
            raise CredentialError.missing(self.name, self.info.token_env[0])
        data, errors = self._graphql("whoami", WHOAMI, {})
        return self._remember(self._field(data, errors, "currentUser", nullable=True))

    def _remember(self, user: Any) -> dict[str, Any]:
        if not isinstance(user, Mapping) or not user.get("_id"):
            raise AuthError.for_target(
                self.name,
                detail=f"{self.info.label} does not know it (currentUser is null): the token is "
                "missing, wrong or expired",
                how_to_fix=f"to get a new one, {self.info.token_help}; then run "
                f"`crosspost login {self.name}`")
        self._me = dict(user)
        slug = user.get("slug")
        self._identity = Identity(
            id=str(user["_id"]),
            name=str(user.get("displayName") or user.get("username") or user["_id"]),
            url=f"{self.info.site_url}/users/{slug}" if slug else None,
            details={
                "username": user.get("username"), "slug": slug, "karma": user.get("karma"),
                "groups": list(user.get("groups") or []), "acceptedTos": user.get("acceptedTos"),
                "postingDisabled": bool(user.get("postingDisabled")),
                "reviewed": bool(user.get("reviewedByUserId")),
                "rateLimitNextAbleToPost": user.get("rateLimitNextAbleToPost"),
            },
        )
        return self._me

    def _me_name(self) -> str:
        me = self._me or {}
        return str(me.get("username") or me.get("displayName") or "this account")

    # -- transport and errors ----------------------------------------------------------------

    def _http(self) -> httpx.Client:
        if self._client is None:
            from crosspost.http import cookie_auth, make_client

            auth = cookie_auth("loginToken", self.context.token) if self.context.token else None
            self._client = make_client(self.context.http, auth=auth,
                                       headers={"Content-Type": "application/json"})
        return self._client

    def _graphql(self, operation: str, document: str, variables: Mapping[str, Any], *,
                 write: bool = False) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Send one operation; return ``data`` and the field errors beside it.

        Raises for everything that is not a GraphQL answer with ``data``. ``write`` marks the
        one request that must never be resent (createPost): its lost or unreadable answers
        are ambiguous, because the server may have saved the post (§4.4).
        """
        from crosspost.http import dumps, json_body, send

        named = _OPERATION_NAME.match(document)
        body = dumps({"query": document, "variables": dict(variables),
                      "operationName": named.group(1) if named else None})
        response = send(self._http(), "POST", self.context.endpoint, target=self.name,
                        operation=operation, idempotent=not write, settings=self.context.http,
                        content=body)
        status = response.status_code
        if write and status >= 500:
            raise AmbiguousWrite(
                f"{self._host()} failed with HTTP {status} while answering {operation}; the "
                "post may have been saved anyway", status=status, target=self.name,
                operation=operation)
        try:
            payload = json_body(response, target=self.name, operation=operation)
        except (ProtocolError, ServerError) as exc:
            if write and status < 300:
                raise AmbiguousWrite(f"{exc.message}; the post may have been saved anyway",
                                     status=status, target=self.name,
                                     operation=operation) from exc
            raise
        errors = payload.get("errors") if isinstance(payload, dict) else None
        error_list = [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []
        data = payload.get("data") if isinstance(payload, dict) else None
        if status >= 400 or not isinstance(data, dict):
            if write and status < 300 and not error_list:
                raise AmbiguousWrite(f"{self._host()} answered {operation} without data; the post "
                                     "may have been saved anyway", status=status,
                                     target=self.name, operation=operation)
            raise self._request_error(response, error_list, operation)
        return data, error_list

    def _request_error(self, response: httpx.Response, errors: list[dict[str, Any]],
                       operation: str) -> CrosspostError:
        """An answer with no ``data``: our document was refused, or HTTP failed."""
        from crosspost.http import error_for_status

        status = response.status_code
        codes = [str((e.get("extensions") or {}).get("code") or "") for e in errors]
        first = _clip(str(errors[0].get("message") or "")) if errors else None
        refused = {"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT"}
        for code, error in zip(codes, errors, strict=True):
            if code in refused:
                return ProtocolError(
                    f"{self.info.label} did not accept crosspost's {operation} request "
                    f"({code}: {_clip(str(error.get('message') or ''))})",
                    hint=_API_CHANGED_HINT, status=status, target=self.name, operation=operation)
        if status < 400:
            if errors:
                return self._resolver_error(str(errors[0].get("message") or ""), operation)
            return ProtocolError(f"{self.info.label} answered {operation} without data",
                                 status=status, target=self.name, operation=operation)
        return error_for_status(response, target=self.name, operation=operation, detail=first,
                                token_help=self.info.token_help)

    def _field(self, data: Mapping[str, Any], errors: list[dict[str, Any]], key: str, *,
               post_id: str | None = None, creating: bool = False, nullable: bool = False) -> Any:
        """``data[key]``; if it is null, the error reported for it, translated."""
        value = data.get(key)
        if value is not None:
            return value
        mine = [e for e in errors
                if not isinstance(e.get("path"), list) or not e["path"] or e["path"][0] == key]
        if mine:
            raise self._resolver_error(str(mine[0].get("message") or ""), key, post_id=post_id,
                                       creating=creating)
        if nullable:
            return None
        if creating:
            raise AmbiguousWrite(f"{self.info.label} answered {key} with nothing; the post may "
                                 "have been saved anyway", target=self.name, operation=key)
        raise ProtocolError(f"{self.info.label} answered {key} with null and no error",
                            hint=_API_CHANGED_HINT, target=self.name, operation=key)

    def _resolver_error(self, message: str, key: str, *, post_id: str | None = None,
                        creating: bool = False) -> CrosspostError:
        """Translate a resolver's ``message`` (HTTP 200, §5.2) into one of our errors."""
        label, name = self.info.label, self.name
        said = _clip(message)
        post = f"post {post_id}" if post_id else "the post"
        if message == "app.operation_not_allowed":
            if key == "updatePost":
                return Rejected(f"{label} did not allow updating {post} (app.operation_not_allowed): "
                                "it belongs to someone else, or this account may not post",
                                hint=f"check crosspost.{name}.id and `crosspost whoami {name}`",
                                target=name, operation=key)
            if creating:
                return Rejected(f"{label} did not allow creating a post (app.operation_not_allowed): "
                                "the token is not logged in, or this account may not post",
                                hint=f"check `crosspost whoami {name}`; {self.info.token_help}",
                                target=name, operation=key)
            if key == "currentUser":
                return Rejected(f"{label} did not allow checking the token "
                                "(app.operation_not_allowed)",
                                hint=f"check `crosspost whoami {name}`; {self.info.token_help}",
                                target=name, operation=key)
            what = "listing your posts" if key == "posts" else f"reading {post}"
            return Rejected(f"{label} did not allow {what} (app.operation_not_allowed)",
                            hint=f"check crosspost.{name}.id and the token", target=name,
                            operation=key)
        if message in {"app.document_not_found", "app.missing_document"}:
            return self._not_found(post_id or "?")
        if message == "app.validation_error":
            why = (" (only Alignment Forum members may set `af`)" if self.quirks.af else "")
            return Rejected(f"{label} refused a field of the post (app.validation_error){why}",
                            hint="check the account's permissions with "
                            f"`crosspost whoami {name}`", target=name, operation=key)
        refused = _refused_properties(message)
        if refused is not None:
            fields = ", ".join(f"`{prop}`" for prop in refused) or "a field"
            return Rejected(f"{label} refused {fields} in {key} ({said})",
                            hint=f"check the account's permissions with `crosspost whoami {name}`",
                            target=name, operation=key)
        if message.startswith("Rate limit:"):
            return RateLimited(f"{label} refused to publish: {said}",
                               retry_after=_rate_limit_wait(message),
                               hint="run again after that time, or publish it as a draft now",
                               target=name, operation=key)
        if message.startswith("You recently published another post titled"):
            return Rejected(f"{label} refused: {said}",
                            hint="it refuses a second post with the same title within an hour; "
                            "if that post is this one, record it with `crosspost link`",
                            target=name, operation=key)
        if message == _TOS_MESSAGE:
            return Rejected(f"{label} requires accepting its terms of use before publishing "
                            f"(\"{message}\")", hint=self._terms_hint(), target=name, operation=key)
        if message == "Post titles cannot contain emojis":
            return Rejected(f"{label} refuses titles with emoji (\"{message}\")",
                            hint=f"set a `title` without emoji under crosspost.{name}",
                            target=name, operation=key)
        if message.startswith("Unrecognized format"):
            return ProtocolError(f"{label} does not accept the post's format ({said})",
                                 hint=_API_CHANGED_HINT, target=name, operation=key)
        if creating:
            return AmbiguousWrite(f"{label} answered createPost with an error ({said}); the post "
                                  "may have been saved anyway", target=name, operation=key)
        return Rejected(f"{label} refused {key}: {said}", target=name, operation=key)

    # -- small helpers -----------------------------------------------------------------------

    def _checked_id(self, remote_id: str) -> str:
        value = str(remote_id).strip()
        if not valid_post_id(value):
            raise InputError(f"{value!r} is not a {self.info.label} post id (17 letters and digits)",
                             hint=f"fix or remove `crosspost.{self.name}.id` in the front matter",
                             target=self.name, operation="update")
        return value

    def _not_found(self, post_id: str, why: str | None = None) -> NotFound:
        reason = why or "deleted, or never visible to this account"
        return NotFound(f"post {post_id} does not exist on {self.info.label} ({reason})",
                        hint=_NOT_FOUND_HINT.format(target=self.name), target=self.name,
                        operation="read post")

    def _host(self) -> str:
        return urlsplit(self.context.endpoint).netloc or self.context.endpoint

    @staticmethod
    def _markdown(post: Mapping[str, Any]) -> str | None:
        contents = post.get("contents")
        value = contents.get("markdown") if isinstance(contents, Mapping) else None
        return value if isinstance(value, str) else None

    def _remote(self, post: Mapping[str, Any]) -> RemotePost:
        post_id = str(post["_id"])
        slug = str(post.get("slug") or "")
        page_url = post.get("pageUrl")
        if self.quirks.af or not isinstance(page_url, str) or not page_url:
            # An AF post is a LessWrong post; its AF address is the AF host's (§1).
            page_url = f"{self.info.site_url}/posts/{post_id}/{slug}".rstrip("/")
        contents = post.get("contents")
        return RemotePost(
            id=post_id, url=page_url, title=post.get("title"), body=self._markdown(post),
            draft=post.get("draft") if isinstance(post.get("draft"), bool) else None,
            extra={
                "slug": slug, "af": bool(post.get("af")), "postedAt": post.get("postedAt"),
                "modifiedAt": post.get("modifiedAt"), "userId": post.get("userId"),
                "authorIsUnreviewed": bool(post.get("authorIsUnreviewed")),
                "version": contents.get("version") if isinstance(contents, Mapping) else None,
                "editor": _editor(contents),
                # Target-neutral names (Target.fetch's contract): votes and comments, when read.
                "score": post.get("baseScore"), "comments": post.get("commentCount"),
            },
        )


def _editor(contents: Any) -> str | None:
    """``originalContents.type`` (markdown, ckEditorMarkup, lexical…), when it was read."""
    original = contents.get("originalContents") if isinstance(contents, Mapping) else None
    kind = original.get("type") if isinstance(original, Mapping) else None
    return kind if isinstance(kind, str) and kind else None


def _refused_properties(message: str) -> list[str] | None:
    """Field names from an update's validation message, a JSON list of {id, properties}."""
    if not message.startswith("["):
        return None
    try:
        items = json.loads(message)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    names = []
    for item in items:
        if isinstance(item, dict):
            props = item.get("properties")
            name = (props.get("name") if isinstance(props, dict) else None) or item.get("path")
            if name:
                names.append(str(name))
    return names


class LessWrong(FMCrosspostOrigin, ForumMagnum):
    info = TARGETS["lesswrong"]
    quirks = QUIRKS["lesswrong"]


class EAForum(ForumMagnum):
    info = TARGETS["eaforum"]
    quirks = QUIRKS["eaforum"]


class AlignmentForum(ForumMagnum):
    info = TARGETS["alignmentforum"]
    quirks = QUIRKS["alignmentforum"]


__all__ = ["ADMIN_ONLY_KEYS", "QUIRKS", "AlignmentForum", "EAForum", "ForumMagnum", "LessWrong",
           "Quirks", "has_emoji", "valid_post_id"]
