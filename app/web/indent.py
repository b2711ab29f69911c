"""Public pages without their template indentation.

The templates are indented for people; in the rendered page that indentation is
bytes every phone downloads and every service worker keeps (bench/precache_size.py).
Leading spaces and tabs on a line are dropped, which changes nothing a browser shows
(in normal flow a newline and the spaces after it collapse into one space), except
where whitespace is content: inside <pre>, <textarea>, <script> and <style>, which are
left exactly as rendered. Used by @cached_page only: pages the same for everyone,
never a page showing what a visitor wrote (where CSS might keep her line breaks).
"""

import re

# The elements whose text keeps its whitespace, whole, with their tags.
_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
_INDENT = re.compile(r"^[ \t]+", re.M)


def without_indentation(html: str) -> str:
    """`html` with each line's leading spaces and tabs removed, outside _KEEP's elements."""
    parts = _KEEP.split(html)
    # split() gives: text, kept element, its tag name, text, kept element, tag name, ...
    out = []
    for index, part in enumerate(parts):
        kind = index % 3
        if kind == 0:
            out.append(_INDENT.sub("", part))
        elif kind == 1:
            out.append(part)
    return "".join(out)
