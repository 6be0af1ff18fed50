"""Jekyll's source dialect: Liquid tags and output (kramdown's extensions are in ``kramdown``).

Jekyll runs Liquid before Markdown, so a tag can stand anywhere, even in a link destination
(``[x]({% post_url 2020-01-01-y %})``). This step rewrites them into portable Markdown before
the Markdown step looks for links. Tags inside code (fenced, indented, inline) and math are
left byte for byte (the protected ranges of the parse), with one exception: Liquid reads the
whole file, code included, so ``{% raw %}…{% endraw %}`` shows its content there too, and the
tags go wherever they stand (a post that teaches Liquid has them in its code samples).

Variables set in the post are evaluated where they are used: ``{% assign %}`` of a literal
(or of an expression of literals and known filters) and ``{% capture %}`` of plain text or
Markdown are plain data. A variable whose value cannot be known for certain is shown as its
expression, with a warning naming why.

Nothing is passed through silently: a tag that is not understood becomes an honest note with
a warning naming its line; only ``{% comment %}``, ``{% assign %}`` and ``{% capture %}`` go
without a word, because they produce no output where they stand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from crosspost.render import embeds
from crosspost.render.context import RenderContext
from crosspost.render.kramdown import kramdown_edits
from crosspost.render.liquid_filters import (
    SiteUrls,
    apply_filter,
    split_arguments,
    split_filters,
    variables_of,
)
from crosspost.render.markdown import (
    Edit,
    Parsed,
    block_edit,
    escape_inline,
    fence,
)
from crosspost.render.walker import SourceWalker, present

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
_SILENT_TAGS = frozenset({"increment", "decrement", "cycle", "break", "continue"})
_RAW_OPEN = re.compile(r"\{%-?\s*raw\s*-?%\}")
_RAW_CLOSE = re.compile(r"\{%-?\s*endraw\s*-?%\}")
_ASSIGN = re.compile(r"([A-Za-z_][\w-]*)\s*=\s*(.+)", re.DOTALL)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# Loops are kept like conditions: their body once (a for's else branch, for an empty
# collection, is dropped), never taken for a plugin's block tag with a title.
_LOOPS = frozenset({"for", "tablerow"})
_CONDITIONS = frozenset({"if", "unless", "case"}) | _LOOPS
_CONDITION_ENDS = frozenset({"endif", "endunless", "endcase", "endfor", "endtablerow"})
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


def jekyll_edits(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """The edits that turn Liquid and kramdown constructs into portable Markdown."""
    edits = _Walker(parsed, ctx).run()
    edits.extend(kramdown_edits(parsed, ctx))
    return edits


class _Walker(SourceWalker):
    def __init__(self, parsed: Parsed, ctx: RenderContext) -> None:
        super().__init__(parsed, ctx)
        self.urls = SiteUrls(ctx.site.url)
        # Variables set by assign and capture: known values, and why the others are not.
        self.variables: dict[str, str] = {}
        self.unknown: dict[str, str] = {}
        self.conditional: set[str] = set()  # set inside a condition (its first branch)
        self.condition_depth = 0
        # Where each {% raw %} (outside code) ends: its content is text, not tags.
        self.raw_ends: dict[int, tuple[int, int]] = {}
        self.matches = self._scan(liquid=ctx.post.front_matter.get("render_with_liquid") is not False)
        self.warned_condition = False
        self.warned_loop = False
        self.case_seen_when: list[bool] = []

    def _scan(self, *, liquid: bool) -> list[_Match]:
        """The tags and outputs outside code, in order, as Liquid reads them: nothing between
        ``{% raw %}`` and ``{% endraw %}`` is a tag. A raw pair inside code (or math) is
        unwrapped at once; every other tag there stays as written."""
        matches: list[_Match] = []
        pos = 0
        jekyll = self.ctx.site.generator == "jekyll"  # a plain folder's code is only code
        while True:
            found = _TOKEN.search(self.text, pos)
            if found is None:
                return matches
            match = _Match(found.start(), found.end(), found.groupdict())
            pos = found.end()
            if (match.tag is not None or match.groups.get("expr") is not None) and not liquid:
                continue  # `render_with_liquid: false`: Liquid is text on this page
            protected = self.parsed.is_protected(match.start)
            if match.tag == "raw" and (jekyll or not protected):
                closing = _RAW_CLOSE.search(self.text, match.end)
                if closing is not None:
                    pos = closing.end()
                    if protected or self.parsed.is_protected(closing.start()):
                        # Code shows what is inside the tags, as on the site.
                        self.edits.append(Edit(match.start, match.end, ""))
                        self.edits.append(Edit(closing.start(), closing.end(), ""))
                        continue
                    self.raw_ends[match.start] = closing.span()
                elif protected:
                    self.ctx.warn(match.start, "{% raw %} is never closed with {% endraw %}: "
                                  "kept the rest of the post as it is")
                    self.edits.append(Edit(match.start, match.end, ""))
                    return matches
            if not protected:
                matches.append(match)

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
                if tag == "assign":
                    self._assign(index, match)
                elif tag in _SILENT_TAGS:
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
            if m.group(4) is not None and m.group(4) in self.variables:
                params[m.group(1).lower()] = self.variables[m.group(4)]  # `path=img`: a variable
            else:
                params[m.group(1).lower()] = self._value(value)
        return params

    # -- Liquid output -------------------------------------------------------------------------

    def _output(self, match: _Match) -> None:
        expr = (match.groups.get("expr") or "").strip()
        value = self._evaluate(expr)
        names = variables_of(expr)
        if value is None:
            why = next((f"`{n}` {self.unknown[n]}" for n in names if n in self.unknown), None)
            self.ctx.warn(match.start, f"cannot evaluate the Liquid output {{{{ {expr} }}}}"
                          f"{f' ({why})' if why else ''}: its expression is shown as text")
            value = escape_inline(expr)
        else:
            guessed = [n for n in names if n in self.conditional]
            if guessed:
                self.ctx.warn(match.start, f"`{guessed[0]}` in {{{{ {expr} }}}} is set inside a "
                              "Liquid condition: the value from its first branch is shown")
        self._replace(match, value)

    def _evaluate(self, expr: str) -> str | None:
        """The value of a Liquid output expression, for the small part of Liquid posts use:
        literals, variables this post set, ``page``/``site`` values, and filters whose
        result is certain. None when any part is outside that."""
        parts = [p.strip() for p in split_filters(expr.strip())]
        if not parts or not parts[0]:
            return None
        value = self._operand(parts[0])
        if value is None:
            return None
        for part in parts[1:]:
            name, _, arg = part.partition(":")
            arguments = [self._operand(a.strip()) for a in split_arguments(arg)]
            if any(a is None for a in arguments):
                return None
            filtered = apply_filter(name.strip(), value, [a or "" for a in arguments], self.urls)
            if filtered is None:
                return None
            value = filtered
        return value

    def _operand(self, token: str) -> str | None:
        if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
            return token[1:-1]
        if _NUMBER.fullmatch(token):
            return token
        if token in self.variables:
            return self.variables[token]
        if token in self.unknown:
            return None
        if token in {"true", "false"}:
            return token
        if token in {"nil", "null"}:
            return ""
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
        closing = self.raw_ends.get(match.start)
        if closing is None:
            self.ctx.warn(match.start, "{% raw %} is never closed with {% endraw %}: kept the "
                          "rest of the post as it is")
            self._replace(match, "")
            self.consumed = len(self.text)
            return
        # The content stays literally (that is what raw means); only the tags go.
        self._replace(match, "")
        self.edits.append(Edit(closing[0], closing[1], ""))
        self.consumed = closing[1]

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
        # The block's content is Liquid too: a raw pair in it shows its content.
        code = _unwrap_raw(self.text[match.end:closing.start()])
        # Jekyll strips the line breaks around the code (LEADING_OR_TRAILING_LINE_TERMINATORS).
        code = re.sub(r"\A\n+|\n+\Z", "", code)
        self._block(match.start, closing.end(), fence(code, lang))

    # -- variables -----------------------------------------------------------------------------

    def _assign(self, index: int, match: _Match) -> None:
        found = _ASSIGN.fullmatch(match.args)
        if found is not None:
            name, expr = found.group(1), found.group(2).strip()
            value = self._evaluate(expr)
            self._set(name, value, f"is assigned {expr!r}, which cannot be evaluated here")
        self._remove(index, match)

    def _capture(self, index: int, match: _Match) -> None:
        closing = self._closing_match(index, "capture")
        if closing is None:
            # Jekyll refuses to build such a page; nothing after the tag is thrown away here.
            self.ctx.warn(match.start, "{% capture %} is never closed with {% endcapture %}: "
                          "only the tag is left out")
            self._block(match.start, match.end, "")
            return
        name = (match.args.split() or [""])[0].strip(QUOTES)
        if name:
            inner = [m for m in self.matches if match.end <= m.start < closing.start]
            value = self._captured(match.end, closing.start, inner)
            if value is not None:
                # Whitespace control: `-%}` and `{%-` trim the captured text's ends.
                if self.text.endswith("-%}", match.start, match.end):
                    value = value.lstrip()
                if self.text.startswith("{%-", closing.start):
                    value = value.rstrip()
            self._set(name, value, "captures Liquid that cannot be evaluated here")
        self._block(match.start, closing.end, "")

    def _set(self, name: str, value: str | None, why: str) -> None:
        if value is None:
            self.variables.pop(name, None)
            self.unknown[name] = why
        else:
            self.variables[name] = value
            self.unknown.pop(name, None)
        if self.condition_depth:
            self.conditional.add(name)
        else:
            self.conditional.discard(name)

    def _captured(self, start: int, end: int, inner: list[_Match]) -> str | None:
        """The text a capture holds: its content with outputs evaluated and raw pairs
        unwrapped; None when it holds any other tag (its value would be a guess)."""
        pieces: list[str] = []
        cursor = start
        for match in inner:
            if match.start < cursor:
                continue
            if _has_liquid(self.text[cursor:match.start]):
                return None  # Liquid inside code: the site evaluates it, this step does not
            pieces.append(self.text[cursor:match.start])
            if match.groups.get("expr") is not None:
                value = self._evaluate((match.groups.get("expr") or "").strip())
                if value is None:
                    return None
                pieces.append(value)
                cursor = match.end
            elif match.tag == "raw" and match.start in self.raw_ends:
                raw_start, raw_end = self.raw_ends[match.start]
                pieces.append(self.text[match.end:raw_start])
                cursor = raw_end
            elif match.tag == "comment":
                closing = self._closing("comment", match.end)
                if closing is None or closing.end() > end:
                    return None
                cursor = closing.end()
            else:
                return None
        if _has_liquid(self.text[cursor:end]):
            return None
        pieces.append(self.text[cursor:end])
        return "".join(pieces)

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
            loop = tag in _LOOPS
            if not (self.warned_loop if loop else self.warned_condition):
                kept = "body is kept once" if loop else "first branch is kept"
                self.ctx.warn(match.start, f"Liquid {{% {tag} %}} cannot be evaluated here: its "
                              f"{kept}")
                if loop:
                    self.warned_loop = True
                else:
                    self.warned_condition = True
            if tag == "case":
                self.case_seen_when.append(False)
            self.condition_depth += 1
            self._remove(index, match)
            return
        if tag in _CONDITION_ENDS:
            if tag == "endcase" and self.case_seen_when:
                self.case_seen_when.pop()
            self.condition_depth = max(0, self.condition_depth - 1)
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
                    self.condition_depth = max(0, self.condition_depth - 1)
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
        presentation = None
        nested = False
        if closing is not None:
            # A plugin's block tag: its parameters are shown the way themes show them.
            named = self._params(match.args)
            positional = [w.strip(QUOTES) for w in _PARAM.sub(" ", match.args).split()]
            presentation = present(named, positional, None, paired=True)
            nested = any(match.end <= m.start < closing.start for m in self.matches)
        self._unknown_tag(match.start, match.end,
                          (closing.start, closing.end) if closing is not None else None,
                          what=f"Liquid tag {{% {tag} %}}", kind="tag", name=tag,
                          presentation=presentation, nested=nested)


def _has_liquid(text: str) -> bool:
    return any(m.group("tag") or m.group("expr") is not None for m in _TOKEN.finditer(text))


def _unwrap_raw(text: str) -> str:
    """``text`` as Liquid shows it when it holds no tags but raw pairs: their content."""
    pieces: list[str] = []
    cursor = 0
    while True:
        opening = _RAW_OPEN.search(text, cursor)
        closing = _RAW_CLOSE.search(text, opening.end()) if opening else None
        if opening is None or closing is None:
            pieces.append(text[cursor:])
            return "".join(pieces)
        pieces.append(text[cursor:opening.start()])
        pieces.append(text[opening.end():closing.start()])
        cursor = closing.end()


__all__ = ["SiteUrls", "jekyll_edits"]
