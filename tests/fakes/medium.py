"""A strict fake of Medium's REST API v1, served over real HTTP on 127.0.0.1.

It follows the documented API (Medium/medium-api-docs README, archived 2023) and the observed
behaviour collected in the project's reference notes, and it is deliberately no kinder than
Medium: anything the docs do not allow is refused, in Medium's error shape
``{"errors": [{"message": ..., "code": ...}]}`` (``code`` only where Medium's code is known).

What it serves (everything under ``/v1``, ``Authorization: Bearer <token>`` required):

* ``GET /v1/me``: the token owner;
* ``GET /v1/users/{id}/publications``: 403 for anyone but the token owner;
* ``GET /v1/publications/{id}/contributors``;
* ``POST /v1/users/{authorId}/posts`` and ``POST /v1/publications/{id}/posts``: JSON only;
  documented fields only (else 400, code 6007); ``title``/``contentFormat``/``content``
  required; enums checked; only the first 3 tags kept and tags over 25 characters ignored;
  replies 201 with the Post object (``publishedAt`` in epoch ms, absent for drafts;
  ``canonicalUrl`` absent if not sent); 10 creates per rolling 24 h per user (429, 1007);
  writers may only submit drafts to a publication, non-contributors nothing (403);
* ``POST /v1/images``: ``multipart/form-data`` with one part named ``image`` of type
  jpeg/png/gif/tiff (checked against the bytes), 201 ``{"data": {"url", "md5"}}``.

Fixtures (registered for every test through ``tests/conftest.py``):

``medium``
    A started :class:`MediumFake` with one user, :data:`TOKEN` /  :data:`USER_ID` /
    ``@`` :data:`USERNAME`. Point an adapter at ``medium.endpoint`` (ends in ``/v1``) with
    ``medium.token``.
``medium_factory``
    ``medium_factory(**kwargs) -> MediumFake`` for a second, independent fake (kwargs go to
    :class:`MediumFake`); all are stopped at teardown.

State to inspect: ``medium.posts`` (:class:`StoredPost`, with the request body as sent),
``medium.uploads`` (:class:`Upload`), ``medium.requests`` (every HTTP request, in order),
``medium.creates()`` (the create requests only). To arrange things: ``add_user``,
``add_publication``, ``advance(seconds)`` (moves the fake's clock for the 24 h window, so
no test sleeps). Faults: ``medium.inject(Fault...)`` with :data:`CREATE` as ``match`` to aim
at post creation, and the canned pages :func:`nginx_413`, :func:`cloudflare_challenge`,
:func:`cloudflare_403`, :func:`medium_error`, :func:`malformed_json`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.fakes.server import App, FakeServer, Fault, Reply, Request, started_fakes

TOKEN = "feedface" * 8 + "d"  # 65 hex digits, like the integration tokens seen in the wild
USER_ID = "5303d74c64f66366f00cb9b2a94f3251bf5"
USERNAME = "ada"
USER_NAME = "Ada Writer"

RATE_LIMIT = 10  # creates per rolling 24 h (MediumEng, Medium/medium-api-docs#105)
WINDOW = 24 * 3600.0

POST_FIELDS = frozenset({
    "title", "contentFormat", "content", "tags", "canonicalUrl", "publishStatus", "license",
    "notifyFollowers",
    # Undocumented in the README but confirmed by Medium staff (medium-api-docs#43, #89).
    "publishedAt",
})
CONTENT_FORMATS = ("html", "markdown")
PUBLISH_STATUSES = ("public", "draft", "unlisted")
LICENSES = ("all-rights-reserved", "cc-40-by", "cc-40-by-sa", "cc-40-by-nd", "cc-40-by-nc",
            "cc-40-by-nc-nd", "cc-40-by-nc-sa", "cc-40-zero", "public-domain")
IMAGE_TYPES = {"image/jpeg": "jpeg", "image/png": "png", "image/gif": "gif", "image/tiff": "tiff"}

REQUIRED = "Required fields were invalid, not specified."  # DOCS §3.3, no code given


def CREATE(request: Request) -> bool:
    """Fault matcher: a post creation (either endpoint)."""
    return request.method == "POST" and request.path.endswith("/posts")


def UPLOAD(request: Request) -> bool:
    """Fault matcher: an image upload."""
    return request.method == "POST" and request.path == "/v1/images"


def ME(request: Request) -> bool:
    """Fault matcher: ``GET /v1/me``."""
    return request.method == "GET" and request.path == "/v1/me"


# -- canned replies for faults ------------------------------------------------------------

def medium_error(status: int, message: str, code: int | None = None) -> Reply:
    """A reply in Medium's error shape."""
    error: dict[str, Any] = {"message": message}
    if code is not None:
        error["code"] = code
    return Reply.json({"errors": [error]}, status)


def nginx_413() -> Reply:
    """What a too-large body got (dexplo/jupyter_to_medium#21): nginx's own page."""
    return Reply.html("<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n"
                      "<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n"
                      "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", 413,
                      {"Server": "nginx"})


def cloudflare_challenge(status: int = 503) -> Reply:
    """Cloudflare's browser challenge (maximegel/blogster#1): HTML, never the API."""
    return Reply.html(
        "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head>"
        "<body><noscript>Enable JavaScript and cookies to continue</noscript>"
        "<script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1\"></script>"
        "</body></html>", status, {"Server": "cloudflare", "cf-mitigated": "challenge"})


def cloudflare_403() -> Reply:
    """Cloudflare's block page ("Attention Required!")."""
    return Reply.html(
        "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
        "<body><h1>Sorry, you have been blocked</h1><p>Cloudflare Ray ID: 8a1b2c3d4e5f</p>"
        "</body></html>", 403, {"Server": "cloudflare"})


def cloudflare_502() -> Reply:
    """Cloudflare's "bad gateway" page: the origin failed (it may have done the work)."""
    return Reply.html(
        "<!DOCTYPE html><html><head><title>api.medium.com | 502: Bad gateway</title></head>"
        "<body><h1>Bad gateway</h1><p>Cloudflare Ray ID: 8a1b2c3d4e5f</p></body></html>",
        502, {"Server": "cloudflare"})


def malformed_json(status: int = 200) -> Reply:
    return Reply.raw(b'{"data": {"id": "e6f36a', status, "application/json; charset=utf-8")


# -- state ----------------------------------------------------------------------------------

@dataclass
class FakeUser:
    id: str
    username: str
    name: str
    token: str
    image_url: str = "https://cdn-images-1.medium.com/fit/c/400/400/1*fakeavatar.png"

    def me(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "name": self.name,
                "url": f"https://medium.com/@{self.username}", "imageUrl": self.image_url}


@dataclass
class FakePublication:
    id: str
    name: str
    slug: str
    roles: dict[str, str] = field(default_factory=dict)  # userId -> "editor" | "writer"
    followers: set[str] = field(default_factory=set)  # related but not contributors
    description: str = ""

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "description": self.description,
                "url": f"https://medium.com/{self.slug}",
                "imageUrl": "https://cdn-images-1.medium.com/fit/c/200/200/1*fakepub.png"}


@dataclass
class StoredPost:
    data: dict[str, Any]  # the Post object as replied
    body: dict[str, Any]  # the request body as sent
    author_id: str
    created_at: float
    publication_id: str | None = None

    @property
    def id(self) -> str:
        return str(self.data["id"])


@dataclass
class Upload:
    user_id: str
    filename: str | None
    content_type: str
    data: bytes
    url: str
    md5: str


class _Refusal(Exception):
    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


def _refuse(status: int, message: str, code: int | None = None) -> _Refusal:
    return _Refusal(medium_error(status, message, code))


class MediumFake:
    """The fake API's state plus its server. See the module docstring."""

    def __init__(self, *, token: str = TOKEN, user_id: str = USER_ID, username: str = USERNAME,
                 name: str = USER_NAME, rate_limit: int = RATE_LIMIT,
                 clock: Callable[[], float] = time.time) -> None:
        self.users: dict[str, FakeUser] = {}
        self.publications: dict[str, FakePublication] = {}
        self.posts: list[StoredPost] = []
        self.uploads: list[Upload] = []
        self.rate_limit = rate_limit
        self._clock = clock
        self._offset = 0.0
        # Requests are served on threads: a create's check of the daily limit and its save are
        # one step, as on Medium, or two creates at once could both pass at the limit.
        self._lock = threading.Lock()
        self.user = self.add_user(user_id=user_id, username=username, name=name, token=token)
        self.server = FakeServer(self._app())

    # -- arranging -------------------------------------------------------------------------

    @property
    def token(self) -> str:
        return self.user.token

    def add_user(self, *, username: str, name: str | None = None, token: str | None = None,
                 user_id: str | None = None) -> FakeUser:
        user = FakeUser(id=user_id or "1" + secrets.token_hex(17)[:34], username=username,
                        name=name or username.title(), token=token or secrets.token_hex(32))
        self.users[user.token] = user
        return user

    def add_publication(self, name: str, *, editors: tuple[str, ...] = (),
                        writers: tuple[str, ...] = (), followers: tuple[str, ...] = (),
                        publication_id: str | None = None) -> FakePublication:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        pub = FakePublication(id=publication_id or secrets.token_hex(6), name=name, slug=slug,
                              followers=set(followers))
        pub.roles.update(dict.fromkeys(editors, "editor"))
        pub.roles.update(dict.fromkeys(writers, "writer"))
        self.publications[pub.id] = pub
        return pub

    def now(self) -> float:
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock forward (the rate-limit window), instead of sleeping."""
        self._offset += seconds

    # -- server ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def endpoint(self) -> str:
        """The API base to configure (``CROSSPOST_MEDIUM_ENDPOINT``)."""
        return f"{self.server.url}/v1"

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def creates(self) -> list[Request]:
        return [r for r in self.server.requests if CREATE(r)]

    def upload_requests(self) -> list[Request]:
        return [r for r in self.server.requests if UPLOAD(r)]

    def inject(self, fault: Fault) -> None:
        self.server.inject(fault)

    def start(self) -> MediumFake:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    # -- the API -----------------------------------------------------------------------------

    def _app(self) -> App:
        routes: list[tuple[str, re.Pattern[str], Callable[..., Reply]]] = [
            ("GET", re.compile(r"/v1/me"), self._me),
            ("GET", re.compile(r"/v1/users/(?P<user_id>[^/]+)/publications"), self._publications),
            ("GET", re.compile(r"/v1/publications/(?P<pub_id>[^/]+)/contributors"),
             self._contributors),
            ("POST", re.compile(r"/v1/users/(?P<author_id>[^/]+)/posts"), self._create_user_post),
            ("POST", re.compile(r"/v1/publications/(?P<pub_id>[^/]+)/posts"),
             self._create_publication_post),
            ("POST", re.compile(r"/v1/images"), self._upload),
        ]

        def app(request: Request) -> Reply:
            try:
                for method, pattern, handler in routes:
                    match = pattern.fullmatch(request.path)
                    if match:
                        if request.method != method:
                            return medium_error(405, "Method not allowed.")
                        user = self._authenticate(request)
                        params = {k: unquote(v) for k, v in match.groupdict().items()}
                        return handler(request, user, **params)
                return medium_error(404, "Not found.")
            except _Refusal as refusal:
                return refusal.reply

        return app

    def _authenticate(self, request: Request) -> FakeUser:
        # Only the header counts: the undocumented ?accessToken= form is not honoured here, so
        # an adapter that tried it (and leaked the token into URLs) would fail loudly.
        header = request.headers.get_header("authorization")
        if not header:
            raise _refuse(401, "An access token is required.", 6000)
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token.strip():
            raise _refuse(401, "An access token is required.", 6000)
        user = self.users.get(token.strip())
        if user is None:
            raise _refuse(401, "An invalid token was provided.", 6003)
        return user

    def _me(self, request: Request, user: FakeUser) -> Reply:
        return Reply.json({"data": user.me()})

    def _publications(self, request: Request, user: FakeUser, user_id: str) -> Reply:
        if user_id != user.id:
            raise _refuse(403, "You are not allowed to list another user's publications.")
        related = [p.public() for p in self.publications.values()
                   if user.id in p.roles or user.id in p.followers]
        return Reply.json({"data": related})

    def _contributors(self, request: Request, user: FakeUser, pub_id: str) -> Reply:
        pub = self.publications.get(pub_id)
        if pub is None:
            raise _refuse(404, "Publication not found.")
        return Reply.json({"data": [{"publicationId": pub.id, "userId": uid, "role": role}
                                    for uid, role in pub.roles.items()]})

    def _create_user_post(self, request: Request, user: FakeUser, author_id: str) -> Reply:
        if author_id != user.id:
            raise _refuse(403, "You are not allowed to publish as this user.")
        body = self._post_body(request)
        with self._lock:
            self._check_rate(user)
            return self._store(user, body, publication=None)

    def _create_publication_post(self, request: Request, user: FakeUser, pub_id: str) -> Reply:
        pub = self.publications.get(pub_id)
        role = pub.roles.get(user.id) if pub is not None else None
        if pub is None or role is None:
            raise _refuse(403, f"publicationId {pub_id} doesn't point to a publication that the "
                          "user can publish into.")
        body = self._post_body(request)
        if role == "writer" and body.get("publishStatus", "public") != "draft":
            raise _refuse(403, "Writers can only submit drafts to this publication.")
        with self._lock:
            self._check_rate(user)
            return self._store(user, body, publication=pub)

    def _post_body(self, request: Request) -> dict[str, Any]:
        ctype = (request.headers.get_header("content-type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            raise _refuse(400, REQUIRED)
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            raise _refuse(400, REQUIRED) from None
        if not isinstance(body, dict):
            raise _refuse(400, REQUIRED)
        if set(body) - POST_FIELDS:
            raise _refuse(400, "Unexpected fields specified.", 6007)
        if not body.get("content"):
            raise _refuse(400, "No content specified.", 2002)
        if not isinstance(body["content"], str):
            raise _refuse(400, REQUIRED)
        if not isinstance(body.get("title"), str) or not body["title"].strip():
            raise _refuse(400, REQUIRED)
        if body.get("contentFormat") not in CONTENT_FORMATS:
            raise _refuse(400, REQUIRED)
        tags = body.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            # A form-encoded/ill-typed tags field earned 6007 (dangoldin's script).
            raise _refuse(400, "Unexpected fields specified.", 6007)
        if "publishStatus" in body and body["publishStatus"] not in PUBLISH_STATUSES:
            raise _refuse(400, "Invalid publishStatus.")
        if "license" in body and body["license"] not in LICENSES:
            raise _refuse(400, "Invalid license.")
        if "notifyFollowers" in body and not isinstance(body["notifyFollowers"], bool):
            raise _refuse(400, "Invalid notifyFollowers.")
        if "canonicalUrl" in body:
            parts = urlsplit(str(body["canonicalUrl"]))
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise _refuse(400, "Invalid canonicalUrl.")
        if "publishedAt" in body:
            self._published_at(body["publishedAt"])
        return body

    def _published_at(self, value: Any) -> float:
        # ISO 8601 in, epoch ms out (medium-api-docs#66); past dates only, not before 1970
        # (moutend/mediumctl README, medium-api-docs#85).
        try:
            when = dt.datetime.fromisoformat(str(value))
        except ValueError:
            raise _refuse(400, "Invalid publishedAt.") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        stamp = when.timestamp()
        if stamp < 0 or stamp > self.now():
            raise _refuse(400, "Invalid publishedAt.")
        return stamp

    def _check_rate(self, user: FakeUser) -> None:
        recent = [p for p in self.posts
                  if p.author_id == user.id and p.created_at > self.now() - WINDOW]
        if len(recent) >= self.rate_limit:
            raise _refuse(429, "User has reached the rate limit for publishing today.", 1007)

    def _store(self, user: FakeUser, body: dict[str, Any],
               publication: FakePublication | None) -> Reply:
        post_id = secrets.token_hex(6)
        title = body["title"]
        if len(title) > 100:  # "ignored and a title is synthesized from the first content"
            text = re.sub(r"<[^>]+>", " ", body["content"]).strip()
            title = " ".join(text.split())[:100]
        # DOCS: "Only the first three will be used. Tags longer than 25 characters will be
        # ignored." Applied in that order.
        tags = [t for t in body.get("tags", [])[:3] if len(t) <= 25]
        status = body.get("publishStatus", "public")
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "post"
        home = f"https://medium.com/{publication.slug}" if publication else \
            f"https://medium.com/@{user.username}"
        data: dict[str, Any] = {
            "id": post_id, "title": title, "authorId": user.id, "tags": tags,
            "url": f"{home}/{slug}-{post_id}", "publishStatus": status,
            "license": body.get("license", "all-rights-reserved"),
            "licenseUrl": "https://medium.com/policy/9db0094a1e0f",
        }
        if "canonicalUrl" in body:
            data["canonicalUrl"] = body["canonicalUrl"]
        if status != "draft":
            stamp = self._published_at(body["publishedAt"]) if "publishedAt" in body else self.now()
            data["publishedAt"] = int(stamp * 1000)
        if publication is not None:
            data["publicationId"] = publication.id
        self.posts.append(StoredPost(data=data, body=body, author_id=user.id,
                                     created_at=self.now(),
                                     publication_id=publication.id if publication else None))
        return Reply.json({"data": data}, 201)

    def _upload(self, request: Request, user: FakeUser) -> Reply:
        ctype = request.headers.get_header("content-type") or ""
        match = re.fullmatch(r'\s*multipart/form-data\s*;\s*boundary="?([^";]+)"?\s*', ctype,
                             re.IGNORECASE)
        if not match:
            raise _refuse(400, "The request must be multipart/form-data.")
        parts = _multipart(request.body, match.group(1).encode("latin-1"))
        if parts is None or len(parts) != 1:
            raise _refuse(400, "Exactly one image part is required.")
        headers, data = parts[0]
        disposition = headers.get("content-disposition", "")
        name = re.search(r'(?:^|;)\s*name="([^"]*)"', disposition)
        if not name or name.group(1) != "image":
            raise _refuse(400, "The image must be sent in a part named 'image'.")
        filename = re.search(r'filename="([^"]*)"', disposition)
        part_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if part_type not in IMAGE_TYPES or _sniff(data) != part_type:
            raise _refuse(400, "Unsupported image type; use image/jpeg, image/png, image/gif "
                          "or image/tiff.")
        md5 = base64.urlsafe_b64encode(hashlib.md5(data).digest())[:16].decode("ascii")
        url = f"https://cdn-images-1.medium.com/proxy/1*{md5}.{IMAGE_TYPES[part_type]}"
        self.uploads.append(Upload(user_id=user.id, filename=filename.group(1) if filename
                                   else None, content_type=part_type, data=data, url=url, md5=md5))
        return Reply.json({"data": {"url": url, "md5": md5}}, 201)


def _multipart(body: bytes, boundary: bytes) -> list[tuple[dict[str, str], bytes]] | None:
    """Parse a multipart body strictly (CRLF line ends, closing delimiter); None if broken."""
    delimiter = b"--" + boundary
    if not body.startswith(delimiter):
        return None
    chunks = body.split(b"\r\n" + delimiter)
    first = chunks[0][len(delimiter):]
    chunks[0] = first
    if not chunks[-1].startswith(b"--"):
        return None
    parts: list[tuple[dict[str, str], bytes]] = []
    for chunk in chunks[:-1]:
        if not chunk.startswith(b"\r\n"):
            return None
        head, sep, data = chunk[2:].partition(b"\r\n\r\n")
        if not sep:
            return None
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, colon, value = line.partition(":")
            if not colon:
                return None
            headers[key.strip().lower()] = value.strip()
        parts.append((headers, data))
    return parts


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    return None


# -- fixtures -------------------------------------------------------------------------------

@pytest.fixture
def medium_factory() -> Iterator[Callable[..., MediumFake]]:
    """Make started fakes (kwargs go to :class:`MediumFake`); all stop at teardown."""
    yield from started_fakes(MediumFake)


@pytest.fixture
def medium(medium_factory: Callable[..., MediumFake]) -> MediumFake:
    """A started fake Medium with one user (token :data:`TOKEN`, id :data:`USER_ID`)."""
    return medium_factory()


__all__ = ["CREATE", "ME", "RATE_LIMIT", "TOKEN", "UPLOAD", "USERNAME", "USER_ID", "FakePublication",
           "FakeUser", "MediumFake", "StoredPost", "Upload", "cloudflare_403", "cloudflare_502",
           "cloudflare_challenge", "malformed_json", "medium", "medium_error", "medium_factory",
           "nginx_413"]
