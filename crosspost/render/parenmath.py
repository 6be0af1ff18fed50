"""Math between doubled backslashes: ``\\\\(…\\\\)`` inline, ``\\\\[…\\\\]`` display.

MathJax and KaTeX find ``\\(…\\)`` and ``\\[…\\]`` on a page by default. kramdown and
goldmark read a backslash before a parenthesis or bracket as an escape, so a Jekyll or Hugo
author writes ``\\\\(x\\\\)`` for the page to hold ``\\(x\\)``. The forums read that same source
as math (``markdownMathjax.ts``, reference forummagnum.md §6.2); dev.to and Medium show it as
typed. :func:`paren_math_plugin` gives the parsers the forums' rule, so that the formula is one
token (protected like ``$…$``, turned into KaTeX for dev.to, shown as TeX on Medium).

The TeX the site's reader sees is the source after the Markdown engine took out its escapes
(``\\\\\\\\`` → ``\\\\``, ``\\{`` → ``{``); the forums take the source as it stands.
:func:`paren_math_edits` writes the site's TeX between the delimiters, so every target gets it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

if TYPE_CHECKING:  # markdown.py uses the plugin: import its types only when checking
    from crosspost.render.context import RenderContext
    from crosspost.render.markdown import Edit, Parsed

INLINE = "math_inline_paren"
DISPLAY = "math_display_paren"
# (opening, closing, token type); the forums' reader dialect doubles both backslashes.
DELIMITERS = (("\\\\(", "\\\\)", INLINE), ("\\\\[", "\\\\]", DISPLAY))

# What each engine unescapes: kramdown's list (``Kramdown::Parser::Kramdown::ESCAPED_CHARS``),
# CommonMark's every ASCII punctuation character (goldmark, and the rest).
_KRAMDOWN_ESCAPE = re.compile(r"\\([\\.*_+\-`()\[\]{}#!:|\"'$=<>])")
_COMMONMARK_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def paren_math(state: StateInline, silent: bool) -> bool:
    """The forums' inline rule: from the opening marker to the first closing one."""
    src, pos = state.src, state.pos
    if src[pos] != "\\":
        return False
    for opening, closing, kind in DELIMITERS:
        if not src.startswith(opening, pos):
            continue
        end = src.find(closing, pos + len(opening))
        if end < 0:
            return False
        if not silent:
            token = state.push(kind, "math", 0)
            token.content = src[pos + len(opening):end]
            token.markup = "$" if kind == INLINE else "$$"  # how Medium shows it as text
        state.pos = end + len(closing)
        return True
    return False


def paren_math_plugin(md: MarkdownIt) -> None:
    # Before "escape", as on the forums: the backslashes are the delimiter, not escapes.
    md.inline.ruler.before("escape", "math_paren", paren_math)


def site_tex(source: str, engine: str) -> str:
    """The TeX a formula's ``source`` is on the site's page, once ``engine`` read it."""
    pattern = _KRAMDOWN_ESCAPE if engine == "kramdown" else _COMMONMARK_ESCAPE
    return pattern.sub(r"\1", source)


def paren_math_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """Each formula's source replaced by the TeX the site shows (when they differ)."""
    from crosspost.render.markdown import Edit

    edits: list[Edit] = []
    engine = ctx.site.facts.markdown_engine
    cells = parsed.cell_blocks()
    for span in parsed.spans_of("math_inline"):
        token = span.token
        if token is None or token.type not in {INLINE, DISPLAY}:
            continue
        start, end = span.start + 3, span.end - 3  # inside the delimiters
        tex = site_tex(token.content, engine)
        if id(span.block) in cells:
            tex = tex.replace("|", "\\|")  # the table took `\\|` for `|`: keep the cell whole
        closing = parsed.text[end:span.end]
        if tex == parsed.text[start:end] or (tex + closing).find(closing) != len(tex):
            continue  # nothing to take out, or the TeX would close the formula early
        edits.append(Edit(start, end, tex))
    return edits


__all__ = ["DELIMITERS", "DISPLAY", "INLINE", "paren_math_edits", "paren_math_plugin", "site_tex"]
