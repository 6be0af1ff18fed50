"""The ForumMagnum adapter (LessWrong, EA Forum, Alignment Forum) against the strict fake.

Everything goes over real HTTP to ``tests/fakes/forummagnum.py``; nothing is patched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from crosspost.config import TargetOptions
from crosspost.credentials import Secret
from crosspost.errors import (
    AmbiguousWrite,
    AuthError,
    Blocked,
    CredentialError,
    CrosspostError,
    InputError,
    NetworkError,
    NotFound,
    ProtocolError,
    RateLimited,
    Rejected,
    ServerError,
)
from crosspost.http import HttpSettings
from crosspost.platforms import TARGETS
from crosspost.render import Rendered
from crosspost.targets import load_adapter
from crosspost.targets.base import RemotePost, TargetContext
from crosspost.targets.forummagnum import (
    ADMIN_ONLY_KEYS,
    AlignmentForum,
    EAForum,
    ForumMagnum,
    LessWrong,
    has_emoji,
)
from tests.fakes.forummagnum import (
    OTHER_TOKEN,
    FakeForum,
    apollo_error,
    graphql_validation_failure,
    inline_arguments,
)
from tests.fakes.server import Fault, Reply

BODY = "An argument with a footnote.[^1]\n\n![a chart](https://example.org/chart.png)\n\n[^1]: The note.\n"
CANONICAL = "https://blog.example.org/2023/08/30/ai-safety-plan/"
FAST = HttpSettings(timeout=5.0, connect_timeout=2.0, retries=2, backoff=0, max_wait=0,
                    sleep=lambda _seconds: None)
ADAPTERS: dict[str, type[ForumMagnum]] = {
    "lesswrong": LessWrong, "eaforum": EAForum, "alignmentforum": AlignmentForum,
}
_NO_TOKEN = object()
# For the pure methods (build_payload, notices): a closed loopback port, never contacted.
NEVER_CONTACTED = "http://127.0.0.1:9/graphql"


def rendered(target: str = "lesswrong", title: str = "My AI safety plan", body: str = BODY,
             **options: Any) -> Rendered:
    return Rendered(target=target, title=title, body=body, format="markdown",
                    canonical_url=CANONICAL, options=TargetOptions(**options),
                    source_path=Path("_posts/2023-08-30-ai-safety-plan.md"))


Connect = Callable[..., ForumMagnum]


@pytest.fixture
def connect() -> Iterator[Connect]:
    """``connect(forum, token=forum.token, http=FAST)``: an adapter for the fake's flavour."""
    opened: list[ForumMagnum] = []

    def factory(forum: FakeForum, token: object = _NO_TOKEN, http: HttpSettings = FAST,
                cls: type[ForumMagnum] | None = None) -> ForumMagnum:
        value = forum.token if token is _NO_TOKEN else token
        context = TargetContext(endpoint=forum.endpoint,
                                token=Secret(value) if isinstance(value, str) else None, http=http)
        adapter = (cls or ADAPTERS[forum.flavor.name])(context)
        opened.append(adapter)
        return adapter

    yield factory
    for adapter in opened:
        adapter.close()


def fields_sent(forum: FakeForum) -> list[tuple[str, ...]]:
    return [call.fields for call in forum.calls()]


# -- identity ----------------------------------------------------------------------------


def test_adapters_are_registered_under_their_target_names() -> None:
    for name, cls in ADAPTERS.items():
        assert load_adapter(TARGETS[name]) is cls
        assert cls.info is TARGETS[name]


def test_whoami_names_the_account_and_is_cached(forum: FakeForum, connect: Connect) -> None:
    adapter = connect(forum)
    identity = adapter.whoami()
    assert identity.id == forum.user._id
    assert identity.name == "Alice Example"
    assert identity.url == "https://www.lesswrong.com/users/alice"
    assert identity.details["groups"] == []
    assert identity.details["karma"] == 100
    assert adapter.whoami() is identity
    [call] = forum.calls()
    assert call.fields == ("currentUser",)
    headers = call.request.headers
    assert call.cookies == {"loginToken": forum.token}
    assert "authorization" not in headers
    assert headers.get_header("content-type") == "application/json"
    assert (headers.get_header("user-agent") or "").startswith("crosspost/")


def test_whoami_with_a_wrong_token_says_how_to_get_a_new_one(forum: FakeForum,
                                                             connect: Connect) -> None:
    adapter = connect(forum, token=OTHER_TOKEN)
    with pytest.raises(AuthError) as caught:
        adapter.whoami()
    text = str(caught.value)
    assert "missing, wrong or expired" in text
    assert "loginToken" in text  # the hint: copy the cookie
    assert OTHER_TOKEN not in text
    assert caught.value.target == "lesswrong"


def test_whoami_without_a_token_sends_nothing(forum: FakeForum, connect: Connect) -> None:
    with pytest.raises(CredentialError) as caught:
        connect(forum, token=None).whoami()
    assert "crosspost login lesswrong" in str(caught.value)
    assert forum.requests == []


def test_the_fake_reads_only_the_login_token_cookie_or_header(make_forum: Callable[..., FakeForum]
                                                              ) -> None:
    lesswrong, eaforum = make_forum("lesswrong"), make_forum("eaforum")
    query = {"query": "{ currentUser { username } }"}

    def who(forum: FakeForum, headers: dict[str, str]) -> Any:
        reply = httpx.post(forum.endpoint, json=query, headers=headers)
        return reply.json()["data"]["currentUser"]

    token = str(lesswrong.token)
    assert who(lesswrong, {"Authorization": f"Bearer {token}"}) is None
    assert who(lesswrong, {"Cookie": f"loginToken={token}"}) == {"username": "alice"}
    assert who(lesswrong, {"loginToken": token}) == {"username": "alice"}  # HEAD only
    assert who(eaforum, {"loginToken": token}) is None
    assert who(eaforum, {"Cookie": f"meteor_login_token={token}"}) == {"username": "alice"}
    assert who(lesswrong, {"Cookie": f"meteor_login_token={token}"}) is None


# -- payload -----------------------------------------------------------------------------


def test_build_payload_is_the_create_input_and_nothing_admin_only() -> None:
    context = TargetContext(endpoint=NEVER_CONTACTED, token=None, http=FAST)
    assert LessWrong(context).build_payload(rendered()) == {
        "title": "My AI safety plan",
        "contents": {"originalContents": {"type": "markdown", "data": BODY}},
        "draft": False,
        "submitToFrontpage": True,
    }
    linked = AlignmentForum(context).build_payload(
        rendered("alignmentforum", linkpost=True, draft=True, frontpage=False))
    assert linked["url"] == CANONICAL
    assert linked["postCategory"] == "linkpost"
    assert linked["af"] is True
    assert linked["draft"] is True
    assert linked["submitToFrontpage"] is False
    assert not ADMIN_ONLY_KEYS.intersection(linked)
    assert "af" not in EAForum(context).build_payload(rendered("eaforum"))


def test_notices_warn_about_what_the_forum_would_refuse() -> None:
    context = TargetContext(endpoint=NEVER_CONTACTED, token=None, http=FAST)
    [emoji] = EAForum(context).notices(rendered("eaforum", title="Launch 🚀"))
    assert "emoji" in emoji.message
    assert emoji.severity == "warning"
    assert LessWrong(context).notices(rendered(title="Launch 🚀")) == ()
    [tags] = LessWrong(context).notices(rendered(tags=("ai",)))
    assert tags.severity == "info"


# -- create, update, fetch -----------------------------------------------------------------


def test_create_makes_a_draft_publishes_it_and_reads_it_back(forum: FakeForum,
                                                             connect: Connect) -> None:
    remote = connect(forum).create(rendered())

    # The publishing update answers with the stored post: no separate read-back request.
    assert fields_sent(forum) == [("currentUser",), ("createPost",), ("updatePost",)]
    calls = forum.calls()
    assert calls[1].variables["data"]["draft"] is True
    [update] = inline_arguments(calls[2], "updatePost")
    assert update["selector"] == {"_id": remote.id}
    assert update["data"]["draft"] is False
    assert update["data"]["contents"] == {"originalContents": {"type": "markdown", "data": BODY}}

    stored = forum.post(remote.id)
    assert stored["draft"] is False
    assert stored["markdown"] == BODY
    assert stored["wasEverUndrafted"] is True
    # The draft (0.1.0), its image re-hosting (0.1.1), the publish (1.0.0, major) and its
    # re-hosting (1.0.1): the html changed, the markdown never did.
    revisions = forum.revisions(remote.id)
    assert [rev["version"] for rev in revisions] == ["0.1.0", "0.1.1", "1.0.0", "1.0.1"]
    assert {rev["markdown"] for rev in revisions} == {BODY}
    assert "res.cloudinary.com" in stored["html"]
    assert remote == RemotePost(
        id=remote.id, url=f"https://www.lesswrong.com/posts/{remote.id}/my-ai-safety-plan",
        title="My AI safety plan", body=BODY, draft=False, extra=remote.extra)
    assert len(remote.id) == 17


def test_update_rewrites_the_post_and_fetch_reads_it(forum: FakeForum, connect: Connect) -> None:
    adapter = connect(forum)
    created = adapter.create(rendered())
    before = len(forum.requests)

    updated = adapter.update(created.id, rendered(title="My revised plan", body="New text.\n"))

    assert fields_sent(forum)[before:] == [("updatePost",)]  # one round trip
    assert updated.id == created.id
    assert updated.body == "New text.\n"
    assert updated.url.endswith(f"/posts/{created.id}/my-revised-plan")
    fetched = connect(forum).fetch(created.id)
    assert (fetched.title, fetched.body, fetched.draft) == ("My revised plan", "New text.\n", False)
    assert forum.count_posts() == 1


def test_a_draft_stays_private(forum: FakeForum, connect: Connect) -> None:
    remote = connect(forum).create(rendered(draft=True))

    assert fields_sent(forum) == [("currentUser",), ("createPost",)]
    assert remote.draft is True
    assert forum.post(remote.id)["draft"] is True
    assert forum.revisions(remote.id)[0]["version"] == "0.1.0"
    with pytest.raises(NotFound) as caught:
        connect(forum, token=None).fetch(remote.id)
    assert "remove `crosspost.lesswrong.id`" in str(caught.value)


def test_publishing_a_recorded_draft_undrafts_it(forum: FakeForum, connect: Connect) -> None:
    adapter = connect(forum)
    draft = adapter.create(rendered(draft=True))
    published = adapter.update(draft.id, rendered())
    assert published.draft is False
    assert forum.post(draft.id)["draft"] is False


def test_linkpost_points_at_the_original(forum: FakeForum, connect: Connect) -> None:
    remote = connect(forum).create(rendered(linkpost=True))
    stored = forum.post(remote.id)
    assert stored["url"] == CANONICAL
    assert stored["postCategory"] == "linkpost"


def test_fetch_refuses_someone_elses_post(forum: FakeForum, connect: Connect) -> None:
    bob = forum.add_user(OTHER_TOKEN, "bob")
    theirs = forum.add_post(bob, "Bob's post", "Hi.\n")
    with pytest.raises(Rejected, match="belongs to someone else"):
        connect(forum).fetch(theirs)


def test_update_of_an_unknown_or_foreign_post_creates_nothing(forum: FakeForum,
                                                              connect: Connect) -> None:
    bob = forum.add_user(OTHER_TOKEN, "bob")
    theirs = forum.add_post(bob, "Bob's post", "Hi.\n")
    adapter = connect(forum)
    with pytest.raises(NotFound) as missing:
        adapter.update("AAAAAAAAAAAAAAAAA", rendered())
    assert "remove `crosspost.lesswrong.id`" in str(missing.value)
    with pytest.raises(Rejected, match="belongs to someone else"):
        adapter.update(theirs, rendered())
    assert forum.count_posts() == 1
    assert forum.post(theirs)["title"] == "Bob's post"


def test_a_malformed_recorded_id_is_refused_before_sending(forum: FakeForum,
                                                           connect: Connect) -> None:
    with pytest.raises(InputError, match="17 letters and digits"):
        connect(forum).update('x"}) { evil }', rendered())
    assert forum.requests == []


# -- Alignment Forum -----------------------------------------------------------------------


def test_alignment_forum_posts_are_lesswrong_posts_with_af(make_forum: Callable[..., FakeForum],
                                                           connect: Connect) -> None:
    lesswrong = make_forum("lesswrong")
    alignment = make_forum("alignmentforum", store=lesswrong.store)
    lesswrong.set_groups(lesswrong.user, "alignmentForum")

    remote = connect(alignment).create(rendered("alignmentforum"))

    assert remote.url == f"https://www.alignmentforum.org/posts/{remote.id}/my-ai-safety-plan"
    assert alignment.calls()[1].variables["data"]["af"] is True
    assert lesswrong.count_posts() == 1  # one database behind two hosts
    same = connect(lesswrong).fetch(remote.id)
    assert same.url.startswith("https://www.lesswrong.com/posts/")
    assert same.extra["af"] is True


def test_alignment_forum_refuses_non_members_before_sending(make_forum: Callable[..., FakeForum],
                                                            connect: Connect) -> None:
    alignment = make_forum("alignmentforum")
    adapter = connect(alignment)
    adapter.whoami()
    seen = len(alignment.requests)
    with pytest.raises(Rejected, match="only Alignment Forum members"):
        adapter.create(rendered("alignmentforum"))
    with pytest.raises(Rejected, match="only Alignment Forum members"):
        adapter.update("AAAAAAAAAAAAAAAAA", rendered("alignmentforum"))
    assert len(alignment.requests) == seen
    assert alignment.count_posts() == 0


# -- EA Forum (legacy server) ----------------------------------------------------------------


def test_eaforum_legacy_server_takes_the_same_documents(make_forum: Callable[..., FakeForum],
                                                        connect: Connect) -> None:
    eaforum = make_forum("eaforum")
    adapter = connect(eaforum)
    created = adapter.create(rendered("eaforum", linkpost=True))
    assert created.url.startswith("https://forum.effectivealtruism.org/posts/")
    updated = adapter.update(created.id, rendered("eaforum", body="Edited.\n"))
    assert connect(eaforum).fetch(created.id).body == updated.body == "Edited.\n"
    assert adapter.find_existing(rendered("eaforum", body="Edited.\n")) is not None
    assert eaforum.post(created.id)["postCategory"] == "linkpost"


def test_the_legacy_fake_rejects_head_only_forms(make_forum: Callable[..., FakeForum]) -> None:
    eaforum = make_forum("eaforum")
    reply = httpx.post(eaforum.endpoint, json={
        "query": 'query { post(selector: {_id: "AAAAAAAAAAAAAAAAA"}) { result { _id } } }'})
    assert reply.status_code == 400
    assert reply.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    reply = httpx.post(eaforum.endpoint, json={
        "query": "mutation($s: SelectorInput!) { updatePost(selector: $s, data: {}) "
                 "{ data { _id } } }", "variables": {"s": {"_id": "AAAAAAAAAAAAAAAAA"}}})
    assert reply.status_code == 400
    assert "SelectorInput" in reply.json()["errors"][0]["message"]


def test_eaforum_refuses_emoji_titles_before_sending(make_forum: Callable[..., FakeForum],
                                                     connect: Connect) -> None:
    eaforum = make_forum("eaforum")
    with pytest.raises(Rejected, match="emoji"):
        connect(eaforum).create(rendered("eaforum", title="Shipping it 🚀"))
    assert eaforum.requests == []
    # LessWrong has no such rule.
    lesswrong = make_forum("lesswrong")
    assert connect(lesswrong).create(rendered(title="Shipping it 🚀")).title == "Shipping it 🚀"


def test_eaforum_terms_of_use(make_forum: Callable[..., FakeForum], connect: Connect) -> None:
    eaforum = make_forum("eaforum")
    eaforum.user.accepted_tos = False
    adapter = connect(eaforum)
    with pytest.raises(Rejected, match="terms of use") as caught:
        adapter.create(rendered("eaforum"))
    assert "log in on https://forum.effectivealtruism.org" in str(caught.value)
    assert eaforum.count_posts() == 0
    # A draft needs no acceptance.
    assert adapter.create(rendered("eaforum", draft=True)).draft is True


def test_eaforum_terms_refused_by_the_server_leave_a_recorded_draft(
        make_forum: Callable[..., FakeForum], connect: Connect) -> None:
    eaforum = make_forum("eaforum")
    adapter = connect(eaforum)
    adapter.whoami()  # accepted then; revoked before the publish
    eaforum.user.accepted_tos = False
    with pytest.raises(Rejected, match="terms of use") as caught:
        adapter.create(rendered("eaforum"))
    draft = caught.value.created
    assert isinstance(draft, RemotePost)
    assert eaforum.post(draft.id)["draft"] is True


# -- rate limits -----------------------------------------------------------------------------


def test_rate_limit_is_checked_before_publishing(forum: FakeForum, connect: Connect) -> None:
    newcomer = forum.add_user(OTHER_TOKEN, "newcomer", karma=1)
    for n in range(2):
        forum.add_post(newcomer, f"Earlier {n}", "x\n")
    adapter = connect(forum, token=OTHER_TOKEN)
    with pytest.raises(RateLimited) as caught:
        adapter.create(rendered())
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > 6 * 24 * 3600
    assert "2 posts a week" in str(caught.value)
    assert not any("createPost" in call.fields for call in forum.calls())
    # Drafts are never rate limited.
    assert adapter.create(rendered(draft=True)).draft is True


def test_server_rate_limit_on_publish_keeps_the_draft(forum: FakeForum, connect: Connect) -> None:
    newcomer = forum.add_user(OTHER_TOKEN, "newcomer", karma=1)
    adapter = connect(forum, token=OTHER_TOKEN)
    adapter.whoami()  # no limit yet
    for n in range(2):
        forum.add_post(newcomer, f"Earlier {n}", "x\n")
    with pytest.raises(RateLimited, match="Rate limit: You cannot post for") as caught:
        adapter.create(rendered())
    assert isinstance(caught.value.created, RemotePost)
    assert caught.value.retry_after is not None
    assert forum.post(caught.value.created.id)["draft"] is True


def test_a_failed_publish_is_finished_by_the_next_update(forum: FakeForum,
                                                         connect: Connect) -> None:
    forum.add_post(forum.user, "My AI safety plan", "An older version.\n")
    adapter = connect(forum)
    with pytest.raises(Rejected, match="recently published another post") as caught:
        adapter.create(rendered())
    draft = caught.value.created
    assert isinstance(draft, RemotePost)
    assert draft.draft is True
    forum.advance(3601)
    published = connect(forum).update(draft.id, rendered())
    assert published.draft is False
    assert forum.count_posts() == 2


# -- find_existing ---------------------------------------------------------------------------


def test_find_existing_finds_the_draft_a_failed_publish_left(forum: FakeForum,
                                                             connect: Connect) -> None:
    forum.add_post(forum.user, "My AI safety plan", "An older version.\n")
    with pytest.raises(Rejected) as caught:
        connect(forum).create(rendered())
    assert isinstance(caught.value.created, RemotePost)
    found = connect(forum).find_existing(rendered())
    assert found is not None
    assert found.id == caught.value.created.id
    assert found.draft is True


def test_find_existing_finds_published_posts_reviewed_or_not(forum: FakeForum,
                                                             connect: Connect) -> None:
    published = connect(forum).create(rendered())
    found = connect(forum).find_existing(rendered())
    assert found is not None
    assert found.id == published.id

    forum.add_user(OTHER_TOKEN, "newbie", reviewed=False)
    unreviewed = connect(forum, token=OTHER_TOKEN).create(rendered())
    assert unreviewed.extra["authorIsUnreviewed"] is True
    found = connect(forum, token=OTHER_TOKEN).find_existing(rendered())
    assert found is not None
    assert found.id == unreviewed.id


def test_find_existing_needs_the_same_title_and_body(forum: FakeForum, connect: Connect) -> None:
    connect(forum).create(rendered())
    bob = forum.add_user(OTHER_TOKEN, "bob")
    forum.add_post(bob, "Another title", BODY)
    assert connect(forum).find_existing(rendered(body="Something else.\n")) is None
    assert connect(forum).find_existing(rendered(title="Another title")) is None
    assert connect(forum, token=OTHER_TOKEN).find_existing(rendered()) is None


def test_a_lost_create_reply_is_ambiguous_and_then_found(forum: FakeForum,
                                                         connect: Connect) -> None:
    forum.inject(Fault.drop_after(match=forum.match("createPost")))
    with pytest.raises(AmbiguousWrite) as caught:
        connect(forum).create(rendered())
    assert caught.value.target == "lesswrong"
    assert fields_sent(forum).count(("createPost",)) == 1  # never resent
    assert forum.count_posts() == 1

    found = connect(forum).find_existing(rendered())
    assert found is not None
    [stored] = forum.posts_of("alice")
    assert found.id == stored["_id"]
    assert found.draft is True  # the lost reply was to the draft-creating step


# -- what is sent ----------------------------------------------------------------------------


def test_admin_only_keys_are_never_sent(make_forum: Callable[..., FakeForum],
                                        connect: Connect) -> None:
    lesswrong = make_forum("lesswrong")
    alignment = make_forum("alignmentforum", store=lesswrong.store)
    eaforum = make_forum("eaforum")
    lesswrong.set_groups(lesswrong.user, "alignmentForum")
    for forum in (lesswrong, alignment, eaforum):
        adapter = connect(forum)
        target = forum.flavor.name
        option_sets: list[dict[str, Any]] = [{}, {"linkpost": True},
                                             {"draft": True, "frontpage": False}]
        for options in option_sets:
            title = f"{target} post {sorted(options)}"
            remote = adapter.create(rendered(target, title=title, **options))
            adapter.update(remote.id, rendered(target, title=title, body="v2\n", **options))
    sent: list[dict[str, Any]] = []
    for forum in (lesswrong, alignment, eaforum):
        for call in forum.calls():
            if "createPost" in call.fields:
                sent.append(call.variables["data"])
            for args in inline_arguments(call, "updatePost"):
                sent.append(args["data"])
    assert len(sent) == 3 * 3 * 3 - 3  # create + publish + update; drafts skip the publish
    allowed = {"title", "contents", "draft", "submitToFrontpage", "url", "postCategory", "af"}
    for data in sent:
        assert set(data) <= allowed
        assert not ADMIN_ONLY_KEYS.intersection(data)


# -- the error matrix --------------------------------------------------------------------------


@dataclass
class Case:
    """Set up the fake, then return the adapter call that must fail."""

    setup: Callable[[FakeForum, Connect], Callable[[], object]]
    error: type[CrosspostError]
    says: str
    requests: int | None = None  # how many requests reached the server, when that matters
    created: bool = False  # whether error.created must name a saved draft
    http: HttpSettings = field(default=FAST)


def _someone_elses_post(forum: FakeForum, connect: Connect) -> Callable[[], object]:
    theirs = forum.add_post(forum.add_user(OTHER_TOKEN, "bob"), "Bob's post", "Hi.\n")
    return lambda: connect(forum).update(theirs, rendered())


def _af_group_revoked(action: str) -> Callable[[FakeForum, Connect], Callable[[], object]]:
    def setup(forum: FakeForum, connect: Connect) -> Callable[[], object]:
        forum.set_groups(forum.user, "alignmentForum")
        adapter = connect(forum, cls=AlignmentForum)
        existing = adapter.create(rendered("alignmentforum", title="Earlier AF post"))
        forum.set_groups(forum.user)  # after the adapter cached its identity
        if action == "create":
            return lambda: adapter.create(rendered("alignmentforum"))
        return lambda: adapter.update(existing.id, rendered("alignmentforum"))
    return setup


def _recent_repost(forum: FakeForum, connect: Connect) -> Callable[[], object]:
    forum.add_post(forum.user, "My AI safety plan", "Older.\n")
    return lambda: connect(forum).create(rendered())


def _server_rate_limit(forum: FakeForum, connect: Connect) -> Callable[[], object]:
    newcomer = forum.add_user(OTHER_TOKEN, "newcomer", karma=1)
    adapter = connect(forum, token=OTHER_TOKEN)
    adapter.whoami()
    forum.add_post(newcomer, "One", "x\n")
    forum.add_post(newcomer, "Two", "x\n")
    return lambda: adapter.create(rendered())


def _faulted(*faults: Fault, action: str = "whoami") -> Callable[[FakeForum, Connect],
                                                                 Callable[[], object]]:
    def setup(forum: FakeForum, connect: Connect) -> Callable[[], object]:
        adapter = connect(forum)
        if action == "create":
            adapter.whoami()
        for fault in faults:
            forum.inject(fault)
        if action == "create":
            return lambda: adapter.create(rendered())
        if action == "fetch":
            return lambda: adapter.fetch("AAAAAAAAAAAAAAAAA")
        return adapter.whoami
    return setup


def _wrong_token(forum: FakeForum, connect: Connect) -> Callable[[], object]:
    return connect(forum, token=OTHER_TOKEN).whoami


_CREATE = FakeForum.match("createPost")
_502 = Reply.raw(b"<html><body>Bad gateway</body></html>", 502, "text/html")
_SHORT = HttpSettings(timeout=1.0, connect_timeout=2.0, retries=0, backoff=0, max_wait=0,
                      sleep=lambda _seconds: None)

MATRIX = {
    "anonymous (currentUser null)": Case(_wrong_token, AuthError, "missing, wrong or expired"),
    "operation_not_allowed": Case(_someone_elses_post, Rejected, "belongs to someone else"),
    "validation_error on create": Case(_af_group_revoked("create"), Rejected,
                                       "app.validation_error"),
    "validation JSON list on update": Case(_af_group_revoked("update"), Rejected, "refused `af`"),
    "recent repost": Case(_recent_repost, Rejected, "recently published another post titled",
                          created=True),
    "rate limit": Case(_server_rate_limit, RateLimited, "Rate limit: You cannot post for",
                       created=True),
    "Vercel HTML 429 (not retried)": Case(_faulted(Fault.vercel_429()), Blocked,
                                          "bot protection", requests=1),
    "HTML 403": Case(_faulted(Fault.respond(Reply.html("<html>Forbidden</html>", 403))),
                     Blocked, "HTTP 403", requests=1),
    "5xx on a read, retried until it gives up": Case(
        _faulted(*(Fault.respond(_502) for _ in range(3))), ServerError, "HTTP 502", requests=3),
    "5xx on create is ambiguous": Case(_faulted(Fault.respond(_502, match=_CREATE),
                                                action="create"),
                                       AmbiguousWrite, "may have been saved", requests=1),
    "timeout on a read": Case(_faulted(Fault.delay(2.0)), NetworkError, "timed out",
                              http=_SHORT, requests=1),
    "timeout on create is ambiguous": Case(_faulted(Fault.delay(2.0, match=_CREATE),
                                                    action="create"),
                                           AmbiguousWrite, "timed out", http=_SHORT, requests=1),
    "malformed JSON": Case(_faulted(Fault.respond(Reply.raw(b'{"data": {"currentUser": '))),
                           ProtocolError, "malformed JSON", requests=1),
    "malformed JSON from create": Case(_faulted(Fault.respond(Reply.raw(b'{"data": '),
                                                              match=_CREATE), action="create"),
                                       AmbiguousWrite, "may have been saved", requests=1),
    "GraphQL validation 400": Case(
        _faulted(Fault.respond(graphql_validation_failure(
            'Cannot query field "rateLimitNextAbleToPost" on type "User".'))),
        ProtocolError, "GRAPHQL_VALIDATION_FAILED", requests=1),
    "Unrecognized format": Case(_faulted(Fault.respond(apollo_error(
        "Unrecognized format: markdown", "createPost"), match=_CREATE), action="create"),
        ProtocolError, "Unrecognized format", requests=1),
    "JSON 429 with a long Retry-After": Case(_faulted(Fault.respond(Reply.json(
        {"error": "slow down"}, 429, {"Retry-After": "120"}))), RateLimited, "try again in 120s",
        requests=1),
    "redirect": Case(_faulted(Fault.respond(Reply(301, b"", {
        "Location": "https://www.lesswrong.com/graphql"}))), ProtocolError, "redirected",
        requests=1),
    "missing post": Case(_faulted(action="fetch"), NotFound, "does not exist"),
}


@pytest.mark.parametrize("case", list(MATRIX.values()), ids=list(MATRIX))
def test_error_matrix(forum: FakeForum, connect: Connect, case: Case) -> None:
    def connect_with(forum: FakeForum, token: object = _NO_TOKEN, http: HttpSettings = case.http,
                     cls: type[ForumMagnum] | None = None) -> ForumMagnum:
        return connect(forum, token=token, http=http, cls=cls)

    action = case.setup(forum, connect_with)
    seen = len(forum.requests)
    with pytest.raises(case.error) as caught:
        action()
    error = caught.value
    text = str(error)
    assert case.says in text
    assert error.target in {"lesswrong", "alignmentforum"}
    assert "\n" not in text
    for token in (forum.token, OTHER_TOKEN):
        assert token not in text
        assert token not in repr(vars(error))
    if case.requests is not None:
        assert len(forum.requests) - seen == case.requests
    if case.created:
        assert isinstance(error.created, RemotePost)
        assert forum.post(error.created.id)["draft"] is True
    else:
        assert error.created is None


@pytest.mark.parametrize("fault", [
    Fault.respond(_502),
    Fault.respond(Reply.json({"error": "slow down"}, 429, {"Retry-After": "0"})),
    Fault.delay(3.0),
], ids=["5xx", "JSON 429", "timeout"])
def test_reads_are_retried_then_succeed(forum: FakeForum, connect: Connect, fault: Fault) -> None:
    forum.inject(fault)
    retrying = HttpSettings(timeout=1.0, retries=2, backoff=0, max_wait=0,
                            sleep=lambda _seconds: None)
    assert connect(forum, http=retrying).whoami().name == "Alice Example"
    assert len(forum.requests) == 2


def test_a_dry_run_read_is_one_request(forum: FakeForum, connect: Connect) -> None:
    post_id = connect(forum).create(rendered()).id
    before = len(forum.requests)
    remote = connect(forum).fetch(post_id)
    assert fields_sent(forum)[before:] == [("currentUser", "post")]
    assert remote.body == BODY


def test_find_existing_reads_titles_first_then_bodies(forum: FakeForum,
                                                      connect: Connect) -> None:
    connect(forum).create(rendered())
    before = len(forum.requests)
    assert connect(forum).find_existing(rendered()) is not None
    assert fields_sent(forum)[before:] == [("currentUser",), ("posts", "posts", "posts"),
                                           ("post",)]
    before = len(forum.requests)
    assert connect(forum).find_existing(rendered(title="Never posted")) is None
    assert fields_sent(forum)[before:] == [("currentUser",), ("posts", "posts", "posts")]


# -- the fake's strictness (a fake kinder than the server hides bugs) -------------------------


def _post(forum: FakeForum, query: str, variables: dict[str, Any] | None = None,
          token: str | None = None) -> httpx.Response:
    cookies = {"Cookie": f"loginToken={token}"} if token else {}
    return httpx.post(forum.endpoint, json={"query": query, "variables": variables or {}},
                      headers=cookies)


CREATE_DOC = "mutation($data: CreatePostDataInput!) { createPost(data: $data) { data { _id } } }"


@pytest.mark.parametrize("flavor", ["lesswrong", "eaforum"])
def test_the_fake_answers_in_apollo_shapes(make_forum: Callable[..., FakeForum],
                                           flavor: str) -> None:
    forum = make_forum(flavor)
    token = forum.token
    unknown = _post(forum, "{ currentUser { _id noSuchField } }", token=token)
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "data" not in unknown.json()

    broken = _post(forum, "{ currentUser { _id ", token=token)
    assert broken.status_code == 400
    assert broken.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"

    coerced = _post(forum, CREATE_DOC, {"data": {"title": "x", "markdown": "no such key"}},
                    token=token)
    assert coerced.status_code == (200 if flavor == "lesswrong" else 400)
    assert coerced.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "data" not in coerced.json()

    anonymous = _post(forum, CREATE_DOC, {"data": {"title": "x", "draft": True}})
    assert anonymous.status_code == 200
    [error] = anonymous.json()["errors"]
    assert error["message"] == "app.operation_not_allowed"
    assert error["path"] == ["createPost"]
    assert error["locations"]
    assert anonymous.json()["data"] == {"createPost": None}


def test_the_fake_refuses_admin_keys_by_presence(forum: FakeForum) -> None:
    token = forum.token
    for key, value in (("canonicalSource", None), ("question", False), ("af", False)):
        reply = _post(forum, CREATE_DOC, {"data": {"title": "x", "draft": True, key: value}},
                      token=token)
        assert reply.json()["errors"][0]["message"] == "app.validation_error", key
    assert forum.count_posts() == 0
    ok = _post(forum, CREATE_DOC, {"data": {"title": "x", "draft": True}}, token=token)
    post_id = ok.json()["data"]["createPost"]["data"]["_id"]
    update = (f'mutation($data: UpdatePostDataInput!) {{ updatePost(selector: {{_id: "{post_id}"}}, '
              "data: $data) { data { _id } } }")
    reply = _post(forum, update, {"data": {"canonicalSource": "https://x.org"}}, token=token)
    message = reply.json()["errors"][0]["message"]
    assert json.loads(message) == [{"id": "errors.disallowed_property_detected",
                                    "properties": {"name": "canonicalSource"}}]


def test_the_fake_stores_login_token_hashes_not_tokens(forum: FakeForum) -> None:
    assert forum.token not in repr(forum.store.login_tokens)
    assert len(forum.token) == 64
    int(forum.token, 16)


def test_slugs_get_numeric_suffixes(forum: FakeForum, connect: Connect) -> None:
    adapter = connect(forum)
    first = adapter.create(rendered(draft=True))
    second = adapter.create(rendered(draft=True, body="Other.\n"))
    assert first.url.endswith("/my-ai-safety-plan")
    assert second.url.endswith("/my-ai-safety-plan-1")


def test_emoji_table_matches_unicode() -> None:
    import regex
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    expected = regex.findall(r"\p{Extended_Pictographic}", every)
    assert [char for char in every if has_emoji(char)] == expected


def test_rate_limit_window_moves_with_the_clock(forum: FakeForum, connect: Connect) -> None:
    newcomer = forum.add_user(OTHER_TOKEN, "newcomer", karma=1)
    for n in range(2):
        forum.add_post(newcomer, f"Earlier {n}", "x\n")
    forum.advance(timedelta(days=8).total_seconds())
    assert connect(forum, token=OTHER_TOKEN).create(rendered()).draft is False


def test_a_refused_update_with_a_bad_token_says_the_token_is_the_problem(forum: FakeForum,
                                                                          connect: Connect) -> None:
    post_id = forum.add_post(forum.user, "Mine", "text", draft=False)
    with pytest.raises(AuthError) as caught:
        connect(forum, token=OTHER_TOKEN).update(post_id, rendered(title="Mine", body="new text"))
    assert caught.value.exit_code == 5
    assert forum.post(post_id)["markdown"] == "text"
