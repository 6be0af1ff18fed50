"""Settings (crosspost.toml / [tool.crosspost]) and the layering of per-target options."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.config import DEFAULT_ATTRIBUTION, Settings, TargetOptions
from crosspost.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_defaults(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path)
    assert settings == Settings()
    assert settings.options_for("medium", None, where="p.md") == TargetOptions()


def test_crosspost_toml(tmp_path: Path) -> None:
    write(tmp_path / "crosspost.toml", """
url = "https://jane.dev/"
baseurl = "blog/"
permalink = "/notes/:slug/"
posts = ["notes/**/*.md"]

[targets.lw]
draft = true

[targets.medium]
license = "cc-40-by"
tags = "ai, alignment"
""")
    settings = Settings.load(tmp_path)
    assert settings.path == tmp_path / "crosspost.toml"
    assert settings.url == "https://jane.dev"
    assert settings.baseurl == "/blog"
    assert settings.permalink == "/notes/:slug/"
    assert settings.posts == ("notes/**/*.md",)
    assert set(settings.targets) == {"lesswrong", "medium"}
    medium = settings.options_for("medium", None, where="p.md")
    assert medium.license == "cc-40-by"
    assert medium.tags == ("ai", "alignment")


def test_pyproject_tool_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.crosspost]\n'
          'url = "https://x.org"\n[tool.crosspost.targets.eaforum]\nfrontpage = false\n')
    settings = Settings.load(tmp_path)
    assert settings.url == "https://x.org"
    assert settings.options_for("eaforum", {}, where="p").frontpage is False


def test_crosspost_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.crosspost]\nurl = "https://a.org"\n')
    write(tmp_path / "crosspost.toml", 'url = "https://b.org"\n')
    assert Settings.load(tmp_path).url == "https://b.org"


def test_pyproject_without_our_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", 'tool = 3\n')
    assert Settings.load(tmp_path) == Settings()


def test_empty_baseurl_means_site_root(tmp_path: Path) -> None:
    write(tmp_path / "crosspost.toml", 'baseurl = "/"\n')
    assert Settings.load(tmp_path).baseurl == ""


def test_layers_later_wins() -> None:
    settings = Settings(targets={"medium": {"publish_status": "draft", "tags": ["a"],
                                            "license": "cc-40-by"}})
    post_block = {"publish_status": "public", "tags": ["b", "c"], "id": "abc", "url": "u",
                  "hash": "h", "published": "2024-01-01", "status": "draft"}
    options = settings.options_for("medium", post_block, where="p.md", draft=True, title=None)
    assert options.publish_status == "public"  # post beats site
    assert options.tags == ("b", "c")
    assert options.license == "cc-40-by"  # site beats default
    assert options.draft is True  # flag beats all
    assert options.title is None  # a None flag is "not given"


def test_flag_beats_post_which_beats_site() -> None:
    settings = Settings(targets={"lesswrong": {"draft": True}})
    assert settings.options_for("lesswrong", {}, where="p").draft is True
    assert settings.options_for("lesswrong", {"draft": False}, where="p").draft is False
    assert settings.options_for("lesswrong", {"draft": False}, where="p", draft=True).draft


def test_option_spellings_and_coercions() -> None:
    options = TargetOptions.from_layers({"publish-status": "unlisted", "upload-images": False,
                                         "attribution": False, "tags": [1, "two"]})
    assert options.publish_status == "unlisted"
    assert options.upload_images is False
    assert options.attribution is None
    assert options.tags == ("1", "two")
    assert TargetOptions.from_layers({"attribution": True}).attribution == DEFAULT_ATTRIBUTION
    assert TargetOptions.from_layers({"publishStatus": "draft"}).publish_status == "draft"


@pytest.mark.parametrize(("layer", "message"), [
    ({"drafty": True}, "p.md: unknown option 'drafty'. known options: attribution, backdate"),
    ({"draft": "yes"}, "p.md: `draft` must be true or false, not 'yes'"),
    ({"attribution": 3}, "p.md: `attribution` must be true, false or a template string"),
    ({"tags": {"a": 1}}, "p.md: `tags` must be a list of words"),
    ({"publish_status": "secret"}, "p.md: `publish_status` must be one of public, draft, unlisted"),
    ({"license": "mit"}, "p.md: `license` must be one of all-rights-reserved"),
    ({"title": ["x"]}, "p.md: `title` must be text"),
])
def test_option_validation(layer: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        TargetOptions.from_layers(layer, where="p.md")
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(("text", "message"), [
    ('colour = "blue"\n', "unknown setting 'colour'. known settings: baseurl, permalink"),
    ("[targets.substack]\ndraft = true\n", "unknown target [targets.substack]"),
    ("[targets.lesswong]\ndraft = true\n", "unknown target [targets.lesswong]. did you mean 'lesswrong'?"),
    ('targets = "all"\n', "[targets] must be a table of target tables"),
    ('[targets]\nmedium = 1\n', "[targets.medium] must be a table"),
    ("[targets.medium]\nlicense = \"gpl\"\n", "[targets.medium]: `license` must be one of"),
    ("url = 3\n", "`url` must be a string"),
    ('url = "jane.dev"\n', "`url` must be an absolute http(s) URL, not 'jane.dev'"),
    ('url = "ftp://jane.dev"\n', "`url` must be an absolute http(s) URL"),
    ("posts = [1]\n", "`posts` must be a list of glob patterns"),
    ("url = \n", "broken TOML: Invalid value (at line 1, column 7)"),
])
def test_settings_validation(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "crosspost.toml", text)
    with pytest.raises(ConfigError) as info:
        Settings.load(tmp_path)
    assert str(info.value).startswith(str(path)), str(info.value)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
