"""One term per concept: the variants docs/glossary.md rules out, per catalog and per page.

Each variety is read as its readers see it: zh_Hant_HK is the Hong Kong overlay over
zh_Hant, in Hong Kong's own forms (app/web/i18n.py RESPELLINGS). The catalogs are
checked string by string, and the /zh-hk/ pages as rendered, so a Taiwan form that
comes from a template or from data fails too.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.content.checklists import CHECKLISTS
from app.web.i18n import respell

TRANSLATIONS = Path(__file__).resolve().parent.parent / "app" / "translations"
GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"

# (pattern ruled out, English words that make it right, English words it applies to
# alone) — the second is for words with two meanings: 鏡頭 is right for "lens", wrong
# for "camera"; the third for a rule about one concept: her own phone's camera.
TRADITIONAL = [
    (r"鏡頭", r"\blens", None),
    (r"針孔(?!攝影機|攝錄機)", r"\bpinhole|\bhole", None),
    (r"偷拍器|偷拍鏡頭|針孔鏡頭|偷拍設備", None, None),  # 監視器 is CCTV, a different thing
    (r"(?<!網)上報|举报", None, None),  # 網上報案 (report online) is not 上報
    (r"組織者|主辦單位", None, None),  # organizer: 審核人員
    (r"收據|憑證碼", None, None),  # receipt code: 回執代碼
    (r"日租套房", None, None),  # a kind of rental, not rentals: 短租房源 (zh-HK 短租單位)
    (r"包包", None, None),  # too cute for a safety checklist: 包 (zh-HK 袋)
]
# Where English speaks of her own phone's camera, not a hidden one.
PHONE_CAMERA = (r"phone[’']s camera|phone camera|front camera|Look with the camera"
                r"|camera is not available|use the camera")
# Taiwan's words and forms that a Hong Kong reader would not write (docs/glossary.md).
# None of them may reach a /zh-hk/ page, whatever it comes from.
TAIWAN_ONLY = [
    "飯店", "志工", "行動電源", "網路", "列印", "印表機", "公釐", "試衣間", "數位", "攝影機",
    "日租套房", "監視器", "診間", "超音波", "公尺", "螢幕", "辦公大樓", "重新整理", "佇列",
    "兩步驟", "產生海報", "範例", "造訪", "或是", "馬桶", "業主", "包包", "服飾店", "報導",
    "現在該怎麼辦", "該怎麼做", "怎麼辦", "送出", "通報", "裡", "什麼", "灌爆",
    "隔間",  # a toilet cubicle is 廁格; in Hong Kong 隔間 reads as a partitioned flat
]
RULES = {
    "zh_Hans": [
        (r"(?<!网)上报", None, None),  # a report is 举报 (网上报案 is reporting online)
        (r"报告", None, None),  # ...never 报告 (that is a written report, e.g. a doctor's)
        (r"应用(?!商店|市场)", None, None),  # an app is App (应用商店, the app store, is its name)
        (r"镜头", r"\blens", None),
        # 偷拍设备 is "a device" (camera or phone) on the report form, not the camera.
        (r"偷拍器|偷拍镜头|针孔镜头|偷拍设备", r"\bdevice|suspect there is one", None),
        # 摄像头 alone is the hidden camera; hers is 手机摄像头 (前置/后置摄像头).
        (r"(?<!手机)(?<!手机的)(?<!前置)(?<!后置)摄像头", None, PHONE_CAMERA),
        (r"蹲坑", None, None),  # colloquial: 蹲便器
        (r"志工|飯店|网路|行动电源|公厘", None, None),  # Taiwan words in Simplified script
        (r"组织者|主办方", None, None),  # organizer: 审核人员
        (r"收据|凭证码", None, None),  # receipt code: 回执代码
    ],
    "zh_Hant": TRADITIONAL,
    # Hong Kong: Traditional rules, plus every Taiwan-only form; LINE is Taiwan's chat app.
    "zh_Hant_HK": TRADITIONAL + [("|".join(TAIWAN_ONLY), None, None),
                                 (r"\bLINE\b", None, None)],
}
BASES = {"zh_Hant_HK": "zh_Hant"}

# Lines that name both the hidden camera (摄像头) and her phone's (前置/后置相机), each
# named by how its English begins: the phone-camera rule cannot tell them apart.
BOTH_CAMERAS = (
    "Cameras that see in the dark light the room",
)


def strings(locale: str) -> dict[str, str]:
    """English → the text readers of `locale` see, overlay over base, in its own forms."""
    found = strings(BASES[locale]) if locale in BASES else {}
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        for message in read_po(f):
            if message.id and all(message.string if isinstance(message.string, tuple)
                                  else [message.string]):
                english = message.id if isinstance(message.id, str) else " ".join(message.id)
                text = message.string
                found[english] = text if isinstance(text, str) else " ".join(text)
    return {english: respell(locale, text) for english, text in found.items()}


def breaches(locale: str, english: str, text: str) -> list[str]:
    return [
        pattern
        for pattern, unless, only in RULES[locale]
        if re.search(pattern, text)
        and not (unless and re.search(unless, english, re.I))
        and (not only or re.search(only, english, re.I))
    ]


def violations(locale: str) -> list[tuple[list[str], str, str]]:
    return [(hits, english, text) for english, text in strings(locale).items()
            if not english.startswith(BOTH_CAMERAS)
            and (hits := breaches(locale, english, text))]


@pytest.mark.parametrize("locale", RULES)
def test_catalog_uses_only_the_glossary_terms(locale):
    assert not violations(locale), "\n".join(map(str, violations(locale)))


def test_rules_catch_what_they_are_for():
    # Not vacuous: Taiwan's catalog, read with Hong Kong's rules, breaks many of them.
    taiwan = strings("zh_Hant")
    hits = [e for e, t in taiwan.items() if breaches("zh_Hant_HK", e, t)]
    assert len(hits) > 50


# What the catalogs said before issue 26, each a drift a rule is there to catch.
OLD_TEXT = [
    ("zh_Hant_HK", "Medical room", "診間和檢查室"),
    ("zh_Hant_HK", "Examination rooms, ultrasound rooms and changing areas in clinics.",
     "診間、超音波室，以及醫院和診所裡的更衣處。"),
    ("zh_Hant_HK", "Location added, rounded to about 100 m.", "已填入位置，精確到大約 100 公尺。"),
    ("zh_Hant_HK", "Screens face the bed and sofa and have power; in a rental the host chose "
     "and placed them.", "螢幕對著床和梳化，又一直有電；在短租單位裡，放哪裡都是業主決定的。"),
    ("zh_Hant_HK", "Toilet cubicles in malls, stations, offices and restaurants.",
     "商場、車站、辦公大樓和餐廳的廁所隔間。"),
    ("zh_Hant_HK", "Reload", "重新整理"),
    ("zh_Hant_HK", "Review queue", "審核佇列"),
    ("zh_Hant_HK", "Two-step sign-in", "兩步驟驗證登入"),
    ("zh_Hant_HK", "Make the poster", "產生海報"),
    ("zh_Hant_HK", "The code in the preview is an example.", "預覽中的 QR Code 只是範例。"),
    ("zh_Hant_HK", "We do not record when you visited.", "我們不記錄造訪時間。"),
    ("zh_Hant_HK", "…or stickers over a hole.", "……或是蓋住小孔的貼紙。"),
    ("zh_Hant_HK", "Scan with your phone’s camera or WeChat", "用手機相機、LINE 或微信掃描"),
    ("zh_Hant_HK", "Check behind the bowl", "檢查馬桶後方"),
    ("zh_Hant_HK", "What to do now", "現在該怎麼辦"),
    ("zh_Hant_HK", "What to do right now, and who can help.", "現在該怎麼做，誰可以幫你。"),
    ("zh_Hant_HK", "24 small stickers on A4, for cubicle doors", "24 張小貼紙，貼在隔間門上"),
    ("zh_Hant_HK", "Report this place", "通報這個地點"),
    ("zh_Hant_HK", "Send", "送出"),
    ("zh_Hant", "Hotel rooms, guesthouses and short-term rentals.", "飯店、旅館、民宿和日租套房。"),
    ("zh_Hant", "Lockers, benches and bags left behind", "置物櫃、長椅和別人留下的包包"),
    ("zh_Hans", "We could not store your report because of a problem on our side.",
     "我们这边出了问题，你的报告没能保存。"),
    ("zh_Hans", "Code from the app", "应用里的验证码"),
    ("zh_Hans", "Look with the camera", "用摄像头找"),
    ("zh_Hans", "Around and under the toilet or squat pan", "马桶或蹲坑周围和下方"),
]


@pytest.mark.parametrize(("locale", "english", "old"), OLD_TEXT)
def test_rules_catch_the_old_text(locale, english, old):
    assert breaches(locale, english, old)


@pytest.mark.parametrize(("locale", "english", "text"), [
    ("zh_Hans", "It is not your fault. The person who hid the camera is to blame.",
     "这不是你的错。错的是偷装摄像头的人。"),  # the hidden camera: 摄像头 alone is right
    ("zh_Hans", "Look with the camera", "用手机摄像头找"),
    ("zh_Hant_HK", "Reload", "重新載入"),
])
def test_rules_let_the_glossary_terms_through(locale, english, text):
    assert not breaches(locale, english, text)


def test_hong_kong_forms_are_derived_only_for_hong_kong():
    assert respell("zh_Hant_HK", "這裡有什麼？通報後送出") == "這裏有甚麼？舉報後提交"
    assert respell("zh_Hant", "這裡有什麼？") == "這裡有什麼？"


# Every public page a reader in Hong Kong can open, as the server renders it.
ZH_HK_PAGES = ["", "check/", *(f"check/{space}" for space in CHECKLISTS), "found",
               "found?region=hk", "found?region=mo", "lens", "report", "report/status", "map",
               "map?view=list", "map?view=pick", "posters/", "offline", "offline/report",
               "notebook", "notebook/sheet?paper=a4", "notebook/sheet?paper=letter&region=hk",
               "takedown", "takedown?region=hk", "takedown/sources"]


@pytest.mark.parametrize("url", ZH_HK_PAGES)
def test_zh_hk_pages_show_no_taiwan_only_form(client, url):
    response = client.get(f"/zh-hk/{url}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    found = [form for form in TAIWAN_ONLY if form in html]
    found += ["LINE"] if re.search(r"\bLINE\b", html) else []
    assert not found, f"/zh-hk/{url} shows {found}"


@pytest.mark.parametrize("term", ["針孔攝影機", "針孔攝錄機", "摄像头", "举报", "通報", "舉報",
                                  "酒店", "義工", "充電寶", "網絡", "打印", "毫米", "審核人員",
                                  "診症室", "超聲波", "屏幕", "坐廁", "房東", "雙重認證", "裏",
                                  "手机摄像头", "短租房源", "蹲便器"])
def test_glossary_documents_the_terms_the_test_enforces(term):
    assert term in GLOSSARY.read_text(encoding="utf-8")


@pytest.mark.parametrize("form", TAIWAN_ONLY)
def test_glossary_lists_every_taiwan_only_form(form):
    assert form in GLOSSARY.read_text(encoding="utf-8")
