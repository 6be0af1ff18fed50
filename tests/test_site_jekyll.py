"""Jekyll sites: discovery, permalinks, files, ``post_url``/``link``, drafts and future posts.

Expected URLs were worked out from Jekyll's source (jekyll/jekyll), not its docs:
lib/jekyll/drops/url_drop.rb (placeholders), lib/jekyll/url.rb (generate_url_from_drop,
sanitize_url, escape_path), lib/jekyll/document.rb (categories_from_path,
populate_categories, populate_title), lib/jekyll/utils.rb (slugify, add_permalink_suffix),
lib/jekyll/configuration.rb (STYLE_TO_PERMALINK), lib/jekyll/tags/post_url.rb (PostComparer).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crosspost.errors import ConfigError
from crosspost.sites import Site
from crosspost.sites.jekyll import slugify as jekyll_slugify
from tests.site_helpers import jekyll_site, reason, url_of, write

# -- discovery --------------------------------------------------------------------------------


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


# -- permalinks -------------------------------------------------------------------------------


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


def test_jekyll_baseurl_is_always_prepended(tmp_path: Path) -> None:
    # jekyll 4.3: baseurl /blog + permalink /blog/:year/:title/ builds _site/blog/2023/x/,
    # which the site serves (and links with relative_url) at /blog/blog/2023/x/.
    jekyll_site(tmp_path, "url: https://jane.github.io\nbaseurl: /blog\n"
                          "permalink: /blog/:year/:title/\n")
    post = write(tmp_path / "_posts/2023-08-30-x.md", "---\n---\n")
    site = Site.discover(post)
    assert site.canonical_url(site.load(post)) == "https://jane.github.io/blog/blog/2023/x/"
    found = site.post_for_url("https://jane.github.io/blog/blog/2023/x/")
    assert found is not None
    assert found.path == post.resolve()
    # Links written by hand may hold the base path already: it is not doubled there.
    assert site.absolute_url("/blog/assets/a.png") == "https://jane.github.io/blog/assets/a.png"


@pytest.mark.parametrize(("zone", "date", "expected"), [
    # 23:30 at -08:00 is 02:30 the next day in New York: Jekyll formats the site's local time.
    ("America/New_York", "2024-03-05 23:30:00 -0800", "/2024/03/06/x/"),
    ("America/Los_Angeles", "2024-03-05 23:30:00 -0800", "/2024/03/05/x/"),
    ("Asia/Tokyo", "2024-12-31T20:00:00Z", "/2025/01/01/x/"),
    ("UTC", "2024-03-05 23:30:00 -0800", "/2024/03/06/x/"),
    # A time without a zone is already the site's.
    ("America/New_York", "2024-03-05 23:30:00", "/2024/03/05/x/"),
    ("Asia/Tokyo", "2024-03-05", "/2024/03/05/x/"),
])
def test_jekyll_dates_are_in_the_site_time_zone(tmp_path: Path, zone: str, date: str,
                                                 expected: str) -> None:
    jekyll_site(tmp_path, f"url: https://j.dev\ntimezone: {zone}\n"
                          "permalink: /:year/:month/:day/:title/\n")
    post = write(tmp_path / "_posts/2024-03-01-x.md", f"---\ndate: {date}\n---\n")
    assert url_of(post) == "https://j.dev" + expected


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


# -- local files and published URLs -----------------------------------------------------------


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


# -- post_url and link ------------------------------------------------------------------------


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


# -- is the post live? ------------------------------------------------------------------------


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


# -- collections_dir ----------------------------------------------------------------------------


def test_collections_dir_holds_the_posts(tmp_path: Path) -> None:
    """Posts, drafts and collections are read under ``collections_dir`` only; documents are
    named by their path inside it (the conformance tests build such a site for real)."""
    jekyll_site(tmp_path, "url: https://coll.dev\ncollections_dir: /my_collections/\n"
                          "collections:\n  projects:\n    output: true\n")
    inside = write(tmp_path / "my_collections/_posts/2024-01-02-in.md", "---\ntitle: In\n---\n"
                   "[p]({% link _projects/p1.md %}) [i]({% post_url 2024-01-02-in %})\n")
    project = write(tmp_path / "my_collections/_projects/p1.md", "---\ntitle: P\n---\n")
    outside = write(tmp_path / "_posts/2024-01-03-out.md", "---\ntitle: Out\n---\n")
    site = Site.discover(inside)
    assert site.post_paths() == [inside.resolve()]
    assert url_of(inside) == "https://coll.dev/2024/01/02/in.html"
    assert url_of(project) == "https://coll.dev/projects/p1.html"
    assert reason(outside) == ("it is outside `collections_dir` (my_collections/): Jekyll reads "
                               "posts only from my_collections/_posts/")
    assert site.find_post("_projects/p1.md", kind="link") == site.load(project)
    assert site.find_post("2024-01-02-in", kind="post_url") == site.load(inside)
    place = site.new_post_place("new", dt.datetime(2024, 5, 6, 12, tzinfo=dt.UTC),
                                site.default_conventions())
    assert place.path == site.root / "my_collections/_posts/2024-05-06-new.md"
