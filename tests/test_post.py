"""Post: front matter in its forms, titles from headings, and one-line errors with file lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crosspost.errors import PostError
from crosspost.post import Post, plain_heading


def test_yaml_front_matter_and_body_are_split_exactly() -> None:
    text = "---\ntitle: Hello \ndate: 2023-08-30\ntags: ML\n---\n\nBody line.\n"
    post = Post.from_text(text, "p.md")
    assert post.format == "yaml"
    assert post.front_matter["title"] == "Hello"
    assert post.title == "Hello"
    assert post.body == "\nBody line.\n"
    assert post.body_line == 6
    assert post.raw == text
    assert post.date == dt.datetime(2023, 8, 30)
    assert not post.title_from_heading


def test_toml_front_matter() -> None:
    text = '+++\ntitle = "Bread"\ndate = 2024-03-05T07:30:00Z\nslug = "b"\n+++\nText\n'
    post = Post.from_text(text, "p.md")
    assert post.format == "toml"
    assert post.title == "Bread"
    assert post.date == dt.datetime(2024, 3, 5, 7, 30, tzinfo=dt.UTC)
    assert post.body == "Text\n"
    assert post.body_line == 6


def test_bom_before_yaml_front_matter() -> None:
    post = Post.from_text("\ufeff---\ntitle: T\n---\nx\n", "p.md")
    assert post.title == "T"
    assert post.body == "x\n"
    assert post.raw.startswith("\ufeff")


def test_bom_without_front_matter_stays_out_of_the_body() -> None:
    post = Post.from_text("\ufeff# Heading title\n\nText\n", "p.md")
    assert post.format == "none"
    assert post.span.start == post.span.body_start == 1
    assert post.body == "# Heading title\n\nText\n"
    assert post.title == "Heading title"
    assert post.heading_title == (1, "Heading title")


@pytest.mark.parametrize(("opener", "inner", "closer"), [
    ("---", "title: Windows", "---"),
    ("+++", 'title = "Windows"', "+++"),
])
def test_crlf_files(opener: str, inner: str, closer: str) -> None:
    text = f"{opener}\r\n{inner}\r\ndate: 2023-01-02\r\n{closer}\r\nBody\r\n".replace(
        "date: 2023-01-02", "date: 2023-01-02" if opener == "---" else "date = 2023-01-02")
    post = Post.from_text(text, "p.md")
    assert post.title == "Windows"
    assert post.body == "Body\r\n"
    assert post.body_line == 5
    assert post.date == dt.datetime(2023, 1, 2)


def test_no_final_newline_after_the_closing_fence_or_the_body() -> None:
    assert Post.from_text("---\ntitle: A\n---", "p.md").body == ""
    post = Post.from_text("---\ntitle: A\n---\nlast line", "p.md")
    assert post.body == "last line"
    assert post.raw.endswith("last line")


def test_empty_front_matter_is_an_empty_mapping() -> None:
    post = Post.from_text("---\n---\n# T\n", "p.md")
    assert post.front_matter == {}
    assert post.title == "T"


def test_title_from_first_heading_outside_code() -> None:
    text = (
        "Intro.\n\n"
        "```md\n# not this\n```python\n# nor this\n```\n\n"
        "~~~~\n# nor this\n~~~\n# still code\n~~~~\n\n"
        "    # indented code\n\n"
        "## A second-level heading\n\n"
        "# The *real* [title](https://x.org) `here` {#custom-id}\n\n"
        "# A later heading\n"
    )
    post = Post.from_text(text, "p.md")
    assert post.title == "The real title here"
    assert post.heading_title == (19, "The real title here")
    assert post.title_from_heading


def test_heading_line_counts_front_matter_lines() -> None:
    post = Post.from_text("---\ndate: 2023-01-01\n---\n\n# From heading #\n", "p.md")
    assert post.heading_title == (5, "From heading")
    assert post.title_from_heading


def test_no_title_anywhere_is_an_error_with_a_hint() -> None:
    post = Post.from_text("---\ndate: 2023-01-01\n---\nJust text.\n", "post.md")
    assert not post.title_from_heading
    with pytest.raises(PostError) as info:
        _ = post.title
    assert str(info.value) == ("post.md:1: the post has no title. add `title: …` to the front "
                               "matter or start the body with `# Title`")


def test_title_that_is_not_text() -> None:
    post = Post.from_text("---\ndate: 2023-01-01\ntitle: [a, b]\n---\n", "p.md")
    with pytest.raises(PostError, match=r"^p\.md:3: `title` must be text$"):
        _ = post.title


@pytest.mark.parametrize(("front_matter", "line", "problem"), [
    ("title: a: b\n", 2, "mapping values are not allowed"),
    ('title: x\ndescription: "never closed\ndate: 2023\n', 3,
     "found unexpected end of stream while scanning a quoted scalar"),
    ("title: x\nfoo\nbar: 2\n", 3, "could not find expected ':'"),
    ("title: x\ntags: [a, b\nx: 1\n", 3, "did not find expected ',' or ']'"),
    ("title: x\n\tfoo: 1\n", 3, "found a tab character"),
    ("title: x\ndate: 2023-02-30\n", 3, "'2023-02-30' is not a date"),
])
def test_broken_yaml_names_the_file_line(front_matter: str, line: int, problem: str) -> None:
    with pytest.raises(PostError) as info:
        Post.from_text(f"---\n{front_matter}---\nbody\n", "posts/x.md")
    message = str(info.value)
    assert message.startswith(f"posts/x.md:{line}: broken YAML front matter: {problem}")
    assert "\n" not in message
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_broken_yaml_line_after_a_bom_and_crlf() -> None:
    with pytest.raises(PostError, match=r"^p\.md:3: broken YAML"):
        Post.from_text("\ufeff---\r\ntitle: ok\r\nbad: a: b\r\n---\r\n", "p.md")


@pytest.mark.parametrize(("front_matter", "line", "problem"), [
    ('title = "x"\ndate = \n', 3, "Invalid value"),
    ('title = "x\n', 2, "Illegal character"),
    ('a = 1\na = 2\n', 3, "Cannot overwrite a value"),
    ('title = "x"\nx = [1,\n', 3, "Invalid value"),
])
def test_broken_toml_names_the_file_line(front_matter: str, line: int, problem: str) -> None:
    with pytest.raises(PostError) as info:
        Post.from_text(f"+++\n{front_matter}+++\nbody\n", "x.md")
    assert str(info.value).startswith(f"x.md:{line}: broken TOML front matter: {problem}")
    assert "(at line" not in str(info.value)


def test_json_front_matter_is_refused_rather_than_published_as_text() -> None:
    # Hugo reads a file that opens with `{` as JSON front matter; as body text it would be
    # sent to the platforms (or fail later as "no title").
    with pytest.raises(PostError, match=r"^x\.md:1: JSON front matter is not supported"):
        Post.from_text('{\n  "title": "x",\n  "date": "2024-01-01"\n}\n\nbody\n', "x.md")
    assert Post.from_text("{% include x.html %}\n\n# T\n", "x.md").span.format == "none"
    assert Post.from_text("{{< figure src=x >}}\n\n# T\n", "x.md").span.format == "none"


def test_unclosed_front_matter() -> None:
    with pytest.raises(PostError, match=r"^x\.md:1: the YAML front matter is never closed"):
        Post.from_text("---\ntitle: x\n\nbody\n", "x.md")
    with pytest.raises(PostError, match=r"the TOML front matter is never closed. end it with"):
        Post.from_text('+++\ntitle = "x"\n', "x.md")


def test_front_matter_that_is_not_a_mapping() -> None:
    with pytest.raises(PostError, match=r"^x\.md:2: the front matter must be a mapping"):
        Post.from_text("---\njust words\n---\n", "x.md")


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(PostError, match="no such file"):
        Post.from_path(tmp_path / "missing.md")
    with pytest.raises(PostError, match="is a directory"):
        Post.from_path(tmp_path)
    bad = tmp_path / "latin1.md"
    bad.write_bytes(b"---\ntitle: x\n---\n\ncaf\xe9\n")
    with pytest.raises(PostError, match=r"latin1\.md:5: not valid UTF-8. save the file as UTF-8"):
        Post.from_path(bad)


def test_from_path_keeps_bytes(tmp_path: Path) -> None:
    path = tmp_path / "2023-08-30-my-post.md"
    raw = "---\r\ntitle: T \r\n---\r\n\r\nText\u00a0here  \r\nend"
    path.write_bytes(raw.encode("utf-8"))
    post = Post.from_path(path)
    assert post.raw == raw
    assert post.file_slug == "my-post"
    assert post.date == dt.datetime(2023, 8, 30)


def test_dates() -> None:
    assert Post.from_text("---\ndate: 2023-08-30 10:00:00 +0100\n---\n", "p.md").date == (
        dt.datetime(2023, 8, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    assert Post.from_text("x", "2021-1-2-x.md").date is None  # not YYYY-MM-DD
    with pytest.raises(PostError, match=r"^p\.md:3: cannot read the date 'soon'"):
        _ = Post.from_text("---\ntitle: t\ndate: soon\n---\n", "p.md").date


def test_file_slug_of_a_bundle() -> None:
    assert Post.from_text("x", "content/posts/my-bundle/index.md").file_slug == "my-bundle"
    assert Post.from_text("x", "notes/plain-name.md").file_slug == "plain-name"


def test_crosspost_block_forms() -> None:
    listed = Post.from_text("---\ncrosspost: [lw, medium]\n---\n", "p.md")
    assert listed.crosspost == {"lesswrong": {}, "medium": {}}
    single = Post.from_text("---\ncrosspost: ea\n---\n", "p.md")
    assert single.crosspost == {"eaforum": {}}
    mapped = Post.from_text(
        "---\ncrosspost:\n  lesswrong:\n    draft: true\n  medium: false\n---\n", "p.md")
    assert mapped.crosspost == {"lesswrong": {"draft": True}}
    toml = Post.from_text('+++\n[crosspost.eaforum]\ndraft = true\n+++\n', "p.md")
    assert toml.crosspost == {"eaforum": {"draft": True}}


def test_crosspost_block_errors_carry_lines() -> None:
    with pytest.raises(PostError, match=r"^p\.md:4: unknown target 'substack'"):
        _ = Post.from_text("---\ntitle: t\ncrosspost:\n  substack: {}\n---\n", "p.md").crosspost
    near_miss = r"^p\.md:4: unknown target 'lesswong' in `crosspost`\. did you mean 'lesswrong'\?$"
    with pytest.raises(PostError, match=near_miss):
        _ = Post.from_text("---\ntitle: t\ncrosspost:\n  lesswong: {}\n---\n", "p.md").crosspost
    with pytest.raises(PostError, match=r"^p\.md:2: `crosspost` must map target names"):
        _ = Post.from_text("---\ncrosspost: 3\n---\n", "p.md").crosspost
    with pytest.raises(PostError, match=r"^p\.md:3: `crosspost.medium` must be a mapping"):
        _ = Post.from_text("---\ncrosspost:\n  medium: 5\n---\n", "p.md").crosspost
    # A list of mappings (`- lesswrong: {draft: true}`, TOML's `[[crosspost]]`): a list
    # names targets only; it was "internal error: TypeError: unhashable type".
    listed_options = r"^p\.md:2: a `crosspost` list names targets only; .*\. write .*lesswrong:"
    with pytest.raises(PostError, match=listed_options):
        _ = Post.from_text("---\ncrosspost:\n  - lesswrong: {draft: true}\n---\n", "p.md").crosspost
    with pytest.raises(PostError, match=r"^p\.md: a `crosspost` list names targets only"):
        _ = Post.from_text("+++\ntitle = 'T'\n[[crosspost]]\nx = 1\n+++\n", "p.md").crosspost


def test_key_line_prefers_top_level_keys() -> None:
    post = Post.from_text("---\nmeta:\n  title: inner\ntitle: outer\n---\n", "p.md")
    assert post.key_line("title") == 4
    assert post.key_line("meta") == 2
    assert post.key_line("absent") is None
    assert Post.from_text("# T\n", "p.md").key_line("title") is None


def test_with_raw_reparses() -> None:
    post = Post.from_text("---\ntitle: a\n---\n", "p.md")
    assert post.with_raw("---\ntitle: b\n---\n").title == "b"


def test_repr_leaves_out_the_text() -> None:
    assert "Body text" not in repr(Post.from_text("---\ntitle: a\n---\nBody text\n", "p.md"))


@pytest.mark.parametrize(("markdown", "plain"), [
    ("Plain", "Plain"),
    ("A **bold** and _quiet_ title", "A bold and quiet title"),
    ("Uses `code` and [a link](https://x.org)", "Uses code and a link"),
    ("snake_case_name stays", "snake_case_name stays"),
    ("Title {#anchor}", "Title"),
])
def test_plain_heading(markdown: str, plain: str) -> None:
    assert plain_heading(markdown) == plain


def test_a_post_is_the_same_file_whichever_way_its_path_is_typed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "_posts").mkdir()
    path = tmp_path / "_posts" / "2024-01-02-x.md"
    path.write_text("---\ntitle: X\n---\nBody\n", encoding="utf-8")
    (tmp_path / "other.md").write_text("---\ntitle: Y\n---\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "_posts")
    typed = Post.from_path(Path("2024-01-02-x.md"))
    assert typed.path == Path("2024-01-02-x.md")  # kept as typed, for messages
    assert typed.resolved_path == path.resolve()
    assert typed.is_same_file(Post.from_path(path))
    assert typed.is_same_file(Post.from_path(Path("../_posts/./2024-01-02-x.md")))
    assert not typed.is_same_file(Post.from_path(tmp_path / "other.md"))
