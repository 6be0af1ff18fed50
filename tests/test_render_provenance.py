"""Line provenance: a forum body line names a file line only where it is that line, verbatim.

``crosspost pull`` writes edits made on a platform into the post through this map, so a wrong
entry would put text on the wrong line. The property: every line with an origin is exactly
the file's line of that number; rewritten lines (links, figures, the attribution) have none.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosspost.post import Post
from crosspost.render import Rendered, render_post
from crosspost.sites import Site
from tests.conftest import EXAMPLES
from tests.render_site import make_site
from tests.test_render_property import PIECES


def render_with_lines(text: str, generator: str = "jekyll", target: str = "lesswrong") -> Rendered:
    site = make_site(generator)
    post = site.add("_posts/2024-01-02-post.md", text)
    return render_post(post, site, target, provenance=True)


def check(rendered: Rendered, raw: str) -> int:
    """Assert the property; the number of lines that have an origin."""
    out = rendered.body.split("\n")[:-1]
    assert rendered.lines is not None
    assert len(rendered.lines) == len(out)
    file_lines = raw.replace("\r\n", "\n").split("\n")
    mapped = 0
    for line, origin in zip(out, rendered.lines, strict=True):
        if origin is not None:
            mapped += 1
            assert file_lines[origin - 1] == line, (origin, line)
    return mapped


def test_untouched_lines_map_and_rewritten_ones_do_not() -> None:
    text = ("---\ntitle: T\n---\n\nPlain words.\n\nA [link](/about/) here.\n\n"
            "```\ncode [x](/y)\n```\n\nLast line.\n")
    rendered = render_with_lines(text)
    assert check(rendered, text) > 0
    by_text = dict(zip(rendered.body.split("\n"), rendered.lines or (), strict=False))
    assert by_text["Plain words."] == 5
    assert by_text["A [link](https://blog.example.org/about/) here."] is None
    assert by_text["code [x](/y)"] == 10
    assert by_text["Last line."] == 13
    assert rendered.lines is not None
    assert rendered.lines[0] is None, "the attribution is crosspost's"


def test_a_line_that_lost_a_self_link_has_no_origin() -> None:
    text = ("---\ntitle: T\ncrosspost:\n  lesswrong:\n    id: AAAAAAAAAAAAAAAAA\n---\n"
            "Cross-posted on [LessWrong](https://www.lesswrong.com/posts/AAAAAAAAAAAAAAAAA/t). "
            "Intro.\n\nBody.\n")
    rendered = render_with_lines(text)
    check(rendered, text)
    by_text = dict(zip(rendered.body.split("\n"), rendered.lines or (), strict=False))
    assert by_text["Body."] == 9
    assert all(origin is None for line, origin in by_text.items() if "Intro" in line)


def test_without_provenance_nothing_is_computed() -> None:
    site = make_site()
    post = site.add("_posts/2024-01-02-post.md", "---\ntitle: T\n---\nWords.\n")
    assert render_post(post, site, "lesswrong").lines is None


@pytest.mark.parametrize("path", sorted(p for p in EXAMPLES.rglob("*.md")
                                        if ("_posts" in p.parts or "posts" in p.parts)
                                        and Post.from_path(p).crosspost),
                         ids=lambda p: p.name)
@pytest.mark.parametrize("target", ["lesswrong", "devto"])
def test_the_examples_map_only_verbatim_lines(path: Path, target: str) -> None:
    post = Post.from_path(path)
    rendered = render_post(post, Site.discover(path), target, provenance=True)
    assert check(rendered, post.raw) >= 5


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=25), st.sampled_from(["jekyll", "hugo", "plain"]),
       st.sampled_from(["lesswrong", "devto"]))
def test_any_mixture_maps_only_verbatim_lines(pieces: list[str], generator: str, target: str) -> None:
    text = "---\ntitle: T\n---\n" + "".join(pieces)
    check(render_with_lines(text, generator, target), text)


def test_dev_to_s_last_pass_costs_only_the_lines_it_touched() -> None:
    text = ("---\ntitle: T\n---\n\nPlain words.\n\nMath $$x^2$$ inline.\n\n"
            "Back\u202eward.\n\nLast line.\n")
    rendered = render_with_lines(text, target="devto")
    check(rendered, text)
    by_text = dict(zip(rendered.body.split("\n"), rendered.lines or (), strict=False))
    assert by_text["Plain words."] == 5
    assert by_text["Math {% katex inline %}`x^2`{% endkatex %} inline."] is None
    assert by_text["Backward."] is None
    assert by_text["Last line."] == 11
