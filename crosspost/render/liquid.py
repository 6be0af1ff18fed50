"""Jekyll's source dialect: Liquid tags and output, and kramdown's extensions.

Jekyll runs Liquid before Markdown, so a tag can stand anywhere, even in a link destination
(``[x]({% post_url 2020-01-01-y %})``). This step rewrites them into portable Markdown before
the Markdown step looks for links. Tags inside code (fenced, indented, inline) and math are
left byte for byte (the protected ranges of the parse).

Nothing is passed through silently: a tag that is not understood becomes an honest note with
a warning naming its line; only ``{% comment %}``, ``{% assign %}`` and ``{% capture %}`` go
without a word, because they produce no output on the site either.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from crosspost.render import embeds
from crosspost.render.context import RenderContext
from crosspost.render.markdown import (
    Edit,
    Parsed,
    block_edit,
    escape_inline,
    fence,
)
from crosspost.render.walker import SourceWalker

_TOKEN = re.compile(
    r"\{%-?\s*(?P<tag>[A-Za-z_]\w*)(?P<args>(?:[^%]|%(?!\}))*?)-?%\}"
    r"|\{\{-?(?P<expr>(?:[^}]|\}(?!\}))*?)-?\}\}"
    r"|\{::(?P<ext>\w+)(?P<extargs>[^}]*?)\}"
    r"|\{:/(?P<extend>\w*)\}"
    r"|\{:(?P<ial>[^}\n]*)\}",
    re.DOTALL,
)
QUOTES = "\"'"
_PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
# Diagrams, charts and maps that al-folio draws from a fenced block's source.
_SILENT_TAGS = frozenset({"assign", "increment", "decrement", "cycle"})
_CONDITIONS = frozenset({"if", "unless", "case"})
_CONDITION_ENDS = frozenset({"endif", "endunless", "endcase"})
_BRANCHES = frozenset({"elsif", "else", "when"})
_CITES = frozenset({"cite", "reference", "cite_details", "citation", "citet", "citep"})


def _end_tag(name: str) -> re.Pattern[str]:
    return re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}")


@dataclass
class _Match:
    start: int
    end: int
    groups: dict[str, str | None]

    @property
    def tag(self) -> str | None:
        return self.groups.get("tag")

    @property
    def args(self) -> str:
        return (self.groups.get("args") or "").strip()


class SiteUrls:
    """Jekyll's ``site.url``, ``site.baseurl`` and its two URL filters, from ``Site.url``."""

    def __init__(self, site_url: str | None) -> None:
        parts = urlsplit(site_url or "")
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
        self.baseurl = parts.path.rstrip("/")

    def relative_url(self, path: str) -> str:
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|//", path):
            return path
        path = "/" + path.lstrip("/")
        if self.baseurl and (path == self.baseurl or path.startswith(self.baseurl + "/")):
            return path  # already carries the baseurl ("{{ site.baseurl }}/assets/…")
        return self.baseurl + path

    def absolute_url(self, path: str) -> str:
        relative = self.relative_url(path)
        return relative if not relative.startswith("/") else self.origin + relative


def jekyll_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """The edits that turn Liquid and kramdown constructs into portable Markdown."""
    edits = _Walker(parsed, ctx).run()
    edits.extend(_header_ids(parsed))
    edits.extend(_markdown_in_html(parsed))
    return edits


_HEADER_ID = re.compile(r"[ \t]+\{#[\w:.-]+\}[ \t]*$", re.MULTILINE)
_MARKDOWN_ATTR = re.compile(
    r"\A[ \t]*<(?P<tag>[A-Za-z][\w-]*)\b[^>]*\bmarkdown=(?P<q>[\"']?)(?:1|block|span)(?P=q)[^>]*>"
    r"[ \t]*\n?")


def _header_ids(parsed: Parsed) -> list[Edit]:
    """kramdown's ``## Heading {#id}`` sets the anchor; the targets make their own."""
    edits: list[Edit] = []
    for token in parsed.tokens:
        if token.type == "heading_open" and token.map is not None:
            start, end = parsed.block_range(token)
            edits.extend(Edit(m.start(), m.end(), "")
                         for m in _HEADER_ID.finditer(parsed.text, start, end))
    return edits


def _markdown_in_html(parsed: Parsed) -> list[Edit]:
    """``<div markdown="1">`` asks kramdown to read its content as Markdown: unwrap it."""
    edits: list[Edit] = []
    for start, end in parsed.html_blocks:
        block = parsed.text[start:end]
        opening = _MARKDOWN_ATTR.match(block)
        if opening is None:
            continue
        # The blank lines make the content Markdown paragraphs, not part of an HTML block.
        edits.append(Edit(start, start + opening.end(), "\n"))
        closing = re.search(rf"</{opening.group('tag')}\s*>[ \t]*\n?\Z", block)
        if closing is not None:
            edits.append(Edit(start + closing.start(), start + closing.end(), "\n"))
    return edits


class _Walker(SourceWalker):
    def __init__(self, parsed: Parsed, ctx: RenderContext) -> None:
        super().__init__(parsed, ctx)
        self.urls = SiteUrls(ctx.site.url)
        self.matches = [
            _Match(m.start(), m.end(), m.groupdict())
            for m in _TOKEN.finditer(self.text) if not parsed.is_protected(m.start())
        ]
        self.warned_condition = False
        self.case_seen_when: list[bool] = []

    def run(self) -> list[Edit]:
        handlers: dict[str, Callable[[int, _Match], None]] = {
            "raw": self._raw, "comment": self._comment, "highlight": self._highlight,
            "include": self._include, "include_relative": self._include_relative,
            "post_url": self._post_url, "link": self._post_url,
            "jupyter_notebook": self._notebook, "bibliography": self._bibliography,
            "tabs": self._tabs, "endtabs": self._remove, "tab": self._tab, "endtab": self._remove,
            "details": self._details, "enddetails": self._details_end,
            "capture": self._capture, "gist": self._gist, "twitter": self._embed_arg,
            "tweet": self._embed_arg, "youtube": self._youtube, "vimeo": self._vimeo,
        }
        for index, match in enumerate(self.matches):
            if match.start < self.consumed or match.start in self.handled:
                continue
            groups = match.groups
            if groups.get("expr") is not None:
                self._output(match)
            elif groups.get("ext") is not None or groups.get("extend") is not None:
                self._kramdown_extension(index, match)
            elif groups.get("ial") is not None:
                self._ial(match)
            else:
                tag = match.tag or ""
                if tag in _SILENT_TAGS:
                    self._remove(index, match)
                elif tag in _CONDITIONS or tag in _CONDITION_ENDS or tag in _BRANCHES:
                    self._condition(index, match)
                elif tag in _CITES:
                    self._cite(index, match)
                elif tag in handlers:
                    handlers[tag](index, match)
                else:
                    self._unknown(index, match)
        return self.edits

    # -- helpers -------------------------------------------------------------------------------

    def _replace(self, match: _Match, text: str) -> None:
        self.edits.append(Edit(match.start, match.end, text))

    def _remove(self, index: int, match: _Match) -> None:
        self._block(match.start, match.end, "")

    def _closing(self, name: str, after: int) -> re.Match[str] | None:
        """The end tag of a pair whose content is not Liquid (raw, comment, highlight)."""
        return _end_tag(name).search(self.text, after)

    def _closing_match(self, index: int, name: str) -> _Match | None:
        """The matching ``end<name>`` among the tags found outside code (nesting counted)."""
        depth = 0
        for match in self.matches[index + 1:]:
            if match.tag == name:
                depth += 1
            elif match.tag == "end" + name:
                if depth == 0:
                    return match
                depth -= 1
        return None

    def _value(self, raw: str) -> str:
        """A parameter value with any ``{{ … }}`` inside it evaluated."""
        def evaluate(m: re.Match[str]) -> str:
            value = self._evaluate(m.group(1))
            return value if value is not None else m.group(0)

        return re.sub(r"\{\{-?(.*?)-?\}\}", evaluate, raw)

    def _params(self, args: str) -> dict[str, str]:
        params: dict[str, str] = {}
        for m in _PARAM.finditer(args):
            value = next((g for g in m.groups()[1:] if g is not None), "")
            params[m.group(1).lower()] = self._value(value)
        return params

    # -- Liquid output -------------------------------------------------------------------------

    def _output(self, match: _Match) -> None:
        expr = (match.groups.get("expr") or "").strip()
        value = self._evaluate(expr)
        if value is None:
            self.ctx.warn(match.start, f"cannot evaluate the Liquid output {{{{ {expr} }}}}: "
                          "its expression is shown as text")
            value = escape_inline(expr)
        self._replace(match, value)

    def _evaluate(self, expr: str) -> str | None:
        """The value of a Liquid output expression, for the small part of Liquid posts use."""
        parts = [p.strip() for p in _split_filters(expr.strip())]
        if not parts or not parts[0]:
            return None
        value = self._operand(parts[0])
        if value is None:
            return None
        for part in parts[1:]:
            name, _, arg = part.partition(":")
            name = name.strip()
            argument = self._operand(arg.strip()) if arg.strip() else ""
            if argument is None:
                return None
            if name == "relative_url":
                value = self.urls.relative_url(value)
            elif name == "absolute_url":
                value = self.urls.absolute_url(value)
            elif name == "prepend":
                value = argument + value
            elif name == "append":
                value = value + argument
            elif name == "strip":
                value = value.strip()
            elif name in {"escape", "xml_escape", "smartify", "markdownify"}:
                pass  # they make text safe (or pretty) for HTML; Markdown wants it as it is
            elif name == "downcase":
                value = value.lower()
            elif name == "upcase":
                value = value.upper()
            else:
                return None
        return value

    def _operand(self, token: str) -> str | None:
        if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
            return token[1:-1]
        if re.fullmatch(r"-?\d+(?:\.\d+)?", token):
            return token
        if token == "site.url":
            return self.urls.origin
        if token == "site.baseurl":
            return self.urls.baseurl
        if token == "page.url":
            return urlsplit(self.ctx.canonical_url).path
        if token == "page.title":
            return self.ctx.post.title
        scope, _, key = token.partition(".")
        source: Any = None
        if scope == "page":
            source = self.ctx.post.front_matter
        elif scope == "site":
            source = self.ctx.site.config
        if source is None or not key:
            return None
        for name in key.split("."):
            if not hasattr(source, "get"):
                return None
            source = source.get(name)
        if isinstance(source, str | int | float) and not isinstance(source, bool):
            return str(source)
        return None

    # -- paired tags whose content is not Liquid -----------------------------------------------

    def _raw(self, index: int, match: _Match) -> None:
        closing = self._closing("raw", match.end)
        if closing is None:
            self.ctx.warn(match.start, "{% raw %} is never closed with {% endraw %}: kept the "
                          "rest of the post as it is")
            self._replace(match, "")
            self.consumed = len(self.text)
            return
        # The content stays literally (that is what raw means); only the tags go.
        self._replace(match, "")
        self.edits.append(Edit(closing.start(), closing.end(), ""))
        self.consumed = closing.end()

    def _comment(self, index: int, match: _Match) -> None:
        closing = self._closing("comment", match.end)
        if closing is None:
            # Jekyll refuses to build such a page; nothing after the tag is thrown away here.
            self.ctx.warn(match.start, "{% comment %} is never closed with {% endcomment %}: "
                          "only the tag is left out")
            self._block(match.start, match.end, "")
            return
        self._block(match.start, closing.end(), "")

    def _highlight(self, index: int, match: _Match) -> None:
        closing = self._closing("highlight", match.end)
        if closing is None:
            self.ctx.warn(match.start, "{% highlight %} is never closed with {% endhighlight %}")
            self._block(match.start, match.end, "")
            return
        words = match.args.split()
        lang = words[0] if words else ""
        # Jekyll strips the line breaks around the code (LEADING_OR_TRAILING_LINE_TERMINATORS).
        code = re.sub(r"\A\n+|\n+\Z", "", self.text[match.end:closing.start()])
        self._block(match.start, closing.end(), fence(code, lang))

    def _capture(self, index: int, match: _Match) -> None:
        closing = self._closing("capture", match.end)
        self._block(match.start, closing.end() if closing else match.end, "")

    # -- includes ------------------------------------------------------------------------------

    def _include(self, index: int, match: _Match) -> None:
        name, _, args = match.args.partition(" ")
        name = self._value(name.strip())
        stem = name.rsplit("/", 1)[-1].split(".", 1)[0].lower()
        params = self._params(args)
        if stem in {"figure", "image", "img", "picture"}:
            self._figure(match, params, name)
        elif stem == "video" or stem.startswith("video"):
            self._video(match, params, name)
        elif stem == "audio" or stem.startswith("audio"):
            self._audio(match, params, name)
        elif "youtube" in stem:
            video = params.get("id") or params.get("video_id") or params.get("url") or ""
            url = embeds.youtube_watch(video)
            if url:
                self._block(match.start, match.end, self.ctx.emitter.embed(url))
            else:
                self._unknown_include(match, name, stem)
        else:
            self._unknown_include(match, name, stem)

    def _unknown_include(self, match: _Match, name: str, stem: str) -> None:
        self.ctx.warn(match.start, f"the include {name!r} is not understood: a note points "
                      "readers to the original post")
        self._note(match.start, match.end, f"{stem} (not shown here)")

    def _site_file(self, path: str) -> str:
        """An include's ``path`` parameter: al-folio pipes it through ``relative_url``."""
        return self.urls.absolute_url(path) if self.urls.origin else path

    def _figure(self, match: _Match, params: dict[str, str], name: str) -> None:
        path = params.get("path") or params.get("image_path") or params.get("src") or params.get("url")
        if not path:
            self.ctx.warn(match.start, f"{{% include {name} %}} has no path: left out")
            self._block(match.start, match.end, "")
            return
        link = params.get("url") if params.get("path") and params.get("url") else None
        self.ctx.links.check_file(self.urls.relative_url(path), match.start, image=True,
                                  shown=path)
        src = self.ctx.links.image(self._site_file(path), match.start)
        caption = params.get("caption") or None
        self._block(match.start, match.end, self.ctx.emitter.figure(
            src, alt=params.get("alt", ""), title=params.get("title") or None, caption=caption,
            caption_is_html=True, link=self.ctx.links.link(link, match.start) if link else None,
            offset=match.start))

    def _video(self, match: _Match, params: dict[str, str], name: str) -> None:
        path = params.get("path") or params.get("src") or params.get("url") or ""
        video_id = params.get("id") or ""
        provider = params.get("provider", "").lower()
        watch = embeds.watch_url(path) if path else None
        if not watch and video_id:
            watch = embeds.youtube_watch(video_id) if provider in {"", "youtube"} else (
                f"https://vimeo.com/{video_id}" if provider == "vimeo" else None)
        if watch:
            self._block(match.start, match.end, self.ctx.emitter.embed(watch))
            return
        if not path:
            self._unknown_include(match, name, "video")
            return
        self.ctx.links.check_file(self.urls.relative_url(path), match.start, image=False,
                                  shown=path)
        url = self.ctx.links.link(self._site_file(path))
        label = params.get("caption") or params.get("title") or "Video: " + path.rsplit("/", 1)[-1]
        self.ctx.inform(match.start, "a video file is shown as a link to it")
        self._block(match.start, match.end, self.ctx.emitter.media(url, label))

    def _audio(self, match: _Match, params: dict[str, str], name: str) -> None:
        path = params.get("path") or params.get("src") or ""
        if not path:
            self._unknown_include(match, name, "audio")
            return
        self.ctx.links.check_file(self.urls.relative_url(path), match.start, image=False,
                                  shown=path)
        url = self.ctx.links.link(self._site_file(path))
        label = params.get("caption") or params.get("title") or "Audio: " + path.rsplit("/", 1)[-1]
        self.ctx.inform(match.start, "an audio file is shown as a link to it")
        self._block(match.start, match.end, self.ctx.emitter.media(url, label))

    def _include_relative(self, index: int, match: _Match) -> None:
        self.ctx.warn(match.start, f"{{% include_relative {match.args} %}} is not inlined: a note "
                      "points readers to the original post")
        self._note(match.start, match.end, "included file not shown here")

    # -- links to other posts ------------------------------------------------------------------

    def _post_url(self, index: int, match: _Match) -> None:
        ref = self._value(match.args.strip().strip("'\""))
        kind = "post_url" if match.tag == "post_url" else "link"
        found = self.ctx.site.find_post(ref, kind=kind, relative_to=self.ctx.post)
        if found is None:
            self.ctx.warn(match.start, f"{{% {match.tag} {ref} %}} names no post of this site: "
                          "linked to the site's home page instead")
            self._replace(match, self.urls.absolute_url("/") if self.urls.origin else "/")
            return
        self._replace(match, self.ctx.site.canonical_url(found))

    # -- things a target cannot show -----------------------------------------------------------

    def _notebook(self, index: int, match: _Match) -> None:
        self.ctx.warn(match.start, "a Jupyter notebook cannot be embedded here: a note links to "
                      "the original post")
        self._note(match.start, match.end, "A Jupyter notebook is not shown here")

    def _cite(self, index: int, match: _Match) -> None:
        keys = [k for k in re.split(r"[\s,]+", match.args) if k and not k.startswith("--")]
        self.ctx.warn(match.start, f"citation {{% {match.tag} %}} shown as its key "
                      f"({', '.join(keys)}): the bibliography is only on the site")
        self._replace(match, "(" + "; ".join(escape_inline(k) for k in keys) + ")")

    def _bibliography(self, index: int, match: _Match) -> None:
        self.ctx.warn(match.start, "{% bibliography %} is built by the site: a note links to it")
        self._note(match.start, match.end, "The bibliography is on the original post")

    def _tabs(self, index: int, match: _Match) -> None:
        self.ctx.warn(match.start, "tabs are shown one after the other, each under its name")
        self._remove(index, match)

    def _tab(self, index: int, match: _Match) -> None:
        words = match.args.split(maxsplit=1)
        title = words[1] if len(words) > 1 else (words[0] if words else "")
        self._block(match.start, match.end, f"**{escape_inline(title.strip(QUOTES))}**")

    def _details(self, index: int, match: _Match) -> None:
        self._block(match.start, match.end, self.ctx.emitter.collapsible_open(match.args))

    def _details_end(self, index: int, match: _Match) -> None:
        self._block(match.start, match.end, self.ctx.emitter.collapsible_close())

    def _gist(self, index: int, match: _Match) -> None:
        words = match.args.replace('"', "").replace("'", "").split()
        if not words:
            self._unknown(index, match)
            return
        url = f"https://gist.github.com/{words[0]}"
        if len(words) > 1:
            url += f"?file={words[1]}"
        self._block(match.start, match.end, self.ctx.emitter.embed(url))

    def _embed_arg(self, index: int, match: _Match) -> None:
        url = match.args.split()[0].strip("'\"") if match.args else ""
        if not url.startswith(("http://", "https://")):
            self._unknown(index, match)
            return
        self._block(match.start, match.end, self.ctx.emitter.embed(url))

    def _youtube(self, index: int, match: _Match) -> None:
        url = embeds.youtube_watch(match.args.split()[0].strip("'\"") if match.args else "")
        if not url:
            self._unknown(index, match)
            return
        self._block(match.start, match.end, self.ctx.emitter.embed(url))

    def _vimeo(self, index: int, match: _Match) -> None:
        video = match.args.split()[0].strip("'\"") if match.args else ""
        if not video.isdigit():
            self._unknown(index, match)
            return
        self._block(match.start, match.end, self.ctx.emitter.embed(f"https://vimeo.com/{video}"))

    # -- conditions: the first branch is kept ---------------------------------------------------

    def _condition(self, index: int, match: _Match) -> None:
        tag = match.tag or ""
        if tag in _CONDITIONS:
            if not self.warned_condition:
                self.ctx.warn(match.start, f"Liquid {{% {tag} %}} cannot be evaluated here: its "
                              "first branch is kept")
                self.warned_condition = True
            if tag == "case":
                self.case_seen_when.append(False)
            self._remove(index, match)
            return
        if tag in _CONDITION_ENDS:
            if tag == "endcase" and self.case_seen_when:
                self.case_seen_when.pop()
            self._remove(index, match)
            return
        if tag == "when" and self.case_seen_when and not self.case_seen_when[-1]:
            self.case_seen_when[-1] = True
            self._remove(index, match)
            return
        # elsif / else / a later when: drop everything up to the end of the condition.
        depth = 0
        for later in self.matches[index + 1:]:
            if later.tag in _CONDITIONS:
                depth += 1
            elif later.tag in _CONDITION_ENDS:
                if depth == 0:
                    if later.tag == "endcase" and self.case_seen_when:
                        self.case_seen_when.pop()
                    self._block(match.start, later.end, "")
                    return
                depth -= 1
        self._remove(index, match)

    # -- kramdown ------------------------------------------------------------------------------

    def _ial(self, match: _Match) -> None:
        ial = (match.groups.get("ial") or "").strip()
        if ial == "toc":
            self._toc(match)
            return
        # Attribute lists ({: .class}, {:target="_blank"}) style the site's HTML; the
        # targets have no use for them.
        self._block(match.start, match.end, "")

    def _toc(self, match: _Match) -> None:
        """``* TOC`` + ``{:toc}`` is kramdown's table of contents; the forums draw their own."""
        line_start = self.text.rfind("\n", 0, match.start) + 1
        previous_start = self.text.rfind("\n", 0, max(0, line_start - 1)) + 1
        previous = self.text[previous_start:line_start]
        if re.fullmatch(r"\s*(?:[*+-]|1\.)\s+.*\n", previous):
            self.ctx.inform(match.start, "the kramdown table of contents is left out")
            self._block(previous_start, match.end, "")
        else:
            self._block(match.start, match.end, "")

    def _kramdown_extension(self, index: int, match: _Match) -> None:
        name = match.groups.get("ext")
        if name is None:  # a stray {:/…} closer: its opener handled it or was unknown
            self._block(match.start, match.end, "")
            return
        args = match.groups.get("extargs") or ""
        self_closing = args.rstrip().endswith("/")
        closing = None if self_closing else re.compile(r"\{:/(?:" + name + r")?\}").search(
            self.text, match.end)
        if name == "comment":
            self._block(match.start, closing.end() if closing else match.end, "")
        elif name in {"nomarkdown", "options"}:
            # nomarkdown's content is HTML for the site; it stays and is converted later.
            self._block(match.start, match.end, "")
            if closing is not None:
                self.edits.append(block_edit(self.text, closing.start(), closing.end(), ""))
                self.handled.add(closing.start())
        else:
            self.ctx.warn(match.start, f"kramdown extension {{::{name}}} is not understood: "
                          "its content is kept as text")
            self._block(match.start, match.end, "")
            if closing is not None:
                self.edits.append(block_edit(self.text, closing.start(), closing.end(), ""))
                self.handled.add(closing.start())

    # -- anything else ---------------------------------------------------------------------------

    def _unknown(self, index: int, match: _Match) -> None:
        tag = match.tag or ""
        closing = self._closing_match(index, tag)
        self._unknown_tag(match.start, match.end,
                          (closing.start, closing.end) if closing is not None else None,
                          what=f"Liquid tag {{% {tag} %}}", kind="tag", name=tag)


def _split_filters(expr: str) -> list[str]:
    """Split a Liquid expression on ``|`` outside quotes."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for ch in expr:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            current.append(ch)
        elif ch == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


__all__ = ["SiteUrls", "jekyll_edits"]
