"""Reports in Chromium: without JS, with htmx, offline, and with a dropped connection."""

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from helpers import ROOT
from support.browser import CODE, PHONE, SEND, SPACE_LABEL, USER_AGENT, WHAT_LABEL, fill, stored

pytestmark = pytest.mark.e2e

STATUS_BUTTON = {"en": "Show the status", "zh-hans": "查看进度", "zh-hant": "查看進度"}
RECEIVED = {"en": "Received.", "zh-hans": "已收到。", "zh-hant": "已收到。"}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("lang", ["en", "zh-hans", "zh-hant"])
def test_without_javascript_report_then_check_status(server, browser, lang):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/{lang}/report?space=hotel-room&device=clock")
    assert page.get_by_label(SPACE_LABEL[lang]).is_checked()  # pre-filled from a checklist
    description = f"no-js report in {lang}"
    page.get_by_label(WHAT_LABEL[lang]).check()
    page.locator("#description").fill(description)
    page.locator("#photo").set_input_files(str(Path(__file__).parent / "device.jpg"))
    page.get_by_role("button", name=SEND[lang]).click()

    code = page.locator("#receipt-code").inner_text()
    assert CODE.fullmatch(code)
    assert code not in page.url
    assert stored(server, description) == 1

    page.goto(f"{server.url}/{lang}/report/status")
    page.locator("#code").fill(code.lower())
    page.get_by_role("button", name=STATUS_BUTTON[lang]).click()
    assert RECEIVED[lang] in page.locator(".status-line").inner_text()
    assert code not in page.url
    assert context.cookies() == []
    context.close()


def test_with_htmx_errors_and_receipt_swap_in_place(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.locator("#venue").fill("Star Mall")
    # Skip the browser's own required-field check to see the server's answer.
    page.locator("form[data-report-form]").evaluate("f => f.noValidate = true")
    page.get_by_role("button", name=SEND["en"]).click()
    page.locator(".error-summary").wait_for()
    assert "Choose the kind of place." in page.locator(".error-summary").inner_text()
    assert page.locator("#venue").input_value() == "Star Mall"
    fill(page, "en", "htmx report")
    page.get_by_role("button", name=SEND["en"]).click()
    page.locator("#receipt-code").wait_for()
    assert navigations == []  # no full reload
    assert stored(server, "htmx report") == 1
    assert page.evaluate("window.__cspViolations") == []


def test_written_offline_sent_once_when_back_online(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/zh-hans/report")
    fill(page, "zh-hans", "written offline")
    page.locator("#photo").set_input_files(str(Path(__file__).parent / "device.jpg"))
    phone.set_offline(True)
    page.get_by_role("button", name=SEND["zh-hans"]).click()
    outbox = page.locator("[data-outbox]")
    outbox.wait_for()
    assert "正在等待网络连接" in outbox.inner_text()
    assert stored(server, "written offline") == 0

    phone.set_offline(False)  # the "online" event sends it
    outbox.locator(".receipt-code").wait_for(timeout=15_000)
    assert CODE.search(outbox.inner_text())
    assert stored(server, "written offline") == 1
    # Another page load sends nothing more.
    page.reload()
    page.wait_for_timeout(500)
    assert stored(server, "written offline") == 1
    page.once("dialog", lambda dialog: dialog.accept())  # removing a code asks first
    outbox.get_by_role("button", name="从这部手机上删除").click()
    outbox.wait_for(state="hidden")


def test_a_waiting_report_can_be_deleted(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    fill(page, "en", "deleted before sending")
    phone.set_offline(True)
    page.get_by_role("button", name=SEND["en"]).click()
    outbox = page.locator("[data-outbox]")
    page.once("dialog", lambda dialog: dialog.accept())  # deleting an unsent report asks first
    outbox.get_by_role("button", name="Delete it").click()
    outbox.wait_for(state="hidden")
    phone.set_offline(False)
    page.reload()
    page.wait_for_timeout(500)
    assert stored(server, "deleted before sending") == 0


def test_connection_lost_mid_post_still_lands_once(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    fill(page, "en", "dropped mid-post")
    dropped = []

    def drop_the_answer(route):
        route.fetch()  # the server gets it and stores it...
        dropped.append(route.request.url)
        route.abort("connectionreset")  # ...but the phone never hears back

    page.route("**/en/report", drop_the_answer)
    page.get_by_role("button", name=SEND["en"]).click()
    page.locator("[data-outbox]").wait_for()
    assert dropped and stored(server, "dropped mid-post") == 1
    page.unroute("**/en/report")

    page.reload()  # every page load sends what waits; the server knows the key
    page.locator("[data-outbox]").get_by_text("Your report was sent").wait_for(timeout=15_000)
    assert stored(server, "dropped mid-post") == 1


@pytest.mark.parametrize("lang", ["en", "zh-hans", "zh-hant"])
def test_axe_finds_no_violations_on_report_pages(server, browser, lang):
    context = browser.new_context(**PHONE)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto(f"{server.url}/{lang}/report")
    page.locator("form[data-report-form]").evaluate("f => f.noValidate = true")
    page.get_by_role("button", name=SEND[lang]).click()  # with its error messages too
    page.locator(".error-summary").wait_for()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, "
                           ".htmx-settling, .htmx-added')")
    for _ in range(2):
        result = page.evaluate("axe.run()")
        assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
        page.goto(f"{server.url}/{lang}/report/status")
    context.close()


def test_nothing_about_the_browser_reaches_disk_or_log(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    fill(page, "en", "privacy check")
    page.get_by_role("button", name=SEND["en"]).click()
    page.locator("#receipt-code").wait_for()
    with closing(sqlite3.connect(server.instance / "spotcheck.sqlite3")) as conn:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    for path in [p for p in server.instance.rglob("*") if p.is_file()]:
        data = path.read_bytes()
        assert b"127.0.0.1" not in data and USER_AGENT.encode() not in data, path
    log = [line for line in server.log.read_text().splitlines() if "Listening at" not in line]
    assert not [line for line in log if "127.0.0.1" in line or "SpotCheckE2E" in line]
