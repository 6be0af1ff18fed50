"""dev.to's Markdown: Liquid escaped in prose only, math as KaTeX tags, no front matter.

Each body is also run through the fake's model of Forem's rendering (code wrapped in ``raw``,
Markdown, then Liquid), which is where dev.to's silent failures would show.
"""

from __future__ import annotations

import pytest

from crosspost.render.devto import katex, raw
from tests.fakes.devto import liquid, render_body, visible_text
from tests.render_site import MemorySite, body_of, make_site, render_text


def hugo() -> MemorySite:
    """A Hugo site: Jekyll's Liquid means nothing there, so `{{ }}` and `{% %}` are text."""
    return make_site("hugo", title="Ann's notes")


def post(body: str, front: str = "") -> str:
    return f"---\ntitle: A post\ndate: 2024-03-05\n{front}---\n\n{body}"


def shown(body: str) -> str:
    html = render_body(body)
    assert "Liquid syntax error" not in html, html
    return visible_text(html)


def test_liquid_in_prose_is_escaped_and_shows_as_written() -> None:
    body = body_of(post("Hugo writes {{ .Title }} and Jinja {% for x in y %}.\n"), "devto",
                   site=hugo())
    assert body == ("Hugo writes {% raw %}{{ .Title }}{% endraw %} and Jinja "
                    "{% raw %}{% for x in y %}{% endraw %}.\n")
    assert "Hugo writes {{ .Title }} and Jinja {% for x in y %}." in shown(body)


def test_unescaped_the_fake_shows_the_silent_failures() -> None:
    """What the escaping prevents: 201, then a page that says only "Liquid syntax error"."""
    assert render_body("Jinja {% for x in y %}.\n") == "Liquid syntax error: Unknown tag 'for'"
    assert visible_text(render_body("Hugo writes {{ .Title }}.\n")).strip() == "Hugo writes ."


def test_code_is_left_exactly_as_it_is() -> None:
    source = ("Inline `{{ x }}` and `{% raw %}`.\n\n```go\n{{ range .Pages }}{% end %}\n```\n\n"
              "```\n{% endraw %}\n```\n")
    body = body_of(post(source), "devto", site=hugo())
    assert body == source
    text = shown(body)
    for piece in ("{{ x }}", "{% raw %}", "{{ range .Pages }}{% end %}", "{% endraw %}"):
        assert piece in text


def test_an_indented_code_block_with_liquid_becomes_fenced() -> None:
    """dev.to shields fences and code spans, not indented blocks (escape_liquid_tags_in_codeblock)."""
    body = body_of(post("Code:\n\n    {{ x }}\n    y\n\nAnd plain:\n\n    z = 1\n"), "devto",
                   site=hugo())
    assert body == "Code:\n\n```\n{{ x }}\ny\n```\n\nAnd plain:\n\n    z = 1\n"
    assert "{{ x }}" in shown(body)


def test_a_literal_endraw_in_prose_survives() -> None:
    body = body_of(post("Close it with {% endraw %} and {{ y }}.\n"), "devto", site=hugo())
    assert body == ("Close it with {% raw %}{%{% endraw %} endraw %} and "
                    "{% raw %}{{ y }}{% endraw %}.\n")
    assert "Close it with {% endraw %} and {{ y }}." in shown(body)


@pytest.mark.parametrize("segment", ["{{ a }}", "{% if %}", "{{", "{%", "{% endraw %}",
                                     "x {%- endraw -%} {{ b }} {% endraw %} c"])
def test_raw_always_renders_back_to_the_text(segment: str) -> None:
    assert liquid(raw(segment)) == segment


def test_link_destinations_are_left_alone_link_text_is_escaped() -> None:
    body = body_of(post("[see {{ x }}](https://example.com/a?q={{y}}) and <https://e.com/{{z}}>\n"),
                   "devto", site=hugo())
    assert body == ("[see {% raw %}{{ x }}{% endraw %}](https://example.com/a?q={{y}}) and "
                    "<https://e.com/{{z}}>\n")


def test_math_becomes_katex_tags_with_the_tex_intact() -> None:
    source = ("Inline $\\{a_1, a_2\\}^*$ here.\n\n$$\n\\frac{a}{b} \\\\ x_{i}^{2} + y_{i}^{2}\n$$\n")
    body = body_of(post(source), "devto", site=hugo())
    assert body == ("Inline {% katex inline %}`\\{a_1, a_2\\}^*`{% endkatex %} here.\n\n"
                    "{% katex %}\n`\\frac{a}{b} \\\\ x_{i}^{2} + y_{i}^{2}`\n{% endkatex %}\n")
    html = render_body(body)
    assert '<span class="katex" data-mode="inline">\\{a_1, a_2\\}^*</span>' in html
    assert ('<span class="katex" data-mode="display">\\frac{a}{b} \\\\ x_{i}^{2} + y_{i}^{2}'
            "</span>") in html


def test_tex_without_a_code_span_would_lose_its_backslashes() -> None:
    """Why the code span: the tag's content is Markdown first, and Markdown eats escapes."""
    html = render_body("{% katex inline %}\\{a\\}{% endkatex %}\n")
    assert '<span class="katex" data-mode="inline">{a}</span>' in html


def test_tex_with_backticks_gets_a_longer_code_span() -> None:
    assert katex("a`b", inline=True) == "{% katex inline %}``a`b``{% endkatex %}"
    assert katex("`a", inline=True) == "{% katex inline %}`` `a ``{% endkatex %}"


def test_kramdown_inline_double_dollars_are_inline_math() -> None:
    body = body_of(post("Energy $$E = mc^2$$ inline.\n"), "devto")
    assert body == "Energy {% katex inline %}`E = mc^2`{% endkatex %} inline.\n"


def test_math_in_a_table_cell_keeps_its_pipes_escaped() -> None:
    """The table took ``\\|`` for ``|``; a bare pipe in the tag would end the cell."""
    body = body_of(post("| formula | meaning |\n|---|---|\n| $$\\|x\\|$$ | the norm |\n"), "devto")
    assert "| {% katex inline %}`\\|x\\|`{% endkatex %} | the norm |" in body
    html = render_body(body)
    assert '<td><span class="katex" data-mode="inline">|x|</span></td>' in html


def test_backslash_parenthesis_math_becomes_katex_tags() -> None:
    """kramdown and goldmark authors write ``\\\\(x\\\\)`` for MathJax's ``\\(x\\)``; the escapes
    they had to write are not part of the TeX. Code stays as it is."""
    source = ("Let \\\\(a_i^2 + \\\\{b\\\\}\\\\) be, and `\\\\(c\\\\)` is code.\n\n\\\\[\n"
              "x \\\\\\\\ y\n\\\\]\n\n```\n\\\\(d\\\\)\n```\n")
    for site in (make_site("jekyll"), hugo()):
        rendered = render_text(post(source), "devto", site=site, attribution=False)
        assert rendered.body == ("Let {% katex inline %}`a_i^2 + \\{b\\}`{% endkatex %} be, and "
                                 "`\\\\(c\\\\)` is code.\n\n{% katex %}\n`x \\\\ y`\n{% endkatex %}"
                                 "\n\n```\n\\\\(d\\\\)\n```\n")
        assert rendered.warnings == ()
        text = shown(rendered.body)
        assert "\\(" not in text.replace("\\\\(c\\\\)", "").replace("\\\\(d\\\\)", "")


def test_carets_are_escaped_footnotes_kept() -> None:
    body = body_of(post("Two^10 is big[^1].\n\n[^1]: A note ^ here.\n"), "devto", site=hugo())
    assert body == "Two\\^10 is big[^1].\n\n[^1]: A note \\^ here.\n"


def test_a_body_never_starts_with_front_matter() -> None:
    """dev.to would read `---` … `---` at the top as front matter overriding the fields."""
    source = "---\n\ntitle: Not a title\n\n---\n\nText.\n"
    body = body_of(post(source), "devto", site=hugo())
    assert body.startswith("***\n")
    assert body_of(post(source), "lesswrong", site=hugo()).startswith("---")


def test_collapsible_sections_become_a_bold_line() -> None:
    body = body_of(post("<details><summary>More, *literally*</summary>\n\nHidden.\n\n"
                        "</details>\n"), "devto", site=hugo())
    assert body == "**More, \\*literally\\***\n\nHidden.\n"


def test_direction_marks_are_removed_with_a_note() -> None:
    rendered = render_text(post("Left\u202eright.\n"), "devto", site=hugo(), attribution=False)
    assert rendered.body == "Leftright.\n"
    assert any("U+202A" in n.message and n.severity == "info" for n in rendered.notices)


def test_figures_links_and_the_attribution_are_the_forums() -> None:
    site = make_site("jekyll", title="Ann's {{ notes }}")
    site.files.add("assets/img/a.png")
    source = ('{% include figure.html path="assets/img/a.png" caption="A $x$ plot" %}\n\n'
              "See [the other post](/other/).\n")
    devto = render_text(post(source), "devto", site=site).body
    forum = render_text(post(source), "lesswrong", site=site).body
    assert devto.split("\n")[2] == forum.split("\n")[2] == \
        "![](https://blog.example.org/assets/img/a.png)"
    assert "*A {% katex inline %}`x`{% endkatex %} plot*" in devto
    assert devto.startswith("*Originally published at [Ann's {% raw %}{{ notes }}{% endraw %}]")
    assert "See [the other post](https://blog.example.org/other/)." in devto


# -- what goes beside the body --------------------------------------------------------------------

def test_description_series_and_a_local_cover_from_the_front_matter() -> None:
    site = hugo()
    site.files.add("images/cover.png")
    rendered = render_text(post("Text.\n", front="summary: Why bread rises.\nseries: [Baking]\n"
                                "images: [/images/cover.png]\n"), "devto", site=site)
    assert rendered.extra["description"] == "Why bread rises."
    assert rendered.extra["series"] == "Baking"
    assert rendered.extra["cover_image"] == "https://blog.example.org/images/cover.png"
    assert rendered.warnings == ()


def test_options_win_over_the_front_matter() -> None:
    rendered = render_text(post("Text.\n", front="description: Site text.\nimage: https://cdn.example/x.png\n"),
                           "devto", site=hugo(), description="For dev.to", series="Notes",
                           cover_image="https://cdn.example/y.png")
    assert (rendered.extra["description"], rendered.extra["series"],
            rendered.extra["cover_image"]) == ("For dev.to", "Notes", "https://cdn.example/y.png")


@pytest.mark.parametrize(("front", "words"), [
    ("image: /images/missing.png\n", "is not a file of the site"),
    ("cover_image: data:image/png;base64,AAAA\n", "not one: no cover image is sent"),
])
def test_a_cover_dev_to_cannot_fetch_is_left_out_with_the_reason(front: str, words: str) -> None:
    text = post("Text.\n", front=front)
    rendered = render_text(text, "devto", site=hugo())
    assert "cover_image" not in rendered.extra
    [warning] = rendered.warnings
    assert words in warning.message
    assert warning.line == 4  # the key's own line in the front matter


def test_a_cover_given_as_a_theme_mapping() -> None:
    site = hugo()
    site.files.add("img/header.jpg")
    rendered = render_text(post("Text.\n", front="header:\n  overlay_image: /img/header.jpg\n"),
                           "devto", site=site)
    assert rendered.extra["cover_image"] == "https://blog.example.org/img/header.jpg"


def test_a_cover_s_address_is_escaped_as_the_site_serves_it() -> None:
    """dev.to validates main_image as a URL: a space in it would refuse the whole article."""
    site = hugo()
    site.files.add("images/My Cover Ü.png")
    rendered = render_text(post("Text.\n", front="image: /images/My Cover Ü.png\n"), "devto",
                           site=site)
    assert rendered.extra["cover_image"] == "https://blog.example.org/images/My%20Cover%20%C3%9C.png"
    rendered = render_text(post("Text.\n", front="image: https://cdn.example/a b%20c.png?w=1&h=2\n"),
                           "devto", site=site)
    assert rendered.extra["cover_image"] == "https://cdn.example/a%20b%20c.png?w=1&h=2"


def test_an_image_alt_text_is_left_as_written() -> None:
    site = hugo()
    body = body_of(post("![x^2 {{ y }}](https://e.org/a.png)\n"), "devto", site=site)
    assert body == "![x^2 {% raw %}{{ y }}{% endraw %}](https://e.org/a.png)\n"


def test_liquid_next_to_a_url_or_a_caret_keeps_its_raw_tags_whole() -> None:
    """Redcarpet's superscript and autolinks run up to the next space: into `{% endraw %}`."""
    body = body_of(post("See {{a^b}} and {{www.x.org}} now.\n"), "devto", site=hugo())
    assert body == ("See {% raw %}{{a\\^b}}{% endraw %} and {% raw %}{{www\\.x.org}}{% endraw %} "
                    "now.\n")
    assert "See {{a^b}} and {{www.x.org}} now." in shown(body)


def test_blank_lines_in_display_math_are_closed_up() -> None:
    body = body_of(post("$$\na = 1\n\nb = 2\n$$\n"), "devto", site=hugo())
    assert body == "{% katex %}\n`a = 1\nb = 2`\n{% endkatex %}\n"
