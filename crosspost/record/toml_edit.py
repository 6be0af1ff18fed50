"""Edit the ``crosspost`` tables of a TOML front matter in place.

tomllib gives no positions, so a small scanner cuts the (already validated) TOML into
statements with their spans; the editor then changes only the statements of one target,
or appends ``[crosspost.<target>]`` tables at the end, where TOML wants tables.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crosspost.record.edits import (
    DELETE,
    Changes,
    Entries,
    Map,
    TextEdit,
    Unsupported,
    apply_edits,
    canonical_name,
    end_of_line,
    insert_lines,
    iso,
    start_of_line,
    to_set,
)

_TOML_BARE = re.compile(r"[A-Za-z0-9_-]+")
_TOML_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"',
                 "\\": "\\\\"}
_TOML_SCALAR = re.compile(r"[^\s,\]}#]+")
_TOML_TIME_AFTER_DATE = re.compile(r" \d{2}:[^\s,\]}#]*")


def _toml_str(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_key(key: str) -> str:
    return key if _TOML_BARE.fullmatch(key) else _toml_str(key)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        return _toml_str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, Map):
        return _toml_inline(value.pairs)
    if isinstance(value, Mapping):
        return _toml_inline(tuple((_toml_key(str(k)), v) for k, v in value.items()))
    raise TypeError(f"cannot record a {type(value).__name__} in front matter")


def _toml_inline(pairs: Sequence[tuple[str, object]]) -> str:
    if not pairs:
        return "{}"
    return "{ " + ", ".join(f"{key} = {_toml_value(value)}" for key, value in pairs) + " }"


@dataclass
class _TKey:
    parts: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.spans[0][0]


@dataclass
class _TValue:
    kind: str  # "string", "array", "table" (inline) or "other"
    start: int
    end: int
    pairs: list[_TPair] = field(default_factory=list)
    items: list[_TValue] = field(default_factory=list)


@dataclass
class _TPair:
    key: _TKey
    value: _TValue


@dataclass
class _TStatement:
    """A header (``[a.b]``) or a ``key = value`` line, with where it sits."""

    table: tuple[str, ...]  # a header's own path; the table a pair belongs to
    pair: _TPair | None  # None for a header
    array: bool  # ``[[...]]``
    start: int  # start of its first line
    end: int  # start of the line after it

    @property
    def path(self) -> tuple[str, ...]:
        return self.table + self.pair.key.parts if self.pair else self.table


class _TomlScanner:
    """Cuts valid TOML into statements with their spans (tomllib has already accepted it)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def statements(self) -> list[_TStatement]:
        out: list[_TStatement] = []
        table: tuple[str, ...] = ()
        text = self.text
        while True:
            self._blank(newlines=True)
            if self.pos >= len(text):
                return out
            start = start_of_line(text, self.pos)
            if text[self.pos] == "[":
                array = text.startswith("[[", self.pos)
                self.pos += 2 if array else 1
                self._blank()
                table = self._key().parts
                self._blank()
                self._expect("]]" if array else "]")
                self._end_of_line()
                out.append(_TStatement(table, None, array, start, self.pos))
            else:
                pair = self._pair()
                self._end_of_line()
                out.append(_TStatement(table, pair, False, start, self.pos))

    def _fail(self) -> Unsupported:
        return Unsupported(f"unexpected TOML at character {self.pos}")

    def _expect(self, token: str) -> None:
        if not self.text.startswith(token, self.pos):
            raise self._fail()
        self.pos += len(token)

    def _blank(self, *, newlines: bool = False) -> None:
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in " \t" or (newlines and ch in "\r\n"):
                self.pos += 1
            elif newlines and ch == "#":
                self.pos = end_of_line(text, self.pos)
            else:
                return

    def _end_of_line(self) -> None:
        self._blank()
        if self.text.startswith("#", self.pos):
            self.pos = end_of_line(self.text, self.pos)
        if self.text.startswith("\r\n", self.pos):
            self.pos += 2
        elif self.text.startswith("\n", self.pos):
            self.pos += 1
        elif self.pos < len(self.text):
            raise self._fail()

    def _pair(self) -> _TPair:
        key = self._key()
        self._blank()
        self._expect("=")
        self._blank()
        return _TPair(key, self._value())

    def _key(self) -> _TKey:
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        while True:
            start = self.pos
            ch = self.text[start:start + 1]
            if ch in ('"', "'"):
                self._string()
                parts.append(_toml_decode_key(self.text[start:self.pos]))
            else:
                bare = _TOML_BARE.match(self.text, start)
                if bare is None:
                    raise self._fail()
                self.pos = bare.end()
                parts.append(bare.group())
            spans.append((start, self.pos))
            self._blank()
            if not self.text.startswith(".", self.pos):
                return _TKey(tuple(parts), tuple(spans))
            self.pos += 1
            self._blank()

    def _string(self) -> None:
        text, quote = self.text, self.text[self.pos]
        if text.startswith(quote * 3, self.pos):
            pos = self.pos + 3
            while True:
                if quote == '"' and text.startswith("\\", pos):
                    pos += 2
                    continue
                if text.startswith(quote * 3, pos):
                    run = pos
                    while run < len(text) and text[run] == quote:
                        run += 1
                    self.pos = run  # up to two quotes before the closing three are content
                    return
                if pos >= len(text):
                    raise self._fail()
                pos += 1
        pos = self.pos + 1
        while pos < len(text) and text[pos] != quote and text[pos] != "\n":
            pos += 2 if quote == '"' and text[pos] == "\\" else 1
        if pos >= len(text) or text[pos] != quote:
            raise self._fail()
        self.pos = pos + 1

    def _value(self) -> _TValue:
        text, start = self.text, self.pos
        ch = text[start:start + 1]
        if ch in ('"', "'"):
            self._string()
            return _TValue("string", start, self.pos)
        if ch == "[":
            self.pos += 1
            items: list[_TValue] = []
            while True:
                self._blank(newlines=True)
                if text.startswith("]", self.pos):
                    self.pos += 1
                    return _TValue("array", start, self.pos, items=items)
                items.append(self._value())
                self._blank(newlines=True)
                if text.startswith(",", self.pos):
                    self.pos += 1
                elif not text.startswith("]", self.pos):
                    raise self._fail()
        if ch == "{":
            self.pos += 1
            pairs: list[_TPair] = []
            while True:
                self._blank(newlines=True)
                if text.startswith("}", self.pos):
                    self.pos += 1
                    return _TValue("table", start, self.pos, pairs=pairs)
                pairs.append(self._pair())
                self._blank(newlines=True)
                if text.startswith(",", self.pos):
                    self.pos += 1
                elif not text.startswith("}", self.pos):
                    raise self._fail()
        scalar = _TOML_SCALAR.match(text, start)
        if scalar is None:
            raise self._fail()
        self.pos = scalar.end()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", scalar.group()):  # `1979-05-27 07:32:00Z`
            time = _TOML_TIME_AFTER_DATE.match(text, self.pos)
            if time is not None:
                self.pos = time.end()
        return _TValue("other", start, self.pos)


def _toml_decode_key(source: str) -> str:
    import tomllib

    data: Any = tomllib.loads(f"{source} = 0")
    (name,) = data
    return str(name)


class TomlEditor:
    """Edits one TOML front matter in place, re-scanning it once per target."""

    def __init__(self, text: str, nl: str) -> None:
        self.text = text
        self.nl = nl

    def apply(self, changes: Changes) -> str:
        statements = _TomlScanner(self.text).statements()
        for statement in statements:
            if statement.pair and statement.path == ("crosspost",) \
                    and statement.pair.value.kind in ("array", "string"):
                self._edit(self._convert_list(statement, changes))
                return self.text
        for target, entries in changes.items():
            statements = _TomlScanner(self.text).statements()
            self._edit(self._target_edits(statements, target, entries))
        return self.text

    def _edit(self, edits: Sequence[TextEdit]) -> None:
        self.text = apply_edits(self.text, edits)

    def _indent(self, statement: _TStatement) -> str:
        line = self.text[statement.start:statement.end]
        return line[:len(line) - len(line.lstrip(" \t"))]

    def _target_edits(self, statements: list[_TStatement], target: str,
                      entries: Entries) -> list[TextEdit]:
        header: _TStatement | None = None
        body: list[_TStatement] = []
        holder: _TStatement | None = None  # `lesswrong = {…}` (or `= true`)
        dotted: list[_TStatement] = []  # `lesswrong.draft = true`
        inline_block: _TStatement | None = None  # `crosspost = {…}`
        in_target = False
        for statement in statements:
            path = statement.path
            if statement.pair is None:
                in_target = (not statement.array and len(path) == 2 and path[0] == "crosspost"
                             and canonical_name(path[1]) == target)
                if in_target:
                    header, body = statement, []
                continue
            if in_target:
                body.append(statement)
            elif path[:1] == ("crosspost",) and len(statement.table) < 2:
                if len(path) == 1:
                    inline_block = statement
                elif canonical_name(path[1]) == target:
                    if len(path) == 2:
                        holder = statement
                    else:
                        dotted.append(statement)
        sets = to_set(entries)
        if header is not None:
            return self._table_edits(header, body, entries)
        if holder is not None and holder.pair is not None:
            return self._value_edits(holder.pair.value, entries)
        if dotted:
            return self._dotted_edits(dotted, entries)
        if inline_block is not None and inline_block.pair is not None:
            block = inline_block.pair.value
            if block.kind != "table":
                raise Unsupported("`crosspost` must list targets or map them to options")
            for pair in reversed(block.pairs):
                if canonical_name(pair.key.parts[0]) == target:
                    if len(pair.key.parts) > 1:
                        raise Unsupported("dotted keys inside an inline `crosspost` table")
                    return self._value_edits(pair.value, entries)
            if not sets:
                return []
            record = Map(tuple((_toml_key(k), v) for k, v in sets))
            return self._inline_edits(block, [], [(target, record)])
        return [self._append_tables([(target, sets)])] if sets else []

    def _value_edits(self, value: _TValue, entries: Entries) -> list[TextEdit]:
        sets = to_set(entries)
        if value.kind == "table":
            own = {pair.key.parts[0]: i for i, pair in enumerate(value.pairs)
                   if len(pair.key.parts) == 1}
            replace: list[tuple[int, object]] = []
            new: list[tuple[str, object]] = []
            for key, new_value in entries:
                i = own.get(key)
                if i is not None:
                    replace.append((i, new_value))
                elif new_value is not DELETE:
                    new.append((_toml_key(key), new_value))
            return self._inline_edits(value, replace, new)
        if value.kind == "other" and self.text[value.start:value.end] in ("true", "false"):
            if not sets:
                return []
            rendered = _toml_inline(tuple((_toml_key(k), v) for k, v in sets))
            return [TextEdit(value.start, value.end, rendered)]
        raise Unsupported("a target in `crosspost` must be a table of options")

    def _inline_edits(self, table: _TValue, replace: list[tuple[int, object]],
                      new: list[tuple[str, object]]) -> list[TextEdit]:
        pairs = table.pairs
        deleted = {i for i, value in replace if value is DELETE}
        kept = [i for i in range(len(pairs)) if i not in deleted]
        if not kept:  # nothing of the old table stays (or it was `{}`): write it anew
            return [TextEdit(table.start, table.end, _toml_inline(new))]
        edits = [TextEdit(pairs[i].value.start, pairs[i].value.end, _toml_value(value))
                 for i, value in replace if value is not DELETE]
        i = 0
        while i < len(pairs):
            if i not in deleted:
                i += 1
                continue
            first = i
            while i + 1 < len(pairs) and i + 1 in deleted:
                i += 1
            if first > 0:
                edits.append(TextEdit(pairs[first - 1].value.end, pairs[i].value.end, ""))
            else:
                edits.append(TextEdit(pairs[first].key.start, pairs[i + 1].key.start, ""))
            i += 1
        if new:
            end = pairs[kept[-1]].value.end
            edits.append(TextEdit(end, end, "".join(f", {k} = {_toml_value(v)}" for k, v in new)))
        return edits

    def _table_edits(self, header: _TStatement, body: list[_TStatement],
                     entries: Entries) -> list[TextEdit]:
        own = {s.pair.key.parts[0]: s for s in body if s.pair and len(s.pair.key.parts) == 1}
        return self._statement_edits(own, entries, body[-1] if body else header,
                                     self._indent(body[-1]) if body else "", "")

    def _dotted_edits(self, group: list[_TStatement], entries: Entries) -> list[TextEdit]:
        own = {s.path[2]: s for s in group if len(s.path) == 3}
        last = group[-1]
        assert last.pair is not None
        # The user's own spelling of `crosspost.lesswrong.` (or `lesswrong.` under [crosspost]).
        key = last.pair.key
        prefix = self.text[key.start:key.spans[2 - len(last.table)][0]]
        edits = self._statement_edits(own, entries, last, self._indent(last), prefix)
        removed = {name for name, value in entries if value is DELETE and name in own}
        if len(removed) == len(group) and not to_set(entries):
            # Removing every dotted key would drop the target itself: keep it, empty.
            table = prefix.rstrip(" .\t")
            edits.append(TextEdit(last.end, last.end,
                                   f"{self._indent(last)}{table} = {{}}{self.nl}"))
        return edits

    def _statement_edits(self, own: Mapping[str, _TStatement], entries: Entries,
                         after: _TStatement, indent: str, prefix: str) -> list[TextEdit]:
        edits: list[TextEdit] = []
        new: list[str] = []
        for key, value in entries:
            statement = own.get(key)
            if statement is None or statement.pair is None:
                if value is not DELETE:
                    new.append(f"{indent}{prefix}{_toml_key(key)} = {_toml_value(value)}")
            elif value is DELETE:
                edits.append(TextEdit(statement.start, statement.end, ""))
            else:
                pair_value = statement.pair.value
                edits.append(TextEdit(pair_value.start, pair_value.end, _toml_value(value)))
        if new:
            edits.append(insert_lines(self.text, after.end, new, self.nl))
        return edits

    def _convert_list(self, statement: _TStatement, changes: Changes) -> list[TextEdit]:
        """``crosspost = ["lesswrong"]`` becomes ``[crosspost.lesswrong]`` tables at the end.

        The key cannot stay where it is: TOML tables come after a file's top-level keys.
        A comment after the list moves with it, onto the first table's header.
        """
        import tomllib

        assert statement.pair is not None
        value = statement.pair.value
        listed: Any = tomllib.loads("v = " + self.text[value.start:value.end])["v"]
        names = [listed] if isinstance(listed, str) else listed
        items: list[tuple[str, str]] = []
        for name in names:
            target = canonical_name(name) if isinstance(name, str) else None
            if target is None or not isinstance(name, str):
                raise Unsupported("an entry of the `crosspost` list is not a target name")
            items.append((_toml_key(name), target))
        last = {target: i for i, (_, target) in enumerate(items)}
        tables = [(text, to_set(changes.get(target, [])) if last[target] == i else [])
                  for i, (text, target) in enumerate(items)]
        tables += [(target, to_set(entries)) for target, entries in changes.items()
                   if target not in last and to_set(entries)]
        tail = self.text[value.end:end_of_line(self.text, value.end)]
        comment = tail if tail.strip().startswith("#") else ""
        return [TextEdit(statement.start, statement.end, ""),
                self._append_tables(tables, comment=comment, removed=statement)]

    def _append_tables(self, tables: Sequence[tuple[str, Entries]], *, comment: str = "",
                       removed: _TStatement | None = None) -> TextEdit:
        """``[crosspost.<target>]`` tables after everything (tables follow top-level keys)."""
        lines: list[str] = []
        text = self.text
        if removed is not None:
            text = text[:removed.start] + text[removed.end:]
        existing = text.splitlines()
        for i, (key, sets) in enumerate(tables):
            if i > 0 or (existing and existing[-1].strip()):
                lines.append("")
            lines.append(f"[crosspost.{key}]" + (comment if i == 0 else ""))
            lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in sets)
        return insert_lines(self.text, len(self.text), lines, self.nl)




__all__ = ["TomlEditor"]
