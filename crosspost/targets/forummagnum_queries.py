"""The GraphQL documents the forums' adapter sends: one set that validates against both the
current (HEAD) schema of LessWrong and the Alignment Forum and the EA Forum's legacy one
(``shared`` reference forummagnum.md §3.6: inputs inlined or typed loosely where the two differ).
"""

from __future__ import annotations

USER_FIELDS = ("_id username slug displayName karma groups acceptedTos postingDisabled "
                "reviewedByUserId rateLimitNextAbleToPost fmCrosspostUserId")
POST_FIELDS = ("_id title slug draft deletedDraft pageUrl postedAt modifiedAt url postCategory "
                "af userId authorIsUnreviewed contents { _id version editedAt markdown }")
BRIEF_FIELDS = "_id title slug pageUrl draft deletedDraft af postedAt modifiedAt"

WHOAMI = f"query CrosspostWhoami {{ currentUser {{ {USER_FIELDS} }} }}"
# A read also asks what readers made of the post (`crosspost status --remote`), and which
# editor wrote it (an update turns a rich-editor post into a Markdown one).
READ_FIELDS = f"{POST_FIELDS} baseScore commentCount contents {{ originalContents {{ type }} }}"
FETCH = ("query CrosspostFetch($id: String!) { post(input: {selector: {_id: $id}, allowNull: true})"
         f" {{ result {{ {READ_FIELDS} }} }} }}")
FETCH_WITH_USER = (
    "query CrosspostFetchWithUser($id: String!) { "
    f"currentUser {{ {USER_FIELDS} }} "
    "post(input: {selector: {_id: $id}, allowNull: true})"
    f" {{ result {{ {READ_FIELDS} }} }} }}")
CREATE = ("mutation CrosspostCreatePost($data: CreatePostDataInput!) { createPost(data: $data) "
          f"{{ data {{ {POST_FIELDS} }} }} }}")
# The selector is inlined (the id is checked to be 17 letters/digits first): its variable
# type would be SelectorInput! at HEAD and PostSelectorUniqueInput! on legacy servers.
UPDATE = ("mutation CrosspostUpdatePost($data: UpdatePostDataInput!) { updatePost(selector: "
           f"{{_id: %s}}, data: $data) {{ data {{ {POST_FIELDS} }} }} }}")
# Drafts, published posts, and published posts still awaiting review (which the default
# view hides unless asked for by `authorIsUnreviewed: true`), in one request (§4.2, §4.3).
FIND = (
    "query CrosspostFindExisting($userId: String) { "
    'drafts: posts(input: {terms: {view: "drafts", userId: $userId, limit: 50, '
    f'sortDraftsBy: "newest"}}}}) {{ results {{ {BRIEF_FIELDS} }} }} '
    'published: posts(input: {terms: {view: "userPosts", userId: $userId, sortedBy: "new", '
    f"limit: 50, authorIsUnreviewed: false}}}}) {{ results {{ {BRIEF_FIELDS} }} }} "
    'unreviewed: posts(input: {terms: {view: "userPosts", userId: $userId, sortedBy: "new", '
    f"limit: 50, authorIsUnreviewed: true}}}}) {{ results {{ {BRIEF_FIELDS} }} }} }}")


__all__ = ["BRIEF_FIELDS", "CREATE", "FETCH", "FETCH_WITH_USER", "FIND", "POST_FIELDS", "READ_FIELDS",
           "UPDATE", "USER_FIELDS", "WHOAMI"]
