"""Conformance with the real generators: crosspost's URLs are pages Jekyll and Hugo built.

A handful of small sites (many posts each) are built once per session with Debian's
``jekyll`` (4.3) and ``hugo`` (0.111) (see tests/generators.py). Then, for every post:

- if crosspost says the generator publishes it, the page at crosspost's canonical URL was
  built, is that post's page (it carries the post's marker), and names the same URL as its
  own canonical link (Jekyll's ``page.url | absolute_url``, Hugo's ``.Permalink``);
- if crosspost says it does not (a draft, a future or expired post, ``published: false``),
  no page carries its marker;
- every URL on the site that crosspost's forum rendering of it contains (absolutised images
  and links, sibling posts, the attribution line) is a file the generator produced.

The sites cover Jekyll's permalink styles (``date``, ``pretty``, ``none``, custom ones with
``:categories``/``:slug``/``:title``), ``baseurl``, categories with spaces, ``slug:``, per-post
``permalink:``, ``defaults:`` scopes and ``timezone:``; Hugo's ``[permalinks]`` tokens, a
``baseURL`` with a path, bundles, ``slug``/``url`` front matter, nested sections,
``uglyURLs``, TOML front matter, and multilingual sites (translations by file name, a
content folder per language, a host per language).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosspost.render import render_post
from crosspost.sites import Site
from tests.generators import REQUIRE, Built, SiteSpec, build, require

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def marker(rel: str) -> str:
    """A word only this post's page contains."""
    return "cpmark" + hashlib.sha256(rel.encode()).hexdigest()[:12]


def jekyll_post(rel: str, front: str, body: str = "") -> tuple[str, str]:
    return rel, f"---\n{front}---\n\nThis is {marker(rel)}.\n\n{body}"


def hugo_post(rel: str, front: str, body: str = "", *, toml: bool = True) -> tuple[str, str]:
    fence = "+++" if toml else "---"
    return rel, f"{fence}\n{front}{fence}\n\nThis is {marker(rel)}.\n\n{body}"


JEKYLL_LAYOUT = ('<link rel="canonical" href="{{ page.url | absolute_url }}">\n'
                 "{{ content }}\n")
JEKYLL_DEFAULTS = "defaults:\n  - scope: {path: \"\"}\n    values: {layout: default}\n"


def jekyll_site(name: str, config: str, *posts: tuple[str, str], defaults: str = "") -> SiteSpec:
    files: dict[str, str | bytes] = {
        "_config.yml": config + JEKYLL_DEFAULTS + defaults,
        "_layouts/default.html": JEKYLL_LAYOUT,
        "assets/img/chart.png": PNG,
        "assets/img/two words.png": PNG,
    }
    files.update(dict(posts))
    return SiteSpec(name, "jekyll", files)


JEKYLL_DATE = jekyll_site(
    "jekyll-date",
    "title: Jane's notes\nurl: https://jane.github.io\nbaseurl: /blog\npermalink: date\n"
    "timezone: America/New_York\n",
    jekyll_post("_posts/2024-01-02-hello-world.md",
                "title: Hello\ncategories: [AI, Machine Learning]\n",
                "![chart](/assets/img/chart.png)\n\n"
                "[the late one]({% post_url 2024-03-05-late-night %}) and "
                "[the café](2024-02-01-über-café.md).\n\n"
                "<p>An HTML paragraph.</p>\n![right after](/assets/img/chart.png)\n"),
    jekyll_post("_posts/2024-03-05-late-night.md",
                "title: Late\ndate: 2024-03-05 23:30:00 -0800\n",
                "![liquid]({{ '/assets/img/chart.png' | relative_url }})\n\n"
                "![spaces](/assets/img/two%20words.png)\n"),
    jekyll_post("_posts/2024-02-01-über-café.md", "title: Café\ncategory: Deep Thoughts\n"),
    jekyll_post("_posts/2024-02-02-file-name.md", "title: Slugged\nslug: Custom Slug\n"),
    jekyll_post("_posts/2024-02-03-own-permalink.md",
                "title: Own\npermalink: /blog/:year/:title/\n"),
    jekyll_post("_posts/2024-02-04-own-categories.md",
                "title: Own 2\ncategories: Essays Long\npermalink: /writing/:categories/:slug.html\n"),
    jekyll_post("_posts/projects/2024-02-05-scoped.md", "title: Scoped\n"),
    jekyll_post("_posts/wip/2024-02-06-hidden.md", "title: Hidden\n"),
    jekyll_post("_posts/2024-02-07-unpublished.md", "title: Off\npublished: false\n"),
    jekyll_post("_posts/2099-01-01-future.md", "title: Future\n"),
    jekyll_post("_posts/2024-02-08-zoned.md", "title: Zoned\ndate: 2024-02-08T03:00:00Z\n"),
    jekyll_post("notes/_posts/2024-02-09-in-a-folder.md", "title: Folder\n"),
    jekyll_post("_drafts/an-idea.md", "title: Idea\n"),
    defaults="  - scope: {path: \"_posts/projects\", type: posts}\n"
             "    values: {permalink: \"/projects/:title/\"}\n"
             "  - scope: {path: \"_posts/wip\"}\n    values: {published: false}\n"
             "  - scope: {path: \"notes\", type: posts}\n    values: {category: Field Notes}\n",
)

JEKYLL_PRETTY = jekyll_site(
    "jekyll-pretty",
    "title: Sam\nurl: https://sam.dev\npermalink: pretty\ntimezone: UTC\n",
    jekyll_post("_posts/2023-05-02-My Trip Notes.md", "title: Trip\ncategories: \"Long Reads\"\n",
                "![pic](</assets/img/two words.png>)\n\n[pretty]({% post_url travel/2023-05-01-lisbon %})\n"),
    jekyll_post("travel/_posts/2023-05-01-lisbon.md", "title: Lisbon\ncategories: [Portugal]\n"),
    jekyll_post("_posts/archive/2023-05-03-archived.md", "title: Archived\n"),
    jekyll_post("_posts/2023-05-04-own.md", "title: Own\npermalink: /about/:title\n"),
    jekyll_post("_posts/2023-05-05-dated.md", "title: Dated\ndate: 2023-05-05 23:59:59 +0200\n"),
)

JEKYLL_NONE = jekyll_site(
    "jekyll-none",
    "title: None\nurl: https://none.dev/\nbaseurl: /docs/\npermalink: none\n",
    jekyll_post("_posts/2022-01-01-first.md", "title: First\ncategories: [Guides, How To]\n",
                "[next]({% link _posts/2022-01-02-second.md %})\n"),
    jekyll_post("_posts/2022-01-02-second.md", "title: Second\n"),
    jekyll_post("_posts/2022-01-03-Mixed Case.md", "title: Mixed\n"),
)

JEKYLL_CUSTOM = jekyll_site(
    "jekyll-custom",
    "title: Custom\nurl: http://custom.dev\ntimezone: Asia/Tokyo\n"
    "permalink: /:categories/:year/:i_month/:slug/:title/\n",
    jekyll_post("_posts/2021-12-31-new-year.md",
                "title: New Year\ndate: 2021-12-31T20:00:00Z\ncategories: [Big News]\n"),
    jekyll_post("_posts/2021-06-01-Title Case!.md", "title: Case\n"),
    jekyll_post("_posts/2021-06-02-x.md", "title: Slugged\nslug: \"Hello, World!\"\n"),
    jekyll_post("_posts/2021-06-03-short.md", "title: Short\npermalink: /:short_year/:y_day/:name/\n"),
)

# al-folio's collections (`_news`, `_projects`) beside its posts: documents with their own
# permalinks, linked from posts with `{% link %}`; a collection without `output` is not written.
JEKYLL_FOLIO = jekyll_site(
    "jekyll-folio",
    "title: Folio\nurl: https://folio.dev\nbaseurl: /al\npermalink: /blog/:year/:title/\n"
    "collections:\n  news:\n    defaults: {layout: post}\n    output: true\n"
    "  projects:\n    output: true\n    permalink: /projects/:path/\n"
    "  talks:\n    output: true\n    permalink: /talks/:year/:title:output_ext\n"
    "  books:\n    output: false\n",
    jekyll_post("_posts/2024-04-01-with-projects.md", "title: With projects\n",
                "[a project]({% link _projects/1_project.md %}), "
                "[news]({% link _news/announcement_1.md %}) and "
                "[a talk]({% link _talks/2023-04-01-Big Talk.md %}).\n"),
    jekyll_post("_news/announcement_1.md", "title: News\n"),
    jekyll_post("_projects/1_project.md", "title: Project\n"),
    jekyll_post("_projects/group/2_project.md", "title: Grouped\nslug: ignored\n"),
    jekyll_post("_projects/3_own.md", "title: Own\npermalink: /work/:name/\n"),
    jekyll_post("_talks/2023-04-01-Big Talk.md", "title: Talk\n"),
    jekyll_post("_books/a-book.md", "title: Book\n"),
    jekyll_post("_projects/4_hidden.md", "title: Hidden\npublished: false\n"),
    jekyll_post("_notes/not-a-collection.md", "title: Not one\n"),
)

# `collections_dir`: posts, drafts and collections live under one folder; `{% link %}` and
# `defaults:` name documents by their path inside it (a scope may include it); `_posts/` at
# the root is no longer read.
JEKYLL_COLLECTIONS_DIR = jekyll_site(
    "jekyll-collections-dir",
    "title: Coll\nurl: https://coll.dev\ncollections_dir: my_collections\n"
    "permalink: /:categories/:year/:title/\ncollections:\n  projects:\n    output: true\n",
    jekyll_post("my_collections/_posts/2024-01-02-first.md", "title: First\n",
                "[b]({% post_url cat/2024-01-03-second %}), [p]({% link _projects/p1.md %}), "
                "[s]({% link _posts/scoped/2024-01-05-scoped.md %}) ![c](/assets/img/chart.png)\n"),
    jekyll_post("my_collections/cat/_posts/2024-01-03-second.md", "title: Second\n"),
    jekyll_post("my_collections/_posts/scoped/2024-01-05-scoped.md", "title: Scoped\n"),
    jekyll_post("_posts/2024-01-04-outside.md", "title: Outside\n"),
    jekyll_post("my_collections/_projects/p1.md", "title: P\n"),
    jekyll_post("my_collections/_projects/sub/p2.md", "title: P2\n"),
    defaults="  - scope: {path: \"my_collections/_posts/scoped\", type: posts}\n"
             "    values: {permalink: \"/scoped/:title/\"}\n"
             "  - scope: {path: \"_projects/sub\"}\n    values: {permalink: \"/work/:name/\"}\n",
)

HUGO_SINGLE = '<link rel="canonical" href="{{ .Permalink }}">\n{{ .Content }}\n'
HUGO_LIST = "{{ range .Pages }}{{ .Title }}{{ end }}\n"


def hugo_site(name: str, config: dict[str, str], *posts: tuple[str, str],
              static: tuple[str, ...] = (), hosts: dict[str, str] | None = None) -> SiteSpec:
    files: dict[str, str | bytes] = dict(config)
    files["layouts/_default/single.html"] = HUGO_SINGLE
    files["layouts/_default/list.html"] = HUGO_LIST
    files["layouts/index.html"] = HUGO_LIST
    for rel in static:
        files[rel] = PNG
    files.update(dict(posts))
    return SiteSpec(name, "hugo", files, hosts or {})


HUGO_SECTIONS = hugo_site(
    "hugo-sections",
    {"hugo.toml": "baseURL = 'https://sam.dev/notebook/'\ntitle = \"Sam's notebook\"\n"
                  "[permalinks]\n  posts = '/:year/:month/:slug/'\n"
                  "  essays = '/:sections/:filename/'\n"
                  "  notes = '/:section/:monthname-:day/:title/'\n"
                  "  logs = '/:sections[1:]/:yearday/:slugorfilename/'\n"},
    hugo_post("content/posts/first.md", 'title = "First Post"\ndate = 2024-03-05\n',
              "![in static](/images/loaf.png)\n\n"
              '[the bundle]({{< ref "posts/bundle" >}}) and [custom]({{< relref "custom.md" >}})\n'),
    hugo_post("content/posts/uber.md", 'title = "Über Café: ça va?"\ndate = 2024-03-06\n'),
    hugo_post("content/posts/custom.md", 'title = "C"\nslug = "Custom Slug"\ndate = 2024-03-07\n'),
    hugo_post("content/posts/legacy.md", 'title = "Legacy"\nurl = "/notebook/legacy/"\n'),
    hugo_post("content/posts/moved.md", 'title = "Moved"\nurl = "/elsewhere/moved"\n'),
    hugo_post("content/posts/bundle/index.md", 'title = "A Bundle"\ndate = 2024-01-10\n',
              "![photo](photo.png)\n\n![again](/notebook/2024/01/a-bundle/photo.png)\n"),
    hugo_post("content/posts/late.md", 'title = "Late"\ndate = 2024-03-05T23:30:00-08:00\n'),
    hugo_post("content/posts/yaml.md", "title: YAML Post\ndate: 2024-02-02\nslug: yaml-slug\n",
              toml=False),
    hugo_post("content/posts/draft.md", 'title = "Draft"\ndraft = true\ndate = 2024-01-01\n'),
    hugo_post("content/posts/future.md", 'title = "Future"\ndate = 2099-01-01\n'),
    hugo_post("content/posts/expired.md", 'title = "Gone"\ndate = 2020-01-01\n'
                                          'expiryDate = 2021-01-01\n'),
    hugo_post("content/essays/_index.md", 'title = "Essays"\n'),
    hugo_post("content/essays/deep/_index.md", 'title = "Deep"\n'),
    hugo_post("content/essays/deep/Some Thing.md", 'title = "T"\n'),
    hugo_post("content/essays/shallow/x.md", 'title = "X"\n'),
    hugo_post("content/notes/n.md", 'title = "Note Title"\ndate = 2024-07-04\n'),
    hugo_post("content/logs/_index.md", 'title = "Logs"\n'),
    hugo_post("content/logs/2024/_index.md", 'title = "2024"\n'),
    hugo_post("content/logs/2024/entry.md", 'title = "E"\ndate = 2024-02-29\nslug = "leap"\n'),
    hugo_post("content/about.md", 'title = "About"\n'),
    static=("static/images/loaf.png", "content/posts/bundle/photo.png"),
)

HUGO_UGLY = hugo_site(
    "hugo-ugly",
    {"config/_default/hugo.toml": "baseURL = 'https://ugly.dev/'\nuglyURLs = true\n",
     "config/_default/permalinks.toml": "diary = '/:year/:title'\n"},
    hugo_post("content/posts/a.md", 'title = "A"\n', "![b](b/photo.png)\n"),
    hugo_post("content/posts/Some File.md", 'title = "S"\n'),
    hugo_post("content/posts/b/index.md", 'title = "B"\n', "![photo](photo.png)\n"),
    hugo_post("content/diary/d.md", 'title = "Dear Diary"\ndate = 2023-03-03\n'),
    hugo_post("content/top.md", 'title = "Top"\nslug = "Top Slug"\n'),
    static=("content/posts/b/photo.png",),
)

# Translations by file name (`x.fr.md`): Hugo publishes a language other than the default
# below its own folder (/fr/…), resources and all; a `url` is kept as written.
HUGO_LANGUAGES = hugo_site(
    "hugo-languages",
    {"hugo.toml": "baseURL = 'https://multi.dev/site/'\ndefaultContentLanguage = 'en'\n"
                  "[languages.en]\n  weight = 1\n[languages.FR]\n  weight = 2\n"
                  "[permalinks]\n  blog = '/:year/:filename/'\n"},
    hugo_post("content/posts/hello.md", 'title = "Hello"\n',
              '[en français]({{< ref path="/posts/hello" lang="fr" >}})\n'),
    hugo_post("content/posts/hello.fr.md", 'title = "Bonjour"\n',
              '![photo](/img/loaf.png) [le voyage]({{< ref "trip" >}})\n'),
    hugo_post("content/posts/trip/index.fr.md", 'title = "Voyage"\n', "![photo](photo.png)\n"),
    hugo_post("content/posts/trip/index.md", 'title = "Trip"\n', "![photo](photo.png)\n"),
    hugo_post("content/blog/deep.fr.md", 'title = "Profond"\ndate = 2023-03-03\nslug = "p"\n'),
    hugo_post("content/posts/moved.fr.md", 'title = "Moved"\nurl = "/ailleurs/"\n'),
    hugo_post("content/posts/v1.2.md", 'title = "Not a language"\n'),
    static=("static/img/loaf.png", "content/posts/trip/photo.png"),
)

# A content folder per language (`languages.fr.contentDir`): a page's language is its
# folder's, and its path is the one inside that folder.
HUGO_LANGUAGE_DIRS = hugo_site(
    "hugo-language-dirs",
    {"hugo.toml": "baseURL = 'https://dirs.dev/'\ndefaultContentLanguage = 'en'\n"
                  "[languages.en]\n  weight = 1\n  contentDir = 'content/english'\n"
                  "[languages.fr]\n  weight = 2\n  contentDir = 'content/french'\n"
                  "[permalinks]\n  blog = '/:year/:filename/'\n"},
    hugo_post("content/english/posts/hello.md", 'title = "Hello"\n',
              '[en français]({{< ref path="/posts/hello" lang="fr" >}})\n'),
    hugo_post("content/french/posts/hello.md", 'title = "Bonjour"\n',
              '[le voyage]({{< ref "trip" >}}) ![photo](/img/loaf.png)\n'),
    hugo_post("content/french/posts/trip/index.md", 'title = "Voyage"\n', "![photo](photo.png)\n"),
    hugo_post("content/french/blog/_index.md", 'title = "Blog"\n'),
    hugo_post("content/french/blog/deep.md", 'title = "Profond"\ndate = 2023-03-03\n'),
    hugo_post("content/english/about.md", 'title = "About"\n'),
    static=("static/img/loaf.png", "content/french/posts/trip/photo.png"),
)

# A host per language (`languages.fr.baseURL`): each language is a site of its own at its
# URL, with no /fr/ prefix (not even under defaultContentLanguageInSubdir) and no use for the
# top-level baseURL; Hugo builds language `fr` into public/fr/, static files and all.
HUGO_MULTIHOST = hugo_site(
    "hugo-multihost",
    {"hugo.toml": "baseURL = 'https://unused.dev/'\ndefaultContentLanguage = 'en'\n"
                  "defaultContentLanguageInSubdir = true\n"
                  "[languages.en]\n  weight = 1\n  baseURL = 'https://multi.dev/'\n"
                  "[languages.fr]\n  weight = 2\n  baseURL = 'https://fr.multi.dev/blog/'\n"
                  "  title = 'Carnet'\n[permalinks]\n  blog = '/:year/:filename/'\n"},
    hugo_post("content/posts/hello.md", 'title = "Hello"\n',
              '[en français]({{< ref path="/posts/hello" lang="fr" >}}) ![photo](/img/loaf.png) '
              "[the other](other.md) [myself](https://multi.dev/posts/hello/)\n"),
    hugo_post("content/posts/hello.fr.md", 'title = "Bonjour"\n',
              '![photo](/img/loaf.png) [le voyage]({{< ref "trip" >}}) '
              '[in English]({{< relref path="/posts/hello" lang="en" >}}) '
              "[profond](/2023/deep/) [moi](https://fr.multi.dev/blog/posts/hello/)\n"),
    hugo_post("content/posts/trip/index.fr.md", 'title = "Voyage"\n',
              "![photo](photo.png) ![encore](/blog/posts/trip/photo.png)\n"),
    hugo_post("content/posts/trip/index.md", 'title = "Trip"\n', "![photo](photo.png)\n"),
    hugo_post("content/posts/other.md", 'title = "Other"\n', "[back](/posts/hello/)\n"),
    hugo_post("content/blog/deep.fr.md", 'title = "Profond"\ndate = 2023-03-03\n'),
    hugo_post("content/posts/moved.fr.md", 'title = "Moved"\nurl = "/ailleurs/"\n'),
    static=("static/img/loaf.png", "content/posts/trip/photo.png"),
    hosts={"https://multi.dev": "en", "https://fr.multi.dev/blog": "fr"},
)

SITES = [JEKYLL_DATE, JEKYLL_PRETTY, JEKYLL_NONE, JEKYLL_CUSTOM, JEKYLL_FOLIO,
         JEKYLL_COLLECTIONS_DIR, HUGO_SECTIONS, HUGO_UGLY, HUGO_LANGUAGES, HUGO_LANGUAGE_DIRS,
         HUGO_MULTIHOST]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    return build(SITES, tmp_path_factory.mktemp("conformance"))


def posts_of(built: Built) -> Iterator[tuple[Site, Path, str]]:
    """Every post of the site, and every other Markdown document of the spec (a Jekyll
    collection's, a page): an author may publish any of them, and posts link to them."""
    site = Site.discover(next(iter(built.root.glob("*.*"))))
    paths = site.post_paths()
    others = [built.root / rel for rel in built.spec.files
              if rel.endswith(".md") and built.root / rel not in paths
              and any(part.startswith("_") for part in rel.split("/")[:-1])
              and "_drafts" not in rel.split("/")]
    for path in [*paths, *others]:
        yield site, path, path.relative_to(built.root).as_posix()


_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)">')
# A URL in the rendered Markdown: in angle brackets (it may hold spaces) or bare.
_URL = re.compile(r"<(https?://[^>\n]+)>|(https?://[^\s()<>\[\]\"']+)")
_RELATIVE = re.compile(r"\]\((?!<?https?://|#|mailto:)[^)\s]*")


@pytest.mark.parametrize("spec", SITES, ids=lambda s: s.name)
def test_canonical_urls_are_pages_the_generator_built(spec: SiteSpec, built: dict[str, Built]) -> None:
    site_built = built[spec.name]
    pages = {p: p.read_text(encoding="utf-8") for p in site_built.output.rglob("*.html")}
    checked, problems = 0, list[str]()
    for site, path, rel in posts_of(site_built):
        post = site.load(path)
        url = site.canonical_url(post)
        carrying = [p for p, text in pages.items() if marker(rel) in text]
        if site.unpublished_reason(post) is not None:
            if carrying:
                problems.append(f"{rel}: crosspost says it is not published, but "
                                f"{spec.generator} built {carrying[0]}")
            checked += 1
            continue
        page = site_built.page(url, site.require_url())
        if page is None:
            problems.append(f"{rel}: {url} is no page {spec.generator} built "
                            f"(its page: {[str(p.relative_to(site_built.output)) for p in carrying]})")
        elif marker(rel) not in pages.get(page, ""):
            problems.append(f"{rel}: {url} is another post's page ({page})")
        else:
            own = _CANONICAL.search(pages[page])
            # Jekyll joins a `url:` ending in "/" and the path with two slashes: same page.
            if own is None or re.sub(r"(?<!:)//+", "/", own.group(1)) != url:
                problems.append(f"{rel}: crosspost says {url}, {spec.generator} says "
                                f"{own.group(1) if own else None}")
        checked += 1
    assert not problems, "\n".join(problems)
    assert checked == len([f for f in spec.files if f.endswith(".md") and "_index" not in f
                           and not f.startswith("_drafts/")]), "every post was checked"


@pytest.mark.parametrize("spec", SITES, ids=lambda s: s.name)
def test_absolutised_links_and_images_are_built_files(spec: SiteSpec, built: dict[str, Built]) -> None:
    site_built = built[spec.name]
    checked, problems = 0, list[str]()
    for site, path, rel in posts_of(site_built):
        post = site.load(path)
        if site.unpublished_reason(post) is not None:
            continue
        rendered = render_post(post, site, "lesswrong")
        problems.extend(f"{rel}: a reference is still relative: {found!r}"
                        for found in _RELATIVE.findall(rendered.body))
        hosts = {home.split("/")[2] for home in site.homes()}
        for url in (a or b for a, b in _URL.findall(rendered.body)):
            if url.split("/")[2] not in hosts:
                continue
            checked += 1
            if site_built.page(url, site.require_url()) is None:
                problems.append(f"{rel}: {url} is no file {spec.generator} built")
    assert not problems, "\n".join(problems)
    assert checked > 0


@pytest.mark.parametrize(("spec", "pages"), [
    (HUGO_LANGUAGES, {"content/posts/hello.md": "content/posts/hello.fr.md",
                      "content/posts/hello.fr.md": "content/posts/trip/index.fr.md"}),
    (HUGO_LANGUAGE_DIRS, {"content/english/posts/hello.md": "content/french/posts/hello.md",
                          "content/french/posts/hello.md": "content/french/posts/trip/index.md"}),
    (HUGO_MULTIHOST, {"content/posts/hello.md": "content/posts/hello.fr.md",
                      "content/posts/hello.fr.md": "content/posts/trip/index.fr.md"}),
], ids=["hugo-languages", "hugo-language-dirs", "hugo-multihost"])
def test_references_between_translations_lead_to_the_language_asked(
        spec: SiteSpec, pages: dict[str, str], built: dict[str, Built]) -> None:
    """`ref` from a French page is to the French page; `lang=` picks another translation."""
    site_built = built[spec.name]
    site = Site.discover(site_built.root / "hugo.toml")
    for rel, target in pages.items():
        body = render_post(site.load(site_built.root / rel), site, "lesswrong").body
        links = [url for url in re.findall(r"\]\((https://[^)]+)\)", body) if "/posts/" in url
                 and url != site.canonical_url(site.load(site_built.root / rel))]
        assert links, body
        page = site_built.page(links[0], site.require_url())
        assert page is not None, (rel, links)
        assert marker(target) in page.read_text(encoding="utf-8"), (rel, links)


def test_a_missing_generator_skips_with_its_reason_or_fails_in_ci(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing installed
    monkeypatch.delenv(REQUIRE, raising=False)
    missing = r"the real jekyll is not installed \(apt-get install jekyll\)"
    with pytest.raises(pytest.skip.Exception, match=missing):
        require("jekyll")
    monkeypatch.setenv(REQUIRE, "1")
    with pytest.raises(pytest.fail.Exception, match="CI_REQUIRE_GENERATORS=1 asks for it"):
        require("hugo")
    (tmp_path / "hugo").write_text("#!/bin/sh\n")
    (tmp_path / "hugo").chmod(0o755)
    assert require("hugo") == str(tmp_path / "hugo")
