"""The HTTP seam: retries only what is safe, translates every failure, guards the token."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from crosspost import http
from crosspost.credentials import Secret
from crosspost.errors import (
    AmbiguousWrite,
    AuthError,
    Blocked,
    ConfigError,
    NetworkError,
    NotFound,
    ProtocolError,
    RateLimited,
    Rejected,
    ServerError,
)
from tests.fakes.server import FakeServer, Fault, Reply, Request

TOKEN = "f00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeed"


class Counter:
    """An app that answers JSON and counts what it served."""

    def __init__(self) -> None:
        self.served = 0

    def __call__(self, request: Request) -> Reply:
        self.served += 1
        return Reply.json({"ok": True, "cookie": request.headers.get_header("cookie")})


@pytest.fixture
def app() -> Counter:
    return Counter()


@pytest.fixture
def server(app: Counter) -> Iterator[FakeServer]:
    fake = FakeServer(app).start()
    yield fake
    fake.stop()


SETTINGS = http.HttpSettings(timeout=2.0, connect_timeout=1.0, retries=2, backoff=0.0, max_wait=0.5)


def client(auth: httpx.Auth | None = None) -> httpx.Client:
    return http.make_client(SETTINGS, auth=auth)


def send(url: str, *, idempotent: bool, auth: httpx.Auth | None = None) -> httpx.Response:
    with client(auth) as c:
        return http.send(c, "POST", url, target="lesswrong", operation="test", idempotent=idempotent,
                         settings=SETTINGS, content=b"{}")


def test_sends_user_agent_and_the_cookie(server: FakeServer) -> None:
    response = send(server.url, idempotent=True, auth=http.cookie_auth("loginToken", Secret(TOKEN)))
    assert response.json()["cookie"] == f"loginToken={TOKEN}"
    ua = server.requests[0].headers.get_header("user-agent") or ""
    assert ua.startswith("crosspost/")
    assert "python-httpx" not in ua


def test_bearer_auth(server: FakeServer) -> None:
    send(server.url, idempotent=True, auth=http.bearer_auth(Secret(TOKEN)))
    assert server.requests[0].headers.get_header("authorization") == f"Bearer {TOKEN}"


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_idempotent_requests_are_retried_then_succeed(server: FakeServer, app: Counter, status: int) -> None:
    server.inject(Fault.respond(Reply.json({"errors": [{"message": "busy"}]}, status)))
    response = send(server.url, idempotent=True)
    assert response.status_code == 200
    assert len(server.requests) == 2


def test_a_write_is_never_retried_after_a_5xx(server: FakeServer) -> None:
    server.inject(Fault.respond(Reply.json({"errors": []}, 502)))
    response = send(server.url, idempotent=False)
    assert response.status_code == 502
    assert len(server.requests) == 1


def test_retries_give_up_after_the_budget(server: FakeServer) -> None:
    for _ in range(5):
        server.inject(Fault.respond(Reply.json({}, 503)))
    response = send(server.url, idempotent=True)
    assert response.status_code == 503
    assert len(server.requests) == 1 + SETTINGS.retries


def test_retry_after_longer_than_max_wait_is_not_waited_for(server: FakeServer) -> None:
    server.inject(Fault.respond(Reply.json({}, 429, {"Retry-After": "3600"})))
    response = send(server.url, idempotent=True)
    assert response.status_code == 429
    assert len(server.requests) == 1
    error = http.error_for_status(response, target="medium", operation="test")
    assert isinstance(error, RateLimited)
    assert error.retry_after == 3600


@pytest.mark.parametrize("status", [429, 403])
def test_html_edge_pages_are_blocked_and_never_retried(server: FakeServer, status: int) -> None:
    server.inject(Fault.respond(Reply.html("<!DOCTYPE html><title>Vercel Security Checkpoint</title>",
                                           status, {"x-vercel-mitigated": "challenge"})))
    with pytest.raises(Blocked) as caught:
        send(server.url, idempotent=True)
    assert len(server.requests) == 1
    assert "bot protection" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_redirects_are_not_followed(server: FakeServer) -> None:
    server.inject(Fault.respond(Reply(301, b"", {"Location": "https://elsewhere.example/graphql"})))
    with pytest.raises(ProtocolError, match="redirected"):
        send(server.url, idempotent=True)
    assert len(server.requests) == 1


def test_a_lost_reply_to_a_write_is_ambiguous(server: FakeServer, app: Counter) -> None:
    server.inject(Fault.drop_after())
    with pytest.raises(AmbiguousWrite, match="may have been saved"):
        send(server.url, idempotent=False)
    assert app.served == 1


def test_a_lost_reply_to_a_read_is_retried(server: FakeServer, app: Counter) -> None:
    server.inject(Fault.drop_after())
    assert send(server.url, idempotent=True).status_code == 200
    assert app.served == 2


def test_a_timeout_on_a_write_is_ambiguous(server: FakeServer) -> None:
    server.inject(Fault.delay(1.0))
    settings = http.HttpSettings(timeout=0.2, connect_timeout=0.2, retries=0, backoff=0)
    with http.make_client(settings) as c, pytest.raises(AmbiguousWrite, match="timed out"):
        http.send(c, "POST", server.url, target="t", operation="create", idempotent=False,
                  settings=settings)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused_is_a_network_error_even_for_writes() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/graphql"
    with pytest.raises(NetworkError, match="nothing was sent"):
        send(url, idempotent=False)


@pytest.mark.parametrize(
    ("body", "ctype", "status", "error"),
    [
        (b"{not json", "application/json", 200, ProtocolError),
        (b"<html>oops</html>", "text/html", 200, ProtocolError),
        (b"<html>bad gateway</html>", "text/html", 502, ServerError),
    ],
)
def test_json_body_translates_garbage(server: FakeServer, body: bytes, ctype: str, status: int,
                                      error: type[Exception]) -> None:
    server.inject(Fault.respond(Reply.raw(body, status, ctype)))
    response = send(server.url, idempotent=False)
    with pytest.raises(error):
        http.json_body(response, target="medium", operation="create")


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthError), (403, Rejected), (404, NotFound), (413, Rejected), (400, Rejected),
     (500, ServerError)],
)
def test_error_for_status(server: FakeServer, status: int, error: type[Exception]) -> None:
    server.inject(Fault.respond(Reply.json({}, status)))
    response = send(server.url, idempotent=False)
    assert isinstance(http.error_for_status(response, target="medium", operation="x"), error)


@pytest.mark.parametrize("url", ["http://example.com/graphql", "ftp://127.0.0.1/x", "not a url"])
def test_check_endpoint_refuses_plain_http_off_loopback(url: str) -> None:
    with pytest.raises(ConfigError):
        http.check_endpoint(url, target="lesswrong")


@pytest.mark.parametrize("url", ["https://www.lesswrong.com/graphql", "http://127.0.0.1:9/graphql",
                                 "http://localhost:8080/v1/", "http://[::1]:8080/v1"])
def test_check_endpoint_accepts_https_and_loopback(url: str) -> None:
    assert http.check_endpoint(url, target="medium") == url.rstrip("/")


def test_the_auth_flow_refuses_plain_http_to_a_real_host() -> None:
    auth = http.cookie_auth("loginToken", Secret(TOKEN))
    request = httpx.Request("POST", "http://www.lesswrong.com/graphql")
    with pytest.raises(ConfigError, match="refusing"):
        next(auth.auth_flow(request))
    assert "cookie" not in request.headers
