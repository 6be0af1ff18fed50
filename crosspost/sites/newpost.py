"""Where a new post goes, and how the site's own posts are written: for ``crosspost import``.

A post brought home must look like its siblings (the same front-matter format and keys, the
same way of keeping and linking images, the same figure form) and sit where the generator
publishes it at the URL crosspost computes. The generator modules answer the "where"
(:meth:`Site.new_post_place`); this module reads the "how" from a few sibling posts, and makes
names safe: a title such as ``../../x``, ``CON``, ``a/b``, 300 characters or emoji becomes a
name inside the site.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from crosspost.errors import CrosspostError

if TYPE_CHECKING:
    from crosspost.post import Post
    from crosspost.sites.base import Site

# Windows reserves these names in every folder (with any extension): a site cloned there
# could not check the file out.
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                       *(f"lpt{i}" for i in range(10))})
MAX_SLUG = 80
_SIBLINGS = 12  # how many of the newest posts are read to learn the site's habits

# Figure forms a site's posts use (``caption`` in :class:`Conventions`).
MARKDOWN_FIGURE = "markdown"  # ![alt](src) and the caption as an italic line below
HUGO_FIGURE = "hugo"  # {{< figure src="…" alt="…" caption="…" >}}
LIQUID_FIGURE = "liquid"  # {% include figure.liquid path="…" caption="…" %} (al-folio)

_HUGO_FIGURE = re.compile(r"\{\{[<%]\s*figure\b")
_LIQUID_FIGURE = re.compile(r"\{%-?\s*include\s+(figure\.(?:liquid|html))\b")
_IMAGE_REF = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)")
_EMBED = re.compile(r"!\[\[[^\]\n]+\]\]")


@dataclass(frozen=True)
class Conventions:
    """How the site's posts are written, as a few recent siblings show it."""

    format: str = "yaml"  # front matter: "yaml" or "toml"
    layout: str | None = None  # Jekyll's `layout:`, when the siblings set one
    tags_key: str = "tags"  # "tags" or "categories"
    description: bool = False  # the siblings carry a `description:`
    draft_key: bool = False  # the siblings say `draft: false` (Hugo)
    caption: str = MARKDOWN_FIGURE
    liquid_include: str = "figure.liquid"
    image_root: str | None = None  # Jekyll: the folder below the root the siblings' images are in
    bundles: bool = False  # Hugo: posts are page bundles (folder/index.md)
    section: str | None = None  # Hugo: the content section the posts are in
    folder: str | None = None  # Quartz and plain folders: where most posts are
    embeds: bool = False  # Obsidian: images are embedded as ![[name]]
    siblings: int = 0


@dataclass(frozen=True)
class Place:
    """Where a new post goes: its file, the folder its images go to, and how the post links
    an image file of that folder (a relative or root-relative reference, or an embed)."""

    path: Path
    images: Path
    image_prefix: str  # the reference is image_prefix + file name
    image_name_prefix: str = ""  # a shared attachments folder: names start with the slug
    embeds: bool = False


def safe_slug(text: str, fallback: str = "post") -> str:
    """A file-name slug of ``text``: lower-case ASCII letters, digits and single hyphens, at
    most :data:`MAX_SLUG` characters, never a name Windows reserves; ``fallback`` (made safe
    too) when nothing of ``text`` is left (a title of emoji)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut[MAX_SLUG // 2:] else cut).strip("-")
    if not slug:
        return safe_slug(fallback, "post") if fallback != text else "post"
    if slug.split("-", 1)[0] in _RESERVED and slug.split("-", 1)[0] == slug:
        slug += "-post"
    return slug


def safe_file_name(name: str, *, default_stem: str = "image", max_length: int = 60) -> str:
    """A file name from a URL's last segment: no folders, no leading dot, only letters,
    digits, ``-``, ``_`` and one ``.`` before the extension."""
    base = PurePosixPath(name.replace("\\", "/")).name
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", unicodedata.normalize("NFKD", stem)
                  .encode("ascii", "ignore").decode("ascii")).strip("-_")[:max_length]
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)[:8].lower()
    if not stem or stem.lower() in _RESERVED:
        stem = f"{default_stem}-{stem}" if stem else default_stem
    return f"{stem}.{ext}" if ext else stem


def read_conventions(site: Site) -> Conventions:
    """What a few of the site's newest posts say about how posts are written there."""
    posts = _newest(site)
    if not posts:
        return site.default_conventions()
    formats = Counter(post.format for post in posts if post.format != "none")
    keys: Counter[str] = Counter()
    layouts: Counter[str] = Counter()
    for post in posts:
        keys.update(str(k).lower() for k in post.front_matter)
        layout = post.front_matter.get("layout")
        if isinstance(layout, str) and layout.strip():
            layouts[layout.strip()] += 1
    half = (len(posts) + 1) // 2
    bodies = [post.body for post in posts]
    captions = Counter[str]()
    include = "figure.liquid"
    for body in bodies:
        if _HUGO_FIGURE.search(body):
            captions[HUGO_FIGURE] += 1
        found = _LIQUID_FIGURE.search(body)
        if found:
            captions[LIQUID_FIGURE] += 1
            include = found.group(1)
    default = site.default_conventions()
    caption = captions.most_common(1)[0][0] if captions else default.caption
    if caption == LIQUID_FIGURE and not (site.root / "_includes" / include).is_file():
        caption = MARKDOWN_FIGURE  # a theme's include elsewhere: the build could not find it
    tags_key = ("tags" if keys["tags"] or not keys["categories"] else "categories")
    embeds = sum(len(_EMBED.findall(b)) for b in bodies) > sum(
        len(_IMAGE_REF.findall(b)) for b in bodies)
    return Conventions(
        format=formats.most_common(1)[0][0] if formats else default.format,
        layout=layouts.most_common(1)[0][0] if layouts and sum(layouts.values()) >= half else None,
        tags_key=tags_key,
        description=keys["description"] >= half,
        draft_key=keys["draft"] >= half,
        caption=caption, liquid_include=include,
        image_root=_image_root(bodies, site.base_path),
        bundles=sum(1 for p in posts if Path(p.path).stem == "index") >= half,
        section=_most_common(_section_of(site, Path(p.path)) for p in posts),
        folder=_most_common(site.relative_path(Path(p.path).parent) for p in posts),
        embeds=embeds and site.obsidian, siblings=len(posts))


def _newest(site: Site) -> list[Post]:
    found: list[Post] = []
    for path in reversed(site.post_paths()):
        try:
            found.append(site.load(path))
        except CrosspostError:
            continue
        if len(found) >= _SIBLINGS:
            break
    return found


def _most_common(values: Iterable[str | None]) -> str | None:
    counted = Counter(v for v in values if v is not None)
    return counted.most_common(1)[0][0] if counted else None


def _section_of(site: Site, path: Path) -> str | None:
    rel = site.relative_path(path).split("/")
    return rel[1] if len(rel) > 2 and rel[0] == "content" else None


def _image_root(bodies: list[str], base_path: str) -> str | None:
    """The folder (two levels below the root, ``assets/img``) most root-relative image
    references of the siblings point into."""
    folders: Counter[str] = Counter()
    for body in bodies:
        for ref in _IMAGE_REF.findall(body):
            path = ref.split("?", 1)[0]
            if base_path and path.startswith(base_path + "/"):
                path = path[len(base_path):]
            parts = path.split("/")
            if path.startswith("/") and len(parts) > 3 and not any(p in {"", ".", ".."}
                                                                   for p in parts[1:3]):
                folders["/".join(parts[1:3])] += 1
    return folders.most_common(1)[0][0] if folders else None


def free_path(path: Path, taken: set[Path] | None = None) -> Path:
    """``path``, or ``name-2.md``, ``name-3.md``… when a file of that name exists (or is
    ``taken`` by another post of the same run)."""
    taken = taken or set()
    candidate, n = path, 1
    while candidate.exists() or candidate in taken or _bundle_taken(candidate, taken):
        n += 1
        if candidate.name == "index.md" or path.name.startswith("index."):
            candidate = path.parent.with_name(f"{path.parent.name}-{n}") / path.name
        else:
            candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _bundle_taken(candidate: Path, taken: set[Path]) -> bool:
    """A page bundle's folder counts as taken when it exists at all."""
    return candidate.name.startswith("index.") and candidate.parent.exists()


__all__ = ["HUGO_FIGURE", "LIQUID_FIGURE", "MARKDOWN_FIGURE", "MAX_SLUG", "Conventions", "Place",
           "free_path", "read_conventions", "safe_file_name", "safe_slug"]
