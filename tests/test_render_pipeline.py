"""The pipeline as a whole: options, the Rendered it returns, notices, speed."""

from __future__ import annotations

from pathlib import Path

from crosspost.config import Settings, TargetOptions
from crosspost.render import render_post
from tests.render_site import make_site, render_text


def test_options_default_to_site_settings_and_the_post_block() -> None:
    site = make_site(title="Blog")
    site.settings = Settings(targets={"lesswrong": {"attribution": False},
                                      "medium": {"title": "From settings"}})
    post = site.add("_posts/2024-01-01-x.md",
                    "---\ntitle: X\ncrosspost:\n  lesswrong:\n    title: Forum title\n"
                    "    draft: true\n---\nBody.\n")
    forum = render_post(post, site, "lesswrong")
    assert (forum.title, forum.body, forum.options.draft) == ("Forum title", "Body.\n", True)
    medium = render_post(post, site, "medium")
    assert medium.title == "From settings"
    assert medium.body.startswith("<h1>From settings</h1>\n<p>Body.</p>\n<hr>\n")


def test_explicit_options_win_and_the_rendering_is_described() -> None:
    site = make_site()
    post = site.add("_posts/2024-01-01-x.md", "---\ntitle: X\n---\nBody.\n")
    rendered = render_post(post, site, "eaforum", TargetOptions(attribution=None, draft=True))
    assert rendered.target == "eaforum"
    assert rendered.source_path == Path("/site/_posts/2024-01-01-x.md")
    assert rendered.canonical_url == "https://blog.example.org/x/"
    assert rendered.hash == render_post(post, site, "eaforum",
                                        TargetOptions(attribution=None, draft=True)).hash
    assert rendered.hash != render_post(post, site, "eaforum", TargetOptions(attribution=None)).hash


def test_notices_name_the_file_and_line_in_order() -> None:
    text = ("---\ntitle: T\n---\n\n```mermaid\ngraph TD; A-->B;\n```\n\n"
            "Text {% mystery %}.\n\n```chart\n{}\n```\n")
    rendered = render_text(text, attribution=False)
    assert [str(n) for n in rendered.notices] == [
        "/site/_posts/2024-01-02-post.md:5: warning: the mermaid block is drawn by the site; "
        "LessWrong shows its source as a code block",
        "/site/_posts/2024-01-02-post.md:9: warning: Liquid tag {% mystery %} is not understood: "
        "a note points readers to the original post",
        "/site/_posts/2024-01-02-post.md:11: warning: the chart block is drawn by the site; "
        "LessWrong shows its source as a code block",
    ]
    assert "```mermaid\ngraph TD; A-->B;\n```" in rendered.body


def test_line_numbers_survive_earlier_rewrites() -> None:
    text = ("---\ntitle: T\n---\n{% highlight text %}\none\ntwo\nthree\n{% endhighlight %}\n"
            "{% comment %}\nhidden\nlines\n{% endcomment %}\n<iframe src=\"https://x.org/w\"></iframe>\n")
    rendered = render_text(text, attribution=False)
    assert [n.line for n in rendered.warnings] == [13]


def test_plain_sites_understand_both_dialects() -> None:
    site = make_site("plain")
    text = "---\ntitle: T\n---\n{{< youtube w7Ft2ymGmfc >}}\n\n{% raw %}x{% endraw %}\n"
    assert render_text(text, site=site, attribution=False).body == (
        "https://www.youtube.com/watch?v=w7Ft2ymGmfc\n\nx\n")


def test_hugo_sites_leave_liquid_looking_text_alone() -> None:
    text = '+++\ntitle = "T"\n+++\nTemplates use {{ .Title }} and {% x %} here.\n'
    rendered = render_text(text, site=make_site("hugo"), attribution=False, name="content/a.md")
    assert rendered.body == "Templates use {{ .Title }} and {% x %} here.\n"
    assert rendered.notices == ()


EXAMPLE = """---
title: A post with everything
---
Cross-posted on [LessWrong](https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/x).

In this post I summarise {{ site.title }}'s reading, see [the list]({{ site.baseurl }}/list/).

{% include figure.html path="assets/img/a.png" caption="The first figure" %}

""" + "\n\n".join(
    f"Paragraph {i} with [a link](https://example.org/{i}?q=1#:~:text=a,b), *emphasis*, `code`, "
    f"a footnote[^{i}] and some more words to make it as long as a real paragraph is. "
    "It goes on for a while, like the shared example, with a few more links to "
    f"[other posts](../other-{i}/) and [sites](https://site{i}.example.org/)."
    for i in range(20)
) + "\n\n" + "\n".join(f"[^{i}]: Note {i}." for i in range(20)) + "\n"


def test_a_title_taken_from_the_first_heading_is_said_and_not_repeated() -> None:
    text = "---\ndate: 2024-01-02\n---\n\n# The real title\n\nThe body.\n"
    rendered = render_text(text, attribution=False)
    assert rendered.title == "The real title"
    assert rendered.body == "The body.\n"
    [notice] = [n for n in rendered.notices if n.severity == "info"]
    assert notice.line == 5
    assert "first heading 'The real title' is the title" in notice.message


def test_a_title_on_several_lines_is_sent_on_one_with_a_warning() -> None:
    site = make_site()
    post = site.add("_posts/2024-01-01-t.md", "---\ntitle: |\n  Two\n  lines\n---\nBody.\n")
    rendered = render_post(post, site, "lesswrong")
    assert rendered.title == "Two lines"
    [notice] = [n for n in rendered.notices if "title" in n.message]
    assert (notice.line, notice.severity) == (2, "warning")
    assert "spans several lines" in notice.message


def test_a_nul_character_is_left_out_with_a_warning_on_its_line() -> None:
    site = make_site()
    post = site.add("_posts/2024-01-01-n.md", "---\ntitle: T\n---\nFine.\n\nBro\x00ken.\n")
    for target in ("lesswrong", "medium"):
        rendered = render_post(post, site, target)
        assert "\x00" not in rendered.body
        assert "\ufffd" not in rendered.body
        assert "Broken." in rendered.body
        [notice] = [n for n in rendered.notices if "NUL" in n.message]
        assert notice.line == 6
