"""A single ``$`` is math on the forums; on many sites it is a dollar sign.

The forums (and Medium's renderer here) read ``$X/$`` in "the ratio $X/$Y" as inline math.
kramdown's math is ``$$…$$`` only, and MathJax and KaTeX leave ``$`` alone unless the site's
configuration lists it, so on those sites the author wrote dollar signs. The site decides
(``crosspost.sites.facts.dollar_math``); where single ``$`` is not math there, every dollar sign
of a paragraph the forums would read math in is escaped, so no other pair can form in its
place. Where the site's answer cannot be known, the text is left as it is, with one warning.
"""

from __future__ import annotations

from crosspost.render.context import RenderContext
from crosspost.render.markdown import Edit, Parsed

# Inline constructs whose dollars are not text: code, the site's own `$$` math, URLs, tags.
_KEEP = ("backticks", "autolink", "linkify", "html_inline")


def dollar_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """Escape the dollar signs the forums would read as math, where the site does not."""
    singles = [s for s in parsed.spans_of("math_inline")
               if s.token is not None and s.token.type == "math_inline"]
    if not singles:
        return []
    answer = ctx.site.facts.dollar_math
    if answer.value is None:
        if ctx.dialect == "forum":
            ctx.warn(singles[0].start, f"cannot tell whether $…$ is math on the site "
                     f"({answer.why}): {ctx.label} shows it as math; write \\$ for a dollar sign")
        return []
    if answer.value:
        return []
    text = parsed.text
    kept = sorted(_kept_ranges(parsed))
    edits: list[Edit] = []
    seen: set[int] = set()
    for span in singles:
        block = span.block
        if id(block) in seen or block.map is None:
            continue
        seen.add(id(block))
        start, end = parsed.block_range(block)
        for offset in range(start, end):
            if text[offset] != "$" or _escaped(text, offset) or _inside(kept, offset):
                continue
            edits.append(Edit(offset, offset + 1, "\\$"))
    if edits and ctx.dialect == "forum":
        ctx.inform(singles[0].start, f"$…$ is not math on the site ({answer.why}): its dollar "
                   f"signs are escaped so that {ctx.label} shows them as text")
    return edits


def _kept_ranges(parsed: Parsed) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for span in parsed.spans:
        if span.kind in _KEEP or (span.kind == "math_inline" and span.token is not None
                                  and span.token.type != "math_inline"):
            ranges.append((span.start, span.end))
        if span.dest is not None:
            ranges.append(span.dest)
    return ranges


def _inside(ranges: list[tuple[int, int]], offset: int) -> bool:
    return any(start <= offset < end for start, end in ranges)


def _escaped(text: str, offset: int) -> bool:
    backslashes = 0
    while offset - backslashes > 0 and text[offset - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


__all__ = ["dollar_edits"]
