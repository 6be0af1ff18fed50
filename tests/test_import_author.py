"""``crosspost import`` tried as an author would, where it broke: a paragraph that starts like
a numbered list, a Markdown post's links to its own headings, a title of blanks, a quick take's
address, and an Alignment Forum post published afterwards to LessWrong (the same post)."""

from __future__ import annotations

from pathlib import Path

from crosspost.homecoming.html_in import SiteForm, convert
from tests.import_features import features, forum_html

LW = "https://www.lesswrong.com"


def _imported(report: object) -> Path:
    [result] = report.results  # type: ignore[attr-defined]
    assert result.path is not None, result.message
    return Path(result.path)


# -- text --------------------------------------------------------------------------------------


def test_a_paragraph_that_starts_like_a_numbered_list_stays_a_paragraph() -> None:
    """CommonMark escapes only punctuation: ``\\1.`` shows its backslash; ``1\\.`` does not."""
    html = "<p>1984. A year.</p><p>2) Second</p><p>Text<br>3. after a break</p>"
    text, _ = convert(html, SiteForm(), source="forum", base_url=LW)
    assert text == "1984\\. A year.\n\n2\\) Second\n\nText\\\n3\\. after a break\n"
    assert features(forum_html(text)).text == [
        "1984.", "A", "year.", "2)", "Second", "Text", "3.", "after", "a", "break"]
    # Text that starts a list item, a quote or a block without a <p> of its own (Lexical's
    # list items, Medium's quotes) too; a nested list stays a list.
    html = ("<ul><li>1. one</li><li><span># two</span><ul><li>- three</li></ul></li></ul>"
            "<blockquote>4) four</blockquote><div>5. five</div>")
    text, _ = convert(html, SiteForm(), source="lexical", base_url=LW)
    assert text == "- 1\\. one\n- \\# two\n  - \\- three\n\n> 4\\) four\n\n5\\. five\n"
