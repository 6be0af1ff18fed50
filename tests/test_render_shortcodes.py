"""Hugo shortcodes, per target, and their immunity inside code."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from crosspost.config import TargetOptions
from crosspost.post import Post
from crosspost.render import Rendered, render_post
from crosspost.sites import Site
from tests.generators import write_tree
from tests.render_site import MemorySite, make_site, render_text

FM = '+++\ntitle = "T"\n+++\n'  # the body starts on line 4
URL = "https://hugo.example.org/post/"


def _site() -> MemorySite:
    site = make_site("hugo", url="https://hugo.example.org", title="Hugo",
                     params={"author": "Ann", "nested": {"x": 1}})
    site.add("content/posts/other.md", '+++\ntitle = "Other"\n+++\nx\n')
    site.add("content/posts/copied.md",
             '+++\ntitle = "Copied"\n[crosspost.eaforum]\n'
             'url = "https://forum.effectivealtruism.org/posts/BBBBBBBBBBBBBBBBB/copied"\n+++\nx\n')
    return site


def _render(body: str, target: str = "lesswrong") -> Rendered:
    return render_text(FM + body, target, site=_site(), name="content/posts/post.md",
                       attribution=False)


def test_figure_shortcode() -> None:
    body = '{{< figure src="images/pic.jpg" alt="A pic" caption="A **nice** pic" link="/big.jpg" >}}\n'
    assert _render(body).body == (
        "[![A pic](https://hugo.example.org/post/images/pic.jpg)](https://hugo.example.org/big.jpg)"
        "\n\n*A **nice** pic*\n")
    assert ('<figure><a href="https://hugo.example.org/big.jpg"><img src="https://hugo.example.org'
            '/post/images/pic.jpg" alt="A pic"></a><figcaption>A <strong>nice</strong> pic'
            "</figcaption></figure>") in _render(body, "medium").body


def test_figure_title_without_caption_is_the_caption() -> None:
    assert _render('{{< figure src="/a.png" title="Title" >}}\n').body == (
        "![](https://hugo.example.org/a.png)\n\n*Title*\n")


def test_ref_and_relref_and_sibling_copies() -> None:
    body = ('[a]({{< ref "other.md#sec" >}}) [b]({{< relref "/posts/other" >}}) '
            '[c]({{< ref "copied.md" >}})\n')
    assert _render(body).body == ("[a](https://hugo.example.org/other/#sec) "
                                  "[b](https://hugo.example.org/other/) "
                                  "[c](https://hugo.example.org/copied/)\n")
    assert "[c](https://forum.effectivealtruism.org/posts/BBBBBBBBBBBBBBBBB/copied)" in _render(
        body, "eaforum").body


def test_missing_ref_warns_with_its_line() -> None:
    rendered = _render('One.\n\n[a]({{< ref "nowhere.md" >}})\n')
    assert rendered.body == "One.\n\n[a](https://hugo.example.org/)\n"
    assert [(n.line, n.severity) for n in rendered.notices] == [(6, "warning")]


def test_highlight_youtube_gist_vimeo() -> None:
    body = ('{{< highlight go "linenos=table" >}}\nfunc main() {}\n{{< /highlight >}}\n\n'
            "{{< youtube w7Ft2ymGmfc >}}\n\n{{< youtube id=\"w7Ft2ymGmfc\" start=\"10\" >}}\n\n"
            "{{< gist spf13 7896402 \"img.html\" >}}\n\n{{< vimeo 146022717 >}}\n")
    assert _render(body).body == (
        "```go\nfunc main() {}\n```\n\nhttps://www.youtube.com/watch?v=w7Ft2ymGmfc\n\n"
        "https://www.youtube.com/watch?v=w7Ft2ymGmfc\n\n"
        "https://gist.github.com/spf13/7896402?file=img.html\n\nhttps://vimeo.com/146022717\n")


def test_param_details_and_escaped_shortcodes() -> None:
    body = ('By {{< param author >}}.\n\n{{< details summary="See the proof" >}}\nIt holds.\n'
            "{{< /details >}}\n\nWrite {{</* figure src=\"x\" */>}} to add one.\n")
    assert _render(body).body == ("By Ann.\n\n+++ See the proof\n\nIt holds.\n\n+++\n\n"
                                  'Write `{{< figure src="x" >}}` to add one.\n')
    medium = _render(body, "medium").body
    assert "<p><strong>See the proof</strong></p>\n<p>It holds.</p>" in medium


def test_unknown_shortcodes_warn_and_leave_no_braces() -> None:
    body = ("{{% notice info %}}\nSome *note*.\n{{% /notice %}}\n\n{{< chart data=\"x\" >}}\n\n"
            "{{< param nested >}}\n")
    rendered = _render(body)
    assert rendered.body == ("**Info**\n\nSome *note*.\n\n*(chart (not shown here): see "
                             f"[the original post]({URL}).)*\n\nnested\n")
    assert [(n.line, n.severity) for n in rendered.notices] == [
        (4, "warning"), (8, "warning"), (10, "warning")]


def test_single_tilde_is_strikethrough_in_hugo() -> None:
    assert _render("H~2~O and ~gone~.\n").body == "H~~2~~O and ~~gone~~.\n"
    assert "<s>gone</s>" in _render("H~2~O and ~gone~.\n", "medium").body


@pytest.mark.parametrize("target", ["lesswrong", "medium"])
@pytest.mark.parametrize("construct", [
    '{{< figure src="a.png" >}}', "{{< youtube w7Ft2ymGmfc >}}", '{{< ref "other.md" >}}',
    "{{% notice %}}x{{% /notice %}}", "{{< unknown >}}",
])
def test_shortcodes_inside_code_stay_byte_identical(construct: str, target: str) -> None:
    for body in (f"```\n{construct}\n```\n", f"    {construct}\n", f"A `{construct}` b.\n"):
        rendered = _render(body, target)
        assert rendered.notices == ()
        if target == "medium":
            assert html.escape(construct) in rendered.body
        else:
            assert rendered.body == body


def test_passthrough_math_when_the_site_enables_it() -> None:
    site = make_site("hugo", url="https://hugo.example.org", markup={"goldmark": {"extensions": {
        "passthrough": {"enable": True, "delimiters": {
            "inline": [["\\(", "\\)"], ["$", "$"]], "block": [["\\[", "\\]"], ["$$", "$$"]]}}}}})
    text = FM + "Let \\( x_1 \\) be small.\n\n\\[\na^2\n\\]\n\n`\\(code\\)`\n"
    rendered = render_text(text, site=site, name="content/posts/post.md", attribution=False)
    assert rendered.body == "Let $x_1$ be small.\n\n$$a^2$$\n\n`\\(code\\)`\n"
    plain = render_text(text, site=make_site("hugo"), name="content/posts/p.md", attribution=False)
    assert "Let \\( x_1 \\) be small." in plain.body


# -- escaped shortcodes in code, parameters of unknown ones (issue 20) --------------------------------


@pytest.mark.parametrize("target", ["lesswrong", "medium"])
def test_escaped_shortcodes_inside_code_are_what_hugo_prints(target: str) -> None:
    body = ('Use `{{</* figure src="a.png" */>}}` here.\n\n```\n{{</*  x a="1"  */>}}\n'
            "{{%/* notice */%}}{{</*z*/>}}\n```\n")
    rendered = _render(body, target)
    shown = ['{{< figure src="a.png" >}}', '{{<  x a="1"  >}}', "{{% notice %}}{{<z>}}"]
    if target == "medium":
        assert all(html.escape(s) in rendered.body for s in shown)
    else:
        assert rendered.body == (f"Use `{shown[0]}` here.\n\n```\n{shown[1]}\n{shown[2]}\n```\n")
    assert rendered.notices == ()


def test_escaped_shortcodes_in_code_of_a_plain_folder_are_only_code() -> None:
    body = "```\n{{</* x */>}}\n```\n"
    assert render_text(FM + body, site=make_site("plain"), name="notes/p.md",
                       attribution=False).body == body


def test_unknown_shortcode_parameters_without_a_template() -> None:
    body = ('{{< quote author="Ada Lovelace" source="https://example.org/notes" class="big" >}}\n'
            "The engine weaves.\n{{< /quote >}}\n\n"
            '{{< notice warning >}}\nMind the gap.\n{{< /notice >}}\n\n'
            '{{< box title="Heads up" mood="calm" >}}\nA coat.\n{{< /box >}}\n')
    rendered = _render(body)
    assert rendered.body == (
        "The engine weaves.\n\n— [Ada Lovelace](<https://example.org/notes>)\n\n"
        "**Warning**\n\nMind the gap.\n\n**Heads up**\n\nMood: calm\n\nA coat.\n")
    assert [n.message for n in rendered.warnings] == [
        "shortcode 'quote' is not understood: its content is kept, its author/source as an "
        "attribution line (its template cannot be read: the site's folder /site cannot be read)",
        "shortcode 'notice' is not understood: its content is kept, its first parameter as a "
        "bold title (its template cannot be read: the site's folder /site cannot be read)",
        "shortcode 'box' is not understood: its content is kept, its title as a bold title, "
        "its mood as a line (its template cannot be read: the site's folder /site cannot be read)",
    ]
    medium = _render(body, "medium").body
    assert "<p><strong>Warning</strong></p>\n<p>Mind the gap.</p>" in medium
    assert '<p>— <a href="https://example.org/notes">Ada Lovelace</a></p>' in medium


def test_a_template_decides_which_parameters_show(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "hugo.toml": 'baseURL = "https://sam-baker.dev/"\ntheme = "t"\n',
        "themes/t/layouts/shortcodes/quote.html":
            '<blockquote>{{ .Inner }}<cite>{{ .Get "author" }}</cite></blockquote>',
        "layouts/shortcodes/panel.html": '<div class="{{ .Get "kind" }}">{{ .Inner }}</div>',
    })
    site = Site.at(tmp_path, "hugo", tmp_path / "hugo.toml")
    post = tmp_path / "content/posts/p.md"
    write_tree(tmp_path, {"content/posts/p.md": FM + (
        '- A list:\n\n  {{< quote author="Ada" date="1843" >}}\n  The engine weaves.\n\n'
        "  It does.\n  {{< /quote >}}\n\n"
        '{{< panel "Ignored" title="Not shown" >}}\nInside.\n{{< /panel >}}\n')})
    rendered = render_post(Post.from_path(post), site, "lesswrong",
                           TargetOptions.from_layers({"attribution": False}, where="test"))
    # The template shows the author (not the date), in a quote; the panel shows neither its
    # first parameter nor its title, and `kind` is only a class.
    assert rendered.body == ("- A list:\n\n  > The engine weaves.\n  >\n  > It does.\n  >\n"
                             "  > — Ada\n\nInside.\n")
    assert [n.message for n in rendered.warnings] == [
        "shortcode 'quote' is not understood: its content is kept, its author as an attribution "
        "line, as a quote",
        "shortcode 'panel' is not understood: its content is kept, the shortcode left out",
    ]


def test_a_quote_with_a_shortcode_inside_is_not_rewritten_line_by_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "hugo.toml": 'baseURL = "https://sam-baker.dev/"\n',
        "layouts/shortcodes/quote.html":
            '<blockquote>{{ .Inner }}<cite>{{ .Get "author" }}</cite></blockquote>',
        "content/posts/p.md": FM + ('{{< quote author="Ada" >}}\nSee {{< param author >}}.\n'
                                    "{{< /quote >}}\n"),
    })
    site = Site.at(tmp_path, "hugo", tmp_path / "hugo.toml")
    rendered = render_post(Post.from_path(tmp_path / "content/posts/p.md"), site, "lesswrong",
                           TargetOptions.from_layers({"attribution": False}, where="test"))
    assert rendered.body == "See author.\n\n— Ada\n"


def test_other_parameters_become_a_line_and_a_date_joins_the_attribution() -> None:
    body = ('{{< recipe servings="1 jar" cook_time="5 min" class="card" >}}\nFeed it.\n'
            '{{< /recipe >}}\n\n{{< quote author="Ada" date="1843" >}}\nWeaves.\n{{< /quote >}}\n')
    assert _render(body).body == ("Servings: 1 jar · Cook time: 5 min\n\nFeed it.\n\n"
                                  "Weaves.\n\n— Ada, 1843\n")
