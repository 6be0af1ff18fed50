"""The parser's placed spans, protected ranges, layers and block edits."""

from __future__ import annotations

from crosspost.render.markdown import Edit, Layer, block_edit, fence, parse


def test_inline_spans_are_placed_exactly() -> None:
    text = ("Intro `code {{ x }}` and [a link](rel/path?q=1#:~:text=hi) and\n"
            "https://www.lesswrong.com/posts/GreaiJYjFDziXbfCw/x ok.\n\n"
            "> quote [q](<q 1.md> \"t\")\n")
    parsed = parse(text)
    found = {(s.kind, text[s.start:s.end]) for s in parsed.spans}
    assert ("backticks", "`code {{ x }}`") in found
    assert ("link", "[a link](rel/path?q=1#:~:text=hi)") in found
    assert ("linkify", "https://www.lesswrong.com/posts/GreaiJYjFDziXbfCw/x") in found
    assert ("link", '[q](<q 1.md> "t")') in found
    dests = [text[s.dest[0]:s.dest[1]] for s in parsed.spans if s.dest]
    assert dests == ["rel/path?q=1#:~:text=hi", "<q 1.md>"]


def test_table_cells_with_equal_text_are_told_apart() -> None:
    text = "| a | b |\n|---|---|\n| [x](y) | [x](y) |\n"
    parsed = parse(text)
    starts = [s.dest[0] for s in parsed.spans if s.dest]
    assert len(set(starts)) == 2
    assert all(text[s:s + 1] == "y" for s in starts)


def test_protected_ranges_cover_code_and_math() -> None:
    text = ("a `b {% x %}` c\n\n```\n{% fenced %}\n```\n\n    {% indented %}\n\n"
            "$x {% y %}$ and $$z$$\n\n$$\n{% display %}\n$$\n\nplain {% tag %}\n")
    parsed = parse(text)
    for needle in ("{% x %}", "{% fenced %}", "{% indented %}", "{% y %}", "{% display %}"):
        assert parsed.is_protected(text.index(needle)), needle
    assert not parsed.is_protected(text.index("{% tag %}"))


def test_reference_definitions_are_found() -> None:
    text = "See [x][ref].\n\n[ref]: <some where> \"title\"\n[other]: http://x.org\n"
    parsed = parse(text)
    assert [text[r.dest[0]:r.dest[1]] for r in parsed.references] == [
        "<some where>", "http://x.org"]


def test_layers_map_offsets_back_to_file_lines() -> None:
    root = Layer("one\ntwo\nthree\nfour\n", first_line=10)
    first = root.apply([Edit(4, 8, "2\n2b\n2c\n")])  # "two\n" becomes three lines
    assert first.text == "one\n2\n2b\n2c\nthree\nfour\n"
    assert first.line(first.text.index("three")) == 12
    assert first.line(first.text.index("2c")) == 11
    second = first.apply([Edit(0, 4, "")])
    assert second.line(second.text.index("four")) == 13


def test_overlapping_edits_keep_the_outer_one() -> None:
    layer = Layer("abcdef").apply([Edit(2, 4, "X"), Edit(1, 5, "Y"), Edit(5, 5, "+")])
    assert layer.text == "aY+f"


def test_block_edit_separates_and_removes_blocks() -> None:
    text = "para\n{% tag %}\nnext\n"
    start = text.index("{%")
    edit = block_edit(text, start, start + 9, "BLOCK")
    assert Layer(text).apply([edit]).text == "para\n\nBLOCK\n\nnext\n"
    text = "para\n\n{% tag %}\n\nnext\n"
    start = text.index("{%")
    assert Layer(text).apply([block_edit(text, start, start + 9, "")]).text == "para\n\nnext\n"


def test_block_edit_keeps_list_indentation() -> None:
    text = "- item\n\n  {% tag %}\n"
    start = text.index("{%")
    result = Layer(text).apply([block_edit(text, start, start + 9, "A\n\nB")]).text
    assert result == "- item\n\n  A\n\n  B\n"


def test_fence_is_longer_than_any_backtick_run_inside() -> None:
    assert fence("a\n```\nb", "md") == "````md\na\n```\nb\n````"


def test_table_cells_with_escaped_pipes_are_placed() -> None:
    text = "| a | b |\n|---|---|\n| x \\| [y](z) | `c\\|d` [w](v) |\n"
    parsed = parse(text)
    assert [text[s.dest[0]:s.dest[1]] for s in parsed.spans if s.dest] == ["z", "v"]
    assert [text[s.start:s.end] for s in parsed.spans_of("backticks")] == ["`c\\|d`"]
