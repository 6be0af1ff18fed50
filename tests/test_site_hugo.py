"""Hugo sites: discovery, configuration, permalinks, bundles, ``ref``/``relref``, drafts and dates.

Expected URLs were worked out from Hugo's source (gohugoio/hugo), not its docs:
resources/page/permalinks.go and permalinks_test.go (tokens), resources/page/page_paths.go
(CreateTargetPaths: default path, url, ugly URLs, the final MakePathSanitized that
lower-cases), common/paths/path.go (Sanitize), helpers/url.go (URLize, PrependBasePath),
hugolib/pagecollections.go (ref/relref lookup).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crosspost.errors import ConfigError
from crosspost.sites import Site
from tests.site_helpers import hugo_site, reason, url_of, write

# -- discovery and configuration --------------------------------------------------------------


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


# -- permalinks -------------------------------------------------------------------------------


HUGO_POST = ('+++\ntitle = "Hello, World! Ça va?"\ndate = 2023-08-30T10:00:00Z\n'
             '{extra}\n+++\n')


@pytest.mark.parametrize(("pattern", "extra", "expected"), [
    (None, "", "/posts/my-post/"),
    (None, 'slug = "Custom Slug"', "/posts/custom-slug/"),
    # :slug falls back to the title. Hugo writes the folder as "hello-world-ça-va" and its
    # .Permalink with the "ç" escaped in upper-case hex (checked against hugo 0.111).
    ("/:year/:month/:slug/", "", "/2023/08/hello-world-%C3%A7a-va/"),
    ("/:year/:month/:slug/", 'slug = "short"', "/2023/08/short/"),
    ("/:title/", 'slug = "short"', "/hello-world-%C3%A7a-va/"),
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
    # Hugo puts `url` below the base path even when it starts with it (hugo 0.111 writes
    # public/blog/x/index.html and links it as /blog/blog/x/).
    again = write(tmp_path / "content/posts/b.md", '+++\ntitle = "B"\nurl = "/blog/x/"\n+++\n')
    assert site.canonical_url(site.load(again)) == "https://sam.dev/blog/blog/x/"
    assert site.post_for_url("https://sam.dev/blog/blog/x/") is not None


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


# -- local files and published URLs -----------------------------------------------------------


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


# -- ref and relref ---------------------------------------------------------------------------


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


# -- is the page live? ------------------------------------------------------------------------


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


def test_a_page_in_a_disabled_language_is_not_published(tmp_path: Path) -> None:
    # Checked with hugo 0.111: it builds no page for a language in `disableLanguages` or
    # with `disabled = true`, and the default language's page still is built.
    hugo_site(tmp_path, "baseURL = 'https://sam.dev/'\ndisableLanguages = ['de']\n"
                        "[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\ndisabled = true\n"
                        "[languages.de]\nweight = 3\n")
    page = "+++\ntitle = 'A'\ndate = 2024-01-01\n+++\nHi\n"
    assert reason(write(tmp_path / "content/posts/a.md", page)) is None
    assert "`fr` is disabled" in (reason(write(tmp_path / "content/posts/a.fr.md", page)) or "")
    assert "`de` is disabled" in (reason(write(tmp_path / "content/posts/a.de.md", page)) or "")
