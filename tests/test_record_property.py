"""Generated front matter, random results: the record step never touches anything else.

Each example is built as ``before + block + after`` (the block may be empty), so the test
knows exactly which bytes belong to the user. After the update the front matter must be
``before + X + after + Y`` where X replaces the old block and Y, if anything, is a block
appended at the end; it must read back as the original plus the results; and a second
identical update must change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crosspost.errors import PostError
from crosspost.platforms import ALIASES
from crosspost.post import Post
from crosspost.record import updated_text

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

TARGETS = ["lesswrong", "eaforum", "alignmentforum", "medium"]
SPELLINGS = {"lesswrong": ["lesswrong", "lw", "LessWrong"], "eaforum": ["eaforum", "ea"],
             "alignmentforum": ["alignmentforum", "af"], "medium": ["medium"]}
RECORD_KEYS = ["id", "url", "published", "hash", "status"]
KEYS = ["title", "date", "tags", "description", "layout", "author", "summary", "weight",
        "x-thing", "draft", "ünï", "cover_image", "series"]

# Printable text (what people type into front matter), with YAML and TOML's special
# characters made likely.
TEXT = st.text(
    st.characters(whitelist_categories=("L", "N", "P", "S", "Zs"))
    | st.sampled_from(list("\t#:'\"-&*!|>%@`{}[],?=\\ ")),
    max_size=16,
)
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=24)  # anything but surrogates
COMMENT = st.sampled_from(["", "", "  # note", " # a: b, [c]", "\t# tab before", "  "])


@dataclass(frozen=True)
class Doc:
    before: str
    block: str
    after: str
    nl: str
    body: str  # "" with no newline after the closing fence: the file ends with it
    fence: str

    @property
    def text(self) -> str:
        fm = (self.before + self.block + self.after).replace("\n", self.nl)
        return f"{self.fence}{self.nl}{fm}{self.fence}{self.nl if self.body else ''}{self.body}"


# -- YAML --------------------------------------------------------------------------------------


def _loads(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)


def _yaml_value(draw: st.DrawFn, text: str, comment: str) -> str:
    """``text`` as a YAML scalar in a random style that reads back as ``text``."""
    style = draw(st.sampled_from(["plain", "double", "single", "literal"]))
    if style == "plain":
        try:
            if text == text.strip() and _loads(f"k: {text}{comment}\n") == {"k": text}:
                return text + comment
        except yaml.YAMLError:
            pass
    if style == "single" and "\t" not in text:
        return "'" + text.replace("'", "''") + "'" + comment
    if style == "literal" and text.strip() and not text[0].isspace():
        lines = draw(st.lists(TEXT.filter(lambda t: t == t.strip() and t), min_size=1,
                              max_size=3))
        return "|" + comment + "\n" + "".join(f"  {line}\n" for line in lines).rstrip("\n")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' + comment


@st.composite
def yaml_entry(draw: st.DrawFn, key: str, anchors: list[str]) -> str:
    kind = draw(st.sampled_from(["scalar", "scalar", "flow", "block", "nested", "anchor",
                                 "comment", "number", "options"]))
    comment = draw(COMMENT)
    if kind == "options":  # shared options a crosspost target may alias
        anchors.append(f"m{len(anchors)}")
        return f"{key}: &{anchors[-1]} {{draft: true}}{comment}\n"
    if kind == "number":
        return f"{key}: {draw(st.integers(-5, 10**6))}{comment}\n"
    if kind == "flow":
        items = draw(st.lists(st.sampled_from(["ai", "'a b'", '"c, d"', "x-y", "1"]), max_size=3))
        return f"{key}: [{', '.join(items)}]{comment}\n"
    if kind == "block":
        indent = draw(st.sampled_from(["", "  "]))
        items = draw(st.lists(st.sampled_from(["ai", "safety", "'quoted'", "x # c"]),
                              min_size=1, max_size=3))
        return f"{key}:{comment}\n" + "".join(f"{indent}- {item}\n" for item in items)
    if kind == "nested":
        inner = draw(st.sampled_from(["  a: 1\n  b: [x]\n", "  deeper:\n    value: yes\n"]))
        return f"{key}:{comment}\n{inner}"
    if kind == "anchor":
        reuse = draw(st.booleans())
        if anchors and reuse:
            return f"{key}: *{anchors[-1]}{comment}\n"
        anchors.append(f"a{len(anchors)}")
        return f"{key}: &{anchors[-1]} {_yaml_value(draw, draw(TEXT), comment)}\n"
    if kind == "comment":
        return f"# {draw(TEXT).strip()}\n{key}: {_yaml_value(draw, draw(TEXT), comment)}\n"
    return f"{key}: {_yaml_value(draw, draw(TEXT), comment)}\n"


@st.composite
def yaml_record(draw: st.DrawFn, indent: str) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(["draft", "tags", *RECORD_KEYS]), unique=True,
                             max_size=4)):
        if key == "draft":
            value = draw(st.sampled_from(["true", "false"]))
        elif key == "tags":
            value = "[ai, alignment]"
        else:
            value = _yaml_value(draw, draw(TEXT), "").split("\n")[0]
            if value.startswith("|"):
                value = '"x"'
        lines.append(f"{indent}{key}: {value}{draw(COMMENT)}\n")
        if draw(st.integers(0, 5)) == 0:
            lines.append(f"{indent}# a comment line\n")
    return "".join(lines)


@st.composite
def yaml_block(draw: st.DrawFn, anchors: list[str]) -> str:
    targets = draw(st.lists(st.sampled_from(TARGETS), unique=True, max_size=3))
    names = [draw(st.sampled_from(SPELLINGS[t])) for t in targets]
    comment = draw(COMMENT)
    shape = draw(st.sampled_from(["none", "flow-list", "block-list", "scalar", "empty",
                                  "mapping", "mapping", "mapping", "flow-mapping"]))
    if shape == "none":
        return ""
    if shape == "flow-list":
        return f"crosspost: [{', '.join(names)}]{comment}\n"
    if shape == "block-list" and names:
        indent = draw(st.sampled_from(["", "  "]))
        return f"crosspost:{comment}\n" + "".join(f"{indent}- {n}{draw(COMMENT)}\n" for n in names)
    if shape == "scalar" and names:
        return f"crosspost: {names[0]}{comment}\n"
    if shape == "flow-mapping":
        inner = ", ".join(f"{n}: {draw(st.sampled_from(['{}', '{draft: true}', 'null']))}"
                          for n in names)
        return f"crosspost: {{{inner}}}{comment}\n"
    if shape != "mapping" or not names:
        return f"crosspost:{comment}\n"
    width = draw(st.sampled_from([2, 4]))
    lines = [f"crosspost:{comment}\n"]
    for name in names:
        key = draw(st.sampled_from([name, f'"{name}"']))
        form = draw(st.sampled_from(["null", "empty", "flow", "block", "block", "true", "alias"]))
        options = [a for a in anchors if a.startswith("m")]
        if form == "alias" and options:
            lines.append(f"{' ' * width}{key}: *{options[0]}{draw(COMMENT)}\n")
        elif form == "true":
            lines.append(f"{' ' * width}{key}: true{draw(COMMENT)}\n")
        elif form == "null":
            lines.append(f"{' ' * width}{key}:{draw(COMMENT)}\n")
        elif form == "empty":
            lines.append(f"{' ' * width}{key}: {{}}{draw(COMMENT)}\n")
        elif form == "flow":
            lines.append(f"{' ' * width}{key}: {{draft: true, tags: [a, b]}}{draw(COMMENT)}\n")
        else:
            lines.append(f"{' ' * width}{key}:{draw(COMMENT)}\n")
            lines.append(draw(yaml_record(" " * (2 * width))) or f"{' ' * 2 * width}draft: true\n")
    return "".join(lines)


@st.composite
def yaml_docs(draw: st.DrawFn) -> Doc:
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=6))
    anchors: list[str] = []
    entries = [draw(yaml_entry(key, anchors)) for key in keys]
    if draw(st.booleans()):
        entries.append(f"# {draw(TEXT).strip()}\n")
    split = draw(st.integers(0, len(entries)))
    return Doc(before="".join(entries[:split]), block=draw(yaml_block(anchors)),
               after="".join(entries[split:]), nl=draw(st.sampled_from(["\n", "\r\n"])),
               body=draw(st.sampled_from(["Body\n", "Body", "", "# Heading\n\ntext\n"])),
               fence="---")


# -- TOML --------------------------------------------------------------------------------------


def _toml_basic(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@st.composite
def toml_value(draw: st.DrawFn) -> str:
    text = draw(TEXT)
    kind = draw(st.sampled_from(["basic", "literal", "multi", "multi-literal", "int", "bool",
                                 "date", "array", "inline"]))
    if kind == "literal" and "'" not in text and "\t" not in text:
        return f"'{text}'"
    if kind == "multi":
        return '"""\n' + text.replace("\\", "\\\\").replace('"', '\\"') + '\nline two"""'
    if kind == "multi-literal" and "'''" not in text and not text.endswith("'"):
        return f"'''{text}\nmore'''"
    if kind == "int":
        return str(draw(st.integers(-1000, 10**9)))
    if kind == "bool":
        return draw(st.sampled_from(["true", "false"]))
    if kind == "date":
        return draw(st.sampled_from(["2024-01-01", "1979-05-27 07:32:00Z", "07:32:00"]))
    if kind == "array":
        return draw(st.sampled_from(['["a", "b"]', "[\n  1,  # one\n  2,\n]", "[]"]))
    if kind == "inline":
        return "{ a = 1, b = " + _toml_basic(text) + " }"
    return _toml_basic(text)


@st.composite
def toml_pairs(draw: st.DrawFn, keys: list[str]) -> str:
    lines = []
    for key in keys:
        shown = draw(st.sampled_from([key, f'"{key}"'])) if key.isascii() else f'"{key}"'
        lines.append(f"{shown} = {draw(toml_value())}{draw(COMMENT)}\n")
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["\n", "# comment\n"])))
    return "".join(lines)


@st.composite
def toml_record(draw: st.DrawFn, prefix: str) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(["draft", *RECORD_KEYS]), unique=True,
                             max_size=4)):
        value = "true" if key == "draft" else _toml_basic(draw(TEXT))
        lines.append(f"{prefix}{key} = {value}{draw(COMMENT)}\n")
    return "".join(lines)


@st.composite
def toml_docs(draw: st.DrawFn) -> Doc:
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=6))
    split = draw(st.integers(0, len(keys)))
    before = draw(toml_pairs(keys[:split]))
    targets = draw(st.lists(st.sampled_from(TARGETS), unique=True, max_size=3))
    names = [draw(st.sampled_from(SPELLINGS[t])) for t in targets]
    quoted = [f'"{n}"' for n in names]
    shape = draw(st.sampled_from(["none", "array", "inline", "dotted", "tables", "tables",
                                  "crosspost-table"]))
    root_block, tables = "", ""
    if shape == "array":
        root_block = f"crosspost = [{', '.join(quoted)}]{draw(COMMENT)}\n"
    elif shape == "inline":
        inner = ", ".join(f"{n} = {draw(st.sampled_from(['{}', '{ draft = true }']))}"
                          for n in names)
        root_block = f"crosspost = {{ {inner} }}\n"
    elif shape == "dotted":
        root_block = "".join(draw(toml_record(f"crosspost.{n}.")) or f"crosspost.{n}.draft = true\n"
                             for n in names)
    elif shape == "tables":
        tables = "".join(f"\n[crosspost.{n}]{draw(COMMENT)}\n" + draw(toml_record(""))
                         for n in names)
    elif shape == "crosspost-table":
        tables = "\n[crosspost]\n" + "".join(
            draw(st.sampled_from([f"{n} = {{ draft = true }}\n", f"{n} = {{}}\n",
                                  f"{n}.draft = false\n"])) for n in names)
    rest = draw(toml_pairs(keys[split:]))
    after_tables = draw(st.sampled_from(["", "\n[params]\nmath = true\n",
                                         "\n[[menu.main]]\nname = 'x'\n"]))
    if root_block:  # top-level keys may follow it; tables come last
        block, after = root_block, rest + after_tables
    else:
        before, block, after = before + rest, tables, after_tables
    return Doc(before=before, block=block, after=after,
               nl=draw(st.sampled_from(["\n", "\r\n"])),
               body=draw(st.sampled_from(["Body\n", "Body", ""])), fence="+++")


# -- results and checks ------------------------------------------------------------------------

VALUE = st.one_of(st.none(), TEXT, ANY_TEXT,
                  st.sampled_from(["GreaiJYjFDziXbfCw", "1234567890ab", "123e4567",
                                   "https://www.lesswrong.com/posts/x/y#c", "yes", "uncertain"]),
                  st.just(dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.UTC)))
RESULTS = st.dictionaries(
    st.sampled_from(TARGETS),
    st.dictionaries(st.sampled_from(RECORD_KEYS), VALUE, max_size=5),
    max_size=3,
)


def _expected(old: Post, results: Mapping[str, Mapping[str, object | None]]
              ) -> dict[str, dict[str, Any]]:
    block = {t: dict(r) for t, r in old.crosspost.items()}
    for target, values in results.items():
        changes = {k: v for k, v in values.items()
                   if v is not None or k in block.get(target, {})}
        if not changes:
            continue
        record = block.setdefault(ALIASES[target], {})
        for key, value in changes.items():
            if value is None:
                record.pop(key, None)
            else:
                record[key] = value
    return block


def check(doc: Doc, results: Mapping[str, Mapping[str, object | None]]) -> None:
    try:
        old = Post.from_text(doc.text)
        old.crosspost  # noqa: B018 - the generator made something the loader refuses
    except PostError:
        assume(False)
        raise
    new_text = updated_text(doc.text, results)
    new = Post.from_text(new_text)

    # (1) Nothing outside the block moved: fences and body, and the text around the block.
    assert new_text[:new.span.start] == doc.text[:old.span.start]
    assert new.body == old.body
    fm = new_text[new.span.start:new.span.end]
    before, after = (part.replace("\n", doc.nl) for part in (doc.before, doc.after))
    assert fm.startswith(before), (fm, before)
    rest = fm[len(before):]
    where = rest.find(after) if after else len(rest)
    assert where >= 0, (rest, after)
    appended = rest[where + len(after):]
    if appended:
        first = appended.lstrip("\r\n")
        assert first.startswith("crosspost:" if doc.fence == "---" else "[crosspost."), appended
        if doc.fence == "+++":
            headers = [line for line in appended.splitlines() if line.startswith("[")]
            assert all(h.startswith("[crosspost.") for h in headers), headers
        else:
            assert not doc.block.strip() or doc.block.startswith("#"), "a second block"
    if doc.nl == "\r\n":
        assert "\n" not in fm.replace("\r\n", "")

    # (2) It reads back as the original plus the results.
    assert new.crosspost == _expected(old, results)
    assert {k: v for k, v in new.front_matter.items() if k != "crosspost"} == {
        k: v for k, v in old.front_matter.items() if k != "crosspost"}

    # (3) Idempotent.
    assert updated_text(new_text, results) is new_text


@SETTINGS
@given(yaml_docs(), RESULTS)
def test_yaml_front_matter(doc: Doc, results: dict[str, dict[str, object | None]]) -> None:
    check(doc, results)


@SETTINGS
@given(toml_docs(), RESULTS)
def test_toml_front_matter(doc: Doc, results: dict[str, dict[str, object | None]]) -> None:
    check(doc, results)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["# Title\n\nBody\n", "Body", "\ufeffBody\r\nmore\r\n", ""]), RESULTS)
def test_no_front_matter(body: str, results: dict[str, dict[str, object | None]]) -> None:
    new_text = updated_text(body, results)
    new = Post.from_text(new_text)
    if new.format == "none":
        assert new_text == body
        return
    assert new.body == body.removeprefix("\ufeff")
    assert new_text.startswith("\ufeff---" if body.startswith("\ufeff") else "---")
    assert new.crosspost == _expected(Post.from_text(body), results)
    assert updated_text(new_text, results) is new_text
