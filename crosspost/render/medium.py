"""Medium's dialect: the small set of HTML its API keeps (reference medium.md §5).

The body is rendered here from the normalised Markdown with markdown-it, with rules for what
Medium lacks: no highlighting (``<pre>`` without language), no tables (aligned text in a
``<pre>``), no nested lists (sub-items become lines of their parent item), no footnotes
(``<sup>n</sup>`` and a Notes section), no math (the TeX stays as text), no in-page anchors.
Each loss is reported with its line. The title is repeated as the first ``<h1>`` because
Medium does not show the ``title`` field otherwise.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from crosspost.render.caption import caption_markdown
from crosspost.render.context import PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN, RenderContext
from crosspost.render.html import MEDIUM_HEADINGS, text_table, to_clean_html
from crosspost.render.markdown import line_starts_of
from crosspost.render.parenmath import DISPLAY, INLINE, paren_math_plugin


class MediumEmitter:
    """HTML (as placeholders) for the constructs the source dialects express differently."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx

    def figure(self, src: str, *, alt: str, title: str | None, caption: str | None,
               caption_is_html: bool, link: str | None, offset: int) -> str:
        image = f'<img src="{_attr(src)}" alt="{_attr(alt)}">'
        if link:
            image = f'<a href="{_attr(link)}">{image}</a>'
        figcaption = ""
        # Markdown and inline HTML alike, links resolved as in the body (see caption.py).
        text = caption_markdown(caption, self.ctx, offset) if caption else ""
        if text:
            figcaption = f"<figcaption>{MEDIUM_MD.renderInline(text)}</figcaption>"
        return self.ctx.placeholder(f"<figure>{image}{figcaption}</figure>")

    def embed(self, url: str) -> str:
        # Medium strips iframes; a provider URL alone in a paragraph becomes an Embedly embed.
        return self.ctx.placeholder(f'<p><a href="{_attr(url)}">{htmllib.escape(url)}</a></p>')

    def media(self, url: str, label: str) -> str:
        return self.ctx.placeholder(f'<p><a href="{_attr(url)}">{htmllib.escape(label)}</a></p>')

    def collapsible_open(self, summary: str) -> str:
        # No collapsible sections on Medium: the summary becomes a bold line, the content shows.
        text = htmllib.escape(" ".join(summary.split()) or "Details")
        return self.ctx.placeholder(f"<p><strong>{text}</strong></p>")

    def collapsible_close(self) -> str:
        return ""

    def html_block(self, html: str, offset: int) -> str:
        clean = to_clean_html(html, self.ctx, offset)
        return self.ctx.placeholder(clean) if clean else ""


def _attr(value: str) -> str:
    return htmllib.escape(value, quote=True)


# -- the renderer -----------------------------------------------------------------------------


def _render_code(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                 env: EnvType) -> str:
    return f"<pre>{htmllib.escape(tokens[idx].content.rstrip(chr(10)))}</pre>\n"


def _render_heading_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                         env: EnvType) -> str:
    tag = MEDIUM_HEADINGS.get(tokens[idx].tag, tokens[idx].tag)
    return "<p><strong>" if tag == "p" else f"<{tag}>"


def _render_heading_close(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                          env: EnvType) -> str:
    tag = MEDIUM_HEADINGS.get(tokens[idx].tag, tokens[idx].tag)
    return "</strong></p>\n" if tag == "p" else f"</{tag}>\n"


def _render_math_inline(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                        env: EnvType) -> str:
    return htmllib.escape(f"{tokens[idx].markup}{tokens[idx].content}{tokens[idx].markup}")


def _render_math_block(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                       env: EnvType) -> str:
    return f"<p>{htmllib.escape('$$' + tokens[idx].content.strip() + '$$')}</p>\n"


def _render_footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                         env: EnvType) -> str:
    return f"<sup>{int(tokens[idx].meta['id']) + 1}</sup>"


def _fixed(html: str) -> Any:
    def render(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
               env: EnvType) -> str:
        return html

    return render


def _render_list_item_open(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                           env: EnvType) -> str:
    token = tokens[idx]
    depth = token.meta.get("flat")
    if not depth:
        return "<li>"
    marker = f"{token.info}." if token.info else "–"
    return "<br>" + "\u2003" * (int(depth) - 1) + f"{marker} "


def _render_list_item_close(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                            env: EnvType) -> str:
    return "" if tokens[idx].meta.get("flat") else "</li>\n"


def _render_list(tag: str) -> Any:
    def render(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
               env: EnvType) -> str:
        token = tokens[idx]
        if token.meta.get("flat"):
            return ""
        if token.nesting == 1:
            start = token.attrGet("start")
            return f"<{tag} start=\"{start}\">\n" if start and start != 1 else f"<{tag}>\n"
        return f"</{tag}>\n"

    return render


def _render_paragraph(opening: bool) -> Any:
    def render(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
               env: EnvType) -> str:
        token = tokens[idx]
        if token.hidden:
            return ""
        if token.meta.get("figure"):
            return "<figure>" if opening else "</figure>\n"
        return "<p>" if opening else "</p>\n"

    return render


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                  env: EnvType) -> str:
    token = tokens[idx]
    alt = "".join(child.content for child in token.children or [])
    return f'<img src="{_attr(str(token.attrGet("src") or ""))}" alt="{_attr(alt)}">'


_URL_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]")


def _normalize_link(url: str) -> str:
    """Percent-encode only what cannot stand in an attribute; existing escapes and text
    fragments stay byte for byte (markdown-it's own normaliser re-encodes the whole URL)."""
    return quote(url, safe="-._~:/?#[]@!$&'()*+,;=%") if _URL_UNSAFE.search(url) else url


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "xhtmlOut": False})
    md.normalizeLink = _normalize_link  # type: ignore[method-assign]
    md.enable(["table", "strikethrough", "linkify"])
    md.core.ruler.disable("linkify")
    md.use(footnote_plugin)
    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False,
           double_inline=True)
    md.use(paren_math_plugin)  # `\\(…\\)` and `\\[…\\]`: TeX as text, as `$…$` and `$$…$$`
    rules: dict[str, Any] = {
        "fence": _render_code, "code_block": _render_code,
        "heading_open": _render_heading_open, "heading_close": _render_heading_close,
        "math_inline": _render_math_inline, "math_inline_double": _render_math_inline,
        "math_block": _render_math_block,
        INLINE: _render_math_inline, DISPLAY: _render_math_inline,
        "footnote_ref": _render_footnote_ref,
        "footnote_block_open": _fixed("<h3>Notes</h3>\n<ol>\n"),
        "footnote_block_close": _fixed("</ol>\n"),
        "footnote_open": _fixed("<li>"), "footnote_close": _fixed("</li>\n"),
        "footnote_anchor": _fixed(""),
        "list_item_open": _render_list_item_open, "list_item_close": _render_list_item_close,
        "bullet_list_open": _render_list("ul"), "bullet_list_close": _render_list("ul"),
        "ordered_list_open": _render_list("ol"), "ordered_list_close": _render_list("ol"),
        "paragraph_open": _render_paragraph(True), "paragraph_close": _render_paragraph(False),
        "image": _render_image,
    }
    for name, rule in rules.items():
        md.add_render_rule(name, rule)
    return md


MEDIUM_MD = _build()


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _plain(token: Token) -> str:
    """The text of an inline token, markup dropped (a table cell sent as plain text).

    Math keeps its delimiters, as everywhere on Medium (the TeX is shown as text); a
    footnote reference keeps its number, in superscript digits, so the note stays findable.
    """
    parts = []
    for child in token.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type.startswith("math"):
            parts.append(f"{child.markup}{child.content}{child.markup}")
        elif child.type == "footnote_ref":
            parts.append(str(int(child.meta["id"]) + 1).translate(_SUPERSCRIPT_DIGITS))
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return "".join(parts)


def _prepare(tokens: list[Token], ctx: RenderContext,
             offset_of_line: Callable[[int], int]) -> list[Token]:
    """Rewrite the token stream for Medium and report what it cannot show."""
    out: list[Token] = []
    list_depth = 0
    warned_nested = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        where = offset_of_line(token.map[0]) if token.map else None
        if token.type == "table_open":
            end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
            rows: list[list[str]] = []
            for inner in tokens[i:end]:
                if inner.type == "tr_open":
                    rows.append([])
                elif inner.type == "inline" and rows:
                    rows[-1].append(" ".join(_plain(inner).split()))
            if where is not None:
                ctx.warn(where, "Medium has no tables: this one is sent as preformatted text")
            block = Token("html_block", "", 0)
            block.content = f"<pre>{htmllib.escape(text_table(rows))}</pre>\n"
            out.append(block)
            i = end + 1
            continue
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            list_depth += 1
            if list_depth == 1:
                warned_nested = False
            else:
                token.meta["flat"] = list_depth - 1
                if not warned_nested and where is not None:
                    warned_nested = True  # once per top-level list
                    ctx.warn(where, "Medium has no nested lists: sub-items are shown as lines "
                             "of their parent item")
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            if list_depth > 1:
                token.meta["flat"] = list_depth - 1
            list_depth -= 1
        elif token.type in {"list_item_open", "list_item_close"} and list_depth > 1:
            token.meta["flat"] = list_depth - 1
        elif token.type == "paragraph_open" and list_depth > 1:
            # a sub-item's text sits on its parent's line, without a paragraph of its own
            token.hidden = True
            tokens[i + 2].hidden = True
        elif token.type == "paragraph_open" and _lone_image(tokens, i):
            token.meta["figure"] = True
            tokens[i + 2].meta["figure"] = True
        has_math = token.type == "math_block" or (token.type == "inline" and any(
            child.type.startswith("math") for child in token.children or []))
        if has_math and where is not None:
            ctx.warn(where, "Medium has no math: the TeX source is shown as text")
        out.append(token)
        i += 1
    return out


def _lone_image(tokens: list[Token], index: int) -> bool:
    inline = tokens[index + 1] if index + 1 < len(tokens) else None
    if inline is None or inline.type != "inline" or not inline.children:
        return False
    kids = [c for c in inline.children if not (c.type == "text" and not c.content.strip())]
    return len(kids) == 1 and kids[0].type == "image"


_BLOCK_PLACEHOLDER = re.compile(f"<p>{PLACEHOLDER_OPEN}(\\d+){PLACEHOLDER_CLOSE}</p>")
_PLACEHOLDER = re.compile(f"{PLACEHOLDER_OPEN}(\\d+){PLACEHOLDER_CLOSE}")


def render_html(text: str, ctx: RenderContext) -> str:
    """Medium HTML for the normalised Markdown ``text`` (placeholders filled in)."""
    env: dict[str, Any] = {}
    tokens = MEDIUM_MD.parse(text, env)
    starts = line_starts_of(text)

    def offset_of_line(line: int) -> int:
        return starts[line] if line < len(starts) else len(text)

    tokens = _prepare(tokens, ctx, offset_of_line)
    first_note = next((t for t in tokens if t.type == "inline" and t.map is not None and any(
        c.type == "footnote_ref" for c in t.children or [])), None)
    if first_note is not None and first_note.map is not None:
        ctx.inform(offset_of_line(first_note.map[0]),
                   "Medium has no footnotes: they become numbered notes at the end")
    rendered = MEDIUM_MD.renderer.render(tokens, MEDIUM_MD.options, env)
    # Fragments may hold placeholders themselves (a summary inside converted HTML): fill
    # whole-paragraph ones first, so a block is never wrapped in a paragraph.
    for _ in range(16):
        if PLACEHOLDER_OPEN not in rendered:
            break
        filled = _BLOCK_PLACEHOLDER.sub(lambda m: ctx.fragments[int(m.group(1))], rendered)
        if filled == rendered:
            filled = _PLACEHOLDER.sub(lambda m: ctx.fragments[int(m.group(1))], rendered)
        rendered = filled
    return re.sub(r"<p>\s*</p>\n?", "", rendered)


def finish(text: str, ctx: RenderContext, title: str, attribution: str | None) -> str:
    """The whole body: title heading, the post, then the attribution after a rule."""
    body = render_html(text, ctx).strip()
    parts = [f"<h1>{htmllib.escape(title)}</h1>"]
    if body:
        parts.append(body)
    if attribution:
        parts.append("<hr>")
        parts.append(f"<p>{MEDIUM_MD.renderInline(attribution)}</p>")
    return "\n".join(parts) + "\n"


__all__ = ["MEDIUM_MD", "MediumEmitter", "finish", "render_html"]
