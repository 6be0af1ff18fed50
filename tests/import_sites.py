"""Sites to import into, and the posts the fake platforms hold, for the import tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crosspost.homecoming import ImportOptions, ImportReport, import_posts
from tests.fakes.forummagnum import FakeForum
from tests.fakes.images import ImageHost, png
from tests.fakes.medium_feed import MediumFeedFake
from tests.generators import write_tree
from tests.sites import FAST

QUARTZ_CONFIG = """\
import { QuartzConfig } from "./quartz/cfg"
import * as Plugin from "./quartz/plugins"

const config: QuartzConfig = {
  configuration: { pageTitle: "Jane's garden", baseUrl: "garden.jane.net" },
  plugins: { transformers: [], filters: [Plugin.RemoveDrafts()] },
}
export default config
"""


def jekyll_site(root: Path, *, timezone: str = "America/New_York", baseurl: str = "") -> Path:
    """A Jekyll site whose one post uses `layout`, `tags`, `description` and keeps its
    images in assets/img (the real jekyll builds it: minimal layouts included)."""
    return write_tree(root, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "_config.yml": f"title: Jane\nurl: https://jane.net\nbaseurl: \"{baseurl}\"\n"
                       f"timezone: {timezone}\npermalink: /:year/:month/:day/:title/\n",
        "_layouts/post.html": "<html><body>{{ content }}</body></html>\n",
        "_posts/2023-01-01-first.md": "---\nlayout: post\ntitle: First\ntags: [old]\n"
                                      "description: The first post.\n---\n"
                                      f"Hi ![x]({baseurl}/assets/img/first/x.png)\n",
        "assets/img/first/x.png": "",
    })


def hugo_site(root: Path, *, bundles: bool = False, toml: bool = False) -> Path:
    """A Hugo site that renders raw HTML (``unsafe``), with one post in content/posts/."""
    front = ('+++\ntitle = "First"\ndate = 2023-01-01T00:00:00Z\ntags = ["old"]\n+++\n'
             if toml else "---\ntitle: First\ndate: 2023-01-01T00:00:00Z\ntags: [old]\n---\n")
    first = "content/posts/first/index.md" if bundles else "content/posts/first.md"
    return write_tree(root, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "hugo.toml": "baseURL = 'https://sam.dev/'\ntitle = 'Sam'\n"
                     "[markup.goldmark.renderer]\nunsafe = true\n",
        "layouts/_default/single.html": "<html><body>{{ .Content }}</body></html>\n",
        "layouts/_default/list.html": "<html><body>{{ .Content }}</body></html>\n",
        first: front + "Hi.\n",
    })


def quartz_site(root: Path) -> Path:
    return write_tree(root, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "quartz.config.ts": QUARTZ_CONFIG,
        "content/first.md": "---\ntitle: First\ntags: [old]\n---\nHi.\n",
    })


SITES: dict[str, Callable[[Path], Path]] = {"jekyll": jekyll_site, "hugo": hugo_site,
                                            "quartz": quartz_site}

WHEN = dt.datetime(2024, 3, 5, 14, 30, tzinfo=dt.UTC)


def rich_html(image: str) -> str:
    """A CKEditor post with everything the issue names (as the editor stores it)."""
    return (
        '<h2>Setting the scene</h2><p>We estimate <span class="math-tex">\\(p(x \\mid y)\\)'
        '</span> for each <em>sample</em>, as in <a href="https://arxiv.org/abs/1234.5678">'
        'the paper</a>; see <a href="#The_results">the results</a>.<span class="footnote-'
        'reference" data-footnote-reference="" data-footnote-index="1" data-footnote-id='
        '"k3x9q" role="doc-noteref" id="fnrefk3x9q"><sup><a href="#fnk3x9q">[1]</a></sup>'
        "</span></p>"
        '<p><span class="math-tex">\\[\\sum_{i=1}^n a_i = 1\\]</span></p>'
        f'<figure class="image"><img src="{image}" alt="A noisy plot"><figcaption>The data, '
        'from <a href="https://data.example.org/set">the survey</a> (<em>n</em> = 40)'
        "</figcaption></figure>"
        "<h2>The results</h2>"
        '<figure class="table"><table><thead><tr><th>Model</th><th>Score</th></tr></thead>'
        "<tbody><tr><td>Baseline</td><td>0.5</td></tr><tr><td>Ours</td><td>0.9</td></tr>"
        "</tbody></table></figure>"
        '<pre><code class="language-python">def score(x):\n    return x ** 2  # *not* emphasis\n'
        "</code></pre>"
        '<div class="spoilers"><p>The answer is <strong>42</strong>.</p></div>'
        '<details class="detailsBlock"><summary class="detailsBlockTitle">Proof sketch'
        '</summary><div class="detailsBlockContent"><p>By induction on <span class="math-tex">'
        "\\(n\\)</span>.</p></div></details>"
        "<p>Water is H<sub>2</sub>O; energy is E=mc<sup>2</sup>.</p>"
        '<ol class="footnote-section footnotes" data-footnote-section="" role="doc-endnotes">'
        '<li class="footnote-item" data-footnote-item="" data-footnote-index="1" data-footnote-'
        'id="k3x9q" role="doc-endnote" id="fnk3x9q"><span class="footnote-back-link" data-'
        'footnote-back-link="" data-footnote-id="k3x9q"><sup><strong><a href="#fnrefk3x9q">^'
        '</a></strong></sup></span><div class="footnote-content" data-footnote-content="">'
        '<p>See <a href="https://example.org/note">the appendix</a>, <em>especially</em> '
        '<span class="math-tex">\\(\\alpha &gt; 0\\)</span>.</p></div></li></ol>')


def markdown_post(image: str) -> str:
    """A post written in the forums' Markdown, with the dialect a site does not read."""
    return (
        "Intro with a [link](https://example.org/a), *emphasis*, math $x^2$ and "
        "\\\\(y_1\\\\), and shown apart $$\\sum_i y_i$$ mid-paragraph.\n\n"
        "## A heading\n\n"
        f"![A photo]({image})\n\n"
        "*The photo's caption*\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "A footnote here.[^1]\n\n"
        '```python\nprint("hi")\n```\n\n'
        ">! A spoiler line.\n\n"
        "+++ Collapsible title\n\nHidden body.\n\n+++\n\n"
        "Water is H~2~O.\n\n"
        "[^1]: The note, with [a link](https://example.org/n), *emphasis* and $z$.\n")


PLAIN_MARKDOWN = (
    "A paragraph with a [link](https://example.org/a) and *emphasis*.\n\n"
    "## A heading\n\n$$E = mc^2$$\n\n"
    "- one\n- two\n\n"
    "Note.[^1]\n\n```python\nx = 1\n```\n\n[^1]: With [a link](https://example.org/n).\n")


def medium_story_html(image: str) -> str:
    return (
        "<p>Medium <strong>body</strong> with a <a href=\"https://example.org/m\">link</a>.</p>"
        "<h4>A small heading</h4>"
        f'<figure><img alt="A chart" src="{image}" /><figcaption>Chart by '
        '<a href="https://example.org/author">me</a></figcaption></figure>'
        "<pre>def f():<br>    return 1<br><br>print(f())</pre>"
        "<p>Final words.</p>"
        '<hr><p><a href="https://medium.com/pub/x">Story</a> was originally published in '
        '<a href="https://medium.com/pub">Pub</a> on Medium, where people are continuing the '
        "conversation by highlighting and responding to this story.</p>")


def seed_images(host: ImageHost, forum: FakeForum | None = None) -> dict[str, bytes]:
    """Images at their original addresses; the forums' CDN on the same host."""
    files = {"orig/plot.png": png(1), "orig/photo.png": png(2), "orig/chart.png": png(3)}
    for path, data in files.items():
        host.add(path, data)
    if forum is not None:
        forum.cdn = host.url("cdn")
    return {host.url(path): data for path, data in files.items()}


def serve_mirrors(host: ImageHost, forum: FakeForum, post_id: str, data: bytes) -> list[str]:
    """Serve the CDN copies the fake forum's re-hosting made of a post's images."""
    import re

    found = re.findall(r'src="([^"]+)"', forum.post(post_id)["html"])
    mirrors = [src for src in found if src.startswith(forum.cdn)]
    for src in mirrors:
        host.add(src[len(host.base):], data)
    return mirrors


def run_import(site: Path, *urls: str, forum: FakeForum | None = None,
               feed: MediumFeedFake | None = None, **options: object) -> ImportReport:
    env: dict[str, str] = {}
    if forum is not None:
        env["CROSSPOST_LESSWRONG_ENDPOINT"] = forum.endpoint
    if feed is not None:
        env["CROSSPOST_MEDIUM_FEED"] = feed.url
    given: dict[str, Any] = dict(options)
    env.update(given.pop("environ", {}))
    return import_posts(ImportOptions(urls=urls, site=site, environ=env, http=FAST, **given))


__all__ = ["PLAIN_MARKDOWN", "SITES", "WHEN", "hugo_site", "jekyll_site", "markdown_post",
           "medium_story_html", "quartz_site", "rich_html", "run_import", "seed_images",
           "serve_mirrors"]
