"""The letters the kit writes on her phone: their text in each destination's language.

page_context() gives the page what static/js/takedown.js needs to write a letter
without asking the server anything: each template rendered in the destination's
language and in hers, with {placeholders} for what she types.
"""


def page_context() -> dict[str, object]:
    """What templates/takedown/_letters.html needs (filled in by the letters' work)."""
    return {}
