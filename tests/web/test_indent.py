"""Public pages lose their template indentation, never whitespace that is content."""

from app.web.indent import without_indentation


def test_indentation_goes_but_content_whitespace_stays():
    html = ("<ul>\n  <li>one\n\t<li>two</li>\n</ul>\n"
            "<textarea>\n  her words\n    kept</textarea>\n"
            "  <PRE>\n  a  b\n</PRE>\n  <script type=\"module\">\n  x\n</script>\n  <p>end</p>")
    assert without_indentation(html) == (
        "<ul>\n<li>one\n<li>two</li>\n</ul>\n"
        "<textarea>\n  her words\n    kept</textarea>\n"
        "<PRE>\n  a  b\n</PRE>\n<script type=\"module\">\n  x\n</script>\n<p>end</p>")


def test_a_public_page_is_served_without_indentation(client):
    html = client.get("/en/check/restroom").get_data(as_text=True)
    assert "\n  <" not in html and "<li class=\"item\"" in html
