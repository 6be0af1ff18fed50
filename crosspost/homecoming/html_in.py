"""HTML from the forums' rich editors and from Medium, as Markdown the site renders.

markdownify does the walking; the rules here are the sources' own shapes (``reference/
import.md`` §2, §4), never regular expressions over HTML:

* math from its TeX: CKEditor's and Lexical's ``span.math-tex`` / ``div.math-tex``
  (``\\(…\\)``, ``\\[…\\]``), MathJax 3's ``mjx-container[aria-label]`` and MathJax 2's
  ``.mjx-math[aria-label]`` in served HTML; written ``$…$`` where the site reads one dollar
  as math, ``$$…$$`` inline elsewhere (kramdown's inline math), ``$$`` on lines of its own
  for display;
* footnotes as ``[^n]`` with their whole definitions (links, emphasis and math kept);
* a figure as an image and its caption, in the form the site's posts use; tables as GFM;
  code with its language (CKEditor's ``language-*`` class, Lexical's ``data-language``; a
  ``<pre>`` with ``<br>`` line breaks is code too);
* spoilers as a ``<div class="spoiler">`` around Markdown and collapsible sections as
  ``<details>`` (an Obsidian vault: a folded callout), the forms the renderer turns back
  into the forums' ``>!`` and ``+++``;
* links to the post's own headings point at the site's anchors;
* what has no Markdown form (polls, prediction widgets) becomes a link to its source or
  stays raw HTML, with a warning.

Medium adds its own: the tracking pixel, the title repeated as the first heading and the
"was originally published in" footer go.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, NavigableString
from markdownify import ATX, BACKSLASH, MarkdownConverter

from crosspost.render.embeds import watch_url
from crosspost.render.forum import forum_anchors
from crosspost.render.markdown import fence, italic
from crosspost.sites.newpost import HUGO_FIGURE, LIQUID_FIGURE

_TEX = re.compile(r"\A\s*(?:\\\((?P<i>.*)\\\)|\\\[(?P<d>.*)\\\]|\$\$(?P<dd>.*)\$\$)\s*\Z", re.DOTALL)
_LEAD = re.compile(r"^([ \t]*)([#>]|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)|=+[ \t]*$|-+[ \t]*$)",
                   re.MULTILINE)
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
# Elements that start a block of their own: text before them starts no line of Markdown.
_BLOCK_TAGS = frozenset({"p", "div", "ul", "ol", "li", "pre", "blockquote", "figure", "table",
                         "h1", "h2", "h3", "h4", "h5", "h6", "hr", "details", "section"})
_WIDGETS = {
    "elicit-binary-prediction": ("an Elicit prediction", "data-elicit-id",
                                 "https://forecast.elicit.org/binary/questions/{}"),
    "metaculus-preview": ("a Metaculus question", "data-metaculus-id",
                          "https://www.metaculus.com/questions/{}/"),
}


@dataclass(frozen=True)
class SiteForm:
    """How the site writes what the sources express in HTML."""

    dollar_math: bool = False  # a single $ starts inline math on the site
    caption: str = "markdown"  # sites.newpost's figure forms
    liquid_include: str = "figure.liquid"
    kramdown: bool = False  # HTML blocks with Markdown inside need markdown="1"
    obsidian: bool = False  # collapsible sections as folded callouts
    base_path: str = ""  # the site's base path (Jekyll's includes take paths without it)
    anchors: Callable[[list[str]], list[str]] = field(default=list)


@dataclass
class Note:
    """Something the conversion could not carry over exactly; ``needle`` (text of the
    Markdown written for it) finds its line in the file."""

    message: str
    needle: str = ""


class HomeConverter(MarkdownConverter):
    """markdownify with the rules above; one instance converts one document."""

    def __init__(self, form: SiteForm, *, source: str, images: Mapping[str, str],
                 anchor_map: Mapping[str, str], warnings: list[Note]) -> None:
        super().__init__(heading_style=ATX, bullets="-", newline_style=BACKSLASH,
                         strong_em_symbol="*", escape_asterisks=True, escape_underscores=True)
        self.form = form
        self.source = source  # "forum", "lexical" (its stored HTML, suggestions and all) or "medium"
        self.images = images
        self.anchor_map = anchor_map
        self.warnings = warnings
        self.footnotes: dict[str, str] = {}  # footnote id -> label, in reference order
        self.notes: dict[str, Tag] = {}  # footnote id -> its definition

    # -- text ----------------------------------------------------------------------------

    def escape(self, text: str, parent_tags: set[str]) -> str:
        """Text stays text: Markdown's and the forums' markers, ``$`` (math on many sites),
        ``|`` (tables), ``~`` and something that looks like a tag are escaped; markdownify
        escapes ``*`` and ``_``."""
        if not text:
            return ""
        text = re.sub(r"([\\`\[\]$~|])", r"\\\1", text)
        text = _TAG_START.sub(r"\\<", text)
        return str(super().escape(text, parent_tags))  # type: ignore[misc]  # not in the stubs

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_inline" not in parent_tags:
            text = _LEAD.sub(_escape_lead, text.strip(" \t\r\n"))
        return str(super().convert_p(el, text, parent_tags))  # type: ignore[misc]

    def _lead_escaped(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """``text`` with its first line escaped as a paragraph's are, when ``el``'s text starts
        it directly, without a ``<p>`` of its own (Lexical's list items, Medium's quotes)."""
        if "_inline" in parent_tags:
            return text
        first = next((c for c in el.children
                      if not (isinstance(c, NavigableString) and not c.strip())), None)
        if first is None or (isinstance(first, Tag) and first.name in _BLOCK_TAGS):
            return text
        stripped = text.lstrip(" \t\r\n")
        found = _LEAD.match(stripped)
        return _escape_lead(found) + stripped[found.end():] if found else text

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = self._lead_escaped(el, text, parent_tags)
        return str(super().convert_li(el, text, parent_tags))  # type: ignore[misc]

    def convert_blockquote(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = self._lead_escaped(el, text, parent_tags)
        return str(super().convert_blockquote(el, text, parent_tags))  # type: ignore[misc]

    # -- math ----------------------------------------------------------------------------

    def _math(self, tex: str, display: bool, parent_tags: set[str]) -> str:
        tex = tex.strip()
        if not tex:
            return ""
        if display and "_inline" not in parent_tags:
            return f"\n\n$$\n{tex}\n$$\n\n"
        if self.form.dollar_math and not re.search(r"^\s|\s$", tex):
            return f"${tex}$"
        return f"$${tex}$$"

    def convert_span(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        classes = _classes(el)
        if "math-tex" in classes:
            return self._math_element(el, parent_tags)
        if "footnote-reference" in classes:
            return self._footnote_ref(str(el.get("data-footnote-id") or ""))
        if "footnote-back-link" in classes:
            return ""
        if el.get("data-lexical-poll-question") is not None:
            return self._raw(el, "a poll")
        if "mjx-math" in classes and el.get("aria-label"):
            return self._math(str(el["aria-label"]), False, parent_tags)
        if "mjpage" in classes:
            return self._mathjax2(el, parent_tags)
        return text

    def _math_element(self, el: Tag, parent_tags: set[str]) -> str:
        rendered = el.find(["mjx-container"]) or el.find(class_="mjx-math")
        if isinstance(rendered, Tag):
            if rendered.name == "mjx-container":
                return self._mjx(rendered, parent_tags)
            return self._mathjax2(el, parent_tags)
        source = el.get_text()
        found = _TEX.match(source)
        if found is None:
            return self._math(source, el.name == "div", parent_tags)
        display = found.group("i") is None
        return self._math(found.group("i") if not display else (found.group("d") or
                                                                 found.group("dd") or ""),
                          display, parent_tags)

    def _mjx(self, el: Tag, parent_tags: set[str]) -> str:
        tex = el.get("aria-label")
        display = str(el.get("display") or "") == "true"
        if not tex:
            glyphs = " ".join(el.get_text(" ").split())
            self.warnings.append(Note(
                "an equation was served without its TeX (MathJax 3, saved between 2026-02-10 and "
                "2026-07-29): its glyphs are kept as text; import with the author's token to "
                "get the TeX", glyphs))
            return glyphs
        return self._math(str(tex), display, parent_tags)

    def convert_mjx_container(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._mjx(el, parent_tags)

    def _mathjax2(self, el: Tag, parent_tags: set[str]) -> str:
        found = el.find(class_="mjx-math")
        tex = str(found.get("aria-label") or "") if isinstance(found, Tag) else ""
        display = bool(el.find(class_="MJXc-display")) or "mjpage__block" in _classes(el)
        return self._math(tex, display, parent_tags)

    def convert_div(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        classes = _classes(el)
        if "math-tex" in classes:
            return self._math_element(el, parent_tags)
        if classes & {"spoilers", "spoiler"}:
            return self._spoiler(text)
        if el.get("data-oembed-url"):
            return self._embed(str(el["data-oembed-url"]))
        for cls, (what, attr, pattern) in _WIDGETS.items():
            if cls in classes and el.get(attr):
                url = pattern.format(el[attr])
                return self._widget_link(what, url)
        if "ck-poll" in classes or el.get("data-lexical-tweet-id"):
            return self._raw(el, "a poll" if "ck-poll" in classes else "a tweet")
        text = self._lead_escaped(el, text, parent_tags)
        return str(super().convert_div(el, text, parent_tags))  # type: ignore[misc]

    # -- footnotes -----------------------------------------------------------------------

    def _footnote_ref(self, note_id: str) -> str:
        label = self.footnotes.get(note_id)
        if label is None:
            label = str(len(self.footnotes) + 1)
            self.footnotes[note_id] = label
        return f"[^{label}]"

    def convert_sup(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        link = el.find("a", href=True)
        if "footnote-ref" in _classes(el) and isinstance(link, Tag):
            return self._footnote_ref(str(link["href"]).lstrip("#"))
        if el.find_parent(class_="footnote-reference") is not None:
            return text
        return f"<sup>{text.strip()}</sup>" if text.strip() else ""

    def convert_sub(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"<sub>{text.strip()}</sub>" if text.strip() else ""

    def convert_ol(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        classes = _classes(el)
        if classes & {"footnote-section", "footnotes", "footnotes-list"} or \
                el.get("data-footnote-section") is not None:
            return ""  # taken out before the walk (collect_footnotes)
        return str(super().convert_ol(el, text, parent_tags))  # type: ignore[misc]

    def collect_footnotes(self, soup: BeautifulSoup) -> None:
        """Take the footnote sections out of the document (converted at the end, in the
        order their references appear). CKEditor's and Lexical's items carry
        ``data-footnote-id`` like their references; markdown-it's are found by ``id``."""
        sections = [s for s in soup.find_all(["ol", "section"])
                    if isinstance(s, Tag) and (
                        _classes(s) & {"footnote-section", "footnotes"}
                        or s.get("data-footnote-section") is not None)]
        for section in sections:
            for item in section.find_all("li"):
                if isinstance(item, Tag):
                    note_id = str(item.get("data-footnote-id") or item.get("id") or "")
                    if note_id:
                        self.notes[note_id] = item
            section.extract()

    def finish_footnotes(self) -> str:
        """The definitions ``[^n]: …``, continuation lines indented by four spaces."""
        for note_id in self.notes:
            if note_id not in self.footnotes:  # never referenced: kept all the same
                self.footnotes[note_id] = str(len(self.footnotes) + 1)
        out: list[str] = []
        for note_id, label in self.footnotes.items():
            item = self.notes.get(note_id)
            if item is None:
                self.warnings.append(Note(f"footnote [^{label}] has no text in the source",
                                          f"[^{label}]"))
                continue
            content = item.find(class_="footnote-content")
            content = content if isinstance(content, Tag) else item
            for back in content.find_all(class_=["footnote-back-link", "footnote-backref"]):
                back.decompose()
            for back in content.find_all("a", href=True):
                if isinstance(back, Tag) and str(back["href"]).startswith(("#fnref", "#fn-ref")):
                    back.decompose()
            body = self.inner(content).strip()
            lines = body.split("\n")
            rendered = "\n".join([lines[0], *[("    " + line) if line.strip() else ""
                                              for line in lines[1:]]])
            out.append(f"[^{label}]: {rendered}")
        return "\n\n".join(out)

    def inner(self, el: Tag, parent_tags: set[str] | None = None) -> str:
        """``el``'s content converted, without ``el``'s own rule (a figure's caption, a
        footnote's text, a collapsible section's body)."""
        name = el.name
        el.name = "crosspost-inner"  # no rule by that name: the children's text comes back
        try:
            converted = self.process_tag(  # type: ignore[attr-defined]  # not in the stubs
                el, parent_tags=set(parent_tags or ()))
            return str(converted)
        finally:
            el.name = name

    # -- blocks --------------------------------------------------------------------------

    def convert_figure(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        img = el.find("img")
        if isinstance(img, Tag) and el.find("table") is None:
            caption_el = el.find("figcaption")
            caption = (self.inner(caption_el, {"_inline"}).strip()
                       if isinstance(caption_el, Tag) else "")
            return "\n\n" + self._figure(img, " ".join(caption.split())) + "\n\n"
        return "\n\n" + text.strip() + "\n\n" if text.strip() else ""

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"\n\n{italic(' '.join(text.split()))}\n\n" if text.strip() else ""

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if self._tracking_pixel(el) or not el.get("src"):
            return ""
        return self._image(el)

    def _image(self, img: Tag) -> str:
        src = str(img.get("src") or "")
        ref = self.images.get(src, src)
        alt = " ".join(str(img.get("alt") or "").split()).replace("[", "\\[").replace("]", "\\]")
        if ref.startswith("![["):  # an Obsidian embed (the reference is the whole embed)
            return ref[:-2] + (f"|{alt}" if alt else "") + "]]"
        return f"![{alt}]({_url(ref)})"

    def _figure(self, img: Tag, caption: str) -> str:
        src = str(img.get("src") or "")
        ref = self.images.get(src, src)
        alt = " ".join(str(img.get("alt") or "").split())
        form = self.form.caption
        if caption and form == HUGO_FIGURE:
            params = [f'src="{_quoted(ref)}"'] + ([f'alt="{_quoted(alt)}"'] if alt else [])
            params.append(f'caption="{_quoted(caption)}"')
            return "{{< figure " + " ".join(params) + " >}}"
        if caption and form == LIQUID_FIGURE and '"' not in caption + alt:
            path = ref
            base = self.form.base_path
            if base and path.startswith(base + "/"):
                path = path[len(base):]
            path = path.lstrip("/") if not re.match(r"[a-z]+://", path) else path
            attrs = f'path="{path}" class="img-fluid rounded z-depth-1"' \
                + (f' alt="{alt}"' if alt else "") + f' caption="{caption}"'
            return "{% include " + self.form.liquid_include + " " + attrs + " %}"
        image = self._image(img)
        return f"{image}\n\n{italic(caption)}" if caption else image

    def convert_table(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if el.find(["ul", "ol", "pre", "table"], recursive=True) is not None:
            self.warnings.append(Note("a table cell holds lists or code, which a Markdown "
                                      "table cannot: its cells are written on one line",
                                      text.strip().split("\n", 1)[0]))
        return str(super().convert_table(el, text, parent_tags))  # type: ignore[misc]

    def _cell(self, el: Tag, text: str) -> str:
        colspan = 1
        if str(el.get("colspan") or "").isdigit():
            colspan = max(1, min(1000, int(str(el["colspan"]))))
        body = " ".join(text.replace("\n", " ").split())
        body = re.sub(r"(?<!\\)\|", r"\\|", body)
        return " " + body + " |" * colspan

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._cell(el, text)

    def convert_th(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._cell(el, text)

    def convert_colgroup(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        code = _code_text(el)
        if not code.strip():
            return ""
        return "\n\n" + fence(code.strip("\n"), _language(el)) + "\n\n"

    def convert_details(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        summary = el.find("summary")
        title = " ".join(summary.get_text(" ").split()) if isinstance(summary, Tag) else ""
        body_el = el.find(class_="detailsBlockContent")
        if isinstance(body_el, Tag):
            body = self.inner(body_el).strip("\n")
        else:
            if isinstance(summary, Tag):
                summary.extract()
            body = self.inner(el).strip("\n")
        return "\n\n" + self._collapsible(title or "Details", body) + "\n\n"

    def convert_summary(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""

    def _collapsible(self, title: str, body: str) -> str:
        if self.form.obsidian:
            lines = [f"> [!note]- {title}"] + [f"> {line}" if line.strip() else ">"
                                               for line in body.split("\n")]
            return "\n".join(lines)
        attr = ' markdown="1"' if self.form.kramdown else ""
        return (f"<details{attr}>\n<summary>{htmllib.escape(title, quote=False)}</summary>\n\n"
                f"{body}\n\n</details>")

    def _spoiler(self, text: str) -> str:
        attr = ' markdown="1"' if self.form.kramdown else ""
        return f'\n\n<div class="spoiler"{attr}>\n\n{text.strip()}\n\n</div>\n\n'

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        if self.source == "medium":
            n = {3: 2, 4: 3}.get(n, n)
        return str(super().convert_hN(n, el, text, parent_tags))  # type: ignore[misc]

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        href = str(el.get("href") or "")
        if href.startswith("#") and href[1:] in self.anchor_map:
            el["href"] = "#" + self.anchor_map[href[1:]]
        if el.get("href") and re.search(r"[\s()<>]", str(el["href"])):
            return f"[{text}](<{el['href']}>)" if text.strip() else ""
        return str(super().convert_a(el, text, parent_tags))  # type: ignore[misc]

    def convert_iframe(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = str(el.get("src") or "")
        if "embedly.com/widgets/media.html" in src:
            inner = parse_qs(urlsplit(src).query).get("src", [""])[0]
            src = inner or src
        watch = watch_url(src)
        if watch:
            return f"\n\n{watch}\n\n"
        link = el.find("a", href=True)
        url = src or (str(link["href"]) if isinstance(link, Tag) else "")
        if not url:
            return ""
        what = ("an embed whose content Medium's feed leaves out (a gist, say)"
                if not src else "an embedded frame")
        return self._widget_link(what, url)

    def convert_ins(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        # A Lexical suggestion nobody accepted: it is not part of the post yet.
        return "" if self.source == "lexical" else text

    def convert_mark(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return text

    def convert_del(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if self.source == "lexical":
            return text  # a suggested deletion: the text is still there
        return str(super().convert_del(el, text, parent_tags))  # type: ignore[misc]

    def convert_style(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""

    # -- what has no Markdown form --------------------------------------------------------

    def _embed(self, url: str) -> str:
        watch = watch_url(url)
        if watch:
            return f"\n\n{watch}\n\n"
        return self._widget_link("an embed", url)

    def _widget_link(self, what: str, url: str) -> str:
        line = f"[{_label(what)}]({_url(url)})"
        self.warnings.append(Note(f"{what} has no Markdown form: it is a link to its source, "
                                  f"{url}", line))
        return f"\n\n{line}\n\n"

    def _raw(self, el: Tag, what: str) -> str:
        raw = " ".join(str(el).split())
        self.warnings.append(Note(f"{what} has no Markdown form: it is kept as raw HTML "
                                  "(the site shows it as its theme does)", raw[:60]))
        return f"\n\n{raw}\n\n"

    def _tracking_pixel(self, el: Tag) -> bool:
        src = urlsplit(str(el.get("src") or ""))
        return (self.source == "medium" and (src.hostname or "").endswith("medium.com")
                and src.path.startswith("/_/stat"))


# -- the document -----------------------------------------------------------------------------


def convert(html: str, form: SiteForm, *, source: str, base_url: str, title: str = "",
            images: Mapping[str, str] | None = None) -> tuple[str, list[Note]]:
    """``html`` (a whole post body) as Markdown for the site, and the warnings.

    ``source`` is ``forum`` (CKEditor's stored HTML, or any served HTML), ``lexical``
    (Lexical's stored HTML, with its suggestions) or ``medium``; ``base_url`` is the
    platform's address, against which its own root-relative links (``/posts/…``) resolve;
    ``images`` maps an image's ``src`` to the reference the post gets instead.
    """
    soup = parse(html, base_url)
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(["style", "script"]):
        tag.decompose()
    if source == "medium":
        _strip_medium(soup, title)
    _mark_spoiler_paragraphs(soup)
    anchor_map = _anchor_map(soup, form)
    warnings: list[Note] = []
    converter = HomeConverter(form, source=source, images=images or {}, anchor_map=anchor_map,
                              warnings=warnings)
    converter.collect_footnotes(soup)
    body = str(converter.convert_soup(soup)).strip("\n")
    notes = converter.finish_footnotes()
    text = re.sub(r"\n{3,}", "\n\n", body + ("\n\n" + notes if notes else "")).strip("\n")
    return text + "\n", warnings


def image_sources(html: str, *, source: str, base_url: str) -> list[str]:
    """The ``src`` of every image of ``html`` that the converted post keeps, in order."""
    soup = parse(html, base_url)
    found: list[str] = []
    for img in soup.find_all("img"):
        if not isinstance(img, Tag) or not img.get("src"):
            continue
        src = str(img["src"])
        parts = urlsplit(src)
        if source == "medium" and (parts.hostname or "").endswith("medium.com") \
                and parts.path.startswith("/_/stat"):
            continue
        if src not in found:
            found.append(src)
    return found


def parse(html: str, base_url: str) -> BeautifulSoup:
    """The parse, with the platform's own links and images made absolute."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["a", "img"]):
        attr = "href" if tag.name == "a" else "src"
        value = str(tag.get(attr) or "").strip()
        if value.startswith("//"):
            tag[attr] = "https:" + value
        elif value.startswith("/"):
            tag[attr] = base_url.rstrip("/") + value
    return soup


def _strip_medium(soup: BeautifulSoup, title: str) -> None:
    """The title repeated as the first heading, and the footer after the last rule."""
    first = next((c for c in soup.children if isinstance(c, Tag)), None)
    if first is not None and first.name in {"h1", "h2", "h3", "h4"} \
            and " ".join(first.get_text(" ").split()) == " ".join(title.split()):
        first.decompose()
    blocks = [c for c in soup.children if isinstance(c, Tag)]
    tail = [b for b in blocks if b.name != "img"]
    if len(tail) >= 2 and tail[-2].name == "hr" and "was originally published in" in \
            " ".join(tail[-1].get_text(" ").split()):
        tail[-1].decompose()
        tail[-2].decompose()


def _mark_spoiler_paragraphs(soup: BeautifulSoup) -> None:
    """Draft.js's ``p.spoiler-v2`` paragraphs: consecutive ones are one spoiler block."""
    for para in soup.find_all("p", class_="spoiler-v2"):
        if not isinstance(para, Tag) or para.parent is None:
            continue
        previous = para.find_previous_sibling()
        if isinstance(previous, Tag) and previous.name == "div" and \
                "spoilers" in _classes(previous):
            previous.append(para.extract())
            continue
        wrapper = soup.new_tag("div", attrs={"class": "spoilers"})
        para.wrap(wrapper)


def _anchor_map(soup: BeautifulSoup, form: SiteForm) -> dict[str, str]:
    """The forums' heading anchors (``#The_Heading``) to the site's (``#the-heading``)."""
    headings = [h for h in soup.find_all(re.compile(r"^h[1-6]$"))
                if isinstance(h, Tag) and h.find_parent(
                    class_=["spoilers", "spoiler", "detailsBlockContent"]) is None]
    texts = [h.get_text() for h in headings]
    texts = [t for t in texts if t.strip()]
    return dict(zip(forum_anchors(texts), form.anchors(texts), strict=True))


def _escape_lead(match: re.Match[str]) -> str:
    """A line's start that Markdown would read as a block marker, escaped. Only punctuation
    takes a backslash: a list number keeps its digits and escapes its ``.`` or ``)``."""
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return indent + marker[:-1] + "\\" + marker[-1]
    return indent + "\\" + marker


def _classes(el: Tag) -> set[str]:
    value: Any = el.get("class") or []
    return {str(c) for c in (value.split() if isinstance(value, str) else value)}


def _code_text(el: Tag) -> str:
    parts: list[str] = []
    for node in el.descendants:
        if isinstance(node, NavigableString) and not isinstance(node, Comment):
            parts.append(str(node))
        elif isinstance(node, Tag) and node.name == "br":
            parts.append("\n")
    return "".join(parts).replace("\r\n", "\n").replace("\xa0", " ")


def _language(el: Tag) -> str:
    for node in (el, el.find("code")):
        if not isinstance(node, Tag):
            continue
        for attr in ("data-language", "data-highlight-language"):
            value = str(node.get(attr) or "").strip()
            if re.fullmatch(r"[\w+#.-]+", value) and value != "plain":
                return value
        for cls in _classes(node):
            if cls.startswith(("language-", "lang-")):
                value = cls.split("-", 1)[1]
                if re.fullmatch(r"[\w+#.-]+", value) and value != "plaintext":
                    return value
    return ""


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _label(what: str) -> str:
    text = what.removeprefix("an ").removeprefix("a ")
    return text[:1].upper() + text[1:]


def _url(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s<>]", url) or url.count("(") != url.count(")") else url


__all__ = ["HomeConverter", "Note", "SiteForm", "convert", "image_sources"]
