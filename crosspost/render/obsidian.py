"""Obsidian's Markdown (Quartz sites, Obsidian vaults): what the forums and Medium lack.

The syntax (shared/reference/sites.md; Quartz's ``ofm.ts`` transformer publishes it):

- ``%%comment%%``, on one line or many, is never published: it goes first, so nothing in
  it is resolved or warned about;
- ``[[Page]]``, ``[[Page|text]]``, ``[[Page#Heading]]``, ``[[#Heading]]`` link to a note
  found by name (:meth:`crosspost.sites.Site.find_post`, kind ``wikilink``): they become
  Markdown links to the note's URL, which the link step then points at the note's copy on
  the same platform, as it does for every sibling link. The text shown is Quartz's: the
  alias, else the heading, else the target as written;
- ``![[photo.png]]``, ``![[photo.png|alt|300]]`` embed a file found by name: an image
  becomes a Markdown image of the local file (made absolute, and uploaded to Medium, like
  any other), audio, video and PDF a link; ``![[Other note]]`` (a transclusion) cannot be
  carried over and becomes a link to the note, with a warning;
- a callout (a blockquote whose first line is ``> [!type] Title``) becomes a blockquote
  with its title in bold (the type, capitalised, when there is no title); a folded one
  (``[!type]-``) is a collapsible section on the forums (Medium has none);
- ``==highlight==`` becomes bold (neither target has a highlighter).

Every construct is found with the parser's positions and left alone inside code, math,
raw HTML and link destinations.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from markdown_it.token import Token

from crosspost.errors import CrosspostError
from crosspost.render.context import RenderContext
from crosspost.render.markdown import FORUM_MD, Edit, Parsed, block_edit, escape_inline, parse
from crosspost.sites import MARKDOWN_SUFFIXES
from crosspost.sites.vault import heading_anchor

_MARKERS = ("%%", "[[", "==", "[!")
# ofm.ts wikilinkRegex, with a table cell's escaped pipe ("\|") as a separator too.
_WIKILINK = re.compile(r"(!?)\[\[([^\[\]|#\\\n]*)(#[^\[\]|\\\n]*)?(?:\\?\|([^\[\]\n]*))?\]\]")
_HIGHLIGHT = re.compile(r"==([^=\n]+)==")
_CALLOUT = re.compile(r"\[!([\w-]+)(?:\|[^\]\n]*)?\]([+-]?)[ \t]*")
_QUOTE_PREFIX = re.compile(r"[ \t]{0,3}>[ \t]?")
# ofm.ts wikilinkImageEmbedRegex: an alt text and/or a size ("300", "300x200").
_EMBED_SIZE = re.compile(r"^(?P<alt>(?!\d*x?\d*$).*?)?(?:\|?\s*(?P<width>\d+)(?:x(?P<height>\d+))?)?$")
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".svg", ".webp", ".avif"})
MEDIA_EXTENSIONS = frozenset({".mp4", ".webm", ".ogv", ".mov", ".mkv", ".mp3", ".wav", ".m4a",
                              ".ogg", ".3gp", ".flac", ".pdf"})


def obsidian_stage(ctx: RenderContext) -> None:
    """Carry a vault's Obsidian syntax over into portable Markdown (see the module doc)."""
    if not ctx.site.obsidian or not any(m in ctx.layer.text for m in _MARKERS):
        return
    if "%%" in ctx.layer.text:
        ctx.layer = ctx.layer.apply(comment_edits(parse(ctx.layer.text, scan=True), ctx)).tidied()
    text = ctx.layer.text
    if not any(m in text for m in ("[[", "==", "[!")):
        return
    parsed = parse(text)
    edits = list(callout_edits(parsed, ctx))
    edits.extend(wikilink_edits(parsed, ctx))
    edits.extend(highlight_edits(parsed, ctx))
    ctx.layer = ctx.layer.apply(edits).tidied()


# -- where the syntax may be ------------------------------------------------------------------


def _open_ranges(parsed: Parsed) -> list[tuple[int, int]]:
    """Stretches of the text where Obsidian syntax counts: not code, math, raw HTML (Quartz
    leaves HTML alone), nor inside a link's destination, an autolink or an HTML tag."""
    closed = list(parsed.protected) + list(parsed.html_blocks)
    for span in parsed.spans:
        if span.kind in {"autolink", "html_inline", "linkify"}:
            closed.append((span.start, span.end))
        elif span.dest is not None:
            closed.append(span.dest)
    closed.sort()
    ranges: list[tuple[int, int]] = []
    cursor = 0
    for start, end in closed:
        if start > cursor:
            ranges.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < len(parsed.text):
        ranges.append((cursor, len(parsed.text)))
    return ranges


def _matches(pattern: re.Pattern[str], parsed: Parsed) -> Iterator[re.Match[str]]:
    for start, end in _open_ranges(parsed):
        yield from pattern.finditer(parsed.text, start, end)


# -- comments --------------------------------------------------------------------------------


def comment_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """``%%…%%`` removed (whole lines when the comment has them to itself)."""
    text = parsed.text
    marks = [m.start() for m in re.finditer("%%", text) if not parsed.is_protected(m.start())
             and not parsed.is_protected(m.start() + 1)]
    edits: list[Edit] = []
    for opening, closing in zip(marks[::2], marks[1::2], strict=False):
        start, end = opening, closing + 2
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if not text[line_start:start].strip() and not text[end:line_end].strip():
            edits.append(block_edit(text, start, end, ""))
        else:
            edits.append(Edit(start, end, ""))
    if len(marks) % 2:
        ctx.warn(marks[-1], "`%%` opens a comment that never closes: it is left as text "
                 "(Quartz publishes it so too)")
    return edits


# -- wikilinks and embeds --------------------------------------------------------------------


def wikilink_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    edits: list[Edit] = []
    for match in _matches(_WIKILINK, parsed):
        embed, target, heading, alias = match.group(1), match.group(2).strip(), match.group(3), match.group(4)
        heading_text = (heading or "").lstrip("#").strip()
        alias = alias.strip() if alias is not None else None
        if embed:
            replacement = _embed(parsed, match, target, heading_text, alias, ctx)
        else:
            replacement = _link(match, target, heading_text, alias, ctx)
        if replacement is not None:
            edits.append(replacement)
    return edits


def _shown(target: str, heading: str, alias: str | None) -> str:
    text = alias or heading or target
    return escape_inline(text) if alias is None else text.replace("[", "\\[").replace("]", "\\]")


def _link(match: re.Match[str], target: str, heading: str, alias: str | None,
          ctx: RenderContext) -> Edit | None:
    start, end = match.span()
    shown = _shown(target, heading, alias)
    anchor = "#" + heading_anchor(heading) if heading else ""
    if not target:
        return Edit(start, end, f"[{shown}]({anchor})") if anchor else None
    found, url = _note_url(target, ctx, start)
    if not found:
        path = ctx.site.vault_file(target, post=ctx.post)
        if path is not None and path.suffix.lower() not in MARKDOWN_SUFFIXES:
            url = _file_url(path, ctx)  # [[report.pdf]]: a link to the file
        if url is None:
            ctx.warn(start, f"[[{target}]] names no note or file of the site: it is shown as "
                     "plain text")
    if url is None:
        return Edit(start, end, shown)
    return Edit(start, end, f"[{shown}]({_md_url(url + anchor)})")


def _note_url(target: str, ctx: RenderContext, offset: int) -> tuple[bool, str | None]:
    """(whether ``target`` names a note, its URL if the site publishes it)."""
    try:
        other = ctx.site.find_post(target, kind="wikilink", relative_to=ctx.post)
        if other is None:
            return False, None
        why = None if other.is_same_file(ctx.post) else ctx.site.unpublished_reason(other)
        if why is None:
            return True, ctx.site.canonical_url(other)
    except CrosspostError as exc:
        why = str(exc)  # a broken note is reported when it is itself published
    ctx.warn(offset, f"[[{target}]] links to a note the site does not publish ({why}); it is "
             "shown as plain text")
    return True, None


def _file_url(path: Path, ctx: RenderContext) -> str | None:
    try:
        return ctx.site.file_url(path, post=ctx.post)
    except CrosspostError:
        return None


def _embed(parsed: Parsed, match: re.Match[str], target: str, heading: str, alias: str | None,
           ctx: RenderContext) -> Edit | None:
    start, end = match.span()
    extension = posixpath.splitext(target)[1].lower()
    if extension in IMAGE_EXTENSIONS or extension in MEDIA_EXTENSIONS:
        path = ctx.site.vault_file(target, post=ctx.post)
        if path is None:
            ctx.warn(start, f"![[{target}]] names no file of the site: it is left out")
            return _alone(parsed, start, end, "")
        if extension in IMAGE_EXTENSIONS:
            size = _EMBED_SIZE.match(alias or "")
            alt = (size.group("alt") or "").strip() if size else (alias or "")
            # A path from the post: the link step makes it the file's published URL and
            # lists the file for Medium's upload, as for any local image.
            rel = posixpath.relpath(path.as_posix(), ctx.post.resolved_path.parent.as_posix())
            return _alone(parsed, start, end, f"![{_alt(alt)}]({quote(rel)})")
        url = _file_url(path, ctx)
        label = alias or path.name
        return Edit(start, end, f"[{escape_inline(label)}]({_md_url(url)})") if url else None
    # A note (or a section of one) shown inside this one: only a link can be carried over.
    found, url = _note_url(target, ctx, start) if target else (True, ctx.canonical_url)
    if url is None:
        if not found:
            ctx.warn(start, f"![[{target}]] names no note or file of the site: it is left out")
        return _alone(parsed, start, end, "")
    anchor = "#" + heading_anchor(heading) if heading else ""
    ctx.warn(start, f"![[{target}{'#' + heading if heading else ''}]] shows another note's text "
             f"on the site; {ctx.label} gets a link to it instead")
    return _alone(parsed, start, end, f"[{_shown(target, heading, alias)}]({_md_url(url + anchor)})")


def _alone(parsed: Parsed, start: int, end: int, replacement: str) -> Edit:
    """``replacement`` for ``text[start:end]``; a whole line of its own stays a block."""
    text = parsed.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if not text[line_start:start].strip(" \t>") and not text[end:line_end].strip():
        return block_edit(text, start, end, replacement)
    return Edit(start, end, replacement)


def _alt(alt: str) -> str:
    return " ".join(alt.replace("[", "\\[").replace("]", "\\]").split())


def _md_url(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s<>()]", url) else url


# -- callouts ---------------------------------------------------------------------------------


def callout_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """Each callout's first line as a bold title, or (folded, on the forums, not nested) a
    collapsible section around its content."""
    text = parsed.text
    edits: list[Edit] = []
    collapsed: list[tuple[int, int]] = []  # the folded callouts whose quoting goes
    for token, inline, marker, line_start, line_end in _callouts(parsed):
        kind, fold = marker.group(1), marker.group(2)
        title = text[marker.end():line_end].rstrip()
        block_start, block_end = parsed.block_range(token)
        if fold == "-" and ctx.dialect == "forum" and token.level == 0:
            edits.extend(_collapsible(text, block_start, block_end, line_start, line_end,
                                      _plain_title(title) or _default_title(kind), ctx))
            collapsed.append((block_start, block_end))
            continue
        prefix = text[line_start:marker.start()]
        if any(start <= line_start < end for start, end in collapsed):
            prefix = _QUOTE_PREFIX.sub("", prefix, count=1)  # inside a section now
        assert inline.map is not None
        edits.extend(_bold_title(text, marker, line_end, title, kind,
                                 separator=prefix if inline.map[1] > inline.map[0] + 1 else None))
    return edits


def _callouts(parsed: Parsed) -> Iterator[tuple[Token, Token, re.Match[str], int, int]]:
    """Each callout, outer ones first: (blockquote, first inline, marker, its line)."""
    text = parsed.text
    tokens = parsed.tokens
    for i, token in enumerate(tokens[:-2]):
        if (token.type != "blockquote_open" or tokens[i + 1].type != "paragraph_open"
                or tokens[i + 2].type != "inline" or token.map is None):
            continue
        inline = tokens[i + 2]
        if inline.map is None or not _CALLOUT.match(inline.content):
            continue
        line_start = parsed.offset_of_line(inline.map[0])
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        marker = _CALLOUT.search(text, line_start, line_end)
        if marker is not None and not parsed.is_protected(marker.start()):
            yield token, inline, marker, line_start, line_end


def _default_title(kind: str) -> str:
    return (kind[:1].upper() + kind[1:]).replace("-", " ")


def _plain_title(title: str) -> str:
    """A title as a collapsible section's summary: wikilinks as their text."""
    return _WIKILINK.sub(lambda m: (m.group(4) or (m.group(3) or "").lstrip("#")
                                    or m.group(2)).strip(), title).strip()


def _bold_title(text: str, marker: re.Match[str], line_end: int, title: str, kind: str, *,
                separator: str | None) -> list[Edit]:
    # The paragraph's next lines are the callout's body, not its title: a quoted blank line
    # (``separator``: the quoting the line will have) keeps them apart.
    after = "\n" + separator.rstrip() if separator is not None else ""
    if not title:
        return [Edit(marker.start(), line_end, f"**{escape_inline(_default_title(kind))}**{after}")]
    # Only the marker and the line's end change, so links in the title are still found. A
    # title whose own emphasis would pair with the wrapping stays upright.
    stars = "**" if _bold_holds(title) else ""
    return [Edit(marker.start(), marker.end(), stars),
            Edit(marker.start() + len(text[marker.start():line_end].rstrip()), line_end,
                 stars + after)]


def _bold_holds(title: str) -> bool:
    inner = FORUM_MD.renderInline(title)
    return bool(FORUM_MD.renderInline(f"**{title}**") == f"<strong>{inner}</strong>")


def _collapsible(text: str, block_start: int, block_end: int, line_start: int, line_end: int,
                 title: str, ctx: RenderContext) -> list[Edit]:
    opening = ctx.emitter.collapsible_open(title)
    closing = ctx.emitter.collapsible_close()
    before = "" if block_start == 0 or text[:block_start].endswith("\n\n") else "\n"
    edits = [Edit(line_start, line_end, before + opening)]
    # The content loses one level of quoting; lazy continuation lines have none to lose.
    position = line_end + 1
    while position < block_end:
        prefix = _QUOTE_PREFIX.match(text, position, block_end)
        if prefix is not None:
            edits.append(Edit(position, prefix.end(), ""))
        next_line = text.find("\n", position, block_end)
        if next_line < 0:
            break
        position = next_line + 1
    # The closing marker goes before the block's last line break (an edit that starts
    # where the next block starts would hide an insertion there), a blank line around it.
    if text[block_end - 1:block_end] == "\n":
        follows = text[block_end:block_end + 1] not in {"", "\n"}
        edits.append(Edit(block_end - 1, block_end - 1, f"\n\n{closing}" + ("\n" if follows else "")))
    else:
        edits.append(Edit(block_end, block_end, f"\n\n{closing}\n"))
    return edits


# -- highlights -------------------------------------------------------------------------------


def highlight_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """``==text==`` as bold, where the text does not start or end with a space (a sum such
    as ``a == b == c`` is no highlight, and bold would not hold there either)."""
    edits: list[Edit] = []
    for match in _matches(_HIGHLIGHT, parsed):
        inner = match.group(1)
        if inner != inner.strip():
            continue
        edits.append(Edit(match.start(), match.start() + 2, "**"))
        edits.append(Edit(match.end() - 2, match.end(), "**"))
    return edits


__all__ = ["callout_edits", "comment_edits", "highlight_edits", "obsidian_stage",
           "wikilink_edits"]
