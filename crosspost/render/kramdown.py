"""kramdown's own extensions, which Jekyll's posts use and the targets do not know.

Header ids (``## Heading {#id}``), ``markdown="1"`` on HTML blocks and abbreviation
definitions: each becomes what a reader of the site sees.
"""

from __future__ import annotations

import re

from crosspost.render.context import RenderContext
from crosspost.render.markdown import Edit, Parsed, block_edit
from crosspost.render.spoilers import is_spoiler_div


def kramdown_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """The edits for kramdown's extensions (abbreviations only where kramdown reads them)."""
    edits = _header_ids(parsed)
    edits.extend(_markdown_in_html(parsed))
    if ctx.site.generator == "jekyll" and ctx.site.facts.markdown_engine == "kramdown":
        edits.extend(_abbreviations(parsed, ctx))
    return edits


_ABBREVIATION = re.compile(r"\*\[[^\]\n]+\]:.*")


def _abbreviations(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """kramdown's ``*[HTML]: HyperText Markup Language`` defines an abbreviation: the site
    shows the expansion only on hover over the word, and the definition nowhere. kramdown
    reads one where a block starts (a paragraph's first lines), so those lines go."""
    edits: list[Edit] = []
    tokens = parsed.tokens
    for i, token in enumerate(tokens):
        if token.type != "paragraph_open" or token.map is None or i + 1 >= len(tokens):
            continue
        lines = tokens[i + 1].content.split("\n")
        count = next((n for n, line in enumerate(lines) if not _ABBREVIATION.fullmatch(line)),
                     len(lines))
        if not count:
            continue
        start, end = parsed.block_range(token)
        if count == len(lines):
            edits.append(block_edit(parsed.text, start, end, ""))
        else:
            edits.append(Edit(start, parsed.offset_of_line(token.map[0] + count), ""))
        if not edits[1:]:
            ctx.inform(start, "kramdown abbreviation definitions are left out: the site shows "
                       "them only on hover")
    return edits


_HEADER_ID = re.compile(r"[ \t]+\{#[\w:.-]+\}[ \t]*$", re.MULTILINE)
_MARKDOWN_ATTR = re.compile(
    r"\A[ \t]*<(?P<tag>[A-Za-z][\w-]*)\b[^>]*\bmarkdown=(?P<q>[\"']?)(?:1|block|span)(?P=q)[^>]*>"
    r"[ \t]*\n?")


def _header_ids(parsed: Parsed) -> list[Edit]:
    """kramdown's ``## Heading {#id}`` sets the anchor; the targets make their own."""
    edits: list[Edit] = []
    for token in parsed.tokens:
        if token.type == "heading_open" and token.map is not None:
            start, end = parsed.block_range(token)
            edits.extend(Edit(m.start(), m.end(), "")
                         for m in _HEADER_ID.finditer(parsed.text, start, end))
    return edits


def _markdown_in_html(parsed: Parsed) -> list[Edit]:
    """``<div markdown="1">`` asks kramdown to read its content as Markdown: unwrap it."""
    edits: list[Edit] = []
    for start, end in parsed.html_blocks:
        block = parsed.text[start:end]
        opening = _MARKDOWN_ATTR.match(block)
        if opening is None:
            continue
        if opening.group("tag").lower() == "details" or is_spoiler_div(block.split("\n", 1)[0]):
            continue  # a collapsible section or a spoiler: the HTML and spoiler steps' own
        # The blank lines make the content Markdown paragraphs, not part of an HTML block.
        edits.append(Edit(start, start + opening.end(), "\n"))
        closing = re.search(rf"</{opening.group('tag')}\s*>[ \t]*\n?\Z", block)
        if closing is not None:
            edits.append(Edit(start + closing.start(), start + closing.end(), "\n"))
    return edits


__all__ = ["kramdown_edits"]
