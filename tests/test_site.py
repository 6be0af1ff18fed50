"""Site: discovery, canonical URLs as Jekyll and Hugo publish them, and reference lookups.

Expected URLs were worked out from the generators' source, not their docs:
- Jekyll (jekyll/jekyll): lib/jekyll/drops/url_drop.rb (placeholders), lib/jekyll/url.rb
  (generate_url_from_drop, sanitize_url, escape_path), lib/jekyll/document.rb
  (categories_from_path, populate_categories, populate_title), lib/jekyll/utils.rb (slugify,
  add_permalink_suffix), lib/jekyll/configuration.rb (STYLE_TO_PERMALINK),
  lib/jekyll/tags/post_url.rb (PostComparer).
- Hugo (gohugoio/hugo): resources/page/permalinks.go and permalinks_test.go (tokens),
  resources/page/page_paths.go (CreateTargetPaths: default path, url, ugly URLs, the final
  MakePathSanitized that lower-cases), common/paths/path.go (Sanitize), helpers/url.go
  (URLize, PrependBasePath), hugolib/pagecollections.go (ref/relref lookup).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from crosspost.errors import ConfigError, PostError
from crosspost.permalinks import jekyll_slugify
from crosspost.site import Site


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def jekyll_site(root: Path, config: str = "url: https://jane.github.io\n") -> Path:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    write(root / "_config.yml", config)
    return root


def hugo_site(root: Path, config: str = "baseURL = 'https://sam.dev/'\n") -> Path:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    write(root / "hugo.toml", config)
    (root / "content").mkdir(exist_ok=True)
    return root


def url_of(path: Path) -> str:
    site = Site.discover(path)
    return site.canonical_url(site.load(path))


# -- discovery ------------------------------------------------------------------------------


def test_discover_jekyll_example(examples: Path) -> None:
    post = examples / "jekyll-site/_posts/2023-11-02-six-months-of-forecasting.md"
    site = Site.discover(post)
    assert site.generator == "jekyll"
    assert site.root == (examples / "jekyll-site").resolve()
    assert site.url == "https://jane-doe.github.io"
    assert site.title == "Jane Doe"
    assert site.settings.targets["medium"]["license"] == "cc-40-by"
    assert [p.name for p in site.post_paths()] == [
        "2023-06-12-calibration-training-notes.md",
        "2023-11-02-six-months-of-forecasting.md",
        "2024-03-09-a-toolbox-for-technical-posts.md",
    ]
    assert site.canonical_url(site.load(post)) == (
        "https://jane-doe.github.io/blog/2023/six-months-of-forecasting/")


def test_discover_hugo_example(examples: Path) -> None:
    bundle = examples / "hugo-site/content/posts/bundle-post/index.md"
    site = Site.discover(bundle)
    assert site.generator == "hugo"
    assert site.url == "https://sam-baker.dev"
    assert site.title == "Sam Baker's bread notebook"
    urls = {p.relative_to(site.root).as_posix(): site.canonical_url(site.load(p))
            for p in site.post_paths()}
    assert urls == {
        # url front matter wins over [permalinks]
        "content/posts/about-this-notebook.md": "https://sam-baker.dev/notes/about-this-notebook/",
        # a bundle: no slug, so :slug is the urlized title (the colon goes)
        "content/posts/bundle-post/index.md":
            "https://sam-baker.dev/2024/05/reading-the-crumb-what-the-holes-tell-you/",
        "content/posts/hydration-math.md": "https://sam-baker.dev/2024/04/baker-percentages/",
        "content/posts/starter-maintenance.md":
            "https://sam-baker.dev/2024/03/keeping-a-sourdough-starter-alive-on-a-busy-schedule/",
    }


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


def test_plain_site_needs_a_url(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    post = write(tmp_path / "post.md", "# Hi\n")
    site = Site.discover(post)
    with pytest.raises(ConfigError) as info:
        site.canonical_url(site.load(post))
    assert str(info.value) == (
        f"{tmp_path.resolve()}: the site has no URL. set `url = \"https://…\"` in crosspost.toml "
        "at the site root (or `canonical_url:` in the post's front matter)")


def test_plain_site_with_crosspost_toml(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "crosspost.toml", 'url = "https://notes.jane.dev"\n')
    post = write(tmp_path / "drafts/2024-01-05-first-note.md", "---\ntitle: First\n---\nx\n")
    site = Site.discover(post)
    assert (site.generator, site.root) == ("plain", tmp_path.resolve())
    assert site.canonical_url(site.load(post)) == "https://notes.jane.dev/first-note/"
    write(tmp_path / "crosspost.toml",
          'url = "https://notes.jane.dev"\npermalink = "/:year/:month/:slug.html"\n')
    assert url_of(post) == "https://notes.jane.dev/2024/01/first-note.html"


def test_plain_site_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", '[tool.crosspost]\nurl = "https://p.dev"\n')
    post = write(tmp_path / "docs/post.md", "# T\n")
    site = Site.discover(post)
    assert (site.generator, site.root, site.url) == ("plain", tmp_path.resolve(), "https://p.dev")


def test_hugo_config_toml_needs_hugo_folders(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "config.toml", "baseURL = 'https://sam.dev/'\n")
    post = write(tmp_path / "notes/a.md", "# A\n")
    assert Site.discover(post).generator == "plain"
    (tmp_path / "content").mkdir()
    assert Site.discover(post).generator == "hugo"


def test_hugo_config_directory_is_merged(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "config/_default/hugo.toml", "baseURL = 'https://sam.dev/'\n")
    write(tmp_path / "config/_default/permalinks.toml", "posts = '/:year/:slug/'\n")
    write(tmp_path / "config/production/hugo.toml", "baseURL = 'https://www.sam.dev/'\n")
    post = write(tmp_path / "content/posts/p.md", '+++\ntitle = "P"\ndate = 2024-02-03\n+++\n')
    site = Site.discover(post)
    assert site.generator == "hugo"
    assert site.canonical_url(site.load(post)) == "https://www.sam.dev/2024/p/"


def test_broken_config_is_a_config_error(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://a.dev\nbad: [x\n")
    post = write(tmp_path / "_posts/2023-01-01-a.md", "# A\n")
    with pytest.raises(ConfigError, match=r"_config\.yml:2: broken YAML"):
        Site.discover(post)


# -- the site URL ---------------------------------------------------------------------------


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


# -- Jekyll permalinks ----------------------------------------------------------------------


@pytest.mark.parametrize(("permalink", "expected"), [
    (None, "/ai/machine%20learning/2023/08/30/my-post.html"),  # Jekyll's default is "date"
    ("date", "/ai/machine%20learning/2023/08/30/my-post.html"),
    ("pretty", "/ai/machine%20learning/2023/08/30/my-post/"),
    ("ordinal", "/ai/machine%20learning/2023/242/my-post.html"),
    ("none", "/ai/machine%20learning/my-post.html"),
    ("weekdate", "/ai/machine%20learning/2023/W35/Wed/my-post.html"),
    ("/blog/:year/:title/", "/blog/2023/my-post/"),  # al-folio
    ("/:year/:i_month/:i_day/:short_year/:y_day/:title:output_ext", "/2023/8/30/23/242/my-post.html"),
    ("/:slug/:name/", "/my-post/2023-08-30-my-post/"),
    ("/:year/:month_:day/:title", "/2023/08_30/my-post"),
    ("/:short_month/:long_month/:long_day/:w_year/:week/:w_day/:title/",
     "/Aug/August/Wednesday/2023/35/3/my-post/"),
    ("/:slugified_categories/:title/", "/ai/machine-learning/my-post/"),
])
def test_jekyll_permalink_styles(tmp_path: Path, permalink: str | None, expected: str) -> None:
    config = "url: https://jane.github.io\n" + (f"permalink: {permalink}\n" if permalink else "")
    jekyll_site(tmp_path, config)
    post = write(tmp_path / "_posts/2023-08-30-my-post.md",
                 "---\ntitle: Whatever\ncategories: [AI, Machine Learning]\n---\n")
    assert url_of(post) == "https://jane.github.io" + expected


@pytest.mark.parametrize(("front_matter", "expected"), [
    ("categories: AI ML", "/ai/ml/my-post.html"),  # a string is split on spaces
    ("category: Machine Learning", "/machine%20learning/my-post.html"),  # singular: not split
    ("categories: [b, A, a]", "/b/a/my-post.html"),  # downcased, then made unique
    ("", "/my-post.html"),  # empty segments collapse
])
def test_jekyll_categories(tmp_path: Path, front_matter: str, expected: str) -> None:
    jekyll_site(tmp_path, "url: https://j.dev\npermalink: none\n")
    post = write(tmp_path / "_posts/2023-08-30-my-post.md", f"---\n{front_matter}\n---\n")
    assert url_of(post) == "https://j.dev" + expected


def test_jekyll_folder_categories(tmp_path: Path) -> None:
    # Document#categories_from_path: folders above _posts are categories, folders below not.
    jekyll_site(tmp_path, "url: https://j.dev\npermalink: none\n")
    above = write(tmp_path / "Blog/ai/_posts/2023-08-30-x.md", "---\ncategories: notes\n---\n")
    below = write(tmp_path / "_posts/archive/2023-08-30-y.md", "---\n---\n")
    assert url_of(above) == "https://j.dev/blog/ai/notes/x.html"
    assert url_of(below) == "https://j.dev/y.html"


def test_jekyll_title_keeps_case_slug_does_not(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://j.dev\npermalink: /:title/:slug/\n")
    post = write(tmp_path / "_posts/2023-08-30-My-Post.md", "---\n---\n")
    assert url_of(post) == "https://j.dev/My-Post/my-post/"


def test_jekyll_slug_front_matter(tmp_path: Path) -> None:
    # :title is slugify(slug, "pretty", cased) which keeps "!"; :slug uses the default mode.
    jekyll_site(tmp_path, "url: https://j.dev\npermalink: /:title/:slug/\n")
    post = write(tmp_path / "_posts/2023-08-30-file-name.md", '---\nslug: "Hello World!"\n---\n')
    assert url_of(post) == "https://j.dev/Hello-World!/hello-world/"


def test_jekyll_non_ascii_titles_are_escaped(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://j.dev\npermalink: /:year/:title/\n")
    post = write(tmp_path / "_posts/2023-08-30-café-crème.md", "---\n---\n")
    assert url_of(post) == "https://j.dev/2023/caf%C3%A9-cr%C3%A8me/"


def test_jekyll_front_matter_date_beats_file_name(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://j.dev\npermalink: /:year/:month/:day/:title/\n")
    post = write(tmp_path / "_posts/2023-08-30-x.md", "---\ndate: 2024-01-02 10:00:00\n---\n")
    assert url_of(post) == "https://j.dev/2024/01/02/x/"


def test_jekyll_post_permalink_wins(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://j.dev\npermalink: pretty\n")
    post = write(tmp_path / "_posts/2023-08-30-x.md", "---\npermalink: /writing/:title/\n---\n")
    assert url_of(post) == "https://j.dev/writing/x/"


def test_jekyll_collections_posts_permalink(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://j.dev\npermalink: pretty\n"
                          "collections:\n  posts:\n    permalink: /p/:title/\n")
    post = write(tmp_path / "_posts/2023-08-30-x.md", "---\n---\n")
    assert url_of(post) == "https://j.dev/p/x/"


def test_jekyll_front_matter_defaults(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://j.dev\ndefaults:\n  - scope:\n      path: ''\n"
                          "      type: posts\n    values:\n      permalink: /d/:title/\n")
    post = write(tmp_path / "_posts/2023-08-30-x.md", "---\n---\n")
    assert url_of(post) == "https://j.dev/d/x/"


def test_jekyll_unknown_placeholder(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://j.dev\npermalink: /:nope/:title/\n")
    post = write(tmp_path / "_posts/2023-08-30-x.md", "---\n---\n")
    with pytest.raises(ConfigError, match="unknown placeholder :nope"):
        url_of(post)


def test_jekyll_baseurl(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://jane.github.io/\nbaseurl: /blog/\npermalink: pretty\n")
    post = write(tmp_path / "_posts/2023-08-30-x.md", "---\n---\n")
    site = Site.discover(post)
    assert site.url == "https://jane.github.io/blog"
    assert site.base_path == "/blog"
    assert site.canonical_url(site.load(post)) == "https://jane.github.io/blog/2023/08/30/x/"


def test_jekyll_pages(tmp_path: Path) -> None:
    # lib/jekyll/page.rb#template: index pages end in "/", others follow the site's style.
    jekyll_site(tmp_path, "url: https://j.dev\npermalink: pretty\n")
    about = write(tmp_path / "_pages/about.md", "---\npermalink: /about/\n---\n")
    faq = write(tmp_path / "docs/faq.md", "---\ntitle: FAQ\n---\n")
    index = write(tmp_path / "docs/index.md", "---\n---\n")
    assert url_of(about) == "https://j.dev/about/"
    assert url_of(faq) == "https://j.dev/docs/faq/"
    assert url_of(index) == "https://j.dev/docs/"
    write(tmp_path / "_config.yml", "url: https://j.dev\n")
    assert url_of(faq) == "https://j.dev/docs/faq.html"


@pytest.mark.parametrize(("text", "mode", "cased", "slug"), [
    # Jekyll's own expectations, from test/test_utils.rb "slugify".
    ("Working with drafts", "default", False, "working-with-drafts"),
    ("  Working with drafts   ", "default", False, "working-with-drafts"),
    ("So what is Jekyll, exactly?", "default", False, "so-what-is-jekyll-exactly"),
    ("كيف حالك؟", "default", False, "كيف-حالك"),
    ("Customizing Git - Git Hooks", "default", False, "customizing-git-git-hooks"),
    ("5時〜6時 三・一四", "default", False, "5時-6時-三-一四"),
    ("மல்லிப்பூ வகைகள்", "pretty", False, "மல்லிப்பூ-வகைகள்"),
    ("The _config.yml file?", "default", False, "the-config-yml-file"),
    ("The _config.yml file?", "pretty", False, "the-_config.yml-file"),
    ("fürtive glance!!!!", "ascii", False, "f-rtive-glance"),
    ("fürtive glance!!!!", "latin", False, "furtive-glance"),
    ("Aあわれ鬱господинZ", "latin", False, "a-z"),
    ("The _config.yml file?", "raw", False, "the-_config.yml-file?"),
    ("The _config.yml file?", "none", False, "the _config.yml file?"),
    ("So what is Jekyll, exactly?", "default", True, "So-what-is-Jekyll-exactly"),
    ("💎", "default", False, ""),
])
def test_jekyll_slugify(text: str, mode: str, cased: bool, slug: str) -> None:
    assert jekyll_slugify(text, mode, cased=cased) == slug


# -- Hugo permalinks ------------------------------------------------------------------------


HUGO_POST = ('+++\ntitle = "Hello, World! Ça va?"\ndate = 2023-08-30T10:00:00Z\n'
             '{extra}\n+++\n')


@pytest.mark.parametrize(("pattern", "extra", "expected"), [
    (None, "", "/posts/my-post/"),
    (None, 'slug = "Custom Slug"', "/posts/custom-slug/"),
    # :slug falls back to the title. urlize encodes "ç" as %C3%A7, then the whole path is
    # lower-cased (page_paths.go pb.Sanitize) and PathEscape keeps that valid raw path.
    ("/:year/:month/:slug/", "", "/2023/08/hello-world-%c3%a7a-va/"),
    ("/:year/:month/:slug/", 'slug = "short"', "/2023/08/short/"),
    ("/:title/", 'slug = "short"', "/hello-world-%c3%a7a-va/"),
    ("/:slugorfilename/", "", "/my-post/"),
    ("/:filename/", 'slug = "short"', "/my-post/"),
    ("/:contentbasename/", "", "/my-post/"),
    ("/:slugorcontentbasename/", 'slug = "s"', "/s/"),
    ("/:section/:day/:weekday/:yearday/", "", "/posts/30/3/242/"),
    ("/:monthname/:weekdayname/:slug", 'slug = "x"', "/august/wednesday/x/"),  # lower-cased
    ("/:06-:1-:2-:Monday/", 'slug = "x"', "/23-8-30-wednesday/"),  # Go time layouts
    # An escaped colon survives expansion, then Sanitize drops it from constructed paths
    # (permalinks_integration_test.go: "/c\\:d/:slug/" is published at /cd/p2/).
    ("/c\\:d/:slug/", 'slug = "x"', "/cd/x/"),
    ("/:year/:slug", 'url = "/a\\\\:b/:slug/"\nslug = "p1"', "/a:b/p1/"),  # url may hold tokens
    ("/:year/:slug", 'url = "/Kept/As-Written/"', "/Kept/As-Written/"),  # url beats all
    (None, 'url = "/feeds/page.xml"', "/feeds/page.xml"),
])
def test_hugo_permalinks(tmp_path: Path, pattern: str | None, extra: str, expected: str) -> None:
    config = "baseURL = 'https://sam.dev/'\n"
    if pattern is not None:
        config += f"[permalinks]\n  posts = '{pattern}'\n"
    hugo_site(tmp_path, config)
    post = write(tmp_path / "content/posts/my-post.md", HUGO_POST.format(extra=extra))
    assert url_of(post) == "https://sam.dev" + expected


def test_hugo_bundles_and_file_names(tmp_path: Path) -> None:
    hugo_site(tmp_path, "baseURL = 'https://sam.dev/'\n[permalinks.page]\n"
                        "  notes = '/n/:slugorfilename/'\n")
    bundle = write(tmp_path / "content/posts/My Bundle/index.md", '+++\ntitle = "T"\n+++\n')
    spaced = write(tmp_path / "content/posts/Some File.md", '+++\ntitle = "T"\n+++\n')
    note = write(tmp_path / "content/notes/deep/x.md", '+++\ntitle = "T"\n+++\n')
    assert url_of(bundle) == "https://sam.dev/posts/my-bundle/"
    assert url_of(spaced) == "https://sam.dev/posts/some-file/"
    assert url_of(note) == "https://sam.dev/n/x/"  # "notes" also covers nested folders


def test_hugo_sections(tmp_path: Path) -> None:
    hugo_site(tmp_path, "baseURL = 'https://sam.dev/'\n[permalinks]\n"
                        "  docs = '/:sections/:sections[last]/:sections[1:]/:slug/'\n")
    write(tmp_path / "content/docs/guides/_index.md", '+++\ntitle = "Guides"\n+++\n')
    page = write(tmp_path / "content/docs/guides/setup/x.md",
                 '+++\ntitle = "T"\nslug = "s"\n+++\n')
    # docs/guides is a section (it has an _index.md); docs/guides/setup is not.
    assert url_of(page) == "https://sam.dev/docs/guides/guides/guides/s/"


def test_hugo_ugly_urls(tmp_path: Path) -> None:
    hugo_site(tmp_path, "baseURL = 'https://sam.dev/'\nuglyURLs = true\n")
    post = write(tmp_path / "content/posts/my-post.md", '+++\ntitle = "T"\n+++\n')
    assert url_of(post) == "https://sam.dev/posts/my-post.html"
    write(tmp_path / "hugo.toml", "baseURL = 'https://sam.dev/'\nuglyURLs = true\n"
                                  "[permalinks]\n  posts = '/:year/:slug/'\n")
    write(post, '+++\ntitle = "T"\ndate = 2024-01-01\n+++\n')
    assert url_of(post) == "https://sam.dev/2024/t.html"


def test_hugo_disable_path_to_lower(tmp_path: Path) -> None:
    hugo_site(tmp_path, "baseURL = 'https://sam.dev/'\ndisablePathToLower = true\n")
    post = write(tmp_path / "content/Posts/My Post.md", '+++\ntitle = "T"\n+++\n')
    assert url_of(post) == "https://sam.dev/Posts/My-Post/"


def test_hugo_base_path(tmp_path: Path) -> None:
    hugo_site(tmp_path, "baseURL = 'https://sam.dev/blog/'\n")
    post = write(tmp_path / "content/posts/a.md", '+++\ntitle = "A"\nurl = "/about/"\n+++\n')
    site = Site.discover(post)
    assert site.base_path == "/blog"
    assert site.canonical_url(site.load(post)) == "https://sam.dev/blog/about/"


def test_hugo_yaml_front_matter_keys_are_case_insensitive(tmp_path: Path) -> None:
    hugo_site(tmp_path)
    post = write(tmp_path / "content/posts/a.md", "---\nTitle: A\nSlug: The-Slug\n---\n")
    assert url_of(post) == "https://sam.dev/posts/the-slug/"


def test_hugo_unknown_token(tmp_path: Path) -> None:
    hugo_site(tmp_path, "baseURL = 'https://sam.dev/'\n[permalinks]\n  posts = '/:nope/'\n")
    post = write(tmp_path / "content/posts/a.md", '+++\ntitle = "A"\n+++\n')
    with pytest.raises(ConfigError, match="unknown token :nope"):
        url_of(post)


def test_hugo_post_paths_skip_sections_and_bundle_resources(tmp_path: Path) -> None:
    hugo_site(tmp_path)
    write(tmp_path / "content/_index.md", "")
    write(tmp_path / "content/posts/_index.md", "")
    write(tmp_path / "content/posts/a.md", "")
    write(tmp_path / "content/posts/b/index.md", "")
    write(tmp_path / "content/posts/b/notes.md", "")  # a resource of bundle b
    write(tmp_path / "public/posts/a.md", "")
    site = Site.discover(tmp_path / "content/posts/a.md")
    names = [p.relative_to(site.root).as_posix() for p in site.post_paths()]
    assert names == ["content/posts/a.md", "content/posts/b/index.md"]


def test_settings_posts_globs(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "crosspost.toml", 'url = "https://a.dev"\nposts = ["essays/*.md"]\n')
    write(tmp_path / "essays/one.md", "# One\n")
    write(tmp_path / "README.md", "# Readme\n")
    write(tmp_path / "node_modules/x/y.md", "")
    site = Site.discover(tmp_path / "essays/one.md")
    assert [p.name for p in site.post_paths()] == ["one.md"]


def test_plain_post_paths_skip_build_and_hidden_folders(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "crosspost.toml", "")
    for name in ("a.md", "sub/b.markdown", ".crosspost/j.md", "_site/c.md", ".hidden/d.md",
                 "node_modules/e.md", "public/f.md", "notes.txt"):
        write(tmp_path / name, "")
    site = Site.discover(tmp_path / "a.md")
    assert [p.relative_to(site.root).as_posix() for p in site.post_paths()] == [
        "a.md", "sub/b.markdown"]


# -- absolute_url ---------------------------------------------------------------------------


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


# -- local files and published URLs ---------------------------------------------------------


def test_local_file_in_the_jekyll_example(examples: Path) -> None:
    post_path = examples / "jekyll-site/_posts/2024-03-09-a-toolbox-for-technical-posts.md"
    site = Site.discover(post_path)
    post = site.load(post_path)
    image = (examples / "jekyll-site/assets/img/calibration-curve.png").resolve()
    for ref in ("assets/img/calibration-curve.png", "assets/img/calibration-curve.png?v=2",
                "/assets/img/calibration-curve.png",
                "https://jane-doe.github.io/assets/img/calibration-curve.png",
                "http://www.jane-doe.github.io/assets/img/calibration-curve.png#x",
                "//jane-doe.github.io/assets/img/calibration-curve.png"):
        assert site.local_file(ref, post=post) == image, ref
    for ref in ("assets/img/missing.png", "https://other.org/assets/img/calibration-curve.png",
                "../../../../../../etc/passwd", "../_config.yml/x", "#top", "", "mailto:x@y.z"):
        assert site.local_file(ref, post=post) is None, ref
    assert site.published_url("assets/img/calibration-curve.png?v=2", post=post) == (
        "https://jane-doe.github.io/assets/img/calibration-curve.png?v=2")
    assert site.published_url("2023-11-02-six-months-of-forecasting.md#habits", post=post) == (
        "https://jane-doe.github.io/blog/2023/six-months-of-forecasting/#habits")
    assert site.published_url("missing.png", post=post) == (
        "https://jane-doe.github.io/blog/2024/a-toolbox-for-technical-posts/missing.png")


def test_every_local_image_of_the_examples_exists(examples: Path) -> None:
    jekyll = Site.discover(examples / "jekyll-site/_config.yml")
    toolbox = jekyll.load(jekyll.root / "_posts/2024-03-09-a-toolbox-for-technical-posts.md")
    for ref in ("assets/img/reliability-diagram.svg", "/assets/img/brier-scores.webp",
                "/assets/img/forecast-desk.jpg", "assets/audio/kitchen-timer.wav",
                "assets/jupyter/brier-week.ipynb"):
        assert jekyll.local_file(ref, post=toolbox) is not None, ref
    assert (jekyll.root / "_bibliography/papers.bib").is_file()


def test_local_file_in_a_hugo_bundle_and_static(examples: Path) -> None:
    bundle_path = examples / "hugo-site/content/posts/bundle-post/index.md"
    site = Site.discover(bundle_path)
    bundle = site.load(bundle_path)
    crumb = bundle_path.parent.resolve() / "sourdough-crumb.png"
    assert site.local_file("sourdough-crumb.png", post=bundle) == crumb
    assert site.local_file(
        "/2024/05/reading-the-crumb-what-the-holes-tell-you/sourdough-crumb.png",
        post=bundle) == crumb
    jar = (examples / "hugo-site/static/images/starter-jar.jpg").resolve()
    assert site.local_file("/images/starter-jar.jpg", post=bundle) == jar
    assert site.published_url("sourdough-crumb.png", post=bundle) == (
        "https://sam-baker.dev/2024/05/reading-the-crumb-what-the-holes-tell-you/"
        "sourdough-crumb.png")
    assert site.published_url("/images/starter-jar.jpg", post=bundle) == (
        "https://sam-baker.dev/images/starter-jar.jpg")
    assert site.file_url(jar) == "https://sam-baker.dev/images/starter-jar.jpg"


def test_local_file_drops_the_base_path(tmp_path: Path, blog: Site) -> None:
    image = write(tmp_path / "assets/x y.png", "png")
    post = blog.load(tmp_path / "_posts/2023-08-30-x.md")
    assert blog.local_file("/blog/assets/x%20y.png", post=post) == image.resolve()
    assert blog.local_file("{{ site.baseurl }}/assets/x.png", post=post) is None
    assert blog.file_url(image) == "https://jane.github.io/blog/assets/x%20y.png"
    assert blog.file_url(tmp_path / "_posts/2023-08-30-x.md") is None


# -- finding posts --------------------------------------------------------------------------


def test_find_post_jekyll_example(examples: Path) -> None:
    site = Site.discover(examples / "jekyll-site/_config.yml")
    toolbox = site.load(site.root / "_posts/2024-03-09-a-toolbox-for-technical-posts.md")
    target = site.root / "_posts/2023-06-12-calibration-training-notes.md"
    by_post_url = site.find_post("2023-06-12-calibration-training-notes", kind="post_url")
    by_link = site.find_post("_posts/2023-06-12-calibration-training-notes.md", kind="link")
    assert by_post_url is not None
    assert by_link is not None
    assert by_post_url.path == by_link.path == target.resolve()
    assert by_post_url is by_link  # cached
    assert "lesswrong" in by_post_url.crosspost
    relative = site.find_post("2023-11-02-six-months-of-forecasting.md", kind="relative",
                              relative_to=toolbox)
    assert relative is not None
    assert relative.path.name == "2023-11-02-six-months-of-forecasting.md"
    assert site.find_post("2023-06-12-nope", kind="post_url") is None
    assert site.find_post("not-a-post-name", kind="post_url") is None
    assert site.find_post("_posts/missing.md", kind="link") is None
    assert site.find_post("../../../../etc/hosts.md", kind="relative", relative_to=toolbox) is None


def test_post_url_with_folders(tmp_path: Path) -> None:
    # post_url.rb: "sub/2023-…" matches _posts/sub/2023-… and sub/_posts/2023-….
    jekyll_site(tmp_path)
    below = write(tmp_path / "_posts/travel/2023-08-30-lisbon.md", "# L\n")
    above = write(tmp_path / "essays/_posts/2023-09-01-on-maps.md", "# M\n")
    site = Site.discover(below)
    found_below = site.find_post("travel/2023-08-30-lisbon", kind="post_url")
    found_above = site.find_post("essays/2023-09-01-on-maps", kind="post_url")
    assert found_below is not None
    assert found_below.path == below.resolve()
    assert found_above is not None
    assert found_above.path == above.resolve()
    assert site.find_post("2023-08-30-lisbon", kind="post_url") is None  # folder is required


@pytest.mark.parametrize(("ref", "kind", "expected"), [
    ("hydration-math.md", "ref", "hydration-math.md"),
    ("hydration-math", "relref", "hydration-math.md"),
    ("/posts/hydration-math", "ref", "hydration-math.md"),
    ("posts/hydration-math.md", "ref", "hydration-math.md"),
    ("posts/hydration-math.md#the-function", "relref", "hydration-math.md"),
    ("bundle-post", "relref", "bundle-post/index.md"),
    ("/posts/bundle-post/", "ref", "bundle-post/index.md"),
    ("posts/bundle-post/index.md", "ref", "bundle-post/index.md"),
    ('"starter-maintenance.md"', "ref", "starter-maintenance.md"),
    ("./about-this-notebook.md", "ref", "about-this-notebook.md"),
    ("./nope.md", "ref", None),
    ("nothing-here", "ref", None),
])
def test_hugo_ref(examples: Path, ref: str, kind: str, expected: str | None) -> None:
    site = Site.discover(examples / "hugo-site/hugo.toml")
    starter = site.load(site.root / "content/posts/starter-maintenance.md")
    found = site.find_post(ref, kind=kind, relative_to=starter)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert found.path == (site.root / "content/posts" / expected).resolve()


def test_hugo_ref_from_inside_a_bundle(examples: Path) -> None:
    site = Site.discover(examples / "hugo-site/hugo.toml")
    bundle = site.load(site.root / "content/posts/bundle-post/index.md")
    found = site.find_post("starter-maintenance.md", kind="ref", relative_to=bundle)
    assert found is not None
    assert found.path.name == "starter-maintenance.md"


def test_hugo_ambiguous_name(tmp_path: Path) -> None:
    hugo_site(tmp_path)
    write(tmp_path / "content/a/same.md", "")
    write(tmp_path / "content/b/same.md", "")
    site = Site.discover(tmp_path / "hugo.toml")
    assert site.find_post("same.md", kind="ref") is None
    found = site.find_post("b/same.md", kind="ref")
    assert found is not None
    assert found.path.parent.name == "b"


def test_unknown_reference_kind(blog: Site) -> None:
    with pytest.raises(ValueError, match="unknown reference kind"):
        blog.find_post("x", kind="wikilink")


# -- post_for_url ---------------------------------------------------------------------------


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


def test_sibling_index_is_built_once_and_fast(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://j.dev\npermalink: /:year/:title/\n")
    for i in range(1000):
        write(tmp_path / f"_posts/2023-{1 + i % 12:02d}-{1 + i % 28:02d}-post-{i}.md",
              f"---\ntitle: Post {i}\ntags: [a, b]\ncrosspost:\n  lesswrong: {{}}\n---\n"
              f"Body of post {i}.\n")
    started = time.perf_counter()
    site = Site.discover(tmp_path / "_posts/2023-01-01-post-0.md")
    assert site._posts == {}
    first = site.post_for_url("https://j.dev/2023/post-999/")
    index = site._url_index
    for i in range(1000):
        assert site.post_for_url(f"https://j.dev/2023/post-{i}/") is not None
    elapsed = time.perf_counter() - started
    assert first is not None
    assert first.title == "Post 999"
    assert site._url_index is index  # not rebuilt per call
    assert elapsed < 2.0, f"1000 posts took {elapsed:.2f}s"


# -- is the post live? ---------------------------------------------------------------------------

# 2024-03-09 10:00 UTC; the sites below set their time zone, so nothing depends on the machine.
NOW = dt.datetime(2024, 3, 9, 10, 0, tzinfo=dt.UTC)


def reason(path: Path, now: dt.datetime = NOW) -> str | None:
    site = Site.discover(path)
    return site.unpublished_reason(site.load(path), now=now)


def test_jekyll_live_posts_and_pages(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://jane.github.io\ntimezone: UTC\n")
    today = write(tmp_path / "_posts/2024-03-09-today.md", "---\ntitle: T\n---\n")
    past = write(tmp_path / "_posts/2023-01-01-past.md", "---\ntitle: T\npublished: true\n---\n")
    page = write(tmp_path / "about.md", "---\ntitle: About\ndate: 2099-01-01\n---\n")
    assert reason(today) is None  # a date alone has arrived on its day
    assert reason(past) is None
    assert reason(page) is None  # pages have no date that hides them


@pytest.mark.parametrize(("name", "front", "expected"), [
    ("2024-03-10-tomorrow.md", "", "dated 2024-03-10, in the future"),
    ("2024-03-01-x.md", "date: 2024-03-09 10:30:00 +0000\n", "in the future"),
    ("2024-03-01-x.md", "date: 2024-03-09T11:00:00\n", "in the future"),  # naive: the site's
    ("2023-01-01-off.md", "published: false\n", "`published: false`"),
    ("2023-01-01-nil.md", "published:\n", "`published: false`"),  # nil hides it too
])
def test_jekyll_unpublished_posts(tmp_path: Path, name: str, front: str, expected: str) -> None:
    jekyll_site(tmp_path, "url: https://jane.github.io\ntimezone: UTC\n")
    post = write(tmp_path / "_posts" / name, f"---\ntitle: T\n{front}---\n")
    found = reason(post)
    assert expected in (found or "")


def test_jekyll_times_are_read_in_the_site_time_zone(tmp_path: Path) -> None:
    # 10:00 UTC is 19:00 in Tokyo: a post at 18:00 (Tokyo, written without a zone) is live,
    # one dated the next day is not, even though it is still 2024-03-09 in UTC.
    jekyll_site(tmp_path, "url: https://jane.github.io\ntimezone: Asia/Tokyo\n")
    evening = write(tmp_path / "_posts/2024-03-09-a.md", "---\ntitle: T\ndate: 2024-03-09 18:00\n---\n")
    late = write(tmp_path / "_posts/2024-03-09-b.md", "---\ntitle: T\ndate: 2024-03-09 20:00\n---\n")
    assert reason(evening) is None
    assert reason(late) is not None
    tomorrow = dt.datetime(2024, 3, 9, 16, 0, tzinfo=dt.UTC)  # already the 10th in Tokyo
    assert reason(write(tmp_path / "_posts/2024-03-10-c.md", "---\ntitle: T\n---\n"),
                  tomorrow) is None


def test_jekyll_settings_lift_the_rules(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://jane.github.io\ntimezone: UTC\nfuture: true\n"
                          "unpublished: true\nshow_drafts: true\n")
    assert reason(write(tmp_path / "_posts/2099-01-01-later.md", "---\ntitle: T\n---\n")) is None
    assert reason(write(tmp_path / "_posts/2023-01-01-off.md",
                        "---\ntitle: T\npublished: false\n---\n")) is None
    assert reason(write(tmp_path / "_drafts/idea.md", "---\ntitle: T\n---\n")) is None


def test_jekyll_front_matter_defaults_can_unpublish(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://jane.github.io\ndefaults:\n  - scope: {path: _posts/wip}\n"
                          "    values: {published: false}\n")
    hidden = write(tmp_path / "_posts/wip/2023-01-01-x.md", "---\ntitle: T\n---\n")
    shown = write(tmp_path / "_posts/2023-01-01-y.md", "---\ntitle: T\n---\n")
    assert reason(hidden) == "it is marked `published: false`"
    assert reason(shown) is None


def test_jekyll_drafts_are_not_live_and_get_todays_url(tmp_path: Path) -> None:
    jekyll_site(tmp_path, "url: https://jane.github.io\npermalink: /:categories/:year/:month/:title/\n")
    draft = write(tmp_path / "_drafts/big-idea.md", "---\ntitle: T\n---\n")
    nested = write(tmp_path / "notes/_drafts/small-idea.md", "---\ntitle: T\n---\n")
    dated = write(tmp_path / "_drafts/dated.md", "---\ntitle: T\ndate: 2023-05-06\n---\n")
    found = reason(draft)
    assert "draft" in (found or "")
    assert "_drafts/" in (found or "")
    today = dt.datetime.now().astimezone().date()
    month = f"{today.year}/{today.month:02d}"
    assert url_of(draft) == f"https://jane.github.io/{month}/big-idea/"  # no /_drafts/
    assert url_of(nested) == f"https://jane.github.io/notes/{month}/small-idea/"
    assert url_of(dated) == "https://jane.github.io/2023/05/dated/"


@pytest.mark.parametrize(("front", "expected"), [
    ("draft = true", "`draft: true`"),
    ("draft = 'true'", "`draft: true`"),
    ("date = 2024-03-10", "publish date 2024-03-10 is in the future"),
    ("date = 2024-03-01\npublishDate = 2024-03-09T10:30:00Z", "is in the future"),
    ("date = 2024-03-01\npublishDate = 2024-03-09T11:00:00", "is in the future"),  # UTC
    ("date = 2024-03-01\nexpiryDate = 2024-03-09", "expired on 2024-03-09"),
    ("date = 2024-03-01\nunpublishdate = 2024-03-09T09:00:00Z", "expired"),
    ("[build]\n  render = 'never'", "no page"),
    ("[_build]\n  render = false", "no page"),
])
def test_hugo_unpublished_pages(tmp_path: Path, front: str, expected: str) -> None:
    hugo_site(tmp_path)
    post = write(tmp_path / "content/posts/p.md", f"+++\ntitle = 'T'\n{front}\n+++\n")
    found = reason(post)
    assert expected in (found or "")


@pytest.mark.parametrize("front", [
    "draft = false", "date = 2024-03-09", "date = 2024-03-01\npublishDate = 2024-03-09T09:00:00",
    "date = 2024-03-20\npublishDate = 2024-03-01",  # the publish date decides, not date
    "date = 2024-03-01\nexpiryDate = 2024-03-10", "date = 2024-03-01\nexpiryDate = 2024-03-09T11:00:00Z",
])
def test_hugo_live_pages(tmp_path: Path, front: str) -> None:
    hugo_site(tmp_path)
    post = write(tmp_path / "content/posts/p.md", f"+++\ntitle = 'T'\n{front}\n+++\n")
    assert reason(post) is None


def test_hugo_build_settings_lift_the_rules(tmp_path: Path) -> None:
    hugo_site(tmp_path, "baseURL = 'https://sam.dev/'\nbuildDrafts = true\nbuildFuture = true\n"
                        "buildExpired = true\n")
    post = write(tmp_path / "content/posts/p.md", "+++\ntitle = 'T'\ndraft = true\n"
                 "date = 2099-01-01\nexpiryDate = 2000-01-01\n+++\n")
    assert reason(post) is None


def test_hugo_time_zone_setting(tmp_path: Path) -> None:
    # Hugo reads a time without a zone in `timeZone` (UTC when unset).
    hugo_site(tmp_path, "baseURL = 'https://sam.dev/'\ntimeZone = 'America/New_York'\n")
    post = write(tmp_path / "content/posts/p.md",
                 "+++\ntitle = 'T'\ndate = 2024-03-09T08:00:00\n+++\n")  # 13:00 UTC
    assert reason(post) is not None
    assert reason(post, dt.datetime(2024, 3, 9, 13, 30, tzinfo=dt.UTC)) is None


@pytest.mark.parametrize(("front", "expected"), [
    ("draft: true\n", "`draft: true`"),
    ("published: false\n", "`published: false`"),
    ("draft: false\n", None),
    ("date: 2099-01-01\n", None),  # a plain folder has no scheduling
])
def test_plain_unpublished(tmp_path: Path, front: str, expected: str | None) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "crosspost.toml", "url = 'https://me.example.org'\n")
    post = write(tmp_path / "p.md", f"---\ntitle: T\n{front}---\n")
    found = reason(post)
    if expected is None:
        assert found is None
    else:
        assert expected in (found or "")
