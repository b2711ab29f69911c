"""One term per concept: the variants docs/glossary.md rules out, per catalog."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "app" / "translations"
GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"

# (pattern ruled out, English words that make it right) — the second is for
# words with two meanings: 鏡頭 is right for "lens", wrong for "camera".
TRADITIONAL = [
    (r"鏡頭", r"\blens"),
    (r"針孔(?!攝影機|攝錄機)", r"\bpinhole|\bhole"),
    (r"偷拍器|偷拍鏡頭|針孔鏡頭|偷拍設備", None),  # 監視器 is CCTV, a different thing
    (r"(?<!網)上報|举报", None),  # 網上報案 (report online) is not 上報
    (r"組織者|主辦單位", None),  # organizer: 審核人員
    (r"收據|憑證碼", None),  # receipt code: 回執代碼
]
RULES = {
    "zh_Hans": [
        (r"(?<!网)上报", None),  # a report, and to report, is 举报 (网上报案 is reporting online)
        (r"镜头", r"\blens"),
        # 偷拍设备 is "a device" (camera or phone) on the report form, not the camera.
        (r"偷拍器|偷拍镜头|针孔镜头|偷拍设备", r"\bdevice|suspect there is one"),
        (r"志工|飯店|网路|行动电源|公厘", None),  # Taiwan words in Simplified script
        (r"组织者|主办方", None),  # organizer: 审核人员
        (r"收据|凭证码", None),  # receipt code: 回执代码
    ],
    "zh_Hant": TRADITIONAL,
    # Hong Kong: Traditional rules, plus Taiwan words a Hong Kong reader would not write.
    "zh_Hant_HK": TRADITIONAL + [
        (r"飯店|志工|行動電源|網路|列印|印表機|公釐|試衣間|數位|攝影機|日租套房|監視器", None),
    ],
}
BASES = {"zh_Hant_HK": "zh_Hant"}


def strings(locale: str) -> dict[str, str]:
    """English → the text readers of `locale` see, overlay over base."""
    found = strings(BASES[locale]) if locale in BASES else {}
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        for message in read_po(f):
            if message.id and all(message.string if isinstance(message.string, tuple)
                                  else [message.string]):
                english = message.id if isinstance(message.id, str) else " ".join(message.id)
                text = message.string
                found[english] = text if isinstance(text, str) else " ".join(text)
    return found


def violations(locale: str) -> list[tuple[str, str, str]]:
    return [
        (pattern, english, text)
        for english, text in strings(locale).items()
        for pattern, unless in RULES[locale]
        if re.search(pattern, text) and not (unless and re.search(unless, english, re.I))
    ]


@pytest.mark.parametrize("locale", RULES)
def test_catalog_uses_only_the_glossary_terms(locale):
    assert not violations(locale), "\n".join(map(str, violations(locale)))


def test_rules_catch_what_they_are_for():
    # Not vacuous: Taiwan's catalog, read with Hong Kong's rules, breaks many of them.
    taiwan = strings("zh_Hant")
    hits = [e for e, t in taiwan.items() for p, _ in RULES["zh_Hant_HK"] if re.search(p, t)]
    assert len(hits) > 10


@pytest.mark.parametrize("term", ["針孔攝影機", "針孔攝錄機", "摄像头", "举报", "通報", "酒店",
                                  "義工", "充電寶", "網絡", "打印", "毫米", "審核人員"])
def test_glossary_documents_the_terms_the_test_enforces(term):
    assert term in GLOSSARY.read_text(encoding="utf-8")
