"""An Obsidian vault's files, and which one a wikilink or an embed names.

Obsidian links by name, not by path: ``[[Page]]`` is ``Page.md`` wherever it is in the
vault, ``![[photo.png]]`` is the attachment of that name wherever Obsidian put it, and
``[[folder/Page]]`` is a path that ends so. Quartz publishes such links with its
``CrawlLinks`` "shortest" resolution (``quartz/util/path.ts`` ``transformLink``): a unique
file name wins, else the path is read from the vault's root. Where neither settles it (two
notes called ``Page`` in different folders, none at the root) Obsidian takes the one with
the shortest path, and so does this module; a tie names nothing.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from crosspost.sites.files import skipped

_EXTENSION = re.compile(r"\.[A-Za-z0-9]+$")  # quartz/util/path.ts _getFileExtension


class Vault:
    """The files below ``top`` (a Quartz content folder, or a vault), indexed by name.

    ``keep`` says which files count (Quartz leaves out its ``ignorePatterns``); ``slug``
    is the generator's name for a path, so a link written as the published slug
    (``[[My-Note]]`` for ``My Note.md``) is found too.
    """

    def __init__(self, top: Path, *, keep: Callable[[str], bool] = lambda rel: True,
                 slug: Callable[[str], str] | None = None) -> None:
        self.top = top
        self.keep = keep
        self.slug = slug
        self._files: dict[str, Path] | None = None  # vault-relative POSIX path -> file

    def files(self) -> dict[str, Path]:
        """Every file of the vault by its vault-relative path (built once)."""
        if self._files is None:
            found: dict[str, Path] = {}
            top = self.top.resolve()
            for directory, dirnames, filenames in os.walk(top, followlinks=True):
                dirnames[:] = sorted(d for d in dirnames if not skipped(d))
                for name in sorted(filenames):
                    if name.startswith("."):
                        continue
                    path = Path(directory, name)
                    rel = path.relative_to(top).as_posix()
                    if self.keep(rel):
                        found[rel] = path
            self._files = found
        return self._files

    def resolve(self, target: str, *, relative_to: Path | None = None,
                note: bool = True, by_name: bool = True) -> Path | None:
        """The file ``target`` (a wikilink's or embed's path, no ``#``/``|`` part) names.

        ``note`` is True for a link (a name without an extension means ``<name>.md``) and
        False for an embed of a file; ``relative_to`` is the linking file, for ``./`` and
        ``../`` paths; ``by_name`` False reads the path from the vault's root only.
        """
        text = target.strip().replace("\\", "/")
        if not text:
            return None
        files = self.files()
        if text.startswith(("./", "../")) and relative_to is not None:
            try:
                folder = relative_to.resolve().parent.relative_to(self.top.resolve()).as_posix()
            except ValueError:
                folder = ""
            joined = posixpath.normpath(posixpath.join(folder, text))
            return next((files[k] for k in self._keys_for(joined, note) if k in files), None)
        text = text.lstrip("/")
        for key in self._keys_for(text, note):
            if key in files:  # the path from the vault's root
                return files[key]
        if not by_name:
            return None
        for compare in self._comparisons():
            wanted = [compare(k) for k in self._keys_for(text, note)]
            matches = [rel for rel in files
                       if any(compare(rel) == w or compare(rel).endswith("/" + w)
                              for w in wanted)]
            if matches:
                return self._shortest(matches)
        return None

    def _keys_for(self, text: str, note: bool) -> Iterator[str]:
        """The vault paths ``text`` may stand for: as written, and as a note."""
        yield text
        if note and (not _EXTENSION.search(text) or not text.lower().endswith(".md")):
            yield text + ".md"

    def _comparisons(self) -> list[Callable[[str], str]]:
        """How names are compared, strictest first: as written, ignoring case, as slugs."""
        ways: list[Callable[[str], str]] = [lambda s: s, lambda s: s.casefold()]
        if self.slug is not None:
            slug = self.slug
            ways.append(lambda s: slug(s).casefold())
        return ways

    def _shortest(self, matches: list[str]) -> Path | None:
        files = self.files()
        if len(matches) == 1:
            return files[matches[0]]
        depth = min(m.count("/") for m in matches)
        shortest = [m for m in matches if m.count("/") == depth]
        return files[shortest[0]] if len(shortest) == 1 else None

    def path_for_slug(self, slug: str) -> Path | None:
        """The file published at ``slug`` (an attachment's URL path below the site URL)."""
        if self.slug is None:
            return None
        wanted = slug.strip("/")
        for rel, path in self.files().items():
            if self.slug(rel) == wanted:
                return path
        return None


def heading_anchor(text: str) -> str:
    """A heading's anchor as Quartz makes it (github-slugger): lower case, spaces to
    hyphens, punctuation dropped; block references (``^id``) stay as written."""
    text = text.strip()
    if text.startswith("^"):
        return text
    kept = "".join(c for c in text.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


__all__ = ["Vault", "heading_anchor"]
