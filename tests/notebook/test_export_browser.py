"""The notebook's export, passphrase lock and hand-over to the report form in
Chromium (issue 29, items 4 to 6)."""

import base64
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import urllib.request
import zipfile

import pytest

from helpers import ROOT
from support.notebook import FOUND, NUMBER, PLACE, READ_BACK, add_entry, assert_nothing_of_hers_sent

pytestmark = pytest.mark.e2e


def exported(page, button):
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    return zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))


def test_the_export_holds_the_original_byte_for_byte_and_its_hash(server, recorded, photo,
                                                                   tmp_path):
    original = photo.read_bytes()
    digest = hashlib.sha256(original).hexdigest()
    page = recorded.new_page()
    page.goto(f"{server.url}/en/notebook")
    add_entry(page, photo)
    page.get_by_role("button", name=re.compile("Get a timestamp")).click()
    page.locator("[data-nb-stamp-result]").get_by_text("it is valid").wait_for()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved on this phone.").wait_for()
    page.get_by_role("button", name="Back to the list").click()

    archive = exported(page, "Export everything (ZIP)")
    manifest = json.loads(archive.read("manifest.json"))
    [entry] = manifest["entries"]
    [meta] = entry["files"]
    assert archive.read(meta["path"]) == original
    assert meta["sha256"] == digest == hashlib.sha256(archive.read(meta["path"])).hexdigest()
    assert meta["path"] == f"entry-1/{photo.name}" and meta["size"] == len(original)
    assert (meta["name"], meta["type"]) == (photo.name, "image/jpeg") and meta["added"]
    assert (entry["found"], entry["place"], entry["policeNumber"]) == (FOUND, PLACE, NUMBER)
    assert sorted(archive.namelist()) == sorted(["manifest.json", "summary.html", meta["path"]])
    summary = archive.read("summary.html").decode()
    assert FOUND in summary and digest in summary and "<script" not in summary
    assert meta["timestamp"]["key_id"] in summary

    # The timestamp in the manifest checks out as docs/timestamps.md says: with the
    # published key, the documented script and the file from the ZIP.
    assert meta["timestamp"]["sha256"] == digest and meta["timestamp"]["signature"]
    archive.extractall(tmp_path)
    (tmp_path / "answer.json").write_text(json.dumps(meta["timestamp"]))
    with urllib.request.urlopen(f"{server.url}/api/v1/timestamp/key") as response:
        (tmp_path / "key.json").write_bytes(response.read())
    checked = subprocess.run([sys.executable, "-I", str(ROOT / "scripts/verify_timestamp.py"),
                              tmp_path / "answer.json", tmp_path / "key.json",
                              tmp_path / meta["path"]], capture_output=True, text=True)
    assert (checked.returncode, checked.stdout[:4]) == (0, "OK: "), checked
    assert_nothing_of_hers_sent(recorded.sent, original, digest, allowed_stamps=1)


def test_the_summary_prints_her_language_with_english_beside_it(server, recorded, photo):
    page = recorded.new_page()
    page.goto(f"{server.url}/zh-hans/notebook")
    page.locator("[data-nb-new]").click()
    page.locator("[data-nb-files]").set_input_files(str(photo))
    page.locator("[data-nb-file] .nb-hash").wait_for()
    page.locator("#nb-found").fill(FOUND)
    page.locator("[data-nb-save]").click()
    page.locator("[data-nb-delete]").wait_for()  # shown once it is saved
    page.locator("[data-nb-close]").click()
    page.locator("[data-nb-summary-open]").click()
    copies = page.locator(".nb-summary-copy")
    assert [copies.nth(i).get_attribute("lang") for i in range(2)] == ["zh-Hans", "en"]
    assert "证据记录本" in copies.nth(0).inner_text()
    assert "Evidence notebook: summary" in copies.nth(1).inner_text()
    assert all(FOUND in copies.nth(i).inner_text() for i in range(2))
    # Her copy's field names are the page's own labels, the English copy's its own.
    assert "你发现了什么" in copies.nth(0).inner_text()
    assert "What you found" in copies.nth(1).inner_text()
    # Printed, only the summary: side by side on one page.
    page.emulate_media(media="print")
    boxes = [copies.nth(i).bounding_box() for i in range(2)]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]
    assert page.locator(".nb-honest").is_hidden() and page.locator("h1").first.is_hidden()
    # On either paper, margins aside (A4 is 210 mm wide, Letter 8.5 in): still side by
    # side, and nothing wider than the sheet.
    for paper, width_px in (("A4", 210 / 25.4 * 96), ("Letter", 8.5 * 96)):
        page.set_viewport_size({"width": round(width_px - 2 * 48), "height": 1000})
        boxes = [copies.nth(i).bounding_box() for i in range(2)]
        assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"], paper
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), paper


# A link as she copies it: a query with a comma and a quote, so the CSV must quote it.
TRACKED_LINK = 'https://forum.example.cn/thread-88.html?page=2,3&q="mp4"'
# The kit's words for its tracker in Simplified Chinese (takedown/_tracker.html).
CSV_HEADER_ZH = ["链接", "举报对象", "举报对象（代码）", "举报日期", "状态", "再次查看的日期",
                 "最后更改（UTC）"]

# True once the tracker's one link is kept as back again (the page saves it on change).
STATE_KEPT = """() => new Promise((resolve) => {
    const open = indexedDB.open("spotcheck-takedown", 1);
    open.onsuccess = () => {
      const r = open.result.transaction("links").objectStore("links").getAll();
      r.onsuccess = () => {
        open.result.close();
        resolve(r.result.some((l) => l.state === "back"));
      };
    };
})"""


def test_the_tracker_in_the_export_is_in_her_language(server, recorded, browser):
    page = recorded.new_page()
    page.goto(f"{server.url}/zh-hans/takedown")
    page.locator(".td-add summary").click()
    page.locator("#td-add-link").fill(TRACKED_LINK)
    page.locator("#td-add-to").select_option("")  # somewhere else
    page.locator("#td-add-date").fill("2026-12-02")
    page.locator("[data-td-add-form] button[type=submit]").click()
    item = page.locator("[data-td-list] li")
    item.wait_for()
    item.locator('select[data-f="state"]').select_option("back")
    page.wait_for_function(STATE_KEPT)

    page.goto(f"{server.url}/zh-hans/notebook")
    with page.expect_download() as download:
        page.locator("[data-nb-export-all]").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    raw = archive.read("takedown-tracker.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: spreadsheets read it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == CSV_HEADER_ZH
    [row] = rows[1:]
    assert row[:6] == [TRACKED_LINK, "其他地方", "", "2026-12-02", "又出现了", "2026-12-09"]
    # The JSON keeps its keys and the state's key; her words for the states beside them.
    kept = json.loads(archive.read("takedown-tracker.json"))
    assert kept["links"][0]["state"] == "back" and kept["links"][0]["link"] == TRACKED_LINK
    assert kept["language"] == "zh-Hans" and kept["state_labels"]["back"] == "又出现了"

    # A tracker this phone cannot read: said in her language, in the ZIP.
    context = browser.new_context(service_workers="block")
    context.add_init_script("""const open = IDBFactory.prototype.open;
        IDBFactory.prototype.open = function (name, ...rest) {
          if (name === "spotcheck-takedown") throw new DOMException("refused", "InvalidStateError");
          return open.call(this, name, ...rest);
        };""")
    page = context.new_page()
    page.goto(f"{server.url}/zh-hans/notebook")
    with page.expect_download() as download:
        page.locator("[data-nb-export-all]").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    text = archive.read("takedown-tracker-unreadable.txt").decode("utf-8-sig")
    assert text == "无法读取这部手机上的追踪表（你要求删除的链接）：InvalidStateError\r\n"
    context.close()


def test_where_storage_fails_the_entry_on_screen_can_still_be_exported(server, browser, photo):
    context = browser.new_context()
    context.add_init_script("""Object.defineProperty(window, "indexedDB", {
        get() { throw new DOMException("refused", "SecurityError"); } });""")
    page = context.new_page()
    page.goto(f"{server.url}/en/notebook")
    page.get_by_role("alert").get_by_text("Export this entry").wait_for()
    page.get_by_role("button", name="New entry").click()
    page.locator("[data-nb-files]").set_input_files(str(photo))
    page.locator("[data-nb-file] .nb-hash").wait_for()
    page.get_by_label("What you found").fill(FOUND)
    archive = exported(page, "Export this entry (ZIP)")
    [meta] = json.loads(archive.read("manifest.json"))["entries"][0]["files"]
    assert archive.read(meta["path"]) == photo.read_bytes()
    context.close()


RAW = """async () => {
    const db = await new Promise((ok) => {
        const open = indexedDB.open("spotcheck-notebook");
        open.onsuccess = () => ok(open.result);
    });
    const all = (store) => new Promise((ok) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => ok(r.result);
    });
    const text = (value) => {
        if (value instanceof ArrayBuffer || ArrayBuffer.isView(value))
            return Array.from(new Uint8Array(value.buffer || value),
                              (b) => b.toString(16).padStart(2, "0")).join("");
        if (value && typeof value === "object")
            return Object.entries(value).map(([k, v]) => k + ":" + text(v)).join(",");
        return String(value);
    };
    const records = [...await all("entries"), ...await all("files"), ...await all("meta")];
    db.close();
    return records.map(text).join("\\n");
}"""


def test_with_a_passphrase_nothing_is_kept_in_clear_and_the_page_locks(server, recorded, photo):
    original = photo.read_bytes()
    page = recorded.new_page()
    page.goto(f"{server.url}/en/notebook")
    add_entry(page, photo)
    page.get_by_role("button", name="Back to the list").click()
    # Before: the note and the photo's bytes are in clear in IndexedDB.
    chunk = original[5000:5048].hex()
    assert FOUND in page.evaluate(RAW) and chunk in page.evaluate(RAW)

    page.get_by_text("Lock with a passphrase").click()
    page.get_by_label("New passphrase", exact=True).fill("purple harbour 42")
    page.get_by_label("The new passphrase again").fill("purple harbour 42")
    page.get_by_role("button", name="Set the passphrase").click()
    page.get_by_text("Done: the notebook is kept encrypted").wait_for()
    raw = page.evaluate(RAW)
    for plain in (FOUND, PLACE, NUMBER, "22.2793", photo.name, chunk, original[:64].hex()):
        assert plain not in raw
    # Still readable while unlocked, and the export still holds the original.
    archive = exported(page, "Export everything (ZIP)")
    [meta] = json.loads(archive.read("manifest.json"))["entries"][0]["files"]
    assert archive.read(meta["path"]) == original

    # Locked: a reload asks for it; a wrong passphrase is refused.
    page.reload()
    page.get_by_role("heading", name="The notebook is locked").wait_for()
    assert page.get_by_role("heading", name=FOUND).count() == 0
    page.get_by_label("Passphrase", exact=True).fill("purple harbour 43")
    page.get_by_role("button", name="Unlock").click()
    page.get_by_text("That passphrase is not right").wait_for()
    page.get_by_label("Passphrase", exact=True).fill("purple harbour 42")
    page.get_by_role("button", name="Unlock").click()
    page.get_by_role("heading", name=FOUND).wait_for()

    # After the inactivity time (shortened here; the page says 300 s) it locks.
    assert page.locator("[data-nb]").get_attribute("data-lock-after") == "300"
    page.locator("[data-nb]").evaluate("(nb) => { nb.dataset.lockAfter = '1'; }")
    page.get_by_role("button", name="Open").click()  # a touch: the 1 s starts now
    page.get_by_role("heading", name="The notebook is locked").wait_for(timeout=5000)
    assert page.get_by_label("What you found").is_hidden()
    assert page.get_by_label("What you found").input_value() == ""

    # Lock now, and removing the passphrase puts everything back in clear.
    page.get_by_label("Passphrase", exact=True).fill("purple harbour 42")
    page.get_by_role("button", name="Unlock").click()
    page.locator("[data-nb]").evaluate("(nb) => { nb.dataset.lockAfter = '300'; }")
    page.get_by_role("button", name="Lock now").click()
    page.get_by_role("heading", name="The notebook is locked").wait_for()
    page.get_by_label("Passphrase", exact=True).fill("purple harbour 42")
    page.get_by_role("button", name="Unlock").click()
    page.get_by_text("Lock with a passphrase").click()
    page.get_by_role("button", name="Remove the passphrase").click()
    page.get_by_text("Done: the passphrase is removed.").wait_for()
    kept = page.evaluate(READ_BACK)
    assert kept["entries"][0]["found"] == FOUND
    assert base64.b64decode(kept["files"][0]["base64"]) == original
    assert_nothing_of_hers_sent(recorded.sent, original, hashlib.sha256(original).hexdigest())


def test_a_locked_notebook_can_be_deleted_without_the_passphrase(server, recorded, photo):
    page = recorded.new_page()
    page.goto(f"{server.url}/en/notebook")
    add_entry(page, photo)
    page.get_by_role("button", name="Back to the list").click()
    page.get_by_text("Lock with a passphrase").click()
    page.get_by_label("New passphrase", exact=True).fill("x")
    page.get_by_label("The new passphrase again").fill("x")
    page.get_by_role("button", name="Set the passphrase").click()
    page.get_by_role("button", name="Lock now").click()
    questions = []
    page.on("dialog", lambda d: (questions.append(d.message), d.accept()))
    page.locator("[data-nb-locked]").get_by_role("button", name="Delete everything").click()
    page.get_by_text("No entries.").wait_for()
    assert len(questions) == 1 and "cannot be brought back" in questions[0]
    assert page.evaluate(RAW) == ""
    page.reload()
    page.get_by_text("No entries.").wait_for()  # and no passphrase asked for


FORM_PHOTO = """async () => {
    const file = document.querySelector("[name=photo]").files[0];
    if (!file) return null;
    const bytes = new Uint8Array(await file.arrayBuffer());
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000)
        text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { name: file.name, type: file.type, base64: btoa(text) };
}"""


def test_reporting_the_place_hands_over_a_small_stripped_photo_and_a_rounded_place(
        server, recorded, photo):
    original = photo.read_bytes()
    page = recorded.new_page()
    page.goto(f"{server.url}/en/notebook")
    add_entry(page, photo)  # with her location: 22.2793, 114.1628
    button = page.get_by_role("button", name="Report this place anonymously")
    hint = page.locator("#hint-nb-report").inner_text()
    assert "never the original or the exact location" in hint
    before = len(recorded.sent)
    button.click()
    page.wait_for_url(f"{server.url}/en/report")
    page.locator("[data-handover]").wait_for()

    form = page.locator("[data-report-form]")
    assert form.locator("[name=latitude]").input_value() == "22.279"
    assert form.locator("[name=longitude]").input_value() == "114.163"
    assert form.locator("[name=observed_on]").input_value() == "2026-12-06"
    handed = page.evaluate(FORM_PHOTO)
    copy = base64.b64decode(handed["base64"])
    assert handed["type"] == "image/jpeg" and copy[:2] == b"\xff\xd8"
    assert len(copy) < len(original) / 4
    assert b"Exif" not in copy and b"\xff\xe1" not in copy[:64]  # no APP1: no EXIF, no GPS
    assert b"Jane Doe" not in copy and b"TestPhone" not in copy
    # Read once, then gone from the tab; nothing of it in any URL.
    assert page.evaluate("sessionStorage.getItem('spotcheck-report-handover')") is None
    page.reload()
    assert page.locator("[data-handover]").is_hidden()
    assert page.evaluate(FORM_PHOTO) is None
    # Nothing was sent: only the form page and its files were fetched, and no
    # request held the photo, the exact place or the rounded one.
    for method, url, _headers, body in recorded.sent[before:]:
        assert method == "GET" and not body, url
        assert "22.27" not in url and "114.16" not in url, url
    assert_nothing_of_hers_sent(recorded.sent, original, hashlib.sha256(original).hexdigest())


def test_a_passphrase_change_cut_short_loses_nothing(server, recorded, photo):
    """Setting a passphrase rewrites every record in one transaction: cut short (as
    by a tab closed midway: here a write that fails), nothing changes."""
    original = photo.read_bytes()
    page = recorded.new_page()
    page.goto(f"{server.url}/en/notebook")
    add_entry(page, photo)
    page.get_by_role("button", name="Back to the list").click()
    before = page.evaluate(RAW)
    # The file's record is written after the entry's: the entry is already put
    # (encrypted) in the transaction when the write fails.
    page.evaluate("""() => {
        const put = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = function (value) {
            if (this.name === "files" && value.iv)
                throw new DOMException("full", "QuotaExceededError");
            return put.apply(this, arguments);
        };
    }""")
    page.get_by_text("Lock with a passphrase").click()
    page.get_by_label("New passphrase", exact=True).fill("purple harbour 42")
    page.get_by_label("The new passphrase again").fill("purple harbour 42")
    page.get_by_role("button", name="Set the passphrase").click()
    page.get_by_text("Nothing was changed").wait_for()
    assert page.evaluate(RAW) == before  # every record as it was, and no lock record
    page.reload()
    page.get_by_role("heading", name=FOUND).wait_for()  # not locked, nothing lost
    kept = page.evaluate(READ_BACK)
    assert base64.b64decode(kept["files"][0]["base64"]) == original
