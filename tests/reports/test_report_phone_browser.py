"""The report form on a phone in the field (issue 17): offline, the receipt, a form that reads fast.

At 360×740, as she would hold it: the signal drops in restrooms, basements and
trains, and the receipt code is the one thing she must not miss.
"""

import re

import pytest

from support.browser import CODE, PHONE, SEND, fill, stored, wait_for_worker

pytestmark = pytest.mark.e2e


def shot(page, output_dir, name: str) -> None:
    folder = output_dir / "issue17"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def test_the_form_opens_offline_and_each_report_gets_its_own_key(server, sw_phone, output_dir):
    page = sw_phone.new_page()
    page.goto(f"{server.url}/en/")
    wait_for_worker(page)

    sw_phone.set_offline(True)
    page.goto(f"{server.url}/en/report?space=hotel-room&device=clock")
    shot(page, output_dir, "report-offline-after")
    assert page.locator("h1").inner_text() == "Report a place"
    # A checklist's link pre-fills it offline too.
    assert page.get_by_label("Hotel or rental room").is_checked()
    assert page.locator("#device").input_value() == "clock"
    first = page.locator("[name=idempotency_key]").input_value()
    page.reload()
    second = page.locator("[name=idempotency_key]").input_value()
    # One cached page, but never one key for everyone: the server would keep only the first.
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", first) and first != second

    fill(page, "en", "written in the offline shell")
    page.get_by_role("button", name=SEND["en"]).click()
    outbox = page.locator("[data-outbox]")
    outbox.wait_for()
    fill(page, "en", "a second one from the shell")
    page.get_by_role("button", name=SEND["en"]).click()
    assert stored(server, "written in the offline shell") == 0

    sw_phone.set_offline(False)  # the "online" event sends both
    page.wait_for_function("() => (document.querySelector('[data-outbox]').innerText"
                           ".match(/Your report was sent/g) || []).length === 2", timeout=15_000)
    assert stored(server, "written in the offline shell") == 1
    assert stored(server, "a second one from the shell") == 1
    codes = CODE.findall(outbox.inner_text())
    assert len(set(codes)) == 2


@pytest.fixture
def clipboard_phone(browser):
    context = browser.new_context(**PHONE, permissions=["clipboard-read", "clipboard-write"])
    yield context
    context.close()


def whole_and_in_view(page, selector: str) -> None:
    """The code fits the screen, and its groups sit on one line, none broken."""
    box = page.locator(selector).bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["viewport"]["height"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["viewport"]["width"]
    tops = page.locator(selector).evaluate(
        "e => [...e.querySelectorAll('span')].map(s => Math.round(s.getBoundingClientRect().top))")
    assert len(tops) == 4 and len(set(tops)) == 1, tops


def test_after_send_the_receipt_is_in_view_whole_copyable_and_can_be_kept(
        server, clipboard_phone, output_dir):
    page = clipboard_phone.new_page()
    page.goto(f"{server.url}/en/report")
    fill(page, "en", "receipt in view")
    send = page.get_by_role("button", name=SEND["en"])
    send.scroll_into_view_if_needed()
    send.click()
    page.locator("#receipt-code").wait_for()
    page.wait_for_function("() => document.activeElement.matches('[data-receipt-heading]')")
    shot(page, output_dir, "receipt-after")
    whole_and_in_view(page, "#receipt-code")
    code = page.locator("#receipt-code").inner_text()
    assert CODE.fullmatch(code)

    page.get_by_role("button", name="Copy the code").click()
    page.get_by_role("button", name="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code

    # Kept only when she asks, and then listed on the status page, not on every page.
    page.get_by_role("button", name="Keep it on this phone").click()
    page.get_by_role("button", name="Kept on this phone").wait_for()
    page.goto(f"{server.url}/en/")
    page.wait_for_timeout(300)
    assert page.locator("[data-outbox]").is_hidden(), page.locator("[data-outbox]").inner_text()
    page.goto(f"{server.url}/en/report/status")
    kept = page.locator("[data-kept-receipts]")
    kept.wait_for()
    assert code in kept.inner_text().replace("\n", "")
    kept.get_by_role("button", name="Show its status").click()
    assert "Received." in page.locator(".status-line").inner_text()


def test_a_refused_copy_selects_the_code_and_does_not_say_copied(server, phone):
    phone.add_init_script("navigator.clipboard.writeText = () => "
                          "Promise.reject(new DOMException('Refused', 'NotAllowedError'));")
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    fill(page, "en", "copy refused")
    page.get_by_role("button", name=SEND["en"]).click()
    code = page.locator("#receipt-code")
    code.wait_for()
    page.get_by_role("button", name="Copy the code").click()
    page.wait_for_function("() => getSelection().toString().trim() !== ''")
    assert page.evaluate("getSelection().toString().trim()") == code.inner_text()
    assert page.get_by_role("button", name="Copied").count() == 0


def test_the_outbox_shows_the_code_whole_and_the_sent_form_is_empty(
        server, clipboard_phone, output_dir):
    page = clipboard_phone.new_page()
    page.goto(f"{server.url}/en/report?space=hotel-room&device=clock")
    fill(page, "en", "outbox code whole")
    clipboard_phone.set_offline(True)
    page.get_by_role("button", name=SEND["en"]).click()
    outbox = page.locator("[data-outbox]")
    outbox.wait_for()
    # The form she sent from is empty again, even the choices a checklist's link made.
    assert page.locator("#description").input_value() == ""
    assert page.locator("input[type=radio]:checked").count() == 0
    assert page.locator("#device").input_value() == ""

    clipboard_phone.set_offline(False)
    code = outbox.locator(".receipt-code")
    code.wait_for(timeout=15_000)
    assert CODE.fullmatch(code.inner_text())
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, output_dir, "outbox-code-after")
    whole_and_in_view(page, "[data-outbox] .receipt-code")
    outbox.get_by_role("button", name="Copy the code").click()
    assert page.evaluate("navigator.clipboard.readText()") == code.inner_text()


@pytest.mark.parametrize("lang", ["en", "zh-hans", "zh-hant", "zh-hk"])
def test_the_first_question_is_on_the_first_screen(server, phone, output_dir, lang):
    page = phone.new_page()
    page.goto(f"{server.url}/{lang}/report")
    shot(page, output_dir, f"report-first-screen-{lang}-after")
    first = page.locator("#field-space legend").bounding_box()
    assert first["y"] + first["height"] <= PHONE["viewport"]["height"] * 0.75
    # The privacy details are one tap away, closed.
    details = page.locator("details.privacy")
    assert details.get_attribute("open") is None
    details.locator("summary").click()
    assert details.locator("li").first.is_visible()


def test_follow_up_questions_appear_as_she_answers(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    response, device = page.locator("#field-response"), page.locator("#field-device")
    assert response.is_hidden() and device.is_visible()
    page.get_by_label("I told the police").check()
    assert response.is_visible()
    page.get_by_label("I told the police").uncheck()
    assert response.is_hidden()
    page.get_by_label("I saw someone filming").check()
    assert device.is_hidden()
    page.get_by_label("I found a device").check()
    assert device.is_visible()
    # Raw coordinates sit behind their own toggle.
    assert page.locator("[name=latitude]").is_hidden()
    page.get_by_text("Enter coordinates").click()
    assert page.locator("[name=latitude]").is_visible()


def test_without_javascript_every_question_is_there(server, browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/en/report")
    assert page.locator("#field-response").is_visible()
    assert page.locator("#field-device").is_visible()
    page.get_by_text("Enter coordinates").click()  # <details> needs no script
    assert page.locator("[name=latitude]").is_visible()
    context.close()


def test_a_toggle_looks_tappable(server, phone):
    # "Why, and what it can miss" had no marker at all: nothing said it opens.
    page = phone.new_page()
    page.goto(f"{server.url}/en/check/restroom")
    summary = page.locator("summary").first
    marker = lambda: summary.evaluate(  # noqa: E731
        "s => { const m = getComputedStyle(s, '::before');"
        " return [m.borderLeftWidth, m.transform]; }")
    width, closed = marker()
    assert float(width.removesuffix("px")) >= 5
    summary.click()
    page.wait_for_timeout(250)  # the marker turns as it opens
    assert marker()[1] != closed
