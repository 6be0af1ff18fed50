"""What the fake ForumMagnum makes of a rich-editor post's stored HTML, as the server does
(``reference/import.md`` §1.2, §1.3, §2, §3):

* ``served_html``: the ``html`` field, built at save time: sanitized (``language-*``
  classes and ``colgroup`` dropped) and its math pre-rendered by MathJax 3, with the TeX
  in ``aria-label`` (as since 2026-07-29) or without it (``aria_label=False``: revisions
  saved 2026-02-10…07-29);
* ``lossy_markdown``: the ``markdown`` field, turndown 4's defaults plus the custom rules at
  HEAD: setext ``===``/``---`` headings, ``* * *`` rules, ``*   `` bullets, ``_`` emphasis,
  indented code without a language (and ``<pre>`` without ``<code>`` as escaped text),
  footnote bodies flattened to plain text, ``~sub~``/``^sup^``, ``+++`` collapsibles,
  ``>!`` spoilers, GFM tables with pipes escaped.

Written for the fake from the reference; it is not crosspost's converter (which must never
read this field as a post's text).
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString
from markdownify import MarkdownConverter

_TEX = re.compile(r"\A\s*\\([(\[])(.*)\\[)\]]\s*\Z", re.DOTALL)


def _tex(el: Tag) -> tuple[str, bool] | None:
    found = _TEX.match(el.get_text())
    if found is None:
        return None
    return found.group(2).strip(), found.group(1) == "["


def served_html(stored: str, *, aria_label: bool = True, lexical: bool = False) -> str:
    """The ``html`` the server stores for a CKEditor/Lexical post (a Lexical post's
    unaccepted suggestions are dropped: ``removePrivateLexicalMarkup``)."""
    soup = BeautifulSoup(stored, "html.parser")
    if lexical:
        for ins in soup.find_all("ins"):
            ins.decompose()
        for wrapper in soup.find_all(["del", "mark"]):
            wrapper.unwrap()
    for code in soup.find_all(["code", "pre"]):
        kept = " ".join(c for c in (code.get("class") or []) if c == "code-block")
        if kept:
            code["class"] = kept
        elif code.get("class") is not None:
            del code["class"]
    for group in soup.find_all("colgroup"):
        group.decompose()
    styled = False
    for math in soup.find_all(class_="math-tex"):
        found = _tex(math)
        if found is None:
            continue
        tex, display = found
        container = soup.new_tag("mjx-container", attrs={"class": "MathJax", "jax": "CHTML",
                                                         "role": "math"})
        if aria_label:
            container["aria-label"] = tex
        if display:
            container["display"] = "true"
        glyphs = soup.new_tag("mjx-math")
        glyphs.string = re.sub(r"[\\{}^_]", "", tex)
        container.append(glyphs)
        math.clear()
        if not styled:
            style = soup.new_tag("style")
            style.string = "mjx-container { display: inline-block }"
            math.append(style)
            styled = True
        math.append(container)
    return str(soup)


class _Turndown(MarkdownConverter):
    def __init__(self) -> None:
        super().__init__(heading_style="underlined", bullets="*", strong_em_symbol="*")

    def convert_em(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"_{text.strip()}_" if text.strip() else ""

    convert_i = convert_em

    def convert_hr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return "\n\n* * *\n\n"

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "footnote-item" in (el.get("class") or []):
            note = el.get("data-footnote-id") or "MISSING-ID"
            body = el.find(class_="footnote-content")
            plain = " ".join((body or el).get_text(" ").split())
            return f"[^{note}]: {plain}\n\n"
        parent = el.parent
        marker = "1.  " if parent is not None and parent.name == "ol" else "*   "
        lines = text.strip().split("\n")
        return marker + "\n    ".join(lines) + "\n"

    def convert_ol(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "footnote-section" in (el.get("class") or []):
            return "\n\n" + text.strip() + "\n\n"
        return str(super().convert_ol(el, text, parent_tags))  # type: ignore[misc]

    def convert_span(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        classes: list[str] = list(el.get("class") or [])
        if "math-tex" in classes:
            found = _tex(el)
            if found is None:
                return text
            tex, display = found
            return f"\n\n$$\n{tex}\n$$\n\n" if display else f"${tex}$"
        if "footnote-reference" in classes:
            return f"[^{el.get('data-footnote-id') or 'MISSING-ID'}]"
        if "footnote-back-link" in classes:
            return ""
        return text

    def convert_div(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        classes: list[str] = list(el.get("class") or [])
        if "math-tex" in classes:
            found = _tex(el)
            return f"\n\n$$\n{found[0]}\n$$\n\n" if found else text
        if "spoilers" in classes:
            return "\n\n" + "\n".join(f">! {line}" if line.strip() else ">!"
                                      for line in text.strip().split("\n")) + "\n\n"
        return str(super().convert_div(el, text, parent_tags))  # type: ignore[misc]

    def convert_details(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        summary = el.find("summary")
        title = summary.get_text(" ").strip() if isinstance(summary, Tag) else ""
        return f"\n\n+++ {title}\n\n{text.strip()}\n\n+++\n\n"

    def convert_summary(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""

    def convert_sub(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"~{text}~"

    def convert_sup(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if el.find_parent(class_="footnote-reference") is not None or \
                el.find_parent(class_="footnote-back-link") is not None:
            return text
        return f"^{text}^"

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        code = el.find("code")
        if code is None:  # Lexical's code block: no rule for <pre> without <code>
            parts: list[str] = []
            for node in el.descendants:
                if isinstance(node, NavigableString):
                    parts.append(re.sub(r"([*_\[\]])", r"\\\1", str(node)))
                elif isinstance(node, Tag) and node.name == "br":
                    parts.append("  \n")
            return "\n\n" + "".join(parts).strip() + "\n\n"
        body = code.get_text().strip("\n")
        return "\n\n" + "\n".join("    " + line for line in body.split("\n")) + "\n\n"

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"\n\n{text.strip()}\n\n"

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return " " + " ".join(text.split()).replace("|", "\\|") + " |"

    convert_th = convert_td

    def convert_tr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        first = el.find_previous_sibling("tr") is None and (
            el.parent is not None and (el.parent.name == "thead" or
                                       el.parent.find_previous_sibling("thead") is None))
        cells = len(el.find_all(["td", "th"]))
        line = "|" + text + "\n"
        return line + ("| " + " | ".join(["---"] * cells) + " |\n" if first else "")

    def convert_style(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""


def lossy_markdown(stored: str) -> str:
    """The ``markdown`` the server computes from a rich post's stored HTML (``dataToMarkdown``)."""
    converted: Any = _Turndown().convert(stored)
    return re.sub(r"\n{3,}", "\n\n", str(converted)).strip() + "\n"


__all__ = ["lossy_markdown", "served_html"]
