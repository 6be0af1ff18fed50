"""One ``crosspost import``: the posts asked for, read concurrently, written one file each.

Order of a run:

1. the site (its URL is needed: the copy's record hashes crosspost's rendering of the new
   file, which links to the site) and how its posts are written;
2. what is asked: addresses (each checked before anything is fetched), or every published
   post of a user, listed page by page;
3. the site's lock (not for a dry run), then, ``jobs`` at a time: a post the site already has
   (a file records it, announces it in a cross-post notice, or names it under another
   tool's key) is named and skipped before it is read; the others are read, converted,
   given their images and written, each on its own: one failure costs its post only;
4. a last look with the site as it now is: the recorded hashes still match (a post may link
   to another imported in the same run).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from crosspost.errors import CrosspostError, InputError
from crosspost.homecoming.model import (
    ALREADY,
    FAILED,
    PLANNED,
    SKIPPED,
    WRITTEN,
    ImportOptions,
    ImportReport,
    ImportResult,
)
from crosspost.homecoming.sources import FORUMS, Address, Item, Readers, parse_address
from crosspost.platforms import TARGETS

if TYPE_CHECKING:
    from crosspost.homecoming.build import Builder
    from crosspost.http import HttpSettings
    from crosspost.owners import CopyIndex
    from crosspost.sites import Site

_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")


def import_posts(options: ImportOptions) -> ImportReport:
    """Bring the posts ``options`` names into the site (see the module docstring)."""
    from crosspost.http import HttpSettings
    from crosspost.sites import Site

    http = options.http or HttpSettings()
    site = Site.discover(Path(options.site))
    site.require_url()
    report = ImportReport(site.root)
    medium = site.settings.targets.get("medium", {})
    username = medium.get("username") if isinstance(medium.get("username"), str) else None
    readers = Readers(options.environ, http, medium_user=username)
    try:
        addresses = _addresses(options, readers, report)
        if options.on_total is not None:
            options.on_total(len(addresses) + len(report.results))
        for result in report.results:
            _emit(options, result)
        if not addresses:
            return report
        with _Gate(site.root, options) as gate:
            _run(options, site, readers, addresses, report, http, gate)
            if gate.held:
                _settle(site.root, report)
    finally:
        readers.close()
    return report


class _Gate:
    """The site's lock, taken when the first post is about to be written (a run that only
    finds posts the site has, or only fails, leaves the site as it was), and the index of
    the site's copies as it is once the lock is held."""

    def __init__(self, root: Path, options: ImportOptions) -> None:
        self.root = root
        self.options = options
        self.held = False
        self._lock = threading.Lock()
        self._stack = contextlib.ExitStack()
        self._index: CopyIndex | None = None

    def __enter__(self) -> _Gate:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def index(self) -> CopyIndex:
        """The index to decide with before writing (the lock taken first, unless a dry run)."""
        from crosspost.owners import CopyIndex

        with self._lock:
            if not self.held and not self.options.dry_run:
                from crosspost.lock import site_lock

                self._stack.enter_context(site_lock(self.root, wait=self.options.lock_wait,
                                                    on_wait=self.options.on_wait))
                self.held = True
                self._index = None  # read again: another run may have recorded meanwhile
            if self._index is None:
                self._index = CopyIndex(self.root)
            return self._index


def _addresses(options: ImportOptions, readers: Readers, report: ImportReport) -> list[Address]:
    if options.user:
        source = options.source or "lesswrong"
        if source == "medium":
            raise InputError("--user lists a forum's posts; Medium cannot be listed (its feed "
                             "holds only the latest ten stories)",
                             hint="import Medium stories by their addresses")
        if source not in FORUMS:
            raise InputError(f"crosspost imports from the forums and Medium, not from "
                             f"{TARGETS[source].label}",
                             hint="--from lesswrong, eaforum or alignmentforum")
        return list(_listed(options, readers, source, report))
    found: list[Address] = []
    seen: set[tuple[str, str]] = set()
    for url in options.urls:
        try:
            address = parse_address(url)
        except CrosspostError as exc:
            report.results.append(ImportResult(url, FAILED, message=exc.text(), error=exc))
            continue
        key = (TARGETS[address.target].database, address.id)
        if key not in seen:
            seen.add(key)
            found.append(address)
    return found


def _listed(options: ImportOptions, readers: Readers, source: str,
            report: ImportReport) -> list[Address]:
    from crosspost.targets.forummagnum_read import find_user, list_posts

    adapter = readers.adapter(source)
    user_id, name = find_user(adapter, options.user or "")
    out: list[Address] = []
    for listed in list_posts(adapter, user_id, since=options.since, limit=options.limit):
        url = f"{TARGETS[source].site_url}/posts/{listed.id}"
        if listed.skip is not None:
            report.results.append(ImportResult(url, SKIPPED, title=listed.title,
                                               message=f"{listed.skip}, not an article"))
            continue
        out.append(Address(source, listed.id, url))
    report.notes.append(f"{name} has {len(out)} published post{'s' * (len(out) != 1)} on "
                        f"{TARGETS[source].label}" + (f" since {options.since:%Y-%m-%d}"
                                                      if options.since else ""))
    return out


def _run(options: ImportOptions, site: Site, readers: Readers, addresses: list[Address],
         report: ImportReport, http: HttpSettings, gate: _Gate) -> None:
    from crosspost.homecoming.build import Builder
    from crosspost.homecoming.images import ImageStore
    from crosspost.owners import CopyIndex
    from crosspost.sites.newpost import read_conventions

    seen = CopyIndex(site.root)  # before the lock: to skip reading what the site has
    links = _linked_copies(site)
    images = ImageStore(site, http, keep_remote=options.keep_remote_images,
                        dry_run=options.dry_run)
    builder = Builder(site, read_conventions(site), images, now=options.now())
    lock = threading.Lock()

    def one(address: Address) -> None:
        result = _import(address, options, readers, builder, seen, gate, links)
        with lock:
            report.results.append(result)
        _emit(options, result)

    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        for future in [pool.submit(one, address) for address in addresses]:
            future.result()


def _import(address: Address, options: ImportOptions, readers: Readers, builder: Builder,
            seen: CopyIndex, gate: _Gate, links: dict[tuple[str, str], Path]) -> ImportResult:
    from crosspost.homecoming.build import remember

    site = builder.site
    try:
        owner = _owner(seen, links, site, TARGETS[address.target].database, address.id)
        if owner is not None:
            return ImportResult(address.given, ALREADY, path=owner[0], message=owner[1])
        item = (readers.medium_item(address.id) if address.target == "medium"
                else readers.forum_item(address.target, address.id))
        home = _home_of_story(site, item)
        if home is not None:
            return ImportResult(address.given, ALREADY, title=item.title, path=home,
                                message="the story links to this post of the site as its original")
        index = gate.index()
        for target, remote_id in [(item.target, item.id), *((t, i) for t, i, _ in item.also)]:
            owner = _owner(index, links, site, TARGETS[target].database, remote_id)
            if owner is not None:
                return ImportResult(address.given, ALREADY, title=item.title, path=owner[0],
                                    message=owner[1])
        keys = [(TARGETS[t].database, i) for t, i in
                [(item.target, item.id), *((t, i) for t, i, _ in item.also)]]
        if not builder.claim(keys):
            return ImportResult(address.given, ALREADY, title=item.title,
                                message="another address of this run names the same post")
        built = builder.build(item)
        result = ImportResult(address.given, PLANNED if options.dry_run else WRITTEN,
                              title=item.title, path=built.path, warnings=built.warnings,
                              front_matter=built.front)
        result.images = list(built.stored.planned if options.dry_run else built.stored.fetched)
        if not options.dry_run:
            builder.write(built)
            remember(site, built.path, item, built.hashes)
            from crosspost.post import Post

            index.update(Post.from_path(built.path))
        return result
    except CrosspostError as exc:
        return ImportResult(address.given, FAILED, message=exc.text(), error=exc)


def _owner(index: CopyIndex, links: dict[tuple[str, str], Path], site: Site, database: str,
           remote_id: str) -> tuple[Path, str] | None:
    """The file of the site that already has this copy, and how it says so."""
    claims = index.claims(database, [remote_id])
    if claims:
        claim = claims[0]
        how = ("records it" if claim.recorded else f"names it under `{claim.where}`")
        return claim.path, f"{site.relative_path(claim.path)} {how}"
    linked = links.get((database, remote_id))
    if linked is not None:
        return linked, f"{site.relative_path(linked)} links to it as its cross-post"
    return None


def _linked_copies(site: Site) -> dict[tuple[str, str], Path]:
    """(database, id) of every post the site's Markdown files name as their own copy, by
    the file: an address in the front matter, or a link in a cross-post notice ("Cross-posted
    on [LessWrong](…)"). A post that only cites another ("as I wrote in …") does not have it."""
    from crosspost.post import split
    from crosspost.render.links import is_notice
    from crosspost.render.markdown import parse
    from crosspost.sites.files import walk_markdown

    found: dict[tuple[str, str], Path] = {}
    hosts = ("lesswrong.com", "effectivealtruism.org", "alignmentforum.org", "medium.com")
    for path in walk_markdown(site.root):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
            span = split(text, path)
        except (OSError, CrosspostError):
            continue
        if not any(host in text for host in hosts):
            continue
        urls = [m.group(0) for m in _URL.finditer(text[:span.body_start])]
        parsed = parse(text[span.body_start:])
        for link in parsed.spans_of("link", "linkify", "autolink"):
            if is_notice(link.block.content):
                urls.append(link.href)
        for token in parsed.tokens:  # a notice written in HTML
            if token.type == "html_block" and is_notice(token.content):
                urls.extend(m.group(0) for m in _URL.finditer(token.content))
        for url in urls:
            try:
                address = parse_address(url.rstrip(".,;:!?"))
            except CrosspostError:
                continue
            found.setdefault((TARGETS[address.target].database, address.id), path)
    return found


def _home_of_story(site: Site, item: Item) -> Path | None:
    """A Medium story imported by Medium from the site links to the post it came from."""
    if item.target != "medium":
        return None
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(item.source, "html.parser")
    for link in soup.find_all("a", href=True):
        href = str(link.get("href") or "")
        if not href.startswith(("http://", "https://")) or site.url is None:
            continue
        try:
            post = site.post_for_url(href)
        except CrosspostError:
            post = None
        if post is not None:
            return Path(post.path)
    return None


def _settle(root: Path, report: ImportReport) -> None:
    """Check each new file's hashes with the site as it is now (siblings included)."""
    from crosspost.homecoming.build import render_hashes
    from crosspost.post import Post
    from crosspost.record import record_results
    from crosspost.sites import Site

    written = [r for r in report.results if r.status == WRITTEN and r.path is not None]
    if not written:
        return
    site = Site.discover(root)
    for result in written:
        assert result.path is not None
        try:
            post = Post.from_path(result.path)
            targets = [t for t, record in post.crosspost.items() if record.get("imported")]
            hashes = render_hashes(post.raw, result.path, site, targets)
            changed = {t: {"hash": h} for t, h in hashes.items()
                       if post.crosspost[t].get("hash") != h}
            if changed:
                record_results(result.path, changed, expected=post.raw)
                _rebase(site, result.path, post, changed)
        except CrosspostError as exc:
            result.warnings.append(f"{result.path}: could not check its record again: {exc}")


def _rebase(site: Site, path: Path, post: object, changed: dict[str, dict[str, str]]) -> None:
    """Move the kept merge base to the corrected hash."""
    from crosspost.engine.source import Source
    from crosspost.journal import Journal
    from crosspost.owners import CopyIndex
    from crosspost.post import Post

    source = Source(path, Post.from_path(path), site, Journal(site.root), CopyIndex(site.root))
    for target, values in changed.items():
        record = source.post.crosspost.get(target, {})
        kept = source.merge_base(target, str(record.get("id") or ""))
        if kept is not None:
            source.remember_base(target, str(record["id"]), kept["body"], title=kept.get("title"),
                                 content_hash=values["hash"])


def _emit(options: ImportOptions, result: ImportResult) -> None:
    if options.on_event is not None:
        options.on_event(result)


def parse_since(text: str) -> dt.datetime:
    """``--since``: a date (midnight UTC) or an ISO time."""
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--since {text!r} is not a date", hint="write it as YYYY-MM-DD") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


__all__ = ["import_posts", "parse_since"]
