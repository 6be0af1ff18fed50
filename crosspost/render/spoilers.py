"""Spoilers: Markdown inside a ``<div class="spoiler">`` on the site, ``>!`` lines on the forums.

No static-site Markdown has spoiler syntax; the forums read a block of lines that each start
with ``>!`` (``markdownItPlugins.ts`` ``parseSpoilerBlock``, rendered as ``div.spoilers``).
On the site a spoiler is a ``<div class="spoiler">`` (kramdown: with ``markdown="1"``) on a
line of its own, the Markdown after a blank line, and ``</div>`` on a line of its own: every
generator shows the Markdown inside (Hugo without ``unsafe`` drops only the two tags), and a
theme's CSS may hide it. That is the form ``crosspost import`` writes. Here it becomes the
forums' ``>!`` block again; elsewhere (Medium, dev.to) the content is shown as it is.
"""

from __future__ import annotations

import re

from crosspost.render.context import RenderContext
from crosspost.render.markdown import Edit, block_edit, parse

_OPEN = re.compile(r"\A[ \t]*<div\b(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>[ \t]*\n?\Z",
                   re.IGNORECASE)
_CLOSE = re.compile(r"\A[ \t]*</div\s*>[ \t]*\n?\Z", re.IGNORECASE)
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def is_spoiler_div(opening: str) -> bool:
    """Whether ``opening`` (an HTML block's text) is a spoiler's ``<div>`` alone."""
    match = _OPEN.match(opening)
    if match is None:
        return False
    found = _CLASS.search(match.group("attrs"))
    classes = next((g for g in found.groups() if g is not None), "") if found else ""
    return bool({"spoiler", "spoilers"} & set(classes.split()))


def spoiler_stage(ctx: RenderContext) -> None:
    """Turn each top-level spoiler ``<div>`` into the target's form (see the module)."""
    text = ctx.layer.text
    if "spoiler" not in text:
        return
    parsed = parse(text, scan=True)
    blocks = [parsed.block_range(t) for t in parsed.tokens
              if t.type == "html_block" and t.level == 0 and t.map is not None]
    edits: list[Edit] = []
    index = 0
    while index < len(blocks):
        start, end = blocks[index]
        index += 1
        if not is_spoiler_div(text[start:end]):
            continue
        closing = next((i for i in range(index, len(blocks))
                        if _CLOSE.match(text[blocks[i][0]:blocks[i][1]])
                        or _OPEN.match(text[blocks[i][0]:blocks[i][1]])), None)
        if closing is None or not _CLOSE.match(text[blocks[closing][0]:blocks[closing][1]]):
            continue  # not closed on a line of its own (or a div inside): left to the HTML step
        close_start, close_end = blocks[closing]
        index = closing + 1
        inner = text[end:close_start].strip("\n")
        if ctx.dialect == "forum":
            replacement = "\n".join(f">! {line}" if line.strip() else ">!"
                                    for line in inner.split("\n"))
        else:
            replacement = inner
            ctx.inform(start, f"{ctx.label} has no spoilers: the hidden text is shown")
        edits.append(block_edit(text, start, close_end, replacement))
    if edits:
        ctx.layer = ctx.layer.apply(edits).tidied()


__all__ = ["is_spoiler_div", "spoiler_stage"]
