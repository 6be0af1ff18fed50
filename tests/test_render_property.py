"""Any mixture of the constructs the renderer knows renders without an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.render_site import make_site, render_text

PIECES = [
    '{% include figure.html path="a.png" caption="c" %}', "{% raw %}", "{% endraw %}",
    "{% comment %}", "{% endcomment %}", "{% highlight py %}", "{% endhighlight %}",
    "{{ site.url }}", "{{ x | y }}", "{: .c}", "{::nomarkdown}", "{:/nomarkdown}",
    '{{< figure src="a.png" >}}', "{{< details >}}", "{{< /details >}}", "{{% x %}}",
    "{{</* y */>}}", "<details>", "</details>", "<summary>S</summary>", "<div>", "</div>",
    '<a href="x">', "</a>", "<br>", '<img src="y">', "<![i", "<!--", "-->", "<script>",
    '<iframe src="https://www.youtube.com/embed/abcdefghijk"></iframe>', "</script>",
    "[l](u)", "![i](p.png)", "[r][ref]", "[ref]: z", "`", "```", "\n```\n", "    ", "$$", "$",
    "~", "^", "*", "_", "\n", "\n\n", "> ", "- ", "1. ", "| a | b |\n|---|---|\n| c \\| d |\n",
    "[^1]", "[^1]: n", "https://www.lesswrong.com/posts/AAAAAAAAAAAAAAAAA/x", "Cross-posted on ",
    "# H", "text ", "{%", "%}", "{{", "}}", "<", ">", "&", "\t", "\r\n", "+++", "\\(", "\\)",
    "{% if x %}", "{% else %}", "{% endif %}", "{% tabs t %}", "{% tab t a %}", "{% endtab %}",
    "{% cite k %}", "{% unknown %}", "<table><tr><td>x</td></tr></table>", "<sup>", "</sup>",
    "<figure>", "<figcaption>", "</figcaption>", "</figure>", "{:toc}", "* TOC\n", "\u00a0",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=25),
       st.sampled_from(["jekyll", "hugo", "plain"]),
       st.sampled_from(["lesswrong", "medium"]))
def test_any_mixture_renders(pieces: list[str], generator: str, target: str) -> None:
    text = "---\ntitle: T\n---\n" + "".join(pieces)
    rendered = render_text(text, target, site=make_site(generator))
    assert rendered.body.endswith("\n")
    lines = text.replace("\r\n", "\n").count("\n") + 1
    for notice in rendered.notices:
        assert notice.line is not None
        assert 4 <= notice.line <= lines
