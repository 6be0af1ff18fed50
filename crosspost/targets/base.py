"""The one small interface every target adapter implements.

An adapter turns a :class:`~crosspost.render.Rendered` into the platform's payload
(:meth:`Target.build_payload`, pure, shared by ``render --json``, ``--dry-run`` and publish)
and performs the platform's I/O through :mod:`crosspost.http`. It never prints, never reads
the environment, never touches the post file and never decides *whether* to create: the
engine decides, using the record, the journal and :meth:`Target.find_existing`.

Contract for the I/O methods:

* ``whoami`` checks the token and returns who it belongs to (cheap; cached per instance).
* ``fetch`` reads one remote post by id (body included where the platform can say; in
  ``extra``, ``score`` and ``comments`` where it counts votes and comments). The engine reads
  the copy before every update, to find edits made on the platform (``engine.drift``).
* ``find_existing`` searches the user's own posts for a copy of this rendering (same title
  and body); used after an ambiguous failure and before any create the journal doubts.
* ``same_title`` lists the user's posts of the same title (any body); asked before every
  create, so a copy made by hand is linked, not duplicated.
* ``create`` sends one create request and **never retries it**. A lost reply surfaces as
  :class:`~crosspost.errors.AmbiguousWrite`.
* ``update`` rewrites the remote post ``remote_id``; safe to retry.

Every failure leaves as a :class:`~crosspost.errors.CrosspostError` with the target set.

:meth:`Target.request` sends through the seam with the context's endpoint, token and
settings; the built-in adapters predate it and build their clients themselves. A target
added by a package (README, "Writing a target") needs nothing else.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

from crosspost.platforms import Described

if TYPE_CHECKING:
    import httpx

    from crosspost.credentials import Secret
    from crosspost.http import HttpSettings
    from crosspost.platforms import TargetInfo
    from crosspost.render import Notice, Rendered


@dataclass(frozen=True)
class Identity:
    """Who a token belongs to, as the platform says."""

    id: str
    name: str
    url: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.name} ({self.url})" if self.url else self.name


@dataclass(frozen=True)
class RemotePost:
    """A post as the platform holds it."""

    id: str
    url: str
    title: str | None = None
    body: str | None = None  # the Markdown/HTML as stored, when the platform can return it
    draft: bool | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TargetContext:
    """What an adapter is given: where to talk, with what, and where it may cache.

    ``state_dir`` is a directory the adapter may keep small non-secret caches in (Medium's
    uploaded-image URLs by content hash). ``site_root`` lets an adapter resolve local files.
    """

    endpoint: str
    token: Secret | None
    http: HttpSettings
    state_dir: Path | None = None
    cached_identity: Mapping[str, Any] | None = None


class Target(Described, ABC):
    """Base class of the adapters; see the module docstring for the contract."""

    info: ClassVar[TargetInfo]

    def __init__(self, context: TargetContext) -> None:
        self.context = context
        self._identity: Identity | None = None
        self._seam_client: httpx.Client | None = None

    @property
    def name(self) -> str:
        return self.info.name

    # -- pure ------------------------------------------------------------------------------

    @abstractmethod
    def build_payload(self, rendered: Rendered) -> dict[str, Any]:
        """The request body this target would send to create the post (no I/O)."""

    def notices(self, rendered: Rendered) -> tuple[Notice, ...]:
        """Warnings the payload would carry (tags Medium drops, a title it ignores…); no I/O.

        Shown by ``--dry-run`` and ``render --json`` next to the renderer's own notices.
        """
        return ()

    # -- I/O -------------------------------------------------------------------------------

    @abstractmethod
    def whoami(self) -> Identity:
        """Check the token with the platform; raise AuthError if it is refused."""

    @abstractmethod
    def fetch(self, remote_id: str) -> RemotePost:
        """Read the remote post; raise NotFound if it does not exist."""

    @abstractmethod
    def find_existing(self, rendered: Rendered) -> RemotePost | None:
        """The user's post that is a copy of ``rendered``, if the platform can tell."""

    def same_title(self, rendered: Rendered) -> list[RemotePost]:
        """The account's posts and drafts whose title is ``rendered``'s (case and spacing
        aside), where the platform can list them; ``[]`` where it cannot (Medium).

        Asked before every create: a post made by hand years ago, with another body and no
        link to it, is still this post's copy more often than not.
        """
        return []

    @abstractmethod
    def create(self, rendered: Rendered) -> RemotePost:
        """Create the post. Never retried; a lost reply raises AmbiguousWrite."""

    @abstractmethod
    def update(self, remote_id: str, rendered: Rendered) -> RemotePost:
        """Replace the remote post's title and body with ``rendered``."""

    # -- the HTTP seam ----------------------------------------------------------------------

    def http_auth(self) -> httpx.Auth | None:
        """How :meth:`request` sends the token: ``Authorization: Bearer <token>`` unless
        overridden (:mod:`crosspost.http` also has ``header_auth`` and ``cookie_auth``). None
        without a token: a dry run of a new post has none."""
        from crosspost.http import bearer_auth

        return bearer_auth(self.context.token) if self.context.token is not None else None

    def request(self, method: str, path: str, *, operation: str, idempotent: bool,
                **kwargs: Any) -> httpx.Response:
        """Send one request to the endpoint plus ``path`` through crosspost's HTTP seam.

        The seam's rules hold: the token goes to HTTPS (or loopback) only, redirects are
        refused, the context's timeouts apply, and only an ``idempotent`` request (a read, an
        update) is retried. A create passes ``idempotent=False``: it is sent once, and a lost
        reply raises AmbiguousWrite. Returns the response for any status (the adapter reads
        the platform's errors; :func:`crosspost.http.error_for_status` does the generic rest).
        ``operation`` names the request in messages ("create", "read the post"); ``kwargs``
        go to httpx (``json=``, ``params=``, ``headers=``).
        """
        from crosspost.http import make_client, send

        if self._seam_client is None:
            self._seam_client = make_client(self.context.http, auth=self.http_auth())
        url = path if path.startswith(("https://", "http://")) else \
            self.context.endpoint.rstrip("/") + "/" + path.lstrip("/")
        return send(self._seam_client, method, url, target=self.name, operation=operation,
                    idempotent=idempotent, settings=self.context.http, **kwargs)

    def close(self) -> None:
        """Release the HTTP client. Adapters that hold their own override this."""
        if self._seam_client is not None:
            self._seam_client.close()
            self._seam_client = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def post_tags(rendered: Rendered) -> list[str]:
    """The post's own tags, as the renderer passes them (used when no `tags` option is set)."""
    value = rendered.extra.get("tags")
    if isinstance(value, str):
        return value.replace(",", " ").split()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


def title_key(title: str) -> str:
    """A title as "the same title" compares it: case and runs of spaces do not count."""
    return " ".join(title.split()).casefold()


__all__ = ["Identity", "RemotePost", "Target", "TargetContext", "post_tags", "title_key"]
