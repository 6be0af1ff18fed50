"""What the site's own files decide: single-$ math and shortcode templates (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.sites import Site
from crosspost.sites.facts import dollar_math, markdown_engine, shortcode_template, template_roots
from tests.generators import REQUIRE, require, write_tree

JEKYLL = {"_config.yml": "title: T\nurl: https://janedoe.net\n"}
HUGO = {"hugo.toml": 'baseURL = "https://sam-baker.dev/"\n', "content/_index.md": "x\n"}


def _jekyll(tmp_path: Path, files: dict[str, str]) -> Site:
    write_tree(tmp_path, {**JEKYLL, **files})
    return Site.at(tmp_path, "jekyll", tmp_path / "_config.yml")


def _hugo(tmp_path: Path, files: dict[str, str]) -> Site:
    write_tree(tmp_path, {**HUGO, **files})
    return Site.at(tmp_path, "hugo", tmp_path / "hugo.toml")


@pytest.mark.parametrize("setup", [
    # MathJax 3, as most al-folio forks and tutorials write it
    ("assets/js/mathjax-setup.js", "window.MathJax = {\n  tex: {\n    inlineMath: [['$', '$'], "
     "['\\\\(', '\\\\)']],\n  },\n};\n"),
    # MathJax 2 in a layout
    ("_includes/head.html", '<script type="text/x-mathjax-config">MathJax.Hub.Config({'
     'tex2jax: {inlineMath: [["$","$"]], processEscapes: true}});</script>\n'),
    # MathJax 3's "append to the defaults" form
    ("_layouts/default.html", "<script>MathJax = {tex: {inlineMath: {'[+]': [['$', '$']]}}};"
     "</script>\n"),
    # KaTeX auto-render with a single-dollar pair
    ("_includes/katex.html", "<script>renderMathInElement(document.body, {delimiters: ["
     "{left: '$$', right: '$$', display: true}, {left: '$', right: '$', display: false}]});"
     "</script>\n"),
])
def test_a_dollar_delimiter_in_the_layouts_makes_dollar_math(tmp_path: Path,
                                                             setup: tuple[str, str]) -> None:
    site = _jekyll(tmp_path, {setup[0]: setup[1]})
    answer = site.facts.dollar_math
    assert answer.value is True
    assert setup[0] in answer.why


@pytest.mark.parametrize("files", [
    {},  # no layouts at all: kramdown's $$ is the only math
    {"assets/js/mathjax-setup.js": "window.MathJax = {\n  tex: {\n    tags: 'ams',\n  },\n};\n"},
    {"_includes/katex.html": "<script>renderMathInElement(document.body);</script>\n"},
    {"_includes/head.html": "<script>MathJax = {tex: {inlineMath: [['\\\\(', '\\\\)']], "
                            "displayMath: [['$$', '$$']]}};</script>\n"},
])
def test_default_delimiters_leave_dollars_alone(tmp_path: Path, files: dict[str, str]) -> None:
    assert _jekyll(tmp_path, files).facts.dollar_math.value is False


def test_a_theme_outside_the_folder_makes_it_unknown(tmp_path: Path) -> None:
    write_tree(tmp_path, {"_config.yml": "url: https://janedoe.net\ntheme: minima\n"})
    answer = Site.at(tmp_path, "jekyll", tmp_path / "_config.yml").facts.dollar_math
    assert answer.value is None
    assert "the theme 'minima' is not in the site's folder" in answer.why
    # …unless the site's own files already say so
    write_tree(tmp_path, {"_includes/head.html": "MathJax = {tex: {inlineMath: [['$','$']]}}"})
    assert Site.at(tmp_path, "jekyll", tmp_path / "_config.yml").facts.dollar_math.value is True


def test_hugo_passthrough_and_themes(tmp_path: Path) -> None:
    site = _hugo(tmp_path, {"hugo.toml": '[markup.goldmark.extensions.passthrough]\nenable = true\n'
                                         "[markup.goldmark.extensions.passthrough.delimiters]\n"
                                         "inline = [['\\(', '\\)'], ['$', '$']]\n"})
    assert site.facts.dollar_math.value is True
    assert "passthrough" in site.facts.dollar_math.why
    only_parens = tmp_path / "parens"
    site = _hugo(only_parens, {"hugo.toml": '[markup.goldmark.extensions.passthrough]\nenable = true\n'
                                            "[markup.goldmark.extensions.passthrough.delimiters]\n"
                                            "inline = [['\\(', '\\)']]\n"})
    assert site.facts.dollar_math.value is False
    themed = tmp_path / "themed"
    site = _hugo(themed, {"hugo.toml": 'theme = "ananke"\n'})
    assert site.facts.dollar_math.value is None
    assert "the theme 'ananke' (no themes/ananke/)" in site.facts.dollar_math.why
    write_tree(themed, {"themes/ananke/layouts/partials/math.html":
                        "<script>MathJax={tex:{inlineMath:[['$','$']]}}</script>"})
    assert dollar_math("hugo", themed, {"theme": "ananke"}).value is True


def test_plain_folders_read_dollar_math_as_obsidian_does(tmp_path: Path) -> None:
    assert dollar_math("plain", tmp_path, {}).value is True


def test_an_unreadable_root_is_unknown() -> None:
    answer = dollar_math("jekyll", Path("/nonexistent/site"), {})
    assert answer.value is None
    assert "cannot be read" in answer.why


def test_shortcode_templates_site_first_then_theme(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "layouts/shortcodes/quote.html": '<blockquote>{{ .Inner }}<cite>{{ .Get "author" }}</cite>'
                                         "</blockquote>",
        "themes/t/layouts/shortcodes/quote.html": "theme's, shadowed",
        "themes/t/layouts/shortcodes/notice.html":
            '{{ $t := .Get 0 }}<div class="n-{{ $t }}" data-icon="{{ index .Params "icon" }}">'
            '{{ if .Get "hidden" }}x{{ end }}<p>{{ $t | title }}</p>{{ .Params.title }}'
            '{{ with .Get "by" }}<cite>{{ . }}</cite>{{ end }}<a href="{{ .Get "url" }}">'
            "{{ .Inner }}</a></div>",
        "layouts/shortcodes/class.html": '<p class="{{ .Get 0 }}">{{ .Inner }}</p>',
    })
    config = {"theme": "t"}
    quote = shortcode_template("hugo", tmp_path, config, "quote")
    assert quote is not None
    assert (quote.named, quote.positional, quote.blockquote) == (
        frozenset({"author"}), frozenset(), True)
    notice = shortcode_template("hugo", tmp_path, config, "notice")
    assert notice is not None
    # Printed as text: the title, the `by` of a `with`, the first parameter through `$t`;
    # not the icon nor the URL (attributes), nor `hidden` (only tested).
    assert (notice.named, notice.positional, notice.blockquote) == (
        frozenset({"title", "by"}), frozenset({0}), False)
    only_a_class = shortcode_template("hugo", tmp_path, config, "class")
    assert only_a_class is not None
    assert (only_a_class.named, only_a_class.positional) == (frozenset(), frozenset())
    assert shortcode_template("hugo", tmp_path, config, "missing") is None
    assert shortcode_template("hugo", tmp_path, config, "../../etc/passwd") is None
    assert template_roots("hugo", tmp_path, config) == ([tmp_path, tmp_path / "themes/t"], None)


def test_markdown_engine() -> None:
    assert markdown_engine("jekyll", {}) == "kramdown"
    assert markdown_engine("jekyll", {"markdown": "CommonMarkGhPages"}) == "commonmarkghpages"
    assert markdown_engine("hugo", {}) == "goldmark"


def test_facts_are_read_once_per_site(tmp_path: Path) -> None:
    site = _jekyll(tmp_path, {})
    first = site.facts.dollar_math
    write_tree(tmp_path, {"_includes/head.html": "MathJax = {tex: {inlineMath: [['$','$']]}}"})
    assert site.facts.dollar_math is first
    assert site.facts is site.facts


def test_a_missing_generator_skips_or_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv(REQUIRE, raising=False)
    with pytest.raises(pytest.skip.Exception, match="the real jekyll is not installed"):
        require("jekyll")
    monkeypatch.setenv(REQUIRE, "1")
    with pytest.raises(pytest.fail.Exception, match="CI_REQUIRE_GENERATORS=1"):
        require("jekyll")


@pytest.mark.parametrize(("plugins", "math"), [
    # Quartz's own template: remark-math, which reads $…$ as inline math
    ('transformers: [Plugin.FrontMatter(), Plugin.Latex({ renderEngine: "katex" })],', True),
    ("transformers: [Plugin.FrontMatter()], // Plugin.Latex() taken out", False),
])
def test_a_quartz_garden_has_dollar_math_with_its_latex_plugin(tmp_path: Path, plugins: str,
                                                                math: bool) -> None:
    write_tree(tmp_path, {"quartz.config.ts": 'const config = {\n  configuration: {\n'
                          f'    baseUrl: "garden.dev",\n  }},\n  plugins: {{\n    {plugins}\n'
                          "  },\n}\nexport default config\n", "content/a.md": "x\n"})
    answer = Site.discover(tmp_path / "content" / "a.md").facts.dollar_math
    assert answer.value is math
    assert "Plugin.Latex" in answer.why
