"""Raw HTML: Markdown for the forums, clean HTML for Medium."""

from __future__ import annotations

from markdown_it import MarkdownIt

from crosspost.render import Rendered
from tests.render_site import make_site, render_text

FM = "---\ntitle: T\n---\n"  # the body starts on line 4


def _render(body: str, target: str = "lesswrong") -> Rendered:
    return render_text(FM + body, target, site=make_site(), attribution=False)


def _raw_html_in(markdown: str) -> list[str]:
    """Raw HTML a forum would show as escaped text (found by a parser with html on)."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    found = []
    for token in md.parse(markdown):
        if token.type == "html_block":
            found.append(token.content)
        for child in token.children or []:
            if child.type == "html_inline":
                found.append(child.content)
    return found


def test_figure_element() -> None:
    body = ('<figure class="wide">\n  <img src="img/a.png" alt="A" style="width:50%">\n'
            "  <figcaption>An <em>a</em>, see <a href=\"/src\">source</a></figcaption>\n</figure>\n")
    forum = _render(body).body
    assert forum == ("![A](https://blog.example.org/post/img/a.png)\n\n"
                     "*An *a*, see [source](https://blog.example.org/src)*\n")
    medium = _render(body, "medium").body
    assert ('<figure>\n<img alt="A" src="https://blog.example.org/post/img/a.png">\n'
            '<figcaption>An <em>a</em>, see <a href="https://blog.example.org/src">source</a>'
            "</figcaption>\n</figure>") in medium
    assert "class=" not in medium
    assert "style=" not in medium


def test_inline_tags_keep_the_markdown_between_them() -> None:
    body = ('See <a href="/about" class="x">the **about** page</a>, H<sub>2</sub>O, E=mc<sup>2</sup>,\n'
            'an <img src="/i.png" alt="icon" width="10"> and <span style="color:red">red `code`</span>.\n'
            "Line<br>\nbreak and <kbd>Ctrl</kbd>.\n")
    forum = _render(body).body
    assert forum == ("See [the **about** page](https://blog.example.org/about), H~2~O, E=mc^2^,\n"
                     "an ![icon](https://blog.example.org/i.png) and red `code`.\n"
                     "Line\\\nbreak and `Ctrl`.\n")
    assert _raw_html_in(forum) == []
    medium = _render(body, "medium").body
    assert ('<p>See <a href="https://blog.example.org/about">the <strong>about</strong> page</a>, '
            "H<sub>2</sub>O, E=mc<sup>2</sup>,\nan <img src=\"https://blog.example.org/i.png\" "
            'alt="icon"> and red <code>code</code>.\nLine<br>\nbreak and Ctrl.</p>') in medium


def test_details_across_blocks_become_collapsible_sections() -> None:
    body = ("<details>\n<summary>Proof <b>sketch</b></summary>\n\nStep **one**.\n\n"
            "<details><summary>Inner</summary>\n\nDeep.\n\n</details>\n\n</details>\n\nAfter.\n")
    assert _render(body).body == ("+++ Proof sketch\n\nStep **one**.\n\n++++ Inner\n\nDeep.\n\n"
                                  "++++\n\n+++\n\nAfter.\n")
    medium = _render(body, "medium").body
    assert medium.split("\n")[1:6] == ["<p><strong>Proof sketch</strong></p>",
                                        "<p>Step <strong>one</strong>.</p>",
                                        "<p><strong>Inner</strong></p>", "<p>Deep.</p>",
                                        "<p>After.</p>"]


def test_iframes() -> None:
    body = ('<iframe width="560" src="https://www.youtube-nocookie.com/embed/jNQXAC9IVRw?start=3" '
            'allowfullscreen></iframe>\n\n<iframe src="https://example.org/widget" '
            'title="A widget"></iframe>\n')
    rendered = _render(body)
    assert rendered.body == ("https://www.youtube.com/watch?v=jNQXAC9IVRw&t=3\n\n"
                             "[A widget](https://example.org/widget)\n")
    assert [(n.line, n.message) for n in rendered.warnings] == [
        (6, "an embedded frame (https://example.org/widget) is shown as a link to it")]
    medium = _render(body, "medium")
    assert ('<p><a href="https://www.youtube.com/watch?v=jNQXAC9IVRw&amp;t=3">'
            "https://www.youtube.com/watch?v=jNQXAC9IVRw&amp;t=3</a></p>") in medium.body
    assert '<p><a href="https://example.org/widget">https://example.org/widget</a></p>' in medium.body
    assert "<iframe" not in medium.body


def test_tikz_script_becomes_code_with_a_warning() -> None:
    body = 'Text.\n\n<script type="text/tikz">\n\\begin{tikzpicture}\n\\end{tikzpicture}\n</script>\n'
    rendered = _render(body)
    assert rendered.body == "Text.\n\n```latex\n\\begin{tikzpicture}\n\\end{tikzpicture}\n```\n"
    assert [n.line for n in rendered.warnings] == [6]
    medium = _render(body, "medium")
    assert "<pre>\\begin{tikzpicture}\n\\end{tikzpicture}</pre>" in medium.body
    assert [n.line for n in medium.warnings] == [6]


def test_other_scripts_are_reported_and_left_out() -> None:
    rendered = _render("A.\n\n<script>alert(1)</script>\n\nB.\n")
    assert rendered.body == "A.\n\nB.\n"
    assert [(n.line, n.message) for n in rendered.warnings] == [(6, "a <script> cannot run here: left out")]


def test_comments_are_dropped() -> None:
    rendered = _render("A.\n\n<!-- more -->\n\nB <!-- note --> C.\n")
    assert rendered.body == "A.\n\nB  C.\n"
    assert rendered.notices == ()


def test_html_table() -> None:
    body = "<table class=\"t\">\n<tr><th>a</th><th>b</th></tr>\n<tr><td>1</td><td>2</td></tr>\n</table>\n"
    assert _render(body).body == "| a | b |\n| --- | --- |\n| 1 | 2 |\n"
    medium = _render(body, "medium")
    assert "<pre>a | b\n--+--\n1 | 2</pre>" in medium.body
    assert [n.line for n in medium.warnings] == [4]


def test_no_raw_html_survives_for_the_forums() -> None:
    body = ('<div class="row"><div class="col"><p>Para <i>it</i></p></div></div>\n\n'
            '<center><video src="/v.mp4" controls></video></center>\n\n'
            "Inline <u>under</u> <mark>mark</mark> <abbr title=\"x\">X</abbr> <foo>?</foo>\n")
    forum = _render(body).body
    assert _raw_html_in(forum) == []
    assert forum == ("Para *it*\n\n[Video: v.mp4](https://blog.example.org/v.mp4)\n\n"
                     "Inline under mark X ?\n")
