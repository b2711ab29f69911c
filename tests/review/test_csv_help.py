"""The export links tell organizers how to open a CSV in LibreOffice, whose import reads
the computer's own character set unless told, byte order mark or not (issue 27; field
review §4 item 7)."""

import pytest

from helpers import visible_text

SAYS = {
    "en": "in the “Text Import” window, set “Character set” to “Unicode (UTF-8)”",
    "zh-hans": "请在“文本导入”窗口里把“字符集”设为“Unicode (UTF-8)”",
    "zh-hant": "請在「文字匯入」視窗中把「字元集」設為「Unicode (UTF-8)」",
    "zh-hk": "請在「文字匯入」視窗中把「字元集」設為「Unicode (UTF-8)」",
}


@pytest.mark.parametrize("lang", list(SAYS))
def test_the_export_links_say_how_to_open_a_csv_in_libreoffice(admin, lang):
    html = admin.get(f"/{lang}/organizers/").get_data(as_text=True)
    exports, after = html.split('<p class="exports">', 1)[1].split("</p>", 1)
    assert "export/published.csv" in exports
    help_text = visible_text(after.split("</p>", 1)[0])
    assert SAYS[lang] in help_text and "LibreOffice" in help_text
