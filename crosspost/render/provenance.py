"""Which line of the post file each line of a forum body was copied from, verbatim.

``crosspost pull`` brings edits made on a platform back into the post. That needs, for each
line of the body crosspost sent, the file line it came from, and only where the renderer
left the line exactly as the author wrote it: a line with a rewritten link, a converted
figure or the attribution has no origin, so an edit there is shown and left to the author
rather than guessed at. The span edits of :class:`~crosspost.render.markdown.Layer` already
say which text no step touched; this walks a line down through the layers to the file.
"""

from __future__ import annotations

import bisect

from crosspost.render.markdown import Layer, line_starts_of


def line_origins(layer: Layer) -> list[int | None]:
    """For each line of ``layer.text``, the 1-based file line it copies, or None."""
    root = layer
    while root.parent is not None:
        root = root.parent
    starts = line_starts_of(root.text)
    out: list[int | None] = []
    start = 0
    for line in layer.text.split("\n"):
        offset = _origin(layer, start, start + len(line))
        out.append(None if offset is None
                   else root.first_line + bisect.bisect_right(starts, offset) - 1)
        start += len(line) + 1
    return out


def forum_line_origins(layer: Layer, attribution: str | None) -> tuple[int | None, ...]:
    """:func:`line_origins` of the body :func:`crosspost.render.forum.finish` makes of
    ``layer.text``: the attribution and its blank line first (no origin), the text without
    its leading and trailing blank lines after them."""
    text = layer.text
    origins = line_origins(layer)
    lead = len(text) - len(text.lstrip("\n"))
    body = text.strip("\n")
    kept = origins[lead:lead + body.count("\n") + 1] if body else []
    head: list[int | None] = []
    if attribution:
        head.extend(None for _ in range(attribution.count("\n") + 1 + bool(body)))
    return tuple(head + kept)


def _origin(layer: Layer, start: int, end: int) -> int | None:
    """Where the line ``layer.text[start:end]`` starts in the first layer's text, if no edit
    touched it."""
    while layer.parent is not None:
        mapped = _to_parent(layer, start, end)
        if mapped is None:
            return None
        start, end = mapped
        layer = layer.parent
    return start


def _to_parent(layer: Layer, start: int, end: int) -> tuple[int, int] | None:
    """Where the untouched line ``[start, end)`` stands in the parent layer, as a whole line."""
    assert layer.parent is not None
    # Edits are in order and never overlap: only those from just before ``start`` matter.
    first = max(0, bisect.bisect_left(layer._new_starts, start) - 1)
    for new_start, new_end, _, _ in layer.segments[first:]:
        if new_start > end:
            break
        if new_start < end and new_end > start:
            return None  # replaced text inside the line
        if new_start == new_end and start < new_start < end:
            return None  # text removed from inside the line
        if start == end and new_start == start and new_end > new_start:
            return None  # a blank line that a replacement begins with
    parent = layer.parent.text
    # Layer's own offset map (private to the module that owns it, read-only here): an
    # offset outside every edit maps one to one.
    low = layer._to_parent(start)
    high = low + (end - start)
    whole = ((low == 0 or parent[low - 1] == "\n")
             and (high == len(parent) or parent[high] == "\n"))
    return (low, high) if whole and parent[low:high] == layer.text[start:end] else None


__all__ = ["forum_line_origins", "line_origins"]
