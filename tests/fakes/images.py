"""An image host on 127.0.0.1: the original addresses of a post's images, and the forums'
CDN (``FakeForum.cdn`` pointed at it), with the shapes downloads meet: redirects, missing
files, HTML where an image was expected, files too large.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

import pytest

from tests.fakes.server import FakeServer, Reply, Request


def png(seed: int = 0, size: int = 2) -> bytes:
    """A small valid PNG, different for each ``seed``."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    pixel = bytes(((seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256))
    rows = b"".join(b"\x00" + pixel * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


class ImageHost:
    """``GET /<path>``: the file added there, a redirect, or a 404 page."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}
        self.redirects: dict[str, str] = {}
        self.server = FakeServer(self)

    def start(self) -> ImageHost:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    @property
    def base(self) -> str:
        return self.server.url

    def url(self, path: str) -> str:
        return f"{self.server.url}/{path.lstrip('/')}"

    def add(self, path: str, data: bytes, content_type: str = "image/png") -> str:
        self.files["/" + path.lstrip("/")] = (data, content_type)
        return self.url(path)

    def redirect(self, path: str, location: str) -> str:
        self.redirects["/" + path.lstrip("/")] = location
        return self.url(path)

    def fetched(self) -> list[str]:
        return [r.path for r in self.server.requests]

    def __call__(self, request: Request) -> Reply:
        if request.method != "GET":
            return Reply.raw(b"Method Not Allowed", 405, "text/plain")
        if request.path in self.redirects:
            return Reply(302, b"", {"Location": self.redirects[request.path]})
        found = self.files.get(request.path)
        if found is None:
            return Reply.html("<html><body>Not found</body></html>", 404)
        data, ctype = found
        return Reply(200, data, {"Content-Type": ctype})


@pytest.fixture
def image_host() -> Iterator[ImageHost]:
    host = ImageHost().start()
    try:
        yield host
    finally:
        host.stop()
