"""A post's images, brought into the site beside it (or left where they are).

Each image is fetched through the HTTP seam (:func:`crosspost.http.download`: https only,
loopback aside; no redirect to another scheme; at most :data:`MAX_BYTES`), checked to be an
image by its first bytes (not by what the server says), named safely, and created with
``O_EXCL`` inside the folder the site's posts keep images in: never outside the site, never
over an existing file. A dead original address falls back to the platform's re-hosted copy
(ForumMagnum mirrors every image to its CDN, ``reference/import.md`` §3); an image that still
cannot be fetched keeps its remote address, with a warning.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from crosspost.errors import CrosspostError, InputError
from crosspost.sites.newpost import safe_file_name

if TYPE_CHECKING:
    from crosspost.http import HttpSettings
    from crosspost.sites import Site
    from crosspost.sites.newpost import Place

MAX_BYTES = 25_000_000  # 25 MB per file
# Posts imported side by side share folders (``static/images``): creating and removing them
# is one thread's at a time, so one post never trips on, or removes, another's folder.
_FOLDERS = threading.Lock()
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "png"), (0, b"\xff\xd8\xff", "jpg"), (0, b"GIF87a", "gif"),
    (0, b"GIF89a", "gif"), (8, b"WEBP", "webp"), (4, b"ftypavif", "avif"),
)


@dataclass(frozen=True)
class Wanted:
    """An image the post shows: its address in the source, and the platform's copy of it."""

    src: str
    mirror: str | None = None


@dataclass
class Stored:
    """What became of a post's images."""

    refs: dict[str, str] = field(default_factory=dict)  # src -> reference in the post
    written: list[Path] = field(default_factory=list)  # files created (removed on failure)
    folders: list[Path] = field(default_factory=list)  # folders created (likewise, if empty)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (message, address)
    planned: list[tuple[str, Path]] = field(default_factory=list)  # dry run: src -> file
    fetched: list[tuple[str, Path]] = field(default_factory=list)  # address -> file written

    def undo(self) -> None:
        """Remove what this post created: its images, then its (empty) folders."""
        for path in self.written:
            with contextlib.suppress(OSError):
                path.unlink()
        with _FOLDERS:
            for folder in reversed(self.folders):
                with contextlib.suppress(OSError):
                    folder.rmdir()


def svg_runs_code(data: bytes) -> bool:
    """Whether an SVG holds what a browser runs: ``<script>``, ``<foreignObject>`` (HTML
    inside), ``on…`` event attributes, or ``javascript:`` links."""
    from defusedxml.ElementTree import fromstring

    for node in fromstring(data).iter():  # comments and processing instructions are dropped
        if node.tag.rsplit("}", 1)[-1].lower() in {"script", "foreignobject", "handler"}:
            return True
        for name, value in node.attrib.items():
            if name.rsplit("}", 1)[-1].lower().startswith("on") \
                    or "javascript:" in "".join(value.split()).lower():
                return True
    return False


def image_kind(data: bytes) -> str | None:
    """The image format ``data`` is, by its first bytes (SVG: an XML document whose root is
    ``<svg>``); None when it is no image."""
    for offset, magic, kind in _SIGNATURES:
        if data[offset:offset + len(magic)] == magic:
            return kind
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!--")) and b"<svg" in data[:4096].lower():
        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import ParseError, fromstring

        try:
            root = fromstring(data)
        except (ParseError, DefusedXmlException, ValueError):
            return None
        return "svg" if root.tag.rsplit("}", 1)[-1] == "svg" else None
    return None


class ImageStore:
    """Brings the images of the posts of one run into the site (names unique per folder)."""

    def __init__(self, site: Site, http: HttpSettings, *, keep_remote: bool,
                 dry_run: bool) -> None:
        self.site = site
        self.http = http
        self.keep_remote = keep_remote
        self.dry_run = dry_run
        self._lock = threading.Lock()
        self._taken: set[Path] = set()

    def bring(self, wanted: Sequence[Wanted], place: Place, *, target: str) -> Stored:
        stored = Stored()
        if self.keep_remote:
            stored.refs = {w.src: w.src for w in wanted}
            return stored
        for item in wanted:
            if item.src in stored.refs:
                continue
            if self.dry_run:
                path = self._reserve(place, _name_of(item.src), None)
                stored.planned.append((item.src, path))
                stored.refs[item.src] = self._reference(place, path.name)
                continue
            ref, warning = self._one(item, place, stored, target=target)
            stored.refs[item.src] = ref
            if warning:
                stored.warnings.append((warning, item.src))
        return stored

    def _one(self, item: Wanted, place: Place, stored: Stored, *, target: str) -> tuple[str, str | None]:
        from crosspost.http import download

        failures: list[str] = []
        for url in dict.fromkeys(u for u in (item.src, item.mirror) if u):
            try:
                got = download(url, self.http, max_bytes=MAX_BYTES, target=target)
            except CrosspostError as exc:
                failures.append(exc.text(with_target=False))
                continue
            kind = image_kind(got.content)
            if kind is None:
                failures.append(f"{url} is not an image (it starts like "
                                f"{got.content[:16]!r}, {got.content_type or 'no type'})")
                continue
            if kind == "svg" and svg_runs_code(got.content):
                # Served from the site, its scripts would run as the site's own.
                failures.append(f"{url} is an SVG that carries scripts, not copied into the site")
                continue
            try:
                path = self._write(place, _name_of(url), kind, got.content, stored)
            except OSError as exc:
                raise InputError(f"cannot write the image {url} into {place.images}: "
                                 f"{exc.strerror or exc}") from exc
            except CrosspostError:  # the name was taken meanwhile (by another program)
                failures.append(f"{place.images} changed while the image was written")
                continue
            stored.fetched.append((url, path))
            return self._reference(place, path.name), None
        return item.src, (f"the image {item.src} was left where it is ("
                          + "; ".join(failures) + ")")

    def _reference(self, place: Place, name: str) -> str:
        return f"![[{name}]]" if place.embeds else place.image_prefix + name

    def _reserve(self, place: Place, name: str, kind: str | None) -> Path:
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        if kind is not None and ext.lower() not in {kind, "jpeg" if kind == "jpg" else kind}:
            ext = kind
        stem = place.image_name_prefix + stem
        with self._lock:
            for n in range(1, 10_000):
                candidate = place.images / (f"{stem}-{n}" if n > 1 else stem)
                candidate = candidate.with_name(candidate.name + (f".{ext}" if ext else ""))
                if candidate not in self._taken and not os.path.lexists(candidate):
                    self._taken.add(candidate)
                    return candidate
        raise InputError(f"no free name for {name} in {place.images}")

    def _write(self, place: Place, name: str, kind: str, data: bytes, stored: Stored) -> Path:
        folder = self._folder(place.images, stored)
        path = self._reserve(place, name, kind)
        if path.parent != place.images:
            raise InputError(f"refused to write {path}: outside {folder}")
        from crosspost.homecoming.writer import create

        create(path, data)  # never over a file that is there; never half a file
        stored.written.append(path)
        return path

    def _folder(self, folder: Path, stored: Stored) -> Path:
        """Create ``folder`` (and its parents) inside the site, refusing any that resolves
        outside it (a symlink pointing elsewhere)."""
        ensure_inside(self.site, folder)
        make_folders(folder, stored)
        ensure_inside(self.site, folder)
        return folder


def make_folders(folder: Path, stored: Stored) -> None:
    """Create ``folder`` and its missing parents, each recorded in ``stored`` for undo; one
    made meanwhile by another program is used, not claimed."""
    with _FOLDERS:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        for path in reversed(missing):
            try:
                path.mkdir()
            except FileExistsError:
                if not path.is_dir():
                    raise
                continue
            stored.folders.append(path)


def ensure_inside(site: Site, path: Path) -> Path:
    """``path``'s real location (symlinks followed), or an InputError when that is not
    inside the site."""
    existing = path
    while not os.path.lexists(existing) and existing.parent != existing:
        existing = existing.parent
    rest = path.relative_to(existing)
    real = existing.resolve() / rest
    if ".." in rest.parts or not site.within(real):
        raise InputError(f"refused to write {path}: it is not inside the site {site.root}",
                         hint="a folder of the site is a link to somewhere else; import into a "
                         "site whose folders are its own")
    return real


def _name_of(url: str) -> str:
    path = unquote(urlsplit(url).path)
    return safe_file_name(PurePosixPath(path).name or "image")


__all__ = ["MAX_BYTES", "ImageStore", "Stored", "Wanted", "ensure_inside", "image_kind"]
