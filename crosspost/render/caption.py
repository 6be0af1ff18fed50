"""Figure captions: Markdown (with inline HTML) that must come out right on every target.

A caption is written as a shortcode or include parameter, so the body's rendering steps never
see it as part of the body: Hugo's figure shortcode runs it through ``markdownify``, and
al-folio's figure include puts it into the page as written, where authors use Markdown and
HTML alike. Here it gets the body's treatment (links resolved like the body's, inline HTML
converted for the target's dialect, the forums' math fixed) before it becomes an italic line
(forums) or a ``<figcaption>`` (Medium).
"""

from __future__ import annotations

import re

from crosspost.render.context import RenderContext
from crosspost.render.html import html_edits
from crosspost.render.links import link_edits
from crosspost.render.markdown import Layer, parse


def caption_markdown(caption: str, ctx: RenderContext, offset: int) -> str:
    """The caption as one line of Markdown for the target (Medium: with placeholders).

    ``offset`` is where the figure is in the text being worked on: notices about the
    caption (a missing file, HTML that cannot be shown) name the figure's line.
    """
    text = " ".join(caption.split())
    if not text:
        return ""
    from crosspost.render.forum import forum_edits  # forum's figure() calls this module

    saved = ctx.layer
    ctx.layer = Layer(text, first_line=saved.line(offset))
    try:
        parsed = parse(text)
        edits = link_edits(parsed, ctx)
        edits.extend(html_edits(parsed, ctx))
        if ctx.dialect == "forum":
            edits.extend(forum_edits(parsed, ctx))
        result = ctx.layer.apply(edits).text
    finally:
        ctx.layer = saved
    if ctx.dialect != "medium":
        # A caption is one italic line there: a <br> (a backslash break) becomes a space.
        result = re.sub(r"\\\n", " ", result)
    return " ".join(result.split())


__all__ = ["caption_markdown"]
