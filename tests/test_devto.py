"""dev.to: the adapter against the strict fake over real HTTP, and the engine end to end.

The fake's clock is moved by the client's own waits (``HttpSettings(sleep=devto.sleep)``), so
the write throttle and ``Retry-After`` are honoured for real and no test sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from crosspost.config import TargetOptions
from crosspost.credentials import Secret
from crosspost.engine import PublishOptions, Report, publish
from crosspost.errors import (
    AmbiguousWrite,
    AuthError,
    CredentialError,
    InputError,
    NotFound,
    RateLimited,
    Rejected,
    ServerError,
)
from crosspost.http import HttpSettings
from crosspost.journal import Journal
from crosspost.platforms import TARGETS, resolve
from crosspost.render import Rendered
from crosspost.targets.base import TargetContext
from crosspost.targets.devto import ACCEPT, DevTo, prepare, select_tags
from tests.fakes.devto import (
    CREATE,
    LIST,
    TOKEN,
    UPDATE,
    USER_ID,
    USERNAME,
    DevtoFake,
    forem_error,
    retry_later,
)
from tests.fakes.server import Fault, Reply
from tests.sites import env_for, make_site, post_text

CANONICAL = "https://janedoe.net/blog/2024/hello/"


def settings(fake: DevtoFake, *, retries: int = 2, max_wait: float = 60.0,
             timeout: float = 5.0) -> HttpSettings:
    return HttpSettings(timeout=timeout, connect_timeout=2.0, retries=retries, backoff=0.0,
                        max_wait=max_wait, sleep=fake.sleep, clock=fake.now)


def adapter(fake: DevtoFake, *, token: str | None = TOKEN, **kwargs: Any) -> DevTo:
    return DevTo(TargetContext(endpoint=fake.endpoint, token=Secret(token) if token else None,
                               http=settings(fake, **kwargs)))


def rendered(*, title: str = "Hello dev", body: str = "Body.\n", draft: bool = False,
             keep_state: bool = False, tags: tuple[str, ...] = (),
             extra: dict[str, Any] | None = None, canonical: str = CANONICAL) -> Rendered:
    return Rendered(target="devto", title=title, body=body, format="markdown",
                    canonical_url=canonical,
                    options=TargetOptions(draft=draft, keep_state=keep_state, tags=tags),
                    source_path=Path("_posts/2024-01-02-hello.md"), extra=extra or {})


# -- the table and the payload ----------------------------------------------------------------------

def test_devto_is_in_the_table_with_its_alias() -> None:
    info = resolve("dev")
    assert (info.name, info.label, info.default_endpoint, info.token_env) == (
        "devto", "DEV", "https://dev.to/api", ("CROSSPOST_DEVTO_TOKEN",))
    assert info.endpoint_env == "CROSSPOST_DEVTO_ENDPOINT"
    assert info.can_update
    assert info.database == "devto"
    assert info.post_id_in("https://dev.to/ada/hello-dev-4k2j") == "ada/hello-dev-4k2j"
    assert info.post_id_in("https://dev.to/ada/hello-temp-slug-48213?preview=x") == \
        "ada/hello-temp-slug-48213"
    assert info.post_id_in("https://dev.to/t/python") is None
    assert info.post_id_in("https://dev.to/ada") is None


def test_tags_as_dev_to_takes_them() -> None:
    kept, dropped = select_tags(["Machine-Learning", "python", "web_dev", "Python", "c++",
                                 "x" * 31, "rust", "go", "!!"])
    assert kept == ["machinelearning", "python", "webdev", "c"]
    assert dropped == [f"'{'x' * 31}' (over 30 characters)", "'rust' (beyond the first 4)",
                       "'go' (beyond the first 4)", "'!!' (no letters or digits)"]


def test_the_payload_has_the_documented_fields_only() -> None:
    payload = prepare(rendered(tags=("AI", "machine-learning"), extra={
        "description": "About it.", "series": "Notes", "cover_image": "https://x.org/c.png"}))
    assert payload.body == {"article": {
        "title": "Hello dev", "body_markdown": "Body.\n", "published": True,
        "canonical_url": CANONICAL, "tags": ["ai", "machinelearning"],
        "description": "About it.", "series": "Notes", "main_image": "https://x.org/c.png"}}
    assert payload.notices == ()


def test_the_posts_own_tags_and_one_warning_for_the_rest() -> None:
    payload = prepare(rendered(extra={"tags": ("a", "b", "c-d", "e", "f", "g")}))
    assert payload.body["article"]["tags"] == ["a", "b", "cd", "e"]
    [notice] = payload.notices
    assert notice.message == ("dev.to takes at most 4 tags of letters and digits, up to 30 long; "
                              "not sent: 'f' (beyond the first 4), 'g' (beyond the first 4)")


# -- identity ----------------------------------------------------------------------------------------

def test_whoami_asks_users_me_with_the_key_and_the_v1_header(devto: DevtoFake) -> None:
    with adapter(devto) as target:
        me = target.whoami()
    assert (me.id, me.name, me.url) == (str(USER_ID), "Ada Writer", f"{devto.server.url}/{USERNAME}")
    [request] = devto.requests
    assert (request.method, request.path) == ("GET", "/api/users/me")
    assert request.headers.get_header("api-key") == TOKEN
    assert request.headers.get_header("accept") == ACCEPT
    assert request.headers.get_header("authorization") is None
    assert devto.v0_requests == []


def test_a_wrong_key_says_where_to_get_one(devto: DevtoFake) -> None:
    with adapter(devto, token="0" * 24) as target, pytest.raises(AuthError) as caught:
        target.whoami()
    assert caught.value.exit_code == 5
    assert "dev.to refused the API key (HTTP 401) (unauthorized)" in str(caught.value)
    assert "https://dev.to/settings/extensions" in str(caught.value)


def test_no_key_sends_nothing(devto: DevtoFake) -> None:
    with adapter(devto, token=None) as target, pytest.raises(CredentialError) as caught:
        target.create(rendered())
    assert "CROSSPOST_DEVTO_TOKEN" in str(caught.value)
    assert devto.requests == []


# -- create and update ----------------------------------------------------------------------------------

def test_create_publishes_in_one_request(devto: DevtoFake) -> None:
    with adapter(devto) as target:
        remote = target.create(rendered(tags=("python",)))
    [request] = devto.requests
    assert (request.method, request.path) == ("POST", "/api/articles")
    assert request.headers.get_header("content-type") == "application/json"
    assert request.json()["article"]["published"] is True
    [stored] = devto.articles_of()
    assert stored.published
    assert stored.tags == ["python"]
    assert (remote.id, remote.url, remote.draft) == (
        str(stored.id), f"https://dev.to/ada/{stored.slug}", False)
    assert remote.extra["state"] == "live"
    assert "-temp-slug-" not in remote.url


def test_a_draft_is_known_by_its_missing_date_and_its_url_changes_on_publishing(
        devto: DevtoFake) -> None:
    """The create answer has no `published`; the draft's temporary slug is replaced."""
    with adapter(devto) as target:
        draft = target.create(rendered(draft=True))
        assert draft.draft is True
        assert "-temp-slug-" in draft.url
        live = target.update(draft.id, rendered())
    assert live.draft is False
    assert live.id == draft.id
    assert "-temp-slug-" not in live.url
    assert live.url != draft.url
    assert live.url == f"https://dev.to/ada/{devto.article(draft.id).slug}"


def test_update_sends_tags_always_and_the_state_only_when_the_post_says(devto: DevtoFake) -> None:
    with adapter(devto) as target:
        remote = target.create(rendered(tags=("python",)))
        target.update(remote.id, rendered(body="New.\n", keep_state=True, draft=True,
                                          tags=("python",)))
    put = next(r for r in devto.requests if UPDATE(r)).json()["article"]
    assert "published" not in put
    assert put["tags"] == ["python"]
    stored = devto.article(remote.id)
    assert (stored.published, stored.tags, stored.body_markdown) == (True, ["python"], "New.\n")


def test_a_live_article_goes_back_to_draft_when_asked(devto: DevtoFake) -> None:
    with adapter(devto) as target:
        remote = target.create(rendered())
        back = target.update(remote.id, rendered(draft=True))
    assert back.draft is True
    assert devto.article(remote.id).published is False


def test_updating_someone_elses_or_a_deleted_article_creates_nothing(devto: DevtoFake) -> None:
    bob = devto.add_user("bob")
    theirs = devto.add_article(bob, "Theirs", "their text")
    with adapter(devto) as target:
        with pytest.raises(NotFound) as caught:
            target.update(str(theirs.id), rendered())
        assert "belongs to another account" in str(caught.value)
        with pytest.raises(NotFound):
            target.update("ada/gone-1234", rendered())
    assert devto.article(theirs.id).body_markdown == "their text"
    assert len(devto.articles) == 1


def test_a_recorded_url_stands_for_the_id(devto: DevtoFake) -> None:
    """`crosspost link` records "user/slug": the article is looked up by its path."""
    mine = devto.add_article(devto.user, "By hand", "old")
    with adapter(devto) as target:
        remote = target.update(f"ada/{mine.slug}", rendered(title="By hand"))
    assert remote.id == str(mine.id)
    assert devto.article(mine.id).body_markdown == "Body.\n"


def test_what_dev_to_would_refuse_is_refused_before_sending(devto: DevtoFake) -> None:
    with adapter(devto) as target:
        with pytest.raises(InputError) as long_title:
            target.create(rendered(title="x" * 129))
        with pytest.raises(InputError) as data_image:
            target.create(rendered(body='<img src="data:image/png;base64,AAAA">\n'))
    assert "at most 128" in str(long_title.value)
    assert "Invalid markdown detected" in str(data_image.value)
    assert devto.requests == []


def test_the_fakes_front_matter_override_never_applies_to_our_bodies(devto: DevtoFake) -> None:
    """dev.to reads front matter at the top of the body; a body that had some would be
    published with the wrong title. The renderer never sends any."""
    devto.add_article(devto.user, "Sent title", "---\ntitle: From the body\npublished: false\n---\nx")
    assert devto.articles[0].title == "Sent title"  # arranged directly: no override
    with adapter(devto) as target:
        remote = target.create(rendered(body="---\ntitle: Sneaky\n---\nText.\n"))
    assert remote.title == "Sneaky"  # what the renderer prevents (see test_render_devto)


# -- exactly once ---------------------------------------------------------------------------------------

def test_a_lost_reply_is_ambiguous_and_the_article_is_then_found(devto: DevtoFake) -> None:
    devto.inject(Fault.drop_after(match=CREATE))
    with adapter(devto) as target:
        with pytest.raises(AmbiguousWrite):
            target.create(rendered())
        found = target.find_existing(rendered())
    assert found is not None
    assert found.id == str(devto.articles_of()[0].id)
    assert len(devto.articles) == 1
    assert [r.method for r in devto.requests] == ["POST", "GET"]


def test_a_5xx_on_create_is_ambiguous(devto: DevtoFake) -> None:
    devto.inject(Fault.respond(forem_error(502, "bad gateway"), match=CREATE))
    with adapter(devto) as target, pytest.raises(AmbiguousWrite) as caught:
        target.create(rendered())
    assert "HTTP 502" in str(caught.value)
    assert len(devto.writes()) == 1, "never resent"


def test_find_existing_canonical_first_then_title_with_the_same_body(devto: DevtoFake) -> None:
    bob = devto.add_user("bob")
    devto.add_article(bob, "Hello dev", "Body.\n", canonical_url=CANONICAL + "x")
    same_title_other_body = devto.add_article(devto.user, "Hello dev", "Other.\n")
    with adapter(devto) as target:
        assert target.find_existing(rendered()) is None
        by_title = devto.add_article(devto.user, "Hello, dev!", "Body.\n", published=False)
        found = target.find_existing(rendered())
        assert found is not None
        assert found.id == str(by_title.id)
        assert found.draft is True
        by_canonical = devto.add_article(devto.user, "Renamed", "Older body.\n",
                                         canonical_url=CANONICAL)
        found = target.find_existing(rendered())
    assert found is not None
    assert found.id == str(by_canonical.id)
    assert found.body == "Older body.\n"
    assert same_title_other_body.id != by_title.id


def test_body_already_taken_adopts_the_own_draft(devto: DevtoFake) -> None:
    """A retried draft create hits dev.to's (user, title, body) guard: nothing new is made."""
    with adapter(devto) as target:
        first = target.create(rendered(draft=True))
        again = target.create(rendered(draft=True))
    assert again.id == first.id
    assert len(devto.articles) == 1
    assert [r.method for r in devto.requests] == ["POST", "POST", "GET", "PUT"]


def test_canonical_already_taken_by_an_own_article_adopts_and_updates_it(devto: DevtoFake) -> None:
    mine = devto.add_article(devto.user, "Old title", "Old body.\n", canonical_url=CANONICAL)
    with adapter(devto) as target:
        remote = target.create(rendered())
    assert remote.id == str(mine.id)
    assert len(devto.articles) == 1
    assert (mine.title, mine.body_markdown, mine.published) == ("Hello dev", "Body.\n", True)


def test_canonical_taken_by_someone_else_is_a_clear_error(devto: DevtoFake) -> None:
    bob = devto.add_user("bob")
    devto.add_article(bob, "Copied", "theirs", canonical_url=CANONICAL)
    with adapter(devto) as target, pytest.raises(Rejected) as caught:
        target.create(rendered())
    message = str(caught.value)
    assert f"the canonical URL {CANONICAL} is already used by a published article of another " \
           "account" in message
    assert "Email yo@dev.to" in message
    assert [a.user.username for a in devto.articles] == ["bob"]


# -- pacing and 429 -------------------------------------------------------------------------------------

def test_the_fake_throttles_a_client_that_does_not_pace(devto: DevtoFake) -> None:
    body = {"article": {"title": "A", "body_markdown": "a", "published": False}}
    headers = {"api-key": TOKEN, "Accept": ACCEPT}
    with httpx.Client(base_url=devto.endpoint, headers=headers) as client:
        assert client.post("/articles", json=body).status_code == 201
        second = client.post("/articles", json={"article": {**body["article"], "title": "B"}})
    assert second.status_code == 429
    assert second.headers["content-type"] == "text/plain"
    assert second.headers["retry-after"] == "1"
    assert second.text == "Retry later\n"
    assert len(devto.articles) == 1


def test_writes_are_paced_so_the_throttle_never_answers(devto: DevtoFake) -> None:
    with adapter(devto) as target:
        remote = target.create(rendered())
        for n in range(3):
            target.update(remote.id, rendered(body=f"Version {n}.\n"))
    assert devto.throttled == []
    assert len(devto.waits) == 3
    # Each wait is the rest of the window since the last write: never longer (the time the
    # run itself took counts), and long enough, since the throttle never answered.
    assert all(0 < wait <= 1.05 for wait in devto.waits), devto.waits


def test_reads_are_paced_too(devto: DevtoFake) -> None:
    for n in range(250):
        devto.add_article(devto.user, f"Post {n}", f"body {n}")
    with adapter(devto) as target:
        assert target.find_existing(rendered()) is None
    assert len([r for r in devto.requests if LIST(r)]) == 3
    assert devto.throttled == []
    assert len(devto.waits) == 2


def test_a_429_is_waited_out_and_the_create_sent_again(devto: DevtoFake) -> None:
    devto.inject(Fault.respond(retry_later(7), match=CREATE))
    with adapter(devto) as target:
        remote = target.create(rendered())
    assert 7.0 in devto.waits
    assert len(devto.articles) == 1
    assert remote.id == str(devto.articles[0].id)


def test_a_json_429_beyond_the_bound_is_reported_with_the_wait(devto: DevtoFake) -> None:
    devto.inject(Fault.respond(forem_error(429, "Rate limit reached, try again in 30 seconds",
                                           {"Retry-After": "30"}), match=CREATE))
    with adapter(devto, max_wait=10.0) as target, pytest.raises(RateLimited) as caught:
        target.create(rendered())
    assert caught.value.retry_after == 30
    assert "Rate limit reached, try again in 30 seconds" in str(caught.value)
    assert "try again in 30 s" in str(caught.value)
    assert devto.articles == []


def test_the_rate_limit_checker_counts_published_creates(devto_factory: Callable[..., DevtoFake]
                                                         ) -> None:
    fake = devto_factory()
    with adapter(fake, max_wait=0.0) as target:
        for n in range(9):
            target.create(rendered(title=f"Post {n}", canonical=f"{CANONICAL}{n}"))
        with pytest.raises(RateLimited):
            target.create(rendered(title="Post 9", canonical=f"{CANONICAL}9"))
        target.create(rendered(title="A draft", draft=True))
    assert len(fake.articles) == 10


# -- reading back ---------------------------------------------------------------------------------------

def test_fetch_says_live_draft_or_gone_with_comments_and_reactions(devto: DevtoFake) -> None:
    with adapter(devto) as target:
        live = target.create(rendered())
        draft = target.create(rendered(title="Draft", draft=True, canonical=CANONICAL + "d"))
    stored = devto.article(live.id)
    stored.comments_count, stored.public_reactions_count, stored.page_views_count = 3, 12, 90
    devto.edit_on_site(stored.id, "Edited on dev.to.\n")
    with adapter(devto) as target:
        got = target.fetch(live.id)
        assert (got.draft, got.body, got.title) == (False, "Edited on dev.to.\n", "Hello dev")
        assert got.extra["state"] == "live"
        assert (got.extra["comments_count"], got.extra["public_reactions_count"],
                got.extra["page_views_count"]) == (3, 12, 90)
        assert got.extra["edited_at"] is not None
        assert got.extra["published_at"] is not None
        assert got.url == live.url
        pending = target.fetch(draft.id)
        assert (pending.draft, pending.extra["state"]) == (True, "draft")
        with pytest.raises(NotFound) as caught:
            target.fetch("999")
    assert "remove `crosspost.devto.id`" in str(caught.value)


def test_the_fake_shows_only_published_articles_by_id_and_has_no_delete(devto: DevtoFake) -> None:
    draft = devto.add_article(devto.user, "Draft", "d", published=False)
    headers = {"api-key": TOKEN, "Accept": ACCEPT}
    with httpx.Client(base_url=devto.endpoint, headers=headers) as client:
        assert client.get(f"/articles/{draft.id}").status_code == 404
        devto.advance(1)
        deleted = client.delete(f"/articles/{draft.id}")
        devto.advance(1)
        v0 = client.get("/articles/me/all", headers={"Accept": "application/json"})
    assert deleted.status_code == 404
    assert deleted.json() == {"error": "not found", "status": 404}
    assert "V0 (beta) API" in v0.headers["warning"]
    assert len(devto.articles) == 1


# -- the engine ------------------------------------------------------------------------------------------

def front_matter(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert isinstance(data, dict)
    return data


def record(path: Path) -> dict[str, Any]:
    block = front_matter(path)["crosspost"]["devto"] or {}
    assert isinstance(block, dict)
    return block


def run(paths: list[Path], fake: DevtoFake, **options: Any) -> Report:
    http = options.pop("http", None) or settings(fake)
    return publish(paths, PublishOptions(environ=env_for(devto=fake), http=http, **options))


@pytest.fixture
def post(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", {"2024-01-02-hello.md": post_text(
        "Hello dev", "A first paragraph with `{{ code }}` and $$x^2$$.\n\nSecond paragraph.\n",
        crosspost="crosspost:\n  devto:\n", extra="tags: [machine-learning, python]\n")})
    return site / "_posts" / "2024-01-02-hello.md"


def set_draft(post: Path, value: str) -> None:
    text = post.read_text(encoding="utf-8")
    if "    draft:" in text:
        text = text.replace("    draft: true\n", "").replace("    draft: false\n", "")
    post.write_text(text.replace("  devto:\n", f"  devto:\n    draft: {value}\n", 1),
                    encoding="utf-8")


def test_publish_update_unchanged_draft_and_published_again(devto: DevtoFake, post: Path) -> None:
    first = run([post], devto)
    assert [(r.target, r.status) for r in first.results] == [("devto", "created")]
    [article] = devto.articles_of()
    assert record(post)["id"] == str(article.id)
    assert record(post)["url"] == f"https://dev.to/ada/{article.slug}"
    assert article.canonical_url == "https://janedoe.net/blog/2024/hello/"
    assert article.tags == ["machinelearning", "python"]
    assert "{% katex inline %}`x^2`{% endkatex %}" in article.body_markdown
    assert "Liquid syntax error" not in article.body_html

    post.write_text(post.read_text(encoding="utf-8").replace("Second paragraph.", "Edited."),
                    encoding="utf-8")
    assert run([post], devto).results[0].status == "updated"
    assert "Edited." in article.body_markdown
    assert article.published

    before = len(devto.requests)
    assert run([post], devto).results[0].status == "up to date"
    assert len(devto.requests) == before, "an unchanged post costs no request"

    set_draft(post, "true")
    assert run([post], devto).results[0].status == "updated"
    assert devto.article(article.id).published is False

    set_draft(post, "false")
    assert run([post], devto).results[0].status == "updated"
    assert devto.article(article.id).published is True
    assert record(post)["url"] == f"https://dev.to/ada/{article.slug}"
    assert len(devto.articles) == 1
    assert devto.throttled == []
    assert devto.v0_requests == []


def test_a_change_to_tags_or_description_alone_updates_the_copy(devto: DevtoFake,
                                                                post: Path) -> None:
    # dev.to takes tags, description, series, cover and canonical URL on update: a change to
    # those alone is a change to publish, not "up to date" with the old tags left there.
    from crosspost.status import CHANGED, status_of

    assert run([post], devto).results[0].status == "created"
    [article] = devto.articles_of()
    assert record(post)["meta"]
    post.write_text(post.read_text(encoding="utf-8").replace(
        "tags: [machine-learning, python]", "tags: [rust]\ndescription: Short and true."),
        encoding="utf-8")
    assert [(t.state, t.detail) for t in status_of(post, targets=["devto"])] == [(CHANGED, "")]
    planned = run([post], devto, dry_run=True).results[0]
    assert planned.plan is not None
    assert planned.plan.action == "update"
    assert "fields sent beside it changed" in (planned.plan.reason or "")
    assert run([post], devto).results[0].status == "updated"
    assert article.tags == ["rust"]
    assert article.description == "Short and true."
    before = len(devto.requests)
    assert run([post], devto).results[0].status == "up to date"
    assert len(devto.requests) == before


def test_a_draft_then_published_records_the_final_url(devto: DevtoFake, post: Path) -> None:
    assert run([post], devto, draft=True).results[0].status == "created"
    [article] = devto.articles_of()
    assert "-temp-slug-" in record(post)["url"]
    set_draft(post, "false")
    result = run([post], devto).results[0]
    assert result.status == "updated"
    assert "-temp-slug-" not in article.slug
    assert record(post)["url"] == result.url == f"https://dev.to/ada/{article.slug}"


def test_a_dropped_reply_after_the_save_leaves_exactly_one_article_recorded(
        devto: DevtoFake, post: Path) -> None:
    devto.inject(Fault.drop_after(match=CREATE))
    report = run([post], devto)
    assert [(r.target, r.status) for r in report.results] == [("devto", "created")]
    [article] = devto.articles
    assert record(post)["id"] == str(article.id)
    assert record(post)["url"] == f"https://dev.to/ada/{article.slug}"
    assert [r.method for r in devto.writes()] == ["POST"]
    assert not list(Journal(post.parent.parent).entries())
    assert run([post], devto).results[0].status == "up to date"


def test_a_timeout_after_the_save_is_reconciled(devto: DevtoFake, post: Path) -> None:
    saved, release = threading.Event(), threading.Event()
    devto.inject(Fault.hold(saved, release, match=CREATE))
    try:
        report = run([post], devto, http=settings(devto, timeout=1.0))
    finally:
        release.set()
    assert saved.is_set()
    assert report.results[0].status == "created"
    assert len(devto.articles) == 1
    assert record(post)["id"] == str(devto.articles[0].id)


def test_a_5xx_on_create_is_checked_and_the_next_run_sends_it_once(devto: DevtoFake,
                                                                   post: Path) -> None:
    devto.inject(Fault.respond(Reply.html("<h1>502 Bad Gateway</h1>", 502), match=CREATE))
    first = run([post], devto).results[0]
    assert first.status == "failed"
    assert "no copy was found yet" in first.message
    assert "run the same command again" in first.message
    assert devto.articles == []
    second = run([post], devto).results[0]
    assert second.status == "created"
    assert len(devto.articles) == 1


def test_an_interrupted_run_is_settled_from_the_account_before_sending(devto: DevtoFake,
                                                                       post: Path) -> None:
    from crosspost.post import Post
    from crosspost.render import render_post
    from crosspost.sites import Site

    sent = render_post(Post.from_path(post), Site.discover(post), "devto")
    Journal(post.parent.parent).begin(post, "devto", action="create", title=sent.title,
                                      body=sent.body, content_hash=sent.hash)
    existing = devto.add_article(devto.user, sent.title, sent.body,
                                 canonical_url=sent.canonical_url)
    result = run([post], devto).results[0]
    assert result.status == "recorded"
    assert devto.writes() == []
    assert record(post)["id"] == str(existing.id)


def test_an_older_copy_found_by_its_canonical_url_is_brought_up_to_date(devto: DevtoFake,
                                                                        post: Path) -> None:
    older = devto.add_article(devto.user, "Hello dev", "An older text.\n",
                              canonical_url="https://janedoe.net/blog/2024/hello/")
    devto.inject(Fault.drop_before(match=CREATE))  # nothing arrives; the search finds the old one
    result = run([post], devto, http=settings(devto, retries=0)).results[0]
    # Found and recorded; its text was never sent by crosspost, so it is replaced only on
    # purpose (issue 12: a copy's text on the platform is writing too).
    assert result.status == "failed"
    assert "never sent the text of this copy" in result.message
    assert record(post)["id"] == str(older.id)
    assert older.body_markdown == "An older text.\n"
    assert run([post], devto, overwrite=True).results[0].status == "updated"
    assert len(devto.articles) == 1
    assert "Second paragraph." in older.body_markdown
    assert run([post], devto).results[0].status == "up to date"


def test_a_429_on_create_is_waited_and_done(devto: DevtoFake, post: Path) -> None:
    devto.inject(Fault.respond(retry_later(5), match=CREATE))
    result = run([post], devto).results[0]
    assert result.status == "created"
    assert 5.0 in devto.waits
    assert len(devto.articles) == 1
    assert [r.method for r in devto.writes()] == ["POST", "POST"]


def test_a_link_to_the_own_copy_is_adopted_not_duplicated(devto: DevtoFake, tmp_path: Path) -> None:
    existing = devto.add_article(devto.user, "Adopted", "old text")
    site = make_site(tmp_path / "s", {"2024-02-01-adopted.md": post_text(
        "Adopted", f"Also on [DEV](https://dev.to/ada/{existing.slug}).\n\nNew text.\n",
        crosspost="crosspost:\n  devto:\n")})
    path = site / "_posts" / "2024-02-01-adopted.md"
    assert run([path], devto).results[0].status == "failed"  # never sent: seen first, or --overwrite
    assert record(path)["id"] == f"ada/{existing.slug}"  # as `link` records it, until the update
    result = run([path], devto, overwrite=True).results[0]
    assert result.status == "updated"
    assert len(devto.articles) == 1
    assert "New text." in existing.body_markdown
    assert "Also on" not in existing.body_markdown
    assert record(path)["id"] == str(existing.id)


def test_dry_run_diffs_against_the_copy_on_dev_to(devto: DevtoFake, post: Path) -> None:
    run([post], devto)
    article = devto.articles[0]
    devto.edit_on_site(article.id, "Changed there.\n")
    post.write_text(post.read_text(encoding="utf-8").replace("Second paragraph.", "Edited."),
                    encoding="utf-8")
    before = len(devto.writes())
    plan = run([post], devto, dry_run=True).results[0].plan
    assert plan is not None
    assert plan.before_label == "on DEV now"
    assert "-Changed there.\n" in plan.diff()
    assert len(devto.writes()) == before


def test_login_checks_the_key_with_users_me(devto: DevtoFake, memory_keyring: object) -> None:
    from crosspost import accounts, credentials

    environ = {"CROSSPOST_DEVTO_ENDPOINT": devto.endpoint}
    result = accounts.login("devto", TOKEN, environ=environ, http=settings(devto))
    assert result.identity.name == "Ada Writer"
    assert [r.path for r in devto.requests] == ["/api/users/me"]
    assert credentials.resolve(TARGETS["devto"], devto.endpoint, environ) is not None
    with pytest.raises(AuthError):
        accounts.login("devto", "wrong" * 5, environ=environ, http=settings(devto))


def test_fault_replies_use_forems_error_shape(devto: DevtoFake) -> None:
    devto.inject(Fault.respond(Reply.json({"error": "boom", "status": 500}, 500), match=LIST))
    with adapter(devto, retries=0) as target, pytest.raises(ServerError) as caught:
        target.fetch("1")
    assert "HTTP 500" in str(caught.value)
    assert "boom" in str(caught.value)


def test_a_copy_linked_by_hand_is_updated_and_gets_its_id(devto: DevtoFake, post: Path) -> None:
    from crosspost.linking import link_copy

    mine = devto.add_article(devto.user, "Hello dev", "Pasted by hand.\n")
    linked = link_copy(post, "devto", f"https://dev.to/ada/{mine.slug}?preview=0a1b2c3d")
    assert linked.id == f"ada/{mine.slug}"
    assert record(post)["url"] == f"https://dev.to/ada/{mine.slug}", "no preview key kept"
    assert run([post], devto).results[0].status == "failed"  # never sent: seen first, or --overwrite
    result = run([post], devto, overwrite=True).results[0]
    assert result.status == "updated"
    assert record(post)["id"] == str(mine.id)
    assert "Second paragraph." in mine.body_markdown
    assert len(devto.articles) == 1


def test_posts_published_together_are_paced_not_throttled(devto: DevtoFake, tmp_path: Path) -> None:
    """One adapter per post, one pace per key. (The fake's clock moves by the waits, so this
    runs the posts one after the other; the threads' share of the pace is tested below.)"""
    posts = {f"2024-05-0{n}-post-{n}.md": post_text(f"Post {n}", f"Body {n}.\n",
                                                    crosspost="crosspost:\n  devto:\n")
             for n in range(1, 6)}
    site = make_site(tmp_path / "many", posts)
    paths = sorted((site / "_posts").glob("*.md"))
    report = run(paths, devto, jobs=1)
    assert [r.status for r in report.results] == ["created"] * 5
    assert len(devto.articles) == 5
    # Five creates, each after a listing (the same-title check): the fake throttles any write
    # that comes within a second of the last, and none had to be.
    assert devto.throttled == []
    assert devto.waits


def test_threads_sharing_a_key_get_one_slot_each() -> None:
    from crosspost.targets.devto import _pace_for

    pace = _pace_for("https://example.invalid/api", "a key for this test only")
    waits: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        wait = pace.turn("write", 1.0, lambda: 100.0)
        with lock:
            waits.append(wait)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(waits) == [0.0, 1.0, 2.0, 3.0]
    assert pace.turn("read", 0.5, lambda: 100.0) == 0.0, "reads are paced apart from writes"


def test_status_after_publishing(devto: DevtoFake, post: Path) -> None:
    from crosspost.status import status_of

    assert [s.state for s in status_of(post)] == ["not published"]
    run([post], devto, draft=True)
    assert [s.state for s in status_of(post)] == ["draft"]
    set_draft(post, "false")
    assert [s.state for s in status_of(post)] == ["changed since publish"]
    run([post], devto)
    assert [s.state for s in status_of(post)] == ["up to date"]


def test_a_429_on_update_is_waited_out_too(devto: DevtoFake) -> None:
    with adapter(devto) as target:
        remote = target.create(rendered())
        devto.inject(Fault.respond(retry_later(4), match=UPDATE))
        target.update(remote.id, rendered(body="Again.\n"))
    assert 4.0 in devto.waits
    assert devto.article(remote.id).body_markdown == "Again.\n"


def test_the_fake_keeps_dev_tos_tag_rules(devto: DevtoFake) -> None:
    headers = {"api-key": TOKEN, "Accept": ACCEPT}

    def post(n: int, **fields: Any) -> httpx.Response:
        devto.advance(1)  # one write per window
        article = {"title": f"T{n}", "body_markdown": f"b{n}", "published": False, **fields}
        return client.post("/articles", json={"article": article})

    with httpx.Client(base_url=devto.endpoint, headers=headers) as client:
        hyphen = post(1, tags=["machine-learning"])
        five = post(2, tags=["a", "b", "c", "d", "e"])
        comma = post(3, tags="python, webdev")
        aliased = post(4, tags=["JS", "Python"])
    assert hyphen.status_code == 422
    assert "machine-learning" in hyphen.json()["error"]
    assert five.json() == {"error": "Tag list exceed the maximum of 4 tags", "status": 422}
    assert comma.status_code == 201
    assert comma.json()["tags"] == [], "a comma string is not a permitted array: dropped"
    assert aliased.json()["tags"] == ["javascript", "python"]
    assert aliased.json()["tag_list"] == "javascript, python"
    assert "published" not in aliased.json()
