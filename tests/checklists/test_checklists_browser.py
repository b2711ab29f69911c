"""Checklists in a real Chromium: without JS, with marks kept on the phone, printed, axe."""

import json
import re
from pathlib import Path

import pytest

from app.content.checklists import CHECKLISTS
from app.web.i18n import LANGUAGES
from helpers import ROOT
from support.browser import PHONE, WATCH_LAYOUT_SHIFTS

pytestmark = pytest.mark.e2e

SPACES = list(CHECKLISTS)
FOUND_LABEL = {"en": "Found", "zh-hans": "有发现", "zh-hant": "有發現", "zh-hk": "有發現"}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def no_js(browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    yield context
    context.close()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_without_javascript_every_checklist_reads_and_marks(server, no_js, lang):
    page = no_js.new_page()
    for space in SPACES:
        page.goto(f"{server.url}/{lang}/check/{space}")
        items = page.locator(".item")
        assert items.count() == len(CHECKLISTS[space].quick + CHECKLISTS[space].thorough)
        first = items.first
        assert first.locator("legend + div > p").is_visible()  # how to check
        first.locator("summary").click()
        assert first.locator("details p").is_visible()
        bar = page.locator(".checklist .found-bar")
        assert bar.count() == 1  # once per list, not once per item
        assert bar.is_hidden()
        first.get_by_label(FOUND_LABEL[lang]).check()
        assert first.get_by_label(FOUND_LABEL[lang]).is_checked()
        # The help appears through CSS alone; its report link names the space only.
        assert bar.is_visible()
        if space != "home":
            report = bar.locator("[data-found-report]")
            assert report.get_attribute("href") == f"/{lang}/report?space={space}"
        assert page.locator("[data-progress]").is_hidden()  # needs JS; not shown half-working


def test_marks_stay_on_the_phone_and_survive_reload(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/en/check/hotel-room")
    progress = page.locator("[data-progress]")
    assert progress.inner_text() == "0 of 16 checked"

    sent = []
    page.on("request", lambda request: sent.append((request.method, request.url)))
    page.locator("#item-smoke-detector").get_by_label("Nothing seen").check()
    page.locator("#item-chargers").get_by_label("Unsure").check()
    page.locator("#item-wifi").get_by_label("Found").check()
    assert progress.inner_text() == "3 of 16 checked · 1 unsure · 1 found"
    assert sent == [], "marking must not send anything"

    stored = json.loads(page.evaluate("localStorage.getItem('spotcheck.marks.hotel-room')"))
    assert stored == {"smoke-detector": "clear", "chargers": "unsure", "wifi": "found"}

    page.reload()
    assert page.locator("#item-chargers").get_by_label("Unsure").is_checked()
    assert page.locator("#item-wifi").get_by_label("Found").is_checked()
    assert progress.inner_text() == "3 of 16 checked · 1 unsure · 1 found"
    # Reloading fetched the page, with nothing about the marks in any request.
    assert all(
        method == "GET" and "mark" not in url and "?" not in url.split("/static/")[0]
        for method, url in sent
    ), sent

    # Another space keeps its own marks.
    page.goto(f"{server.url}/en/check/restroom")
    assert page.locator("input:checked").count() == 0

    page.goto(f"{server.url}/en/check/hotel-room")
    page.get_by_role("button", name="Clear my marks").tap()
    assert page.locator("input:checked").count() == 0
    assert progress.inner_text() == "0 of 16 checked"
    assert page.evaluate("localStorage.getItem('spotcheck.marks.hotel-room')") is None
    page.reload()
    assert page.locator("input:checked").count() == 0
    assert [m for m, _ in sent if m != "GET"] == []


def test_marks_kept_under_the_old_key_are_not_lost(server, phone):
    # Before static/js/storage.js the key was spotcheck:marks:<space>.
    page = phone.new_page()
    page.goto(f"{server.url}/en/check/hotel-room")
    page.evaluate("""localStorage.setItem('spotcheck:marks:hotel-room',
                     JSON.stringify({'wifi': 'found', 'chargers': 'unsure'}))""")
    page.reload()
    assert page.locator("#item-wifi").get_by_label("Found").is_checked()
    assert page.locator("#item-chargers").get_by_label("Unsure").is_checked()
    assert page.locator("[data-progress]").inner_text() == "2 of 16 checked · 1 unsure · 1 found"
    moved = page.evaluate("""() => [localStorage.getItem('spotcheck:marks:hotel-room'),
                                    JSON.parse(localStorage.getItem('spotcheck.marks.hotel-room'))]""")
    assert moved == [None, {"wifi": "found", "chargers": "unsure"}]


def test_found_reveals_the_guide_and_a_prefilled_report(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/zh-hant/check/fitting-room")
    item = page.locator("#item-mirror")
    help_box = page.locator(".found-bar")
    assert help_box.is_hidden()
    item.get_by_label("有發現").tap()
    assert help_box.is_visible()
    guide = help_box.get_by_role("link", name="現在該怎麼辦")
    report = help_box.get_by_role("link", name="通報這個地點")
    assert guide.get_attribute("href") == "/zh-hant/found"
    # With JS the report names the device of the item she last marked Found.
    assert report.get_attribute("href").endswith("/zh-hant/report?space=fitting-room&device=mirror")
    for link in (guide, report):
        assert link.bounding_box()["height"] >= 44  # a real tap target
    # Sticky at the bottom of the screen, with the mark she tapped still in view above it.
    viewport = page.viewport_size
    bar_box = help_box.bounding_box()
    assert abs(bar_box["y"] + bar_box["height"] - viewport["height"]) <= 1
    assert bar_box["height"] <= viewport["height"] / 3
    # Unmarking it leaves the bar to the other item she marked Found.
    page.locator("#item-hooks").get_by_label("有發現").tap()
    assert report.get_attribute("href").endswith("device=hook")
    item.get_by_label("有發現").tap()
    item.get_by_label("沒發現", exact=True).tap()
    assert report.get_attribute("href").endswith("device=hook")
    page.locator("#item-hooks").get_by_label("沒發現", exact=True).tap()
    assert help_box.is_hidden()
    item.get_by_label("有發現").tap()
    guide.tap()
    page.wait_for_url(f"{server.url}/zh-hant/found")
    assert page.locator("h1").inner_text() == "你發現了可疑的東西，接下來可以這樣做。"


def test_nothing_overflows_a_360_px_screen(server, phone):
    page = phone.new_page()
    for lang in LANGUAGES:
        for url in [f"check/{s}" for s in SPACES] + ["found", "check/"]:
            page.goto(f"{server.url}/{lang}/{url}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"/{lang}/{url} is {width}px wide"


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_checklists_print_on_one_or_two_a4_pages(server, browser, output_dir, lang):
    context = browser.new_context()
    page = context.new_page()
    for space in SPACES:
        page.goto(f"{server.url}/{lang}/check/{space}")
        page.emulate_media(media="print")
        assert page.locator(".site-header").is_hidden()
        assert page.locator(".item details p").first.is_visible(), "notes print expanded"
        pdf = page.pdf(format="A4", print_background=True)
        pages = pdf_pages(pdf)
        assert 1 <= pages <= 2, f"{space} prints on {pages} pages"
        if space == "hotel-room":
            Path(output_dir / f"print-hotel-room-{lang}.pdf").write_bytes(pdf)
        page.emulate_media(media="screen")
    context.close()


@pytest.fixture
def axe_context(browser):
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: scripts/test installs it with npm ci")
    context = browser.new_context(**PHONE)
    # Init scripts run outside the page's CSP, so axe needs no inline <script>.
    context.add_init_script(path=str(AXE))
    yield context
    context.close()


def axe_urls(lang: str) -> list[str]:
    """Every page template in this language (the six checklists share one): the
    home page, the list of spaces, the guide and checklists; the six checklists are
    dealt out over the languages, so each is checked in one of them, every language
    in at least one. Chinese wraps otherwise than English, so each language has each
    template once; the same template again in the same language checks nothing new."""
    languages = list(LANGUAGES)
    spaces = [s for i, s in enumerate(SPACES) if i % len(languages) == languages.index(lang)]
    return [f"check/{s}" for s in spaces] + ["found", "check/", ""]


def test_axe_urls_cover_every_checklist_in_every_language_between_them():
    dealt = [url for lang in LANGUAGES for url in axe_urls(lang) if url.startswith("check/")
             and url != "check/"]
    assert sorted(dealt) == sorted(f"check/{s}" for s in SPACES)
    assert all(any(u.startswith("check/") and u != "check/" for u in axe_urls(lang))
               for lang in LANGUAGES)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_axe_finds_no_violations(server, axe_context, lang):
    page = axe_context.new_page()
    for url in axe_urls(lang):
        page.goto(f"{server.url}/{lang}/{url}")
        # Open one note and mark one item as found, so hidden parts are checked too.
        page.locator("summary").first.click() if page.locator("summary").count() else None
        if page.locator(".item").count():
            page.locator(".item input[value=found]").first.check()
        result = page.evaluate("axe.run()")
        violations = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
        ]
        assert violations == [], f"/{lang}/{url}: {violations}"


def test_the_progress_line_moves_nothing_when_it_appears(server, browser):
    # It used to un-hide above the list once app.js ran: a layout shift of 0.02-0.03.
    context = browser.new_context(**PHONE)
    context.add_init_script(WATCH_LAYOUT_SHIFTS)
    page = context.new_page()
    page.goto(f"{server.url}/zh-hans/check/hotel-room")
    page.locator("[data-progress]:not([data-pending])").wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") < 0.001
    assert page.locator("[data-progress]").is_visible()
    context.close()
