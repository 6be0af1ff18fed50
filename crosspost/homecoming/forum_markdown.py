"""A forum post written in Markdown, kept as its author wrote it, in a dialect the site renders.

The forums read more than CommonMark (``reference/import.md`` §1.3, "Markdown posts' own
dialect"): ``\\\\(…\\\\)`` and ``\\\\[…\\\\]`` math (doubled backslashes), single-``$`` math,
``:::spoiler`` and ``>!`` spoilers, ``+++ Title`` … ``+++`` collapsible sections (``++>``: open)
and ``~sub~``/``^sup^``. A static site reads none of these, so each becomes what the site
renders, in the forms :mod:`crosspost.homecoming.html_in` writes too (and the renderer turns
back into the forums'). Everything else stays byte for byte. Constructs are found with the
renderer's markdown-it parse: nothing inside code is ever touched.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass

from crosspost.homecoming.html_in import SiteForm
from crosspost.render.markdown import Edit, Layer, Parsed, parse
from crosspost.render.parenmath import DISPLAY, INLINE

_BEGIN = re.compile(r"(?m)^[ \t]*\\begin\{([^}]*)\}.*?\\end\{\1\}[ \t]*$", re.DOTALL)
_COLLAPSIBLE = re.compile(r"^(?P<marker>\+{3,}|\+{2,}>)[ \t]*(?P<title>.*?)[ \t]*$")
_CONTAINER_OPEN = re.compile(r"^:{3,}[ \t]*spoiler\b.*$")
_CONTAINER_CLOSE = re.compile(r"^:{3,}[ \t]*$")


@dataclass(frozen=True)
class Normalised:
    text: str
    changes: tuple[str, ...]  # what was rewritten, for the report ("3 equations", …)


def normalise(markdown: str, form: SiteForm) -> Normalised:
    """``markdown`` (a forum post's source) in the site's dialect."""
    text = markdown.replace("\r\n", "\n")
    changes: list[str] = []
    text = _apply(text, lambda parsed: _math_edits(parsed, form, changes))
    text = _apply(text, lambda parsed: _script_edits(parsed, changes))
    text = _blocks(text, form, changes)
    text = _apply(text, lambda parsed: _anchor_edits(parsed, form, changes))
    return Normalised(text, tuple(dict.fromkeys(changes)))


def _apply(text: str, make: object) -> str:
    parsed = parse(text)
    edits = make(parsed)  # type: ignore[operator]
    return Layer(text).apply(edits).text if edits else text


def _unprotected(parsed: Parsed, start: int, end: int) -> bool:
    return not parsed.overlaps_protected(start, end) and not parsed.in_html_block(start)


def _math_edits(parsed: Parsed, form: SiteForm, changes: list[str]) -> list[Edit]:
    text = parsed.text
    edits: list[Edit] = []
    for span in parsed.spans_of("math_inline"):
        # The parse reads `\\(…\\)` and `\\[…\\]` as the forums do (render/parenmath.py).
        if span.token is None or span.token.type not in {INLINE, DISPLAY}:
            continue
        if parsed.in_html_block(span.start):
            continue
        tex = text[span.start + 3:span.end - 3].strip()
        display = span.token.type == DISPLAY
        edits.append(Edit(span.start, span.end, _math(tex, display, form, text, span.start)))
        changes.append("\\\\(…\\\\) math")
    for match in _BEGIN.finditer(text):
        if _unprotected(parsed, match.start(), match.end()):
            edits.append(Edit(match.start(), match.end(), f"$$\n{match.group(0).strip()}\n$$"))
            changes.append("\\begin{…} math")
    for span in parsed.spans_of("math_inline"):
        # `$$…$$` inside a paragraph is display math on the forums, inline math in kramdown
        # and Quartz: it gets lines of its own (where the paragraph is not nested).
        if span.token is None or span.token.type != "math_inline_double":
            continue
        start, end = parsed.block_range(span.block)
        alone = text[start:end].strip() == text[span.start:span.end]
        if not alone and span.block.level <= 1:
            tex = text[span.start + 2:span.end - 2].strip()
            low, high = span.start, span.end
            while low > start and text[low - 1] in " \t":
                low -= 1
            while high < end and text[high] in " \t":
                high += 1
            edits.append(Edit(low, high, f"\n\n$$\n{tex}\n$$\n\n"))
            changes.append("$$…$$ inside a paragraph (display math, on lines of its own)")
    if not form.dollar_math:
        for span in parsed.spans_of("math_inline"):
            if span.token is not None and span.token.type == "math_inline":
                tex = text[span.start + 1:span.end - 1]
                edits.append(Edit(span.start, span.end, f"$${tex}$$"))
                changes.append("$…$ math (the site reads $$…$$)")
    return edits


def _math(tex: str, display: bool, form: SiteForm, text: str, at: int) -> str:
    if display:
        line_start = text.rfind("\n", 0, at) + 1
        alone = not text[line_start:at].strip()
        return f"$$\n{tex}\n$$" if alone else f"\n\n$$\n{tex}\n$$\n\n"
    return f"${tex}$" if form.dollar_math else f"$${tex}$$"


def _script_edits(parsed: Parsed, changes: list[str]) -> list[Edit]:
    """``~x~`` and ``^x^`` (markdown-it-sub/sup) as ``<sub>``/``<sup>``: kramdown and
    goldmark have no such syntax (goldmark reads ``~x~`` as strikethrough)."""
    text = parsed.text
    edits: list[Edit] = []
    for span in parsed.spans_of("sub", "sup"):
        tag = "sub" if text[span.start] == "~" else "sup"
        inner = text[span.start + 1:span.end - 1].replace("\\ ", " ")
        edits.append(Edit(span.start, span.end, f"<{tag}>{inner}</{tag}>"))
        changes.append(f"~sub~ and ^sup^ (as <{tag}>)")
    return edits


def _anchor_edits(parsed: Parsed, form: SiteForm, changes: list[str]) -> list[Edit]:
    """Links to the post's own headings, named as the forums name them (``#My_Heading_``),
    point at the site's anchors; the renderer turns them back into the forums'."""
    from urllib.parse import unquote

    from crosspost.render.forum import forum_anchors, heading_texts

    links = [s for s in parsed.spans_of("link")
             if s.dest is not None and parsed.text.startswith("#", s.dest[0])]
    if not links:
        return []
    texts = heading_texts(parsed)
    mapping = dict(zip(forum_anchors(texts), form.anchors(texts), strict=True))
    edits: list[Edit] = []
    for span in links:
        assert span.dest is not None
        wanted = unquote(parsed.text[span.dest[0] + 1:span.dest[1]])
        if mapping.get(wanted, wanted) != wanted:
            edits.append(Edit(span.dest[0], span.dest[1], "#" + mapping[wanted]))
            changes.append("links to the post's headings (the site's anchors)")
    return edits


def _code_lines(parsed: Parsed) -> set[int]:
    lines: set[int] = set()
    for token in parsed.tokens:
        if token.type in {"fence", "code_block", "html_block"} and token.map is not None:
            lines.update(range(token.map[0], token.map[1]))
    return lines


def _blocks(text: str, form: SiteForm, changes: list[str]) -> str:
    """Spoilers (``>!`` lines, ``:::spoiler`` containers) and collapsible sections; in an
    Obsidian vault a collapsible section is a folded callout, its lines quoted."""
    parsed = parse(text, scan=True)
    code = _code_lines(parsed)
    lines = text.split("\n")
    out: list[str] = []
    stack: list[str] = []  # open collapsible markers
    quote = "> " if form.obsidian else ""

    def emit(*new: str) -> None:
        prefix = quote * len(stack)
        out.extend((prefix + item).rstrip() if prefix else item for item in new)

    index = 0
    while index < len(lines):
        line = lines[index]
        if index in code:
            emit(line)
            index += 1
            continue
        if line.startswith(">!"):
            inner = []
            while index < len(lines) and lines[index].startswith(">!") and index not in code:
                content = lines[index][2:]
                inner.append(content[1:] if content.startswith(" ") else content)
                index += 1
            emit(*_spoiler("\n".join(inner), form).split("\n"))
            changes.append(">! spoilers")
            continue
        if _CONTAINER_OPEN.match(line):
            end = next((j for j in range(index + 1, len(lines))
                        if j not in code and _CONTAINER_CLOSE.match(lines[j])), None)
            if end is not None:
                emit(*_spoiler("\n".join(lines[index + 1:end]), form).split("\n"))
                changes.append(":::spoiler containers")
                index = end + 1
                continue
        opened = _COLLAPSIBLE.match(line)
        marker = opened.group("marker").replace(">", "+") if opened else ""
        if opened and stack and marker == stack[-1] and not opened.group("title"):
            while form.obsidian and out and out[-1].strip() == ">" * len(stack):
                out.pop()  # the section's trailing blank lines
            stack.pop()
            emit("", *([] if form.obsidian else [_close()]), "")
            index += 1
            continue
        if opened and opened.group("title") and not opened.group("title").endswith(marker[-1]):
            emit("", *_open(opened.group("title"), form).split("\n"))
            stack.append(marker)
            if not form.obsidian:
                emit("")
            changes.append("+++ collapsible sections")
            index += 1
            continue
        emit(line)
        index += 1
    while stack:  # the forums close a section left open at the end of the post
        stack.pop()
        emit("", *([] if form.obsidian else [_close()]))
    joined = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", joined) if changes else joined


def _spoiler(inner: str, form: SiteForm) -> str:
    attr = ' markdown="1"' if form.kramdown else ""
    return f'<div class="spoiler"{attr}>\n\n{inner.strip(chr(10))}\n\n</div>'


def _open(title: str, form: SiteForm) -> str:
    title = re.sub(r"^#{1,6}[ \t]+", "", title).strip()
    if form.obsidian:
        return f"> [!note]- {title}"
    attr = ' markdown="1"' if form.kramdown else ""
    return f"<details{attr}>\n<summary>{htmllib.escape(title, quote=False)}</summary>"


def _close() -> str:
    return "</details>"


__all__ = ["Normalised", "normalise"]
