"""One post, one target: the rendering steps in order.

1. **Source dialect** (only when the body has Liquid, kramdown or shortcode syntax): Jekyll's
   ``{% … %}``/``{{ … }}``/``{: …}`` or Hugo's ``{{< … >}}`` become portable Markdown.
2. **Markdown**: the result is parsed again (a tag may have stood in a link destination);
   links and images are made absolute or pointed at sibling copies, the post's link to its own
   copy on this target goes, raw HTML is converted, the title heading goes when it is the
   title, and the forums get their dialect fixes.
3. **Emit**: forum Markdown with the attribution first (dev.to's after a last pass for
   Liquid, math and front matter), or Medium HTML with the title as ``<h1>`` and the
   attribution last.

Each step applies span edits to the text of the previous one (``markdown.Layer``), so what no
step touched is byte for byte what the author wrote, and every notice names its file line.
"""

from __future__ import annotations

import re
from typing import Any

from crosspost.config import TargetOptions
from crosspost.errors import ConfigError
from crosspost.platforms import TARGETS
from crosspost.post import Post
from crosspost.render import Notice, Rendered
from crosspost.render.context import RenderContext
from crosspost.render.deflist import definition_list_edits
from crosspost.render.devto import DevtoEmitter, devto_fields
from crosspost.render.devto import finish as finish_devto
from crosspost.render.dollars import dollar_edits
from crosspost.render.forum import ForumEmitter, anchor_edits, forum_edits
from crosspost.render.forum import finish as finish_forum
from crosspost.render.html import html_edits
from crosspost.render.kramdown_blocks import kramdown_stage
from crosspost.render.links import LinkResolver, link_edits, self_link_edits
from crosspost.render.liquid import jekyll_edits
from crosspost.render.markdown import Edit, Layer, Parsed, block_edit, parse
from crosspost.render.medium import MediumEmitter
from crosspost.render.medium import finish as finish_medium
from crosspost.render.obsidian import obsidian_stage
from crosspost.render.parenmath import paren_math_edits
from crosspost.render.shortcodes import hugo_edits, passthrough_delimiters, strikethrough_edits
from crosspost.render.spoilers import spoiler_stage
from crosspost.sites import Site

# Fenced blocks that al-folio (and similar themes) draw as diagrams, charts or maps.
DIAGRAM_LANGUAGES = frozenset({
    "mermaid", "chart", "chartjs", "plotly", "vega_lite", "vegalite", "vega-lite", "echarts",
    "geojson", "typograms", "diff2html", "pseudocode", "wavedrom", "abc", "graphviz", "dot",
    "tikz", "leaflet", "topojson", "stl",
})
_JEKYLL_MARKERS = ("{%", "{{", "{:", "{#", "markdown=")
_HUGO_MARKERS = ("{{<", "{{%")


def render(post: Post, site: Site, target: str, options: TargetOptions | None, *,
           provenance: bool = False) -> Rendered:
    """Render ``post`` for ``target`` (a canonical name); see the module docstring."""
    info = TARGETS[target]
    if options is None:
        options = site.settings.options_for(target, post.crosspost.get(target),
                                            where=f"{post.path}: crosspost.{target}",
                                            blocks=post.crosspost)
    canonical = site.canonical_url(post)
    title, early = _title_and_body_checks(post, options.title or site.title_of(post))
    # A NUL is no text: the forums store it as U+FFFD, Medium refuses it; it goes, with a word.
    body = post.body.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "")
    ctx = RenderContext(post=post, site=site, target=target, info=info, options=options,
                        canonical_url=canonical, layer=Layer(body, first_line=post.body_line))
    ctx.notices.extend(early)
    ctx.links = LinkResolver(ctx)
    ctx.emitter = (ForumEmitter(ctx) if info.dialect == "forum" else
                   DevtoEmitter(ctx) if info.dialect == "devto" else MediumEmitter(ctx))

    kramdown_stage(ctx)  # Jekyll: HTML blocks end where kramdown ends them
    obsidian_stage(ctx)  # Quartz and Obsidian vaults: wikilinks, embeds, callouts, …
    _source_stage(ctx)
    spoiler_stage(ctx)  # <div class="spoiler"> around Markdown: the forums' `>!` lines
    _markdown_stage(ctx)

    attribution = _attribution(ctx, title)
    # What a target may want beyond the body: Medium falls back to the post's own tags and
    # backdates to its date; the import file declares the site's language.
    lang = site.config.get("lang") or site.config.get("languageCode")
    extra: dict[str, Any] = {"tags": post.tags, "date": post.date,
                             "lang": lang if isinstance(lang, str) else None}
    lines = None
    if info.dialect == "forum":
        text, fmt = finish_forum(ctx.layer.text, ctx, attribution), "markdown"
        if provenance:  # `crosspost pull` maps edits made on the platform back through it
            from crosspost.render.provenance import forum_line_origins

            lines = forum_line_origins(ctx.layer, attribution)
    elif info.dialect == "devto":
        extra.update(devto_fields(ctx))
        # What dev.to is sent beside the body and takes on update: a change to it alone is
        # a change to publish (see Rendered.meta).
        extra["meta"] = {"tags": list(options.tags or post.tags or ()),
                         "canonical_url": canonical,
                         **{k: extra.get(k) for k in ("description", "series", "cover_image")}}
        text, fmt = finish_devto(ctx.layer.text, ctx, attribution), "markdown"
        if provenance:  # its last pass (Liquid, math) is a layer too; see devto_line_origins
            from crosspost.render.devto import devto_line_origins

            lines = devto_line_origins(ctx, attribution, text)
    else:
        text, fmt = finish_medium(ctx.layer.text, ctx, title, attribution), "html"
    notices = sorted(ctx.notices, key=lambda n: n.line or 0)
    return Rendered(target=target, title=title, body=text, format=fmt, canonical_url=canonical,
                    options=options, source_path=post.path, notices=tuple(notices),
                    assets=tuple(ctx.assets.values()), self_ids=tuple(ctx.self_ids),
                    copy_candidates=tuple(ctx.copy_candidates), extra=extra, lines=lines)


def _title_and_body_checks(post: Post, title: str) -> tuple[str, list[Notice]]:
    """The title on one line (a YAML ``title: |`` keeps its newlines; no target shows them),
    and a warning for each line of the body holding a NUL character."""
    notices: list[Notice] = []
    if any(ch in title for ch in "\r\n\t") or title != title.strip():
        folded = " ".join(title.split())
        if "\n" in title.strip() or "\r" in title.strip():
            notices.append(Notice(str(post.path), post.key_line("title"),
                                  f"the title spans several lines; sent as one: {folded!r}"))
        title = folded
    if "\0" in post.body:
        lines = post.body.replace("\r\n", "\n").split("\n")
        notices.extend(Notice(str(post.path), post.body_line + n,
                              "a NUL character (U+0000) is not text; it is left out")
                       for n, line in enumerate(lines) if "\0" in line)
    return title, notices


def _source_stage(ctx: RenderContext) -> None:
    text = ctx.layer.text
    generator = ctx.site.generator
    jekyll = (generator in {"jekyll", "plain"} and any(m in text for m in _JEKYLL_MARKERS)) or (
        generator == "jekyll" and "*[" in text)  # a kramdown abbreviation
    hugo_markers = _HUGO_MARKERS + tuple(d[0] for d in passthrough_delimiters(ctx.site.config))
    hugo = generator in {"hugo", "plain"} and any(m in text for m in hugo_markers)
    if not (jekyll or hugo):
        return
    parsed = parse(text, scan=True)
    edits: list[Edit] = []
    if hugo:
        edits.extend(hugo_edits(parsed, ctx))
    if jekyll:
        if hugo:
            # On a plain site with both syntaxes, the shortcodes were taken first.
            taken = [(e.start, e.end) for e in edits]
            edits.extend(e for e in jekyll_edits(parsed, ctx)
                         if not any(s <= e.start < t for s, t in taken))
        else:
            edits.extend(jekyll_edits(parsed, ctx))
    ctx.layer = ctx.layer.apply(edits).tidied()


def _markdown_stage(ctx: RenderContext) -> None:
    parsed = parse(ctx.layer.text)
    # First, so that they win over making the same links absolute: a link to a heading of
    # the post points at that heading of the copy, as the forums name it.
    edits = anchor_edits(parsed, ctx) if ctx.dialect == "forum" else []
    edits.extend(self_link_edits(parsed, ctx))
    edits.extend(link_edits(parsed, ctx))
    edits.extend(html_edits(parsed, ctx))
    edits.extend(_title_heading(parsed, ctx))
    edits.extend(strikethrough_edits(parsed, ctx))
    edits.extend(dollar_edits(parsed, ctx))
    edits.extend(paren_math_edits(parsed, ctx))
    if ctx.site.generator in {"jekyll", "hugo"}:  # kramdown and goldmark have them
        edits.extend(definition_list_edits(parsed, ctx))
    _diagram_notices(parsed, ctx)
    if ctx.dialect == "forum":
        edits.extend(forum_edits(parsed, ctx))
    ctx.layer = ctx.layer.apply(edits).tidied()


def _title_heading(parsed: Parsed, ctx: RenderContext) -> list[Edit]:
    """The ``# Title`` that gave the post its title is the title, not part of the body."""
    heading = ctx.post.heading_title if ctx.post.title_from_heading else None
    if heading is None:
        return []
    line, _ = heading
    for token in parsed.tokens:
        if token.type == "heading_open" and token.tag == "h1" and token.map is not None:
            start, end = parsed.block_range(token)
            if ctx.layer.line(start) == line:
                ctx.inform(start, f"the post has no `title:`; its first heading "
                           f"{ctx.post.title!r} is the title (and is left out of the body)")
                return [block_edit(parsed.text, start, end, "")]
    return []


def _diagram_notices(parsed: Parsed, ctx: RenderContext) -> None:
    for token in parsed.tokens:
        if token.type != "fence" or token.map is None:
            continue
        language = token.info.strip().split(maxsplit=1)[0].lower() if token.info.strip() else ""
        if language in DIAGRAM_LANGUAGES:
            ctx.warn(parsed.offset_of_line(token.map[0]),
                     f"the {language} block is drawn by the site; {ctx.label} shows its source "
                     "as a code block")


def _attribution(ctx: RenderContext, title: str) -> str | None:
    template = ctx.options.attribution
    if not template:
        return None
    site = " ".join(ctx.site.title_for(ctx.post).split())
    values = {"url": ctx.canonical_url, "site": site, "title": title}
    try:
        return re.sub(r"\{(\w*)\}", lambda m: _fill(m, values), template)
    except KeyError as exc:
        raise ConfigError(
            f"{ctx.post.path}: crosspost.{ctx.target}: the attribution template names "
            f"{{{exc.args[0]}}}", hint="use {url}, {site} and {title}") from None


def _fill(match: re.Match[str], values: dict[str, str]) -> str:
    return values[match.group(1)]


__all__ = ["DIAGRAM_LANGUAGES", "render"]
