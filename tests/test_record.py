"""Recording results into front matter: exact bytes for each real-world shape, and the file on disk.

Every shape in ``CASES`` states the whole expected file, so a test fails on any byte that
moves. Each case also runs with CRLF line endings, without a final newline and with a BOM,
and is checked to read back as the original plus the results, to be a no-op the second
time, to update only the changed lines, and to remove keys set to ``None``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from crosspost import record
from crosspost.errors import ConflictError, PostError
from crosspost.post import Post
from crosspost.record import record_results, updated_text

LW_ID = "GreaiJYjFDziXbfCw"
LW_URL = "https://www.lesswrong.com/posts/GreaiJYjFDziXbfCw/my-post"
WHEN = "2026-11-27T04:00:00Z"
LW: dict[str, object | None] = {"id": LW_ID, "url": LW_URL, "published": WHEN,
                                "hash": "e3b0c44298fc1c14", "status": None}
# What a LessWrong record looks like, in block style, under a 2-space target key.
LW_LINES = f"""\
    id: {LW_ID}
    url: {LW_URL}
    published: "{WHEN}"
    hash: e3b0c44298fc1c14
"""
LW_TOML = f"""\
id = "{LW_ID}"
url = "{LW_URL}"
published = "{WHEN}"
hash = "e3b0c44298fc1c14"
"""


@dataclass(frozen=True)
class Case:
    name: str
    before: str
    results: Mapping[str, Mapping[str, object | None]]
    after: str


AL_FOLIO = (
    "---\n"
    "layout: post\n"
    "title: My thoughts on AI and personal future plan after learning about AI Safety for 4 months\n"
    "date: 2023-08-30\n"
    "description: About AI promising and also dangerous future and what I want to do about it. \n"
    "tags: ML\n"
    "categories: AI\n"
    "giscus_comments: true\n"
    "---\n"
    "\n"
    "In this post, I want to distill some of my thoughts. \n"
)

KITCHEN_SINK = """\
---
# A comment before everything
title: "Quoted: with a colon"   # and a comment after it
subtitle: 'single ''quoted'''
summary: |
  A literal block
    with indentation kept

  and a blank line.
teaser: >-
  Folded text
  over lines.
defaults: &defaults
  layout: post
  comments: true
page: *defaults
tags: [ai, "alignment", 'safety']
categories:
- ML
-   research   # odd spacing
nested:
  deeper:
    value: 1
tabbed: a\tb
unicode: "Ünïcødé — ☃ 🚀"
empty:
---
Body text.
"""

CASES: list[Case] = [
    Case("al-folio post, no crosspost key", AL_FOLIO, {"lesswrong": LW},
         AL_FOLIO.replace("giscus_comments: true\n",
                          "giscus_comments: true\ncrosspost:\n  lesswrong:\n" + LW_LINES)),
    Case("comments, quotes, block scalars, anchors, lists, tabs, unicode", KITCHEN_SINK,
         {"lesswrong": LW},
         KITCHEN_SINK.replace("empty:\n---", "empty:\ncrosspost:\n  lesswrong:\n" + LW_LINES + "---")),
    Case("flow list shorthand", """\
---
title: Hello
crosspost: [lesswrong, medium]  # where it goes
date: 2024-01-01
---
Body
""", {"lesswrong": LW}, f"""\
---
title: Hello
crosspost:  # where it goes
  lesswrong:
{LW_LINES}  medium:
date: 2024-01-01
---
Body
"""),
    Case("block list shorthand, indentless, with comments", """\
---
title: Hello
crosspost:
- medium   # later
# a comment between entries
- lw
date: 2024-01-01
---
Body
""", {"lesswrong": LW}, f"""\
---
title: Hello
crosspost:
  medium:   # later
# a comment between entries
  lw:
{LW_LINES}date: 2024-01-01
---
Body
"""),
    Case("block list shorthand, indented, new target added", """\
---
crosspost:
    - eaforum
title: Hello
---
Body
""", {"lesswrong": LW}, f"""\
---
crosspost:
    eaforum:
    lesswrong:
{LW_LINES.replace("    ", "        ")}title: Hello
---
Body
"""),
    Case("a single target name", """\
---
crosspost: lw
---
Body
""", {"lesswrong": LW}, f"""\
---
crosspost:
  lw:
{LW_LINES}---
Body
"""),
    Case("empty crosspost key with a comment", """\
---
crosspost:   # fill me
title: Hello
---
Body
""", {"lesswrong": LW}, f"""\
---
crosspost:   # fill me
  lesswrong:
{LW_LINES}title: Hello
---
Body
"""),
    Case("null target and other targets untouched", """\
---
title: Hello
crosspost:
  lesswrong:
  medium:
    tags: [ai, alignment]   # Medium allows five
    publication: null
---
Body
""", {"lesswrong": LW}, f"""\
---
title: Hello
crosspost:
  lesswrong:
{LW_LINES}  medium:
    tags: [ai, alignment]   # Medium allows five
    publication: null
---
Body
"""),
    Case("empty flow mapping becomes a block", """\
---
crosspost:
  lesswrong: {}  # soon
---
""", {"lesswrong": LW}, f"""\
---
crosspost:
  lesswrong:  # soon
{LW_LINES}---
"""),
    Case("flow mapping with options is edited in place", """\
---
crosspost:
  lesswrong: {draft: true}
  eaforum: {draft: false}
---
Body
""", {"lesswrong": {"id": LW_ID, "hash": "abc123"}}, f"""\
---
crosspost:
  lesswrong: {{draft: true, id: {LW_ID}, hash: abc123}}
  eaforum: {{draft: false}}
---
Body
"""),
    Case("block options, comments inside and after values", """\
---
title: Hello
crosspost:
  # LessWrong first
  lesswrong:      # the main one
    draft: true   # until reviewed
    tags: [ai]
    # end of LessWrong
  medium:
    license: cc-40-by
# after the block
layout: post
---
Body
""", {"lesswrong": LW}, f"""\
---
title: Hello
crosspost:
  # LessWrong first
  lesswrong:      # the main one
    draft: true   # until reviewed
    tags: [ai]
{LW_LINES}    # end of LessWrong
  medium:
    license: cc-40-by
# after the block
layout: post
---
Body
"""),
    Case("alias key and quoted keys", """\
---
"crosspost":
  'lw':
    "draft": true
  "medium": {}
---
Body
""", {"lesswrong": LW}, f"""\
---
"crosspost":
  'lw':
    "draft": true
{LW_LINES}  "medium": {{}}
---
Body
"""),
    Case("four-space indentation is followed", """\
---
crosspost:
    medium:
        tags: [ai]
---
Body
""", {"lesswrong": LW}, f"""\
---
crosspost:
    medium:
        tags: [ai]
    lesswrong:
{LW_LINES.replace("    ", "        ")}---
Body
"""),
    Case("existing record: only the changed lines move", f"""\
---
crosspost:
  lesswrong:
    draft: true
    id: {LW_ID}
    url: {LW_URL}
    published: "2025-01-01T00:00:00Z"
    hash: 0123abcd
    status: uncertain
---
Body
""", {"lesswrong": LW}, f"""\
---
crosspost:
  lesswrong:
    draft: true
    id: {LW_ID}
    url: {LW_URL}
    published: "{WHEN}"
    hash: e3b0c44298fc1c14
---
Body
"""),
    Case("target that is a YAML alias keeps the shared options through a merge key", """\
---
shared: &opts
  draft: true
crosspost:
  lesswrong: *opts
---
Body
""", {"lesswrong": LW}, f"""\
---
shared: &opts
  draft: true
crosspost:
  lesswrong:
    <<: *opts
{LW_LINES}---
Body
"""),
    Case("flow mapping block", """\
---
crosspost: {lw: {draft: true}, medium: {}}
---
""", {"lesswrong": {"id": LW_ID}}, f"""\
---
crosspost: {{lw: {{draft: true, id: {LW_ID}}}, medium: {{}}}}
---
"""),
    Case("target set to true", """\
---
crosspost:
  eaforum: true
---
""", {"eaforum": {"id": "abcdefghijklmnopq"}}, """\
---
crosspost:
  eaforum:
    id: abcdefghijklmnopq
---
"""),
    Case("Medium ids that look like numbers are quoted", """\
---
crosspost:
  medium:
---
""", {"medium": {"id": "1234567890ab", "hash": "123e4567", "status": "uncertain",
                 "url": "https://medium.com/@me/post-1234567890ab#comments"}}, """\
---
crosspost:
  medium:
    id: "1234567890ab"
    hash: "123e4567"
    status: uncertain
    url: "https://medium.com/@me/post-1234567890ab#comments"
---
"""),
    Case("empty front matter", "---\n---\nBody\n", {"lesswrong": LW},
         f"---\ncrosspost:\n  lesswrong:\n{LW_LINES}---\nBody\n"),
    Case("no front matter at all", "# A title\n\nBody\n", {"lesswrong": LW},
         f"---\ncrosspost:\n  lesswrong:\n{LW_LINES}---\n# A title\n\nBody\n"),
    Case("TOML without a crosspost table", """\
+++
title = "Hello"   # a comment
tags = ["ai", 'alignment']
description = \"\"\"
Multi-line
  text\"\"\"

[params]
math = true
+++
Body
""", {"lesswrong": LW}, f"""\
+++
title = "Hello"   # a comment
tags = ["ai", 'alignment']
description = \"\"\"
Multi-line
  text\"\"\"

[params]
math = true

[crosspost.lesswrong]
{LW_TOML}+++
Body
"""),
    Case("TOML target table with options and comments", """\
+++
title = "Hello"

[crosspost.lw]  # LessWrong
draft = true    # for now

[crosspost.medium]
tags = ["ai"]
+++
Body
""", {"lesswrong": LW}, f"""\
+++
title = "Hello"

[crosspost.lw]  # LessWrong
draft = true    # for now
{LW_TOML}
[crosspost.medium]
tags = ["ai"]
+++
Body
"""),
    Case("TOML list shorthand moves to tables at the end", """\
+++
title = "Hello"
crosspost = [
  "lesswrong",
  "medium",
]  # targets
date = 2024-01-01

[params]
math = true
+++
Body
""", {"lesswrong": LW}, f"""\
+++
title = "Hello"
date = 2024-01-01

[params]
math = true

[crosspost.lesswrong]  # targets
{LW_TOML}
[crosspost.medium]
+++
Body
"""),
    Case("TOML inline tables", """\
+++
title = "Hello"
crosspost = { lesswrong = { draft = true }, medium = {} }
+++
Body
""", {"lesswrong": {"id": LW_ID, "hash": "abc"}}, f"""\
+++
title = "Hello"
crosspost = {{ lesswrong = {{ draft = true, id = "{LW_ID}", hash = "abc" }}, medium = {{}} }}
+++
Body
"""),
    Case("TOML inline target table under [crosspost]", """\
+++
[crosspost]
lesswrong = {}
medium = { tags = ["ai"] }
+++
""", {"lesswrong": {"id": LW_ID}}, f"""\
+++
[crosspost]
lesswrong = {{ id = "{LW_ID}" }}
medium = {{ tags = ["ai"] }}
+++
"""),
    Case("TOML dotted keys at the top level", """\
+++
title = "Hello"
crosspost.lesswrong.draft = true
crosspost.medium.tags = ["ai"]

[params]
math = true
+++
""", {"lesswrong": {"id": LW_ID, "url": LW_URL}}, f"""\
+++
title = "Hello"
crosspost.lesswrong.draft = true
crosspost.lesswrong.id = "{LW_ID}"
crosspost.lesswrong.url = "{LW_URL}"
crosspost.medium.tags = ["ai"]

[params]
math = true
+++
"""),
    Case("TOML dotted keys under [crosspost], quoted key kept", """\
+++
[crosspost]
"lw".draft = true
+++
""", {"lesswrong": {"id": LW_ID}}, f"""\
+++
[crosspost]
"lw".draft = true
"lw".id = "{LW_ID}"
+++
"""),
]

IDS = [case.name for case in CASES]


def _variant(text: str, kind: str) -> str:
    if kind == "crlf":
        return text.replace("\n", "\r\n")
    if kind == "no-final-newline":
        return text.removesuffix("\n")
    if kind == "bom":
        return "\ufeff" + text
    return text


VARIANTS = ["lf", "crlf", "no-final-newline", "bom"]


def _diff(a: str, b: str) -> str:
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), "expected", "got"))


def block_lines(text: str) -> set[int]:
    """Indices of the lines that belong to the ``crosspost`` block (found independently)."""
    post = Post.from_text(text)
    lines = text.splitlines(True)
    first = text.count("\n", 0, post.span.start)
    last = text.count("\n", 0, post.span.end)  # the closing fence's line
    inside: set[int] = set()
    if post.format == "yaml":
        root = yaml.compose(text[post.span.start:post.span.end], Loader=yaml.CSafeLoader)
        if root is None:
            return inside
        pairs = root.value
        for i, (key, _) in enumerate(pairs):
            if key.value == "crosspost":
                end = pairs[i + 1][0].start_mark.line if i + 1 < len(pairs) else last - first
                inside.update(range(first + key.start_mark.line, first + end))
    elif post.format == "toml":
        in_table = False
        depth = 0  # open brackets of a multi-line `crosspost = [` array
        for n in range(first, last):
            line = lines[n].strip()
            if depth == 0 and line.startswith("["):
                in_table = line.startswith("[crosspost")
            if in_table or depth or line.startswith("crosspost"):
                inside.add(n)
                if not in_table:
                    depth += line.count("[") - line.count("]")
    return inside


def assert_only_block_changed(before: str, after: str) -> None:
    """Every line the edit removed or added sits in the crosspost block (old or new side)."""
    old, new = before.splitlines(True), after.splitlines(True)
    old_block, new_block = block_lines(before), block_lines(after)
    if Post.from_text(before).format == "none":
        # The one case that adds a front matter: the new lines are the fences and the block.
        new_block |= {0, len(new) - len(old) - 1}
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for i in range(i1, i2):
            assert i in old_block or not old[i].strip(), f"changed outside the block: {old[i]!r}"
        for j in range(j1, j2):
            assert j in new_block or not new[j].strip(), f"added outside the block: {new[j]!r}"


def expected_record(before: str, results: Mapping[str, Mapping[str, object | None]]
                    ) -> dict[str, dict[str, Any]]:
    from crosspost.platforms import ALIASES

    block = {t: dict(r) for t, r in Post.from_text(before).crosspost.items()}
    for target, values in results.items():
        record_ = block.setdefault(ALIASES[target], {})
        for key, value in values.items():
            if value is None:
                record_.pop(key, None)
            else:
                record_[key] = value
    return {t: r for t, r in block.items() if r or t in Post.from_text(before).crosspost}


def others(text: str) -> dict[str, Any]:
    return {k: v for k, v in Post.from_text(text).front_matter.items() if k != "crosspost"}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_exact_bytes(case: Case, variant: str) -> None:
    before, after = _variant(case.before, variant), _variant(case.after, variant)
    got = updated_text(before, case.results)
    assert got == after, _diff(after, got)
    if variant == "crlf":
        assert "\n" not in got.replace("\r\n", "")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_only_the_block_changes(case: Case) -> None:
    assert_only_block_changed(case.before, updated_text(case.before, case.results))


@pytest.mark.parametrize("variant", ["lf", "crlf"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_reads_back_as_original_plus_results(case: Case, variant: str) -> None:
    before = _variant(case.before, variant)
    after = updated_text(before, case.results)
    assert Post.from_text(after).crosspost == expected_record(before, case.results)
    assert others(after) == others(before)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_second_call_is_a_no_op(case: Case, variant: str) -> None:
    after = _variant(case.after, variant)
    assert updated_text(after, case.results) is after


def _target(case: Case) -> str:
    from crosspost.platforms import ALIASES

    return ALIASES[next(iter(case.results))]


@pytest.mark.parametrize("variant", ["lf", "crlf"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_update_changes_only_those_values(case: Case, variant: str) -> None:
    after = _variant(case.after, variant)
    target = _target(case)
    update = {target: {"url": "https://example.org/posts/new-slug", "hash": "ffff0000"}}
    updated = updated_text(after, update)
    assert Post.from_text(updated).crosspost == expected_record(after, update)
    old, new = after.splitlines(True), updated.splitlines(True)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    changed = [(old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
               if tag != "equal"]
    removed = [line for gone, _ in changed for line in gone]
    added = [line for _, came in changed for line in came]
    assert all("new-slug" in line or "ffff0000" in line for line in added), added
    # Block records: the url line and the hash line; flow records: their one line.
    assert len(added) <= 2
    assert len(removed) <= len(added)
    assert updated_text(updated, update) is updated


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_none_removes_a_key(case: Case) -> None:
    target = _target(case)
    before = Post.from_text(case.after).crosspost[target]
    removal = {target: {"id": None, "status": None}}
    removed = updated_text(case.after, removal)
    assert Post.from_text(removed).crosspost[target] == {
        k: v for k, v in before.items() if k not in ("id", "status")}
    assert others(removed) == others(case.after)
    old, new = case.after.splitlines(True), removed.splitlines(True)
    gone = [line for line in old if line not in new]
    came = [line for line in new if line not in old]
    # Block records lose their `id:` line; a flow record's one line is rewritten.
    assert gone
    assert all(str(before["id"]) in line or "status" in line for line in gone), gone
    assert len(came) <= 1
    assert not any(str(before["id"]) in line for line in came)
    assert updated_text(removed, removal) is removed


def test_removing_a_missing_key_or_target_changes_nothing() -> None:
    text = "---\ntitle: x\ncrosspost: [lesswrong]\n---\nBody\n"
    assert updated_text(text, {"lesswrong": {"id": None}, "medium": {"url": None}}) is text
    assert updated_text("Just a body\n", {"medium": {"id": None}}) == "Just a body\n"


def test_several_targets_in_one_call() -> None:
    text = "---\ntitle: x\ncrosspost:\n  lesswrong: {draft: true}\n  medium:\n---\nBody\n"
    results = {"lesswrong": {"id": LW_ID}, "medium": {"id": "abcdef012345"},
               "af": {"id": LW_ID, "url": "https://www.alignmentforum.org/posts/x"}}
    got = updated_text(text, results)
    assert got == (
        "---\ntitle: x\ncrosspost:\n"
        f"  lesswrong: {{draft: true, id: {LW_ID}}}\n"
        "  medium:\n    id: abcdef012345\n"
        f"  alignmentforum:\n    id: {LW_ID}\n    url: https://www.alignmentforum.org/posts/x\n"
        "---\nBody\n"
    )


@pytest.mark.parametrize(("before", "results", "after"), [
    pytest.param('+++\ncrosspost.medium.url = "x"\ncrosspost.lw.draft = true\n+++\n',
                 {"medium": {"url": None}},
                 '+++\ncrosspost.medium = {}\ncrosspost.lw.draft = true\n+++\n',
                 id="removing every dotted key keeps the target"),
    pytest.param("+++\ncrosspost = 'lw'  # one\n+++\n", {"lesswrong": {"id": LW_ID}},
                 f'+++\n[crosspost.lw]  # one\nid = "{LW_ID}"\n+++\n',
                 id="TOML single target name"),
    pytest.param("---\nt: &t lesswrong\ncrosspost: [*t, medium]\n---\n",
                 {"lesswrong": {"id": LW_ID}},
                 f"---\nt: &t lesswrong\ncrosspost:\n  lesswrong:\n    id: {LW_ID}\n  medium:\n---\n",
                 id="an alias in a flow list becomes the name it holds"),
    pytest.param("---\ncrosspost:\n  lesswrong: false  # off for now\n---\n",
                 {"lesswrong": {"id": LW_ID}},
                 f"---\ncrosspost:\n  lesswrong:  # off for now\n    id: {LW_ID}\n---\n",
                 id="a disabled target that was published anyway records its copy"),
    pytest.param("---\n  title: x\n---\n", {"lesswrong": {"id": LW_ID}},
                 f"---\n  title: x\n  crosspost:\n    lesswrong:\n      id: {LW_ID}\n---\n",
                 id="an indented front matter"),
    pytest.param("---\ntitle: x\n...\nBody\n", {"lesswrong": {"id": LW_ID}},
                 f"---\ntitle: x\ncrosspost:\n  lesswrong:\n    id: {LW_ID}\n...\nBody\n",
                 id="closed with a YAML document end"),
])
def test_more_shapes(before: str, results: Mapping[str, Mapping[str, object | None]],
                     after: str) -> None:
    got = updated_text(before, results)
    assert got == after, _diff(after, got)
    assert Post.from_text(got).crosspost == expected_record(before, results)
    assert updated_text(got, results) is got


def test_last_value_kept_chomping_scalar_keeps_its_blank_lines() -> None:
    text = "---\ncrosspost:\n  lesswrong:\n    note: |+\n      hi\n\n# c\nz: 1\n---\n"
    got = updated_text(text, {"lesswrong": {"id": LW_ID}})
    assert got == ("---\ncrosspost:\n  lesswrong:\n    note: |+\n      hi\n\n"
                   f"    id: {LW_ID}\n# c\nz: 1\n---\n")
    assert Post.from_text(got).crosspost["lesswrong"]["note"] == "hi\n\n"


def test_anchored_target_shared_with_another_keeps_the_other_clean() -> None:
    text = "---\ncrosspost:\n  lesswrong: &o\n    draft: true\n  eaforum: *o\n---\n"
    got = updated_text(text, {"lesswrong": {"id": LW_ID}})
    assert got == ("---\ncrosspost:\n  lesswrong:\n    <<: &o\n      draft: true\n"
                   f"    id: {LW_ID}\n  eaforum: *o\n---\n")
    assert Post.from_text(got).crosspost == {"lesswrong": {"draft": True, "id": LW_ID},
                                             "eaforum": {"draft": True}}


def test_flow_front_matter() -> None:
    text = "---\n{title: x, tags: [a]}\n---\n"
    got = updated_text(text, {"lesswrong": {"id": LW_ID}})
    assert got == f"---\n{{title: x, tags: [a], crosspost: {{lesswrong: {{id: {LW_ID}}}}}}}\n---\n"


def test_datetimes_are_written_as_timestamps() -> None:
    when = dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.UTC)
    yaml_text = updated_text("---\ntitle: x\n---\n", {"lesswrong": {"published": when}})
    assert "    published: 2026-11-27T04:00:00Z\n" in yaml_text
    assert Post.from_text(yaml_text).crosspost["lesswrong"]["published"] == when
    toml_text = updated_text("+++\ntitle = 'x'\n+++\n", {"lesswrong": {"published": when}})
    assert "published = 2026-11-27T04:00:00Z\n" in toml_text
    assert Post.from_text(toml_text).crosspost["lesswrong"]["published"] == when


TRICKY = [
    "", " ", "plain", "https://www.lesswrong.com/posts/abc/slug?x=1&y=2",
    "https://medium.com/p/a#frag", "has: colon space", "ends with colon:", "#hash", "a #b",
    "*star", "&amp", "!bang", "@at", "%pct", "`tick", "-dash", "- item", "?q", "? q", "'quote",
    '"dq"', "a'b", 'a"b', "back\\slash", "yes", "No", "ON", "off", "y", "n", "true", "False",
    "null", "~", "1234567890ab", "123e4567", "1e3", "0x1F", "0o17", "1_000", "12:30",
    "2026-11-27", "2026-11-27T04:00:00Z", ".inf", "-.inf", ".nan", "+1", "=", "<<", "[x]",
    "{x}", "a,b", "tab\there", "new\nline", "cr\rhere", "trailing ", " leading", "ünïcödé",
    "emoji 🚀", "nel\x85", "line\u2028sep", "bom\ufeff", "bell\x07", "del\x7f", "nbsp\xa0",
]


@pytest.mark.parametrize("value", TRICKY)
@pytest.mark.parametrize("shape", [
    "---\ntitle: x\n---\n",                                 # new block lines
    "---\ncrosspost:\n  lesswrong: {draft: true}\n---\n",   # flow context
    "---\ncrosspost:\n  lesswrong:\n    id: old\n---\n",    # replacing a value
    "+++\ntitle = 'x'\n+++\n",                              # TOML table
    "+++\ncrosspost = { lesswrong = {} }\n+++\n",           # TOML inline table
])
def test_tricky_strings_read_back_exactly(shape: str, value: str) -> None:
    got = updated_text(shape, {"lesswrong": {"id": value, "url": value}})
    record_ = Post.from_text(got).crosspost["lesswrong"]
    assert record_["id"] == value
    assert record_["url"] == value
    assert updated_text(got, {"lesswrong": {"id": value, "url": value}}) is got


@pytest.mark.parametrize("value", [v for v in TRICKY if v.isprintable()])
def test_quoting_also_holds_for_a_yaml_1_2_reader(value: str) -> None:
    """Hugo reads YAML 1.2, where `123e4567` is a number: anything number-like is quoted."""
    from ruamel.yaml import YAML

    got = updated_text("---\ntitle: x\n---\n", {"medium": {"id": value}})
    data = YAML(typ="safe", pure=True).load(got.split("---\n")[1])
    assert data["crosspost"]["medium"]["id"] == value


def test_other_value_types() -> None:
    results = {"medium": {"n": 3, "f": 0.5, "big": 1e300, "inf": float("inf"), "yes": True,
                          "day": dt.date(2026, 1, 2), "tags": ["a", "b c", "1"]}}
    for shape in ("---\ntitle: x\n---\n", "+++\ntitle = 'x'\n+++\n"):
        got = updated_text(shape, results)
        assert Post.from_text(got).crosspost["medium"] == results["medium"]


# -- refusals ---------------------------------------------------------------------------------


def _one_line(error: Exception) -> str:
    text = str(error)
    assert "\n" not in text
    return text


def test_broken_front_matter_is_a_post_error() -> None:
    with pytest.raises(PostError) as caught:
        updated_text("---\ntitle: [unclosed\n---\nBody\n", {"lesswrong": LW}, path="p.md")
    assert _one_line(caught.value).startswith("p.md:")


def test_unknown_target_in_results_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown target"):
        updated_text("---\ntitle: x\n---\n", {"tumblr": {"id": "1"}})


@pytest.mark.parametrize("text", [
    "---\ncrosspost: &cp\n  lesswrong: {}\nother: *cp\n---\n",   # anchor used elsewhere
    "---\ncrosspost:\n  lesswrong: *o\nz: &o {id: a}\n---\n",  # invalid: alias before anchor
])
def test_shapes_that_cannot_be_edited_safely_are_refused(text: str) -> None:
    with pytest.raises(PostError) as caught:
        updated_text(text, {"lesswrong": {"id": LW_ID}}, path="p.md")
    assert _one_line(caught.value).startswith("p.md:")


def test_a_crosspost_value_that_is_not_targets_is_refused() -> None:
    with pytest.raises(PostError, match="crosspost"):
        updated_text("---\ncrosspost: 5\n---\n", {"lesswrong": {"id": LW_ID}})


# -- the file on disk -----------------------------------------------------------------------------


POST = "---\r\ntitle: Hello\r\ndescription: keep my space \r\n---\r\nBody\r\n"


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_record_results_writes_atomically_and_keeps_the_mode(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    _write(post, POST)
    post.chmod(0o640)
    new = record_results(post, {"lesswrong": LW}, expected=POST)
    assert _read(post) == new == updated_text(POST, {"lesswrong": LW})
    assert "\n" not in new.replace("\r\n", "")  # CRLF on disk, not translated
    assert stat.S_IMODE(post.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.md"]


def test_nothing_to_change_does_not_touch_the_file(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    _write(post, POST)
    new = record_results(post, {"lesswrong": LW}, expected=POST)
    inode = post.stat().st_ino
    assert record_results(post, {"lesswrong": LW}, expected=new) == new
    assert post.stat().st_ino == inode


def test_an_edit_made_while_publishing_is_merged(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    edited = POST.replace("title: Hello", "title: Hello, edited").replace("Body", "Body, more")
    _write(post, edited)
    new = record_results(post, {"lesswrong": LW}, expected=POST)
    assert new == updated_text(edited, {"lesswrong": LW})
    assert "title: Hello, edited" in _read(post)
    assert "Body, more" in _read(post)


@pytest.mark.parametrize("user_text", [
    "---\ntitle: [broken\n---\nBody\n",   # no longer parses
    "Body only, the front matter is gone\n",
])
def test_an_edit_that_cannot_be_merged_is_a_conflict(tmp_path: Path, user_text: str) -> None:
    post = tmp_path / "post.md"
    _write(post, user_text)
    with pytest.raises(ConflictError) as caught:
        record_results(post, {"lesswrong": LW}, expected=POST)
    assert "changed on disk" in _one_line(caught.value)
    assert "journal" in str(caught.value)
    assert _read(post) == user_text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.md"]


def test_a_deleted_post_is_a_conflict(tmp_path: Path) -> None:
    with pytest.raises(ConflictError, match="moved or deleted"):
        record_results(tmp_path / "gone.md", {"lesswrong": LW}, expected=POST)


def _edit_on_read(monkeypatch: pytest.MonkeyPatch, path: Path,
                  edit: Callable[[int], str | None]) -> list[int]:
    """Reads of the post go through here; ``edit(n)`` may save a user's edit before read n."""
    calls: list[int] = []
    real = record._read_text

    def reading(p: Path) -> str:
        calls.append(len(calls) + 1)
        text = edit(len(calls))
        if text is not None:
            _write(path, text)
        return real(p)

    monkeypatch.setattr(record, "_read_text", reading)
    return calls


def test_a_change_just_before_the_rename_is_caught_and_merged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    post = tmp_path / "post.md"
    _write(post, POST)
    edited = POST.replace("Body", "Body saved during the write")
    # Read 1 is the first look, read 2 the re-check right before the rename.
    calls = _edit_on_read(monkeypatch, post, lambda n: edited if n == 2 else None)
    new = record_results(post, {"lesswrong": LW}, expected=POST)
    assert new == updated_text(edited, {"lesswrong": LW})
    assert _read(post) == new
    assert len(calls) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.md"]


def test_a_file_that_keeps_changing_is_given_up_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    post = tmp_path / "post.md"
    _write(post, POST)
    _edit_on_read(monkeypatch, post, lambda n: POST.replace("Body", f"Body {n}") if n % 2 == 0
                  else None)
    with pytest.raises(ConflictError, match="kept changing"):
        record_results(post, {"lesswrong": LW}, expected=POST)
    assert "crosspost:" not in _read(post)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.md"]


def test_a_symlinked_post_is_written_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    _write(real, POST)
    link = tmp_path / "link.md"
    os.symlink(real, link)
    record_results(link, {"lesswrong": LW}, expected=POST)
    assert link.is_symlink()
    assert "crosspost:" in _read(real)


def test_expected_none_just_applies(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    _write(post, "# Title\n\nBody\n")
    new = record_results(post, {"medium": {"id": "abcdef012345"}}, expected=None)
    assert new.startswith("---\ncrosspost:\n  medium:\n    id: abcdef012345\n---\n# Title\n")
