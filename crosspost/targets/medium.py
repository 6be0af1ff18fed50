"""Medium (REST API v1): create-only publishing, image uploads, and Medium's error codes.

Medium's API can create a post and do nothing else with it: no read, update, list or delete
(MediumEng in Medium/medium-api-docs#140, #59, #83). So this adapter is write-once. ``fetch``
and ``update`` refuse with the honest explanation, ``find_existing`` cannot look, and a create
whose answer was lost is reported as ambiguous, never resent: each create counts against
Medium's 10 posts per 24 hours and cannot be deleted through the API.

Requests per publish (see :meth:`Medium.create`): ``GET /me`` unless the identity cached by
``crosspost login`` is at hand, ``GET /publications/{id}/contributors`` when posting into a
publication, one ``POST /images`` per local image not uploaded before (the URL Medium gives
back is kept by content hash in ``<state_dir>/medium-images.json``), then exactly one
``POST /users/{authorId}/posts`` (or ``/publications/{id}/posts``).

Decisions, with their reasons:

* A title over 100 characters is cut at a word and marked with "…", with a warning: Medium
  would ignore it and synthesize one from the body, and the full title is still the body's
  first ``<h1>``, which is what readers see.
* Tags: those over 25 characters are dropped first, then the first 3 of the rest are kept
  (DOCS: "Only the first three will be used. Tags longer than 25 characters will be
  ignored."), so a long tag does not cost a slot; every dropped tag is named in a warning.
* A writer in a publication may only submit drafts (DOCS §3.3). A non-draft is refused
  *before* anything is sent rather than silently turned into a draft: the user asked for
  something public, and a create cannot be taken back.
* Images Medium will not take (DOCS: JPEG, PNG, GIF, TIFF only) are not converted, which
  would need an imaging library: they stay at their absolute URL on the user's site, which
  Medium copies ("side-loads") when the post is created, with a warning to deploy the site
  first.
* ``publishedAt`` (undocumented, confirmed by Medium staff in medium-api-docs#43 and #89) is
  sent only for dates more than 15 minutes in the past, as Medium's WordPress plugin does to
  avoid clock-skew failures (its issue #106). A date without a time zone is taken as UTC.
* ``notifyFollowers`` is sent only when the user set it; otherwise Medium's default applies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit, urlunsplit

from crosspost.credentials import redact
from crosspost.errors import (
    AmbiguousWrite,
    AuthError,
    Blocked,
    ConfigError,
    CredentialError,
    CrosspostError,
    NotFound,
    PostError,
    ProtocolError,
    RateLimited,
    Rejected,
    ServerError,
)
from crosspost.fsutil import atomic_write_text
from crosspost.http import bearer_auth, dumps, error_for_status, is_html, json_body, make_client, send
from crosspost.platforms import TARGETS
from crosspost.render import Notice
from crosspost.targets.base import Identity, RemotePost, Target, TargetContext, post_tags

if TYPE_CHECKING:
    import httpx

    from crosspost.render import Rendered

log = logging.getLogger("crosspost.targets.medium")

NAME = "medium"
TITLE_LIMIT = 100  # DOCS §3.3: longer titles are ignored
TAG_LIMIT = 3  # DOCS §3.3: only the first three are used
TAG_LENGTH = 25  # DOCS §3.3: longer tags are ignored
BACKDATE_MARGIN = dt.timedelta(minutes=15)  # WP plugin, fix for its issue #106
IMAGE_CACHE = "medium-images.json"
STORIES_URL = "https://medium.com/me/stories"

# What POST /images accepts (DOCS §3.4), recognised by the file's first bytes.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
UPLOADABLE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".png", ".gif", ".tif", ".tiff"})

_NO_NEW_TOKENS = ("Medium no longer issues new integration tokens: if you have another one, run "
                  "`crosspost login medium`; otherwise publish with `--manual` (Medium's "
                  "'Import a story')")
# Medium's token error codes (WP plugin `_add_api_error_notice`, md-publisher#1,
# medium-sdk-nodejs#33/#35, jekyll-crosspost-to-medium#50): (what happened, what to do).
_TOKEN_CODES: dict[int, tuple[str, str]] = {
    6000: ("Medium received no access token",
           "check that nothing between you and Medium (a proxy) strips the Authorization header"),
    6001: ("Medium says the token is not valid (revoked or mistyped)", _NO_NEW_TOKENS),
    6002: ("the token lacks a permission this needs (it was issued with fewer scopes)",
           _NO_NEW_TOKENS),
    6003: ("Medium says the token is not valid (revoked or mistyped)", _NO_NEW_TOKENS),
    6004: ("Medium cannot find the account this token belongs to",
           "check that the account still exists; " + _NO_NEW_TOKENS),
    6005: ("Medium says 'Application not found': this token or account is not enabled for "
           "Medium's API", _NO_NEW_TOKENS),
}
_API_DISABLED = 6027  # WP views/notice-api-disabled.phtml
_NO_CONTENT = 2002  # medium-api-docs#117
_UNEXPECTED_FIELDS = 6007
_PUBLISH_LIMIT = 1007


# -- the payload (pure) ---------------------------------------------------------------------

@dataclass(frozen=True)
class MediumPayload:
    """The create request's JSON body and what the user should know about it."""

    body: dict[str, Any]
    notices: tuple[Notice, ...] = ()


def prepare(rendered: Rendered, *, now: dt.datetime | None = None) -> MediumPayload:
    """Build the create payload for ``rendered``; pure apart from reading the clock.

    Only fields Medium documents (plus ``publishedAt``, see the module docstring) are sent:
    Medium answers unknown fields with 400, code 6007.
    """
    now = now or dt.datetime.now(dt.UTC)
    options = rendered.options
    notices: list[Notice] = []

    def warn(message: str) -> None:
        notices.append(Notice(str(rendered.source_path), None, message))

    if rendered.format not in ("html", "markdown"):
        raise ConfigError(f"medium: cannot send a body in the {rendered.format!r} format")
    canonical = rendered.canonical_url
    parts = urlsplit(canonical)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        # Medium rejects a relative canonicalUrl (jekyll-crosspost-to-medium PR #10).
        raise ConfigError(f"medium: the canonical URL {canonical!r} is not absolute",
                          hint="set the site's `url` in its configuration or in crosspost.toml")

    title, title_notes = _title(rendered.title)
    for note in title_notes:
        warn(note)
    status = "draft" if options.draft else (options.publish_status or "public")
    body: dict[str, Any] = {
        "title": title,
        "contentFormat": rendered.format,
        "content": rendered.body,
        "canonicalUrl": canonical,
    }
    tags, dropped = select_tags(options.tags or post_tags(rendered))
    if tags:
        body["tags"] = tags
    if dropped:
        warn("Medium uses at most 3 tags of at most 25 characters each; not sent: "
             + ", ".join(dropped))
    body["publishStatus"] = status
    if options.license:
        body["license"] = options.license
    if options.notify_followers is not None:
        body["notifyFollowers"] = options.notify_followers
    if options.backdate:
        when = _post_date(rendered)
        if when is not None and when.year >= 1970 and when < now - BACKDATE_MARGIN:
            body["publishedAt"] = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if options.upload_images:
        for asset in rendered.assets:
            if _mentions(rendered.body, asset.url) and asset.path.suffix.lower() not in \
                    UPLOADABLE_SUFFIXES:
                warn(_unsupported_image(asset.path.name, asset.url))
    return MediumPayload(body, tuple(notices))


def select_tags(tags: Sequence[str]) -> tuple[list[str], list[str]]:
    """(the tags Medium will use, the ones it would drop, each with the reason)."""
    kept: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        tag = str(raw).strip()
        if not tag or tag.lower() in seen:
            continue
        seen.add(tag.lower())
        if len(tag) > TAG_LENGTH:
            dropped.append(f"{tag!r} (over {TAG_LENGTH} characters)")
        elif len(kept) >= TAG_LIMIT:
            dropped.append(f"{tag!r} (beyond the first {TAG_LIMIT})")
        else:
            kept.append(tag)
    return kept, dropped


def _title(title: str) -> tuple[str, list[str]]:
    notes: list[str] = []
    # Medium escapes HTML in titles instead of rendering it (WP PR #67, jekyll PR #36).
    plain = " ".join(re.sub(r"</?[A-Za-z][^<>]*>", "", title).split())
    if plain != " ".join(title.split()):
        notes.append("HTML tags removed from the title (Medium would show them as text)")
    if len(plain) > TITLE_LIMIT:
        cut = plain[: TITLE_LIMIT - 1]
        space = cut.rfind(" ")
        if space > TITLE_LIMIT // 2:
            cut = cut[:space]
        notes.append(f"the title is longer than Medium's {TITLE_LIMIT} characters; Medium's "
                     "listings show it shortened, the story itself keeps it in full")
        plain = cut.rstrip(" ,;:-") + "…"
    return plain, notes


def _post_date(rendered: Rendered) -> dt.datetime | None:
    value = rendered.extra.get("date")
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _unsupported_image(name: str, url: str) -> str:
    return (f"Medium's image upload takes JPEG, PNG, GIF and TIFF only: {name} is not uploaded; "
            f"Medium copies it from {url} when the post is created, so deploy the site first")


def _attr_forms(url: str) -> tuple[str, ...]:
    """The ways ``url`` appears as a quoted attribute value in HTML."""
    import html

    forms = {url, html.escape(url, quote=True)}
    return tuple(f'{q}{form}{q}' for form in sorted(forms) for q in ('"', "'"))


def _mentions(body: str, url: str) -> bool:
    return any(form in body for form in _attr_forms(url))


def _swap(body: str, old: str, new: str) -> str:
    import html

    for form in _attr_forms(old):
        body = body.replace(form, f"{form[0]}{html.escape(new, quote=True)}{form[0]}")
    return body


def _sniff(data: bytes) -> str | None:
    for magic, ctype in _MAGIC:
        if data.startswith(magic):
            return ctype
    return None


# -- the uploaded-image cache ----------------------------------------------------------------

class ImageCache:
    """Medium's URL for each image already uploaded, by SHA-256 of the file's bytes.

    Medium's docs suggest keeping exactly this to avoid re-uploading (DOCS §3.4). Entries are
    kept per API endpoint (without any credentials in it), so URLs from a test server never
    reach real Medium. A missing or broken file is an empty cache: losing it costs uploads.
    """

    def __init__(self, path: Path | None, endpoint: str) -> None:
        self.path = path
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        self.key = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
        self.entries: dict[str, dict[str, str]] = dict(self._read().get(self.key, {}))

    def _read(self) -> dict[str, dict[str, dict[str, str]]]:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring the unreadable image cache %s (%s)", self.path, exc)
            return {}
        images = data.get("images") if isinstance(data, dict) else None
        if not isinstance(images, dict):
            return {}
        return {str(k): v for k, v in images.items() if isinstance(v, dict)}

    def get(self, digest: str) -> str | None:
        entry = self.entries.get(digest)
        url = entry.get("url") if isinstance(entry, dict) else None
        return url if isinstance(url, str) and url else None

    def put(self, digest: str, url: str, md5: str | None) -> None:
        entry = {"url": url}
        if md5:
            entry["md5"] = md5
        self.entries[digest] = entry
        if self.path is None:
            return
        # Re-read before writing so two runs uploading at once both keep their entries.
        images = self._read()
        images[self.key] = {**images.get(self.key, {}), **self.entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps({"version": 1, "images": images},
                                                    indent=1, sort_keys=True) + "\n")
        except OSError as exc:
            log.warning("could not save the image cache %s (%s)", self.path, exc)


# -- the adapter --------------------------------------------------------------------------------

class Medium(Target):
    """Medium's API through an integration token; see the module docstring."""

    info = TARGETS[NAME]

    def __init__(self, context: TargetContext) -> None:
        super().__init__(context)
        self._base = context.endpoint.rstrip("/")
        self._client: httpx.Client | None = None

    # -- pure ------------------------------------------------------------------------------

    def build_payload(self, rendered: Rendered) -> dict[str, Any]:
        return prepare(rendered).body

    def notices(self, rendered: Rendered) -> tuple[Notice, ...]:
        """What ``build_payload`` had to change or leave out (for ``render`` and dry runs)."""
        return prepare(rendered).notices

    # -- I/O -------------------------------------------------------------------------------

    def whoami(self) -> Identity:
        if self._identity is not None:
            return self._identity
        cached = self.context.cached_identity
        if cached and cached.get("id"):
            self._identity = _identity(cached)
            return self._identity
        data = self._get("/me", operation="check the token")
        if not isinstance(data, Mapping) or not data.get("id"):
            raise ProtocolError("Medium's /me answer has no user id", target=NAME,
                                operation="check the token")
        self._identity = _identity(data)
        return self._identity

    def publications(self) -> list[dict[str, Any]]:
        """The publications Medium relates to the user (contributor or merely following)."""
        me = self.whoami()
        data = self._get(f"/users/{_seg(me.id)}/publications", operation="list publications")
        if not isinstance(data, list):
            raise ProtocolError("Medium's publications answer is not a list", target=NAME,
                                operation="list publications")
        return [dict(p) for p in data if isinstance(p, Mapping)]

    def fetch(self, remote_id: str) -> RemotePost:
        raise Rejected("Medium's API cannot read posts back",
                       hint=f"see {self.info.site_url}/p/{remote_id} in a browser",
                       target=NAME, operation="fetch")

    def find_existing(self, rendered: Rendered) -> RemotePost | None:
        # No endpoint lists or searches a user's posts (medium-api-docs#30, #51, #100).
        return None

    def update(self, remote_id: str, rendered: Rendered) -> RemotePost:
        url = f"{self.info.site_url}/p/{remote_id}"
        raise Rejected(f"Medium's API cannot update posts; edit {url} by hand, or pass "
                       "--force-new to post a new copy", target=NAME, operation="update")

    def create(self, rendered: Rendered) -> RemotePost:
        """Upload images, then send the one create request; never resent."""
        payload = prepare(rendered).body
        me = self.whoami()
        path = f"/users/{_seg(me.id)}/posts"
        publication = rendered.options.publication
        if publication:
            self._check_publication(publication, me, payload["publishStatus"])
            path = f"/publications/{_seg(publication)}/posts"
        payload["content"], warnings = self._upload_images(rendered, payload["content"])
        remote = self._send_create(path, payload)
        if warnings:
            remote = RemotePost(remote.id, remote.url, remote.title, remote.body, remote.draft,
                                {**remote.extra, "warnings": tuple(warnings)})
        return remote

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- steps of create ---------------------------------------------------------------------

    def _check_publication(self, publication: str, me: Identity, status: str) -> None:
        operation = "check the publication"
        try:
            data = self._get(f"/publications/{_seg(publication)}/contributors",
                             operation=operation)
        except NotFound:
            raise ConfigError(f"medium: there is no Medium publication with the id "
                              f"{publication!r}", hint="`publication` takes the publication's "
                              "id, not its name; remove it to post on your profile") from None
        if not isinstance(data, list):
            raise ProtocolError("Medium's contributors answer is not a list", target=NAME,
                                operation=operation)
        # DOCS spells the keys publicationId/userId (GO-SDK's userID is not what Medium sends).
        role = next((str(c.get("role")) for c in data
                     if isinstance(c, Mapping) and str(c.get("userId")) == me.id), None)
        if role not in ("editor", "writer"):
            raise Rejected(f"you are not a writer or editor of the Medium publication "
                           f"{publication}, so Medium would refuse the post; nothing was sent",
                           hint="ask its editors to add you, or remove `publication` to post on "
                           "your profile", target=NAME, operation="create")
        if role == "writer" and status != "draft":
            raise Rejected(f"writers may only submit drafts to the Medium publication "
                           f"{publication} (an editor then publishes them); nothing was sent",
                           hint="set `draft: true` for medium in the post, or pass --draft",
                           target=NAME, operation="create")

    def _upload_images(self, rendered: Rendered, body: str) -> tuple[str, list[str]]:
        if not rendered.options.upload_images:
            return body, []
        warnings: list[str] = []
        cache: ImageCache | None = None
        for asset in rendered.assets:
            if not _mentions(body, asset.url):
                continue
            if asset.path.suffix.lower() not in UPLOADABLE_SUFFIXES:
                warnings.append(_unsupported_image(asset.path.name, asset.url))
                continue
            try:
                data = asset.path.read_bytes()
            except OSError as exc:
                raise PostError.at(rendered.source_path, None,
                                   f"cannot read the image {asset.path}: {exc.strerror}",
                                   hint="nothing was sent to Medium") from None
            ctype = _sniff(data)
            if ctype is None:
                warnings.append(f"{asset.path.name} is not really a JPEG, PNG, GIF or TIFF "
                                f"file; Medium copies it from {asset.url} instead")
                continue
            if cache is None:
                state = self.context.state_dir
                cache = ImageCache(state / IMAGE_CACHE if state else None, self._base)
            digest = hashlib.sha256(data).hexdigest()
            url = cache.get(digest)
            if url is None:
                url, md5 = self._upload(asset.path.name, data, ctype)
                cache.put(digest, url, md5)
            body = _swap(body, asset.url, url)
        return body, warnings

    def _upload(self, filename: str, data: bytes, ctype: str) -> tuple[str, str | None]:
        # One image per request, in a part named exactly "image" (DOCS §3.4). Sending it
        # twice only wastes an upload, so it may be retried.
        operation = f"upload {filename}"
        response = self._call("POST", "/images", operation=operation, idempotent=True,
                              files={"image": (filename, data, ctype)})
        result = self._data(response, operation)
        url = result.get("url") if isinstance(result, Mapping) else None
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ProtocolError(f"Medium's answer to {operation} has no image URL",
                                target=NAME, operation=operation)
        md5 = result.get("md5") if isinstance(result, Mapping) else None
        return url, str(md5) if md5 else None

    def _send_create(self, path: str, payload: dict[str, Any]) -> RemotePost:
        operation = "create"
        try:
            response = self._call("POST", path, operation=operation, idempotent=False,
                                  json_payload=payload)
        except AmbiguousWrite as exc:
            raise AmbiguousWrite(
                "the connection was lost after the post was sent: Medium may have created it, "
                "and its API cannot look posts up",
                hint=f"look for it in {STORIES_URL} (drafts and published); if it is there, "
                "record it with `crosspost link`, otherwise publish again with --force-new",
                target=NAME, operation=operation) from exc
        status = response.status_code
        if 200 <= status < 300:
            try:
                return _remote_post(self._data(response, operation), payload)
            except CrosspostError as exc:
                raise AmbiguousWrite(
                    f"Medium accepted the post (HTTP {status}) but its answer could not be read "
                    f"({exc.message}); the post was probably created, and Medium's API cannot "
                    "look it up", hint=f"find it in {STORIES_URL} and record it with "
                    "`crosspost link`", status=status, target=NAME, operation=operation) from exc
        if status >= 500 and not _challenge(response):
            raise AmbiguousWrite(
                f"Medium failed with HTTP {status} after receiving the post: it may have created "
                "it anyway, and its API cannot look posts up",
                hint=f"look for it in {STORIES_URL}; if it is there, record it with "
                "`crosspost link`, otherwise publish again with --force-new",
                status=status, target=NAME, operation=operation)
        raise self._error(response, operation)

    # -- HTTP -------------------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        if self._client is None:
            token = self.context.token
            if not token:
                raise CredentialError("no Medium integration token",
                                      hint=f"set {self.info.token_env[0]} or run `crosspost login "
                                      "medium`; without a token, publish with `--manual`",
                                      target=NAME)
            self._client = make_client(self.context.http, auth=bearer_auth(token),
                                       headers={"Accept": "application/json",
                                                "Accept-Charset": "utf-8"})
        return self._client

    def _call(self, method: str, path: str, *, operation: str, idempotent: bool,
              json_payload: Any = None, **kwargs: Any) -> httpx.Response:
        if json_payload is not None:
            kwargs["content"] = dumps(json_payload)
            kwargs["headers"] = {"Content-Type": "application/json"}
        return send(self._http(), method, self._base + path, target=NAME, operation=operation,
                    idempotent=idempotent, settings=self.context.http, **kwargs)

    def _get(self, path: str, *, operation: str) -> Any:
        return self._data(self._call("GET", path, operation=operation, idempotent=True),
                          operation)

    def _data(self, response: httpx.Response, operation: str) -> Any:
        """The ``data`` of a 2xx reply; any other reply becomes its error."""
        if not 200 <= response.status_code < 300:
            raise self._error(response, operation)
        body = json_body(response, target=NAME, operation=operation)
        if not isinstance(body, Mapping) or "data" not in body:
            raise ProtocolError(f"Medium's answer to {operation} has no `data`",
                                hint="check CROSSPOST_MEDIUM_ENDPOINT (it ends in /v1)",
                                status=response.status_code, target=NAME, operation=operation)
        return body["data"]

    def _error(self, response: httpx.Response, operation: str) -> CrosspostError:
        """Medium's own error for a non-2xx reply, most specific case first."""
        status = response.status_code
        if is_html(response):
            return _html_error(response, operation)
        body = json_body(response, target=NAME, operation=operation)
        code, message = _first_error(body)
        detail = (f"code {code}: {message}" if code is not None else message) or None
        said = f" ({detail})" if detail else ""

        if code in _TOKEN_CODES:
            what, fix = _TOKEN_CODES[code]
            return AuthError(f"{what}{said}", hint=fix, target=NAME, operation=operation)
        if code == _API_DISABLED:
            return ServerError(f"Medium's API is disabled for now{said}",
                               hint="try again later, or publish with `--manual`",
                               status=status, target=NAME, operation=operation)
        if code == _PUBLISH_LIMIT or status == 429:
            return RateLimited(
                f"Medium's publishing limit was reached{said}; nothing was created",
                hint="Medium allows about 10 posts per 24 hours, and the limit resets 24 hours "
                "after the first post of the last 24 hours; try again then",
                status=status, target=NAME, operation=operation)
        if status == 401:
            return AuthError(f"Medium refused the token (HTTP 401){said}", hint=_NO_NEW_TOKENS,
                             target=NAME, operation=operation)
        if code == _NO_CONTENT:
            return Rejected(f"Medium says the post has no content{said}",
                            hint="check that the post has a body", status=status, target=NAME,
                            operation=operation)
        if code == _UNEXPECTED_FIELDS:
            return Rejected(f"Medium rejected a field crosspost sent{said}",
                            hint="Medium may have changed its API; report this at crosspost's "
                            "issue tracker", status=status, target=NAME, operation=operation)
        if status == 400:
            return Rejected(f"Medium rejected {operation} (HTTP 400){said}",
                            status=status, target=NAME, operation=operation)
        if status == 403:
            return Rejected(f"Medium refused {operation} (HTTP 403){said}",
                            hint="the account may not be allowed to do this; if you changed "
                            "tokens, run `crosspost login medium` again to refresh the stored "
                            "account", status=status, target=NAME, operation=operation)
        return error_for_status(response, target=NAME, operation=operation, detail=detail,
                                token_help=_NO_NEW_TOKENS)


def _identity(data: Mapping[str, Any]) -> Identity:
    nested = data.get("details")
    details: Mapping[str, Any] = nested if isinstance(nested, Mapping) else {}
    url = data.get("url")
    username = data.get("username") or details.get("username")
    if not username and isinstance(url, str):  # `crosspost login` caches only id, name, url
        found = re.search(r"/@([^/?#]+)", url)
        username = found.group(1) if found else None
    image = data.get("imageUrl") or details.get("imageUrl")
    user_id = str(data["id"])
    name = str(data.get("name") or username or user_id)
    url = url or (f"https://medium.com/@{username}" if username else None)
    return Identity(id=user_id, name=name, url=str(url) if url else None,
                    details={"username": username, "imageUrl": image})


def _remote_post(data: Any, payload: Mapping[str, Any]) -> RemotePost:
    if not isinstance(data, Mapping):
        raise ProtocolError("the answer is not a post", target=NAME)
    post_id, url = data.get("id"), data.get("url")
    if not isinstance(post_id, str) or not post_id or not isinstance(url, str) or not url:
        raise ProtocolError("the answer has no post id or URL", target=NAME)
    status = str(data.get("publishStatus") or payload.get("publishStatus") or "public")
    extra: dict[str, Any] = {"publishStatus": status}
    if data.get("publicationId"):
        extra["publicationId"] = data["publicationId"]
    title = data.get("title") if isinstance(data.get("title"), str) else payload.get("title")
    return RemotePost(id=post_id, url=url, title=title, draft=status == "draft", extra=extra)


def _first_error(body: Any) -> tuple[int | None, str]:
    errors = body.get("errors") if isinstance(body, Mapping) else None
    first = errors[0] if isinstance(errors, list) and errors else None
    if not isinstance(first, Mapping):
        return None, ""
    code = first.get("code")
    message = redact(" ".join(str(first.get("message") or "").split()))[:300]
    return (code if isinstance(code, int) else None), message


def _challenge(response: httpx.Response) -> bool:
    """Cloudflare's challenge/block page: the request never reached Medium."""
    if response.headers.get("cf-mitigated"):
        return True
    if not is_html(response):
        return False
    head = response.content[:4000].decode("utf-8", "replace").lower()
    return any(mark in head for mark in ("just a moment", "attention required", "cf-chl",
                                          "challenge-platform", "you have been blocked"))


def _html_error(response: httpx.Response, operation: str) -> CrosspostError:
    status = response.status_code
    host = urlsplit(str(response.request.url)).netloc
    if _challenge(response):
        return Blocked(f"{host} answered HTTP {status} with Cloudflare's challenge page instead "
                       "of the API; nothing was published by this request",
                       hint="try again later, and do not retry in a loop", status=status,
                       target=NAME, operation=operation)
    if status == 413:
        return Rejected(f"the post is too large for Medium (HTTP 413 from {host})",
                        hint="shrink it: images inlined as data: URLs are the usual cause",
                        status=status, target=NAME, operation=operation)
    if status >= 500:
        return ServerError(f"{host} failed with HTTP {status} (a web page, not the API)",
                           hint="Medium is having trouble; try again later", status=status,
                           target=NAME, operation=operation)
    return ProtocolError(f"{host} answered {operation} with HTTP {status} and a web page, not "
                         "the API", hint="check CROSSPOST_MEDIUM_ENDPOINT (it ends in /v1)",
                         status=status, target=NAME, operation=operation)


def _seg(value: str) -> str:
    """One URL path segment: ids come from config and replies, so never trust their shape."""
    return quote(value, safe="")


__all__ = ["ImageCache", "Medium", "MediumPayload", "prepare", "select_tags"]
