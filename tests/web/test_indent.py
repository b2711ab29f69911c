"""Public pages lose their template indentation, never whitespace that is content."""

from app.web.indent import without_indentation


def test_indentation_goes_but_content_whitespace_stays():
    html = ("<ul>\n  <li>one\n\t<li>two</li>\n</ul>\n"
            "<textarea>\n  her words\n    kept</textarea>\n"
            "  <PRE>\n  a  b\n</PRE>\n  <script type=\"module\">\n  x\n</script>\n  <p>end</p>")
    assert without_indentation(html) == (
        "<ul><li>one<li>two</li></ul>"
        "<textarea>\n  her words\n    kept</textarea>\n"
        "<PRE>\n  a  b\n</PRE>\n<script type=\"module\">\n  x\n</script><p>end</p>")


def test_line_breaks_go_beside_blocks_but_stay_between_inline_elements():
    html = ('<p class="nb-row">\n<button>Save</button>\n<button>Back</button>\n</p>\n'
            '<div class="marks">\n<label><input type="radio"> Yes</label>\n'
            '<label>No</label>\n</div>\n'
            '<section\n data-x="1">\n<h2>Title</h2>\n\ntext\n<a href="/">link</a>\n</section>')
    assert without_indentation(html) == (
        '<p class="nb-row"><button>Save</button>\n<button>Back</button></p>'
        '<div class="marks"><label><input type="radio"> Yes</label>\n<label>No</label></div>'
        '<section\ndata-x="1"><h2>Title</h2>text\n<a href="/">link</a></section>')


def test_a_public_page_is_served_without_indentation(client):
    html = client.get("/en/check/restroom").get_data(as_text=True)
    assert "\n  <" not in html and "<li class=\"item\"" in html
