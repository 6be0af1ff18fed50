"""A small threaded HTTP server on 127.0.0.1 with fault injection, shared by the fakes.

Each fake (ForumMagnum, Medium) is an ``app``: a callable from :class:`Request` to
:class:`Reply`. The server is bound (port 0) before :meth:`FakeServer.start` returns, so a
test never waits for it. Faults are queued per request and consumed in order:

* ``Fault.drop_before()``: close the connection without reading the request into the app;
* ``Fault.drop_after()``: run the app (state changes!), then close without replying: the
  "server saved the post but the reply was lost" case;
* ``Fault.reply(Reply)``: answer with a canned reply without running the app (HTML 429
  pages, 502s, malformed JSON);
* ``Fault.delay(seconds)``: run the app after a delay (simulated latency, for benchmarks
  and timeouts);
* ``Fault.hold(saved, release)``: run the app, set ``saved``, then wait for ``release``
  before replying (crash tests kill the client meanwhile).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit


class Headers(dict[str, str]):
    """Case-insensitive request headers (keys stored lower-cased)."""

    def get_header(self, name: str, default: str | None = None) -> str | None:
        return self.get(name.lower(), default)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Headers
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def cookies(self) -> dict[str, str]:
        jar: dict[str, str] = {}
        for part in (self.headers.get_header("cookie") or "").split(";"):
            name, sep, value = part.strip().partition("=")
            if sep:
                jar[name] = value
        return jar


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        return cls(status, json.dumps(payload).encode("utf-8"),
                   {"Content-Type": "application/json; charset=utf-8", **(headers or {})})

    @classmethod
    def html(cls, text: str, status: int, headers: dict[str, str] | None = None) -> Reply:
        return cls(status, text.encode("utf-8"),
                   {"Content-Type": "text/html; charset=utf-8", **(headers or {})})

    @classmethod
    def raw(cls, body: bytes, status: int = 200, content_type: str = "application/json") -> Reply:
        return cls(status, body, {"Content-Type": content_type})


VERCEL_CHALLENGE = (
    "<!DOCTYPE html><html><head><title>Vercel Security Checkpoint</title></head>"
    "<body><p>We're verifying your browser</p></body></html>"
)


@dataclass
class Fault:
    kind: str
    reply: Reply | None = None
    seconds: float = 0.0
    saved: threading.Event | None = None
    release: threading.Event | None = None
    match: Callable[[Request], bool] | None = None
    action: Callable[[], object] | None = None

    @classmethod
    def meanwhile(cls, action: Callable[[], object],
                  match: Callable[[Request], bool] | None = None) -> Fault:
        """Run ``action`` (something else happening on the platform: another tab publishes,
        a moderator edits) just before the matching request is served as usual."""
        return cls("meanwhile", action=action, match=match)

    @classmethod
    def drop_before(cls, match: Callable[[Request], bool] | None = None) -> Fault:
        return cls("drop_before", match=match)

    @classmethod
    def drop_after(cls, match: Callable[[Request], bool] | None = None) -> Fault:
        return cls("drop_after", match=match)

    @classmethod
    def respond(cls, reply: Reply, match: Callable[[Request], bool] | None = None) -> Fault:
        return cls("reply", reply=reply, match=match)

    @classmethod
    def delay(cls, seconds: float, match: Callable[[Request], bool] | None = None) -> Fault:
        return cls("delay", seconds=seconds, match=match)

    @classmethod
    def hold(cls, saved: threading.Event, release: threading.Event,
             match: Callable[[Request], bool] | None = None) -> Fault:
        return cls("hold", saved=saved, release=release, match=match)

    @classmethod
    def vercel_429(cls, match: Callable[[Request], bool] | None = None) -> Fault:
        return cls.respond(Reply.html(VERCEL_CHALLENGE, 429, {"x-vercel-mitigated": "challenge"}),
                           match=match)


App = Callable[[Request], Reply]


class _QuietServer(ThreadingHTTPServer):
    """Timeout and crash tests leave before a delayed reply is written; that is expected,
    so a client that went away is not reported as a server error over the test output."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Startable(Protocol):
    def start(self) -> Any: ...

    def stop(self) -> None: ...


Fake = TypeVar("Fake", bound=_Startable)


def started_fakes(make: Callable[..., Fake]) -> Iterator[Callable[..., Fake]]:
    """The body of a fixture that makes started fakes (``make(**kwargs)``) and stops every
    one of them after the test: ``yield from started_fakes(MediumFake)``."""
    made: list[Fake] = []

    def factory(*args: Any, **kwargs: Any) -> Fake:
        fake = make(*args, **kwargs)
        fake.start()
        made.append(fake)
        return fake

    try:
        yield factory
    finally:
        for fake in made:
            fake.stop()


class FakeServer:
    """Serve ``app`` on 127.0.0.1 until :meth:`stop`; record every request."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.latency = 0.0  # added to every request (benchmarks)
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in two writes; with Nagle's algorithm on, the body then
            # waits for the client's delayed ACK (about 40 ms a request on Linux).
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                headers = Headers({k.lower(): v for k, v in self.headers.items()})
                request = Request(self.command, parts.path, parse_qs(parts.query), headers, body)
                with server._lock:
                    server.requests.append(request)
                    fault = server._take_fault(request)
                if server.latency:
                    time.sleep(server.latency)
                if fault is not None and fault.kind == "drop_before":
                    self._drop()
                    return
                if fault is not None and fault.kind == "reply":
                    assert fault.reply is not None
                    self._send(fault.reply)
                    return
                if fault is not None and fault.kind == "delay":
                    time.sleep(fault.seconds)
                if fault is not None and fault.kind == "meanwhile":
                    assert fault.action is not None
                    fault.action()
                reply = server.app(request)
                if fault is not None and fault.kind == "drop_after":
                    self._drop()
                    return
                if fault is not None and fault.kind == "hold":
                    assert fault.saved is not None
                    assert fault.release is not None
                    fault.saved.set()
                    fault.release.wait(timeout=30)
                    self._drop()
                    return
                self._send(reply)

            def _drop(self) -> None:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)

            def _send(self, reply: Reply) -> None:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        # A short poll interval keeps shutdown (and so every test's teardown) quick.
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01},
                                        daemon=True)

    def _take_fault(self, request: Request) -> Fault | None:
        for index, fault in enumerate(self.faults):
            if fault.match is None or fault.match(request):
                return self.faults.pop(index)
        return None

    def inject(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
