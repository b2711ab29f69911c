"""What a page's HTML asks the browser to run: for the module tests and bench/js_weight.py."""

from html.parser import HTMLParser


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            if not a.get("src"):
                raise AssertionError("an inline script: the CSP would refuse it")
            self.urls.append(a["src"] or "")
        elif tag == "link" and a.get("rel") == "modulepreload" and a.get("href"):
            self.urls.append(a["href"] or "")


def script_urls(html: str) -> list[str]:
    """Every <script src> and <link rel=modulepreload> in the page, in order."""
    parser = _Scripts()
    parser.feed(html)
    return parser.urls
