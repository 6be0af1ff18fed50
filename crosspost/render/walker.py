"""What the Liquid and Hugo-shortcode rewriters share: one pass of edits over the source.

Both walk the tags they found outside code, in order, and turn each into an edit; a tag
that swallows a stretch of text (a pair, a block) moves ``consumed`` past it so nothing in
it is handled twice, and an end tag already dealt with goes into ``handled``.

A tag nobody here understands keeps its content, and its parameters are shown the way
themes show them (:func:`present`): an attribution line for ``author``/``source``/``cite``,
a bold title for a ``title`` or a type (``notice warning``). When the site's template for it
is at hand (``Site.facts``), only the parameters the template shows are carried over.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from crosspost.render.context import RenderContext
from crosspost.render.markdown import (
    Edit,
    Parsed,
    block_edit,
    block_replacement,
    escape_inline,
    note_replacement,
)
from crosspost.sites.facts import Template

_TITLE_KEYS = ("title", "heading", "header", "label", "type", "kind")
_AUTHOR_KEYS = ("author", "by", "attribution", "attr", "credit")
_SOURCE_KEYS = ("source", "cite", "citation")
_WHEN_KEYS = ("date", "year")
_LINK_KEYS = ("link", "url", "href", "source_url", "sourceurl", "cite_url", "citeurl")
# Parameters that style the site's HTML and say nothing to a reader.
_PRESENTATIONAL = frozenset({
    "class", "id", "style", "width", "height", "align", "size", "color", "colour", "icon",
    "float", "position", "lang", "markdown", "theme", "variant", "mode", "open", "expand",
    "collapse", "border", "rounded", "shadow", "target", "rel",
})
_URL = re.compile(r"(?:https?://|/)\S*\Z")


@dataclass(frozen=True)
class Presentation:
    """How an unknown construct's parameters are shown, and what the warning says."""

    title: str | None = None  # Markdown for the bold title line (without the **)
    details: str | None = None  # Markdown for a line of the other parameters
    attribution: str | None = None  # the attribution line, Markdown
    quote: bool = False
    shown: list[str] = field(default_factory=list)


def present(named: Mapping[str, str], positional: Sequence[str], template: Template | None, *,
            paired: bool) -> Presentation:
    """Readable Markdown for the parameters of a construct crosspost does not know.

    With the site's template, only the parameters it prints as text are shown (the others
    are not on the site either); without one, every parameter but the styling ones is, each
    by its name's usual meaning in themes: an attribution line, a bold title, or a line of
    ``Name: value`` details.
    """
    if template is not None:
        named = {k: v for k, v in named.items() if k in template.named}
        positional = [v if i in template.positional else "" for i, v in enumerate(positional)]
    else:
        named = {k: v for k, v in named.items() if k not in _PRESENTATIONAL}
    named = {k: " ".join(v.split()) for k, v in named.items() if v.strip()}
    shown: list[str] = []
    used: set[str] = set()

    title = next(((k, named[k]) for k in _TITLE_KEYS if k in named), None)
    title_text: str | None = None
    first = " ".join(positional[0].split()) if positional else ""
    rest = [" ".join(v.split()) for v in positional[1:] if v.strip()]
    if title is not None:
        used.add(title[0])
        title_text = _titled(title[1]) if title[0] in {"type", "kind"} else title[1]
        shown.append(f"its {title[0]} as a bold title")
        rest = [first, *rest] if first else rest
    elif paired and re.search(r"[^\W\d_]", first) and not _URL.match(first):
        title_text = _titled(first)
        shown.append("its first parameter as a bold title")
    elif first:
        rest = [first, *rest]

    who = [named[k] for k in (*_AUTHOR_KEYS, *_SOURCE_KEYS) if k in named and not _URL.match(named[k])]
    link = next((named[k] for k in (*_LINK_KEYS, *_SOURCE_KEYS) if k in named and _URL.match(named[k])),
                None)
    attribution: str | None = None
    if who or (link and any(k in named for k in (*_AUTHOR_KEYS, *_SOURCE_KEYS))):
        keys = [k for k in (*_AUTHOR_KEYS, *_SOURCE_KEYS, *_WHEN_KEYS, *_LINK_KEYS) if k in named]
        used.update(keys)
        text = ", ".join(escape_inline(w) for w in who)
        when = next((named[k] for k in _WHEN_KEYS if k in named), None)
        if link and text:
            attribution = f"— [{text}](<{link}>)"
        elif link:
            attribution = f"— <{link}>"
        else:
            attribution = f"— {text}"
        if when:
            attribution += f", {escape_inline(when)}"
        shown.append(f"its {'/'.join(k for k in keys if k not in _LINK_KEYS) or keys[0]} as an "
                     "attribution line")

    others = [(k, v) for k, v in named.items() if k not in used]
    details = " · ".join([*(f"{_label(k)}: {escape_inline(v)}" for k, v in others),
                          *(escape_inline(v) for v in rest)])
    if details:
        shown.append(f"its {'/'.join(k for k, _ in others) or 'other parameters'} as a line")
    quote = template is not None and template.blockquote and paired
    return Presentation(title=escape_inline(title_text) if title_text else None,
                        details=details or None, attribution=attribution, quote=quote,
                        shown=shown)


def _label(key: str) -> str:
    words = key.replace("_", " ").replace("-", " ")
    return words[:1].upper() + words[1:]


def _titled(value: str) -> str:
    """A type word (``notice warning``) the way themes title it: capitalised."""
    return value[0].upper() + value[1:] if re.fullmatch(r"[a-z][\w-]*", value) else value


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
                     what: str, kind: str, name: str,
                     presentation: Presentation | None = None, nested: bool = False,
                     missing_template: str | None = None) -> None:
        """A tag nobody here understands: a pair keeps its content (and its parameters, in
        a readable form), a lone tag becomes a note pointing readers to the original post;
        either way with a warning that names what was approximated."""
        if closing is None:
            self.ctx.warn(start, f"{what} is not understood: a note points readers to the "
                          "original post")
            self._note(start, end, f"{name} (not shown here)")
            return
        shown = presentation or Presentation()
        lead = self.text[self.text.rfind("\n", 0, start) + 1:start]
        # Quoting rewrites the content's lines: only when nothing inside is rewritten too,
        # and not inside a quote of the author's own.
        quote = shown.quote and not nested and not lead.strip()
        parts = [*shown.shown, *(["as a quote"] if quote else [])]
        message = f"{what} is not understood: its content is kept, " + (
            ", ".join(parts) if parts else f"the {kind} left out")
        if missing_template:
            message += f" ({missing_template})"
        self.ctx.warn(start, message)
        self.handled.add(closing[0])
        head = [line for line in (f"**{shown.title}**" if shown.title else "", shown.details or "")
                if line]
        if quote:
            content = [line[len(lead):] if line.startswith(lead) else line.lstrip()
                       for line in self.text[end:closing[0]].split("\n")]
            while content and not content[0].strip():
                content.pop(0)
            while content and not content[-1].strip():
                content.pop()
            lines = [*(part for line in head for part in (line, "")), *content,
                     *(["", shown.attribution] if shown.attribution else [])]
            quoted = "\n".join(("> " + line).rstrip() for line in lines)
            self._block(start, closing[1], quoted)
            return
        self._block(start, end, "\n\n".join(head))
        self.edits.append(block_edit(self.text, closing[0], closing[1], shown.attribution or ""))


__all__ = ["Presentation", "SourceWalker", "present"]
