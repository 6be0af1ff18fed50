"""The forums' dialect (LessWrong, EA Forum, Alignment Forum): Markdown as ForumMagnum reads it.

ForumMagnum renders Markdown with markdown-it (reference forummagnum.md §6.2): no raw HTML, no
figures (a caption is an italic line under the image), ``$$…$$`` always display math, and the
``markdown-it-sub``/``-sup`` plugins, which turn ``a~b~c`` into a subscript. The edits here
make a post that was written for kramdown or goldmark mean the same thing there.
"""

from __future__ import annotations

import re

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


def finish(text: str, ctx: RenderContext, attribution: str | None) -> str:
    """The body as sent: the attribution first, the post after it, one final newline."""
    body = text.strip("\n")
    if attribution:
        body = f"{attribution}\n\n{body}" if body else attribution
    return body + "\n"


__all__ = ["ForumEmitter", "finish", "forum_edits", "italic"]
