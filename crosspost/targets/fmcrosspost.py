"""LessWrong's own cross-posting to the EA Forum ("FM crossposting"), from the client's side.

With the two accounts linked once in the forums' settings (and 100 karma), a LessWrong post
created or published with ``fmCrosspost: {isCrosspost: true, hostedHere: true}`` gets its
EA Forum copy made by the servers: one "crosspost" banner, discussion on both sides, title
and draft state kept in step. The client never sets ``foreignPostId`` (admin-only); it reads
it back (forummagnum.md §7.1).

Two facts shape how this is asked for:

* **Drafts are never crossposted.** crosspost creates every post as a draft first, so the
  pair is asked for on that createPost and made by the server when the publishing update
  undrafts the post. The publishing update does not repeat ``fmCrosspost``.
* **Sending ``fmCrosspost`` replaces the stored value.** Sent again to a post that already has
  its pair, it would drop ``foreignPostId`` and the server would make a second EA Forum post.
  So the pair of an existing post is asked for once, after reading its state, by a write that
  is never retried blindly (:meth:`FMCrosspostOrigin.request_pair`).

The documents here select ``fmCrosspost { … }`` as an object, the LessWrong (HEAD) schema's
type; the EA Forum's legacy schema types it as JSON, and is never asked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from crosspost.errors import ProtocolError, Rejected

if TYPE_CHECKING:
    from crosspost.render import Rendered
    from crosspost.targets.base import RemotePost
    from crosspost.targets.forummagnum import ForumMagnum as _Base
else:
    _Base = object

KARMA_NEEDED = 100  # crosspostKarmaThreshold
_PAIR_FIELDS = "_id draft userId fmCrosspost { isCrosspost hostedHere foreignPostId }"
PAIR = ("query CrosspostPair($id: String!) { post(input: {selector: {_id: $id}, allowNull: true}) "
        f"{{ result {{ {_PAIR_FIELDS} }} }} }}")
# The selector inlined as in updatePost (the id is checked to be 17 letters/digits first).
_REQUEST = ("mutation CrosspostRequestPair($data: UpdatePostDataInput!) { updatePost(selector: "
            f"{{_id: %s}}, data: $data) {{ data {{ {_PAIR_FIELDS} }} }} }}")
ASK = {"fmCrosspost": {"isCrosspost": True, "hostedHere": True}}
LINK_HINT = ("link your LessWrong and EA Forum accounts once, in LessWrong's account settings "
             f"(it needs {KARMA_NEEDED} karma), and later posts for both forums become one "
             "linked pair")


@dataclass(frozen=True)
class Pair:
    """What a LessWrong post says about its EA Forum crosspost."""

    asked: bool  # the post carries isCrosspost + hostedHere
    foreign_id: str | None  # the EA Forum post the servers made
    draft: bool | None


def refusal(me: Mapping[str, Any]) -> str | None:
    """Why this account cannot have a pair (None when it can), in words the user can act on."""
    if not me.get("fmCrosspostUserId"):
        return "the LessWrong account is not linked to an EA Forum account"
    karma = me.get("karma")
    if isinstance(karma, int | float) and karma < KARMA_NEEDED:
        return f"crossposting needs {KARMA_NEEDED} karma on LessWrong, and the account has {karma:g}"
    return None


def _pair(post: Mapping[str, Any]) -> Pair:
    value = post.get("fmCrosspost")
    value = value if isinstance(value, Mapping) else {}
    asked = bool(value.get("isCrosspost")) and bool(value.get("hostedHere"))
    foreign = value.get("foreignPostId")
    draft = post.get("draft")
    return Pair(asked, str(foreign) if foreign else None, draft if isinstance(draft, bool) else None)


class FMCrosspostOrigin(_Base):
    """The origin side of a pair: LessWrong's adapter."""

    _server_refusal: str | None = None

    def _pair_fields(self, rendered: Rendered, me: Mapping[str, Any]) -> dict[str, Any]:
        if not rendered.extra.get("fm_crosspost") or refusal(me) is not None:
            return {}
        return dict(ASK)

    def _publish_draft(self, post_id: str, rendered: Rendered) -> Mapping[str, Any]:
        """Publishing a draft that asks for a pair makes the pair; if the server refuses to
        make it ("You have not connected a crossposting account yet"), the post is still
        published, without the request, and the refusal is passed on (the engine then makes
        an independent EA Forum copy)."""
        try:
            return super()._publish_draft(post_id, rendered)
        except Rejected as exc:
            if not rendered.extra.get("fm_crosspost") or "crosspost" not in exc.message.lower():
                raise
            self._server_refusal = exc.message
            data = {**self._update_data(rendered), "fmCrosspost": {"isCrosspost": False}}
            return self._send_update(post_id, data, operation="publish")

    def _after_create(self, remote: RemotePost, rendered: Rendered) -> RemotePost:
        if not rendered.extra.get("fm_crosspost"):
            return remote
        why = self._server_refusal or refusal(self._current_user())
        if why is not None:
            return replace(remote, extra={**remote.extra, "pair_refused": why})
        if remote.draft:
            return remote  # drafts are never crossposted; publishing it makes the pair
        pair = self.pair_of(remote.id)
        return replace(remote, extra={**remote.extra, "foreign_post_id": pair.foreign_id})

    def pair_refusal(self) -> str | None:
        """Why this account cannot have a pair, or None."""
        return refusal(self._current_user())

    def pair_of(self, remote_id: str) -> Pair:
        """The pair state of a LessWrong post (one read)."""
        post_id = self._checked_id(remote_id)
        data, errors = self._graphql("read the crosspost pair", PAIR, {"id": post_id})
        single = self._field(data, errors, "post", post_id=post_id)
        post = single.get("result") if isinstance(single, Mapping) else None
        if not isinstance(post, Mapping):
            raise self._not_found(post_id)
        return _pair(post)

    def request_pair(self, remote_id: str) -> Pair:
        """Ask for the pair of an existing public post that has none yet.

        Sent once (a write, never retried): resent after a lost reply, it could replace the
        ``foreignPostId`` the first one stored. The caller reads :meth:`pair_of` first and
        again after a lost reply.
        """
        post_id = self._checked_id(remote_id)
        document = _REQUEST % json.dumps(post_id)  # safe: post_id is 17 letters/digits
        data, errors = self._graphql("ask for the crosspost pair", document, {"data": ASK}, write=True)
        answer = self._field(data, errors, "updatePost", post_id=post_id)
        post = answer.get("data") if isinstance(answer, Mapping) else None
        if not isinstance(post, Mapping):
            raise ProtocolError(f"{self.info.label} answered updatePost without the post",
                                target=self.name, operation="ask for the crosspost pair")
        return _pair(post)


__all__ = ["ASK", "KARMA_NEEDED", "LINK_HINT", "FMCrosspostOrigin", "Pair", "refusal"]
