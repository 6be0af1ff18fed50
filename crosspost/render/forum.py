"""The forums' dialect (LessWrong, EA Forum, Alignment Forum): Markdown as ForumMagnum reads it.

ForumMagnum renders Markdown with markdown-it (reference forummagnum.md §6.2): no raw HTML, no
figures (a caption is an italic line under the image), ``$$…$$`` always display math, and the
``markdown-it-sub``/``-sup`` plugins, which turn ``a~b~c`` into a subscript. The edits here
make a post that was written for kramdown or goldmark mean the same thing there.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from crosspost.render.caption import caption_markdown
from crosspost.render.context import RenderContext
from crosspost.render.html import to_markdown
from crosspost.render.markdown import Edit, Parsed, escape_inline, italic


class ForumEmitter:
    """Markdown for the constructs the source dialects express differently."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx

    def figure(self, src: str, *, alt: str, title: str | None, caption: str | None,
               caption_is_html: bool, link: str | None, offset: int) -> str:
        title_part = ' "' + title.replace('"', '\\"') + '"' if title else ""
        image = f"![{_alt(alt)}]({_url(src)}{title_part})"
        if link:
            image = f"[{image}]({_url(link)})"
        # Markdown and inline HTML alike (``caption_is_html`` makes no difference): Hugo
        # markdownifies a caption, and al-folio's authors write both into theirs.
        text = caption_markdown(caption, self.ctx, offset) if caption else ""
        return f"{image}\n\n{italic(text)}" if text else image

    def embed(self, url: str) -> str:
        # A bare link on its own line: the forums show it (and embed YouTube) as it is.
        return url

    def media(self, url: str, label: str) -> str:
        return f"[{escape_inline(label)}]({_url(url)})"

    def collapsible_open(self, summary: str) -> str:
        # `+++ Summary` … `+++` (markdownCollapsibleSections.ts); a nested section needs a
        # longer marker, because the closing marker must equal the opening one.
        marker = "+" * (3 + self.ctx.collapsible_depth)
        self.ctx.collapsible_depth += 1
        return f"{marker} {' '.join(summary.split()) or 'Details'}"

    def collapsible_close(self) -> str:
        self.ctx.collapsible_depth = max(0, self.ctx.collapsible_depth - 1)
        return "+" * (3 + self.ctx.collapsible_depth)

    def html_block(self, html: str, offset: int) -> str:
        return to_markdown(html, self.ctx, offset)


def _alt(alt: str) -> str:
    return " ".join(alt.replace("[", "\\[").replace("]", "\\]").split())


def _url(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s<>]", url) or url.count("(") != url.count(")") else url


def forum_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """The edits that keep a post's meaning under the forums' Markdown plugins."""
    text = parsed.text
    edits: list[Edit] = []
    for span in parsed.spans_of("math_inline"):
        token = span.token
        if token is None or token.type != "math_inline_double":
            continue
        # kramdown: `$$…$$` inside a paragraph is inline math; the forums: always display.
        # (The parse already refused a closing `$$` followed by a digit, as the forums do.)
        # The TeX is taken from the source, not the token: in a table cell the parser has
        # unescaped `\|`, and a bare `|` would split the cell on the forum.
        tex = text[span.start + 2:span.end - 2].strip()
        edits.append(Edit(span.start, span.end, f"${tex}$"))
    for span in parsed.spans_of("sub", "sup"):
        marker = text[span.start]
        if marker == "~" and ctx.site.generator == "hugo":
            continue  # strikethrough in goldmark: ``shortcodes.strikethrough_edits``
        # No source dialect has sub/superscript syntax: the author meant the characters.
        edits.append(Edit(span.start, span.start + 1, "\\" + marker))
        edits.append(Edit(span.end - 1, span.end, "\\" + marker))
    return edits


def heading_texts(parsed: Parsed) -> list[str]:
    """The text of each heading, in order, as a browser's ``textContent`` reads it."""
    texts: list[str] = []
    tokens = parsed.tokens
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and i + 1 < len(tokens):
            children = tokens[i + 1].children or []
            texts.append("".join(c.content for c in children
                                 if c.type in {"text", "code_inline", "math_inline"}))
    return texts


def forum_anchors(texts: list[str]) -> list[str]:
    """The anchors the forums give headings (``titleToAnchor`` in ``pl/lib/tableOfContents.ts``):
    every character outside ``[A-Za-z0-9_]`` becomes ``_``; a repeated (or reserved) anchor
    gets ``1``, ``2``… appended."""
    used: set[str] = set()
    out: list[str] = []
    for text in texts:
        anchor = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "_") else "_"
                         for ch in text[:300])
        if anchor in used or anchor in {"top", "comments"}:
            n = 1
            while f"{anchor}{n}" in used:
                n += 1
            anchor = f"{anchor}{n}"
        used.add(anchor)
        out.append(anchor)
    return out


def anchor_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """A link to a heading of the post (``#the-heading``, as the site names it) points at
    the same heading as the forums name it (``#The_Heading``)."""
    links = [s for s in parsed.spans_of("link")
             if s.dest is not None and parsed.text.startswith("#", s.dest[0])]
    if not links:
        return []
    texts = heading_texts(parsed)
    mapping = dict(zip(ctx.site.heading_anchors(texts), forum_anchors(texts), strict=True))
    edits: list[Edit] = []
    for span in links:
        assert span.dest is not None
        wanted = unquote(parsed.text[span.dest[0] + 1:span.dest[1]])
        if wanted in mapping and mapping[wanted] != wanted:
            edits.append(Edit(span.dest[0], span.dest[1], "#" + mapping[wanted]))
    return edits


def finish(text: str, ctx: RenderContext, attribution: str | None) -> str:
    """The body as sent: the attribution first, the post after it, one final newline."""
    body = text.strip("\n")
    if attribution:
        body = f"{attribution}\n\n{body}" if body else attribution
    return body + "\n"


__all__ = ["ForumEmitter", "anchor_edits", "finish", "forum_anchors", "forum_edits", "heading_texts",
           "italic"]
