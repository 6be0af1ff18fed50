"""A fake Quill: the made-up platform of the tests' plugin (tests/plugins/quill), on 127.0.0.1.

It keeps its posts and follows the API the plugin's docstring states, strictly: a bearer
token, the exact keys, ``draft`` optional only in an update, 201 for a create.
``before_write`` runs as each write arrives, before it is applied (a test looks at the
journal then).
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from typing import Any

from tests.fakes.server import FakeServer, Reply, Request

TOKEN = "quill-token-5f0c8a"
KEYS = {"title", "body", "draft", "canonical_url"}


class QuillFake:
    def __init__(self) -> None:
        self.server = FakeServer(self.app)
        self.posts: dict[str, dict[str, Any]] = {}
        self.before_write: Callable[[Request], None] | None = None
        self._ids = (f"q{n:07d}" for n in itertools.count(1))
        self._lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return self.server.url + "/v1"

    def env(self) -> dict[str, str]:
        return {"CROSSPOST_QUILL_ENDPOINT": self.endpoint, "CROSSPOST_QUILL_TOKEN": TOKEN}

    def writes(self) -> list[Request]:
        return [r for r in self.server.requests if r.method in {"POST", "PUT"}]

    def start(self) -> QuillFake:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def app(self, request: Request) -> Reply:
        if request.headers.get_header("authorization") != f"Bearer {TOKEN}":
            return Reply.json({"error": "bad token"}, 401)
        path = request.path.removeprefix("/v1")
        with self._lock:
            if request.method == "GET" and path == "/me":
                return Reply.json({"id": "u1", "name": "Jane Doe", "profile": "https://quill.example/@jane"})
            if request.method == "GET" and path == "/posts":
                return Reply.json(list(reversed(self.posts.values())))
            if request.method == "POST" and path == "/posts":
                return self._create(request)
            post_id = path.removeprefix("/posts/")
            if path.startswith("/posts/") and post_id in self.posts:
                if request.method == "GET":
                    return Reply.json(self.posts[post_id])
                if request.method == "PUT":
                    return self._update(request, self.posts[post_id])
            return Reply.json({"error": "not found"}, 404)

    def _fields(self, request: Request, *, draft_optional: bool) -> dict[str, Any] | Reply:
        try:
            data = json.loads(request.body)
        except ValueError:
            return Reply.json({"error": "not JSON"}, 400)
        needed = KEYS - {"draft"} if draft_optional else KEYS
        if not isinstance(data, dict) or not needed <= set(data) <= KEYS:
            return Reply.json({"error": f"the keys are {sorted(KEYS)}"}, 422)
        if not data["title"].strip():
            return Reply.json({"error": "a post needs a title"}, 422)
        if self.before_write is not None:
            self.before_write(request)
        return data

    def _create(self, request: Request) -> Reply:
        data = self._fields(request, draft_optional=False)
        if isinstance(data, Reply):
            return data
        post_id = next(self._ids)
        post = {"id": post_id, "url": f"https://quill.example/p/{post_id}", **data}
        self.posts[post_id] = post
        return Reply.json(post, 201)

    def _update(self, request: Request, post: dict[str, Any]) -> Reply:
        data = self._fields(request, draft_optional=True)
        if isinstance(data, Reply):
            return data
        post.update(data)
        return Reply.json(post)
