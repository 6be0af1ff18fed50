"""The way onto Medium without a token: a page to import or paste, and the steps to follow.

Medium stopped issuing integration tokens (the settings section is gone for new accounts;
a vendor dates the cut-off to 2025-01-01), so most users cannot use the API at all. Medium's
own "Import a story" (https://medium.com/p/import) still works: given the canonical URL it
copies the story and points its canonical link back home. For a page that is not live yet,
the file written here opens in a browser so the story can be copied and pasted into
Medium's editor.

Pure apart from writing the one file, and cheap to import: standard library only.
"""

from __future__ import annotations

import html
import re
import shlex
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from crosspost.fsutil import atomic_write_text
from crosspost.targets.base import post_tags

if TYPE_CHECKING:
    from crosspost.render import Rendered

IMPORT_URL = "https://medium.com/p/import"
NEW_STORY_URL = "https://medium.com/new-story"
WEB_TAG_LIMIT = 5  # Medium's editor takes 5 tags (the API only 3)

_STYLE = ("body{max-width:42em;margin:2em auto;padding:0 1em;font:19px/1.6 Georgia,serif;"
          "color:#222}img{max-width:100%;height:auto}figure{margin:1.5em 0}"
          "figcaption{font-size:.85em;color:#555;text-align:center}"
          "pre{overflow-x:auto;background:#f4f4f4;padding:.8em}")


def write_import_file(rendered: Rendered, dest_dir: Path) -> Path:
    """Write ``rendered`` as a self-contained HTML page in ``dest_dir``; returns its path."""
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    path = dest_dir / f"{_file_stem(rendered.source_path)}.medium.html"
    atomic_write_text(path, import_document(rendered))
    return path


def import_document(rendered: Rendered) -> str:
    """The page: doctype, charset, title, canonical link, and the body with no scripts."""
    lang = rendered.extra.get("lang")
    lang_attr = f' lang="{html.escape(lang, quote=True)}"' if isinstance(lang, str) and lang else ""
    return "\n".join([
        "<!doctype html>",
        f"<html{lang_attr}>",
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(rendered.title, quote=False)}</title>",
        f'<link rel="canonical" href="{html.escape(rendered.canonical_url, quote=True)}">',
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<!-- Written by crosspost for Medium: select the story below, copy it, and paste it "
        "into a new Medium story. -->",
        "<article>",
        sanitize(rendered.body).strip(),
        "</article>",
        "</body>",
        "</html>",
        "",
    ])


def import_instructions(rendered: Rendered, path: Path) -> list[str]:
    """The steps to put the post on Medium by hand and record where it went."""
    canonical = rendered.canonical_url
    tags = list(rendered.options.tags) or post_tags(rendered)
    tag_note = (f" Add the tags: {', '.join(tags[:WEB_TAG_LIMIT])}." if tags else "")
    source = shlex.quote(str(rendered.source_path))
    return [
        f"1. Once {canonical} is online, open {IMPORT_URL}, paste that URL and press Import: "
        "Medium copies the story and sets its canonical link to your page.",
        f"2. Or open {Path(path).resolve().as_uri()} in a browser, select the whole story, copy "
        f"it and paste it into a new story ({NEW_STORY_URL}); then, in the story's settings "
        f"(Advanced settings), set the canonical link to {canonical}.",
        "3. Review Medium's draft (code blocks, tables, footnotes and math may need touching "
        f"up), then publish it.{tag_note}",
        f"4. Record the copy: crosspost link {source} --to medium <the new Medium URL>",
    ]


def _file_stem(source: Path) -> str:
    stem = source.stem
    if stem in ("index", "_index", "README", "readme") and source.parent.name:
        stem = source.parent.name  # Hugo page bundles: the folder is the post's name
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "post"


# -- sanitizing ------------------------------------------------------------------------------

# Elements dropped with everything inside them: nothing in a story for Medium needs them,
# and the page is opened in a browser from disk.
_DROP_WITH_CONTENT = frozenset({"script", "style", "noscript", "template", "object", "applet",
                                "iframe", "frameset", "svg", "head", "title"})
_DROP_TAG = frozenset({"embed", "frame", "base", "meta", "link", "html", "body", "param"})
_VOID = frozenset({"area", "br", "col", "hr", "img", "input", "source", "track", "wbr"})
_URL_ATTRS = frozenset({"href", "src", "action", "formaction", "poster", "cite", "background",
                        "xlink:href", "data"})
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data:text/html)", re.IGNORECASE)


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self._skipping: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        if self._skipping is not None:
            if tag == self._skipping and not closed:
                self._depth += 1
            return
        if tag in _DROP_WITH_CONTENT:
            if tag == "iframe":
                # Medium strips iframes; a bare link on its own line becomes an embed.
                src = dict(attrs).get("src") or ""
                if src.startswith(("https://", "http://")):
                    link = html.escape(src, quote=True)
                    self.out.append(f'<p><a href="{link}">{html.escape(src)}</a></p>')
            if not closed:
                self._skipping, self._depth = tag, 1
            return
        if tag in _DROP_TAG:
            return
        kept = "".join(f" {name}" if value is None else
                       f' {name}="{html.escape(value, quote=True)}"'
                       for name, value in attrs if _safe_attr(name, value))
        self.out.append(f"<{tag}{kept}>")
        if closed and tag not in _VOID:
            self.out.append(f"</{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping is not None:
            if tag == self._skipping:
                self._depth -= 1
                if self._depth == 0:
                    self._skipping = None
            return
        if tag in _DROP_WITH_CONTENT or tag in _DROP_TAG or tag in _VOID:
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._skipping is None:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if self._skipping is None:
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if self._skipping is None:
            self.out.append(f"&#{name};")

    # Comments (conditional comments can hide scripts), declarations and processing
    # instructions are dropped: handle_comment, handle_decl, handle_pi, unknown_decl keep
    # HTMLParser's do-nothing defaults.


def _safe_attr(name: str, value: str | None) -> bool:
    if name.startswith("on") or name in ("srcdoc", "formaction"):
        return False
    if name in _URL_ATTRS and value is not None:
        cleaned = re.sub(r"[\x00-\x20]+", "", value)
        return not _BAD_SCHEME.match(cleaned)
    return True


def sanitize(fragment: str) -> str:
    """``fragment`` without scripts, event handlers, ``javascript:`` URLs, frames or comments."""
    parser = _Sanitizer()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


__all__ = ["IMPORT_URL", "import_document", "import_instructions", "sanitize",
           "write_import_file"]
