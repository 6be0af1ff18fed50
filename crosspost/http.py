"""The one place HTTP happens: clients, auth, retries, and the translation of failures.

No httpx exception leaves this module: transport failures become
:class:`~crosspost.errors.NetworkError` (nothing was sent) or
:class:`~crosspost.errors.AmbiguousWrite` (a write was sent and the answer was lost), and
edge-protection HTML pages become :class:`~crosspost.errors.Blocked`. Adapters map the
platform's own error bodies on top, through :func:`error_for_status` for the generic rest.

Rules that protect the user:

* A token is attached only to HTTPS URLs, or plain HTTP on a loopback host (the tests'
  fake servers). This is checked when the endpoint is configured and again per request.
* Redirects are never followed: a POST turned into a GET would silently lose a mutation.
* Only idempotent requests are retried (reads, GraphQL queries, updates). A create is sent
  once; what happens after a lost reply is the engine's business.
* Logs show method, URL, status and time. Never headers, never bodies.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import logging
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from crosspost import __version__
from crosspost.errors import (
    AmbiguousWrite,
    AuthError,
    Blocked,
    ConfigError,
    CrosspostError,
    NetworkError,
    NotFound,
    ProtocolError,
    RateLimited,
    Rejected,
    ServerError,
)

if TYPE_CHECKING:
    import httpx

    from crosspost.credentials import Secret

log = logging.getLogger("crosspost.http")

USER_AGENT = f"crosspost/{__version__} (Markdown cross-posting CLI; +https://pypi.org/project/crosspost/)"


@dataclass(frozen=True)
class HttpSettings:
    """Timeouts and retry policy, resolved once by the caller.

    ``backoff`` is the first retry's wait in seconds (doubled per attempt); a server's
    ``Retry-After`` is honoured up to ``max_wait`` and anything longer is reported instead
    of waited for. ``clock`` is what ``sleep`` waits on: pacing (dev.to's one write per
    second) measures on it.
    """

    timeout: float = 30.0
    connect_timeout: float = 10.0
    retries: int = 2
    backoff: float = 1.0
    max_wait: float = 30.0
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint(url: str, *, target: str, env_var: str | None = None) -> str:
    """Validate an endpoint before any token goes near it; returns it without a final slash."""
    parts = urlsplit(url)
    where = f" (from {env_var})" if env_var else ""
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(f"{target}: {url!r}{where} is not an http(s) URL", target=None)
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigError(
            f"{target}: refusing to send a token over plain HTTP to {parts.hostname}{where}",
            hint="use an https:// endpoint (plain http is accepted only for 127.0.0.1/localhost)",
        )
    return url.rstrip("/")


def _token_allowed(url: httpx.URL) -> bool:
    return url.scheme == "https" or (url.scheme == "http" and is_loopback(url.host))


def _auth_class() -> type[httpx.Auth]:
    import httpx

    class _TokenAuth(httpx.Auth):
        def __init__(self, header: str, value_for: Callable[[str], str], token: Secret) -> None:
            self._header = header
            self._value_for = value_for
            self._token = token

        def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
            if not _token_allowed(request.url):
                raise ConfigError(f"refusing to send a token to {request.url.scheme}://{request.url.host}")
            request.headers[self._header] = self._value_for(self._token.reveal())
            yield request

    return _TokenAuth


def cookie_auth(name: str, token: Secret) -> httpx.Auth:
    """Auth by a cookie (ForumMagnum's ``loginToken``), set per request, never in a jar."""
    cls = _auth_class()
    return cls("Cookie", lambda value: f"{name}={value}", token)  # type: ignore[call-arg]


def bearer_auth(token: Secret) -> httpx.Auth:
    """``Authorization: Bearer`` (Medium)."""
    cls = _auth_class()
    return cls("Authorization", lambda value: f"Bearer {value}", token)  # type: ignore[call-arg]


def header_auth(name: str, token: Secret) -> httpx.Auth:
    """The token alone in a header of its own (dev.to's ``api-key``)."""
    cls = _auth_class()
    return cls(name, lambda value: value, token)  # type: ignore[call-arg]


def make_client(settings: HttpSettings, *, auth: httpx.Auth | None = None,
                headers: Mapping[str, str] | None = None) -> httpx.Client:
    """A client with explicit timeouts, our User-Agent, no redirects and no cookie jar use."""
    import httpx

    all_headers = {"User-Agent": settings.user_agent, "Accept": "application/json"}
    all_headers.update(headers or {})
    return httpx.Client(
        timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout),
        follow_redirects=False,
        headers=all_headers,
        auth=auth,
    )


def retry_after(response: httpx.Response) -> float | None:
    """The wait a ``Retry-After`` header asks for, in seconds (None without one)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def is_html(response: httpx.Response) -> bool:
    ctype = response.headers.get("Content-Type", "").lower()
    if "html" in ctype:
        return True
    if "json" in ctype:
        return False
    head = response.content[:200].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _blocked(response: httpx.Response, target: str, operation: str) -> Blocked:
    host = response.request.url.host
    mitigated = response.headers.get("x-vercel-mitigated")
    why = f" ({mitigated})" if mitigated else ""
    return Blocked(
        f"{host} answered HTTP {response.status_code} with a web page instead of the API: "
        f"blocked by the site's bot protection{why}",
        hint="nothing was published by this request; try again later, and do not retry in a loop",
        status=response.status_code, target=target, operation=operation,
    )


def send(client: httpx.Client, method: str, url: str, *, target: str, operation: str,
         idempotent: bool, settings: HttpSettings, **kwargs: Any) -> httpx.Response:
    """Send one request, retrying only what is safe to retry.

    Returns the response for every status the caller should interpret (2xx, 4xx, and a
    5xx/429 that outlived its retries). Raises for transport failures, redirects and edge
    protection pages.
    """
    import httpx

    tries_left = settings.retries  # shared budget for every kind of retry
    wait = settings.backoff
    while True:
        started = time.monotonic()
        try:
            response = client.request(method, url, **kwargs)
        except (httpx.ConnectTimeout, httpx.ConnectError) as exc:
            # Nothing left the machine, so even a create may be tried again.
            if tries_left > 0:
                tries_left -= 1
                log.info("%s %s: cannot connect, retrying in %.1fs", method, url, wait)
                settings.sleep(wait)
                wait *= 2
                continue
            what = "timed out connecting to" if isinstance(exc, httpx.ConnectTimeout) else "cannot connect to"
            raise NetworkError(f"{what} {_host(url)}: {_reason(exc)}",
                               hint="check the network or the endpoint setting; nothing was sent",
                               target=target, operation=operation) from exc
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "lost the connection"
            if not idempotent:
                raise AmbiguousWrite(
                    f"{kind} waiting for {_host(url)} to answer {operation}; it may have been saved",
                    target=target, operation=operation) from exc
            if tries_left > 0:
                tries_left -= 1
                log.info("%s %s: %s, retrying in %.1fs", method, url, kind, wait)
                settings.sleep(wait)
                wait *= 2
                continue
            raise NetworkError(f"{kind} talking to {_host(url)} ({operation})",
                               hint="try again later", target=target, operation=operation) from exc
        elapsed = (time.monotonic() - started) * 1000
        log.debug("%s %s -> %d (%.0f ms)", method, url, response.status_code, elapsed)

        status = response.status_code
        if 300 <= status < 400:
            location = response.headers.get("Location", "?")
            raise ProtocolError(f"{_host(url)} redirected {operation} to {location}",
                                hint="set the endpoint to the final URL; redirects are not "
                                "followed because a redirected POST can silently lose a write",
                                status=status, target=target, operation=operation)
        if status in (403, 429) and is_html(response):
            raise _blocked(response, target, operation)
        if idempotent and tries_left > 0 and (status == 429 or status >= 500):
            delay = retry_after(response)
            if delay is None:
                delay = wait
            if delay <= settings.max_wait:
                tries_left -= 1
                log.info("%s %s -> %d, retrying in %.1fs", method, url, status, delay)
                settings.sleep(delay)
                wait *= 2
                continue
        return response


def json_body(response: httpx.Response, *, target: str, operation: str) -> Any:
    """The decoded JSON body, or a ProtocolError saying what came instead."""
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        pass
    ctype = response.headers.get("Content-Type", "unknown type").split(";")[0]
    status = response.status_code
    if status >= 500:
        raise ServerError(f"{_host(str(response.request.url))} failed with HTTP {status} ({ctype})",
                          hint="the platform is having trouble; try again later",
                          status=status, target=target, operation=operation)
    raise ProtocolError(
        f"{_host(str(response.request.url))} answered {operation} with HTTP {status} and "
        f"{'malformed JSON' if 'json' in ctype else ctype}, not JSON",
        hint="check the endpoint setting; if it is right, the platform may be changing its API",
        status=status, target=target, operation=operation)


def error_for_status(response: httpx.Response, *, target: str, operation: str,
                     detail: str | None = None, token_help: str | None = None) -> CrosspostError:
    """The generic error for a non-2xx reply, after the adapter's own mapping had its say."""
    status = response.status_code
    host = _host(str(response.request.url))
    said = f": {detail}" if detail else ""
    if status == 401:
        return AuthError.for_target(target, status=status, detail=detail, how_to_fix=token_help)
    if status == 403:
        return Rejected(f"{host} refused {operation} (HTTP 403){said}",
                        hint="the account may not be allowed to do this", status=status,
                        target=target, operation=operation)
    if status == 404:
        return NotFound(f"{host} has no such resource (HTTP 404){said}", status=status,
                        target=target, operation=operation)
    if status == 413:
        return Rejected(f"the post is too large for {host} (HTTP 413)",
                        hint="shrink the body: inline images (data: URLs) are the usual cause",
                        status=status, target=target, operation=operation)
    if status == 429:
        retry = retry_after(response)
        when = f"; try again in {retry:.0f}s" if retry else "; try again later"
        return RateLimited(f"rate limited by {host}{said}{when}", retry_after=retry,
                           status=status, target=target, operation=operation)
    if status >= 500:
        return ServerError(f"{host} failed with HTTP {status}{said}",
                           hint="the platform is having trouble; try again later",
                           status=status, target=target, operation=operation)
    return Rejected(f"{host} rejected {operation} (HTTP {status}){said}", status=status,
                    target=target, operation=operation)


@dataclass(frozen=True)
class Download:
    """A file fetched by :func:`download`: where it finally came from, and its bytes."""

    url: str
    content: bytes
    content_type: str


def download(url: str, settings: HttpSettings, *, max_bytes: int, target: str,
             operation: str = "download an image", max_redirects: int = 5) -> Download:
    """GET a public file (no token is ever sent), at most ``max_bytes`` of it.

    Only ``https://`` (or ``http://`` on a loopback host, the tests' fakes) is fetched.
    Image hosts redirect (CDNs, renamed files), so redirects are followed, but only up to
    ``max_redirects`` and never to another scheme: an https address is never turned into
    a plain http one. The body is read as it streams and abandoned past ``max_bytes``.
    Connection failures and 5xx/429 answers are retried like any read.
    """
    from urllib.parse import urljoin

    scheme = urlsplit(url).scheme.lower()
    current = url
    with make_client(settings, headers={"Accept": "image/*,*/*;q=0.5"}) as client:
        for _ in range(max_redirects + 1):
            _check_download_url(current, scheme, target, operation, first=current == url)
            response, content = _get_capped(client, current, settings, max_bytes, target,
                                            operation)
            status = response.status_code
            if content is not None:
                return Download(current, content, response.headers.get("Content-Type", ""))
            if 300 <= status < 400 and response.headers.get("Location"):
                current = urljoin(current, response.headers["Location"])
                continue
            if status in (404, 410):
                raise NotFound(f"{_host(current)} has no such file (HTTP {status}): {current}",
                               status=status, target=target, operation=operation)
            raise error_for_status(response, target=target, operation=operation)
    raise ProtocolError(f"{_host(url)} redirected {operation} more than {max_redirects} times",
                        target=target, operation=operation)


def _get_capped(client: httpx.Client, url: str, settings: HttpSettings, max_bytes: int,
                target: str, operation: str) -> tuple[httpx.Response, bytes | None]:
    """One GET, retried like any read; the body (capped) when the answer is 200."""
    import httpx

    tries_left, wait = settings.retries, settings.backoff
    while True:
        try:
            with client.stream("GET", url) as response:
                status = response.status_code
                log.debug("GET %s -> %d", url, status)
                if not ((status == 429 or status >= 500) and tries_left > 0):
                    body = _read_capped(response, max_bytes, url, target, operation) \
                        if status == 200 else None
                    return response, body
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            if tries_left <= 0:
                raise NetworkError(f"cannot {operation} from {_host(url)}: {_reason(exc)}",
                                   target=target, operation=operation) from exc
        tries_left -= 1
        settings.sleep(wait)
        wait *= 2


def _check_download_url(url: str, scheme: str, target: str, operation: str, *,
                        first: bool) -> None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    allowed = parts.scheme == "https" or (parts.scheme == "http" and is_loopback(host))
    if not allowed or (not first and parts.scheme != scheme):
        how = "redirected to" if not first else "asked for"
        raise Rejected(f"refused to {operation}: {how} {parts.scheme or '?'}://{host or '?'} "
                       "(only https, and no redirect to another scheme)",
                       target=target, operation=operation)


def _read_capped(response: httpx.Response, max_bytes: int, url: str, target: str,
                 operation: str) -> bytes:
    declared = response.headers.get("Content-Length")
    too_big = Rejected(f"refused to {operation}: {url} is larger than the {_size(max_bytes)} "
                       "allowed", target=target, operation=operation)
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _size(count: int) -> str:
    return f"{count / 1_000_000:g} MB" if count >= 1_000_000 else f"{count} bytes"


def dumps(payload: Any) -> bytes:
    """Compact JSON for request bodies (stable, UTF-8)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.split("] ")[-1]


__all__ = ["USER_AGENT", "Download", "HttpSettings", "bearer_auth", "check_endpoint",
           "cookie_auth", "download", "dumps", "error_for_status", "header_auth", "is_html",
           "is_loopback", "json_body", "make_client", "retry_after", "send"]
