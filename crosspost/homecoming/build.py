"""One remote post as a new file of the site: its place, its images, its text, its record.

The record is the copy's, exactly as a publish leaves it: ``id``, ``url``, ``published`` (when
the platform published it), ``imported`` (now) and ``hash``, the fingerprint of crosspost's
own rendering of the new file for that platform, so that ``status`` says "up to date" and
the next ``publish`` sends nothing. What the platform returns when the copy is read again
(its ``markdown``; for a rich-editor post, the server's conversion) is kept as the last-sent
body and the merge base (``engine.drift``): an untouched copy never looks edited there.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosspost.errors import CrosspostError
from crosspost.homecoming.html_in import SiteForm, convert, image_sources
from crosspost.homecoming.images import ImageStore, Stored, Wanted, ensure_inside, make_folders
from crosspost.homecoming.sources import Item
from crosspost.homecoming.writer import create, front_matter, timestamp, with_records
from crosspost.platforms import TARGETS
from crosspost.sites import Site
from crosspost.sites.newpost import Conventions, Place, safe_slug

_DESCRIPTION = 160


@dataclass
class Built:
    """A post ready to be written (or shown, in a dry run)."""

    path: Path
    text: str
    front: str  # the front matter as written (records included)
    stored: Stored
    warnings: list[str] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)


class Builder:
    """Builds the posts of one run; names are reserved across its threads."""

    def __init__(self, site: Site, conventions: Conventions, images: ImageStore, *,
                 now: dt.datetime) -> None:
        self.site = site
        self.conventions = conventions
        self.images = images
        self.now = now
        self.form = site_form(site, conventions)
        self._lock = threading.Lock()
        self._taken: set[Path] = set()
        self._claimed: set[tuple[str, str]] = set()

    def claim(self, keys: list[tuple[str, str]]) -> bool:
        """Whether this run may bring home the copy ``keys`` name (database, id): once only."""
        with self._lock:
            if self._claimed.intersection(keys):
                return False
            self._claimed.update(keys)
            return True

    # -- the place ---------------------------------------------------------------------------

    def place(self, item: Item) -> Place:
        """A free place for ``item``: ``<slug>``, else ``<slug>-2``, ``<slug>-3``…"""
        slug = safe_slug(item.slug or item.title, fallback=f"post-{item.id}".lower())
        when = item.posted_at or self.now
        with self._lock:
            for n in range(1, 1000):
                place = self.site.new_post_place(slug if n == 1 else f"{slug}-{n}", when,
                                                 self.conventions)
                bundle = place.path.name.startswith("index.")
                if place.path in self._taken or place.path.exists() or (
                        bundle and place.path.parent.exists()):
                    continue
                ensure_inside(self.site, place.path.parent)
                ensure_inside(self.site, place.images)
                self._taken.add(place.path)
                return place
        raise CrosspostError(f"no free file name for {slug!r} in {self.site.root}")

    # -- the text ----------------------------------------------------------------------------

    def build(self, item: Item) -> Built:
        place = self.place(item)
        stored = self.images.bring(_wanted(item), place, target=item.target)
        try:
            return self._build(item, place, stored)
        except BaseException:
            stored.undo()
            raise

    def _build(self, item: Item, place: Place, stored: Stored) -> Built:
        notes: list[tuple[str, str]] = []  # (message, needle)
        if item.kind == "markdown":
            from crosspost.homecoming.forum_markdown import normalise

            normalised = normalise(item.source, self.form)
            body = _swap_images(normalised.text, stored.refs)
            if normalised.changes:
                notes.append(("written in the site's Markdown: " + ", ".join(normalised.changes),
                              ""))
        else:
            source = ("medium" if item.kind == "medium" else
                      "lexical" if item.editor == "lexical" and item.kind == "stored" else "forum")
            body, converted = convert(item.source, self.form, source=source,
                                      base_url=_base_url(item), title=item.title,
                                      images=stored.refs)
            notes.extend((n.message, n.needle) for n in converted)
        notes.extend(stored.warnings)  # each at the line its address is left on
        body = body.strip("\n") + "\n"
        notes.extend(self._site_cannot_show(body))
        fmt = self.conventions.format
        raw = front_matter(self._fields(item, body), fmt) + "\n" + body
        records: dict[str, dict[str, object | None]] = {}
        published = timestamp(item.posted_at) if item.posted_at else None
        imported = timestamp(self.now)
        records[item.target] = {"id": item.id, "url": item.url, "published": published,
                                "imported": imported}
        for target, remote_id, url in item.also:
            records[target] = {"id": remote_id, "url": url, "via": item.target,
                               "published": published, "imported": imported}
        raw = with_records(raw, place.path, records)
        hashes = render_hashes(raw, place.path, self.site, list(records))
        raw = with_records(raw, place.path, {t: {"hash": h} for t, h in hashes.items()})
        warnings = [_placed(message, needle, raw, place.path) for message, needle in notes]
        from crosspost.post import Post

        post = Post.from_text(raw, place.path)
        front = raw[:post.span.body_start]
        return Built(place.path, raw, front, stored, warnings, hashes)

    def _site_cannot_show(self, body: str) -> list[tuple[str, str]]:
        """What the site's generator would not show of the new post, said once each."""
        notes: list[tuple[str, str]] = []
        if self.site.generator == "hugo" and not _goldmark_unsafe(self.site.config):
            for tag, what in (("<details", "collapsible section"), ('<div class="spoiler"',
                                                                   "spoiler"),
                              ("<sub>", "subscript"), ("<sup>", "superscript")):
                if tag in body:
                    notes.append(("Hugo leaves raw HTML out of pages unless "
                                  f"[markup.goldmark.renderer] unsafe = true: this {what} shows "
                                  "on the site only as its text (the file keeps it whole)", tag))
        if self.site.generator == "hugo" and ("{{<" in body or "{{%" in body):
            notes.append(("Hugo reads {{< … >}} and {{% … %}} as shortcodes, even in text: "
                          "write them as {{</* … */>}} if the build complains",
                          "{{<" if "{{<" in body else "{{%"))
        return notes

    def _fields(self, item: Item, body: str) -> list[tuple[str, Any]]:
        conventions = self.conventions
        # A title of blanks is no title to a generator (nor to crosspost's reading of the file).
        fields: list[tuple[str, Any]] = [("title", item.title if item.title.strip() else
                                          "Untitled")]
        when = item.posted_at or self.now
        zone = self.site.zone()
        local = when.astimezone(zone).replace(microsecond=0)
        fields.append(("date", local))
        if conventions.layout:
            fields.append(("layout", conventions.layout))
        if item.tags:
            fields.append((conventions.tags_key, list(item.tags)))
        if conventions.description:
            summary = describe(body)
            if summary:
                fields.append(("description", summary))
        if conventions.draft_key:
            fields.append(("draft", False))
        if self.site.generator == "quartz" and "ExplicitPublish" in (
                self.site.config.get("filters") or ()):
            fields.append(("publish", True))
        if self.site.generator == "jekyll" and ("{{" in body or "{%" in body):
            # Liquid would run over text that only looks like it (`{{ x }}` in a sentence).
            fields.append(("render_with_liquid", False))
        return fields

    # -- after writing ------------------------------------------------------------------------

    def write(self, built: Built) -> None:
        ensure_inside(self.site, built.path.parent)
        make_folders(built.path.parent, built.stored)
        ensure_inside(self.site, built.path.parent)
        try:
            create(built.path, built.text)
        except BaseException:
            built.stored.undo()
            raise


def site_form(site: Site, conventions: Conventions) -> SiteForm:
    """How ``site`` writes what the platforms express in HTML (see :class:`SiteForm`)."""
    engine = site.facts.markdown_engine
    # The renderer's own answer: math written so that the site and crosspost read it alike.
    return SiteForm(dollar_math=site.facts.dollar_math.value is True, caption=conventions.caption,
                    liquid_include=conventions.liquid_include,
                    kramdown=site.generator == "jekyll" and engine == "kramdown",
                    obsidian=site.obsidian, base_path=site.base_path,
                    anchors=site.heading_anchors)


def _goldmark_unsafe(config: Mapping[str, Any]) -> bool:
    node: Any = config
    for key in ("markup", "goldmark", "renderer", "unsafe"):
        node = node.get(key) if isinstance(node, Mapping) else None
    return node is True


def render_hashes(raw: str, path: Path, site: Site, targets: list[str]) -> dict[str, str]:
    """The ``hash`` each target's record gets: of crosspost's rendering of the new file."""
    from crosspost.post import Post
    from crosspost.render import render_post

    post = Post.from_text(raw, path)
    return {target: render_post(post, site, target).hash for target in targets}


def remember(site: Site, path: Path, item: Item, hashes: Mapping[str, str]) -> None:
    """Keep what a read of the copy returns as the last-sent body and the merge base, with
    the recorded hash: the platform-edit check then finds nothing edited there."""
    if item.base is None or not TARGETS[item.target].can_update:
        return
    from crosspost.engine.source import Source
    from crosspost.journal import Journal
    from crosspost.owners import CopyIndex
    from crosspost.post import Post

    source = Source(path, Post.from_path(path), site, Journal(site.root), CopyIndex(site.root))
    source.remember_sent(item.target, item.base)
    source.remember_base(item.target, item.id, item.base, title=item.title,
                         content_hash=hashes.get(item.target))


def describe(body: str) -> str:
    """A description: the first paragraph's words (about 160 characters, whole words; math,
    footnote marks and images left out)."""
    from crosspost.render.markdown import parse

    tokens = parse(body).tokens
    for i, token in enumerate(tokens):
        if token.type != "paragraph_open" or token.level != 0 or i + 1 >= len(tokens):
            continue
        words = []
        for child in tokens[i + 1].children or []:
            if child.type in {"text", "code_inline"}:
                words.append(child.content)
            elif child.type in {"softbreak", "hardbreak"}:
                words.append(" ")
        text = " ".join("".join(words).split())
        if len(text) < 20:
            continue
        if len(text) > _DESCRIPTION:
            text = text[:_DESCRIPTION].rsplit(" ", 1)[0] + "…"
        return text
    return ""


def _wanted(item: Item) -> list[Wanted]:
    base = _base_url(item)
    if item.kind == "markdown":
        from crosspost.render.markdown import parse

        parsed = parse(item.source)
        sources = list(dict.fromkeys(s.href for s in parsed.spans_of("image") if s.href))
    else:
        sources = image_sources(item.source, source="medium" if item.kind == "medium" else "forum",
                                base_url=base)
    mirrors = image_sources(item.served_html, source="forum", base_url=base) \
        if item.served_html and item.kind != "served" else []
    # The server re-hosts every image in order: the n-th of the source is the n-th there.
    paired = len(mirrors) == len(sources)
    return [Wanted(src, mirrors[i] if paired and mirrors[i] != src else None)
            for i, src in enumerate(sources)]


def _swap_images(markdown: str, refs: Mapping[str, str]) -> str:
    """The Markdown with each image's address replaced by its reference in the site."""
    from crosspost.render.markdown import Edit, Layer, parse

    parsed = parse(markdown)
    edits: list[Edit] = []
    for reference in parsed.references:  # `![alt][photo]` … `[photo]: https://…`
        start, end = reference.dest
        written = markdown[start:end]
        ref = refs.get(written.strip("<>"))
        if ref is not None and ref != written.strip("<>") and not ref.startswith("![["):
            edits.append(Edit(start, end, f"<{ref}>" if re.search(r"[\s()<>]", ref) else ref))
    for span in parsed.spans_of("image"):
        ref = refs.get(span.href)
        if ref is None or ref == span.href:
            continue
        if ref.startswith("![["):  # an Obsidian embed replaces the whole image
            alt = span.token.content if span.token is not None else ""
            edits.append(Edit(span.start, span.end, ref[:-2] + (f"|{alt}" if alt else "") + "]]"))
        elif span.dest is not None:
            edits.append(Edit(span.dest[0], span.dest[1],
                              f"<{ref}>" if re.search(r"[\s()<>]", ref) else ref))
    return Layer(markdown).apply(edits).text if edits else markdown


def _base_url(item: Item) -> str:
    return "https://medium.com" if item.target == "medium" else TARGETS[item.target].site_url


def _placed(message: str, needle: str, raw: str, path: Path) -> str:
    """``path:line: message``, the line where ``needle`` is in the file (else the path)."""
    at = raw.find(needle) if needle else -1
    where = f"{path}:{raw.count(chr(10), 0, at) + 1}" if at >= 0 else str(path)
    return f"{where}: {message}"


__all__ = ["Builder", "Built", "describe", "remember", "render_hashes", "site_form"]
