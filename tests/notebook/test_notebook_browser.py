"""The evidence notebook in Chromium (issue 29, items 1 to 3): entries kept on the
phone byte for byte, their hashes, the timestamp on her tap and nothing else sent."""

import base64
import hashlib
import json
import re
import urllib.request

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from playwright.sync_api import expect

from app.web.i18n import LANGUAGES
from support.browser import PHONE, wait_for_worker
from support.notebook import (
    FOUND,
    LINK,
    NUMBER,
    PLACE,
    READ_BACK,
    TOLD,
    add_entry,
    assert_nothing_of_hers_sent,
)

pytestmark = pytest.mark.e2e

TITLE = {"en": "Evidence notebook", "zh-hans": "证据记录本", "zh-hant": "證據記錄本",
         "zh-hk": "證據記錄本"}

def test_an_entry_keeps_the_photo_byte_for_byte_and_sends_nothing(server, recorded, photo):
    original = photo.read_bytes()
    digest = hashlib.sha256(original).hexdigest()
    page = recorded.new_page()
    page.goto(f"{server.url}/en/notebook")
    page.get_by_role("button", name="New entry").wait_for()
    assert page.locator("[data-nb-nojs]").is_hidden()
    add_entry(page, photo)

    # The hash shown, in readable groups, is the file's SHA-256.
    shown = page.locator("[data-nb-file] .nb-hash").inner_text()
    assert re.fullmatch(r"([0-9a-f]{4} ){15}[0-9a-f]{4}", shown)
    assert shown.replace(" ", "") == digest
    # What to ask the police for, for the region she chose, and only that one.
    expect(page.locator("[data-nb-ask=hk]")).to_be_visible()
    assert page.locator("[data-nb-ask]:visible").count() == 1
    # Hong Kong's card on the found page says what: the report's number and a card.
    assert re.fullmatch(r"Ask the police for: .*report number.*",
                        page.locator("[data-nb-ask=hk]").inner_text())

    # Stored: the very bytes, as an ArrayBuffer, and everything she wrote.
    kept = page.evaluate(READ_BACK)
    assert len(kept["files"]) == 1 and kept["files"][0]["isBuffer"]
    assert base64.b64decode(kept["files"][0]["base64"]) == original
    entry = kept["entries"][0]
    assert kept["files"][0]["entryId"] == entry["id"]
    assert entry["files"][0] | {"id": None, "added": None, "lastModified": None} == {
        "id": None, "added": None, "lastModified": None, "name": photo.name,
        "type": "image/jpeg", "size": len(original), "sha256": digest}
    assert (entry["found"], entry["place"], entry["toldVenue"], entry["policeNumber"],
            entry["region"], entry["links"]) == (FOUND, PLACE, TOLD, NUMBER, "hk", LINK)
    assert entry["location"]["latitude"] == pytest.approx(22.2793)
    assert entry["happened"] == "2026-12-06T02:14" and entry["recorded"]

    # Editing: back to the list, open it, change it, save.
    page.get_by_role("button", name="Back to the list").click()
    page.get_by_role("button", name="Open").click()
    assert page.get_by_label("What you found").input_value() == FOUND
    page.get_by_label("The police", exact=True).fill(TOLD + " and the police")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved on this phone.").wait_for()
    assert page.evaluate(READ_BACK)["entries"][0]["toldPolice"] == TOLD + " and the police"
    page.reload()
    page.get_by_role("heading", name=FOUND).wait_for()

    assert_nothing_of_hers_sent(recorded.sent, original, digest)


def test_the_timestamp_sends_only_the_hash_and_verifies(server, recorded, photo):
    original = photo.read_bytes()
    digest = hashlib.sha256(original).hexdigest()
    page = recorded.new_page()
    page.goto(f"{server.url}/en/notebook")
    add_entry(page, photo)
    button = page.get_by_role("button", name=re.compile("Get a timestamp"))
    assert "sends only this file’s fingerprint to SpotCheck" in button.inner_text()
    assert_nothing_of_hers_sent(recorded.sent, original, digest, allowed_stamps=0)

    button.click()
    result = page.locator("[data-nb-stamp-result]")
    result.get_by_text("it is valid").wait_for()
    assert "no later than" in result.inner_text()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved on this phone.").wait_for()
    assert_nothing_of_hers_sent(recorded.sent, original, digest, allowed_stamps=1)

    # What the phone kept checks out with the published key, without the browser.
    stamp = page.evaluate(READ_BACK)["entries"][0]["files"][0]["timestamp"]
    assert stamp["verified"] is True and stamp["sha256"] == digest
    with urllib.request.urlopen(f"{server.url}/api/v1/timestamp/key") as response:
        key = json.load(response)
    assert stamp["public_key"] == key["public_key"] and stamp["key_id"] == key["key_id"]
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    public.verify(base64.b64decode(stamp["signature"]),
                  f"spotcheck-timestamp-v1 {digest} {stamp['time']}".encode())


def test_deleting_asks_first(server, recorded, photo):
    page = recorded.new_page()
    page.goto(f"{server.url}/en/notebook")
    add_entry(page, photo)
    page.get_by_role("button", name="Back to the list").click()
    page.get_by_role("button", name="New entry").click()
    page.get_by_label("What you found").fill("second")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved on this phone.").wait_for()

    questions = []
    answer = {"accept": False}

    def on_dialog(dialog):
        questions.append(dialog.message)
        dialog.accept() if answer["accept"] else dialog.dismiss()

    page.on("dialog", on_dialog)
    page.get_by_role("button", name="Delete this entry").click()  # she says no
    assert len(page.evaluate(READ_BACK)["entries"]) == 2
    answer["accept"] = True
    page.get_by_role("button", name="Delete this entry").click()
    page.get_by_role("button", name="New entry").wait_for()
    kept = page.evaluate(READ_BACK)
    assert [e["found"] for e in kept["entries"]] == [FOUND] and len(kept["files"]) == 1

    answer["accept"] = False
    page.get_by_role("button", name="Delete everything").click()
    assert len(page.evaluate(READ_BACK)["entries"]) == 1
    answer["accept"] = True
    page.get_by_role("button", name="Delete everything").click()
    page.get_by_text("No entries.").wait_for()
    assert page.evaluate(READ_BACK) == {"entries": [], "files": []}
    assert len(questions) == 4 and all("cannot be brought back" in q for q in questions)


def test_she_is_told_at_once_when_the_phone_keeps_nothing(server, browser):
    context = browser.new_context(**PHONE, locale="zh-TW")
    # As in a browser that refuses storage: IndexedDB throws when opened.
    context.add_init_script("""Object.defineProperty(window, "indexedDB", {
        get() { throw new DOMException("refused", "SecurityError"); } });""")
    page = context.new_page()
    page.goto(f"{server.url}/zh-hant/notebook")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "無痕" in alert.inner_text()
    # She may still write an entry and export it (test_export_browser.py), but
    # nothing offers to lock or delete what cannot be kept.
    assert "匯出這筆記錄" in alert.inner_text()
    assert page.locator("[data-nb-lock-settings]").is_hidden()
    assert page.locator("[data-nb-delete-all]").is_hidden()
    context.close()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_notebook_opens_offline_after_the_first_visit(server, sw_phone, lang):
    page = sw_phone.new_page()
    page.goto(f"{server.url}/{lang}/")  # her first visit: any page
    wait_for_worker(page)
    page.wait_for_function(f"""async () => {{
        for (const name of await caches.keys())
            if (await (await caches.open(name)).match('/{lang}/notebook')) return true;
        return false;
    }}""", timeout=30_000)
    sw_phone.set_offline(True)
    page.goto(f"{server.url}/{lang}/notebook")
    assert page.locator("h1").inner_text() == TITLE[lang]
    assert page.locator("html").get_attribute("lang") == LANGUAGES[lang].html_lang
    # Its script runs offline too: the notebook, not the no-JavaScript text.
    page.locator("[data-nb-new]").wait_for()
    assert page.locator("[data-nb-nojs]").is_hidden()


def test_without_javascript_the_page_explains_and_offers_the_sheet(server, browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/en/notebook")
    assert "needs JavaScript" in page.locator("[data-nb-nojs]").inner_text()
    assert page.locator("[data-nb]").is_hidden() and page.locator("[data-nb-entry]").is_hidden()
    page.get_by_role("link", name="Log sheet to print (US Letter)").click()
    assert page.locator("h1").inner_text() == "Evidence log sheet"
    assert page.url.endswith("/en/notebook/sheet?paper=letter")
    context.close()


PAPER_MM = {"a4": (297, 210), "letter": (279.4, 215.9)}  # landscape


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_sheet_prints_on_either_paper_in_each_language(server, browser, lang):
    context = browser.new_context()
    page = context.new_page()
    for paper, (width, height) in PAPER_MM.items():
        page.goto(f"{server.url}/{lang}/notebook/sheet?paper={paper}")
        assert page.locator("html").get_attribute("lang") == LANGUAGES[lang].html_lang
        assert page.locator(".nb-log th").count() == 6
        pdf = page.pdf(prefer_css_page_size=True)
        box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
        points = (float(box[1]), float(box[2]))
        assert points == pytest.approx((width / 25.4 * 72, height / 25.4 * 72), abs=1.5), paper
    context.close()
