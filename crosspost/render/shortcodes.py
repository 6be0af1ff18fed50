"""Hugo's source dialect: shortcodes, ``{{< name … >}}`` and ``{{% name … %}}``.

Hugo expands shortcodes before (``{{% %}}``) or around (``{{< >}}``) Markdown, so like Liquid
they are rewritten into portable Markdown before links are looked at. Shortcodes inside code
and math stay byte for byte. Hugo's built-in shortcodes are understood; any other is reported
with its line and becomes its inner content (paired) or a note (self-closing).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crosspost.render import embeds
from crosspost.render.context import RenderContext
from crosspost.render.markdown import (
    Edit,
    Parsed,
    block_edit,
    escape_inline,
    fence,
)
from crosspost.render.walker import SourceWalker, present
from crosspost.sites.facts import hugo_passthrough

_SHORTCODE = re.compile(r"\{\{(?P<delim><)(?P<body>.*?)>\}\}|\{\{(?P<pct>%)(?P<pbody>.*?)%\}\}", re.DOTALL)


@dataclass
class _Shortcode:
    start: int
    end: int
    name: str
    closing: bool
    self_closing: bool
    positional: list[str]
    named: dict[str, str]
    escaped: str | None  # the literal text of an escaped shortcode ({{</* x */>}})
    delim: str

    def get(self, key: str, position: int | None = None) -> str:
        if key in self.named:
            return self.named[key]
        if position is not None and position < len(self.positional):
            return self.positional[position]
        return ""


def _unescaped(match: re.Match[str]) -> str | None:
    """What Hugo prints for an escaped shortcode (``{{</* x */>}}`` → ``{{< x >}}``): the
    text with the comment markers taken out and every space kept; None if not escaped."""
    delim = match.group("delim") or match.group("pct")
    raw = match.group("body") if match.group("delim") else match.group("pbody")
    body = raw.strip()
    if not (len(body) >= 4 and body.startswith("/*") and body.endswith("*/")):
        return None
    opening, closing = raw.index("/*"), raw.rindex("*/")
    inner = raw[:opening] + raw[opening + 2:closing] + raw[closing + 2:]
    return f"{{{{{delim}{inner}{'>' if delim == '<' else '%'}}}}}"


def _read(match: re.Match[str]) -> _Shortcode:
    delim = match.group("delim") or match.group("pct")
    body = (match.group("body") if match.group("delim") else match.group("pbody")).strip()
    escaped = _unescaped(match)
    if escaped is not None:
        return _Shortcode(match.start(), match.end(), "", False, False, [], {}, escaped, delim)
    closing = body.startswith("/")
    body = body[1:].strip() if closing else body
    self_closing = body.endswith("/")
    body = body[:-1].strip() if self_closing else body
    try:
        words = shlex.split(body.replace("`", '"'), posix=True)
    except ValueError:
        words = body.split()
    name = words[0] if words else ""
    positional: list[str] = []
    named: dict[str, str] = {}
    for word in words[1:]:
        key, eq, value = word.partition("=")
        if eq and re.fullmatch(r"[\w-]+", key):
            named[key.lower()] = value
        else:
            positional.append(word)
    return _Shortcode(match.start(), match.end(), name, closing, self_closing, positional, named,
                      None, delim)


def hugo_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """The edits that turn Hugo shortcodes (and passthrough math) into portable Markdown."""
    edits = _Walker(parsed, ctx).run()
    edits.extend(_passthrough_edits(parsed, ctx))
    return edits


def passthrough_delimiters(config: Mapping[str, Any]) -> list[tuple[str, str, bool]]:
    """The math delimiters of goldmark's passthrough extension that need rewriting.

    Hugo's documented math setup keeps ``\\(…\\)`` and ``\\[…\\]`` away from Markdown for
    MathJax or KaTeX; everywhere else a backslash before a parenthesis is only an escape.
    Dollar delimiters need nothing: they mean math on every target already (whether a single
    ``$`` is math on the site is ``sites.facts.dollar_math``). Returns (open, close, display).
    """
    return [(opening, closing, display) for opening, closing, display in hugo_passthrough(config)
            if opening.strip("$")]


def _passthrough_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    edits: list[Edit] = []
    for opening, closing, _ in passthrough_delimiters(ctx.site.config):
        pattern = re.compile(re.escape(opening) + r"(.+?)" + re.escape(closing), re.DOTALL)
        for match in pattern.finditer(parsed.text):
            if parsed.is_protected(match.start()):
                continue
            tex = match.group(1).strip()
            # Inline math goes in as `$$…$$` (kramdown's inline math, which the forum step
            # turns into `$…$`): a single `$` may be a dollar sign on this site, and is escaped.
            edits.append(Edit(match.start(), match.end(), f"$${tex}$$"))
    return edits


class _Walker(SourceWalker):
    def __init__(self, parsed: Parsed, ctx: RenderContext) -> None:
        super().__init__(parsed, ctx)
        self.codes: list[_Shortcode] = []
        for match in _SHORTCODE.finditer(self.text):
            if not parsed.is_protected(match.start()):
                self.codes.append(_read(match))
                continue
            # Hugo reads shortcodes in code too; escaping one is how a post shows it there.
            literal = _unescaped(match) if ctx.site.generator == "hugo" else None
            if literal is not None:
                self.edits.append(Edit(match.start(), match.end(), literal))

    def run(self) -> list[Edit]:
        for index, code in enumerate(self.codes):
            if code.start < self.consumed or code.start in self.handled:
                continue
            if code.escaped is not None:
                # Hugo prints an escaped shortcode literally; as code it cannot be mistaken.
                self.edits.append(Edit(code.start, code.end, f"`{code.escaped}`"))
                continue
            if code.closing:
                self._stray_closing(code)
                continue
            handler = getattr(self, "_sc_" + code.name.replace("-", "_").replace("/", "_"), None)
            if handler is None:
                self._unknown(index, code)
            else:
                handler(index, code)
        return self.edits

    # -- helpers -------------------------------------------------------------------------------

    def _closing(self, index: int, name: str) -> _Shortcode | None:
        depth = 0
        for later in self.codes[index + 1:]:
            if later.name != name or later.escaped is not None:
                continue
            if later.closing:
                if depth == 0:
                    return later
                depth -= 1
            elif not later.self_closing:
                depth += 1
        return None

    def _raw_closing(self, code: _Shortcode) -> re.Match[str] | None:
        pattern = re.compile(r"\{\{[<%]\s*/\s*" + re.escape(code.name) + r"\s*[>%]\}\}")
        return pattern.search(self.text, code.end)

    def _stray_closing(self, code: _Shortcode) -> None:
        self.ctx.warn(code.start, f"closing shortcode {{{{< /{code.name} >}}}} without an opening one: "
                      "left out")
        self.edits.append(Edit(code.start, code.end, ""))

    # -- Hugo's built-in shortcodes ------------------------------------------------------------

    def _sc_figure(self, index: int, code: _Shortcode) -> None:
        src = code.get("src", 0)
        if not src:
            self.ctx.warn(code.start, "figure shortcode without src: left out")
            self._block(code.start, code.end, "")
            return
        # Hugo's figure.html: the figcaption holds the title (an <h4>, not markdownified),
        # then the caption and the attribution (`attr`, linked to `attrlink`), both
        # markdownified; the image has no title attribute.
        parts = [code.get("caption")]
        attr, attrlink = code.get("attr"), code.get("attrlink")
        if attr:
            parts.append(f"[{attr}]({attrlink})" if attrlink else attr)
        caption = " ".join(p for p in parts if p)
        title = " ".join(code.get("title").split())
        if title:
            caption = f"**{escape_inline(title)}**" + (f" — {caption}" if caption else "")
            if not parts[0] and not attr:
                caption = escape_inline(title)
        link = code.get("link")
        self._block(code.start, code.end, self.ctx.emitter.figure(
            self.ctx.links.image(src, code.start), alt=code.get("alt"), title=None,
            caption=caption or None, caption_is_html=False,
            link=self.ctx.links.link(link, code.start) if link else None, offset=code.start))

    def _ref(self, index: int, code: _Shortcode) -> None:
        target = code.get("path", 0)
        path, _, fragment = target.partition("#")
        found = self.ctx.site.find_post(path, kind=code.name, relative_to=self.ctx.post) if path else None
        lang = code.get("lang")
        if found is not None and lang:
            found = self.ctx.site.translation(found, lang)
            if found is None:
                path = f"{path} (in {lang})"
        if path and found is None:
            self.ctx.warn(code.start, f"{code.name} {path!r} names no page of this site: linked to "
                          "the site's home page instead")
            url = self.ctx.site.absolute_url("/", post=self.ctx.post) if self.ctx.site.url else "/"
        else:
            url = self.ctx.site.canonical_url(found) if found is not None else self.ctx.canonical_url
        self.edits.append(Edit(code.start, code.end, url + (f"#{fragment}" if fragment else "")))

    _sc_ref = _ref
    _sc_relref = _ref

    def _sc_highlight(self, index: int, code: _Shortcode) -> None:
        closing = self._raw_closing(code)
        if closing is None:
            self.ctx.warn(code.start, "highlight shortcode is never closed")
            self._block(code.start, code.end, "")
            return
        inner = self.text[code.end:closing.start()]
        inner = inner[1:] if inner.startswith("\n") else inner
        self._block(code.start, closing.end(), fence(inner, code.get("lang", 0)))

    def _sc_comment(self, index: int, code: _Shortcode) -> None:
        closing = self._raw_closing(code)
        self._block(code.start, closing.end() if closing else code.end, "")

    def _embed(self, code: _Shortcode, url: str | None) -> None:
        if not url:
            self._unknown(-1, code)
            return
        self._block(code.start, code.end, self.ctx.emitter.embed(url))

    def _sc_youtube(self, index: int, code: _Shortcode) -> None:
        self._embed(code, embeds.youtube_watch(code.get("id", 0)))

    def _sc_vimeo(self, index: int, code: _Shortcode) -> None:
        video = code.get("id", 0)
        self._embed(code, f"https://vimeo.com/{video}" if video.isdigit() else None)

    def _sc_gist(self, index: int, code: _Shortcode) -> None:
        user, gist, file = code.get("user", 0), code.get("id", 1), code.get("file", 2)
        url = f"https://gist.github.com/{user}/{gist}" if user and gist else None
        self._embed(code, url + (f"?file={file}" if url and file else "") if url else None)

    def _social(self, code: _Shortcode, host: str) -> None:
        user, post = code.get("user", 0), code.get("id", 1)
        self._embed(code, f"https://{host}/{user}/status/{post}" if user and post else None)

    def _sc_x(self, index: int, code: _Shortcode) -> None:
        self._social(code, "x.com")

    def _sc_twitter(self, index: int, code: _Shortcode) -> None:
        self._social(code, "twitter.com")

    _sc_tweet = _sc_twitter

    def _sc_instagram(self, index: int, code: _Shortcode) -> None:
        post = code.get("id", 0)
        self._embed(code, f"https://www.instagram.com/p/{post}/" if post else None)

    def _sc_param(self, index: int, code: _Shortcode) -> None:
        name = code.get("name", 0)
        value = self.ctx.post.front_matter.get(name)
        params = self.ctx.site.config.get("params")
        if value is None and isinstance(params, Mapping):
            value = params.get(name)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            self.edits.append(Edit(code.start, code.end, escape_inline(str(value))))
            return
        self.ctx.warn(code.start, f"param {name!r} has no simple value: shown as its name")
        self.edits.append(Edit(code.start, code.end, escape_inline(name)))

    def _sc_details(self, index: int, code: _Shortcode) -> None:
        closing = self._closing(index, "details")
        summary = code.get("summary", 0) or "Details"
        self._block(code.start, code.end, self.ctx.emitter.collapsible_open(summary))
        if closing is not None:
            self.edits.append(block_edit(self.text, closing.start, closing.end,
                                         self.ctx.emitter.collapsible_close()))
            self.handled.add(closing.start)

    # -- anything else ---------------------------------------------------------------------------

    def _unknown(self, index: int, code: _Shortcode) -> None:
        closing = self._closing(index, code.name) if index >= 0 and not code.self_closing else None
        presentation = None
        nested = False
        missing = None
        if closing is not None:
            # What the site shows of its parameters is in its template, when it is at hand.
            template = self.ctx.site.facts.shortcode(code.name)
            presentation = present(code.named, code.positional, template, paired=True)
            nested = any(code.end <= c.start < closing.start for c in self.codes)
            if template is None and (code.named or code.positional):
                reason = self.ctx.site.facts.missing_templates
                missing = (f"its template cannot be read: {reason}" if reason else
                           "no template for it in layouts/shortcodes/")
        self._unknown_tag(code.start, code.end,
                          (closing.start, closing.end) if closing is not None else None,
                          what=f"shortcode {code.name!r}", kind="shortcode", name=code.name,
                          presentation=presentation, nested=nested, missing_template=missing)


def strikethrough_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """Hugo's goldmark strikes through ``~one tilde~`` as well as ``~~two~~``
    (yuin/goldmark ``extension/strikethrough.go`` takes a run of one or two tildes); the
    forums and Medium's renderer take only two. The sub plugin's spans find them."""
    if ctx.site.generator != "hugo":
        return []
    edits: list[Edit] = []
    for span in parsed.spans_of("sub"):
        if parsed.text[span.start] == "~":
            edits.append(Edit(span.start, span.start + 1, "~~"))
            edits.append(Edit(span.end - 1, span.end, "~~"))
    return edits


__all__ = ["hugo_edits", "passthrough_delimiters", "strikethrough_edits"]
