"""dev.to's dialect: Markdown as Forem renders it (reference devto.md §A5, §A8).

Forem renders ``body_markdown`` with Redcarpet and then parses the resulting HTML as a Liquid
template (``MarkdownProcessor::Parser#finalize``). The forums' conversions are right here too
(figures as an image and an italic caption, raw HTML as Markdown, absolute links, footnotes,
which Redcarpet has), so :class:`DevtoEmitter` is the forum emitter; the last pass,
:func:`devto_edits`, runs on the finished Markdown and fixes what Forem reads differently:

* **Liquid in prose.** An unknown tag still saves (201), and the page then shows only
  "Liquid syntax error"; ``{{ x }}`` renders as nothing. Every ``{{`` or ``{%`` outside code
  is wrapped in ``{% raw %}…{% endraw %}``. Code fences and code spans are left alone: dev.to
  wraps them in ``raw`` itself (``escape_liquid_tags_in_codeblock``). An indented code block
  is not among them, so one that holds Liquid becomes a fenced block with the same content.
* **Math** becomes Forem's KaTeX tags: ``$…$`` and ``\\\\(…\\\\)`` →
  ``{% katex inline %}…{% endkatex %}``, ``$$…$$`` and ``\\\\[…\\\\]`` →
  ``{% katex %}…{% endkatex %}`` (neither means anything on dev.to). The TeX goes in
  as a code span: the tag's content is rendered as Markdown before KaTeX reads its text
  (``katex_tag.rb`` takes the text of that HTML), and Markdown would eat ``\\{``, ``\\\\``,
  ``_…_`` and ``^``; the text of a code span comes through exactly, and dev.to keeps Liquid
  out of it.
* **``^``** raises the following word on dev.to (Redcarpet's ``superscript``, on in Forem's
  configuration); no source dialect has that syntax, so it is escaped.
* **Collapsible sections** are the forums' ``+++``; here the summary is a bold line and
  the content shows.
* **No front matter**: dev.to reads a leading ``---`` block as front matter that overrides the
  API's fields (§A5), so a body that starts with a ``---`` rule starts with ``***`` instead.
* U+202A–U+202E are removed, as dev.to does, so the body sent is the body it stores.

:func:`devto_fields` resolves what goes beside the body: the description, the series and the
cover image (an absolute URL: dev.to has no upload API, §A7).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from crosspost.errors import CrosspostError
from crosspost.render import Notice
from crosspost.render.context import RenderContext
from crosspost.render.forum import ForumEmitter
from crosspost.render.forum import finish as finish_forum
from crosspost.render.links import split_tail
from crosspost.render.markdown import Edit, Layer, Parsed, block_edit, escape_inline, fence, parse
from crosspost.render.parenmath import DISPLAY

_LIQUID = re.compile(r"\{[{%]")
# Liquid's own tag syntax for the end of a raw block (``{%- endraw -%}`` included).
_ENDRAW = re.compile(r"\{%-?\s*endraw\b")
_BIDI = re.compile("[\u202a-\u202e]")
_LEADING_RULE = re.compile(r"\A[ ]{0,3}-[ \t]*-[ \t]*-[-\t ]*(?=\n|\Z)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")

# Front-matter keys that name a cover image, in the order they are looked at: dev.to's own,
# then jekyll-seo-tag/Hugo's, then themes' (Minimal Mistakes' header, PaperMod's cover,
# al-folio's thumbnail).
COVER_KEYS = ("cover_image", "image", "images", "cover", "header", "featured_image",
              "featuredImage", "thumbnail", "banner")
DESCRIPTION_KEYS = ("description", "summary", "excerpt")


class DevtoEmitter(ForumEmitter):
    """The forums' Markdown, without ForumMagnum's collapsible sections."""

    def collapsible_open(self, summary: str) -> str:
        return f"**{escape_inline(' '.join(summary.split()) or 'Details')}**"

    def collapsible_close(self) -> str:
        return ""


# -- the last pass ----------------------------------------------------------------------------


def devto_edits(parsed: Parsed) -> list[Edit]:
    """The edits that make finished Markdown mean the same on dev.to (module docstring)."""
    text = parsed.text
    edits: list[Edit] = []
    cells = parsed.cell_blocks()
    for span in parsed.spans_of("math_inline"):
        if span.token is not None:  # `$…$`, kramdown's `$$…$$`, `\\(…\\)`, `\\[…\\]`
            tag = katex(span.token.content, inline=span.token.type != DISPLAY)
            if id(span.block) in cells:
                # The table took `\|` for `|`; a bare `|` would end the cell on dev.to.
                tag = tag.replace("|", "\\|")
            edits.append(Edit(span.start, span.end, tag))
    for token in parsed.tokens:
        if token.map is None:
            continue
        if token.type == "math_block":
            start, end = parsed.block_range(token)
            edits.append(block_edit(text, start, end, katex(token.content, inline=False)))
        elif token.type == "code_block" and _LIQUID.search(token.content):
            fenced = _fenced(parsed, token.map[0], token.map[1], token.content)
            if fenced is not None:
                edits.append(fenced)
    skipped = _merge(_unsafe_ranges(parsed))
    for start, end in _liquid_runs(parsed, skipped):
        edits.append(Edit(start, end, raw(_tame(text[start:end]))))
    # An image's alt text is taken as it is written (no superscript, no escapes) by Redcarpet.
    literal = _merge((s.start, s.end) for s in parsed.spans_of("image"))
    for match in re.finditer(r"\^", text):
        at = match.start()
        if parsed.is_protected(at) or _inside(skipped, at) or _inside(literal, at) or \
                _escaped(text, at) or (at and text[at - 1] == "["):  # a footnote: [^1]
            continue
        edits.append(Edit(at, at, "\\"))
    return edits


def _tame(segment: str) -> str:
    """``segment`` with what Redcarpet would run on into the closing ``{% endraw %}``
    escaped: a superscript (``^`` takes every character up to a space) and an autolinked
    URL (likewise). Markdown comes before Liquid, so the escapes are gone when it reads."""
    segment = re.sub(r"(?<!\\)\^", r"\\^", segment)
    segment = re.sub(r"(?<=[A-Za-z])://", r"\\://", segment)
    return re.sub(r"(?i)\bwww\.", lambda m: m.group(0)[:3] + "\\.", segment)


def katex(tex: str, *, inline: bool) -> str:
    """Forem's KaTeX tag around ``tex``, which goes in as a code span (module docstring).
    Blank lines are closed up: TeX does not allow them in math, and in Markdown they would
    end the paragraph, and the code span with it."""
    tex = re.sub(r"\n[ \t]*(?=\n)", "", tex.strip())
    longest = max((len(m.group(0)) for m in re.finditer(r"`+", tex)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if tex.startswith("`") or tex.endswith("`") else ""
    code = f"{ticks}{pad}{tex}{pad}{ticks}"
    if inline:
        return "{% katex inline %}" + code + "{% endkatex %}"
    return "{% katex %}\n" + code + "\n{% endkatex %}"


def raw(segment: str) -> str:
    """``segment`` (prose with Liquid markers) as Liquid shows it: literally.

    A literal end tag cannot sit inside ``raw``: it would close it. Liquid's tokenizer reads
    ``{%{% endraw %}`` as one tag whose name is the last word before ``%}``, so the raw block
    ends after the first ``{%``, and the rest of the literal tag follows as plain text.
    """
    found = _ENDRAW.search(segment)
    if found is None:
        return "{% raw %}" + segment + "{% endraw %}"
    head = "{% raw %}" + segment[:found.start()] + "{%{% endraw %}"
    rest = segment[found.start() + 2:]
    first = _LIQUID.search(rest)
    if first is None:
        return head + rest
    return head + rest[:first.start()] + raw(rest[first.start():])


def _fenced(parsed: Parsed, first: int, last: int, content: str) -> Edit | None:
    """An indented code block as a fenced one, at the indentation it had less four (None
    inside a quote, whose markers a fence would lose)."""
    text = parsed.text
    start, end = parsed.offset_of_line(first), parsed.offset_of_line(last)
    line_end = text.find("\n", start)
    line = text[start:len(text) if line_end < 0 else line_end]
    if line.lstrip(" ").startswith(">"):
        return None
    indent = len(line) - len(line.lstrip(" "))
    lead = " " * max(0, indent - 4)
    block = fence(content)
    body = "\n".join(lead + row if row else row for row in block.split("\n"))
    if end > start and text[end - 1] == "\n":
        end -= 1
    return Edit(start, end, body)


def _unsafe_ranges(parsed: Parsed) -> Iterator[tuple[int, int]]:
    """Where neither a raw tag nor a backslash may go: link destinations (dev.to
    percent-encodes them), autolinks and bare URLs (a tag would end the link), raw HTML
    tags (attributes are the sanitizer's)."""
    for span in parsed.spans:
        if span.dest is not None:
            yield span.dest
        if span.kind in {"autolink", "linkify", "html_inline"}:
            yield span.start, span.end
    for reference in parsed.references:
        yield reference.dest


def _liquid_runs(parsed: Parsed, skipped: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each Liquid tag or output in prose, as far as its closing delimiter on the same line
    (or just the opening delimiter when it has none there)."""
    text = parsed.text
    runs: list[tuple[int, int]] = []
    cursor = 0
    for match in _LIQUID.finditer(text):
        start = match.start()
        if start < cursor or parsed.is_protected(start) or _inside(skipped, start):
            continue
        closer = "}}" if match.group(0) == "{{" else "%}"
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        close = text.find(closer, start + 2, line_end)
        end = close + 2 if close >= 0 else start + 2
        if parsed.overlaps_protected(start, end) or any(s < end and start < e for s, e in skipped):
            end = start + 2
        if runs and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
        cursor = end
    return runs


def _merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _inside(ranges: list[tuple[int, int]], offset: int) -> bool:
    i = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= offset < ranges[i][1]


def _escaped(text: str, offset: int) -> bool:
    slashes = 0
    while offset - slashes > 0 and text[offset - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


# Nothing the last pass changes can be there without one of these: it then costs no parse.
_WORK = re.compile(r"\{[{%]|[$^]")


def escape_text(markdown: str) -> str:
    """``markdown`` with the last pass applied (for text made outside the body: the
    attribution line)."""
    if not _WORK.search(markdown):
        return markdown
    return Layer(markdown).apply(devto_edits(parse(markdown))).text


def finish(text: str, ctx: RenderContext, attribution: str | None) -> str:
    """The body as sent: the last pass, the attribution first, no front matter, one newline."""
    if _WORK.search(text):
        ctx.layer = ctx.layer.apply(devto_edits(parse(text))).tidied()
    body = finish_forum(ctx.layer.text, ctx, escape_text(attribution) if attribution else None)
    if _BIDI.search(body):
        ctx.inform(0, "dev.to removes the invisible direction marks U+202A to U+202E; "
                   "they are left out")
        body = _BIDI.sub("", body)
    rule = _LEADING_RULE.match(body)
    if rule is not None:
        body = "***" + body[rule.end():]
    return body


def devto_line_origins(ctx: RenderContext, attribution: str | None,
                       body: str) -> tuple[int | None, ...]:
    """The file line of each line of ``body`` (what :func:`finish` made), as the forums'
    provenance gives it: :func:`finish`'s last pass (Liquid, math) is a layer of
    ``ctx.layer`` like the others. What it changes after that layer (direction marks, a
    leading rule) costs the lines it touched their origin."""
    from crosspost.render.provenance import forum_line_origins

    escaped = escape_text(attribution) if attribution else None
    layered = finish_forum(ctx.layer.text, ctx, escaped).split("\n")[:-1]
    final = body.split("\n")[:-1]
    origins = forum_line_origins(ctx.layer, escaped)
    if len(layered) != len(final) or len(origins) != len(final):
        return tuple(None for _ in final)
    return tuple(origin if before == after else None
                 for origin, before, after in zip(origins, layered, final, strict=True))


# -- beside the body ----------------------------------------------------------------------------


def devto_fields(ctx: RenderContext) -> dict[str, Any]:
    """The description, series and cover image for the payload (``Rendered.extra``)."""
    post, options = ctx.post, ctx.options
    fields: dict[str, Any] = {}
    description = options.description or _first_text(post.front_matter, DESCRIPTION_KEYS)
    if description:
        fields["description"] = " ".join(description.split())
    series = options.series or _first_text(post.front_matter, ("series",))
    if series:
        fields["series"] = " ".join(series.split())
    if options.cover_image:
        cover: tuple[str, str] | None = ("cover_image", options.cover_image)
        where = post.key_line("cover_image") or post.key_line("crosspost")
    else:
        cover = _cover_reference(post.front_matter)
        where = post.key_line(cover[0]) if cover else None
    if cover is not None:
        url, problem = _cover_url(ctx, cover[1])
        if url:
            fields["cover_image"] = url
        if problem:
            ctx.notices.append(Notice(ctx.path, where, problem))
    return fields


def _first_text(front: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = front.get(key)
        if isinstance(value, list | tuple) and value:
            value = value[0]  # Hugo taxonomies are lists: `series: [Baking]`
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _cover_reference(front: Mapping[str, Any]) -> tuple[str, str] | None:
    """(key, image reference) of the first cover image the front matter names."""
    for key in COVER_KEYS:
        value = front.get(key)
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        if isinstance(value, Mapping):
            value = next((value[k] for k in ("image", "path", "url", "src", "overlay_image", "teaser")
                          if isinstance(value.get(k), str) and value[k].strip()), None)
        if isinstance(value, str) and value.strip():
            return key, value.strip()
    return None


def _cover_url(ctx: RenderContext, ref: str) -> tuple[str | None, str | None]:
    """(the absolute URL dev.to fetches the cover from, or None; what the user should know)."""
    if ref.startswith("//"):
        ref = "https:" + ref
    if _SCHEME.match(ref):
        if ref.lower().startswith(("http://", "https://")):
            return _escaped_url(ref), None
        return None, (f"dev.to takes the cover image by an http(s) address, and {ref[:60]!r} is "
                      "not one: no cover image is sent")
    head = split_tail(ref)[0]
    try:
        local = ctx.site.local_file(head, post=ctx.post) if head else None
    except CrosspostError:
        local = None
    if local is None:
        return None, (f"the cover image {ref!r} is not a file of the site, so dev.to could not "
                      "fetch it (it has no image upload): no cover image is sent; fix the path, "
                      "or give an absolute URL")
    return _escaped_url(ctx.links.absolute(ref)), None


def _escaped_url(url: str) -> str:
    """``url`` with spaces and non-ASCII characters percent-escaped (upper case, as the
    generators write a file's address): dev.to checks ``main_image`` as a URL, and a
    ``My Cover.png`` of the site is served as ``My%20Cover.png``. Escapes already there stay."""
    from urllib.parse import quote

    return quote(url, safe="%:/?#[]@!$&'()*+,;=~")


__all__ = ["COVER_KEYS", "DevtoEmitter", "devto_edits", "devto_fields", "devto_line_origins",
           "escape_text", "finish", "katex", "raw"]
