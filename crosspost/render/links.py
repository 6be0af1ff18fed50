"""Where links and images point once the post leaves its site.

Three rules, in this order:

1. Relative references become absolute against the post's canonical URL (``site.absolute_url``);
   the query string and fragment are carried over byte for byte (``#:~:text=`` fragments are
   easily damaged by re-encoding).
2. A link to another post of the same site that already has a copy on this target points at
   that copy (an Alignment Forum post may point at the LessWrong copy: same database).
3. A link to this post's own copy on this target ("Cross-posted on [LessWrong](…)") would be
   a post linking to itself: the paragraph goes when it is only that notice, otherwise the
   link becomes plain text. Only a copy the post records counts; a link to an unrecorded
   post inside a cross-post notice is left as it is and handed to the engine as a candidate
   (``Rendered.copy_candidates``), which adopts it only when it is this post's copy (then
   renders again with it recorded).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import unquote

from crosspost.errors import CrosspostError
from crosspost.platforms import TARGETS, TargetInfo
from crosspost.render import Asset
from crosspost.render.context import RenderContext
from crosspost.render.markdown import Edit, Parsed, Span, block_edit
from crosspost.sites import MARKDOWN_SUFFIXES

if TYPE_CHECKING:
    from crosspost.post import Post

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# Words that make a paragraph an announcement of copies elsewhere. A link to a forum post
# with an unrecorded id counts as this post's own copy only inside such a paragraph.
_NOTICE_WORDS = re.compile(
    r"\b(?:cross[- ]?post(?:ed|ing)?|x-?post(?:ed)?|also (?:posted|published|available|appears?|on|at)"
    r"|originally (?:posted|published)|republished|mirrored|discuss(?:ion)? (?:on|at)|comments? (?:on|at))\b",
    re.IGNORECASE,
)
_MEDIUM_REFUSED = frozenset({"svg", "webp", "avif", "heic", "bmp", "ico", "jxl"})
# What a reference's extension must look like to name a file (not "v1.2", not "/about/"),
# and the extensions of what generators make from sources: pages, feeds, sitemaps.
_FILE_SUFFIX = re.compile(r"\.(?=[a-z0-9]*[a-z])[a-z0-9]{1,10}")
_PAGE_SUFFIXES = MARKDOWN_SUFFIXES | {".html", ".htm", ".xhtml", ".shtml", ".php", ".xml",
                                      ".rss", ".atom", ".json", ".txt", ".liquid"}
# A notice paragraph that says little else: at most this many words outside its links.
_NOTICE_MAX_WORDS = 12


def is_notice(text: str) -> bool:
    """Whether ``text`` (a paragraph) announces copies elsewhere ("Cross-posted on …")."""
    return bool(_NOTICE_WORDS.search(text))


def split_tail(url: str) -> tuple[str, str]:
    """``url`` split before its query string or fragment, whichever comes first."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return url[:cut], url[cut:]


class LinkResolver:
    """Absolutises references and applies the sibling-copy rule for one rendering."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        same = [info for info in TARGETS.values() if info.database == ctx.info.database]
        self.same_database: list[TargetInfo] = [ctx.info] + [i for i in same if i is not ctx.info]
        self.recorded_ids = set(self._recorded_ids())
        # The same reference often appears more than once (an image and the link around
        # it); the site's answers are pure, so each is asked once per rendering.
        self._absolute: dict[str, str] = {}
        self._links: dict[str, str] = {}

    def _recorded_ids(self) -> Iterator[str]:
        blocks = self.ctx.post.crosspost
        for info in self.same_database:
            record = blocks.get(info.name) or {}
            if isinstance(record.get("id"), str):
                yield record["id"]
            url = record.get("url")
            if isinstance(url, str):
                found = info.post_id_in(url)
                if found:
                    yield found

    # -- rule 1 ---------------------------------------------------------------------------

    def absolute(self, url: str) -> str:
        """``url`` made absolute; anything after ``?`` or ``#`` is kept exactly.

        A relative reference goes through ``Site.published_url``, which knows where the
        generator publishes what it names (al-folio's ``assets/…`` is site-relative, a
        ``.md`` file is a sibling post); only the part before ``?``/``#`` is handed over.
        """
        if not url or _SCHEME.match(url):
            return url
        if url.startswith("//"):
            return "https:" + url
        if url not in self._absolute:
            self._absolute[url] = self._resolve(url)
        return self._absolute[url]

    def _resolve(self, url: str) -> str:
        head, tail = split_tail(url)
        if not head:
            return split_tail(self.ctx.canonical_url)[0] + tail
        if head.startswith("/"):
            return self.ctx.site.absolute_url(head, post=self.ctx.post) + tail
        return self.ctx.site.published_url(head, post=self.ctx.post) + tail

    # -- rule 2 ---------------------------------------------------------------------------

    def link(self, url: str, offset: int | None = None) -> str:
        """Where a link to ``url`` should point on this target.

        With ``offset`` (where the link is), a link to a file the site lacks is reported.
        """
        if offset is not None:
            self.check_file(url, offset, image=False)
        if url not in self._links:
            self._links[url] = self._link(url)
        return self._links[url]

    def _link(self, url: str) -> str:
        absolute = self.absolute(url)
        if not absolute.startswith(("http://", "https://")):
            return absolute
        # A link to the post's own address is how readers find the original: it never
        # becomes the copy. Both the address and the file are compared (the user may have
        # typed a relative path; the site's posts have resolved ones).
        if self.ctx.site.same_address(absolute, self.ctx.canonical_url):
            return absolute
        try:
            other = self.ctx.site.post_for_url(absolute)
        except CrosspostError:
            other = None
        if other is None or other.is_same_file(self.ctx.post):
            return absolute
        copy = self.copy_of(other)
        if copy is None:
            return absolute
        fragment = absolute[absolute.find("#"):] if "#" in absolute else ""
        return copy + fragment

    def copy_of(self, other: Post) -> str | None:
        """The URL of ``other``'s copy on this target, if its front matter records one."""
        try:
            blocks = other.crosspost
        except CrosspostError:
            return None
        names = [self.ctx.target] + (["lesswrong"] if self.ctx.target == "alignmentforum" else [])
        for name in names:
            url = (blocks.get(name) or {}).get("url")
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                return url
        return None

    def image(self, url: str, offset: int | None = None) -> str:
        """Where an image is fetched from; local files of the site are listed as assets."""
        absolute = self.absolute(url)
        if url.startswith("data:"):
            return url
        try:
            local = self.ctx.site.local_file(split_tail(url)[0], post=self.ctx.post)
        except CrosspostError:
            local = None
        if local is None and offset is not None:
            self.check_file(url, offset, image=True)
        if local is not None and absolute not in self.ctx.assets:
            self.ctx.assets[absolute] = Asset(url=absolute, path=local)
        suffix = split_tail(absolute)[0].rsplit(".", 1)[-1].lower()
        if (self.ctx.dialect == "medium" and suffix in _MEDIUM_REFUSED and offset is not None
                and local is None):
            # Medium takes JPEG, PNG, GIF and TIFF only (reference medium.md §2.6). A local
            # file is the Medium adapter's to judge when it uploads the assets.
            self.ctx.warn(offset, f"Medium does not take .{suffix} images: {absolute} may not show")
        return absolute

    def check_file(self, ref: str, offset: int, *, image: bool, shown: str | None = None) -> None:
        """Warn when ``ref`` (relative or root-relative) names a file the site does not have.

        On the site a missing file is a broken image the author sees; in a copy it is just
        as broken, and nobody looks. Only references with a file extension count: a page,
        post or section address (``/about/``, ``notes.html``, ``other-post.md``, ``feed.xml``)
        is the generator's to produce, not a file to find. ``shown`` is the reference as the
        author wrote it, when ``ref`` is what the generator made of it.
        """
        head = split_tail(ref)[0]
        if not head or head.startswith("//") or _SCHEME.match(head):
            return
        suffix = posixpath.splitext(unquote(head).rstrip("/").rsplit("/", 1)[-1])[1].lower()
        if head.endswith("/") or not _FILE_SUFFIX.fullmatch(suffix) or suffix in _PAGE_SUFFIXES:
            return
        site = self.ctx.site
        try:
            if site.local_file(head, post=self.ctx.post) is not None:
                return
            if site.post_for_url(self.absolute(head)) is not None:
                return
        except CrosspostError:
            return
        effect = "it will not show" if image else "the link will not work"
        self.ctx.warn(offset, f"{shown or head} is not a file of the site: {effect} unless the live "
                      "site serves it")

    # -- rule 3 ---------------------------------------------------------------------------

    def post_id(self, url: str) -> str | None:
        """The id if ``url`` is a post on this target (or a target of its database)."""
        for info in self.same_database:
            found = info.post_id_in(url)
            if found is not None:
                return found
        return None


def link_label_end(text: str, start: int) -> int:
    """The offset of the ``]`` that closes the link label opening at ``text[start]``."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def self_link_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """Remove or unlink the links to this post's own copy on this target."""
    text = parsed.text
    edits: list[Edit] = []
    by_block: dict[int, list[Span]] = {}
    for span in parsed.spans_of("link", "linkify"):
        by_block.setdefault(id(span.block), []).append(span)
    if not by_block:
        return edits
    for i, token in enumerate(parsed.tokens):
        if token.type != "inline" or id(token) not in by_block:
            continue
        spans = by_block[id(token)]
        in_paragraph = i > 0 and parsed.tokens[i - 1].type == "paragraph_open"
        notice = bool(_NOTICE_WORDS.search(token.content))
        own: list[tuple[Span, str]] = []
        for span in spans:
            found = ctx.links.post_id(span.href)
            if found is None:
                continue
            if found in ctx.links.recorded_ids:
                own.append((span, found))
            elif notice and span.href not in ctx.copy_candidates:
                # Maybe this post's copy, maybe another post's (this site's, or someone
                # else's): the engine decides, with the site's records and the platform.
                # Until then the sentence stays as written.
                ctx.copy_candidates.append(span.href)
                ctx.inform(span.start, f"the link to {ctx.label} post {found} in a cross-post "
                           "notice is taken as this post's copy only if it is yours, matches "
                           "this post, and no other file records it (then the link goes)")
        if not own:
            continue
        for _, found in own:
            if found not in ctx.self_ids:
                ctx.self_ids.append(found)
        start, end = parsed.block_range(token)
        if in_paragraph and notice and len(own) == len(spans) and _few_words(text, start, end, spans):
            edits.append(block_edit(text, start, end, ""))
            continue
        for span, _ in own:
            if span.kind == "linkify":
                edits.append(Edit(span.start, span.end, ctx.label))
            else:
                label_end = link_label_end(text, span.start)
                if label_end > span.start:
                    edits.append(Edit(span.start, span.end, text[span.start + 1:label_end]))
    return edits


def _few_words(text: str, start: int, end: int, spans: list[Span]) -> bool:
    rest = []
    cursor = start
    for span in spans:
        rest.append(text[cursor:span.start])
        cursor = span.end
    rest.append(text[cursor:end])
    return len(re.findall(r"\w+", " ".join(rest))) <= _NOTICE_MAX_WORDS


def link_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """Rewrite every Markdown link and image destination (inline and reference style)."""
    text = parsed.text
    edits: list[Edit] = []
    for span in parsed.spans_of("link", "image"):
        if span.dest is None:
            continue
        start, end = span.dest
        raw = text[start:end]
        angle = raw.startswith("<") and raw.endswith(">")
        url = raw[1:-1] if angle else raw
        new = ctx.links.image(url, start) if span.kind == "image" else ctx.links.link(url, start)
        if new != url:
            edits.append(Edit(start, end, f"<{new}>" if angle or " " in new else new))
    for span in parsed.spans_of("linkify"):
        url = text[span.start:span.end]
        new = ctx.links.link(url)
        if new != url:
            edits.append(Edit(span.start, span.end, new))
    image_refs = _reference_kinds(parsed)
    for ref in parsed.references:
        start, end = ref.dest
        raw = text[start:end]
        angle = raw.startswith("<") and raw.endswith(">")
        url = raw[1:-1] if angle else raw
        label = _reference_label(text, ref.start)
        new = ctx.links.image(url, start) if label in image_refs else ctx.links.link(url, start)
        if new != url:
            edits.append(Edit(start, end, f"<{new}>" if angle or " " in new else new))
    return edits


def _reference_label(text: str, start: int) -> str:
    opening = text.find("[", start)
    closing = link_label_end(text, opening)
    return " ".join(text[opening + 1:closing].split()).casefold()


def _reference_kinds(parsed: Parsed) -> set[str]:
    """Labels of reference definitions used by images (their files are assets)."""
    labels: set[str] = set()
    for span in parsed.spans_of("image"):
        if span.dest is None:
            source = parsed.text[span.start:span.end]
            found = re.search(r"\]\s*\[([^\]]*)\]$", source)
            label = found.group(1) if found and found.group(1) else source[2:source.find("]")]
            labels.add(" ".join(label.split()).casefold())
    return labels


__all__ = ["LinkResolver", "is_notice", "link_edits", "link_label_end", "self_link_edits",
           "split_tail"]
