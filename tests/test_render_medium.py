"""Medium's HTML: title, headings, code, footnotes, and what Medium cannot show."""

from __future__ import annotations

from crosspost.render import Rendered
from tests.render_site import make_site, render_text

FM = "---\ntitle: Cats & <dogs>\n---\n"  # the body starts on line 4


def _render(body: str, *, attribution: bool = False) -> Rendered:
    return render_text(FM + body, "medium", site=make_site(title="Blog"), attribution=attribution)


def test_title_is_the_first_h1_and_attribution_comes_last() -> None:
    rendered = _render("Hello.\n", attribution=True)
    assert rendered.format == "html"
    assert rendered.body == (
        "<h1>Cats &amp; &lt;dogs&gt;</h1>\n<p>Hello.</p>\n<hr>\n"
        '<p><em>Originally published at <a href="https://blog.example.org/post/">Blog</a>.</em></p>\n')
    assert rendered.title == "Cats & <dogs>"


def test_headings_move_below_the_title() -> None:
    body = "# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n"
    assert _render(body).body.split("\n")[1:-1] == [
        "<h3>One</h3>", "<h3>Two</h3>", "<h4>Three</h4>", "<h4>Four</h4>",
        "<p><strong>Five</strong></p>"]


def test_code_blocks_are_pre_without_language() -> None:
    body = "```python\nif a < b:\n    pass\n```\n\n    indented & code\n"
    assert _render(body).body.split("\n")[1:-1] == [
        "<pre>if a &lt; b:", "    pass</pre>", "<pre>indented &amp; code</pre>"]


def test_footnotes_become_notes_before_the_attribution() -> None:
    body = "Claim.[^a] Other.[^b]\n\n[^a]: First *note*.\n[^b]: Second.\n"
    rendered = _render(body, attribution=True)
    lines = rendered.body.split("\n")
    assert lines[1] == "<p>Claim.<sup>1</sup> Other.<sup>2</sup></p>"
    assert lines[2:7] == ["<h3>Notes</h3>", "<ol>", "<li><p>First <em>note</em>.</p>",
                          "</li>", "<li><p>Second.</p>"]
    assert lines[-3] == "<hr>"
    assert [(n.line, n.severity) for n in rendered.notices] == [(4, "info")]


def test_math_tables_and_nested_lists_are_reported_with_lines() -> None:
    body = ("Energy $E=mc^2$.\n\n$$\n\\int f\n$$\n\n| a | b |\n|---|--:|\n| long cell | 2 |\n\n"
            "1. one\n   - sub *a*\n   - sub b\n     1. deeper\n2. two\n")
    rendered = _render(body)
    lines = rendered.body.split("\n")
    assert lines[1] == "<p>Energy $E=mc^2$.</p>"
    assert lines[2] == "<p>$$\\int f$$</p>"
    assert lines[3:6] == ["<pre>a         | b", "----------+--", "long cell | 2</pre>"]
    assert lines[6:10] == ["<ol>", "<li>one<br>– sub <em>a</em><br>– sub b<br>\u20031. deeper</li>",
                           "<li>two</li>", "</ol>"]
    assert [(n.line, n.message) for n in rendered.warnings] == [
        (4, "Medium has no math: the TeX source is shown as text"),
        (6, "Medium has no math: the TeX source is shown as text"),
        (10, "Medium has no tables: this one is sent as preformatted text"),
        (15, "Medium has no nested lists: sub-items are shown as lines of their parent item"),
    ]


def test_backslash_parenthesis_math_is_shown_as_dollar_math_is() -> None:
    """Medium has no math: ``\\\\(…\\\\)`` and ``\\\\[…\\\\]`` go as ``$…$`` and ``$$…$$`` do, with the
    same warning, and Markdown does not read the TeX (no emphasis, escapes as the site)."""
    body = ("Let \\\\(a_i + b_i\\\\) be.\n\n\\\\[\n\\sum_i \\\\\\\\ x\n\\\\]\n\n"
            "Code `\\\\(c\\\\)` and (plain) text.\n")
    rendered = _render(body)
    lines = rendered.body.split("\n")
    assert lines[1] == "<p>Let $a_i + b_i$ be.</p>"
    assert lines[2:5] == ["<p>$$", "\\sum_i \\\\ x", "$$</p>"]
    assert lines[5] == "<p>Code <code>\\\\(c\\\\)</code> and (plain) text.</p>"
    assert [(n.line, n.message) for n in rendered.warnings] == [
        (4, "Medium has no math: the TeX source is shown as text"),
        (6, "Medium has no math: the TeX source is shown as text")]


def test_a_lone_image_is_a_figure() -> None:
    body = "![A cat](https://x.org/cat.png)\n\nText ![inline](https://x.org/i.png) here.\n"
    assert _render(body).body.split("\n")[1:-1] == [
        '<figure><img src="https://x.org/cat.png" alt="A cat"></figure>',
        '<p>Text <img src="https://x.org/i.png" alt="inline"> here.</p>']


def test_blockquote_links_and_emphasis_are_plain_html() -> None:
    body = "> A *quote* with [a link](https://x.org/?a=1&b=2).\n\n---\n\n~~old~~ new\n"
    assert _render(body).body.split("\n")[1:-1] == [
        "<blockquote>",
        '<p>A <em>quote</em> with <a href="https://x.org/?a=1&amp;b=2">a link</a>.</p>',
        "</blockquote>", "<hr>", "<p><s>old</s> new</p>"]


def test_remote_images_medium_refuses_are_reported() -> None:
    rendered = _render("Text.\n\n![chart](https://x.org/chart.svg)\n")
    assert [(n.line, n.message) for n in rendered.warnings] == [
        (6, "Medium does not take .svg images: https://x.org/chart.svg may not show")]


def test_html_containers_become_paragraphs_only_around_text() -> None:
    body = ('<div class="note">A <span class="x">short</span> note.</div>\n\n'
            '<div class="row"><div class="col"><p>One</p></div><div>Two</div></div>\n')
    assert _render(body).body.split("\n")[1:-1] == [
        "<p>A short note.</p>", "<p>One</p>", "<p>Two</p>"]


# -- figure captions ------------------------------------------------------------------------------

_CAPTION = "A **bold** claim, [the data](/data/) and $$x^2$$"
_CAPTION_HTML = ('<figcaption>A <strong>bold</strong> claim, <a href="https://blog.example.org/data/">'
                 "the data</a> and $$x^2$$</figcaption>")


def test_liquid_figure_captions_are_rendered_markdown() -> None:
    site = make_site(title="Blog")
    site.files.add("assets/img/cat.png")
    body = f'{{% include figure.liquid path="assets/img/cat.png" alt="A cat" caption="{_CAPTION}" %}}\n'
    rendered = render_text(FM + body, "medium", site=site, attribution=False)
    assert ('<figure><img src="https://blog.example.org/assets/img/cat.png" alt="A cat">'
            + _CAPTION_HTML + "</figure>") in rendered.body
    assert "**" not in rendered.body
    assert "](" not in rendered.body


def test_hugo_figure_captions_are_rendered_markdown_with_title_and_attribution() -> None:
    site = make_site("hugo")
    site.files.add("images/a.png")
    body = f'{{{{< figure src="/images/a.png" caption="{_CAPTION}" >}}}}\n'
    assert _CAPTION_HTML in render_text(FM + body, "medium", site=site, attribution=False,
                                        name="content/posts/p.md").body
    body = ('{{< figure src="/images/a.png" title="Fig. 1 <raw>" caption="See *this*" '
            'attr="Jane" attrlink="/about/" >}}\n')
    rendered = render_text(FM + body, "medium", site=site, attribution=False,
                           name="content/posts/p.md")
    assert ('<figcaption><strong>Fig. 1 &lt;raw&gt;</strong> — See <em>this</em> '
            '<a href="https://blog.example.org/about/">Jane</a></figcaption>') in rendered.body


def test_caption_html_is_cleaned_and_its_links_resolved() -> None:
    site = make_site(title="Blog")
    site.files.add("a.png")
    body = ('{% include figure.html path="a.png" caption="An <em class=\'x\'>a</em> by '
            '<a href=\'/me/\'>me</a> & co" %}\n')
    rendered = render_text(FM + body, "medium", site=site, attribution=False)
    assert ('<figcaption>An <em>a</em> by <a href="https://blog.example.org/me/">me</a> &amp; co'
            "</figcaption>") in rendered.body


def test_a_footnote_referenced_from_a_table_cell_keeps_its_marker() -> None:
    body = ("Claim.[^a]\n\n| item | cost |\n|---|---|\n| bread[^b] | $$x$$ |\n\n"
            "[^a]: First.\n[^b]: Sourdough.\n")
    lines = _render(body).body.split("\n")
    assert lines[1] == "<p>Claim.<sup>1</sup></p>"
    assert lines[2:5] == ["<pre>item   | cost", "-------+------", "bread² | $$x$$</pre>"]
    assert lines[5:10] == ["<h3>Notes</h3>", "<ol>", "<li><p>First.</p>", "</li>",
                           "<li><p>Sourdough.</p>"]
