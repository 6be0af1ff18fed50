"""How an imported post is compared with the platform's copy.

Both sides are turned into HTML and then into the same list of features:

* the platform's side is the copy as the platform holds it: the stored rich-editor HTML (the
  TeX in its ``math-tex`` elements), or a Medium story's HTML from the feed;
* crosspost's side is the imported file rendered back by crosspost for that platform
  (``render_post``), then, for the forums, turned into HTML the way ForumMagnum's
  markdown-it does it (footnotes, ``$…$``/``$$…$$`` math, ``>!`` spoilers, ``+++``
  collapsible sections, ``~sub~``/``^sup^``; ``FORUM_MD`` below, written from
  ``markdownItPlugins.ts``), and for Medium taken as the HTML it is.

:func:`features` then reads from either HTML: the visible text (words, in order, outside
math, code and footnotes), each equation's TeX, each footnote's text, the links in
footnotes, every image's source, every caption, every link, each code block with its
language, each spoiler's and collapsible section's text, and the table cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from tests.reader import doubled_math


def _spoiler_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``>!`` lines (markdownItPlugins.ts parseSpoilerBlock)."""
    pos = state.bMarks[start] + state.tShift[start]
    if state.sCount[start] - state.blkIndent >= 4 or state.src[pos:pos + 2] != ">!":
        return False
    if silent:
        return True
    lines: list[str] = []
    line = start
    while line < end:
        begin = state.bMarks[line] + state.tShift[line]
        if state.src[begin:begin + 2] != ">!":
            break
        content = state.src[begin + 2:state.eMarks[line]]
        lines.append(content[1:] if content.startswith(" ") else content)
        line += 1
    token = state.push("html_block", "", 0)
    token.content = '<div class="spoilers">' + FORUM_MD.render("\n".join(lines)) + "</div>"
    token.map = [start, line]
    state.line = line
    return True


def _collapsible(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``+++ Title`` … ``+++`` (markdownCollapsibleSections.ts, without the open form)."""
    pos = state.bMarks[start] + state.tShift[start]
    first = state.src[pos:state.eMarks[start]]
    found = re.match(r"^(\+{3,})[ \t]*(.*\S)[ \t]*$", first)
    if found is None or state.sCount[start] - state.blkIndent >= 4:
        return False
    marker = found.group(1)
    line = start + 1
    while line < end:
        text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
        if text.strip() == marker:
            break
        line += 1
    if silent:
        return True
    body = "\n".join(state.src[state.bMarks[n]:state.eMarks[n]] for n in range(start + 1, line))
    token = state.push("html_block", "", 0)
    token.content = (f'<details class="detailsBlock"><summary class="detailsBlockTitle">'
                     f"{found.group(2)}</summary><div class=\"detailsBlockContent\">"
                     f"{FORUM_MD.render(body)}</div></details>")
    token.map = [start, min(line + 1, end)]
    state.line = min(line + 1, end)
    return True


def _forum_md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(
        ["table", "strikethrough"])
    md.use(footnote_plugin).use(sub_plugin).use(superscript_plugin)
    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False,
           double_inline=True)
    md.inline.ruler.before("escape", "doubled_math",
                           doubled_math("math_inline", "math_inline_double"))
    md.block.ruler.before("blockquote", "spoiler", _spoiler_block,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.before("fence", "collapsible", _collapsible,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})

    def math(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        display = token.type != "math_inline"
        tag = "div" if token.type == "math_block" else "span"
        kind = r"\[" if display else r"\("
        close = r"\]" if display else r"\)"
        return f'<{tag} class="math-tex">{kind}{token.content.strip()}{close}</{tag}>'

    for name in ("math_inline", "math_inline_double", "math_block"):
        md.add_render_rule(name, math)
    return md


FORUM_MD = _forum_md()


def forum_html(markdown: str) -> str:
    """HTML from forum Markdown, as ForumMagnum's markdown-it makes it (math as its TeX)."""
    return str(FORUM_MD.render(markdown))


@dataclass
class Features:
    text: list[str] = field(default_factory=list)
    tex: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    footnote_links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    code: list[tuple[str, str]] = field(default_factory=list)
    spoilers: list[str] = field(default_factory=list)
    collapsibles: list[tuple[str, str]] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)


_TEX = re.compile(r"\A\s*\\[(\[](.*)\\[)\]]\s*\Z", re.DOTALL)


def _words(node: Tag | BeautifulSoup) -> str:
    return " ".join(node.get_text(" ").split())


def _norm_tex(tex: str) -> str:
    return " ".join(tex.split())


def features(html: str) -> Features:
    soup = BeautifulSoup(html, "html.parser")
    found = Features()
    for tag in soup.find_all(["style", "script"]):
        tag.decompose()
    # Math: the TeX, in order; then out of the text.
    for math in soup.find_all(class_="math-tex"):
        label = math.find("mjx-container")
        if isinstance(label, Tag) and label.get("aria-label"):
            tex = str(label["aria-label"])
        else:
            matched = _TEX.match(math.get_text())
            tex = matched.group(1) if matched else math.get_text()
        found.tex.append(_norm_tex(tex))
        math.replace_with(" ")
    # Footnotes: each definition's words and links; references out of the text.
    for section in soup.find_all(["ol", "section"], class_=["footnote-section", "footnotes"]):
        for item in section.find_all("li"):
            for back in item.find_all(class_=["footnote-back-link", "footnote-backref"]):
                back.decompose()
            for link in item.find_all("a", href=True):
                if not str(link["href"]).startswith("#"):
                    found.footnote_links.append(str(link["href"]))
            found.footnotes.append(_words(item).replace(" .", ".").replace(" ,", ","))
        section.decompose()
    for ref in soup.find_all(class_=["footnote-reference", "footnote-ref"]):
        ref.decompose()
    for hr in soup.find_all("hr", class_="footnotes-sep"):
        hr.decompose()
    for code in soup.find_all("pre"):
        for br in code.find_all("br"):  # Medium's code: lines broken by <br>
            br.replace_with("\n")
        inner = code.find("code")
        language = ""
        for node in (code, inner):
            if isinstance(node, Tag):
                language = language or next((str(c).split("-", 1)[1] for c in node.get("class") or []
                                             if str(c).startswith("language-")), "")
        found.code.append((language, code.get_text().strip("\n")))
        code.decompose()
    for spoiler in soup.find_all("div", class_=["spoilers", "spoiler"]):
        found.spoilers.append(_words(spoiler))
    for details in soup.find_all("details"):
        summary = details.find("summary")
        title = _words(summary) if isinstance(summary, Tag) else ""
        if isinstance(summary, Tag):
            summary.extract()
        found.collapsibles.append((title, _words(details)))
        if isinstance(summary, Tag):
            details.insert(0, summary)
    for img in soup.find_all("img"):
        found.images.append(str(img.get("src") or ""))
    for caption in soup.find_all("figcaption"):
        found.captions.append(_words(caption))
    # A caption on the forums (and in crosspost's Medium HTML for a Markdown figure) is the
    # italic paragraph right after an image's paragraph (or captionless figure).
    for para in soup.find_all(["p", "figure"]):
        if para.find("img") is not None and len(para.find_all(True)) == 1:
            following = para.find_next_sibling()
            if isinstance(following, Tag) and following.name == "p":
                only = [c for c in following.contents
                        if not (isinstance(c, NavigableString) and not c.strip())]
                if len(only) == 1 and isinstance(only[0], Tag) and only[0].name == "em":
                    found.captions.append(_words(following))
    for link in soup.find_all("a", href=True):
        found.links.append(str(link["href"]))
    for cell in soup.find_all(["td", "th"]):
        found.cells.append(_words(cell))
    text = _words(soup)
    found.text = text.replace(" .", ".").replace(" ,", ",").split()
    return found


__all__ = ["FORUM_MD", "Features", "features", "forum_html"]
