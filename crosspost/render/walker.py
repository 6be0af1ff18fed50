"""What the Liquid and Hugo-shortcode rewriters share: one pass of edits over the source.

Both walk the tags they found outside code, in order, and turn each into an edit; a tag
that swallows a stretch of text (a pair, a block) moves ``consumed`` past it so nothing in
it is handled twice, and an end tag already dealt with goes into ``handled``.
"""

from __future__ import annotations

from crosspost.render.context import RenderContext
from crosspost.render.markdown import (
    Edit,
    Parsed,
    block_edit,
    block_replacement,
    note_replacement,
)


class SourceWalker:
    def __init__(self, parsed: Parsed, ctx: RenderContext) -> None:
        self.parsed = parsed
        self.text = parsed.text
        self.ctx = ctx
        self.edits: list[Edit] = []
        self.consumed = 0
        self.handled: set[int] = set()

    def _block(self, start: int, end: int, text: str) -> None:
        self.edits.append(block_replacement(self.parsed, start, end, text))
        self.consumed = max(self.consumed, end)

    def _note(self, start: int, end: int, what: str) -> None:
        self.edits.append(note_replacement(self.parsed, start, end, self.ctx.note(what)))
        self.consumed = max(self.consumed, end)

    def _unknown_tag(self, start: int, end: int, closing: tuple[int, int] | None, *,
                     what: str, kind: str, name: str) -> None:
        """A tag nobody here understands: a pair keeps its content, a lone tag becomes a
        note pointing readers to the original post; either way with a warning."""
        if closing is not None:
            self.ctx.warn(start, f"{what} is not understood: its content is kept, the {kind} "
                          "left out")
            self._block(start, end, "")
            self.edits.append(block_edit(self.text, closing[0], closing[1], ""))
            self.handled.add(closing[0])
            return
        self.ctx.warn(start, f"{what} is not understood: a note points readers to the "
                      "original post")
        self._note(start, end, f"{name} (not shown here)")


__all__ = ["SourceWalker"]
