"""Front-matter and configuration values as the generators read them.

Jekyll is Ruby and Hugo is Go: ``true`` prints as ``true``, a lone category is a list of
one, ``published: "false"`` is a flag, a date without a time is a whole day, and a Hugo
permalink's ``:2006`` is a Go time layout. Every generator module reads values through
these, so the same text means the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from crosspost.post import parse_date


def as_text(value: Any) -> str:
    """A scalar front-matter or config value as text ("" for anything else)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return ""


def as_list(value: Any) -> list[Any]:
    """Ruby's ``Array(value)``: nil is empty, a list stays, anything else is wrapped."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def ruby_str(value: Any) -> str:
    """Ruby's ``to_s`` for the scalars YAML gives (``true``, not ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def truthy(value: Any) -> bool:
    """A front-matter or config flag: YAML/TOML booleans, and "true"/"false" as text."""
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "on", "1"}
    return bool(value)


_DAY = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}\s*$")


def date_only(value: Any) -> bool:
    """True for a date with no time of day (``2024-03-09``, a file-name date)."""
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    return isinstance(value, str) and _DAY.match(value) is not None


def show_date(value: Any) -> str:
    """A date as a message shows it: the day alone when no time was written."""
    moment = parse_date(value)
    if moment is None:
        return str(value)
    return moment.date().isoformat() if date_only(value) else moment.isoformat(sep=" ")


def glob_match(glob: str, path: str) -> bool:
    """Hugo/Jekyll-style globs: ``*`` within a segment, ``**`` across, ``{a,b}``."""
    return re.fullmatch(_glob_regex(glob), path) is not None


def _glob_regex(glob: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "{" and glob.find("}", i) != -1:
            end = glob.find("}", i)
            options = glob[i + 1:end].split(",")
            out.append("(?:" + "|".join(_glob_regex(o) for o in options) + ")")
            i = end + 1
            continue
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def go_slice(spec: str, values: list[str]) -> list[str]:
    """permalinks.go toSliceFunc: ``[2]``, ``[last]``, ``[1:]``, ``[:last]``."""
    cut = spec.strip().lower()
    if len(cut) < 3 or cut[0] != "[" or cut[-1] != "]" or not values:
        return []
    inner = cut[1:-1]

    def index(text: str, low: bool) -> int:
        if text == "":
            return 0 if low else len(values)
        if text == "last":
            return len(values) - 1
        try:
            number = max(int(text), 0)
        except ValueError:
            number = 0
        if number >= len(values):
            return -1 if low else len(values)
        return number

    if ":" not in inner:
        at = index(inner, True)
        return [] if at < 0 or not values[at] else [values[at]]
    low_text, high_text = inner.split(":", 1)
    low, high = index(low_text, True), index(high_text, False)
    return [] if low < 0 or high < 0 else values[low:high]


_GO_LAYOUT = [
    ("January", "%B"), ("Monday", "%A"), ("2006", "%Y"), ("Jan", "%b"), ("Mon", "%a"),
    ("01", "%m"), ("02", "%d"), ("15", "%H"), ("03", "%I"), ("04", "%M"), ("05", "%S"),
    ("06", "%y"), ("PM", "%p"), ("_2", "{_day}"), ("1", "{month}"), ("2", "{day}"),
    ("3", "{hour12}"), ("4", "{minute}"), ("5", "{second}"),
]


def go_time_format(layout: str, date: dt.datetime) -> str | None:
    """Go's ``time.Format`` for the common layout elements; None if there are none."""
    out: list[str] = []
    found = False
    i = 0
    while i < len(layout):
        for element, code in _GO_LAYOUT:
            if layout.startswith(element, i):
                found = True
                if code.startswith("{"):
                    out.append({
                        "{_day}": f"{date.day:2d}", "{month}": str(date.month),
                        "{day}": str(date.day), "{hour12}": str(date.hour % 12 or 12),
                        "{minute}": str(date.minute), "{second}": str(date.second),
                    }[code])
                else:
                    out.append(date.strftime(code))
                i += len(element)
                break
        else:
            out.append(layout[i])
            i += 1
    return "".join(out) if found else None


__all__ = ["as_list", "as_text", "date_only", "glob_match", "go_slice", "go_time_format", "ruby_str",
           "show_date", "truthy"]
