"""What a reader sees: the text of a built page, of a forum copy, of a Medium copy.

A copy is right when a reader of it reads what a reader of the site reads. So the three are
reduced to the same thing, one :class:`Reading` per part of the post (split at the headings
``Case …``, footnotes apart): the visible text, whitespace and typography normalised, with
each formula written ``⟦TeX⟧``.

- The site: the page the real generator built, with the formulas its MathJax setup would
  typeset (MathJax's defaults, ``\\(…\\)``, ``\\[…\\]`` and ``$$…$$``, plus ``$…$`` when the
  site says so), never inside code.
- The forums: the Markdown rendered as ForumMagnum renders it (reference forummagnum.md
  §6.2: markdown-it's default preset, linkify, no HTML, footnotes, ``$`` math that refuses a
  space inside the delimiters or a digit after, sub/sup), built here on its own rather than
  borrowed from crosspost.
- dev.to: the Markdown rendered by the fake's model of Forem (``tests.fakes.devto``), each
  KaTeX tag a formula.
- Medium: the HTML as sent. Medium has no math, so formulas are their TeX as text, and a
  table is a block of preformatted text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from tests.fakes.devto import render_body


def doubled_math(inline: str, display: str) -> Callable[[StateInline, bool], bool]:
    """markdownMathjax.ts's rule for the readers' dialect: ``\\\\(…\\\\)`` inline and
    ``\\\\[…\\\\]`` display math (doubled backslashes in the source), the TeX taken as it
    stands up to the first closing marker (reference forummagnum.md §6.2); tokens of the
    kinds ``inline`` and ``display``."""

    def rule(state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        for opening, closing, kind in (("\\\\(", "\\\\)", inline),
                                       ("\\\\[", "\\\\]", display)):
            if not src.startswith(opening, pos):
                continue
            end = src.find(closing, pos + len(opening))
            if end < 0:
                return False
            if not silent:
                token = state.push(kind, "math", 0)
                token.content = src[pos + len(opening):end]
            state.pos = end + len(closing)
            return True
        return False

    return rule


FORUM = (MarkdownIt("js-default", {"linkify": True})
         .use(footnote_plugin)
         .use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False,
              double_inline=True)
         .use(sub_plugin).use(superscript_plugin))
FORUM.inline.ruler.before("escape", "doubled_math",
                          doubled_math("doubled_inline", "doubled_display"))
for _kind in ("doubled_inline", "doubled_display"):
    FORUM.add_render_rule(_kind, lambda self, tokens, idx, options, env:
                          f'<span class="math">{html.escape(tokens[idx].content)}</span>')

_BLOCKS = ("p", "div", "li", "ul", "ol", "tr", "table", "thead", "tbody", "h1", "h2", "h3",
           "h4", "h5", "h6", "blockquote", "pre", "footer", "figure", "figcaption", "section",
           "hr", "br", "dd", "dt", "dl", "article", "aside")
_CASE = re.compile(r"^(Case \d+)\b")
_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "—": " ",
                             "–": " ", "↩": " ", "\ufe0e": "", "\u00a0": " "})
_SUP_NUMBER = re.compile(r"\[?(\d+)\]?")


@dataclass(frozen=True)
class Reading:
    """What a reader reads, part by part: ``{"Case 1": "…", "footnotes": "…"}``."""

    parts: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.parts[name]


def site_reading(html: str, *, dollar_math: bool = False) -> Reading:
    """The page a generator built (its ``<article>``, else its ``<body>``)."""
    soup = BeautifulSoup(html, "html.parser")
    root = soup.find("article") or soup.body or soup
    assert isinstance(root, Tag)
    _mark_site_math(root, dollar_math=dollar_math)
    return _reading(root, soup)


def forum_reading(markdown: str) -> Reading:
    """A forum copy, rendered as the forum renders it."""
    soup = BeautifulSoup(FORUM.render(markdown), "html.parser")
    for element in soup.select(".math"):
        element.replace_with(NavigableString(_formula(element.get_text())))
    return _reading(soup, soup)


def devto_reading(markdown: str) -> Reading:
    """A dev.to copy, as the fake's model of Forem renders it (KaTeX tags are formulas)."""
    soup = BeautifulSoup(render_body(markdown), "html.parser")
    for element in soup.select("span.katex"):
        element.replace_with(NavigableString(_formula(element.get_text())))
    return _reading(soup, soup)


def medium_reading(html: str) -> Reading:
    """A Medium copy, as Medium shows it: the title heading is not part of the post, and
    the Notes heading is where the site's footnotes are."""
    soup = BeautifulSoup(html, "html.parser")
    title = soup.find("h1")
    if title is not None:
        title.decompose()
    for pre in soup.find_all("pre"):
        text = pre.get_text()
        if _is_text_table(text):
            pre.replace_with(NavigableString(_untable(text)))
    for heading in soup.find_all("h3"):
        if heading.get_text() == "Notes":
            notes = heading.find_next_sibling("ol")
            heading.decompose()
            if isinstance(notes, Tag):
                notes["class"] = "footnotes"
    return _reading(soup, soup)


def without_math(text: str) -> str:
    """A reading as Medium shows formulas: the TeX, no delimiters (and no dollar signs,
    which Medium shows whether or not they were meant as math)."""
    return " ".join(re.sub(r"⟦(.*?)⟧", r"\1", text).replace("$", "").split())


# -- the shared reduction ------------------------------------------------------------------


def _reading(root: Tag, soup: BeautifulSoup) -> Reading:
    parts: dict[str, str] = {}
    for notes in root.select(".footnotes"):
        parts["footnotes"] = _text(notes, soup)
        notes.decompose()
    for hr in root.select("hr.footnotes-sep"):
        hr.decompose()
    for sup in root.find_all("sup"):
        number = _SUP_NUMBER.fullmatch(sup.get_text().strip())
        if number:  # a footnote marker: [1] on the forums, 1 on the site
            sup.replace_with(NavigableString(number.group(1)))
    current = "before"
    pieces: dict[str, list[str]] = {current: []}
    for child in list(root.children):
        text = _text(child, soup) if isinstance(child, Tag) else str(child)
        case = _CASE.match(text.strip())
        if isinstance(child, Tag) and child.name in {"h2", "h3"} and case:
            current = case.group(1)
            pieces[current] = []
            continue
        pieces[current].append(text)
    for name, texts in pieces.items():
        parts[name] = _normalise(" ".join(texts))
    return Reading(parts)


def _text(element: Tag, soup: BeautifulSoup) -> str:
    """Visible text with a space between blocks and table cells, none inside a line."""
    for block in element.find_all([*_BLOCKS, "td", "th"]):
        block.insert_after(soup.new_string(" "))
        block.insert_before(soup.new_string(" "))
    return _normalise(element.get_text())


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).split())


def _formula(tex: str) -> str:
    return "⟦" + " ".join(tex.split()) + "⟧"


_SITE_MATH = [
    re.compile(r"\\\((.+?)\\\)", re.DOTALL),
    re.compile(r"\\\[(.+?)\\\]", re.DOTALL),
    re.compile(r"\$\$(.+?)\$\$", re.DOTALL),
]
_SITE_DOLLAR = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$(?!\$)", re.DOTALL)


def _mark_site_math(root: Tag, *, dollar_math: bool) -> None:
    """Write each formula MathJax would typeset as ⟦TeX⟧ (text outside code only)."""
    patterns = [*_SITE_MATH, _SITE_DOLLAR] if dollar_math else _SITE_MATH
    for block in root.find_all(["p", "td", "th", "li", "div", "blockquote", "h2", "h3"]):
        if block.find_parent(["pre", "code"]) is not None or block.find(
                [*_BLOCKS, "td", "th"]) is not None:
            continue
        # A formula can span inline elements (kramdown keeps <em> out of it, but be safe):
        # work on the block's text when it holds no code, else on each text node.
        if block.find("code") is None:
            text = block.get_text()
            marked = _marked(text, patterns)
            if marked != text:
                block.clear()
                block.append(NavigableString(marked))
            continue
        for node in list(block.find_all(string=True)):
            if node.find_parent(["pre", "code"]) is None:
                marked = _marked(str(node), patterns)
                if marked != str(node):
                    node.replace_with(NavigableString(marked))


def _marked(text: str, patterns: list[re.Pattern[str]]) -> str:
    for pattern in patterns:
        text = pattern.sub(lambda m: _formula(m.group(1)), text)
    return text


def _is_text_table(text: str) -> bool:
    lines = text.split("\n")
    return len(lines) >= 2 and re.fullmatch(r"-+(?:-\+-+)*", lines[1]) is not None


def _untable(text: str) -> str:
    """Medium's preformatted table as the words of its cells, row by row."""
    lines = [line for i, line in enumerate(text.split("\n")) if i != 1]
    return " " + " ".join(" ".join(re.split(r" +\| ?", line)) for line in lines) + " "


__all__ = ["FORUM", "Reading", "devto_reading", "forum_reading", "medium_reading", "site_reading",
           "without_math"]
