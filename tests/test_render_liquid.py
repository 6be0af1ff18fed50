"""Jekyll's Liquid and kramdown constructs, per target, and their immunity inside code."""

from __future__ import annotations

import html

import pytest

from crosspost.render import Rendered
from tests.render_site import MemorySite, body_of, make_site, render_text

FM = "---\ntitle: T\n---\n"  # the body starts on line 4


def _site() -> MemorySite:
    site = make_site(url="https://me.example.org/blog", title="Blog")
    site.files.update({"assets/img/cat.png", "assets/img/dog.png", "assets/video/clip.mp4",
                       "assets/audio/talk.mp3"})
    return site


def _render(body: str, target: str = "lesswrong", site: MemorySite | None = None) -> Rendered:
    return render_text(FM + body, target, site=site or _site(), attribution=False)


def _warnings(rendered: Rendered) -> list[tuple[int | None, str]]:
    return [(n.line, n.message) for n in rendered.warnings]


# -- figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "assets/img/cat.png",
    "/assets/img/cat.png",
    "{{ site.baseurl }}/assets/img/cat.png",
    "{{ '/assets/img/cat.png' | relative_url }}",
])
def test_figure_paths_become_absolute_site_urls(path: str) -> None:
    body = f'{{% include figure.liquid path="{path}" alt="A cat" title="Cat" caption="A <em>cat</em>" %}}\n'
    rendered = _render(body)
    assert rendered.body == ('![A cat](https://me.example.org/blog/assets/img/cat.png "Cat")\n\n'
                             "_A *cat*_\n")
    assert [a.url for a in rendered.assets] == ["https://me.example.org/blog/assets/img/cat.png"]
    assert rendered.notices == ()


def test_figure_for_medium_is_a_figure_element() -> None:
    body = '{% include figure.html path="assets/img/cat.png" alt="A cat" caption="Cat & dog" %}\n'
    rendered = _render(body, "medium")
    assert ('<figure><img src="https://me.example.org/blog/assets/img/cat.png" alt="A cat">'
            "<figcaption>Cat &amp; dog</figcaption></figure>") in rendered.body


def test_figure_with_an_absolute_url_and_no_caption() -> None:
    body = '{% include figure.html url="https://cdn.example.com/x.png" class="img-fluid" %}\n'
    assert _render(body).body == "![](https://cdn.example.com/x.png)\n"


def test_figure_inside_html_wrappers() -> None:
    body = ('<div class="row mt-3">\n    <div class="col-sm mt-3 mt-md-0">\n'
            '        {% include figure.liquid path="assets/img/cat.png" class="img-fluid" %}\n'
            "    </div>\n</div>\n<div class=\"caption\">\n    Two animals.\n</div>\n")
    assert _render(body).body == ("![](https://me.example.org/blog/assets/img/cat.png)\n\n"
                                  "Two animals.\n")
    medium = _render(body, "medium").body
    assert '<figure><img src="https://me.example.org/blog/assets/img/cat.png" alt=""></figure>' in medium
    assert "class=" not in medium
    assert "{%" not in medium


# -- other includes ------------------------------------------------------------------------------


def test_video_include_of_a_youtube_embed_is_its_watch_url() -> None:
    body = ('Before.\n\n{% include video.liquid path="https://www.youtube.com/embed/jNQXAC9IVRw" '
            'class="img-fluid" %}\n\nAfter.\n')
    assert _render(body).body == "Before.\n\nhttps://www.youtube.com/watch?v=jNQXAC9IVRw\n\nAfter.\n"
    assert ('<p><a href="https://www.youtube.com/watch?v=jNQXAC9IVRw">'
            "https://www.youtube.com/watch?v=jNQXAC9IVRw</a></p>") in _render(body, "medium").body


def test_video_and_audio_files_become_links() -> None:
    body = ('{% include video.liquid path="assets/video/clip.mp4" controls=true %}\n\n'
            '{% include audio.liquid path="assets/audio/talk.mp3" caption="The talk" %}\n')
    rendered = _render(body)
    assert rendered.body == (
        "[Video: clip.mp4](https://me.example.org/blog/assets/video/clip.mp4)\n\n"
        "[The talk](https://me.example.org/blog/assets/audio/talk.mp3)\n")
    assert [(n.line, n.severity) for n in rendered.notices] == [(4, "info"), (6, "info")]


def test_youtube_include_by_id() -> None:
    body = '{% include youtube.html id="jNQXAC9IVRw" %}\n'
    assert _render(body).body == "https://www.youtube.com/watch?v=jNQXAC9IVRw\n"


def test_unknown_include_is_a_note_with_a_warning() -> None:
    rendered = _render("Text.\n\n{% include carousel.html images=page.pics %}\n")
    assert rendered.body == ("Text.\n\n*(carousel (not shown here): see "
                             "[the original post](https://me.example.org/blog/post/).)*\n")
    assert _warnings(rendered) == [(6, "the include 'carousel.html' is not understood: a note "
                                       "points readers to the original post")]


# -- code -------------------------------------------------------------------------------------


def test_highlight_becomes_a_fence_with_its_content_kept() -> None:
    body = ("{% highlight python linenos %}\ndef f():\n    return \"{{ x }}\"\n"
            "{% endhighlight %}\n")
    assert _render(body).body == "```python\ndef f():\n    return \"{{ x }}\"\n```\n"
    assert "<pre>def f():\n    return &quot;{{ x }}&quot;</pre>" in _render(body, "medium").body


def test_raw_is_unwrapped_and_its_content_left_alone() -> None:
    rendered = _render("Use {% raw %}{{ page.title }}{% endraw %} in templates.\n")
    assert rendered.body == "Use {{ page.title }} in templates.\n"
    assert rendered.notices == ()


def test_comment_is_dropped_silently() -> None:
    rendered = _render("One.\n\n{% comment %}\nNot for readers.\n{% endcomment %}\n\nTwo.\n")
    assert rendered.body == "One.\n\nTwo.\n"
    assert rendered.notices == ()


# -- links ------------------------------------------------------------------------------------


def test_post_url_and_link_resolve_to_canonical_or_sibling_copy() -> None:
    site = _site()
    site.add("_posts/2023-01-01-plain.md", "---\ntitle: Plain\n---\nx\n")
    site.add("_posts/2023-02-02-copied.md",
             "---\ntitle: Copied\ncrosspost:\n  lesswrong:\n    id: AAAAAAAAAAAAAAAAA\n"
             "    url: https://www.lesswrong.com/posts/AAAAAAAAAAAAAAAAA/copied\n---\nx\n")
    body = ("[one]({% post_url 2023-01-01-plain %}), [two]({% post_url 2023-02-02-copied %}#part), "
            "[three]({% link _posts/2023-02-02-copied.md %}).\n")
    assert _render(body, site=site).body == (
        "[one](https://me.example.org/blog/plain/), "
        "[two](https://www.lesswrong.com/posts/AAAAAAAAAAAAAAAAA/copied#part), "
        "[three](https://www.lesswrong.com/posts/AAAAAAAAAAAAAAAAA/copied).\n")
    assert "[one](https://me.example.org/blog/plain/)" in _render(body, "eaforum", site).body
    assert "https://www.lesswrong.com/posts/AAAAAAAAAAAAAAAAA/copied#part" in _render(
        body, "alignmentforum", site).body


def test_post_url_to_a_missing_post_warns() -> None:
    rendered = _render("Intro.\n\nSee [it]({% post_url 2020-01-01-gone %}).\n")
    assert rendered.body == "Intro.\n\nSee [it](https://me.example.org/blog/).\n"
    assert _warnings(rendered) == [(6, "{% post_url 2020-01-01-gone %} names no post of this "
                                       "site: linked to the site's home page instead")]


@pytest.mark.parametrize(("source", "expected"), [
    ("[a]({{ site.url }}{{ site.baseurl }}/about/?x=1)", "[a](https://me.example.org/blog/about/?x=1)"),
    ("[a]({{ site.baseurl }}/about/)", "[a](https://me.example.org/blog/about/)"),
    ("[a]({{ '/about/' | relative_url }})", "[a](https://me.example.org/blog/about/)"),
    ("[a]({{ \"about/\" | absolute_url }})", "[a](https://me.example.org/blog/about/)"),
    ("![d]({{ 'assets/img/dog.png' | relative_url }})", "![d](https://me.example.org/blog/assets/img/dog.png)"),
    ("{{ site.title }} by {{ page.title }}", "Blog by T"),
])
def test_liquid_output_in_links_and_text(source: str, expected: str) -> None:
    assert _render(source + "\n").body == expected + "\n"


def test_unknown_output_is_shown_as_text_with_a_warning() -> None:
    rendered = _render("Hello {{ page.author.name | upcase }}!\n")
    assert rendered.body == "Hello page.author.name \\| upcase!\n"
    assert _warnings(rendered) == [(4, "cannot evaluate the Liquid output "
                                       "{{ page.author.name | upcase }}: its expression is shown as text")]


# -- kramdown ------------------------------------------------------------------------------------


def test_attribute_lists_are_dropped() -> None:
    body = ("A [link](https://x.org){:target=\"_blank\"} and ![i](https://x.org/i.png){: width=\"50%\"}.\n"
            "{: .lead}\n\n## Heading\n{:.no_toc}\n")
    rendered = _render(body)
    assert rendered.body == "A [link](https://x.org) and ![i](https://x.org/i.png).\n\n## Heading\n"
    assert rendered.notices == ()


def test_kramdown_toc_is_left_out() -> None:
    rendered = _render("* TOC\n{:toc}\n\n## One\n")
    assert rendered.body == "## One\n"
    assert [(n.line, n.severity) for n in rendered.notices] == [(5, "info")]


def test_nomarkdown_is_unwrapped() -> None:
    body = "{::nomarkdown}\n<p>Raw <b>html</b></p>\n{:/nomarkdown}\n"
    assert _render(body).body == "Raw **html**\n"


# -- things the targets cannot show --------------------------------------------------------------


def test_notebook_citation_bibliography_warn_with_lines() -> None:
    body = ("Intro {% cite einstein1950 hawking1988 %}.\n\n"
            "{% jupyter_notebook jupyter_path %}\n\n{% bibliography --cited %}\n")
    rendered = _render(body)
    url = "https://me.example.org/blog/post/"
    assert rendered.body == (
        "Intro (einstein1950; hawking1988).\n\n"
        f"*(A Jupyter notebook is not shown here: see [the original post]({url}).)*\n\n"
        f"*(The bibliography is on the original post: see [the original post]({url}).)*\n")
    assert [line for line, _ in _warnings(rendered)] == [4, 6, 8]


def test_tabs_become_titled_sections() -> None:
    body = ("{% tabs log %}\n\n{% tab log php %}\n\n```php\necho 1;\n```\n\n{% endtab %}\n\n"
            "{% tab log js %}\n\nconsole.log(1)\n\n{% endtab %}\n\n{% endtabs %}\n")
    rendered = _render(body)
    assert rendered.body == "**php**\n\n```php\necho 1;\n```\n\n**js**\n\nconsole.log(1)\n"
    assert _warnings(rendered) == [(4, "tabs are shown one after the other, each under its name")]


def test_conditions_keep_their_first_branch() -> None:
    body = "{% if site.x %}\nYes.\n{% elsif site.y %}\nMaybe.\n{% else %}\nNo.\n{% endif %}\n\nEnd.\n"
    rendered = _render(body)
    assert rendered.body == "Yes.\n\nEnd.\n"
    assert [line for line, _ in _warnings(rendered)] == [4]


def test_loops_keep_their_body_once_and_are_no_titled_block() -> None:
    """A for loop is Liquid's own, not a plugin's block tag: its parameters are never shown
    as a title and a line ("**Item**", "in · site.data.list"), and a for's else (an empty
    collection) is dropped."""
    body = ("{% for item in site.data.links %}\n- {{ item.name }}\n"
            "{% if forloop.last %}{% break %}{% endif %}\n{% else %}\nNo links.\n{% endfor %}\n\n"
            "{% tablerow n in (1..3) %}Cell.{% continue %}{% endtablerow %}\n\nEnd.\n")
    rendered = _render(body)
    assert rendered.body == "- item.name\n\nCell.\n\nEnd.\n"
    assert next(message for _, message in _warnings(rendered)) == (
        "Liquid {% for %} cannot be evaluated here: its body is kept once")
    assert "Liquid {% if %} cannot be evaluated here: its first branch is kept" in [
        message for _, message in _warnings(rendered)]


def test_unknown_tags_never_leave_liquid_behind() -> None:
    body = "Para {% weird thing %} here.\n\n{% box %}\nInside **box**.\n{% endbox %}\n"
    rendered = _render(body)
    assert "{%" not in rendered.body
    assert rendered.body == ("Para *(weird (not shown here): see [the original post]"
                             "(https://me.example.org/blog/post/).)* here.\n\nInside **box**.\n")
    assert [line for line, _ in _warnings(rendered)] == [4, 6]


# -- nothing inside code is touched -------------------------------------------------------------

CONSTRUCTS = [
    '{% include figure.html path="assets/img/cat.png" caption="x" %}',
    "{% highlight ruby %}",
    "{% post_url 2020-01-01-x %}",
    "{{ site.baseurl }}/a",
    "{: .class}",
    "{% cite key %}",
    "{% unknown %}",
    '<img src="a.png">',
    "a~b~c and $$x$$",
]


@pytest.mark.parametrize("construct", CONSTRUCTS)
@pytest.mark.parametrize("target", ["lesswrong", "medium"])
def test_constructs_inside_code_stay_byte_identical(construct: str, target: str) -> None:
    fenced = f"```text\n{construct}\n```\n"
    indented = f"    {construct}\n"
    inline = f"Inline `` {construct} `` here.\n"
    for body in (fenced, indented, inline):
        rendered = _render(body, target)
        assert rendered.notices == (), body
        if target == "medium":
            assert html.escape(construct) in rendered.body, body
        else:
            assert rendered.body == body


@pytest.mark.parametrize("target", ["lesswrong", "medium"])
def test_raw_inside_code_shows_its_content_as_on_the_site(target: str) -> None:
    # Liquid reads the whole file, code included: the site shows what is between the tags.
    shown = "{{ page.title }} and {% if x %}"
    for body, expected in (
        ("```liquid\n{% raw %}" + shown + "{% endraw %}\n```\n", "```liquid\n" + shown + "\n```\n"),
        ("    {% raw %}" + shown + "{% endraw %}\n", "    " + shown + "\n"),
        ("Inline `{% raw %}" + shown + "{% endraw %}` here.\n", "Inline `" + shown + "` here.\n"),
        ("{% highlight liquid %}\n{% raw %}" + shown + "{% endraw %}\n{% endhighlight %}\n",
         "```liquid\n" + shown + "\n```\n"),
    ):
        rendered = _render(body, target)
        assert rendered.notices == (), body
        if target == "medium":
            assert html.escape(shown) in rendered.body
            assert "raw" not in rendered.body
        else:
            assert rendered.body == expected


def test_raw_inside_code_of_a_plain_folder_is_only_code() -> None:
    body = "```\n{% raw %}{{ x }}{% endraw %}\n```\n"
    assert render_text(FM + body, site=make_site("plain"), attribution=False).body == body


def test_raw_opened_in_code_and_never_closed_warns() -> None:
    rendered = _render("```\n{% raw %}{{ x }}\n```\n\nAfter {{ site.url }}.\n")
    assert rendered.body == "```\n{{ x }}\n```\n\nAfter {{ site.url }}.\n"
    assert [line for line, _ in _warnings(rendered)] == [5]


def test_forum_body_keeps_untouched_text_byte_for_byte() -> None:
    body = "Tabs\tand  double  spaces,  trailing \nand *emphasis*  kept.\n"
    assert body_of(FM + body) == body


def test_kramdown_header_ids_and_markdown_in_html() -> None:
    body = ("## Results {#results}\n\nText.\n\n<div class=\"note\" markdown=\"1\">\n"
            "**Note:** see [the data](data.csv).\n</div>\n")
    assert _render(body).body == ("## Results\n\nText.\n\n**Note:** see "
                                  "[the data](https://me.example.org/blog/post/data.csv).\n")


def test_blank_lines_inside_code_survive_the_tidying_of_removals() -> None:
    body = ("{% comment %}x{% endcomment %}\n\n\n{% highlight text %}\n\n  a\n\n\n\n  b\n\n"
            "{% endhighlight %}\n\n\n{% comment %}y{% endcomment %}\n\nEnd.\n")
    assert _render(body).body == "```text\n  a\n\n\n\n  b\n```\n\nEnd.\n"


def test_blocks_keep_their_list_item_or_quote() -> None:
    body = ("- Item:\n\n  {% include figure.html path=\"assets/img/cat.png\" caption=\"Cat\" %}\n\n"
            "> {% include youtube.html id=\"jNQXAC9IVRw\" %}\n")
    assert _render(body).body == (
        "- Item:\n\n  ![](https://me.example.org/blog/assets/img/cat.png)\n\n  *Cat*\n\n"
        "> https://www.youtube.com/watch?v=jNQXAC9IVRw\n")


def test_unclosed_pairs_lose_nothing_after_them() -> None:
    rendered = _render("A {% comment %} B.\n\nC {% raw %}{{ x }}\n\nD.\n")
    assert rendered.body == "A  B.\n\nC {{ x }}\n\nD.\n"
    assert [line for line, _ in _warnings(rendered)] == [4, 6]


def test_crlf_posts_keep_their_line_numbers() -> None:
    text = "---\r\ntitle: T\r\n---\r\nOne.\r\n\r\n{% mystery %}\r\n"
    rendered = render_text(text, site=_site(), attribution=False)
    assert [n.line for n in rendered.warnings] == [6]
    assert "{%" not in rendered.body


# -- kramdown definition lists --------------------------------------------------------------------

DEFINITIONS = ("Brier score\n: The mean squared error of [forecasts](/f/).\n\n"   # lines 4-5
               "Resolution\nSharpness\n: How far forecasts stray\n  from the base rate.\n"
               ": Rewarded by proper scores.\n\n"
               "Prior\n\n: What you believed before.\n\nAfter.\n")


def test_definition_lists_become_bold_terms_and_paragraphs() -> None:
    rendered = _render(DEFINITIONS)
    assert rendered.body == (
        "**Brier score**\n\nThe mean squared error of [forecasts](https://me.example.org/blog/f/).\n\n"
        "**Resolution**\\\n**Sharpness**\n\nHow far forecasts stray\n  from the base rate.\n\n"
        "Rewarded by proper scores.\n\n"
        "**Prior**\n\nWhat you believed before.\n\nAfter.\n")
    # One notice per list (blank lines between items do not end it), at its first term.
    assert [(n.line, n.severity) for n in rendered.notices] == [(4, "info"), (13, "info")]
    medium = _render(DEFINITIONS, "medium").body
    assert ("<p><strong>Brier score</strong></p>\n<p>The mean squared error of "
            '<a href="https://me.example.org/blog/f/">forecasts</a>.</p>') in medium
    assert "<p><strong>Resolution</strong><br>\n<strong>Sharpness</strong></p>" in medium
    assert ": " not in medium.replace("https:", "")


def test_definition_lists_in_quotes_and_items_stay_there() -> None:
    assert _render("> Term\n> : def\n").body == "> **Term**\n>\n> def\n"
    assert _render("- Term\n  : def\n").body == "- **Term**\n\n  def\n"


@pytest.mark.parametrize("body", [
    "Ratio: 3:1\nand: more\n",           # colons, but no line starts with ": "
    "```\nTerm\n: in code\n```\n",       # code is never touched
    "    Term\n    : indented code\n",
    ": a lone definition with no term\n",
])
def test_what_is_not_a_definition_list(body: str) -> None:
    assert _render(body).body == body


def test_definition_lists_on_hugo_but_not_on_plain_sites() -> None:
    hugo = make_site("hugo", url="https://me.example.org")
    assert render_text(FM + "Term\n: def\n", site=hugo, name="content/posts/p.md",
                       attribution=False).body == "**Term**\n\ndef\n"
    plain = make_site("plain", url="https://me.example.org")
    assert render_text(FM + "Term\n: def\n", site=plain, name="p.md",
                       attribution=False).body == "Term\n: def\n"


# -- variables set in the post (issue 20) ----------------------------------------------------------


def test_assigned_and_captured_literals_are_shown_where_used() -> None:
    body = ('{% assign price = "12 euros" %}\n{% assign n = 3 %}\n'
            '{% assign loud = "quiet" | upcase | append: "!" %}\n'
            "{% capture intro %}The *captured* part, {{ n }} times.{% endcapture %}\n\n"
            "It costs {{ price }}, {{ n }} of them; {{ loud }}.\n\n{{ intro | markdownify }}\n")
    rendered = _render(body)
    assert rendered.body == ("It costs 12 euros, 3 of them; QUIET!.\n\n"
                             "The *captured* part, 3 times.\n")
    assert rendered.notices == ()
    assert "<p>The <em>captured</em> part, 3 times.</p>" in _render(body, "medium").body


def test_a_variable_holds_its_value_at_the_point_of_use() -> None:
    body = ('{% assign x = "one" %}{{ x }}, {% assign x = x | append: " two" %}{{ x }}.\n')
    assert _render(body).body == "one, one two.\n"


def test_filters_with_arguments_and_variables_in_include_parameters() -> None:
    body = ('{% assign img = "assets/img/cat.png" %}{% assign name = "the  big cat" %}'
            '{{ name | replace: "  ", " " | capitalize }} '
            '{{ "" | default: "none" }} {{ name | remove: "the " | size }}\n\n'
            "{% include figure.html path=img %}\n")
    assert _render(body).body == (
        "The big cat none 8\n\n![](https://me.example.org/blog/assets/img/cat.png)\n")


def test_a_capture_of_liquid_that_cannot_be_evaluated_warns_where_it_is_used() -> None:
    body = ("{% capture list %}{% for p in site.posts %}{{ p.title }}{% endfor %}{% endcapture %}\n"
            "{% assign count = site.posts | size %}\n\nPosts: {{ list }} ({{ count }}).\n")
    rendered = _render(body)
    assert rendered.body == "Posts: list (count).\n"
    assert _warnings(rendered) == [
        (7, "cannot evaluate the Liquid output {{ list }} (`list` captures Liquid that cannot be "
            "evaluated here): its expression is shown as text"),
        (7, "cannot evaluate the Liquid output {{ count }} (`count` is assigned 'site.posts | "
            "size', which cannot be evaluated here): its expression is shown as text"),
    ]


def test_a_variable_set_inside_a_condition_says_which_branch_it_shows() -> None:
    body = ('{% if page.big %}{% assign size = "big" %}{% else %}{% assign size = "small" %}'
            "{% endif %}\nThe {{ size }} one.\n")
    rendered = _render(body)
    assert rendered.body == "The big one.\n"
    assert [message for _, message in _warnings(rendered)] == [
        "Liquid {% if %} cannot be evaluated here: its first branch is kept",
        "`size` in {{ size }} is set inside a Liquid condition: the value from its first branch "
        "is shown"]


def test_capture_whitespace_control_and_raw_inside() -> None:
    body = ("{% capture code -%}\n  Use {% raw %}{{ x }}{% endraw %} here.\n{%- endcapture %}\n"
            "Tip: {{ code }}\n")
    assert _render(body).body == "Tip: Use {{ x }} here.\n"


def test_render_with_liquid_false_leaves_liquid_as_text() -> None:
    rendered = render_text("---\ntitle: T\nrender_with_liquid: false\n---\n"
                           "Show {{ page.title }} and {% raw %}x{% endraw %}.\n", site=_site(),
                           attribution=False)
    assert rendered.body == "Show {{ page.title }} and {% raw %}x{% endraw %}.\n"


def test_an_unknown_block_tag_shows_its_parameters() -> None:
    body = '{% quote author="Ada Lovelace" class="big" %}\nThe engine weaves.\n{% endquote %}\n'
    rendered = _render(body)
    assert rendered.body == "The engine weaves.\n\n— Ada Lovelace\n"
    assert _warnings(rendered) == [(4, "Liquid tag {% quote %} is not understood: its content is "
                                       "kept, its author as an attribution line")]


# -- kramdown abbreviations (issue 20) -------------------------------------------------------------


def test_abbreviation_definitions_are_left_out_where_kramdown_reads_them() -> None:
    body = ("*[HTML]: HyperText Markup Language\n*[CSS]: Cascading Style Sheets\n\n"
            "HTML and CSS.\n\n"
            "Para line\n*[JS]: not a definition in the middle of a paragraph\n\n"
            "*[W3C]: World Wide Web Consortium\nText right after.\n\n"
            "```\n*[HTML]: code\n```\n")
    rendered = _render(body)
    assert rendered.body == ("HTML and CSS.\n\nPara line\n*[JS]: not a definition in the middle "
                             "of a paragraph\n\nText right after.\n\n```\n*[HTML]: code\n```\n")
    assert [(n.line, n.severity) for n in rendered.notices] == [(4, "info")]
    plain = render_text(FM + body, site=make_site("plain"), attribution=False)
    assert "*[HTML]: HyperText" in plain.body  # only kramdown has them


def test_a_capture_holding_liquid_in_code_is_not_guessed() -> None:
    body = ('{% assign x = "1" %}{% capture c %}`{{ x }}` and ```{% raw %}y{% endraw %}```'
            "{% endcapture %}\n\nShown: {{ c }}\n")
    rendered = _render(body)
    assert rendered.body == "Shown: c\n"
    assert [line for line, _ in _warnings(rendered)] == [6]
