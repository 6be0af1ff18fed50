"""kramdown ends an HTML block at its closing tag; CommonMark at the next blank line.

Each case below was built with jekyll 4.3 (kramdown) to see where the block ends; the
conformance test (test_conformance.py) builds one of them for real.
"""

from __future__ import annotations

import pytest

from crosspost.render.kramdown_blocks import html_block_ends
from crosspost.render.markdown import SOURCE_MD, Layer, parse
from tests.render_site import body_of, make_site


def kramdown_blocks(text: str) -> str:
    """``text`` as markdown-it renders it once the blocks end where kramdown ends them."""
    return str(SOURCE_MD.render(Layer(text).apply(html_block_ends(parse(text, scan=True))).text))


@pytest.mark.parametrize(("text", "html"), [
    # the image right after </p> is an image (the case)
    ("<p>para</p>\n![img](b.png)\n", '<p>para</p>\n<p><img src="b.png" alt="img" /></p>\n'),
    # nested elements end at the matching closing tag
    ("<div>\n<div>\ninner *no*\n</div>\n</div>\n*case*\n",
     "<div>\n<div>\ninner *no*\n</div>\n</div>\n<p><em>case</em></p>\n"),
    # text after the closing tag starts a paragraph
    ("<p>para</p> trailing\n*x*\n", "<p>para</p>\n<p>trailing\n<em>x</em></p>\n"),
    ("<div>a</div>\n# Heading\n", "<div>a</div>\n<h1>Heading</h1>\n"),
    # a block that starts with a closing tag ends with it
    ("</details>\n*after*\n", "</details>\n<p><em>after</em></p>\n"),
    # tag names in any case; two elements on one line stay HTML
    ('<DIV class="x">\ntext\n</DIV>\n*y*\n', '<DIV class="x">\ntext\n</DIV>\n<p><em>y</em></p>\n'),
    ("<div>one</div><div>two</div>\n*z*\n", "<div>one</div><div>two</div>\n<p><em>z</em></p>\n"),
    ("<table><tr><td>\nx\n</td></tr></table>\n- item\n",
     "<table><tr><td>\nx\n</td></tr></table>\n<ul>\n<li>item</li>\n</ul>\n"),
    ("<hr>\n*after a void element*\n", "<hr>\n<p><em>after a void element</em></p>\n"),
    # one element after another on the next line: still one stretch of HTML
    ("<div>a</div>\n<div>b</div>\n", "<div>a</div>\n<div>b</div>\n"),
    # never closed: kramdown runs on, as CommonMark does
    ("<div>\nopen\n*x*\n", "<div>\nopen\n*x*\n"),
    # a span-level tag at a line's start is a paragraph in both
    ("<span>x</span>\n*y*\n", "<p><span>x</span>\n<em>y</em></p>\n"),
])
def test_html_blocks_end_where_kramdown_ends_them(text: str, html: str) -> None:
    assert kramdown_blocks(text) == html


def test_html_inside_a_list_or_code_is_left_alone() -> None:
    for text in ("- <p>x</p>\n  ![i](b.png)\n", "```\n<p>x</p>\n![i](b.png)\n```\n",
                 "    <p>x</p>\n    ![i](b.png)\n"):
        assert html_block_ends(parse(text, scan=True)) == []


def test_a_jekyll_post_gets_the_image_after_a_paragraph() -> None:
    text = "---\ntitle: T\n---\n<p>An HTML paragraph.</p>\n![chart](/assets/chart.png)\n"
    assert body_of(text) == ("An HTML paragraph.\n\n"
                             "![chart](https://blog.example.org/assets/chart.png)\n")


def test_only_kramdown_reads_html_blocks_so() -> None:
    text = "---\ntitle: T\n---\n<p>An HTML paragraph.</p>\n![chart](/assets/chart.png)\n"
    # jekyll-commonmark, and Hugo's goldmark, read the image line as part of the HTML block.
    commonmark = make_site(markdown="CommonMarkGHPages")
    assert "![chart](/assets/chart.png)" in body_of(text, site=commonmark)
    assert "![chart](/assets/chart.png)" in body_of(text, site=make_site("hugo"))
