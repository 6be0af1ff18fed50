"""The Medium adapter against the strict fake, over real HTTP; and the no-token import file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Callable
from functools import partial
from html.parser import HTMLParser
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
    ConfigError,
    CredentialError,
    CrosspostError,
    ProtocolError,
    RateLimited,
    Rejected,
    ServerError,
)
from crosspost.http import HttpSettings
from crosspost.platforms import TARGETS
from crosspost.render import Asset, Rendered
from crosspost.targets.base import TargetContext
from crosspost.targets.medium import IMAGE_CACHE, Medium, prepare, select_tags
from crosspost.targets.medium_import import (
    IMPORT_URL,
    import_instructions,
    sanitize,
    write_import_file,
)
from tests.fakes.medium import (
    CREATE,
    ME,
    TOKEN,
    UPLOAD,
    USER_ID,
    USERNAME,
    MediumFake,
    cloudflare_403,
    cloudflare_502,
    cloudflare_challenge,
    malformed_json,
    medium_error,
    nginx_413,
)
from tests.fakes.server import Fault, Reply

CANONICAL = "https://example.org/2023/08/30/a-plan/"
SITE = "https://example.org"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(40))
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF\x00" + bytes(range(60))
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(range(30))
NOW = dt.datetime.now(dt.UTC)


def settings(retries: int = 2) -> HttpSettings:
    return HttpSettings(timeout=5.0, connect_timeout=5.0, retries=retries, backoff=0,
                        sleep=lambda _seconds: None)


def make_adapter(fake: MediumFake, *, token: str | None = TOKEN, state_dir: Path | None = None,
                 cached: dict[str, Any] | None = None, retries: int = 2) -> Medium:
    context = TargetContext(endpoint=fake.endpoint, token=Secret(token) if token else None,
                            http=settings(retries), state_dir=state_dir, cached_identity=cached)
    return Medium(context)


# What `crosspost login` keeps in the keyring beside the token.
CACHED = {"id": USER_ID, "name": "Ada Writer", "url": f"https://medium.com/@{USERNAME}"}


def make_rendered(*, title: str = "A Plan for Safety", body: str | None = None,
                  options: TargetOptions | None = None, assets: tuple[Asset, ...] = (),
                  extra: dict[str, Any] | None = None, canonical: str = CANONICAL,
                  source: str = "_posts/2023-08-30-a-plan.md") -> Rendered:
    if body is None:
        body = f"<h1>{title}</h1><p>Hello, readers.</p>"
    return Rendered(target="medium", title=title, body=body, format="html",
                    canonical_url=canonical, options=options or TargetOptions(),
                    source_path=Path(source), assets=assets, extra=extra or {})


# -- identity ----------------------------------------------------------------------------------

def test_whoami_asks_medium_with_the_documented_headers(medium: MediumFake) -> None:
    with make_adapter(medium) as target:
        me = target.whoami()
        assert target.whoami() is me  # asked once per instance
    assert (me.id, me.name, me.url) == (USER_ID, "Ada Writer", f"https://medium.com/@{USERNAME}")
    assert me.details["username"] == USERNAME
    assert me.details["imageUrl"].startswith("https://")
    [request] = medium.requests
    assert (request.method, request.path, request.query) == ("GET", "/v1/me", {})
    assert request.headers.get_header("authorization") == f"Bearer {TOKEN}"
    assert request.headers.get_header("accept") == "application/json"
    assert request.headers.get_header("accept-charset") == "utf-8"
    assert (request.headers.get_header("user-agent") or "").startswith("crosspost/")


def test_a_cached_identity_skips_the_request(medium: MediumFake) -> None:
    with make_adapter(medium, cached=CACHED) as target:
        me = target.whoami()
    assert (me.id, me.name, me.details["username"]) == (USER_ID, "Ada Writer", USERNAME)
    assert medium.requests == []


def test_the_identity_login_caches_is_enough_to_post(medium: MediumFake,
                                                      memory_keyring: object) -> None:
    from crosspost import accounts, credentials

    environ = {"CROSSPOST_MEDIUM_ENDPOINT": medium.endpoint}
    accounts.login("medium", TOKEN, environ=environ, http=settings())
    cached = credentials.cached_identity(TARGETS["medium"], medium.endpoint)
    assert cached is not None
    assert TOKEN not in json.dumps(cached)
    before = len(medium.requests)
    with make_adapter(medium, cached=cached) as target:
        assert target.whoami().details["username"] == USERNAME
        target.create(make_rendered())
    assert [r.path for r in medium.requests[before:]] == [f"/v1/users/{USER_ID}/posts"]


def test_no_token_is_a_credential_error_that_points_at_manual(medium: MediumFake) -> None:
    with make_adapter(medium, token=None) as target, pytest.raises(CredentialError) as caught:
        target.whoami()
    assert caught.value.exit_code == 5
    assert "--manual" in str(caught.value)
    assert "CROSSPOST_MEDIUM_TOKEN" in str(caught.value)
    assert medium.requests == []


def test_publications_lists_what_medium_relates_to_the_user(medium: MediumFake) -> None:
    medium.add_publication("Alignment Notes", editors=(USER_ID,))
    medium.add_publication("Followed Only", followers=(USER_ID,))
    medium.add_publication("Unrelated")
    with make_adapter(medium, cached=CACHED) as target:
        names = sorted(p["name"] for p in target.publications())
    assert names == ["Alignment Notes", "Followed Only"]


# -- create ------------------------------------------------------------------------------------

def test_create_sends_one_documented_request_and_returns_the_post(medium: MediumFake) -> None:
    rendered = make_rendered()
    with make_adapter(medium) as target:
        remote = target.create(rendered)
    assert [(r.method, r.path) for r in medium.requests] == [
        ("GET", "/v1/me"), ("POST", f"/v1/users/{USER_ID}/posts")]
    request = medium.creates()[0]
    assert request.headers.get_header("content-type") == "application/json"
    assert request.json() == {"title": "A Plan for Safety", "contentFormat": "html",
                              "content": rendered.body, "canonicalUrl": CANONICAL,
                              "publishStatus": "public"}
    [stored] = medium.posts
    assert re.fullmatch(r"[0-9a-f]{12}", remote.id)
    assert remote.id == stored.id
    assert remote.url == f"https://medium.com/@{USERNAME}/a-plan-for-safety-{remote.id}"
    assert TARGETS["medium"].post_id_in(remote.url) == remote.id
    assert (remote.title, remote.draft, dict(remote.extra)) == (
        "A Plan for Safety", False, {"publishStatus": "public"})
    assert stored.data["canonicalUrl"] == CANONICAL


def test_create_with_a_cached_identity_is_a_single_request(medium: MediumFake) -> None:
    with make_adapter(medium, cached=CACHED) as target:
        target.create(make_rendered())
    assert [(r.method, r.path) for r in medium.requests] == [
        ("POST", f"/v1/users/{USER_ID}/posts")]


def test_tags_are_trimmed_to_what_medium_uses_and_the_rest_is_reported(
        medium: MediumFake) -> None:
    long_tag = "a-tag-that-is-far-too-long-for-medium"
    options = TargetOptions(tags=("ai", long_tag, "alignment", "AI", "safety", "forecasting"))
    rendered = make_rendered(options=options)
    with make_adapter(medium, cached=CACHED) as target:
        notices = target.notices(rendered)
        target.create(rendered)
    assert medium.creates()[0].json()["tags"] == ["ai", "alignment", "safety"]
    assert medium.posts[0].data["tags"] == ["ai", "alignment", "safety"]
    [notice] = notices
    assert notice.severity == "warning"
    assert notice.path == "_posts/2023-08-30-a-plan.md"
    assert long_tag in notice.message
    assert "'forecasting' (beyond the first 3)" in notice.message


def test_tags_fall_back_to_the_posts_own_tags() -> None:
    body = prepare(make_rendered(extra={"tags": ["ml", "policy"]})).body
    assert body["tags"] == ["ml", "policy"]
    body = prepare(make_rendered(options=TargetOptions(tags=("x",)),
                                 extra={"tags": ["ml"]})).body
    assert body["tags"] == ["x"]
    assert "tags" not in prepare(make_rendered()).body


def test_select_tags_keeps_three_usable_tags() -> None:
    assert select_tags(["x" * 26, "a", "b", "c"]) == (["a", "b", "c"],
                                                      [f"{'x' * 26!r} (over 25 characters)"])
    assert select_tags([" a ", "", "A", "b"]) == (["a", "b"], [])


@pytest.mark.parametrize(("options", "status", "draft"), [
    (TargetOptions(draft=True), "draft", True),
    (TargetOptions(draft=True, publish_status="public"), "draft", True),
    (TargetOptions(publish_status="unlisted"), "unlisted", False),
    (TargetOptions(publish_status="draft"), "draft", True),
    (TargetOptions(), "public", False),
])
def test_publish_status(medium: MediumFake, options: TargetOptions, status: str,
                        draft: bool) -> None:
    with make_adapter(medium, cached=CACHED) as target:
        remote = target.create(make_rendered(options=options))
    assert medium.creates()[0].json()["publishStatus"] == status
    assert remote.draft is draft
    assert remote.extra["publishStatus"] == status
    assert ("publishedAt" in medium.posts[0].data) is not draft  # Medium omits it for drafts


def test_license_and_notify_followers_are_sent_only_when_set(medium: MediumFake) -> None:
    with make_adapter(medium, cached=CACHED) as target:
        target.create(make_rendered(options=TargetOptions(license="cc-40-by",
                                                          notify_followers=False)))
        target.create(make_rendered())
    first, second = (r.json() for r in medium.creates())
    assert (first["license"], first["notifyFollowers"]) == ("cc-40-by", False)
    assert medium.posts[0].data["license"] == "cc-40-by"
    assert "license" not in second
    assert "notifyFollowers" not in second


def test_backdating_sends_the_posts_date(medium: MediumFake) -> None:
    when = dt.datetime(2023, 8, 30, 9, 15, tzinfo=dt.UTC)
    with make_adapter(medium, cached=CACHED) as target:
        target.create(make_rendered(extra={"date": when}))
    assert medium.creates()[0].json()["publishedAt"] == "2023-08-30T09:15:00Z"
    assert medium.posts[0].data["publishedAt"] == int(when.timestamp() * 1000)


@pytest.mark.parametrize(("date", "backdate", "expected"), [
    (dt.date(2023, 8, 30), True, "2023-08-30T00:00:00Z"),
    ("2023-08-30T12:00:00+02:00", True, "2023-08-30T10:00:00Z"),
    (dt.datetime(2023, 8, 30, 12, 0), True, "2023-08-30T12:00:00Z"),  # naive: taken as UTC
    (NOW - dt.timedelta(minutes=5), True, None),  # within 15 minutes: clock skew, not sent
    (NOW + dt.timedelta(days=2), True, None),  # future: Medium takes past dates only
    (dt.date(1969, 7, 20), True, None),  # before 1970: refused by Medium
    (dt.date(2023, 8, 30), False, None),
    ("not a date", True, None),
    (None, True, None),
])
def test_backdating_rules(date: object, backdate: bool, expected: str | None) -> None:
    rendered = make_rendered(options=TargetOptions(backdate=backdate),
                             extra={"date": date} if date is not None else {})
    assert prepare(rendered, now=NOW).body.get("publishedAt") == expected


def test_a_long_title_is_cut_at_a_word_with_a_warning(medium: MediumFake) -> None:
    title = "Why " + " ".join(["alignment"] * 14) + " matters"
    assert len(title) > 100
    rendered = make_rendered(title=title)
    prepared = prepare(rendered)
    sent = prepared.body["title"]
    assert len(sent) <= 100
    assert sent.endswith("alignment…")
    assert any("100 characters" in n.message for n in prepared.notices)
    assert title in prepared.body["content"]  # the story keeps the full title
    with make_adapter(medium, cached=CACHED) as target:
        target.create(rendered)
    assert medium.posts[0].data["title"] == sent


def test_html_in_a_title_is_removed_with_a_warning() -> None:
    prepared = prepare(make_rendered(title="On <em>corrigibility</em>"))
    assert prepared.body["title"] == "On corrigibility"
    assert "HTML tags" in prepared.notices[0].message


def test_a_relative_canonical_url_is_refused_before_sending() -> None:
    with pytest.raises(ConfigError, match="not absolute"):
        prepare(make_rendered(canonical="/2023/08/30/a-plan/"))


def test_build_payload_matches_what_create_sends(medium: MediumFake) -> None:
    rendered = make_rendered(options=TargetOptions(tags=("ai",), license="public-domain"),
                             extra={"date": dt.date(2023, 8, 30)})
    with make_adapter(medium, cached=CACHED) as target:
        payload = target.build_payload(rendered)
        target.create(rendered)
    assert medium.creates()[0].json() == payload


def test_fetch_update_and_find_existing_are_honest(medium: MediumFake) -> None:
    with make_adapter(medium, cached=CACHED) as target:
        assert target.find_existing(make_rendered()) is None
        with pytest.raises(Rejected, match="cannot update posts") as caught:
            target.update("0123456789ab", make_rendered())
        assert "https://medium.com/p/0123456789ab" in str(caught.value)
        assert "--force-new" in str(caught.value)
        with pytest.raises(Rejected, match="cannot read posts"):
            target.fetch("0123456789ab")
    assert medium.requests == []
    assert TARGETS["medium"].can_update is False


# -- publications ------------------------------------------------------------------------------

def test_an_editor_posts_into_the_publication(medium: MediumFake) -> None:
    pub = medium.add_publication("Alignment Notes", editors=(USER_ID,))
    with make_adapter(medium, cached=CACHED) as target:
        remote = target.create(make_rendered(options=TargetOptions(publication=pub.id)))
    assert [(r.method, r.path) for r in medium.requests] == [
        ("GET", f"/v1/publications/{pub.id}/contributors"),
        ("POST", f"/v1/publications/{pub.id}/posts")]
    assert remote.extra["publicationId"] == pub.id
    assert remote.url.startswith("https://medium.com/alignment-notes/")
    assert medium.posts[0].publication_id == pub.id


def test_a_writer_may_submit_a_draft(medium: MediumFake) -> None:
    pub = medium.add_publication("Alignment Notes", writers=(USER_ID,))
    options = TargetOptions(publication=pub.id, draft=True)
    with make_adapter(medium, cached=CACHED) as target:
        remote = target.create(make_rendered(options=options))
    assert remote.draft is True
    assert medium.posts[0].publication_id == pub.id


@pytest.mark.parametrize(("role", "match"), [
    ("writer", "writers may only submit drafts"),
    (None, "not a writer or editor"),
])
def test_publication_refusals_happen_before_anything_is_sent(
        medium: MediumFake, role: str | None, match: str) -> None:
    pub = medium.add_publication("Alignment Notes",
                                 writers=(USER_ID,) if role == "writer" else (),
                                 followers=(USER_ID,))
    with make_adapter(medium, cached=CACHED) as target, pytest.raises(Rejected) as caught:
        target.create(make_rendered(options=TargetOptions(publication=pub.id)))
    assert match in str(caught.value)
    assert "nothing was sent" in str(caught.value)
    assert medium.creates() == []
    assert medium.posts == []


def test_an_unknown_publication_id_is_a_config_error(medium: MediumFake) -> None:
    with make_adapter(medium, cached=CACHED) as target, pytest.raises(ConfigError) as caught:
        target.create(make_rendered(options=TargetOptions(publication="Alignment Notes")))
    assert "not its name" in str(caught.value)
    assert medium.creates() == []


# -- images ------------------------------------------------------------------------------------

@pytest.fixture
def site_images(tmp_path: Path) -> dict[str, Asset]:
    folder = tmp_path / "site" / "assets" / "img"
    folder.mkdir(parents=True)
    files = {"chart.png": PNG, "photo.jpg": JPEG, "diagram.webp": WEBP, "unused.png": PNG,
             "fake.png": WEBP}
    assets = {}
    for name, data in files.items():
        (folder / name).write_bytes(data)
        assets[name] = Asset(f"{SITE}/assets/img/{name}", folder / name)
    return assets


def image_body(*names: str) -> str:
    figures = "".join(f'<figure><img src="{SITE}/assets/img/{n}" alt="{n}"><figcaption>{n}'
                      f"</figcaption></figure>" for n in names)
    return f'<h1>A Plan for Safety</h1>{figures}<p><a href="{SITE}/assets/img/chart.png">big</a></p>'


def test_local_images_are_uploaded_once_and_swapped_in(
        medium: MediumFake, site_images: dict[str, Asset], tmp_path: Path) -> None:
    state = tmp_path / "state"
    rendered = make_rendered(body=image_body("chart.png", "photo.jpg", "diagram.webp"),
                             assets=tuple(site_images.values()))
    with make_adapter(medium, cached=CACHED, state_dir=state) as target:
        notices = target.notices(rendered)
        remote = target.create(rendered)

    assert [(u.filename, u.content_type) for u in medium.uploads] == [
        ("chart.png", "image/png"), ("photo.jpg", "image/jpeg")]
    assert [u.data for u in medium.uploads] == [PNG, JPEG]
    content = medium.creates()[0].json()["content"]
    chart, photo = (u.url for u in medium.uploads)
    assert content.count(chart) == 2  # the <img> and the link to the full-size file
    assert photo in content
    assert f"{SITE}/assets/img/chart.png" not in content
    assert f"{SITE}/assets/img/diagram.webp" in content  # left for Medium to copy
    assert any("diagram.webp" in n.message and "deploy the site" in n.message for n in notices)
    assert any("diagram.webp" in w for w in remote.extra["warnings"])

    cache_text = (state / IMAGE_CACHE).read_text(encoding="utf-8")
    assert TOKEN not in cache_text
    images = json.loads(cache_text)["images"][medium.endpoint]
    assert images[hashlib.sha256(PNG).hexdigest()]["url"] == chart

    # A second run (a new adapter, as in a new process) reuses the uploads.
    with make_adapter(medium, cached=CACHED, state_dir=state) as target:
        target.create(rendered)
    assert len(medium.uploads) == 2
    assert len(medium.upload_requests()) == 2
    assert medium.creates()[1].json()["content"] == content


def test_without_a_state_dir_images_are_uploaded_every_time(
        medium: MediumFake, site_images: dict[str, Asset]) -> None:
    rendered = make_rendered(body=image_body("chart.png"), assets=(site_images["chart.png"],))
    for _ in range(2):
        with make_adapter(medium, cached=CACHED) as target:
            target.create(rendered)
    assert len(medium.uploads) == 2


def test_the_same_bytes_under_two_names_are_uploaded_once(
        medium: MediumFake, site_images: dict[str, Asset], tmp_path: Path) -> None:
    body = image_body("chart.png", "unused.png")  # identical bytes
    rendered = make_rendered(body=body, assets=(site_images["chart.png"],
                                                site_images["unused.png"]))
    with make_adapter(medium, cached=CACHED, state_dir=tmp_path) as target:
        target.create(rendered)
    assert len(medium.uploads) == 1
    assert f"{SITE}/assets" not in medium.creates()[0].json()["content"]


def test_images_not_in_the_body_or_with_uploads_off_are_left_alone(
        medium: MediumFake, site_images: dict[str, Asset], tmp_path: Path) -> None:
    body = image_body("photo.jpg")
    with make_adapter(medium, cached=CACHED, state_dir=tmp_path) as target:
        target.create(make_rendered(body=body.replace("chart.png", "other.png"),
                                    assets=(site_images["unused.png"],)))
        target.create(make_rendered(body=body, assets=(site_images["photo.jpg"],),
                                    options=TargetOptions(upload_images=False)))
    assert medium.uploads == []
    assert f"{SITE}/assets/img/photo.jpg" in medium.creates()[1].json()["content"]


def test_a_file_whose_bytes_are_not_an_accepted_type_is_not_uploaded(
        medium: MediumFake, site_images: dict[str, Asset]) -> None:
    rendered = make_rendered(body=image_body("fake.png"), assets=(site_images["fake.png"],))
    with make_adapter(medium, cached=CACHED) as target:
        remote = target.create(rendered)
    assert medium.uploads == []
    assert any("fake.png" in w for w in remote.extra["warnings"])


def test_a_failed_upload_stops_before_the_post_is_created(
        medium: MediumFake, site_images: dict[str, Asset]) -> None:
    medium.inject(Fault.respond(medium_error(400, "Unsupported image."), match=UPLOAD))
    rendered = make_rendered(body=image_body("chart.png"), assets=(site_images["chart.png"],))
    with make_adapter(medium, cached=CACHED) as target, pytest.raises(Rejected):
        target.create(rendered)
    assert medium.creates() == []


# -- errors ------------------------------------------------------------------------------------

ERRORS: list[Any] = [
    pytest.param("whoami", medium_error(401, "An access token is required.", 6000), ME,
                 AuthError, ("no access token", "Authorization header"), id="401-6000"),
    pytest.param("whoami", medium_error(401, "Token was invalid.", 6001), ME, AuthError,
                 ("not valid", "--manual", "no longer issues"), id="401-6001"),
    pytest.param("whoami", medium_error(401, "Token lacks scope.", 6002), ME, AuthError,
                 ("lacks a permission",), id="401-6002"),
    pytest.param("whoami", medium_error(401, "User not found", 6004), ME, AuthError,
                 ("cannot find the account",), id="401-6004"),
    pytest.param("whoami", medium_error(401, "Application not found", 6005), ME, AuthError,
                 ("Application not found", "not enabled"), id="401-6005"),
    pytest.param("whoami", medium_error(401, "The Medium API is temporarily disabled.", 6027),
                 ME, ServerError, ("disabled", "--manual"), id="401-6027"),
    pytest.param("whoami", medium_error(401, "Unauthorized"), ME, AuthError,
                 ("HTTP 401",), id="401-no-code"),
    pytest.param("create", medium_error(400, "No content specified.", 2002), CREATE, Rejected,
                 ("no content",), id="400-2002"),
    pytest.param("create", medium_error(400, "Unexpected fields specified.", 6007), CREATE,
                 Rejected, ("rejected a field", "code 6007"), id="400-6007"),
    pytest.param("create", medium_error(400, "Required fields were invalid, not specified."),
                 CREATE, Rejected, ("Required fields were invalid",), id="400-required"),
    pytest.param("create", medium_error(403, "You are not allowed to publish."), CREATE,
                 Rejected, ("HTTP 403", "not allowed"), id="403-json"),
    pytest.param("create", medium_error(
        429, "User has reached the rate limit for publishing today.", 1007), CREATE,
        RateLimited, ("publishing limit", "24 hours after the first post", "nothing was created"),
        id="429-1007"),
    pytest.param("create", nginx_413(), CREATE, Rejected, ("too large", "HTTP 413"),
                 id="413-nginx"),
    pytest.param("whoami", cloudflare_403(), ME, Blocked, ("web page",), id="403-cf-get"),
    pytest.param("create", cloudflare_403(), CREATE, Blocked, ("web page",), id="403-cf-post"),
    pytest.param("create", cloudflare_challenge(503), CREATE, Blocked,
                 ("Cloudflare", "nothing was published"), id="503-cf-challenge-post"),
    pytest.param("whoami", cloudflare_challenge(503), ME, Blocked, ("Cloudflare",),
                 id="503-cf-challenge-get"),
    pytest.param("whoami", cloudflare_502(), ME, ServerError, ("HTTP 502",), id="502-cf-get"),
    pytest.param("whoami", medium_error(500, "Internal error"), ME, ServerError,
                 ("HTTP 500",), id="500-get"),
    pytest.param("whoami", Reply.raw(b"upstream connect error", 503, "text/plain"), ME,
                 ServerError, ("HTTP 503",), id="503-text-get"),
    pytest.param("create", medium_error(500, "Internal error"), CREATE, AmbiguousWrite,
                 ("HTTP 500", "may have created it"), id="500-post"),
    pytest.param("create", cloudflare_502(), CREATE, AmbiguousWrite,
                 ("HTTP 502", "may have created it"), id="502-cf-post"),
    pytest.param("whoami", malformed_json(200), ME, ProtocolError, ("malformed JSON",),
                 id="200-malformed"),
    pytest.param("whoami", Reply.json({"user": {"id": "x"}}), ME, ProtocolError,
                 ("no `data`",), id="200-wrong-shape"),
    pytest.param("whoami", Reply.raw(b"hello", 200, "text/plain"), ME, ProtocolError,
                 ("not JSON",), id="200-text"),
    pytest.param("create", malformed_json(201), CREATE, AmbiguousWrite,
                 ("HTTP 201", "probably created"), id="201-malformed"),
    pytest.param("create", Reply.json({"data": {"title": "x"}}, 201), CREATE, AmbiguousWrite,
                 ("no post id",), id="201-no-id"),
    pytest.param("create", malformed_json(400), CREATE, ProtocolError, ("malformed JSON",),
                 id="400-malformed"),
    pytest.param("whoami", Reply(302, b"", {"Location": "https://medium.com/m/signin"}), ME,
                 ProtocolError, ("redirected",), id="302"),
]


@pytest.mark.parametrize(("call", "reply", "match", "kind", "fragments"), ERRORS)
def test_error_matrix(medium: MediumFake, call: str, reply: Reply, match: Callable[..., bool],
                      kind: type[CrosspostError], fragments: tuple[str, ...]) -> None:
    medium.inject(Fault.respond(reply, match=match))
    # Retries stay on for creates (a create must never be resent) and off for reads, so each
    # canned answer is the last word.
    retries = 2 if call == "create" else 0
    cached = CACHED if call == "create" else None
    with make_adapter(medium, cached=cached, retries=retries) as target:
        action = target.whoami if call == "whoami" else partial(target.create, make_rendered())
        with pytest.raises(CrosspostError) as caught:
            action()
    error = caught.value
    assert type(error) is kind, str(error)
    text = str(error)
    for fragment in fragments:
        assert fragment in text
    assert text.startswith("medium: ")
    assert "\n" not in text
    assert TOKEN not in text
    assert error.target == "medium"
    assert len(medium.creates()) == (1 if call == "create" else 0)
    assert medium.posts == []


def test_an_unknown_token_is_refused_with_medium_s_own_code(medium: MediumFake) -> None:
    with make_adapter(medium, token="0" * 64) as target, pytest.raises(AuthError) as caught:
        target.whoami()
    assert "code 6003" in str(caught.value)
    assert caught.value.exit_code == 5


def test_reads_are_retried_after_a_5xx(medium: MediumFake) -> None:
    medium.inject(Fault.respond(medium_error(503, "busy"), match=ME))
    with make_adapter(medium, retries=1) as target:
        assert target.whoami().id == USER_ID
    assert len(medium.requests) == 2


def test_a_dropped_connection_after_the_post_was_saved_is_ambiguous(medium: MediumFake) -> None:
    medium.inject(Fault.drop_after(match=CREATE))
    with make_adapter(medium, cached=CACHED, retries=2) as target, \
            pytest.raises(AmbiguousWrite) as caught:
        target.create(make_rendered())
    text = str(caught.value)
    assert "Medium may have created it" in text
    assert "cannot look posts up" in text
    assert "--force-new" in text
    assert "https://medium.com/me/stories" in text
    assert len(medium.posts) == 1  # it was saved...
    assert len(medium.creates()) == 1  # ...and never sent twice


def test_the_publishing_limit_is_ten_a_day(medium: MediumFake) -> None:
    with make_adapter(medium, cached=CACHED) as target:
        for number in range(10):
            target.create(make_rendered(title=f"Post {number}"))
        with pytest.raises(RateLimited) as caught:
            target.create(make_rendered(title="One too many"))
        assert "code 1007" in str(caught.value)
        medium.advance(24 * 3600 + 1)
        target.create(make_rendered(title="The next day"))
    assert len(medium.posts) == 11


# -- the fake is as strict as Medium -------------------------------------------------------------

def test_creates_at_once_never_pass_the_limit_together(medium_factory: Callable[..., MediumFake]) -> None:
    import threading

    fake = medium_factory(rate_limit=1)
    checking, second_in = threading.Event(), threading.Event()
    fake.inject(Fault.meanwhile(second_in.set, match=lambda r: CREATE(r) and b"Second" in r.body))
    check = fake._check_rate

    def slow_check(user: Any) -> None:  # the first create waits, checked, until the second arrives
        check(user)
        if not checking.is_set():
            checking.set()
            second_in.wait(timeout=5)

    fake._check_rate = slow_check  # type: ignore[method-assign]
    replies: list[int] = []
    first = threading.Thread(
        target=lambda: replies.append(_post(fake, {**GOOD, "title": "First"}).status_code))
    first.start()
    assert checking.wait(timeout=5)
    replies.append(_post(fake, {**GOOD, "title": "Second"}).status_code)
    first.join(timeout=5)
    assert sorted(replies) == [201, 429]
    assert len(fake.posts) == 1



def _post(fake: MediumFake, body: Any, *, author: str = USER_ID, token: str | None = TOKEN,
          content_type: str = "application/json") -> httpx.Response:
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if not isinstance(body, bytes) else body
    return httpx.post(f"{fake.endpoint}/users/{author}/posts", content=data, headers=headers)


GOOD = {"title": "T", "contentFormat": "html", "content": "<p>x</p>"}


@pytest.mark.parametrize(("body", "status", "code"), [
    ({**GOOD, "subtitle": "x"}, 400, 6007),
    ({**GOOD, "content": ""}, 400, 2002),
    ({k: v for k, v in GOOD.items() if k != "title"}, 400, None),
    ({**GOOD, "contentFormat": "rtf"}, 400, None),
    ({**GOOD, "publishStatus": "hidden"}, 400, None),
    ({**GOOD, "license": "cc-by"}, 400, None),
    ({**GOOD, "tags": "ai,ml"}, 400, 6007),
    ({**GOOD, "canonicalUrl": "/relative/"}, 400, None),
    ({**GOOD, "publishedAt": "2999-01-01T00:00:00Z"}, 400, None),
    ({**GOOD, "notifyFollowers": "no"}, 400, None),
])
def test_fake_refuses_what_medium_refuses(medium: MediumFake, body: dict[str, Any], status: int,
                                          code: int | None) -> None:
    response = _post(medium, body)
    assert response.status_code == status
    assert response.json()["errors"][0].get("code") == code
    assert medium.posts == []


def test_fake_auth_and_author_rules(medium: MediumFake) -> None:
    assert _post(medium, GOOD, token=None).json()["errors"][0]["code"] == 6000
    assert _post(medium, GOOD, token="ab" * 32).json()["errors"][0]["code"] == 6003
    assert _post(medium, GOOD, author="someoneelse").status_code == 403
    query = httpx.get(f"{medium.endpoint}/me", params={"accessToken": TOKEN})
    assert query.json()["errors"][0]["code"] == 6000
    assert _post(medium, b"title=T&content=x",
                 content_type="application/x-www-form-urlencoded").status_code == 400
    assert medium.posts == []


def test_fake_post_object_follows_the_docs(medium: MediumFake) -> None:
    tags = ["x" * 26, "b", "c", "d"]
    public = _post(medium, {**GOOD, "tags": tags, "canonicalUrl": CANONICAL})
    draft = _post(medium, {**GOOD, "publishStatus": "draft"})
    assert (public.status_code, draft.status_code) == (201, 201)
    data, draft_data = public.json()["data"], draft.json()["data"]
    assert data["tags"] == ["b", "c"]  # first three, then the long one ignored
    assert isinstance(data["publishedAt"], int)
    assert data["canonicalUrl"] == CANONICAL
    assert "publishedAt" not in draft_data
    assert "canonicalUrl" not in draft_data
    assert re.fullmatch(r"[0-9a-f]{12}", data["id"])


@pytest.mark.parametrize(("name", "ctype", "data", "status"), [
    ("image", "image/png", PNG, 201),
    ("file", "image/png", PNG, 400),
    ("image", "image/webp", WEBP, 400),
    ("image", "image/png", WEBP, 400),  # the bytes must be what the part says
])
def test_fake_image_upload_rules(medium: MediumFake, name: str, ctype: str, data: bytes,
                                 status: int) -> None:
    response = httpx.post(f"{medium.endpoint}/images", files={name: ("x.png", data, ctype)},
                          headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == status
    if status == 201:
        assert set(response.json()["data"]) == {"url", "md5"}
        assert len(medium.uploads) == 1
    else:
        assert medium.uploads == []


# -- the no-token path -------------------------------------------------------------------------

class _Structure(HTMLParser):
    VOID = frozenset({"meta", "link", "img", "br", "hr", "source", "input", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.decls: list[str] = []
        self.text: dict[str, str] = {}
        self.errors: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.decls.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.text[self.stack[-1]] = self.text.get(self.stack[-1], "") + data


def test_the_import_file_is_a_clean_self_contained_page(tmp_path: Path) -> None:
    body = ('<h1>A Plan &amp; a Promise</h1><p onclick="steal()">Intro <a href="javascript:x()">'
            'bad</a> <a href="https://example.org/more">good</a></p>'
            f'<figure><img src="{SITE}/assets/img/chart.png" alt="A chart"><figcaption>Figure 1: '
            'the chart</figcaption></figure><script>alert(1)</script>'
            '<iframe src="https://www.youtube.com/embed/abc"></iframe><!--[if IE]><script>x'
            "</script><![endif]--><p>End.</p>")
    rendered = make_rendered(title="A Plan & a Promise", body=body,
                             extra={"tags": ["ai", "safety"]})
    path = write_import_file(rendered, tmp_path / "out")
    assert path == tmp_path / "out" / "2023-08-30-a-plan.medium.html"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>\n")

    page = _Structure()
    page.feed(text)
    page.close()
    assert page.errors == []
    assert page.stack == []
    assert page.decls == ["doctype html"]
    tags = [t for t, _ in page.tags]
    assert ("meta", {"charset": "utf-8"}) in page.tags
    assert ("link", {"rel": "canonical", "href": CANONICAL}) in page.tags
    assert page.text["title"] == "A Plan & a Promise"
    assert page.text["figcaption"] == "Figure 1: the chart"
    assert ("img", {"src": f"{SITE}/assets/img/chart.png", "alt": "A chart"}) in page.tags
    assert "script" not in tags
    assert "iframe" not in tags
    assert "onclick" not in text
    assert "javascript:" not in text
    assert "alert" not in text
    assert ("a", {"href": "https://www.youtube.com/embed/abc"}) in page.tags
    assert tags.index("h1") < tags.index("figure")


def test_import_instructions_name_the_import_tool_and_the_link_command(tmp_path: Path) -> None:
    rendered = make_rendered(source="_posts/my post.md", extra={"tags": ["ai", "safety"]})
    path = write_import_file(rendered, tmp_path)
    steps = import_instructions(rendered, path)
    text = "\n".join(steps)
    assert IMPORT_URL in steps[0]
    assert CANONICAL in steps[0]
    assert path.resolve().as_uri() in steps[1]
    assert "canonical link" in steps[1]
    assert "ai, safety" in text
    assert steps[-1] == "4. Record the copy: crosspost link '_posts/my post.md' --to medium " \
        "<the new Medium URL>"


def test_sanitize_keeps_ordinary_markup_verbatim() -> None:
    fragment = ('<h1>T</h1><p>a &lt; b &amp; c &#8212; <em>d</em><br></p><pre><code>x &lt; y'
                '</code></pre><ol><li>one</li></ol><blockquote><p>q</p></blockquote><hr>')
    assert sanitize(fragment) == fragment


def test_the_import_module_is_cheap_to_import() -> None:
    code = ("import sys, crosspost.targets.medium_import, crosspost.targets.medium; "
            "print(sorted(m for m in ('httpx', 'keyring', 'markdown_it', 'bs4') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
