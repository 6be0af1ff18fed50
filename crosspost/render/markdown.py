"""The Markdown parser the renderer finds constructs with, and span-preserving edits.

Why a parser and not regular expressions: the forums render with markdown-it, so markdown-it-py
configured the same way decides what is code (never touched), what is a link (rewritten), and
what the forums would turn into a subscript. Why edits and not re-serialising the token stream:
everything the renderer does not need to change stays byte for byte what the author wrote
(the idea of crier's ``converters/_links.py``, see prior art A.1).

markdown-it-py gives source lines for blocks but no positions for inline tokens. The parser
here records them: each inline rule of interest is wrapped so that, when it matches, the span
it consumed is stored in the parse ``env``; :func:`parse` then maps those spans (offsets in
the inline token's ``content``) back to offsets in the parsed text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.linkify import SCHEME_RE
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from crosspost.render.parenmath import paren_math_plugin

# Keys of the parse ``env`` where the recording rules leave what they found.
_RECORDS = "crosspost_records"
_REFERENCES = "crosspost_references"
_CURRENT = "crosspost_current"
_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n){2,}")

# Inline rules whose matches the renderer needs to place. "backticks" and the math rules
# give the protected ranges; "sub"/"sup" are the forum-only syntax an author never meant.
_RECORDED_INLINE = (
    "backticks", "math_inline", "math_paren", "link", "image", "autolink", "html_inline",
    "linkify", "sub", "sup",
)
# Rules recorded under another rule's kind: ``\\(…\\)`` is math as ``$…$`` is.
_KIND_OF = {"math_paren": "math_inline"}
PROTECTED_BLOCKS = frozenset({"fence", "code_block", "math_block", "math_block_label"})


def _configure(md: MarkdownIt) -> MarkdownIt:
    """The forums' dialect (``pl/lib/utils/markdownItPlugins.ts``, reference §6.2)."""
    md.enable(["table", "strikethrough", "linkify"])
    # The core linkify pass finds scheme-less links (www.example.org, e-mail addresses) and
    # costs more than the rest of the parse together (2.7 of 5.1 ms on the shared example).
    # Those links never need rewriting; the inline rule still finds every scheme:// URL.
    md.core.ruler.disable("linkify")
    md.use(footnote_plugin)
    # The forums' math: `$` must not be followed by a space, the closing one not preceded by
    # a space nor followed by a digit; `$$…$$` inside a paragraph is found too (it is display
    # math on the forums, inline math in kramdown).
    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False,
           double_inline=True)
    md.use(paren_math_plugin)  # the forums' `\\(…\\)` and `\\[…\\]`
    md.use(sub_plugin)
    md.use(superscript_plugin)
    return md


def _recording(kind: str, rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    def recorded(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if kind == "linkify":
            # The rule fires at "://", after the scheme went into the pending text.
            scheme = SCHEME_RE.search(state.pending)
            start -= len(scheme.group(1)) if scheme else 0
        first = len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent:
            records = state.env.get(_RECORDS)
            if records is not None:
                # The pending text before the construct is flushed first: skip it.
                token = next((t for t in state.tokens[first:] if t.type != "text"), None)
                dest = _destination(state, kind, start) if kind in {"link", "image"} else None
                records.append((state.env[_CURRENT], kind, start, state.pos, token, dest))
        return matched

    return recorded


def _destination(state: StateInline, kind: str, start: int) -> tuple[int, int] | None:
    """Where an inline link's destination sits in ``state.src`` (None for reference links)."""
    src = state.src
    opening = start if kind == "link" else start + 1  # the "[" (after "!" for an image)
    label_end = state.md.helpers.parseLinkLabel(state, opening, kind == "link")
    if label_end < 0:
        return None
    pos = label_end + 1
    if pos >= len(src) or src[pos] != "(":
        return None
    pos += 1
    while pos < len(src) and src[pos] in " \t\n":
        pos += 1
    result = state.md.helpers.parseLinkDestination(src, pos, len(src))
    if not result.ok or result.pos == pos:
        return None
    return pos, result.pos


def _recording_reference(rule: Callable[[StateBlock, int, int, bool], bool]) -> Callable[
        [StateBlock, int, int, bool], bool]:
    def recorded(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        matched = rule(state, start_line, end_line, silent)
        if matched and not silent:
            refs = state.env.get(_REFERENCES)
            if refs is not None:
                refs.append((start_line, state.line))
        return matched

    return recorded


def _inline_core(state: StateCore) -> None:
    """markdown-it's core "inline" rule, noting which block each inline parse belongs to."""
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            state.env[_CURRENT] = token
            state.md.inline.parse(token.content, state.md, state.env, token.children)
    state.env.pop(_CURRENT, None)


def _build(*, scan: bool) -> MarkdownIt:
    md = _configure(MarkdownIt("commonmark", {"html": True, "linkify": True}))
    # Links are rewritten from their source text, never from the parser's normalised
    # (percent-encoded) href: skip the normalisation, which is a fifth of the parse.
    md.normalizeLink = _keep  # type: ignore[method-assign]
    md.validateLink = _valid  # type: ignore[method-assign]
    recorded: tuple[str, ...] = _RECORDED_INLINE
    if scan:
        # Finding code and math only: the inline rules that cannot hide a code span go.
        md.inline.ruler.disable(["linkify", "strikethrough", "emphasis", "link", "image",
                                 "autolink", "entity", "footnote_inline", "footnote_ref",
                                 "sub", "sup"])
        md.inline.ruler2.disable(["strikethrough", "emphasis"])
        recorded = ("backticks", "math_inline", "math_paren", "html_inline")
    for name in recorded:
        rule = next(r.fn for r in md.inline.ruler.__rules__ if r.name == name)
        md.inline.ruler.at(name, _recording(_KIND_OF.get(name, name), rule))
    reference = next(r.fn for r in md.block.ruler.__rules__ if r.name == "reference")
    md.block.ruler.at("reference", _recording_reference(reference))
    md.core.ruler.at("inline", _inline_core)
    return md


def _keep(url: str) -> str:
    return url


def _valid(url: str) -> bool:
    return True


# The source view: raw HTML is recognised (as the site generator sees it) so that it can be
# converted; everything else parses as on the forums. Built once, reused for every post.
SOURCE_MD = _build(scan=False)
# The same blocks, but inline only what protects text (code, math, HTML tags): enough to
# find Liquid and shortcodes outside code, at a third of the cost.
SCAN_MD = _build(scan=True)
# The forums' own view (``html: false``): used to check output, never to find constructs.
FORUM_MD = _configure(MarkdownIt("commonmark", {"html": False, "linkify": True}))


# -- positions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """One inline construct, placed in the parsed text.

    ``kind`` is the rule that matched (``backticks``, ``math_inline``, ``link``, ``image``,
    ``autolink``, ``html_inline``, ``linkify``, ``sub``, ``sup``); ``dest`` is the inline
    destination of a link or image; ``block`` the inline token it belongs to.
    """

    kind: str
    start: int
    end: int
    token: Token | None
    block: Token
    dest: tuple[int, int] | None = None

    @property
    def href(self) -> str:
        if self.token is None:
            return ""
        value = self.token.attrGet("href") or self.token.attrGet("src")
        return str(value) if value is not None else ""


@dataclass(frozen=True)
class Reference:
    """A link reference definition (``[label]: destination``)."""

    start: int
    end: int
    dest: tuple[int, int]


@dataclass
class Parsed:
    """A parse of ``text``: block tokens, placed inline spans, protected ranges."""

    text: str
    tokens: list[Token]
    spans: list[Span]
    references: list[Reference]
    line_starts: list[int]
    protected: list[tuple[int, int]] = field(default_factory=list)
    html_blocks: list[tuple[int, int]] = field(default_factory=list)
    # Inline blocks whose content could not be placed (tabs expanded by the parser): nothing
    # inside them is rewritten, and they count as protected.
    unplaced: list[Token] = field(default_factory=list)

    def block_range(self, token: Token) -> tuple[int, int]:
        """Text offsets of the whole lines a block token covers."""
        assert token.map is not None
        return self.offset_of_line(token.map[0]), self.offset_of_line(token.map[1])

    def offset_of_line(self, line: int) -> int:
        return self.line_starts[line] if line < len(self.line_starts) else len(self.text)

    def line_index(self, offset: int) -> int:
        """0-based line of ``offset`` in ``text``."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def is_protected(self, offset: int) -> bool:
        i = bisect.bisect_right(self.protected, (offset, len(self.text) + 1)) - 1
        return i >= 0 and self.protected[i][0] <= offset < self.protected[i][1]

    def overlaps_protected(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.protected, (end, -1)) - 1
        return i >= 0 and self.protected[i][1] > start

    def in_html_block(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.html_blocks)

    def spans_of(self, *kinds: str) -> Iterator[Span]:
        return (s for s in self.spans if s.kind in kinds)

    def cell_blocks(self) -> set[int]:
        """The ids of the inline tokens that are table cells (where ``|`` must be ``\\|``)."""
        return {id(token) for previous, token in itertools.pairwise(self.tokens)
                if token.type == "inline" and previous.type in {"th_open", "td_open"}}


def line_starts_of(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def parse(text: str, *, scan: bool = False) -> Parsed:
    """Parse ``text`` (LF line endings) with the source view and place everything found.

    ``scan`` parses for protected ranges and HTML blocks only (the source-dialect step).
    """
    records: list[tuple[Token, str, int, int, Token | None, tuple[int, int] | None]] = []
    refs: list[tuple[int, int]] = []
    env: dict[str, Any] = {_RECORDS: records, _REFERENCES: refs}
    tokens = (SCAN_MD if scan else SOURCE_MD).parse(text, env)
    starts = line_starts_of(text)
    parsed = Parsed(text=text, tokens=tokens, spans=[], references=[], line_starts=starts)

    hints = _cell_hints(text, parsed, tokens)
    placers: dict[int, Callable[[int], int] | None] = {}
    for block, kind, start, end, token, dest in records:
        key = id(block)
        if key not in placers:
            placers[key] = _placer(text, parsed, block, hints.get(key))
            if placers[key] is None:
                parsed.unplaced.append(block)
        place = placers[key]
        if place is None:
            continue
        placed_dest = (place(dest[0]), place(dest[1])) if dest is not None else None
        parsed.spans.append(Span(kind, place(start), place(end), token, block, placed_dest))
    parsed.spans.sort(key=lambda s: (s.start, -s.end))

    for first, last in refs:
        start, end = parsed.offset_of_line(first), parsed.offset_of_line(last)
        match = _REFERENCE_DEST.match(text, start, end)
        if match:
            parsed.references.append(Reference(start, end, match.span("dest")))

    protected: list[tuple[int, int]] = []
    for token in tokens:
        if token.type in PROTECTED_BLOCKS and token.map is not None:
            protected.append(parsed.block_range(token))
        elif token.type == "html_block" and token.map is not None:
            parsed.html_blocks.append(parsed.block_range(token))
    for block in parsed.unplaced:
        if block.map is not None:
            protected.append(parsed.block_range(block))
    for span in parsed.spans:
        if span.kind in {"backticks", "math_inline"}:
            protected.append((span.start, span.end))
    parsed.protected = _merge(protected)
    return parsed


_REFERENCE_DEST = re.compile(r"[ ]{0,3}\[[^\]\n]*(?:\][^\]\n]*)*\]:[ \t]*\n?[ \t]*(?P<dest><[^>\n]*>|\S+)")


def _cell_hints(text: str, parsed: Parsed, tokens: list[Token]) -> dict[int, int]:
    """Where to start looking for each table cell's content: after the previous cell's.

    Cells of one row share one source line, and two cells may hold the same text.
    """
    hints: dict[int, int] = {}
    row_cursor: dict[int, int] = {}
    for previous, token in itertools.pairwise(tokens):
        if token.type != "inline" or previous.type not in {"th_open", "td_open"} or token.map is None:
            continue
        line = token.map[0]
        cursor = row_cursor.get(line, parsed.offset_of_line(line))
        hints[id(token)] = cursor
        found = _locate(text, token.content, cursor, parsed.offset_of_line(line + 1))
        row_cursor[line] = found[1] if found is not None else cursor
    return hints


def _locate(text: str, line: str, cursor: int, limit: int) -> tuple[list[tuple[int, int]], int] | None:
    """Where one content line sits in ``text[cursor:limit]``: breakpoints (offset in the
    line, offset in the text) and the text offset after it; None if it is not there.

    A table cell's content has its escaped pipes unescaped (``\\|`` becomes ``|``): each
    pipe then shifts the rest of the line by one.
    """
    if not line:
        return [(0, cursor)], cursor
    found = text.find(line, cursor, limit)
    if found >= 0:
        return [(0, found)], found + len(line)
    if "|" in line:
        escaped = line.replace("|", "\\|")
        found = text.find(escaped, cursor, limit)
        if found >= 0:
            points = [(0, found)]
            shift = 0
            for i, ch in enumerate(line):
                if ch == "|":
                    shift += 1
                    points.append((i, found + i + shift))
            return points, found + len(escaped)
    return None


def _placer(text: str, parsed: Parsed, block: Token, hint: int | None = None) -> Callable[[int], int] | None:
    """Map offsets in ``block.content`` to offsets in ``text``, or None if it can't be done.

    Each line of an inline token's content is a verbatim piece of one source line (the
    parser only strips indentation, list and quote markers, and trims the ends), so the
    lines are found in order, each after the previous one.
    """
    if block.map is None:
        return None
    cursor = parsed.offset_of_line(block.map[0]) if hint is None else hint
    limit = parsed.offset_of_line(block.map[1])
    content_starts: list[int] = []
    text_starts: list[int] = []
    offset = 0
    for line in block.content.split("\n"):
        located = _locate(text, line, cursor, limit)
        if located is None:
            return None
        points, cursor = located
        for in_line, at in points:
            content_starts.append(offset + in_line)
            text_starts.append(at)
        offset += len(line) + 1

    def place(position: int) -> int:
        i = bisect.bisect_right(content_starts, position) - 1
        return text_starts[i] + position - content_starts[i]

    return place


def _merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


# -- edits ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str


class Layer:
    """One version of the body text, and how its offsets map back to the file.

    The body is rewritten in stages (source dialect, then Markdown); each stage is a layer
    over the previous one, so a notice raised late still names the line the author wrote.
    """

    def __init__(self, text: str, *, first_line: int = 1, parent: Layer | None = None,
                 segments: Sequence[tuple[int, int, int, int]] = ()) -> None:
        self.text = text
        self.first_line = first_line
        self.parent = parent
        # (new_start, new_end, old_start, old_end) of every replaced region, in order
        self.segments = list(segments)
        self._new_starts = [s[0] for s in self.segments]
        self._root_lines: list[int] | None = None

    def origin(self, offset: int) -> int:
        """The offset in the first layer that ``offset`` came from."""
        layer: Layer | None = self
        while layer is not None and layer.parent is not None:
            offset = layer._to_parent(offset)
            layer = layer.parent
        return offset

    def _to_parent(self, offset: int) -> int:
        i = bisect.bisect_right(self._new_starts, offset) - 1
        if i < 0:
            return offset
        _, new_end, old_start, old_end = self.segments[i]
        if offset < new_end:
            return old_start
        return old_end + (offset - new_end)

    def line(self, offset: int) -> int:
        """The file line (1-based) that ``offset`` in this layer's text came from."""
        root: Layer = self
        while root.parent is not None:
            root = root.parent
        if root._root_lines is None:
            root._root_lines = line_starts_of(root.text)
        origin = self.origin(offset)
        return root.first_line + bisect.bisect_right(root._root_lines, origin) - 1

    def tidied(self) -> Layer:
        """This layer with the blank-line runs left around its edits closed up.

        Edits are decided against the text before any of them applies, so neighbouring
        removals can leave three blank lines or a line of spaces. Only lines next to an
        edit are touched; code never is (an edit is never inside code).
        """
        text = self.text
        edits: list[Edit] = []
        for new_start, new_end, _, _ in self.segments:
            low, high = new_start, new_end
            while low > 0 and text[low - 1] in " \t\n":
                low -= 1
            while high < len(text) and text[high] in " \t\n":
                high += 1
            # Only runs that touch the edit's edges: the inside of a replacement (a fence
            # built from a highlight tag) is kept as it is.
            edits.extend(Edit(m.start(), m.end(), "\n\n")
                         for m in _BLANK_RUN.finditer(text, low, high)
                         if m.start() <= new_start <= m.end() or m.start() <= new_end <= m.end())
        return self.apply(edits) if edits else self

    def apply(self, edits: Iterable[Edit]) -> Layer:
        """A new layer with ``edits`` applied; of two overlapping edits the outer one wins."""
        ordered = sorted(edits, key=lambda e: (e.start, -e.end))
        if not ordered:
            return self
        pieces: list[str] = []
        segments: list[tuple[int, int, int, int]] = []
        cursor = 0
        length = 0
        for edit in ordered:
            if edit.start < cursor:
                continue  # inside (or overlapping) an edit already taken
            pieces.append(self.text[cursor:edit.start])
            length += edit.start - cursor
            pieces.append(edit.replacement)
            segments.append((length, length + len(edit.replacement), edit.start, edit.end))
            length += len(edit.replacement)
            cursor = edit.end
        pieces.append(self.text[cursor:])
        return Layer("".join(pieces), parent=self, segments=segments)


# -- small Markdown writers shared by the emitters --------------------------------------------


def fence(code: str, lang: str = "") -> str:
    """A fenced code block holding ``code`` exactly (fence longer than any run inside)."""
    longest = max((len(m.group(0)) for m in re.finditer(r"`{3,}", code)), default=0)
    marker = "`" * max(3, longest + 1)
    body = code if code.endswith("\n") or not code else code + "\n"
    return f"{marker}{lang}\n{body}{marker}"


_LEAD = re.compile(r"[ \t>]*")


def block_edit(text: str, start: int, end: int, replacement: str) -> Edit:
    """Replace ``text[start:end]`` with a block, keeping it apart from its neighbours.

    A block (a figure, an embed, a converted HTML element) must be its own paragraph, so a
    blank line is added before and after unless one is there. Its lines get the indentation
    (or quote markers) of the line it replaces, so it stays inside a list item or a quote. An
    empty replacement removes the region's lines and, between two blank lines, one of them.
    """
    if end > start and text[end - 1] == "\n":
        end -= 1
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    lead = text[line_start:start]
    alone = _LEAD.fullmatch(lead) is not None and not text[end:line_end].strip()
    if not alone:
        return Edit(start, end, "\n\n" + replacement + "\n\n" if replacement else "")
    prev_blank = line_start == 0 or _blank_line_before(text, line_start)
    next_blank = line_end >= len(text) or _blank_line_after(text, line_end)
    if not replacement:
        start, end = line_start, min(len(text), line_end + 1)
        if prev_blank and end < len(text) and _blank_line_after(text, end - 1):
            end = min(len(text), text.find("\n", end) + 1 or len(text))
        return Edit(start, end, "")
    body = replacement.replace("\n", "\n" + lead)
    body = re.sub(r"[ \t]+$", "", body, flags=re.MULTILINE)
    blank = "\n" + lead.rstrip()
    return Edit(start, line_end, ("" if prev_blank else blank) + body + ("" if next_blank else blank))


def block_replacement(parsed: Parsed, start: int, end: int, markdown: str) -> Edit:
    """A block for ``parsed.text[start:end]``; as HTML when it stands inside raw HTML.

    A Liquid include inside a ``<div>`` is part of an HTML block: Markdown put there would not
    be Markdown (and blank lines would split the block), so the block goes in as the HTML it
    renders to, and the HTML step converts the whole element for the target afterwards.
    """
    if markdown and parsed.in_html_block(start):
        return Edit(start, end, FORUM_MD.render(markdown).strip())
    return block_edit(parsed.text, start, end, markdown)


def note_replacement(parsed: Parsed, start: int, end: int, note: str) -> Edit:
    """A note in place of ``parsed.text[start:end]``: inline inside a sentence, else a block."""
    text = parsed.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    rest = text[line_start:start] + text[end:len(text) if line_end < 0 else line_end]
    if rest.strip(" \t>"):
        return Edit(start, end, note)
    return block_replacement(parsed, start, end, note)


def _blank_line_before(text: str, line_start: int) -> bool:
    previous = text.rfind("\n", 0, line_start - 1) + 1
    return not text[previous:line_start - 1].strip(" \t>")


def _blank_line_after(text: str, line_end: int) -> bool:
    following = text.find("\n", line_end + 1)
    following = len(text) if following < 0 else following
    return not text[line_end + 1:following].strip(" \t>")


def italic(text: str) -> str:
    """``text`` (one line of Markdown) as an italic line that means the same on the forums.

    Wrapping in ``*`` is not always Markdown for "this, in italics": a caption that starts
    with ``**bold**`` or ends in an emphasised word can pair its markers with the wrapper's.
    Each wrapping is rendered and kept only if it is exactly the caption inside ``<em>``;
    when neither is, the line stays upright rather than change what it says.
    """
    text = text.strip()
    if not text:
        return ""
    inner = FORUM_MD.renderInline(text)
    stars, underscores = f"*{text}*", f"_{text}_"
    order = (underscores, stars) if text[0] == "*" or text[-1] == "*" else (stars, underscores)
    for candidate in order:
        if FORUM_MD.renderInline(candidate) == f"<em>{inner}</em>":
            return candidate
    return text


def escape_inline(text: str) -> str:
    """Make plain text safe to put into Markdown inline content."""
    return re.sub(r"([\\`*_\[\]<>#~^$|])", r"\\\1", text)


__all__ = [
    "FORUM_MD", "PROTECTED_BLOCKS", "SCAN_MD", "SOURCE_MD", "Edit", "Layer",
    "Parsed", "Reference", "Span", "block_edit", "block_replacement", "escape_inline", "fence",
    "italic",
    "line_starts_of", "note_replacement", "parse",
]
