"""Site, whatever the generator: discovery, the site URL, URL joining, files, sibling lookups.

The generators' own rules are tested in test_site_jekyll.py, test_site_hugo.py and
test_site_plain.py.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from crosspost.errors import ConfigError, PostError
from crosspost.sites import (
    GENERATORS,
    HugoSite,
    JekyllSite,
    PlainSite,
    QuartzSite,
    Site,
    SiteCache,
    generator_named,
)
from crosspost.sites.siteurl import Candidate, SiteURL, find_site_url
from tests.site_helpers import hugo_site, jekyll_site, url_of, write

# -- discovery --------------------------------------------------------------------------------


def test_discovery_does_not_parse_posts(examples: Path) -> None:
    site = Site.discover(examples / "jekyll-site/_posts/2023-11-02-six-months-of-forecasting.md")
    site.post_paths()
    assert site._posts == {}


def test_discover_stops_at_git_root(tmp_path: Path) -> None:
    jekyll_site(tmp_path)  # a site above the repository must not be found
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    post = write(repo / "notes/post.md", "# Hi\n")
    site = Site.discover(post)
    assert site.generator == "plain"
    assert site.root == (repo / "notes").resolve()
    assert site.url is None


def test_broken_config_is_a_config_error(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://a.dev\nbad: [x\n")
    post = write(tmp_path / "_posts/2023-01-01-a.md", "# A\n")
    with pytest.raises(ConfigError, match=r"_config\.yml:2: broken YAML"):
        Site.discover(post)


def test_settings_posts_globs(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "crosspost.toml", 'url = "https://a.dev"\nposts = ["essays/*.md"]\n')
    write(tmp_path / "essays/one.md", "# One\n")
    write(tmp_path / "README.md", "# Readme\n")
    write(tmp_path / "node_modules/x/y.md", "")
    site = Site.discover(tmp_path / "essays/one.md")
    assert [p.name for p in site.post_paths()] == ["one.md"]


# -- the site URL -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "http://localhost:4000", "http://127.0.0.1:4000", "https://example.com",
    "https://www.example.org/", "https://yourname.github.io", "https://username.github.io",
    "https://your-site.com", "http://0.0.0.0:1313/",
])


def test_placeholder_jekyll_urls_are_refused(tmp_path: Path, url: str) -> None:
    jekyll_site(tmp_path, f"url: {url}\n")
    post = write(tmp_path / "_posts/2023-08-30-x.md", "---\ntitle: X\n---\n")
    site = Site.discover(post)
    assert site.url is None
    with pytest.raises(ConfigError) as info:
        site.canonical_url(site.load(post))
    message = str(info.value)
    assert f"_config.yml: `url` is the placeholder {url!r}" in message
    assert "crosspost.toml" in message
    with pytest.raises(ConfigError):
        site.absolute_url("/assets/x.png")


def test_hugo_default_base_url_is_a_placeholder(tmp_path: Path) -> None:
    hugo_site(tmp_path, "baseURL = 'https://example.org/'\n")
    post = write(tmp_path / "content/posts/a.md", '+++\ntitle = "A"\n+++\n')
    with pytest.raises(ConfigError, match=r"hugo\.toml: `baseURL` is the placeholder"):
        url_of(post)


def test_missing_url_and_crosspost_toml_override(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "title: t\nbaseurl: /blog\n")
    post = write(tmp_path / "_posts/2023-08-30-x.md", "---\ntitle: X\n---\n")
    with pytest.raises(ConfigError, match="the site has no URL"):
        url_of(post)
    write(tmp_path / "crosspost.toml", 'url = "https://jane.dev"\n')
    assert url_of(post) == "https://jane.dev/blog/2023/08/30/x.html"
    write(tmp_path / "crosspost.toml", 'url = "https://jane.dev"\nbaseurl = ""\n')
    assert url_of(post) == "https://jane.dev/2023/08/30/x.html"


def test_crosspost_toml_url_beats_a_placeholder(tmp_path: Path) -> None:
    hugo_site(tmp_path, "baseURL = 'http://localhost:1313/'\n")
    write(tmp_path / "crosspost.toml", 'url = "https://sam.dev/"\n')
    post = write(tmp_path / "content/posts/a.md", '+++\ntitle = "A"\n+++\n')
    assert url_of(post) == "https://sam.dev/posts/a/"


def test_canonical_url_front_matter_wins(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: http://localhost:4000\n")
    post = write(tmp_path / "_posts/2023-08-30-x.md",
                 "---\ncanonical_url: https://elsewhere.org/x?ref=1\n---\n")
    assert url_of(post) == "https://elsewhere.org/x?ref=1"
    bad = write(tmp_path / "_posts/2023-08-31-y.md", "---\ncanonical_url: relative/path\n---\n")
    with pytest.raises(PostError, match=r"2023-08-31-y\.md:2: `canonical_url` must be an absolute"):
        url_of(bad)


# -- absolute_url -----------------------------------------------------------------------------


@pytest.fixture


def blog(tmp_path: Path) -> Site:
    jekyll_site(tmp_path, "url: https://jane.github.io\nbaseurl: /blog\n")
    return Site.discover(write(tmp_path / "_posts/2023-08-30-x.md", "# X\n"))


POST_URL = "https://jane.github.io/blog/2023/08/30/x.html"


@pytest.mark.parametrize(("ref", "base", "expected"), [
    ("assets/img/x.png", None, "https://jane.github.io/blog/assets/img/x.png"),
    ("../x.png", "https://jane.github.io/blog/2023/post/", "https://jane.github.io/blog/2023/x.png"),
    ("./img/../x.png", POST_URL, "https://jane.github.io/blog/2023/08/30/x.png"),
    ("/assets/x.png", None, "https://jane.github.io/blog/assets/x.png"),
    ("/blog/assets/x.png", None, "https://jane.github.io/blog/assets/x.png"),  # once only
    ("/blog", None, "https://jane.github.io/blog"),
    ("/blogroll/", None, "https://jane.github.io/blog/blogroll/"),
    ("//cdn.jsdelivr.net/x.js", None, "https://cdn.jsdelivr.net/x.js"),
    ("https://www.youtube.com/watch?v=w4RLfVxTGH4&t=147s&ab_channel=TED", None,
     "https://www.youtube.com/watch?v=w4RLfVxTGH4&t=147s&ab_channel=TED"),
    ("mailto:jane@jane.dev?subject=Hi%20there", None, "mailto:jane@jane.dev?subject=Hi%20there"),
    ("#:~:text=calibration", None, "#:~:text=calibration"),
    ("", None, ""),
    ("img/x.png?v=2&w=3#:~:text=a%20b,c-,d", POST_URL,
     "https://jane.github.io/blog/2023/08/30/img/x.png?v=2&w=3#:~:text=a%20b,c-,d"),
    ("?page=2", POST_URL, POST_URL + "?page=2"),
    ("#notes", POST_URL, "#notes"),
    ("x.png?", POST_URL, "https://jane.github.io/blog/2023/08/30/x.png?"),
    ("../../../../../x.png", POST_URL, "https://jane.github.io/x.png"),
    ("x.png", "/blog/2023/", "https://jane.github.io/blog/2023/x.png"),
])


def test_absolute_url(blog: Site, ref: str, base: str | None, expected: str) -> None:
    assert blog.absolute_url(ref, base=base) == expected


# -- local files ------------------------------------------------------------------------------


def test_local_file_drops_the_base_path(tmp_path: Path, blog: Site) -> None:
    image = write(tmp_path / "assets/x y.png", "png")
    post = blog.load(tmp_path / "_posts/2023-08-30-x.md")
    assert blog.local_file("/blog/assets/x%20y.png", post=post) == image.resolve()
    assert blog.local_file("{{ site.baseurl }}/assets/x.png", post=post) is None
    assert blog.file_url(image) == "https://jane.github.io/blog/assets/x%20y.png"
    assert blog.file_url(tmp_path / "_posts/2023-08-30-x.md") is None


# -- finding posts ----------------------------------------------------------------------------


def test_unknown_reference_kind(blog: Site) -> None:
    with pytest.raises(ValueError, match="unknown reference kind"):
        blog.find_post("x", kind="shortlink")


# -- post_for_url -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "https://jane-doe.github.io/blog/2023/six-months-of-forecasting/",
    "http://www.jane-doe.github.io/blog/2023/six-months-of-forecasting",
    "https://jane-doe.github.io/blog/2023/six-months-of-forecasting/?utm_source=x#habits",
    "https://jane-doe.github.io/blog/2023/six-months-of-forecasting/index.html",
    "//jane-doe.github.io/blog/2023/six-months-of-forecasting/",
    "/blog/2023/six-months-of-forecasting/",
])


def test_post_for_url(examples: Path, url: str) -> None:
    site = Site.discover(examples / "jekyll-site/_config.yml")
    found = site.post_for_url(url)
    assert found is not None
    assert found.path.name == "2023-11-02-six-months-of-forecasting.md"


@pytest.mark.parametrize("url", [
    "https://jane-doe.github.io/blog/2023/",
    "https://other.dev/blog/2023/six-months-of-forecasting/",
    "mailto:jane@x.org",
    "relative/path",
])


def test_post_for_url_misses(examples: Path, url: str) -> None:
    assert Site.discover(examples / "jekyll-site/_config.yml").post_for_url(url) is None


def test_post_for_url_hugo_and_canonical_override(tmp_path: Path, examples: Path) -> None:
    site = Site.discover(examples / "hugo-site/hugo.toml")
    found = site.post_for_url("https://sam-baker.dev/2024/04/baker-percentages/")
    assert found is not None
    assert found.path.name == "hydration-math.md"
    jekyll_site(tmp_path)
    write(tmp_path / "_posts/2023-08-30-x.md", "---\ncanonical_url: https://medium.com/@j/x\n---\n")
    write(tmp_path / "_posts/2023-08-31-broken.md", "---\ntitle: [\n---\n")
    other = Site.discover(tmp_path / "_config.yml")
    moved = other.post_for_url("https://medium.com/@j/x")
    assert moved is not None
    assert moved.path.name == "2023-08-30-x.md"


def test_sibling_index_is_built_once(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://j.dev\npermalink: /:year/:title/\n")
    for i in range(1000):
        write(tmp_path / f"_posts/2023-{1 + i % 12:02d}-{1 + i % 28:02d}-post-{i}.md",
              f"---\ntitle: Post {i}\ntags: [a, b]\ncrosspost:\n  lesswrong: {{}}\n---\n"
              f"Body of post {i}.\n")
    site = Site.discover(tmp_path / "_posts/2023-01-01-post-0.md")
    assert site._posts == {}
    first = site.post_for_url("https://j.dev/2023/post-999/")
    index = site._url_index
    for i in range(1000):
        assert site.post_for_url(f"https://j.dev/2023/post-{i}/") is not None
    assert first is not None
    assert first.title == "Post 999"
    assert site._url_index is index  # not rebuilt per call (benchmarks/bench.py times it)


# -- where the site URL comes from ---------------------------------------------------------------


def test_the_first_usable_candidate_wins_and_says_where_it_came_from() -> None:
    found = find_site_url([Candidate("  ", "a: `url`"),
                           Candidate("http://localhost:4000", "b: `url`"),
                           Candidate("https://jane.dev/ignored/path", "c: `url`"),
                           Candidate("https://late.dev", "d: `url`")],
                          base_path="/blog", nowhere="/site")
    assert found == SiteURL("https://jane.dev/blog", "c: `url`")


def test_a_decisive_candidate_is_final_even_when_wrong() -> None:
    trusted = find_site_url([Candidate("http://localhost:4000", "t: `url`", decisive=True)],
                            base_path="", nowhere="/site")
    assert trusted == SiteURL("http://localhost:4000", "t: `url`")
    wrong = find_site_url([Candidate("ftp://jane.dev", "t: `url`", decisive=True),
                           Candidate("https://jane.dev", "c: `url`")], base_path="", nowhere="/site")
    assert wrong == SiteURL(None, problem="t: `url` is 'ftp://jane.dev', not an absolute http(s) URL")


def test_without_a_usable_candidate_the_first_problem_is_the_answer() -> None:
    found = find_site_url([Candidate("https://example.com", "a: `url`"),
                           Candidate("localhost", "b: `url`")], base_path="", nowhere="/site")
    assert found == SiteURL(None, problem="a: `url` is the placeholder 'https://example.com'")
    assert find_site_url([Candidate("", "a: `url`")], base_path="", nowhere="/site") == SiteURL(
        None, problem="/site: the site has no URL")


def test_the_site_remembers_where_its_url_came_from(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://jane.dev\nbaseurl: /blog\n")
    post = write(tmp_path / "_posts/2023-08-30-x.md", "# X\n")
    site = Site.discover(post)
    assert (site.url, site.url_source) == ("https://jane.dev/blog", f"{tmp_path / '_config.yml'}: `url`")
    write(tmp_path / "crosspost.toml", 'url = "https://jane.example"\n')
    site = Site.discover(post)
    assert (site.url, site.url_source) == ("https://jane.example/blog",
                                           f"{tmp_path / 'crosspost.toml'}: `url`")


def test_each_site_found_says_once_where_its_url_came_from(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="crosspost")
    jekyll_site(tmp_path, "url: https://jane.dev\n")
    one = write(tmp_path / "_posts/2023-08-30-x.md", "# X\n")
    two = write(tmp_path / "_posts/travel/2023-08-31-y.md", "# Y\n")
    sites = SiteCache()
    assert sites.for_post(one) is sites.for_post(two) is sites.for_folder(tmp_path)
    assert caplog.messages == [f"the site URL is https://jane.dev (from {tmp_path / '_config.yml'}: `url`)"]
    caplog.clear()
    hugo_site(tmp_path / "other", "baseURL = 'https://example.org/'\n")
    Site.discover(tmp_path / "other/content")
    assert caplog.messages == [f"{tmp_path / 'other/hugo.toml'}: `baseURL` is the placeholder "
                               "'https://example.org/'"]


# -- which generator ---------------------------------------------------------------------------------


def test_generators_are_tried_in_order_and_crosspost_toml_comes_last(tmp_path: Path) -> None:
    assert [cls.generator for cls in GENERATORS] == ["quartz", "jekyll", "hugo", "plain"]
    assert generator_named("hugo") is HugoSite
    assert generator_named("quartz") is QuartzSite
    with pytest.raises(ValueError, match="unknown generator 'eleventy'"):
        generator_named("eleventy")
    hugo_site(tmp_path, "baseURL = 'https://sam.dev/'\n")
    write(tmp_path / "crosspost.toml", 'url = "https://sam.example"\n')
    site = Site.discover(write(tmp_path / "content/posts/a.md", "# A\n"))
    assert isinstance(site, HugoSite)
    assert site.url == "https://sam.example"  # crosspost.toml still says the URL
    write(tmp_path / "_config.yml", "url: https://jane.dev\n")
    assert isinstance(Site.discover(tmp_path / "content/posts/a.md"), JekyllSite)
    assert Site.at(tmp_path, "plain").generator == "plain"


def test_each_generator_answers_its_own_link_forms(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "crosspost.toml", 'url = "https://notes.dev"\n')
    hugo_page = write(tmp_path / "content/posts/bread.md", "# Bread\n")
    jekyll_post = write(tmp_path / "_posts/2023-08-30-lisbon.md", "# Lisbon\n")
    plain = Site.discover(hugo_page)
    assert isinstance(plain, PlainSite)  # a plain folder understands both syntaxes
    by_ref = plain.find_post("posts/bread", kind="ref")
    by_post_url = plain.find_post("2023-08-30-lisbon", kind="post_url")
    assert by_ref is not None
    assert by_ref.path == hugo_page.resolve()
    assert by_post_url is not None
    assert by_post_url.path == jekyll_post.resolve()
    write(tmp_path / "_config.yml", "url: https://jane.dev\n")
    jekyll = Site.discover(jekyll_post)
    assert isinstance(jekyll, JekyllSite)
    assert jekyll.find_post("2023-08-30-lisbon", kind="post_url") is not None
    assert jekyll.find_post("posts/bread", kind="ref") is None  # Jekyll has no `ref`
