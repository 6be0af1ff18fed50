"""Quill as a crosspost target: all a package writes to add one.

Quill is a made-up blogging platform (tests/fakes/quill.py serves it on 127.0.0.1). Its
JSON API, under the endpoint (default ``https://api.quill.example/v1``), with the token in
``Authorization: Bearer <token>``::

    GET  /me          -> 200 {"id", "name", "profile"}                 401 {"error"}: bad token
    GET  /posts       -> 200 [post, ...]: the token owner's posts, newest first
    GET  /posts/{id}  -> 200 post                                      404 {"error"}
    POST /posts       {"title", "body", "draft", "canonical_url"} -> 201 post
    PUT  /posts/{id}  the same keys, "draft" optional (absent: unchanged) -> 200 post
    422 {"error"} for a post Quill refuses; a post is
    {"id", "url", "title", "body", "draft", "canonical_url"}

crosspost does the rest: rendering (the "forum" Markdown dialect), the journal, looking for
a copy after a lost reply, recording the copy in the front matter, concurrency, dry runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from crosspost.errors import AmbiguousWrite, CrosspostError, NotFound, ProtocolError, Rejected
from crosspost.http import error_for_status, json_body
from crosspost.platforms import TargetInfo
from crosspost.targets.base import Identity, RemotePost, Target

if TYPE_CHECKING:
    import httpx

    from crosspost.render import Rendered


class Quill(Target):
    """Publishes to Quill; the class its entry point ``quill = "crosspost_quill:Quill"`` names."""

    info = TargetInfo(
        name="quill",  # the entry point's name
        label="Quill",
        dialect="forum",  # Markdown as the forums get it
        default_endpoint="https://api.quill.example/v1",
        site_url="https://quill.example",
        post_url=re.compile(r"https://quill\.example/p/(?P<id>[a-z0-9]{8})(?:[/?#]|$)"),
        token_help="on https://quill.example/settings/tokens, create a token and copy it",
        can_update=True,
    )

    def build_payload(self, rendered: Rendered) -> dict[str, Any]:
        return {"title": rendered.title, "body": rendered.body, "draft": rendered.options.draft,
                "canonical_url": rendered.canonical_url}

    def whoami(self) -> Identity:
        if self._identity is None:
            me = self._json(self.request("GET", "/me", operation="check the token",
                                         idempotent=True), "check the token")
            self._identity = Identity(id=str(me["id"]), name=str(me["name"]), url=me.get("profile"))
        return self._identity

    def fetch(self, remote_id: str) -> RemotePost:
        response = self.request("GET", f"/posts/{remote_id}", operation="read the post",
                                idempotent=True)
        return self._post(self._json(response, "read the post"))

    def find_existing(self, rendered: Rendered) -> RemotePost | None:
        posts = self._json(self.request("GET", "/posts", operation="list your posts",
                                        idempotent=True), "list your posts")
        for post in posts:
            if post.get("title") == rendered.title and post.get("body") == rendered.body:
                return self._post(post)
        return None

    def create(self, rendered: Rendered) -> RemotePost:
        # Sent once: a lost reply raises AmbiguousWrite, and the engine looks for the post.
        response = self.request("POST", "/posts", operation="create", idempotent=False,
                                json=self.build_payload(rendered))
        if response.status_code != 201:
            raise self._error(response, "create")
        try:
            return self._post(self._json(response, "create"))
        except CrosspostError as exc:
            raise AmbiguousWrite(f"Quill created the post but its answer is unreadable ({exc})",
                                 target=self.name, operation="create") from exc

    def update(self, remote_id: str, rendered: Rendered) -> RemotePost:
        payload = self.build_payload(rendered)
        if rendered.options.keep_state:  # the copy stays a draft, or stays public
            del payload["draft"]
        response = self.request("PUT", f"/posts/{remote_id}", operation="update", idempotent=True,
                                json=payload)
        return self._post(self._json(response, "update"))

    # -- Quill's answers -------------------------------------------------------------------

    def _json(self, response: httpx.Response, operation: str) -> Any:
        if response.status_code >= 300:
            raise self._error(response, operation)
        return json_body(response, target=self.name, operation=operation)

    def _error(self, response: httpx.Response, operation: str) -> CrosspostError:
        said = response.json().get("error") if "json" in response.headers.get(
            "Content-Type", "") else None
        if response.status_code == 404:
            return NotFound(f"Quill has no such post ({said})", target=self.name,
                            operation=operation)
        if response.status_code == 422:
            return Rejected(f"Quill refused the post: {said}", target=self.name, operation=operation)
        return error_for_status(response, target=self.name, operation=operation, detail=said,
                                token_help=self.info.token_help)

    def _post(self, data: object) -> RemotePost:
        if not isinstance(data, Mapping) or not data.get("id") or not data.get("url"):
            raise ProtocolError("Quill's answer is not a post", target=self.name)
        return RemotePost(id=str(data["id"]), url=str(data["url"]), title=data.get("title"),
                          body=data.get("body"), draft=data.get("draft"))
