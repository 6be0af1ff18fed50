"""Definition lists (kramdown, and goldmark's extension that Hugo enables by default).

    Term
    : Definition

Neither the forums' markdown-it nor Medium has definition lists: the lines would arrive as
one paragraph reading "Term : Definition". A glossary reads just as well with each term as a
bold line and each definition as a paragraph under it, so that is what the edits make:

    **Term**

    Definition

kramdown's own rules (``lib/kramdown/parser/kramdown/paragraph.rb`` and ``dl.rb``): the
lines of the paragraph before the first ``:`` line are the terms; each ``:`` line starts a
definition, and the lines after it continue that definition; a blank line may stand between
the terms and the first definition, and between definitions.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from crosspost.render.context import RenderContext
from crosspost.render.markdown import Edit, Parsed

_MARKER = re.compile(r"[ ]{0,3}:[ \t]+(?=\S)")
# A term that already carries its own emphasis or starts/ends with an HTML tag is left as
# it is: wrapping it would pair markers with its own, or sit inside the tag's edit.
_NO_BOLD = re.compile(r"^(?:\*\*|__|<)|(?:\*\*|__|>)$")


def definition_list_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """Turn each definition list into bold terms and definition paragraphs."""
    edits: list[Edit] = []
    tokens = parsed.tokens
    previous_was_list = False
    for i, token in enumerate(tokens):
        if token.type != "paragraph_open" or token.map is None or i + 1 >= len(tokens):
            if token.type not in {"paragraph_close", "inline"}:
                previous_was_list = False
            continue
        lines = _placed_lines(parsed, tokens[i + 1])
        if lines is None:
            previous_was_list = False
            continue
        markers = [_MARKER.match(content) for _, content in lines]
        first = next((k for k, m in enumerate(markers) if m is not None), None)
        if first is None:
            previous_was_list = False
            continue
        where = lines[0][0]
        if first == 0:
            # Definitions after a blank line: their terms are the paragraph before, which
            # must be right before this one (or be a definition list itself).
            before = _paragraph_before(tokens, i)
            if before is None:
                previous_was_list = False
                continue
            if not previous_was_list:
                before_lines = _placed_lines(parsed, tokens[before + 1])
                if before_lines is None or any(_MARKER.match(c) for _, c in before_lines):
                    previous_was_list = False
                    continue
                edits.extend(_terms(before_lines))
                where = before_lines[0][0]
        else:
            edits.extend(_terms(lines[:first]))
        for (start, _content), marker in zip(lines[first:], markers[first:], strict=True):
            if marker is None:
                continue
            if start == lines[0][0]:
                edits.append(Edit(start, start + marker.end(), ""))
                continue
            # The marker goes, and a blank line comes before its line (carrying the line's
            # container prefix: quote markers stay in the quote, indentation in the item).
            line_start = parsed.text.rfind("\n", 0, start) + 1
            prefix = parsed.text[line_start:start]
            edits.append(Edit(line_start, start + marker.end(), prefix.rstrip() + "\n" + prefix))
        if not previous_was_list:
            ctx.inform(where, "a definition list is shown as bold terms, each followed "
                       "by its definitions as paragraphs")
        previous_was_list = True
    return edits


def _terms(lines: list[tuple[int, str]]) -> list[Edit]:
    edits: list[Edit] = []
    for k, (start, content) in enumerate(lines):
        term = content.rstrip()
        if not term:
            continue
        if not _NO_BOLD.search(term):
            edits.append(Edit(start, start, "**"))
            edits.append(Edit(start + len(term), start + len(term), "**"))
        if k < len(lines) - 1 and not content.endswith(("  ", "\\")):
            edits.append(Edit(start + len(term), start + len(term), "\\"))  # a hard break
    return edits


def _paragraph_before(tokens: list[Token], index: int) -> int | None:
    """The index of the ``paragraph_open`` of the paragraph just before ``tokens[index]``."""
    if index < 3 or tokens[index - 1].type != "paragraph_close":
        return None
    if tokens[index - 1].level != tokens[index].level:
        return None
    opening = index - 3
    return opening if tokens[opening].type == "paragraph_open" else None


def _placed_lines(parsed: Parsed, inline: Token) -> list[tuple[int, str]] | None:
    """(offset in the text, content) of each line of a paragraph's inline content.

    Each content line is its source line without the container prefix (indentation, list
    and quote markers), so it ends where the source line ends; None if that is not so.
    """
    if inline.type != "inline" or inline.map is None:
        return None
    text = parsed.text
    placed: list[tuple[int, str]] = []
    for k, content in enumerate(inline.content.split("\n")):
        line = inline.map[0] + k
        line_start = parsed.offset_of_line(line)
        line_end = text.find("\n", line_start)
        source = text[line_start:len(text) if line_end < 0 else line_end].rstrip()
        stripped = content.rstrip()
        if not source.endswith(stripped):
            return None
        placed.append((line_start + len(source) - len(stripped), content))
    return placed


__all__ = ["definition_list_edits"]
