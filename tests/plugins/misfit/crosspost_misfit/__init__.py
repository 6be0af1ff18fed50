"""Targets that load but misbehave once crosspost calls them (tests/test_plugin_misfits.py).

None of them talks to a platform: each answers from memory, and ``Fine`` shows the answers a
target is meant to give.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crosspost.platforms import TargetInfo
from crosspost.targets.base import Identity, RemotePost, Target, TargetContext

if TYPE_CHECKING:
    from crosspost.render import Notice, Rendered


def _info(name: str) -> TargetInfo:
    return TargetInfo(name=name, label=name.title(), dialect="forum",
                      default_endpoint="https://api.misfit.example", site_url="https://misfit.example",
                      post_url=re.compile(r"https://misfit\.example/p/(?P<id>\w+)"),
                      token_help="any token will do", can_update=True)


class Fine(Target):
    info = _info("fine")

    def answer(self, rendered: Rendered) -> Any:
        return RemotePost(id="m1", url="https://misfit.example/p/m1", title=rendered.title,
                          body=rendered.body, draft=rendered.options.draft)

    def build_payload(self, rendered: Rendered) -> dict[str, Any]:
        return {"title": rendered.title, "body": rendered.body}

    def whoami(self) -> Identity:
        return Identity(id="u1", name="Misfit user")

    def fetch(self, remote_id: str) -> RemotePost:
        return RemotePost(id=remote_id, url=f"https://misfit.example/p/{remote_id}")

    def find_existing(self, rendered: Rendered) -> RemotePost | None:
        return None

    def create(self, rendered: Rendered) -> RemotePost:
        answer: RemotePost = self.answer(rendered)
        return answer

    def update(self, remote_id: str, rendered: Rendered) -> RemotePost:
        answer: RemotePost = self.answer(rendered)
        return answer


class ReturnsNothing(Fine):
    info = _info("nothing")

    def answer(self, rendered: Rendered) -> Any:
        return None


class ReturnsPair(Fine):
    info = _info("pair")

    def answer(self, rendered: Rendered) -> Any:
        return ("m1", "https://misfit.example/p/m1")


class NumericId(Fine):
    info = _info("numeric")

    def answer(self, rendered: Rendered) -> Any:
        return RemotePost(id=12, url="https://misfit.example/p/12")  # type: ignore[arg-type]


class PlainHttp(Fine):
    info = _info("plainhttp")

    def answer(self, rendered: Rendered) -> Any:
        return RemotePost(id="m1", url="http://misfit.example/p/m1")


class NotAnAddress(Fine):
    info = _info("noturl")

    def answer(self, rendered: Rendered) -> Any:
        return RemotePost(id="m1", url="m1\nid: m2")


class FailsToStart(Fine):
    info = _info("fragile")

    def __init__(self, context: TargetContext) -> None:
        raise RuntimeError("no config file")


class FetchesNothing(Fine):
    info = _info("blind")

    def fetch(self, remote_id: str) -> RemotePost:
        return None  # type: ignore[return-value]


class NoticesFail(Fine):
    info = _info("noisy")

    def notices(self, rendered: Rendered) -> tuple[Notice, ...]:
        raise ValueError("tags")
