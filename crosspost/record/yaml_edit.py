"""Edit the ``crosspost`` block of a YAML front matter in place.

PyYAML's composer tells where each node sits (its marks are character offsets into the
text); the editor turns the wanted changes into text spans. It re-composes once per target,
so each round's edits stay inside one mapping and never overlap.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, TypeGuard

from crosspost.record.edits import (
    DELETE,
    Changes,
    Entries,
    Map,
    Raw,
    TextEdit,
    Unsupported,
    apply_edits,
    end_of_line,
    insert_lines,
    iso,
    start_of_line,
    start_of_next_line,
    to_set,
)

if TYPE_CHECKING:
    from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"
# Words YAML 1.1 (PyYAML, Ruby's Psych under Jekyll) reads as booleans or null.
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"})
# Plain (unquoted) only when no reader could take it for anything but this string: starts
# with a letter (so never a number, date or indicator), no spaces, no `#`, no flow
# indicators. Ids that start with a digit (Medium's `1234567890ab`, `123e4567`) get quotes.
_YAML_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./@%+=~?&;:!$'()*-]*")
_YAML_ESCAPES = {"\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v",
                 "\f": "\\f", "\r": "\\r", "\x1b": "\\e", "\x85": "\\N", "\u2028": "\\L",
                 "\u2029": "\\P", '"': '\\"', "\\": "\\\\"}
_ANCHOR = re.compile(r"(?:![^\s]*[ \t]+)?&([^\s,\[\]{}]+)")
_ALIAS_AFTER_COLON = re.compile(r"[ \t\r\n]*(\*[^\s,\[\]{}]+)")
_ALIAS_IN_SEQUENCE = re.compile(r"[\s,\[-]*(\*[^\s,\[\]{}]+)")


def _yaml_printable(ch: str) -> bool:
    code = ord(ch)
    return (0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or code >= 0x10000) and code != 0xFEFF


def _yaml_quote(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[ch])
        elif _yaml_printable(ch):
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF
                       else f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _yaml_str(text: str, *, flow: bool) -> str:
    plain = (_YAML_PLAIN.fullmatch(text) is not None and text.lower() not in _YAML_WORDS
             and not text.endswith(":")
             # Older libyaml (Jekyll's Psych) rejects `:` inside plain scalars in flow context.
             and not (flow and ":" in text))
    return text if plain else _yaml_quote(text)


def yaml_key(key: str) -> str:
    return _yaml_str(key, flow=True)



def _yaml_scalar(value: object, *, flow: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        mantissa, e, exponent = repr(value).partition("e")
        # YAML 1.1 reads `1e+300` as a string: its floats need a dot.
        return mantissa + ("" if "." in mantissa else ".0") + e + exponent
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return _yaml_str(value, flow=flow)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_yaml_scalar(item, flow=True) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{yaml_key(str(k))}: {_yaml_scalar(v, flow=True)}"
                               for k, v in value.items()) + "}"
    raise TypeError(f"cannot record a {type(value).__name__} in front matter")


def _is_mapping(node: Node | None) -> TypeGuard[MappingNode]:
    from yaml.nodes import MappingNode

    return isinstance(node, MappingNode)


def _is_sequence(node: Node | None) -> TypeGuard[SequenceNode]:
    from yaml.nodes import SequenceNode

    return isinstance(node, SequenceNode)


def _is_scalar(node: Node | None) -> TypeGuard[ScalarNode]:
    from yaml.nodes import ScalarNode

    return isinstance(node, ScalarNode)


def _is_implicit_null(node: Node) -> bool:
    # libyaml reports a plain scalar's style as "", PyYAML as None.
    return _is_scalar(node) and node.tag == _NULL_TAG and node.value == "" and not node.style


def _target_of(key: Node) -> str | None:
    from crosspost.platforms import ALIASES

    if _is_scalar(key) and isinstance(key.value, str):
        return ALIASES.get(key.value.strip().lower())
    return None


class YamlEditor:
    """Edits one YAML front matter (the text between the fences) in place.

    Positions come from PyYAML's composer (marks are character offsets into this text). The
    crosspost block is re-composed once per target, so each round's edits are local to one
    mapping and never overlap.
    """

    def __init__(self, text: str, nl: str) -> None:
        self.text = text
        self.nl = nl
        self.width = 2

    # -- driving --------------------------------------------------------------------------

    def apply(self, changes: Changes) -> str:
        root = self._compose()
        found = self._crosspost(root)
        self.width = self._detect_width(root, found[1] if found else None)
        if found is None or not self._editable(*found):
            self._edit(self._convert_block(root, found, changes))
            return self.text
        for target, entries in changes.items():
            found = self._crosspost(self._compose())
            if found is None:
                raise Unsupported("the `crosspost` block moved")
            self._edit(self._target_edits(found[1], target, entries))
        return self.text

    def _compose(self) -> Node | None:
        import yaml

        # The loader python-frontmatter (and so Post) uses: libyaml when present. The pure
        # Python one rejects some files libyaml reads (a tab inside a plain scalar).
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            return yaml.compose(self.text, Loader=loader)
        except yaml.YAMLError as exc:  # the original parsed: this is our own edit breaking it
            raise Unsupported(f"the edit would break the YAML ({exc})") from None

    def _edit(self, edits: Sequence[TextEdit]) -> None:
        self.text = apply_edits(self.text, edits)

    def _crosspost(self, root: Node | None) -> tuple[Node, Node] | None:
        if root is None:
            return None
        if not _is_mapping(root):
            raise Unsupported("the front matter is not a mapping")
        found = None
        for key, value in root.value:
            if _is_scalar(key) and key.tag == _STR_TAG and key.value == "crosspost":
                found = (key, value)
        return found

    def _editable(self, key: Node, value: Node) -> bool:
        return _is_mapping(value) and self._own(key, value) and not self._shared_anchor(value)

    # -- reading positions ------------------------------------------------------------------

    @staticmethod
    def _own(key: Node, value: Node) -> bool:
        """False for an alias: PyYAML hands back the anchored node, which sits earlier."""
        return bool(value.start_mark.index >= key.end_mark.index)

    def _shared_anchor(self, node: Node) -> bool:
        match = _ANCHOR.match(self.text, node.start_mark.index)
        if match is None:
            return False
        use = re.compile(r"\*" + re.escape(match.group(1)) + r"(?![^\s,\]}])")
        return use.search(self.text) is not None

    def _colon(self, key: Node) -> int | None:
        text, pos = self.text, key.end_mark.index
        while pos < len(text):
            ch = text[pos]
            if ch == ":":
                return pos
            if ch in " \t\r\n":
                pos += 1
            elif ch == "#":
                pos = start_of_next_line(text, pos)
            else:
                return None
        return None

    def _value(self, key: Node, value: Node) -> tuple[int, int, bool]:
        """(start, end, own) of a mapping value's text; an implicit null is empty after `:`."""
        colon = self._colon(key)
        after = key.end_mark.index if colon is None else colon + 1
        if _is_implicit_null(value):
            return after, after, True
        if not self._own(key, value):
            alias = _ALIAS_AFTER_COLON.match(self.text, after)
            if alias is None:
                raise Unsupported("an alias this module cannot locate")
            return alias.start(1), alias.end(1), False
        return value.start_mark.index, self._end(value), True

    def _items(self, seq: SequenceNode) -> Iterator[tuple[Node, int, int, bool]]:
        prev = seq.start_mark.index
        for item in seq.value:
            if _is_implicit_null(item):
                dash = self.text.find("-", prev)
                start = end = dash + 1 if dash >= 0 else prev
                own = True
            elif item.start_mark.index < prev:
                alias = _ALIAS_IN_SEQUENCE.match(self.text, prev)
                if alias is None:
                    raise Unsupported("an alias this module cannot locate")
                start, end, own = alias.start(1), alias.end(1), False
            else:
                start, end, own = item.start_mark.index, self._end(item), True
            yield item, start, end, own
            prev = end

    def _end(self, node: Node) -> int:
        """Where an own node's text ends (block collections: their last value's end)."""
        if _is_scalar(node):
            if node.style in ("|", ">"):
                return self._trim_blank_tail(node.start_mark.index, node.end_mark.index)
            return int(node.end_mark.index)
        if _is_mapping(node) and not node.flow_style and node.value:
            return self._value(*node.value[-1])[1]
        if _is_sequence(node) and not node.flow_style and node.value:
            *_, (_, _, end, _) = self._items(node)
            return end
        return int(node.end_mark.index)

    def _trim_blank_tail(self, start: int, end: int) -> int:
        # A block scalar's end mark lies past its trailing line breaks, sometimes inside the
        # next line's indentation; its content ends at the last line that is not blank.
        text, pos = self.text, end
        while pos > start:
            line = start_of_line(text, pos)
            if line <= start or text[line:pos].strip(" \t\r"):
                break
            pos = line - 1
            if pos > start and text[pos - 1] == "\r":
                pos -= 1
        return pos

    def _after(self, node: Node, end: int, own: bool) -> int:
        """The start of the line after a value: where lines that follow it may go."""
        if own and _is_scalar(node) and node.style in ("|", ">"):
            # Trailing blank lines of a `|+` scalar are its content: insert after them.
            mark = int(node.end_mark.index)
            line = start_of_line(self.text, mark)
            return line if not self.text[line:mark].strip() else start_of_next_line(self.text, mark)
        if own and _is_mapping(node) and not node.flow_style and node.value:
            key, value = node.value[-1]
            _, last_end, last_own = self._value(key, value)
            return self._after(value, last_end, last_own)
        if own and _is_sequence(node) and not node.flow_style and node.value:
            *_, (item, _, item_end, item_own) = self._items(node)
            return self._after(item, item_end, item_own)
        return start_of_next_line(self.text, end)

    def _detect_width(self, root: Node | None, block: Node | None) -> int:
        """The file's indentation step, preferring the crosspost block's own; default 2.

        Nested mappings say it best; an indented list (`- ` further right than its key) is
        the fallback, since many files write lists without indenting them.
        """
        fallback = 0
        for start in (block, root):
            stack = [start] if start is not None else []
            while stack:
                node = stack.pop(0)
                if not _is_mapping(node) or node.flow_style:
                    continue
                for key, value in node.value:
                    collection = _is_mapping(value) or _is_sequence(value)
                    if not collection or not self._own(key, value) or value.flow_style \
                            or not value.value:
                        continue
                    if _is_sequence(value):
                        fallback = fallback or max(
                            0, value.start_mark.column - key.start_mark.column)
                        continue
                    step = value.value[0][0].start_mark.column - key.start_mark.column
                    if step > 0:
                        return int(step)
                    stack.append(value)
        return int(fallback) or 2

    # -- writing ----------------------------------------------------------------------------

    def block_lines(self, pairs: Sequence[tuple[str, object]], indent: str) -> list[str]:
        lines: list[str] = []
        for key, value in pairs:
            if isinstance(value, Map):
                lines.append(f"{indent}{key}:")
                lines.extend(self.block_lines(value.pairs, indent + " " * self.width))
            elif value is None:
                lines.append(f"{indent}{key}:")
            elif isinstance(value, Raw):
                first, *rest = value.text.splitlines()
                lines.append(f"{indent}{key}: {first}")
                # Every line moves right by one step, so the block keeps its own structure.
                lines.extend(" " * self.width + line if line.strip() else line for line in rest)
            else:
                lines.append(f"{indent}{key}: {_yaml_scalar(value, flow=False)}")
        return lines

    def _flow(self, value: object) -> str:
        if isinstance(value, Map):
            return "{" + ", ".join(f"{k}: {self._flow(v)}" for k, v in value.pairs) + "}"
        if value is None:
            return "null"
        if isinstance(value, Raw):
            if "\n" in value.text:
                raise Unsupported("a multi-line anchored block inside a flow mapping")
            return value.text
        return _yaml_scalar(value, flow=True)

    def _replace_value(self, key: Node, value: Node, new: Map, *, flow: bool) -> TextEdit:
        """Write ``new`` as the value of ``key``, in the style of the mapping holding it."""
        colon = self._colon(key)
        if flow:
            text = self._flow(new)
            if colon is None:
                return TextEdit(key.end_mark.index, key.end_mark.index, ": " + text)
            start, end, _ = self._value(key, value)
            return TextEdit(start, end, text if end > start else " " + text)
        if colon is None:
            raise Unsupported("a key without `:`")
        _, end, _ = self._value(key, value)
        line_end = end_of_line(self.text, end)
        tail = self.text[end:line_end]  # a comment after the old value stays on the key's line
        if not tail.strip():
            tail = ""
        lines = self.block_lines(new.pairs, " " * (key.start_mark.column + self.width))
        return TextEdit(colon + 1, line_end, tail + "".join(self.nl + line for line in lines))

    def _insert_pairs(self, mapping: MappingNode, pairs: Sequence[tuple[str, object]]) -> TextEdit:
        if mapping.flow_style:
            text = ", ".join(f"{k}: {self._flow(v)}" for k, v in pairs)
            if mapping.value:
                end = self._value(*mapping.value[-1])[1]
                return TextEdit(end, end, ", " + text)
            brace = self.text.index("{", mapping.start_mark.index) + 1
            return TextEdit(brace, brace, text)
        indent = " " * mapping.value[0][0].start_mark.column
        key, value = mapping.value[-1]
        _, end, own = self._value(key, value)
        return insert_lines(self.text, self._after(value, end, own), self.block_lines(pairs, indent),
                         self.nl)

    # -- the block as a whole ------------------------------------------------------------

    def _convert_block(self, root: Node | None, found: tuple[Node, Node] | None,
                       changes: Changes) -> list[TextEdit]:
        """No block, or one that is not an own mapping: write it as a mapping."""
        if found is None:
            records = tuple((target, Map(tuple((yaml_key(k), v) for k, v in to_set(entries))))
                            for target, entries in changes.items() if to_set(entries))
            if not records:
                return []
            block = (("crosspost", Map(records)),)
            if _is_mapping(root) and root.flow_style:
                return [self._insert_pairs(root, block)]
            indent = ""
            if _is_mapping(root) and root.value:
                indent = " " * root.value[0][0].start_mark.column
            # At the very end: after trailing comments and any `|+` scalar's kept blank lines.
            return [insert_lines(self.text, len(self.text), self.block_lines(block, indent), self.nl)]
        key, value = found
        if _is_mapping(value):
            raise Unsupported("`crosspost` is a YAML alias or an anchor used elsewhere")
        if not self._own(key, value):
            raise Unsupported("`crosspost` is a YAML alias")
        if _is_sequence(value) and not value.flow_style:
            return self._convert_block_list(key, value, changes)
        if _is_sequence(value):
            items = [self._listed(item, start, end, own)
                     for item, start, end, own in self._items(value)]
        elif _is_scalar(value) and value.tag == _NULL_TAG:
            items = []
        elif _is_scalar(value) and value.tag == _STR_TAG:
            items = [self._listed(value, *self._value(key, value))]
        else:
            raise Unsupported("`crosspost` must list targets or map them to options")
        pairs = self._listed_pairs(items, changes)
        return [self._replace_value(key, value, Map(pairs), flow=bool(_is_mapping(root)
                                                                        and root.flow_style))]

    def _listed(self, item: Node, start: int, end: int, own: bool = True) -> tuple[str, str]:
        """(key text, target) for a list entry: the user's spelling, or the name an alias holds."""
        target = _target_of(item)
        if target is None or "\n" in self.text[start:end]:
            raise Unsupported("an entry of the `crosspost` list is not a target name")
        return (self.text[start:end] if own else target), target

    def _listed_pairs(self, items: Sequence[tuple[str, str]],
                      changes: Changes) -> tuple[tuple[str, object], ...]:
        """The listed targets (user's spelling kept) plus new ones; results on the last entry."""
        last = {target: i for i, (_, target) in enumerate(items)}
        pairs: list[tuple[str, object]] = []
        for i, (text, target) in enumerate(items):
            sets = to_set(changes.get(target, [])) if last[target] == i else []
            pairs.append((text, Map(tuple((yaml_key(k), v) for k, v in sets)) if sets else None))
        for target, entries in changes.items():
            if target not in last and to_set(entries):
                pairs.append((target, Map(tuple((yaml_key(k), v) for k, v in to_set(entries)))))
        return tuple(pairs)

    def _convert_block_list(self, key: Node, seq: SequenceNode,
                            changes: Changes) -> list[TextEdit]:
        """``- lesswrong`` lines become ``lesswrong:`` lines; comments between them stay."""
        key_column = key.start_mark.column
        dash_column = seq.start_mark.column
        column = dash_column if dash_column > key_column else key_column + self.width
        indent = " " * column
        items = [(item, start, end) for item, start, end, own in self._items(seq) if own]
        if len(items) != len(seq.value):
            raise Unsupported("an alias in the `crosspost` list")  # its `- *x` line cannot stay
        listed = [self._listed(item, start, end) for item, start, end in items]
        pairs = self._listed_pairs(listed, changes)
        edits: list[TextEdit] = []
        for (item, start, end), (text, value) in zip(items, pairs, strict=False):
            line = start_of_line(self.text, start)
            if not re.fullmatch(r"[ \t]*-[ \t]+", self.text[line:start]):
                raise Unsupported("a `crosspost` list entry not on its own `- ` line")
            edits.append(TextEdit(line, end, f"{indent}{text}:"))
            if isinstance(value, Map):
                edits.append(insert_lines(self.text, self._after(item, end, True),
                                       self.block_lines(value.pairs, indent + " " * self.width),
                                       self.nl))
        extra = pairs[len(items):]
        if extra:
            item, _, end = items[-1]
            edits.append(insert_lines(self.text, self._after(item, end, True),
                                   self.block_lines(extra, indent), self.nl))
        return edits

    # -- one target inside a mapping block ---------------------------------------------------

    def _target_edits(self, block: Node, target: str, entries: Entries) -> list[TextEdit]:
        if not _is_mapping(block):
            raise Unsupported("the `crosspost` block changed shape")
        found = None
        for key, value in block.value:
            if _target_of(key) == target:
                found = (key, value)
        sets = tuple((yaml_key(k), v) for k, v in to_set(entries))
        flow = bool(block.flow_style)
        if found is None:
            return [self._insert_pairs(block, [(target, Map(sets))])] if sets else []
        key, value = found
        own = self._own(key, value)
        if _is_mapping(value) and own and not self._shared_anchor(value):
            if value.value or flow or not value.flow_style:
                return self._record_edits(value, entries)
            # `lesswrong: {}` in a block: the record reads better as a block too.
            return [self._replace_value(key, value, Map(sets), flow=False)] if sets else []
        if not sets:
            return []
        if own and _is_scalar(value) and value.tag in (_NULL_TAG, _BOOL_TAG):
            # `lesswrong:`, `lesswrong: ~` or `lesswrong: true`: becomes a mapping.
            return [self._replace_value(key, value, Map(sets), flow=flow)]
        if _is_mapping(value):
            # An alias (`eaforum: *opts`) or an anchor others reuse: editing it in place would
            # write this target's id into the others. A merge key keeps the shared options.
            if any(v is DELETE for _, v in entries):
                raise Unsupported(f"`crosspost.{key.value}` is a YAML alias; cannot remove keys")
            start, end, _ = self._value(key, value)
            return [self._replace_value(key, value, Map((("<<", Raw(self.text[start:end])),
                                                          *sets)), flow=flow)]
        raise Unsupported(f"`crosspost.{key.value}` must be a mapping of options")

    def _record_edits(self, mapping: MappingNode, entries: Entries) -> list[TextEdit]:
        index: dict[str, int] = {}
        for i, (key, _) in enumerate(mapping.value):
            if _is_scalar(key) and key.tag == _STR_TAG:
                index[key.value] = i
        edits: list[TextEdit] = []
        deleted: set[int] = set()
        new: list[tuple[str, object]] = []
        flow = bool(mapping.flow_style)
        for name, value in entries:
            at = index.get(name)
            if at is None:
                if value is not DELETE:
                    new.append((yaml_key(name), value))
            elif value is DELETE:
                deleted.add(at)
            else:
                start, end, _ = self._value(*mapping.value[at])
                text = _yaml_scalar(value, flow=flow)
                edits.append(TextEdit(start, end, text if end > start else " " + text))
        if flow and len(deleted) == len(mapping.value):
            # Nothing of the old mapping stays: write it anew.
            brace = self.text.index("{", mapping.start_mark.index)
            return [TextEdit(brace, int(mapping.end_mark.index),
                              self._flow(Map(tuple(new))))]
        edits.extend(self._delete_pairs(mapping, deleted))
        if new:
            if flow:
                kept = [i for i in range(len(mapping.value)) if i not in deleted]
                end = self._value(*mapping.value[kept[-1]])[1]
                edits.append(TextEdit(end, end, ", " + ", ".join(
                    f"{k}: {self._flow(v)}" for k, v in new)))
            else:
                edits.append(self._insert_pairs(mapping, new))
        return edits

    def _delete_pairs(self, mapping: MappingNode, deleted: set[int]) -> list[TextEdit]:
        edits: list[TextEdit] = []
        pairs = mapping.value
        if not mapping.flow_style:
            for i in sorted(deleted):
                key, value = pairs[i]
                line = start_of_line(self.text, key.start_mark.index)
                if self.text[line:key.start_mark.index].strip():
                    raise Unsupported("a record key that does not start its line")
                _, end, own = self._value(key, value)
                edits.append(TextEdit(line, self._after(value, end, own), ""))
            return edits
        # Flow: remove each run of deleted pairs with the comma before it (or after it, for
        # a run at the start), so `{a: 1, b: 2, c: 3}` minus b is `{a: 1, c: 3}`.
        i = 0
        while i < len(pairs):
            if i not in deleted:
                i += 1
                continue
            first = i
            while i + 1 < len(pairs) and i + 1 in deleted:
                i += 1
            last_end = self._value(*pairs[i])[1]
            if first > 0:
                edits.append(TextEdit(self._value(*pairs[first - 1])[1], last_end, ""))
            else:
                edits.append(TextEdit(pairs[first][0].start_mark.index,
                                       pairs[i + 1][0].start_mark.index, ""))
            i += 1
        return edits




__all__ = ["YamlEditor", "yaml_key"]
