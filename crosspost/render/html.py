"""Raw HTML in a post: Markdown for the forums, clean HTML for Medium.

The forums render Markdown with ``html: false``: any tag would appear as literal text, so
every piece of raw HTML becomes Markdown (markdownify, with the forums' extras: a collapsible
section for ``<details>``, ``^sup^``/``~sub~``, an italic line for a caption). Medium accepts
a small set of tags and strips the rest (iframes included), so its HTML is reduced to those
tags without class/style/data attributes.

Block HTML (an ``html_block`` of the parse) is converted whole. Inline HTML keeps the Markdown
between its tags untouched: each tag is converted on its own (``<a href>`` → ``[`` … ``](url)``),
except elements whose content is not Markdown (iframe, video, script, svg…), which are
converted whole.
"""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.dammit import EntitySubstitution
from bs4.element import Comment, NavigableString
from bs4.exceptions import ParserRejectedMarkup
from bs4.formatter import HTMLFormatter
from markdownify import ATX, BACKSLASH, MarkdownConverter

from crosspost.render import embeds
from crosspost.render.context import RenderContext
from crosspost.render.markdown import Edit, Parsed, Span, block_edit, fence, italic

# Elements whose content is not Markdown, converted as a whole even when inline.
_WHOLE = frozenset({"iframe", "video", "audio", "script", "style", "svg", "math", "object",
                    "embed", "canvas", "select", "textarea", "picture", "figure", "table",
                    "details"})
_VOID = frozenset({"br", "img", "hr", "input", "wbr", "source", "meta", "link", "area", "col",
                   "embed", "param", "track"})
_DETAILS_OPEN = re.compile(r"<details\b[^>]*>\s*(?:<summary\b[^>]*>(?P<summary>.*?)</summary>)?",
                           re.IGNORECASE | re.DOTALL)
_DETAILS_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)
_MARK_OPEN, _MARK_CLOSE = "\ue010", "\ue011"
_MARKER = re.compile(_MARK_OPEN + r"(\d+)" + _MARK_CLOSE)
_TAG = re.compile(r"<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*?)"
                  r"(?P<self>/)?>", re.DOTALL)
_DIAGRAM_SCRIPTS = {"text/tikz": "latex"}
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")

# Medium's headings (reference medium.md §5.1): the first h1 is the title and the first h2
# the subtitle, so body headings move to h3 (large) and h4 (small); h5/h6 are not headings.
MEDIUM_HEADINGS = {"h1": "h3", "h2": "h3", "h3": "h4", "h4": "h4", "h5": "p", "h6": "p"}
_MEDIUM_TAGS = frozenset({"p", "a", "strong", "b", "em", "i", "blockquote", "pre", "code", "ul",
                          "ol", "li", "figure", "img", "figcaption", "br", "hr", "sup", "sub",
                          "s", "del", "strike", "h3", "h4"})
# Escape &, < and > everywhere (as markdown-it does), and write void elements as <img …>.
_FORMATTER = HTMLFormatter(entity_substitution=EntitySubstitution.substitute_xml,
                           void_element_close_prefix="")
_CONTAINERS = frozenset({"div", "section", "article", "aside", "header", "footer", "main",
                         "center", "nav"})
_TEXT_BLOCKS = ["p", "li", "figcaption", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre"]
_BLOCKS = ["p", "div", "figure", "img", "pre", "ul", "ol", "table", "blockquote", "h1", "h2",
           "h3", "h4", "h5", "h6", "section", "article", "iframe", "video", "audio", "hr"]
_MEDIUM_ATTRS = {"a": ("href",), "img": ("src", "alt"), "ol": ("start",)}


# -- shared preparation ---------------------------------------------------------------------


def _parse(html: str, ctx: RenderContext, offset: int) -> BeautifulSoup:
    """BeautifulSoup's parse, or the fragment as plain text when html.parser refuses it
    (``<![x`` and other broken declarations raise instead of being read as text)."""
    try:
        return BeautifulSoup(html, "html.parser")
    except ParserRejectedMarkup:
        ctx.warn(offset, "this HTML cannot be read: it is shown as text")
        return BeautifulSoup(htmllib.escape(html), "html.parser")


def _soup(html: str, ctx: RenderContext, offset: int) -> BeautifulSoup:
    """Parse a fragment, drop comments and point every reference at its absolute URL."""
    soup = _parse(html, ctx, offset)
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        if tag.name == "a" and tag.get("href"):
            tag["href"] = ctx.links.link(str(tag["href"]), offset)
        elif tag.name == "img" and tag.get("src"):
            tag["src"] = ctx.links.image(str(tag["src"]), offset)
        elif tag.name in {"video", "audio", "source"} and tag.get("src"):
            tag["src"] = ctx.links.link(str(tag["src"]))
    return soup


def _mark_details(html: str, ctx: RenderContext) -> tuple[str, list[str]]:
    """Swap ``<details>``/``<summary>`` and ``</details>`` for markers (they may sit in
    different HTML blocks, with Markdown between them)."""
    replacements: list[str] = []

    def opening(match: re.Match[str]) -> str:
        summary = _parse(match.group("summary") or "Details", ctx, 0).get_text(" ", strip=True)
        replacements.append(ctx.emitter.collapsible_open(summary or "Details"))
        return f"<p>{_MARK_OPEN}{len(replacements) - 1}{_MARK_CLOSE}</p>"

    def closing(match: re.Match[str]) -> str:
        replacements.append(ctx.emitter.collapsible_close())
        return f"<p>{_MARK_OPEN}{len(replacements) - 1}{_MARK_CLOSE}</p>"

    html = _DETAILS_OPEN.sub(opening, html)
    html = _DETAILS_CLOSE.sub(closing, html)
    return html, replacements


def _unmark(text: str, replacements: list[str]) -> str:
    # In HTML the marker is a paragraph of its own; the replacement takes the whole of it.
    text = re.sub("<p>" + _MARKER.pattern + "</p>", lambda m: replacements[int(m.group(1))], text)
    return _MARKER.sub(lambda m: replacements[int(m.group(1))], text)


def _text_table(table: Tag) -> str:
    """A table as aligned plain text (for targets without tables)."""
    rows = [[" ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all(["td", "th"])]
            for row in table.find_all("tr")]
    return text_table(rows)


def text_table(rows: list[list[str]]) -> str:
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    sizes = [max(len(row[i]) for row in rows) for i in range(width)]
    lines = [" | ".join(cell.ljust(sizes[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "-+-".join("-" * size for size in sizes))
    return "\n".join(lines)


# -- forums: Markdown -----------------------------------------------------------------------


class _ForumConverter(MarkdownConverter):
    """markdownify with the forums' dialect and crosspost's notices."""

    def __init__(self, ctx: RenderContext, offset: int, **options: Any) -> None:
        super().__init__(heading_style=ATX, bullets="-", newline_style=BACKSLASH,
                         code_language_callback=_code_language, **options)
        self.ctx = ctx
        self.offset = offset

    def escape(self, text: str, parent_tags: set[str]) -> str:
        # Text that looks like a tag (from &lt;b&gt;, or an unclosed <!--) must stay text.
        escaped = super().escape(text, parent_tags)  # type: ignore[misc]  # not in the stubs
        return _TAG_START.sub(r"\\<", str(escaped))

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = italic(" ".join(text.split()))
        return f"\n\n{text}\n\n" if text else ""

    def convert_iframe(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = str(el.get("src") or "")
        watch = embeds.watch_url(src)
        if watch:
            return f"\n\n{watch}\n\n"
        if not src:
            return ""
        self.ctx.warn(self.offset, f"an embedded frame ({src}) is shown as a link to it")
        title = str(el.get("title") or "") or src
        return f"\n\n[{title}]({self.ctx.links.link(src)})\n\n"

    def convert_script(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        kind = str(el.get("type") or "").lower()
        source = el.get_text()
        if kind in _DIAGRAM_SCRIPTS and source.strip():
            self.ctx.warn(self.offset, f"a <script type=\"{kind}\"> drawing is shown as its "
                          "source code")
            return "\n\n" + fence(source.strip("\n"), _DIAGRAM_SCRIPTS[kind]) + "\n\n"
        if source.strip() or el.get("src"):
            self.ctx.warn(self.offset, "a <script> cannot run here: left out")
        return ""

    def convert_style(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""

    def convert_sup(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return _wrap_tight("^", text)

    def convert_sub(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return _wrap_tight("~", text)

    def convert_video(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._media(el, "Video")

    def convert_audio(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._media(el, "Audio")

    def _media(self, el: Tag, kind: str) -> str:
        src = str(el.get("src") or "")
        if not src:
            source = el.find("source", src=True)
            src = str(source.get("src")) if isinstance(source, Tag) else ""
        if not src:
            return ""
        self.ctx.inform(self.offset, f"{kind.lower()} is shown as a link to the file")
        return f"\n\n[{kind}: {src.rsplit('/', 1)[-1]}]({src})\n\n"

    def _not_shown(self, what: str) -> str:
        self.ctx.warn(self.offset, f"{what} cannot be shown here: a note points readers to the "
                      "original post")
        return "\n\n" + self.ctx.note(f"{what} (not shown here)") + "\n\n"

    def convert_svg(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._not_shown("an SVG drawing")

    def convert_canvas(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._not_shown("an interactive canvas")

    def convert_object(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._not_shown("an embedded object")

    convert_embed = convert_object

    def convert_input(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""

    def convert_source(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""


def _code_language(el: Tag) -> str:
    for node in (el, el.find("code")):
        if isinstance(node, Tag):
            for cls in node.get("class") or []:
                if str(cls).startswith(("language-", "lang-")):
                    return str(cls).split("-", 1)[1]
    return ""


def _wrap_tight(marker: str, text: str) -> str:
    """``^x^``/``~x~``: the forums' plugins refuse unescaped spaces inside."""
    text = text.strip()
    if not text:
        return ""
    return marker + re.sub(r"\s", lambda m: "\\" + m.group(0), text) + marker


def to_markdown(html: str, ctx: RenderContext, offset: int) -> str:
    """Forum Markdown for a block of raw HTML."""
    marked, replacements = _mark_details(html, ctx)
    soup = _soup(marked, ctx, offset)
    markdown = _ForumConverter(ctx, offset).convert_soup(soup)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip("\n")
    return _unmark(markdown, replacements)


# -- Medium: clean HTML -----------------------------------------------------------------------


def to_clean_html(html: str, ctx: RenderContext, offset: int) -> str:
    """The HTML Medium keeps, for a block (or a whole inline element) of raw HTML."""
    marked, replacements = _mark_details(html, ctx)
    soup = _soup(marked, ctx, offset)
    _clean(soup, ctx, offset)
    _tidy_text(soup)
    text = soup.decode(formatter=_FORMATTER)
    text = re.sub(r"(</(?:p|figure|pre|ul|ol|blockquote|h3|h4)>)(?=<)", "\\1\n", text)
    text = re.sub(r"\n{2,}", "\n", text).strip()
    return _unmark(text, replacements)


def _clean(soup: BeautifulSoup, ctx: RenderContext, offset: int) -> None:
    for tag in list(soup.find_all(True)):
        if tag.parent is None or not isinstance(tag, Tag):
            continue  # already removed with an ancestor
        name = tag.name
        if name in {"style", "input", "source", "meta", "link"}:
            tag.decompose()
        elif name == "script":
            kind = str(tag.get("type") or "").lower()
            if kind in _DIAGRAM_SCRIPTS and tag.get_text().strip():
                ctx.warn(offset, f"a <script type=\"{kind}\"> drawing is shown as its source code")
                tag.replace_with(_new(soup, "pre", tag.get_text().strip("\n")))
            else:
                if tag.get_text().strip() or tag.get("src"):
                    ctx.warn(offset, "a <script> cannot run here: left out")
                tag.decompose()
        elif name == "iframe":
            src = str(tag.get("src") or "")
            url = embeds.watch_url(src) or src
            if not url:
                tag.decompose()
                continue
            if not embeds.watch_url(src):
                ctx.warn(offset, f"Medium strips embedded frames: {src} is shown as a link")
            tag.replace_with(_link_paragraph(soup, url, url))
        elif name in {"video", "audio"}:
            src = str(tag.get("src") or "")
            if not src:
                source = tag.find("source", src=True)
                src = str(source.get("src")) if isinstance(source, Tag) else ""
            label = ("Video: " if name == "video" else "Audio: ") + src.rsplit("/", 1)[-1]
            ctx.inform(offset, f"{name} is shown as a link to the file")
            tag.replace_with(_link_paragraph(soup, src, label) if src else "")
        elif name == "table":
            ctx.warn(offset, "Medium has no tables: this one is sent as preformatted text")
            tag.replace_with(_new(soup, "pre", _text_table(tag)))
        elif name in {"svg", "canvas", "object", "embed"}:
            ctx.warn(offset, f"an <{name}> cannot be shown on Medium: a note points readers to "
                     "the original post")
            note = _new(soup, "p", "")
            em = _new(soup, "em", f"(Not shown here: see the original post, {ctx.canonical_url})")
            note.append(em)
            tag.replace_with(note)
        elif name in MEDIUM_HEADINGS:
            new = MEDIUM_HEADINGS[name]
            if new == "p":
                strong = _new(soup, "strong", "")
                for child in list(tag.children):
                    strong.append(child.extract())
                tag.name = "p"
                tag.append(strong)
            else:
                tag.name = new
            tag.attrs = {}
        elif name not in _MEDIUM_TAGS:
            if (name in _CONTAINERS and not tag.find(_BLOCKS) and tag.get_text(strip=True)
                    and tag.find_parent(_TEXT_BLOCKS) is None):
                tag.name, tag.attrs = "p", {}  # a <div> of text is a paragraph
            else:
                tag.unwrap()
        else:
            keep = _MEDIUM_ATTRS.get(name, ())
            tag.attrs = {k: v for k, v in tag.attrs.items() if k in keep}


def _tidy_text(soup: BeautifulSoup) -> None:
    """Collapse the source's indentation and line breaks outside ``<pre>``: between blocks
    whitespace becomes one line break, inside text one space."""
    for text in list(soup.find_all(string=True)):
        if not isinstance(text, NavigableString) or text.find_parent("pre") is not None:
            continue
        parent = text.parent
        if not str(text).strip():
            between_blocks = parent is None or parent.name in {"[document]", "figure", "blockquote",
                                                               "ul", "ol", "li"}
            text.replace_with("\n" if between_blocks else " ")
        else:
            collapsed = re.sub(r"\s+", " ", str(text))
            if parent is not None and parent.name in {"p", "figcaption", "li", "h3", "h4"}:
                if text is parent.contents[0]:
                    collapsed = collapsed.lstrip()
                if text is parent.contents[-1]:
                    collapsed = collapsed.rstrip()
            text.replace_with(collapsed)


def _new(soup: BeautifulSoup, name: str, text: str) -> Tag:
    tag = soup.new_tag(name)
    if text:
        tag.append(NavigableString(text))
    return tag


def _link_paragraph(soup: BeautifulSoup, url: str, label: str) -> Tag:
    paragraph = soup.new_tag("p")
    link = soup.new_tag("a", href=url)
    link.append(NavigableString(label))
    paragraph.append(link)
    return paragraph


# -- finding raw HTML in the parse ------------------------------------------------------------


def html_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """Convert every raw HTML block and inline tag outside code for the target's dialect."""
    text = parsed.text
    edits: list[Edit] = []
    for token in parsed.tokens:
        if token.type == "html_block" and token.map is not None:
            start, end = parsed.block_range(token)
            source = text[start:end]
            if not source.strip() or _only_comments(source):
                edits.append(block_edit(text, start, end, ""))
                continue
            if source.lstrip().startswith("<!--") and "-->" not in source:
                ctx.warn(start, "an HTML comment is never closed with -->: what follows it is "
                         "shown as text")
            edits.append(block_edit(text, start, end, ctx.emitter.html_block(source, start)))
    by_block: dict[int, list[Span]] = {}
    for span in parsed.spans_of("html_inline"):
        by_block.setdefault(id(span.block), []).append(span)
    cell_blocks = _table_cell_blocks(parsed)
    for spans in by_block.values():
        edits.extend(_inline_edits(text, spans, ctx, in_table=id(spans[0].block) in cell_blocks))
    return edits


def _only_comments(source: str) -> bool:
    return not re.sub(r"<!--.*?-->", "", source, flags=re.DOTALL).strip()


def _table_cell_blocks(parsed: Parsed) -> set[int]:
    return {id(token) for previous, token in zip(parsed.tokens, parsed.tokens[1:], strict=False)
            if token.type == "inline" and previous.type in {"td_open", "th_open"}}


def _inline_edits(text: str, spans: list[Span], ctx: RenderContext, *, in_table: bool) -> list[Edit]:
    edits: list[Edit] = []
    stack: list[tuple[str, Span, dict[str, str]]] = []
    skip_until = -1
    for index, span in enumerate(spans):
        if span.start < skip_until:
            continue
        source = text[span.start:span.end]
        tag = _TAG.fullmatch(source)
        if tag is None:  # comment, processing instruction, declaration
            edits.append(Edit(span.start, span.end, ""))
            continue
        name = tag.group("name").lower()
        attrs = _attrs(tag.group("attrs"))
        if tag.group("close"):
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == name:
                    for _, unclosed, _ in stack[depth + 1:]:
                        edits.append(Edit(unclosed.start, unclosed.end, ""))
                    opener = stack[depth]
                    del stack[depth:]
                    edits.extend(_pair(text, opener[1], span, name, opener[2], ctx))
                    break
            else:
                edits.append(Edit(span.start, span.end, ""))
            continue
        if name in _WHOLE and not tag.group("self"):
            closing = next((s for s in spans[index + 1:]
                            if re.fullmatch(rf"</{name}\s*>", text[s.start:s.end], re.IGNORECASE)), None)
            end = closing.end if closing is not None else span.end
            whole = text[span.start:end]
            converted = (to_markdown(whole, ctx, span.start) if ctx.dialect != "medium"
                         else ctx.placeholder(to_clean_html(whole, ctx, span.start)))
            edits.append(Edit(span.start, end, " ".join(converted.split("\n")) if in_table
                              else converted))
            skip_until = end
            continue
        if name in _VOID or tag.group("self"):
            edits.append(Edit(span.start, span.end, _void(text, span, name, attrs, ctx, in_table)))
            continue
        stack.append((name, span, attrs))
    for _, unclosed, _ in stack:
        edits.append(Edit(unclosed.start, unclosed.end, ""))
    return edits


def _attrs(source: str) -> dict[str, str]:
    found = re.findall(r"([A-Za-z_:][\w:.-]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?", source)
    return {k.lower(): htmllib.unescape(v[1:-1] if v[:1] in "\"'" else v) for k, v in found}


_FORUM_PAIRS: dict[str, tuple[str, str]] = {
    "strong": ("**", "**"), "b": ("**", "**"), "em": ("*", "*"), "i": ("*", "*"),
    "cite": ("*", "*"), "dfn": ("*", "*"), "var": ("*", "*"), "code": ("`", "`"),
    "kbd": ("`", "`"), "samp": ("`", "`"), "tt": ("`", "`"), "del": ("~~", "~~"),
    "s": ("~~", "~~"), "strike": ("~~", "~~"), "q": ('"', '"'),
}
_MEDIUM_INLINE = frozenset({"a", "strong", "b", "em", "i", "code", "sup", "sub", "s", "del", "strike"})


def _pair(text: str, opener: Span, closer: Span, name: str, attrs: dict[str, str],
          ctx: RenderContext) -> list[Edit]:
    """Edits for an opening and a closing inline tag; the Markdown between them stays."""
    if ctx.dialect == "medium":
        if name not in _MEDIUM_INLINE or (name == "a" and not attrs.get("href")):
            return [Edit(opener.start, opener.end, ""), Edit(closer.start, closer.end, "")]
        attributes = ""
        if name == "a":
            attributes = f' href="{htmllib.escape(ctx.links.link(attrs["href"], opener.start))}"'
        return [Edit(opener.start, opener.end, ctx.placeholder(f"<{name}{attributes}>")),
                Edit(closer.start, closer.end, ctx.placeholder(f"</{name}>"))]
    inner = text[opener.end:closer.start]
    if name == "a" and attrs.get("href"):
        pair = ("[", f"]({_md_url(ctx.links.link(attrs['href'], opener.start))})")
    elif name in {"sup", "sub"}:
        marker = "^" if name == "sup" else "~"
        pair = (marker, marker) if inner.strip() and not re.search(r"\s|[*_`\[<]", inner) else ("", "")
        if pair == ("", "") and inner.strip():
            ctx.inform(opener.start, f"<{name}> with spaces or markup inside is shown as plain text")
    else:
        pair = _FORUM_PAIRS.get(name, ("", ""))
    return [Edit(opener.start, opener.end, pair[0]), Edit(closer.start, closer.end, pair[1])]


def _md_url(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def _void(text: str, span: Span, name: str, attrs: dict[str, str], ctx: RenderContext,
          in_table: bool) -> str:
    if name == "br":
        if ctx.dialect == "medium":
            return ctx.placeholder("<br>")
        if in_table:
            return " "
        return "\\" if text[span.end:span.end + 1] == "\n" else "\\\n"
    if name == "img":
        src = ctx.links.image(attrs["src"], span.start) if attrs.get("src") else ""
        if not src:
            return ""
        alt = attrs.get("alt", "")
        if ctx.dialect == "medium":
            return ctx.placeholder(f'<img src="{htmllib.escape(src)}" alt="{htmllib.escape(alt)}">')
        title = attrs.get("title", "")
        title_part = ' "' + title.replace('"', '\\"') + '"' if title else ""
        return f"![{alt.replace(']', '')}]({_md_url(src)}{title_part})"
    return ""


__all__ = ["MEDIUM_HEADINGS", "html_edits", "text_table", "to_clean_html",
           "to_markdown"]
