"""Bringing writing home: ``crosspost import``.

Posts published on LessWrong, the EA Forum, the Alignment Forum or Medium become new posts
of the site, with their images, recorded as their copies, so later runs update them. The way
back of ARCHITECTURE's picture, through the same rooms: a target's read side
(``targets.forummagnum_read``, ``targets.medium_feed``), a converter per source dialect
(:mod:`.html_in` for the rich editors' and Medium's HTML, :mod:`.forum_markdown` for the
forums' Markdown), the site's generator for where the post goes and how its posts are
written (``sites.newpost`` and each generator's ``new_post_place``), and ``record`` for the
copy's block.

Modules: :mod:`.model` (options, results), :mod:`.sources` (addresses, reading),
:mod:`.images` (downloads, safe names), :mod:`.build` (one post's file, record and merge
base), :mod:`.writer` (front matter, creation without overwriting), :mod:`.run` (a run).
"""

from __future__ import annotations

from crosspost.homecoming.model import (
    ALREADY,
    FAILED,
    PLANNED,
    SKIPPED,
    WRITTEN,
    ImportOptions,
    ImportReport,
    ImportResult,
)


def import_posts(options: ImportOptions) -> ImportReport:
    """Bring the posts ``options`` names into the site; see :mod:`crosspost.homecoming.run`."""
    from crosspost.homecoming.run import import_posts as run

    return run(options)


__all__ = ["ALREADY", "FAILED", "PLANNED", "SKIPPED", "WRITTEN", "ImportOptions", "ImportReport",
           "ImportResult", "import_posts"]
