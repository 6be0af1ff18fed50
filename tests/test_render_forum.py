"""The forums' Markdown: a whole post line by line, and each dialect fix on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.render.markdown import FORUM_MD
from tests.generators import write_tree
from tests.render_site import MemorySite, body_of, make_site, render_text

# Shaped like a real al-folio post cross-posted by hand (and linked): a trailing space in the
# front matter, the "Cross-posted on" line of the recorded copy, a figure include, links with
# a query string and a text fragment, a non-breaking space and a `~` that is not a subscript.
EXAMPLE = (
    "---\n"
    "layout: post\n"
    "title: Notes on interpretability after six months\n"
    "date: 2024-03-05\n"
    "description: What I learnt, and what I will do next. \n"
    "tags: ML\n"
    "crosspost:\n"
    "  lesswrong:\n"
    "    url: https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/notes-on-interpretability\n"
    "---\n"
    "\n"
    "Cross-posted on [LessWrong](https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/notes-on-interpretability).\n"
    "\n"
    "Over the last 5~6 months I read a lot. \n"
    "\n"
    "> A model is\u00a0aligned when it tries to do what we want.\n"
    "\n"
    "See [this talk](https://www.youtube.com/watch?v=abcdefghijk&t=147s&ab_channel=Someone) and "
    "[a survey](https://www.lesswrong.com/posts/ZyXwVuTsRqPoNmLkJ/a-survey).\n"
    "\n"
    "{% include figure.html path=\"assets/img/landscape.png\" class=\"img-fluid rounded\" "
    "zoomable=true caption=\"The landscape of alignment\" %}\n"
    "\n"
    "More on [latent knowledge](https://www.lesswrong.com/tag/elk#:~:text=Latent%20Knowledge%20is,to%20us.) "
    "and [tools](../tools/).\n"
)
CANONICAL = "https://blog.example.org/notes-on-interpretability/"


def _example_site() -> MemorySite:
    site = make_site(title="Ann's notes")
    site.files.add("assets/img/landscape.png")
    return site


def test_example_post_for_lesswrong_line_by_line() -> None:
    rendered = render_text(EXAMPLE, "lesswrong", site=_example_site(),
                           name="_posts/2024-03-05-notes-on-interpretability.md")
    assert rendered.body.split("\n") == [
        f"*Originally published at [Ann's notes]({CANONICAL}).*",
        "",
        "Over the last 5~6 months I read a lot. ",
        "",
        "> A model is\u00a0aligned when it tries to do what we want.",
        "",
        "See [this talk](https://www.youtube.com/watch?v=abcdefghijk&t=147s&ab_channel=Someone) and "
        "[a survey](https://www.lesswrong.com/posts/ZyXwVuTsRqPoNmLkJ/a-survey).",
        "",
        "![](https://blog.example.org/assets/img/landscape.png)",
        "",
        "*The landscape of alignment*",
        "",
        "More on [latent knowledge]"
        "(https://www.lesswrong.com/tag/elk#:~:text=Latent%20Knowledge%20is,to%20us.) "
        "and [tools](https://blog.example.org/tools/).",
        "",
    ]
    assert rendered.self_ids == ("AbCdEfGhIjKlMnOpQ",)
    assert rendered.title == "Notes on interpretability after six months"
    assert rendered.canonical_url == CANONICAL
    assert rendered.format == "markdown"
    assert rendered.notices == ()
    assert [a.url for a in rendered.assets] == ["https://blog.example.org/assets/img/landscape.png"]


@pytest.mark.parametrize("target", ["eaforum", "medium"])
def test_the_lesswrong_notice_stays_on_other_targets(target: str) -> None:
    rendered = render_text(EXAMPLE, target, site=_example_site(),
                           name="_posts/2024-03-05-notes-on-interpretability.md")
    link = "https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/notes-on-interpretability"
    if target == "medium":
        assert f'<p>Cross-posted on <a href="{link}">LessWrong</a>.</p>' in rendered.body
    else:
        assert f"Cross-posted on [LessWrong]({link}).\n" in rendered.body
    assert rendered.self_ids == ()


def test_alignment_forum_treats_the_lesswrong_copy_as_itself() -> None:
    rendered = render_text(EXAMPLE, "alignmentforum", site=_example_site(),
                           name="_posts/2024-03-05-notes-on-interpretability.md")
    assert "Cross-posted" not in rendered.body
    assert rendered.self_ids == ("AbCdEfGhIjKlMnOpQ",)


def test_a_recorded_copy_is_unlinked_inside_a_longer_paragraph() -> None:
    text = ("---\ntitle: T\ncrosspost:\n  lesswrong:\n    id: AbCdEfGhIjKlMnOpQ\n---\n"
            "I discussed this with many readers [in the comments]"
            "(https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/t#comments), who pointed out a "
            "flaw in the second argument and suggested [a fix](https://example.org/fix).\n")
    body = body_of(text)
    assert body == ("I discussed this with many readers in the comments, who pointed out a flaw in "
                    "the second argument and suggested [a fix](https://example.org/fix).\n")


def test_an_unrecorded_forum_link_outside_a_notice_is_just_a_link() -> None:
    text = "---\ntitle: T\n---\nRead [this](https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/x).\n"
    rendered = render_text(text, attribution=False)
    assert "[this](https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/x)" in rendered.body
    assert rendered.self_ids == ()


def test_inline_double_dollar_math_becomes_inline() -> None:
    text = "---\ntitle: T\n---\nWe have $$ x^2 $$ here, $$y$$.\n\n$$\nz = 1\n$$\n\n$$w$$\n"
    assert body_of(text) == "We have $x^2$ here, $y$.\n\n$$\nz = 1\n$$\n\n$$w$$\n"


def test_tilde_and_caret_pairs_are_escaped() -> None:
    text = "---\ntitle: T\n---\na~b~c and 2^10^ but 3~4 months and x^2 + y^2, `a~b~c`.\n"
    assert body_of(text) == "a\\~b\\~c and 2\\^10\\^ but 3~4 months and x^2 + y^2, `a~b~c`.\n"
    tokens = FORUM_MD.parseInline(body_of(text))[0].children or []
    assert not any(t.type in {"sub_open", "sup_open"} for t in tokens)


def test_title_heading_is_removed_when_it_is_the_title() -> None:
    text = "# The title\n\nFirst paragraph.\n\n# A section\n"
    rendered = render_text(text, attribution=False, name="notes/plain.md")
    assert rendered.title == "The title"
    assert rendered.body == "First paragraph.\n\n# A section\n"


def test_heading_stays_when_front_matter_has_the_title() -> None:
    text = "---\ntitle: Front\n---\n# The title\n\nText.\n"
    assert body_of(text) == "# The title\n\nText.\n"


def test_attribution_template_and_switch() -> None:
    text = "---\ntitle: A post\n---\nBody.\n"
    rendered = render_text(text, attribution="From {site}: [{title}]({url})",
                           site=make_site(title="Blog"))
    assert rendered.body == "From Blog: [A post](https://blog.example.org/post/)\n\nBody.\n"
    assert body_of(text) == "Body.\n"


def test_attribution_uses_the_host_without_a_site_title() -> None:
    rendered = render_text("---\ntitle: A\n---\nBody.\n", site=make_site(url="https://x.example"))
    assert rendered.body.startswith("*Originally published at [x.example](https://x.example/post/).*")


def test_unknown_attribution_field_is_a_config_error() -> None:
    from crosspost.errors import ConfigError

    with pytest.raises(ConfigError, match=r"\{author\}"):
        render_text("---\ntitle: A\n---\nBody.\n", attribution="by {author}")


def test_options_title_wins() -> None:
    rendered = render_text("---\ntitle: A\n---\nBody.\n", title="Another")
    assert rendered.title == "Another"


def test_footnotes_and_tables_are_kept() -> None:
    text = ("---\ntitle: T\n---\nClaim.[^1]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "[^1]: Source.\n")
    assert body_of(text) == "Claim.[^1]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: Source.\n"


def test_crlf_bodies_are_read() -> None:
    text = "---\r\ntitle: T\r\n---\r\nOne [a](b).\r\n\r\nTwo.\r\n"
    assert body_of(text) == "One [a](https://blog.example.org/post/b).\n\nTwo.\n"


# -- figure captions ------------------------------------------------------------------------------


@pytest.mark.parametrize("caption", [
    "A **bold** claim, [the data](/data/) and $$x^2$$",
    "**Figure 1.** Calibration by bucket",
    "Scores for snake_case_names and a * b",
    "An *emphasised* end *word*",
    "_Underscored_ start and [a link](https://x.org/a_b_c)",
    "A <em>cat</em> and <b>dog</b>",
])
def test_a_caption_is_one_italic_line_that_means_the_same(caption: str) -> None:
    site = make_site(title="Blog")
    site.files.add("a.png")
    source = (FM_CAPTION + f'{{% include figure.html path="a.png" caption="{caption}" %}}\n')
    body = render_text(source, site=site, attribution=False).body
    image, line = body.rstrip("\n").split("\n\n")
    assert image == "![](https://blog.example.org/a.png)"
    # The line is an emphasis around exactly what the caption says, rendered on its own.
    rendered = FORUM_MD.renderInline(line)
    assert rendered.startswith("<em>")
    assert rendered.endswith("</em>")
    alone = " ".join(caption.replace("/data/", "https://blog.example.org/data/")
                     .replace("$$x^2$$", "$x^2$").split())
    if "<" in alone:
        alone = alone.replace("<em>", "*").replace("</em>", "*").replace("<b>", "**").replace(
            "</b>", "**")
    assert rendered == f"<em>{FORUM_MD.renderInline(alone)}</em>"


FM_CAPTION = "---\ntitle: T\n---\n"


def test_a_caption_that_no_wrapping_can_italicise_stays_upright() -> None:
    from crosspost.render.markdown import italic

    assert italic("plain words") == "*plain words*"
    assert italic("ends in *emphasis*") == "_ends in *emphasis*_"
    # Both wrappings would pair with the caption's own stray markers.
    for tricky in ("5* ratings vs _drafts", "*args and kwargs_"):
        assert FORUM_MD.renderInline(f"*{tricky}*") != f"<em>{FORUM_MD.renderInline(tricky)}</em>"
        assert italic(tricky) == tricky


def test_a_line_break_in_a_caption_is_a_space_on_the_forums() -> None:
    site = make_site(title="Blog")
    site.files.add("a.png")
    source = FM_CAPTION + '{% include figure.html path="a.png" caption="One<br>two" %}\n'
    assert render_text(source, site=site, attribution=False).body == (
        "![](https://blog.example.org/a.png)\n\n*One two*\n")


# -- math in table cells, dollar signs (issue 20) -------------------------------------------------


def test_math_with_escaped_pipes_in_a_table_cell_keeps_the_cell() -> None:
    text = ("---\ntitle: T\n---\n| formula | meaning |\n|---|---|\n| $$\\|x\\| + a\\|b$$ | norm |\n\n"
            "Outside a table $$\\|y\\|$$ is a norm.\n")
    body = body_of(text)
    assert body == ("| formula | meaning |\n|---|---|\n| $\\|x\\| + a\\|b$ | norm |\n\n"
                    "Outside a table $\\|y\\|$ is a norm.\n")
    row = FORUM_MD.parse(body)
    cells = [t.children for t in row if t.type == "inline"][2:4]
    assert [[(c.type, c.content) for c in cell or []] for cell in cells] == [
        [("math_inline", "|x| + a|b")], [("text", "norm")]]


def _dollar_site(tmp_path: Path, files: dict[str, str]) -> MemorySite:
    write_tree(tmp_path, files)
    return MemorySite(root=tmp_path, url="https://blog.example.org", config={})


CURRENCY = ("---\ntitle: T\n---\nThe ratio $X/$Y, a [$5 deal](https://x.org/?a=$b), `$code$`, "
            "\\$9 and $$\\sqrt{2}$$.\n\n## Costs $a$ or $b$\n\n$$\nz\n$$\n")


def test_dollars_are_escaped_where_single_dollar_is_not_math_on_the_site(tmp_path: Path) -> None:
    rendered = render_text(CURRENCY, site=_dollar_site(tmp_path, {}), attribution=False)
    assert rendered.body == ("The ratio \\$X/\\$Y, a [\\$5 deal](https://x.org/?a=\\$b), `$code$`, "
                             "\\$9 and $\\sqrt{2}$.\n\n## Costs \\$a\\$ or \\$b\\$\n\n$$\nz\n$$\n")
    tokens = [t for t in FORUM_MD.parse(rendered.body) if t.type == "inline"]
    kinds = [c.type for t in tokens for c in t.children or []]
    assert kinds.count("math_inline") == 1  # only the site's own $$…$$
    link = next(c for t in tokens for c in t.children or [] if c.type == "link_open")
    assert link.attrGet("href") == "https://x.org/?a=$b"
    assert [(n.line, n.severity) for n in rendered.notices] == [(4, "info")]
    medium = render_text(CURRENCY, "medium", site=_dollar_site(tmp_path, {}), attribution=False)
    assert "The ratio $X/$Y" in medium.body
    assert [n.line for n in medium.warnings] == [4, 8]  # $$…$$ and the display block only


def test_dollars_stay_math_where_the_site_says_so(tmp_path: Path) -> None:
    site = _dollar_site(tmp_path, {"_includes/head.html":
                                   "<script>MathJax = {tex: {inlineMath: [['$', '$']]}};</script>"})
    rendered = render_text(CURRENCY, site=site, attribution=False)
    assert "The ratio $X/$Y" in rendered.body
    assert "## Costs $a$ or $b$" in rendered.body
    assert rendered.notices == ()


def test_unknown_dollar_math_warns_once_and_sends_math(tmp_path: Path) -> None:
    write_tree(tmp_path, {"_config.yml": "theme: minima\n"})
    site = MemorySite(root=tmp_path, url="https://blog.example.org",
                      config={"theme": "minima"})
    rendered = render_text(CURRENCY, site=site, attribution=False)
    assert "The ratio $X/$Y" in rendered.body
    assert [(n.line, n.message) for n in rendered.notices] == [
        (4, "cannot tell whether $…$ is math on the site (the theme 'minima' is not in the site's "
            "folder): LessWrong shows it as math; write \\$ for a dollar sign")]
    # A post without a single-dollar pair asks nothing of the site.
    plain = render_text("---\ntitle: T\n---\nIt costs $5.\n", site=site, attribution=False)
    assert plain.notices == ()


# -- math between doubled backslashes ------------------------------------------------------------


def test_backslash_parenthesis_math_goes_as_the_site_shows_it() -> None:
    """The forums read ``\\\\(…\\\\)`` as math themselves; the TeX is the page's, with the
    escapes the site's Markdown engine takes out (kramdown keeps ``\\,``, goldmark does not)."""
    source = ("---\ntitle: T\n---\nAs \\\\(a_i\\\\) is, and \\\\(\\\\{x\\\\}\\,y\\\\) and "
              "`\\\\(\\\\{c\\\\}\\\\)`.\n\n"
              "| cell | \\\\(a\\|b \\\\\\\\ c\\\\) |\n|---|---|\n")
    jekyll = body_of(source, site=make_site("jekyll"))
    assert jekyll == ("As \\\\(a_i\\\\) is, and \\\\(\\{x\\}\\,y\\\\) and `\\\\(\\\\{c\\\\}\\\\)`.\n\n"
                      "| cell | \\\\(a\\|b \\\\ c\\\\) |\n|---|---|\n")
    hugo = body_of(source, site=make_site("hugo"), name="content/posts/p.md")
    assert "\\\\(\\{x\\},y\\\\)" in hugo
    row = [t for t in FORUM_MD.parse(jekyll) if t.type == "inline"][-1]
    assert [(c.type, c.content) for c in row.children or []] == [
        ("math_inline_paren", "a|b \\\\ c")]
    plain = "---\ntitle: T\n---\nUntouched \\\\(x^2\\\\) and \\\\[y\\\\].\n"
    assert body_of(plain) == "Untouched \\\\(x^2\\\\) and \\\\[y\\\\].\n"
