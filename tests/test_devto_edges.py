"""dev.to as a writer meets it: Liquid in prose and in code, awkward tags, cover images of
every kind, series, a canonical URL that moves, a draft published by hand, an article
deleted on dev.to, 429s on reads, several posts at once. The engine end to end, against the
strict fake (tests/fakes/devto.py), over real HTTP; the fake's clock moves by the client's
own waits, so nothing here sleeps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.status import status_of
from tests.fakes.devto import LIST, DevtoFake, retry_later, visible_text
from tests.fakes.server import Fault
from tests.sites import make_site, post_text
from tests.test_devto import record, run, set_draft

NAME = "2024-01-02-hello.md"


def site_post(tmp_path: Path, body: str, *, extra: str = "", name: str = NAME,
              title: str = "Hello dev") -> Path:
    site = make_site(tmp_path / "site", {name: post_text(title, body, crosspost="crosspost:\n  devto:\n",
                                                         extra=extra)})
    return site / "_posts" / name


def test_liquid_in_prose_shows_as_typed_and_code_is_left_alone(devto: DevtoFake,
                                                               tmp_path: Path) -> None:
    # On a Jekyll site, the site's own Liquid is the site's (an include is rendered, as Jekyll
    # would); what the writer shows as typed is in {% raw %}, and must stay as typed on dev.to.
    body = ("Jekyll writes {% raw %}{% include note.html %} and {{ page.title }}{% endraw %} "
            "in prose.\n\n"
            "{% raw %}A {%- comment -%} trimmed, and a lone {% in prose.{% endraw %}\n\n"
            "Inline `{{ site.url }}` stays.\n\n"
            "```liquid\n{% for p in site.posts %}{{ p.title }}{% endfor %}\n```\n\n"
            "    {% if x %}indented{% endif %}\n")
    path = site_post(tmp_path, body)
    assert run([path], devto).results[0].status == "created"
    [article] = devto.articles
    assert "Liquid syntax error" not in article.body_html
    shown = visible_text(article.body_html)
    for typed in ("{% include note.html %} and {{ page.title }} in prose", "{%- comment -%}",
                  "a lone {% in prose", "{{ site.url }}", "{{ p.title }}", "{% if x %}indented"):
        assert typed in shown, typed
    assert "```liquid\n{% for p in site.posts %}{{ p.title }}{% endfor %}\n```" \
        in article.body_markdown


@pytest.mark.parametrize(("tags", "sent", "dropped"), [
    ("[Machine-Learning, machine_learning, ML]", ["machinelearning", "ml"], []),
    ("[a, b, c, d, e, f]", ["a", "b", "c", "d"], ["'e' (beyond the first 4)",
                                                  "'f' (beyond the first 4)"]),
    ("'python, web dev'", ["python", "web", "dev"], []),
    ("[2024, C++, '---']", ["2024", "c"], ["'---' (no letters or digits)"]),
    ("[" + "x" * 31 + ", ok]", ["ok"], [f"'{'x' * 31}' (over 30 characters)"]),
])
def test_tags_as_dev_to_takes_them_with_one_warning(devto: DevtoFake, tmp_path: Path, tags: str,
                                                    sent: list[str], dropped: list[str]) -> None:
    path = site_post(tmp_path, "Tagged.\n", extra=f"tags: {tags}\n")
    result = run([path], devto).results[0]
    assert result.status == "created", result.message
    [article] = devto.articles
    assert article.tags == sent
    plan = result.plan
    assert plan is not None
    assert plan.rendered is not None
    warned = [str(n).split(": ", 2)[2] for n in plan.rendered.notices if "not sent" in str(n)]
    assert warned == ([f"dev.to takes at most 4 tags of letters and digits, up to 30 long; not "
                       f"sent: {', '.join(dropped)}"] if dropped else [])


@pytest.mark.parametrize(("cover", "expected"), [
    ("https://cdn.example.org/c.png", "https://cdn.example.org/c.png"),
    ("/assets/cover.png", "https://janedoe.net/assets/cover.png"),
    ("cover.png", None),  # relative to the post: not a file of the site
    ("/assets/missing.png", None),
    ("http://insecure.example/c.png", "http://insecure.example/c.png"),
])
def test_cover_images_remote_local_relative_missing(devto: DevtoFake, tmp_path: Path,
                                                    cover: str, expected: str | None) -> None:
    path = site_post(tmp_path, "With a cover.\n", extra=f"image: {cover}\ncover_image: {cover}\n")
    (path.parent.parent / "assets").mkdir()
    (path.parent.parent / "assets" / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = run([path], devto).results[0]
    assert result.status == "created", result.message
    [article] = devto.articles
    assert article.main_image == expected
    plan = result.plan
    assert plan is not None
    assert plan.rendered is not None
    if expected is None:
        assert any("cover" in str(n) for n in plan.rendered.notices), plan.rendered.notices


def test_series_and_a_canonical_url_that_moves(devto: DevtoFake, tmp_path: Path) -> None:
    path = site_post(tmp_path, "Part one.\n", extra="series: Field notes\n")
    assert run([path], devto).results[0].status == "created"
    [article] = devto.articles
    assert (article.series, article.canonical_url) == (
        "Field notes", "https://janedoe.net/blog/2024/hello/")
    # The site's permalink changes: the copy's canonical URL follows, the copy stays one.
    config = path.parent.parent / "_config.yml"
    config.write_text(config.read_text().replace("/blog/:year/:title/", "/notes/:title/"))
    assert run([path], devto).results[0].status == "updated"
    assert article.canonical_url == "https://janedoe.net/notes/hello/"
    assert len(devto.articles) == 1
    assert article.series == "Field notes"


def test_a_draft_published_by_hand_on_dev_to(devto: DevtoFake, tmp_path: Path) -> None:
    path = site_post(tmp_path, "Drafted.\n")
    assert run([path], devto, draft=True).results[0].status == "created"
    [article] = devto.articles
    draft_url = record(path)["url"]
    # The writer presses Publish on dev.to: the slug changes.
    article.published, article.published_at = True, devto.now()
    article.slug = article.slug.replace("-temp-slug-", "-")
    [remote] = list(status_of(path, targets=["devto"]))
    assert remote.state == "draft"  # crosspost's record still says draft: offline, it cannot know
    # The next publish without --draft brings the record to the final URL and keeps it live.
    path.write_text(path.read_text() + "\nMore.\n")
    result = run([path], devto).results[0]
    assert result.status == "updated", result.message
    assert article.published
    assert record(path)["url"] != draft_url
    assert record(path)["url"] == f"https://dev.to/ada/{article.slug}"


def test_an_article_deleted_on_dev_to_says_so_and_creates_nothing(devto: DevtoFake,
                                                                  tmp_path: Path) -> None:
    path = site_post(tmp_path, "Soon gone.\n")
    assert run([path], devto).results[0].status == "created"
    [article] = devto.articles
    devto.articles.clear()  # deleted in dev.to's dashboard: the API has no DELETE
    path.write_text(path.read_text() + "\nMore.\n")
    result = run([path], devto).results[0]
    assert (result.status, result.message) == (
        "failed", f"article {article.id} is not among this account's articles on dev.to (deleted, "
                  "or made with another account). remove `crosspost.devto.id` and "
                  "`crosspost.devto.url` from the front matter to publish a new copy")
    assert devto.articles == []
    assert [r.method for r in devto.writes()] == ["POST"]
    assert record(path)["id"] == str(article.id)


def test_a_429_on_reading_the_list_is_waited_out(devto: DevtoFake, tmp_path: Path) -> None:
    path = site_post(tmp_path, "Listed.\n")
    devto.inject(Fault.respond(retry_later(3), match=LIST))
    result = run([path], devto).results[0]
    assert result.status == "created", result.message
    assert 3.0 in devto.waits
    assert len(devto.articles) == 1


def test_a_draft_option_moves_a_copy_published_by_hand_back_only_when_the_post_changes(
        devto: DevtoFake, tmp_path: Path) -> None:
    path = site_post(tmp_path, "Kept a draft.\n")
    set_draft(path, "true")
    assert run([path], devto).results[0].status == "created"
    [article] = devto.articles
    article.published, article.published_at = True, devto.now()
    assert run([path], devto).results[0].status == "up to date"
    assert article.published
