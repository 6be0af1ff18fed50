"""Hugo's multihost sites: a ``baseURL`` under each ``[languages.<lang>]``.

Facts from hugo 0.111 (the conformance site ``hugo-multihost`` builds one): each language is
served at its own URL with no ``/<lang>/`` prefix (``defaultContentLanguageInSubdir`` does not
add one), the top-level ``baseURL`` is not used, static files and bundle resources are copied
to every language; Hugo refuses to build when only some languages have a ``baseURL``. With a
single language, its ``baseURL`` wins over the top-level one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.errors import ConfigError
from crosspost.render import render_post
from crosspost.sites import Site
from tests.conftest import Cli
from tests.site_helpers import hugo_site, url_of, write

CONFIG = ("baseURL = 'https://unused.dev/'\ndefaultContentLanguage = 'en'\n"
          "defaultContentLanguageInSubdir = true\n"
          "[languages.en]\n  baseURL = 'https://multi.dev/'\n"
          "[languages.fr]\n  baseURL = 'https://fr.multi.dev/blog/'\n")


def page(path: Path, title: str, body: str = "", extra: str = "") -> Path:
    return write(path, f'+++\ntitle = "{title}"\n{extra}+++\n\n{body}')


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    root = hugo_site(tmp_path, CONFIG)
    write(root / "static/img/loaf.png", "png")
    page(root / "content/posts/hello.md", "Hello")
    page(root / "content/posts/hello.fr.md", "Bonjour")
    page(root / "content/posts/moved.fr.md", "Moved", extra='url = "/ailleurs/"\n')
    return root


def test_each_language_is_at_its_own_url_with_no_prefix(site_root: Path) -> None:
    assert url_of(site_root / "content/posts/hello.md") == "https://multi.dev/posts/hello/"
    assert url_of(site_root / "content/posts/hello.fr.md") == "https://fr.multi.dev/blog/posts/hello/"
    assert url_of(site_root / "content/posts/moved.fr.md") == "https://fr.multi.dev/blog/ailleurs/"
    site = Site.discover(site_root / "content/posts/hello.md")
    assert site.url == "https://multi.dev"
    assert site.url_source == f"{site_root / 'hugo.toml'}: `languages.en.baseURL`"
    assert site.homes() == ["https://multi.dev", "https://fr.multi.dev/blog"]


def test_crosspost_toml_url_is_the_default_language_s(site_root: Path) -> None:
    write(site_root / "crosspost.toml", 'url = "https://www.multi.dev"\n')
    assert url_of(site_root / "content/posts/hello.md") == "https://www.multi.dev/posts/hello/"
    assert url_of(site_root / "content/posts/hello.fr.md") == "https://fr.multi.dev/blog/posts/hello/"


def test_root_relative_links_and_files_are_on_the_page_s_host(site_root: Path) -> None:
    fr = page(site_root / "content/posts/trip.fr.md", "Voyage",
              "![pain](/img/loaf.png) [salut](/posts/hello/) [en](https://multi.dev/posts/hello/)\n")
    site = Site.discover(fr)
    body = render_post(site.load(fr), site, "lesswrong").body
    assert "![pain](https://fr.multi.dev/blog/img/loaf.png)" in body
    assert "[salut](https://fr.multi.dev/blog/posts/hello/)" in body
    assert "[en](https://multi.dev/posts/hello/)" in body
    post = site.load(fr)
    assert site.local_file("/img/loaf.png", post=post) == (site_root / "static/img/loaf.png").resolve()
    assert site.local_file("/blog/img/loaf.png", post=post) == (site_root / "static/img/loaf.png").resolve()
    for url in ("https://fr.multi.dev/blog/img/loaf.png", "https://multi.dev/img/loaf.png"):
        assert site.local_file(url, post=post) == (site_root / "static/img/loaf.png").resolve()
    assert site.local_file("https://unused.dev/img/loaf.png", post=post) is None


def test_a_page_is_known_by_its_address_on_its_own_host(site_root: Path) -> None:
    site = Site.discover(site_root / "hugo.toml")
    hello = site.post_for_url("https://multi.dev/posts/hello/")
    bonjour = site.post_for_url("https://fr.multi.dev/blog/posts/hello")
    assert hello is not None
    assert hello.path.name == "hello.md"
    assert bonjour is not None
    assert bonjour.path.name == "hello.fr.md"
    assert site.post_for_url("https://fr.multi.dev/posts/hello/") is None
    assert site.post_for_url("https://unused.dev/fr/posts/hello/") is None
    assert site.same_address("https://www.multi.dev/posts/hello/index.html",
                             site.canonical_url(hello))
    assert not site.same_address("https://fr.multi.dev/blog/posts/hello/",
                                 site.canonical_url(hello))


def test_a_link_to_a_page_on_the_other_host_leads_to_its_copy(site_root: Path) -> None:
    copy = "https://www.lesswrong.com/posts/abcdefghijklmnopq/bonjour"
    page(site_root / "content/posts/hello.fr.md", "Bonjour",
         extra=f'[crosspost.lesswrong]\nurl = "{copy}"\n')
    en = page(site_root / "content/posts/hello.md", "Hello",
              "[fr](https://fr.multi.dev/blog/posts/hello/) [me](https://multi.dev/posts/hello/)\n")
    site = Site.discover(en)
    body = render_post(site.load(en), site, "lesswrong").body
    assert f"[fr]({copy})" in body
    assert "[me](https://multi.dev/posts/hello/)" in body


def test_the_attribution_names_the_language_s_title_or_host(site_root: Path) -> None:
    site = Site.discover(site_root / "hugo.toml")
    assert site.title_for(site.load(site_root / "content/posts/hello.fr.md")) == "fr.multi.dev"
    write(site_root / "hugo.toml", CONFIG + "  title = 'Carnet'\n")
    site = Site.discover(site_root / "hugo.toml")
    assert site.title_for(site.load(site_root / "content/posts/hello.fr.md")) == "Carnet"
    assert site.title_for(site.load(site_root / "content/posts/hello.md")) == "multi.dev"


def test_a_language_without_a_base_url_is_one_error(site_root: Path, cli: Cli) -> None:
    write(site_root / "hugo.toml", CONFIG + "[languages.de]\n  weight = 3\n")
    de = page(site_root / "content/posts/hello.de.md", "Hallo")
    site = Site.discover(de)
    with pytest.raises(ConfigError, match="language 'de' has no `baseURL` while other languages"):
        site.canonical_url(site.load(de))
    assert url_of(site_root / "content/posts/hello.md") == "https://multi.dev/posts/hello/"
    code, _, err = cli("render", str(de), "--to", "lesswrong")
    assert code != 0
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if "error:" in line]
    assert "language 'de' has no `baseURL`" in line
    assert "[languages.<lang>]" in line


def test_a_default_language_without_a_base_url_is_not_the_top_level_one(site_root: Path) -> None:
    write(site_root / "hugo.toml", CONFIG.replace("  baseURL = 'https://multi.dev/'\n", ""))
    write(site_root / "static/CNAME", "guess.dev\n")
    site = Site.discover(site_root / "hugo.toml")
    with pytest.raises(ConfigError, match="language 'en' has no `baseURL` while other languages"):
        site.canonical_url(site.load(site_root / "content/posts/hello.md"))
    assert url_of(site_root / "content/posts/hello.fr.md") == "https://fr.multi.dev/blog/posts/hello/"
    write(site_root / "crosspost.toml", 'url = "https://multi.dev"\n')
    assert url_of(site_root / "content/posts/hello.md") == "https://multi.dev/posts/hello/"


def test_a_placeholder_base_url_of_a_language_is_refused(site_root: Path) -> None:
    write(site_root / "hugo.toml", CONFIG.replace("https://fr.multi.dev/blog/", "http://localhost:1313/"))
    site = Site.discover(site_root / "hugo.toml")
    with pytest.raises(ConfigError, match=r"languages.fr.baseURL` is the placeholder"):
        site.canonical_url(site.load(site_root / "content/posts/hello.fr.md"))
    assert site.homes() == ["https://multi.dev"]


def test_a_single_language_s_base_url_wins(tmp_path: Path) -> None:
    hugo_site(tmp_path, "baseURL = 'https://top.dev/'\n[languages.en]\n  baseURL = 'https://one.dev/x/'\n")
    post = page(tmp_path / "content/posts/a.md", "A")
    assert url_of(post) == "https://one.dev/x/posts/a/"
