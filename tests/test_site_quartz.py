"""Quartz (v4) sites: detection, ``quartz.config.ts``, slugs, drafts, files, wikilinks.

Quartz has no Debian package, so the expectations here are its documented rules
(shared/reference/sites.md, from jackyzha0/quartz ``quartz/util/path.ts``
``slugifyFilePath``/``simplifySlug``/``transformLink``, the FrontMatter transformer and the
RemoveDrafts and ExplicitPublish filters), worked out by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crosspost.errors import ConfigError
from crosspost.sites import QuartzSite, Site
from crosspost.sites.quartz import page_path, parse_config, slugify_file_path
from tests.site_helpers import reason, url_of, write

CONFIG = """\
import { QuartzConfig } from "./quartz/cfg"
import * as Plugin from "./quartz/plugins"

const config: QuartzConfig = {
  configuration: {
    pageTitle: "Jane's garden",
    // baseUrl: "old.jane.net",
    baseUrl: "garden.jane.net",
    ignorePatterns: ["private", "templates", ".obsidian", "**/*.excalidraw.md"],
  },
  plugins: {
    transformers: [Plugin.CrawlLinks({ markdownLinkResolution: "shortest" })],
    filters: [Plugin.RemoveDrafts()],
  },
}

export default config
"""


def quartz_site(root: Path, config: str = CONFIG) -> Path:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    write(root / "quartz.config.ts", config)
    (root / "content").mkdir(exist_ok=True)
    return root


def note(root: Path, rel: str, front: str = "title: T\n", body: str = "Text.\n") -> Path:
    return write(root / "content" / rel, f"---\n{front}---\n{body}")


# -- slugs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rel", "slug"), [
    ("index.md", "index"),
    ("_index.md", "index"),
    ("notes/_index.md", "notes/index"),
    ("note with spaces.md", "note-with-spaces"),
    ("notes.with.dots.md", "notes.with.dots"),
    ("test/special chars?.md", "test/special-chars"),
    ("test/special chars #3.md", "test/special-chars-3"),
    ("Salt & Pepper.md", "Salt--and--Pepper"),
    ("100% sure.md", "100-percent-sure"),
    ("Folder With Case/Note.md", "Folder-With-Case/Note"),  # case is kept
    ("Déjà vu.md", "Déjà-vu"),
    ("attachments/My Image.png", "attachments/My-Image.png"),  # other extensions stay
    ("page.html", "page"),
    ("tab\there.md", "tab-here"),
])
def test_slugify_file_path(rel: str, slug: str) -> None:
    assert slugify_file_path(rel) == slug


@pytest.mark.parametrize(("slug", "path"), [
    ("index", "/"), ("notes/index", "/notes/"), ("notes/a", "/notes/a"), ("a", "/a"),
])
def test_page_path(slug: str, path: str) -> None:
    assert page_path(slug) == path


# -- discovery and configuration --------------------------------------------------------------


def test_discover_a_quartz_site(tmp_path: Path) -> None:
    quartz_site(tmp_path)
    post = note(tmp_path, "notes/On Gardens.md")
    site = Site.discover(post)
    assert isinstance(site, QuartzSite)
    assert site.root == tmp_path.resolve()
    assert site.url == "https://garden.jane.net"
    assert site.url_source == f"{tmp_path / 'quartz.config.ts'}: `baseUrl`"
    assert site.title == "Jane's garden"
    assert url_of(post) == "https://garden.jane.net/notes/On-Gardens"


def test_config_in_a_config_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "config/quartz.config.ts", 'baseUrl: "jane.net/garden",\n')
    post = note(tmp_path, "index.md")
    site = Site.discover(post)
    assert site.generator == "quartz"
    assert site.url == "https://jane.net/garden"
    assert site.base_path == "/garden"
    assert url_of(post) == "https://jane.net/garden/"
    assert url_of(note(tmp_path, "a/b.md")) == "https://jane.net/garden/a/b"


def test_parse_config() -> None:
    config = parse_config(CONFIG)
    assert config == {"title": "Jane's garden", "baseUrl": "garden.jane.net",
                      "ignorePatterns": ("private", "templates", ".obsidian", "**/*.excalidraw.md"),
                      "filters": ("RemoveDrafts",), "markdownLinkResolution": "shortest",
                      "latex": False}
    commented = parse_config("/* filters: [Plugin.ExplicitPublish()] */\n"
                             "  // Plugin.RemoveDrafts(),\n  filters: [Plugin.ExplicitPublish()],\n"
                             "  baseUrl: 'https://jane.net/g', // the site\n")
    assert commented == {"baseUrl": "https://jane.net/g", "filters": ("ExplicitPublish",),
                         "latex": False}


def test_a_scheme_written_anyway_is_kept(tmp_path: Path) -> None:
    quartz_site(tmp_path, 'baseUrl: "http://jane.net",\n')
    assert url_of(note(tmp_path, "a.md")) == "http://jane.net/a"


@pytest.mark.parametrize("base", ["quartz.jzhao.xyz", "localhost:8080", ""])
def test_the_template_base_url_is_a_placeholder(tmp_path: Path, base: str) -> None:
    quartz_site(tmp_path, f'baseUrl: "{base}",\n')
    post = note(tmp_path, "a.md")
    with pytest.raises(ConfigError, match=r"placeholder|has no URL"):
        url_of(post)
    write(tmp_path / "crosspost.toml", 'url = "https://jane.net"\n')
    assert url_of(post) == "https://jane.net/a"


def test_quartz_wins_over_a_stray_hugo_config(tmp_path: Path) -> None:
    quartz_site(tmp_path)
    write(tmp_path / "config.toml", "baseURL = 'https://other.dev/'\n")
    assert Site.discover(note(tmp_path, "a.md")).generator == "quartz"


# -- permalinks -------------------------------------------------------------------------------


def test_index_pages_name_their_folder(tmp_path: Path) -> None:
    quartz_site(tmp_path)
    assert url_of(note(tmp_path, "index.md")) == "https://garden.jane.net/"
    assert url_of(note(tmp_path, "Reading List/index.md")) == "https://garden.jane.net/Reading-List/"
    assert url_of(note(tmp_path, "Essays/_index.md")) == "https://garden.jane.net/Essays/"


def test_non_ascii_is_escaped_in_upper_case_hex(tmp_path: Path) -> None:
    quartz_site(tmp_path)
    assert url_of(note(tmp_path, "Déjà vu.md")) == "https://garden.jane.net/D%C3%A9j%C3%A0-vu"


def test_permalink_front_matter_is_preferred(tmp_path: Path) -> None:
    quartz_site(tmp_path)
    post = note(tmp_path, "drafts/Long Title.md", "title: T\npermalink: /essays/short/\n")
    assert url_of(post) == "https://garden.jane.net/essays/short"
    site = Site.discover(post)
    found = site.post_for_url("https://garden.jane.net/essays/short")
    assert found is not None
    assert found.path == post.resolve()


def test_toml_front_matter(tmp_path: Path) -> None:
    quartz_site(tmp_path)
    post = write(tmp_path / "content/t.md", '+++\ntitle = "T"\ndraft = true\n+++\nText.\n')
    assert url_of(post) == "https://garden.jane.net/t"
    assert reason(post) is not None


# -- what Quartz publishes ----------------------------------------------------------------------


def test_drafts_ignored_paths_and_explicit_publish(tmp_path: Path) -> None:
    quartz_site(tmp_path)
    live = note(tmp_path, "a.md")
    draft = note(tmp_path, "b.md", "title: B\ndraft: true\n")
    draft_text = note(tmp_path, "c.md", "title: C\ndraft: \"true\"\n")
    private = note(tmp_path, "private/d.md")
    drawing = note(tmp_path, "x/y.excalidraw.md")
    assert reason(live) is None
    assert "draft: true" in (reason(draft) or "")
    assert "draft: true" in (reason(draft_text) or "")
    assert "ignorePatterns" in (reason(private) or "")
    assert "ignorePatterns" in (reason(drawing) or "")
    site = Site.discover(live)
    assert [p.name for p in site.post_paths()] == ["a.md", "b.md", "c.md"]
    # ExplicitPublish: only notes that say `publish: true`; without RemoveDrafts, drafts show.
    write(tmp_path / "quartz.config.ts", CONFIG.replace("Plugin.RemoveDrafts()",
                                                        "Plugin.ExplicitPublish()"))
    published = note(tmp_path, "e.md", "title: E\npublish: true\n")
    assert "publish: true" in (reason(live) or "")
    assert reason(published) is None
    assert reason(draft) is not None  # no publish: true either
    assert reason(note(tmp_path, "f.md", "title: F\npublish: true\ndraft: true\n")) is None


def test_a_note_outside_content_is_not_published(tmp_path: Path) -> None:
    quartz_site(tmp_path)
    readme = write(tmp_path / "docs/readme.md", "# Readme\n")
    assert "content/" in (reason(readme, dt.datetime(2024, 1, 1, tzinfo=dt.UTC)) or "")


# -- files and wikilinks ------------------------------------------------------------------------


def test_attachments_are_published_at_their_slug(tmp_path: Path) -> None:
    quartz_site(tmp_path)
    image = write(tmp_path / "content/attachments/My Photo.png", "png")
    static = write(tmp_path / "quartz/static/icon.png", "png")
    post = note(tmp_path, "notes/a.md")
    site = Site.discover(post)
    loaded = site.load(post)
    assert site.file_url(image) == "https://garden.jane.net/attachments/My-Photo.png"
    assert site.file_url(static) == "https://garden.jane.net/static/icon.png"
    assert site.published_url("../attachments/My Photo.png", post=loaded) == (
        "https://garden.jane.net/attachments/My-Photo.png")
    # The published URL leads back to the file (Medium uploads it from there).
    for ref in ("/attachments/My-Photo.png", "https://garden.jane.net/attachments/My-Photo.png",
                "/attachments/My Photo.png"):
        assert site.local_file(ref, post=loaded) == image.resolve(), ref
    assert site.vault_file("My Photo.png", post=loaded) == image.resolve()


def test_wikilinks_find_notes_by_name(tmp_path: Path) -> None:
    quartz_site(tmp_path)
    here = note(tmp_path, "notes/here.md")
    unique = note(tmp_path, "deep/er/Unique Note.md")
    root_dup = note(tmp_path, "Dup.md")
    note(tmp_path, "a/Dup.md")
    near = note(tmp_path, "x/Twin.md")
    note(tmp_path, "y/z/Twin.md")
    note(tmp_path, "p/Tie.md")
    note(tmp_path, "q/Tie.md")
    note(tmp_path, "private/secret.md")
    site = Site.discover(here)
    me = site.load(here)

    def found(ref: str) -> Path | None:
        post = site.find_post(ref, kind="wikilink", relative_to=me)
        return post.path if post is not None else None

    assert found("Unique Note") == unique.resolve()  # a unique name, anywhere
    assert found("unique note") == unique.resolve()  # Obsidian ignores case
    assert found("Unique-Note") == unique.resolve()  # the published slug names it too
    assert found("Unique Note.md") == unique.resolve()
    assert found("er/Unique Note") == unique.resolve()  # a path that ends so
    assert found("Dup") == root_dup.resolve()  # not unique: the path from the root
    assert found("Twin") == near.resolve()  # neither: the shortest path
    assert found("Tie") is None  # a tie names nothing
    assert found("Nowhere") is None
    assert found("../deep/er/Unique Note") == unique.resolve()  # relative to the note
    assert found("private/secret") is None  # ignored files are not in the vault


@pytest.mark.parametrize(("strategy", "ref", "expected"), [
    ("shortest", "Deep", "a/b/Deep.md"),
    ("absolute", "Deep", None),
    ("absolute", "a/b/Deep", "a/b/Deep.md"),
    ("relative", "Sibling", "notes/Sibling.md"),
    ("relative", "a/b/Deep", None),
])
def test_markdown_link_resolution(tmp_path: Path, strategy: str, ref: str,
                                  expected: str | None) -> None:
    quartz_site(tmp_path, CONFIG.replace('"shortest"', f'"{strategy}"'))
    here = note(tmp_path, "notes/here.md")
    note(tmp_path, "notes/Sibling.md")
    note(tmp_path, "a/b/Deep.md")
    site = Site.discover(here)
    found = site.find_post(ref, kind="wikilink", relative_to=site.load(here))
    assert (found.path.relative_to((tmp_path / "content").resolve()).as_posix()
            if found is not None else None) == expected


def test_content_may_be_a_symlink_to_a_vault(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    note_path = write(vault / "Ideas/Big Idea.md", "---\ntitle: Big\n---\n![](../img/p.png)\n")
    image = write(vault / "img/p.png", "png")
    site_root = tmp_path / "site"
    quartz_site(site_root)
    (site_root / "content").rmdir()
    (site_root / "content").symlink_to(vault, target_is_directory=True)
    post = site_root / "content/Ideas/Big Idea.md"
    site = Site.discover(post)
    assert site.generator == "quartz"
    assert url_of(post) == "https://garden.jane.net/Ideas/Big-Idea"
    loaded = site.load(post)
    assert loaded.path == note_path.resolve()
    assert site.local_file("../img/p.png", post=loaded) == image.resolve()
    assert site.published_url("../img/p.png", post=loaded) == "https://garden.jane.net/img/p.png"
    assert [p.name for p in site.post_paths()] == ["Big Idea.md"]
    found = site.find_post("Big Idea", kind="wikilink")
    assert found is not None


def test_a_note_without_a_title_is_titled_by_its_file_name(tmp_path: Path) -> None:
    # Quartz (and Obsidian) show a note's file name when its front matter has no title;
    # the copy is titled the same, not refused. A `# heading` still names it first.
    from crosspost.errors import PostError
    from crosspost.render import render_post as render

    quartz_site(tmp_path)
    plain = note(tmp_path, "Essays/On Slack.md", "tags: [x]\n", "Body.\n")
    headed = note(tmp_path, "Headed.md", "tags: [x]\n", "# The Heading\n\nBody.\n")
    site = Site.discover(plain)
    assert site.title_of(site.load(plain)) == "On Slack"
    assert render(site.load(plain), site, "lesswrong", None).title == "On Slack"
    assert render(site.load(headed), site, "lesswrong", None).title == "The Heading"
    jekyll = tmp_path / "j"
    write(jekyll / "_config.yml", "url: https://jane.github.io\n")
    untitled = write(jekyll / "_posts" / "2024-01-02-x.md", "---\ntags: [x]\n---\nBody.\n")
    with pytest.raises(PostError, match="has no title"):
        Site.discover(untitled).title_of(Site.discover(untitled).load(untitled))
