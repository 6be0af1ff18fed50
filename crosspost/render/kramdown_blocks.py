"""kramdown's HTML blocks: where Jekyll's Markdown and the forums' CommonMark part ways.

CommonMark (markdown-it, the forums) ends an HTML block such as ``<p>`` or ``<div>`` at the
next blank line, so a Markdown image on the line right after ``</p>`` is raw text inside
the block. kramdown (Jekyll's default) ends the block at the element's closing tag: the
image is an image, and text after the tag starts a paragraph (checked with jekyll 4.3). So
on a Jekyll site, a blank line goes where kramdown ends each such block, and every later
step sees the blocks kramdown saw.
"""

from __future__ import annotations

import re

from crosspost.render.context import RenderContext
from crosspost.render.markdown import Edit, Parsed, parse

# CommonMark's HTML block condition 6: the block-level elements both parsers agree start
# a block (kramdown reads the span-level ones at a line's start as a paragraph, like
# CommonMark's condition 7 does unless the tag stands alone).
BLOCK_TAGS = frozenset({"address", "article", "aside", "base", "basefont", "blockquote", "body",
    "caption", "center", "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3",
    "h4", "h5", "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link", "main",
    "menu", "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param", "search",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "track",
    "ul"})
VOID_TAGS = frozenset({"base", "basefont", "col", "frame", "hr", "link", "param", "track",
                       "br", "img", "input", "meta", "source", "wbr", "area", "embed"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*?)?(/?)>")
_START = re.compile(r"[ \t]*</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])")


def kramdown_stage(ctx: RenderContext) -> None:
    """On a Jekyll site that renders with kramdown, end HTML blocks where kramdown does."""
    if ctx.site.generator != "jekyll":
        return
    engine = ctx.site.config.get("markdown")
    if isinstance(engine, str) and engine.strip().lower() not in {"", "kramdown"}:
        return  # CommonMark (jekyll-commonmark) reads HTML blocks as the forums do
    text = ctx.layer.text
    if "</" not in text and "/>" not in text:
        return
    edits = html_block_ends(parse(text, scan=True))
    if edits:
        ctx.layer = ctx.layer.apply(edits)


def html_block_ends(parsed: Parsed) -> list[Edit]:
    """Blank lines after the closing tags where kramdown ends top-level HTML blocks that
    CommonMark runs on into the following Markdown."""
    edits: list[Edit] = []
    for token in parsed.tokens:
        if token.type != "html_block" or token.level != 0 or token.map is None:
            continue
        start, end = parsed.block_range(token)
        edits.extend(_ends_in(parsed.text, start, end))
    return edits


def _ends_in(text: str, start: int, end: int) -> list[Edit]:
    """The splits inside one CommonMark HTML block ``text[start:end]``."""
    edits: list[Edit] = []
    pos = start
    while pos < end:
        opening = _START.match(text, pos, end)
        if opening is None or opening.group(1).lower() not in BLOCK_TAGS:
            break  # Markdown or an inline tag here: kramdown reads it as a paragraph
        tag_at = opening.start(1) - (2 if text[opening.start(1) - 1] == "/" else 1)
        closed = _element_end(text, tag_at, opening.group(1).lower(), end)
        if closed is None:
            break  # never closed inside the block: kramdown runs on as CommonMark does
        line_end = text.find("\n", closed, end)
        line_end = end if line_end < 0 else line_end
        rest = text[closed:line_end]
        if rest.strip():
            following = _START.match(text, closed, line_end)
            if following is not None and following.group(1).lower() in BLOCK_TAGS:
                pos = closed  # another element on the same line
                continue
            edits.append(Edit(closed, closed + len(rest) - len(rest.lstrip(" \t")), "\n\n"))
            break  # the rest of the block is a paragraph now, as in kramdown
        after = line_end + 1
        if after >= end or not text[after:end].strip():
            break
        following = _START.match(text, after, end)
        if following is not None and following.group(1).lower() in BLOCK_TAGS:
            pos = after  # the next line opens another element: still HTML
            continue
        edits.append(Edit(line_end, line_end, "\n"))
        break
    return edits


def _element_end(text: str, at: int, name: str, limit: int) -> int | None:
    """Where the element whose tag starts at ``text[at]`` ends (after its closing tag)."""
    depth = 0
    for tag in _TAG.finditer(text, at, limit):
        if tag.group(2).lower() != name:
            continue
        if tag.group(1):  # a closing tag
            depth -= 1
        elif not tag.group(3) and name not in VOID_TAGS:
            depth += 1
        if depth <= 0:
            return tag.end()
    return None


__all__ = ["BLOCK_TAGS", "html_block_ends", "kramdown_stage"]
