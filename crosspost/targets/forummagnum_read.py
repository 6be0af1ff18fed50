"""The forums' read side for ``crosspost import``: a post with the fields worth trusting, a
user by slug, and a user's published posts page by page.

Which text of a post to take (``reference/import.md`` §0.5, §3): a Markdown post's
``markdown`` is exactly what its author wrote; a CKEditor post's ``ckEditorMarkup`` is its
stored HTML, readable by anyone (TeX, whole footnotes, code languages, embeds' addresses);
a Lexical, HTML or Draft.js post's stored ``originalContents.data`` is empty for anyone but
its author, so without the author's token the served ``html`` is what there is (its math
pre-rendered, the TeX in ``aria-label``). ``markdown`` of a rich post is the server's lossy
turndown conversion: never the text to import, but what ``fetch`` reads back, and so the
merge base of edits made there (``engine.drift``).

The EA Forum runs the older server, whose ``fmCrosspost`` is a JSON scalar (no sub-fields).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crosspost.errors import InputError, NotFound, ProtocolError

if TYPE_CHECKING:
    from crosspost.targets.forummagnum import ForumMagnum

LEGACY_SCHEMA = frozenset({"eaforum"})  # reference/forummagnum.md §3.6
PAGE = 20  # posts per listing request (the server's own default page is 5)

_POST = (
    "_id title slug postedAt modifiedAt url pageUrl draft deletedDraft isEvent question shortform "
    "af userId user {{ _id slug displayName }} tags {{ _id name slug }} {crosspost} "
    "contents {{ version editedAt html markdown ckEditorMarkup originalContents {{ type data }} }}")
_CROSSPOST = {True: "fmCrosspost", False: "fmCrosspost { isCrosspost hostedHere foreignPostId }"}
_USER = ("query CrosspostImportUser($slug: String) { user(input: {selector: {slug: $slug}}) "
         "{ result { _id slug displayName } } }")
_BRIEF = "_id slug title postedAt draft shortform isEvent userId"


@dataclass(frozen=True)
class ForumPost:
    """One post, read for import."""

    target: str
    id: str
    url: str
    title: str
    slug: str
    posted_at: dt.datetime | None
    user_id: str | None
    editor: str  # originalContents.type: markdown, ckEditorMarkup, lexical, html, draftJS
    source: str  # the text to convert
    source_kind: str  # "markdown", "ckeditor" (stored HTML), "stored" (author's HTML), "served"
    html: str  # the served HTML (images re-hosted, math pre-rendered)
    markdown: str  # the server's `markdown` field: what a later read returns
    tags: tuple[str, ...] = ()
    link_url: str | None = None  # a linkpost's address
    draft: bool = False
    foreign_id: str | None = None  # the post's native crosspost on the other forum
    hosted_here: bool = True  # False: this is the copy; the original is `foreign_id` there
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Listed:
    """A post of a user's listing (enough to decide whether to read it whole)."""

    id: str
    title: str
    posted_at: dt.datetime | None
    user_id: str | None
    skip: str | None  # why it is not an article: a shortform container, an event


def post_document(target: str) -> str:
    fields = _POST.format(crosspost=_CROSSPOST[target in LEGACY_SCHEMA])
    return ("query CrosspostImportPost($id: String) { post(input: {selector: {_id: $id}, "
            f"allowNull: true}}) {{ result {{ {fields} }} }} }}")


def read_post(adapter: ForumMagnum, post_id: str) -> ForumPost:
    """The post ``post_id`` with its text chosen as the module docstring says."""
    post_id = adapter._checked_id(post_id)
    data, errors = adapter._graphql("read post", post_document(adapter.name), {"id": post_id})
    single = adapter._field(data, errors, "post", post_id=post_id)
    post = single.get("result") if isinstance(single, Mapping) else None
    if not isinstance(post, Mapping) or post.get("deletedDraft"):
        raise adapter._not_found(post_id, "deleted, a draft, or never visible to this account")
    if post.get("draft"):
        raise NotFound(f"post {post_id} on {adapter.info.label} is a draft: only published posts "
                       "are imported", hint="publish it there first", target=adapter.name,
                       operation="read post")
    if post.get("shortform"):
        # A quick take's link is this container's address with ?commentId=: the quick take
        # is a comment, and the container holds no article of its own.
        raise InputError(f"post {post_id} on {adapter.info.label} is a quick takes (shortform) "
                         "page, not an article: crosspost imports posts, not comments",
                         hint="copy the quick take into a new post by hand")
    given = post.get("contents")
    contents: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    original = contents.get("originalContents")
    editor = str(original.get("type") or "") if isinstance(original, Mapping) else ""
    stored = original.get("data") if isinstance(original, Mapping) else None
    html = _text(contents.get("html"))
    markdown = _text(contents.get("markdown"))
    if editor == "markdown":
        source, kind = markdown, "markdown"
    elif editor == "ckEditorMarkup" and _text(contents.get("ckEditorMarkup")):
        source, kind = _text(contents.get("ckEditorMarkup")), "ckeditor"
    elif editor in {"lexical", "html", "ckEditorMarkup"} and isinstance(stored, str) and stored.strip():
        source, kind = stored, "stored"
    else:
        source, kind = html, "served"
    foreign, hosted = _crosspost(post.get("fmCrosspost"))
    slug = str(post.get("slug") or "")
    page_url = post.get("pageUrl")
    if adapter.quirks.af or not isinstance(page_url, str) or not page_url:
        page_url = f"{adapter.info.site_url}/posts/{post_id}/{slug}".rstrip("/")
    tags = tuple(str(t.get("name")) for t in post.get("tags") or []
                 if isinstance(t, Mapping) and t.get("name"))
    author = post.get("user")
    user: Mapping[str, Any] = author if isinstance(author, Mapping) else {}
    return ForumPost(
        target=adapter.name, id=post_id, url=str(page_url), title=str(post.get("title") or ""),
        slug=slug, posted_at=_time(post.get("postedAt")), user_id=_optional(post.get("userId")),
        editor=editor or "markdown", source=source, source_kind=kind, html=html,
        markdown=markdown, tags=tags, link_url=_optional(post.get("url")),
        foreign_id=foreign, hosted_here=hosted,
        extra={"version": contents.get("version"), "userSlug": user.get("slug")})


def find_user(adapter: ForumMagnum, slug: str) -> tuple[str, str]:
    """(id, display name) of the user whose profile address is ``/users/<slug>``."""
    data, errors = adapter._graphql("find the user", _USER, {"slug": slug})
    found = data.get("user")
    user = found.get("result") if isinstance(found, Mapping) else None
    missing = any(str(e.get("message")) in {"app.missing_document", "app.document_not_found"}
                  for e in errors)
    if not isinstance(user, Mapping) or not user.get("_id"):
        if errors and not missing:
            adapter._field(data, errors, "user")  # raises the server's own error, translated
        raise NotFound(f"{adapter.info.label} has no user {slug!r}",
                       hint=f"copy the name from the profile's address, {adapter.info.site_url}"
                       "/users/<name>", target=adapter.name, operation="find the user")
    return str(user["_id"]), str(user.get("displayName") or slug)


def list_posts(adapter: ForumMagnum, user_id: str, *, since: dt.datetime | None = None,
               limit: int | None = None) -> Iterator[Listed]:
    """The user's published posts, newest first, page by page (``userPosts`` view, §1.4).

    Pages follow each other by ``before`` (the last post's ``postedAt``; the server compares
    strictly, so posts sharing that instant are asked for again and told apart by id).
    """
    seen: set[str] = set()
    before: str | None = None
    count = 0
    while True:
        terms = ('view: "userPosts", userId: $userId, sortedBy: "new", '
                 f"limit: {PAGE}" + (", before: $before" if before else ""))
        variables = ("$userId: String, $before: String" if before else "$userId: String")
        document = (f"query CrosspostImportList({variables}) {{ posts(input: {{terms: {{{terms}}}}}) "
                    f"{{ results {{ {_BRIEF} }} }} }}")
        values: dict[str, Any] = {"userId": user_id}
        if before:
            values["before"] = before
        data, errors = adapter._graphql("list the user's posts", document, values)
        listing = adapter._field(data, errors, "posts")
        results = listing.get("results") if isinstance(listing, Mapping) else None
        if not isinstance(results, list):
            raise ProtocolError(f"{adapter.info.label} answered the listing without results",
                                target=adapter.name, operation="list the user's posts")
        fresh = 0
        for item in results:
            if not isinstance(item, Mapping) or not item.get("_id") or str(item["_id"]) in seen:
                continue
            seen.add(str(item["_id"]))
            fresh += 1
            listed = _listed(item)
            if since is not None and listed.posted_at is not None and listed.posted_at < since:
                return
            if item.get("draft"):
                continue
            yield listed
            if listed.skip is None:
                count += 1
                if limit is not None and count >= limit:
                    return
        if len(results) < PAGE:
            return
        last = results[-1].get("postedAt") if isinstance(results[-1], Mapping) else None
        moment = _time(last)
        if moment is None:
            return
        # Ask again from just after the last instant (ties), unless nothing new came (a page
        # of one instant): then strictly before it.
        step = dt.timedelta(milliseconds=1) if fresh else dt.timedelta(0)
        before = _iso(moment + step)


def _listed(item: Mapping[str, Any]) -> Listed:
    skip = ("a shortform (quick takes) container" if item.get("shortform")
            else "an event" if item.get("isEvent") else None)
    return Listed(str(item["_id"]), str(item.get("title") or ""), _time(item.get("postedAt")),
                  _optional(item.get("userId")), skip)


def _crosspost(value: Any) -> tuple[str | None, bool]:
    if isinstance(value, str):  # the legacy JSON scalar, if it ever comes as text
        try:
            value = json.loads(value)
        except ValueError:
            return None, True
    if not isinstance(value, Mapping) or not value.get("isCrosspost"):
        return None, True
    foreign = value.get("foreignPostId")
    return (str(foreign) if foreign else None), value.get("hostedHere") is not False


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _optional(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value else None


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


__all__ = ["LEGACY_SCHEMA", "PAGE", "ForumPost", "Listed", "find_user", "list_posts",
           "post_document", "read_post"]
