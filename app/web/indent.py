"""Public pages without their template indentation.

The templates are indented for people; in the rendered page that indentation is
bytes every phone downloads and every service worker keeps (bench/precache_size.py).
Leading spaces and tabs on a line are dropped, which changes nothing a browser shows
(in normal flow a newline and the spaces after it collapse into one space), except
where whitespace is content: inside <pre>, <textarea>, <script> and <style>, which are
left exactly as rendered. Nor the line breaks that touch a block's tag (<p>, </li>,
<section ...>; 2.9 KB of each language's precache): a line break there is at the start
or end of a line of text, or between two blocks, where a browser shows nothing; the
ones between inline elements (two buttons, a label and its input) stay, as they show
as a space. Used by @cached_page only: pages the same for everyone,
never a page showing what a visitor wrote (where CSS might keep her line breaks).
"""

import re

# The elements whose text keeps its whitespace, whole, with their tags.
_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
_INDENT = re.compile(r"^[ \t]+", re.M)
# Elements laid out as blocks (or never laid out: head's, option's), whose tags need no
# line break beside them. Not <select>, <textarea>, <button>, <input>: inline-blocks.
_BLOCKS = ("html|head|body|meta|link|title|script|style|header|footer|main|nav|section|"
           "article|aside|div|p|ul|ol|li|dl|dt|dd|h[1-6]|details|summary|fieldset|legend|"
           "form|table|thead|tbody|tr|td|th|figure|figcaption|hr|br|noscript|template|"
           "option|blockquote|pre")
_BLOCK_TAG = rf"</?(?:{_BLOCKS})\b[^<>]*>"
_AFTER_BLOCK = re.compile(rf"({_BLOCK_TAG})\n+", re.I)
_BEFORE_BLOCK = re.compile(rf"\n+(?={_BLOCK_TAG})", re.I)


def without_indentation(html: str) -> str:
    """`html` with each line's leading spaces and tabs removed, and the line breaks
    beside a block's tag, outside _KEEP's elements."""
    parts = _KEEP.split(html)
    # split() gives: text, kept element, its tag name, text, kept element, tag name, ...
    out = []
    for index, part in enumerate(parts):
        kind = index % 3
        if kind == 0:
            text = _AFTER_BLOCK.sub(r"\1", _INDENT.sub("", part))
            out.append(_BEFORE_BLOCK.sub("", text))
        elif kind == 1:
            out.append(part)
    return "".join(out)
