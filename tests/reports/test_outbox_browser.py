"""The outbox never loses a report, she sees it sending, and its receipt is hers to
keep (issue 27, items 2, 4 and 5). Chromium; tests/engines/ runs the first two in
WebKit and Firefox too."""

import io
import random
import sqlite3
from contextlib import closing

import pytest
from PIL import Image

from support.browser import CODE, SEND, fill, stored

pytestmark = pytest.mark.e2e

# What WebKit does in an ephemeral session (Safari's Private Browsing): IndexedDB
# opens, but a Blob (a File) in a stored value cannot be written.
REFUSE_BLOBS = """
(() => {
  const put = IDBObjectStore.prototype.put;
  const hasBlob = (value, depth = 0) => depth < 6 && value !== null && typeof value === "object"
    && (value instanceof Blob || Object.values(value).some((v) => hasBlob(v, depth + 1)));
  IDBObjectStore.prototype.put = function (value, ...rest) {
    if (hasBlob(value)) throw new DOMException("Error preparing Blob/File data", "DataCloneError");
    return put.call(this, value, ...rest);
  };
})();
"""
# A browser that keeps nothing at all.
REFUSE_INDEXEDDB = """
IDBFactory.prototype.open = function () {
  throw new DOMException("The operation is insecure.", "SecurityError");
};
"""
# A phone whose storage is full.
REFUSE_WRITES = """
IDBObjectStore.prototype.put = function () {
  throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
};
"""
# An upload a slow phone network takes seconds over (Chromium's emulation).
SLOW_UPLOAD = {"offline": False, "latency": 200, "downloadThroughput": 400_000 / 8,
               "uploadThroughput": 400_000 / 8}

# The report's photo as the outbox keeps it in IndexedDB.
STORED_PHOTO = """async () => {
  const db = await new Promise((ok, no) => {
    const open = indexedDB.open("spotcheck-outbox", 1);
    open.onsuccess = () => ok(open.result);
    open.onerror = () => no(open.error);
  });
  const all = await new Promise((ok) => {
    const get = db.transaction("reports").objectStore("reports").getAll();
    get.onsuccess = () => ok(get.result);
  });
  db.close();
  const photo = all[0].fields.find(([name]) => name === "photo")[1];
  return { isBlob: photo instanceof Blob, isBytes: photo.bytes instanceof ArrayBuffer,
           size: photo.bytes ? photo.bytes.byteLength : photo.size, name: photo.name,
           type: photo.type };
}"""


def noisy_jpeg(path, width: int, height: int) -> bytes:
    """A photo that does not compress away: its bytes are its size."""
    rng = random.Random(27)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def stored_photo_size(server, description: str) -> tuple[int, int]:
    with closing(sqlite3.connect(server.instance / "spotcheck.sqlite3")) as conn:
        webp = conn.execute(
            "SELECT webp FROM report_photo JOIN report ON report.id = report_photo.report_id "
            "WHERE description = ?", (description,)).fetchone()[0]
    return Image.open(io.BytesIO(webp)).size


def throttled(context, page, conditions):
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", conditions)
    return cdp


def test_a_photo_waits_as_bytes_where_blobs_are_refused_and_travels_byte_for_byte(
        server, phone, tmp_path):
    photo = tmp_path / "device-photo.jpg"
    original = noisy_jpeg(photo, 320, 240)
    phone.add_init_script(REFUSE_BLOBS)
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    fill(page, "en", "photo kept as bytes")
    page.locator("#photo").set_input_files(str(photo))
    phone.set_offline(True)
    page.get_by_role("button", name=SEND["en"]).click()
    outbox = page.locator("[data-outbox]")
    outbox.get_by_text("is waiting for a connection").wait_for()
    kept = page.evaluate(STORED_PHOTO)
    assert kept == {"isBlob": False, "isBytes": True, "size": len(original),
                    "name": "device-photo.jpg", "type": "image/jpeg"}

    bodies = []
    page.route("**/en/report", lambda route: (bodies.append(route.request.post_data_buffer),
                                              route.continue_()))
    phone.set_offline(False)
    outbox.locator(".receipt-code").wait_for(timeout=15_000)
    assert len(bodies) == 1 and original in bodies[0]  # the photo's bytes, unchanged
    assert stored(server, "photo kept as bytes") == 1
    assert stored_photo_size(server, "photo kept as bytes") == (320, 240)


@pytest.mark.parametrize("refusal", [REFUSE_INDEXEDDB, REFUSE_WRITES], ids=["no-indexeddb", "full"])
def test_when_the_phone_keeps_nothing_she_is_told_at_once_and_her_text_stays(
        server, phone, refusal, tmp_path):
    photo = tmp_path / "device-photo.jpg"
    noisy_jpeg(photo, 64, 48)
    phone.add_init_script(refusal)
    page = phone.new_page()
    page.goto(f"{server.url}/zh-hans/report")
    description = f"nothing kept {len(refusal)}"
    fill(page, "zh-hans", description)
    page.locator("#photo").set_input_files(str(photo))
    phone.set_offline(True)
    page.get_by_role("button", name=SEND["zh-hans"]).click()
    notice = page.locator("[data-storage-failed]")
    notice.wait_for()
    assert "这部手机不让 SpotCheck 保存你的举报" in notice.inner_text()
    assert "你现在没有网络" in notice.inner_text()  # and it sends when the connection returns
    assert page.locator("#description").input_value() == description
    assert page.locator("#photo").evaluate("input => input.files.length") == 1
    assert stored(server, description) == 0

    phone.set_offline(False)  # the open page sends it by itself
    page.locator("#receipt-code").wait_for(timeout=15_000)
    assert stored(server, description) == 1


def test_send_says_sending_with_progress_and_a_double_tap_sends_once(server, phone, tmp_path):
    photo = tmp_path / "big-photo.jpg"
    noisy_jpeg(photo, 700, 520)  # about 250 KB: several seconds at 400 kbit/s
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    fill(page, "en", "sent slowly, once")
    page.locator("#photo").set_input_files(str(photo))
    posts = []
    page.on("request", lambda r: r.method == "POST" and posts.append(r.url))
    throttled(phone, page, SLOW_UPLOAD)
    send = page.locator("form[data-report-form] button[type=submit]")
    send.click()
    page.wait_for_function("() => /Sending the photo: \\d+%/.test("
                           "document.querySelector('[data-send-status]').textContent)")
    assert send.is_disabled()
    assert send.inner_text() == "Sending…"
    assert page.locator("[data-send-status]").get_attribute("role") == "status"
    assert page.locator("[data-send-progress]").is_visible()
    # A second (and third) tap while it sends.
    page.locator("form[data-report-form]").evaluate(
        "f => { f.requestSubmit(); f.requestSubmit(); }")
    page.locator("#receipt-code").wait_for(timeout=60_000)
    assert len(posts) == 1, posts
    assert stored(server, "sent slowly, once") == 1
    # Nothing waits in the outbox after the receipt: the reload sends nothing.
    page.reload()
    page.wait_for_timeout(500)
    assert page.locator("[data-outbox]").is_hidden()
    assert stored(server, "sent slowly, once") == 1


def test_leaving_mid_upload_leaves_it_in_the_outbox_and_it_is_sent_once(server, phone, tmp_path):
    photo = tmp_path / "big-photo.jpg"
    noisy_jpeg(photo, 700, 520)
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    fill(page, "en", "left mid-upload")
    page.locator("#photo").set_input_files(str(photo))
    cdp = throttled(phone, page, SLOW_UPLOAD)
    page.get_by_role("button", name=SEND["en"]).click()
    page.locator("[data-send-progress]").wait_for()
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0,
                                                  "downloadThroughput": -1, "uploadThroughput": -1})
    page.goto(f"{server.url}/en/check/")  # she leaves before the upload ends
    outbox = page.locator("[data-outbox]")
    outbox.get_by_text("Your report was sent").wait_for(timeout=15_000)
    assert CODE.search(outbox.inner_text())
    assert stored(server, "left mid-upload") == 1
    page.reload()
    page.wait_for_timeout(500)
    assert stored(server, "left mid-upload") == 1


def test_an_outbox_receipt_can_be_kept_its_status_seen_and_removing_asks_first(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    fill(page, "en", "receipt via the outbox")
    phone.set_offline(True)
    page.get_by_role("button", name=SEND["en"]).click()
    outbox = page.locator("[data-outbox]")
    outbox.get_by_text("is waiting for a connection").wait_for()
    phone.set_offline(False)
    outbox.locator(".receipt-code").wait_for(timeout=15_000)
    code = outbox.locator(".receipt-code").inner_text()

    # Removing asks first; "no" keeps it.
    questions = []

    def answer_no(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", answer_no)
    outbox.get_by_role("button", name="Remove from this phone").click()
    page.wait_for_timeout(300)
    assert questions and "cannot be shown again" in questions[0]
    assert outbox.locator(".receipt-code").inner_text() == code

    # Its status, as from the online receipt (a POST: the code never goes in a URL).
    outbox.get_by_role("button", name="Show its status").click()
    page.locator(".status-line").wait_for()
    assert "Received." in page.locator(".status-line").inner_text()
    assert code not in page.url

    # Kept on this phone: listed on the status page, and no longer in the banner.
    page.goto(f"{server.url}/en/report")
    outbox.get_by_role("button", name="Keep it on this phone").click()
    outbox.get_by_text("A kept code is listed on the status page").wait_for()
    assert outbox.locator(".receipt-code").count() == 0
    page.goto(f"{server.url}/en/report/status")
    page.locator("[data-kept-receipts]").wait_for()
    assert page.locator("[data-kept-receipts] .receipt-code").inner_text() == code
    page.wait_for_timeout(300)
    assert page.locator("[data-outbox]").is_hidden()
    page.once("dialog", lambda dialog: dialog.accept())
    kept = page.locator("[data-kept-receipts]")
    kept.get_by_role("button", name="Remove from this phone").click()
    page.locator("[data-kept-receipts]").wait_for(state="hidden")


def test_an_unkept_outbox_receipt_leaves_other_pages_after_its_day(server, phone):
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    fill(page, "en", "receipt from yesterday")
    phone.set_offline(True)
    page.get_by_role("button", name=SEND["en"]).click()
    outbox = page.locator("[data-outbox]")
    # In the outbox before she is back online: online sooner, the page sends it
    # itself and the receipt is the form's, not the outbox's.
    outbox.get_by_text("is waiting for a connection").wait_for()
    phone.set_offline(False)
    outbox.locator(".receipt-code").wait_for(timeout=15_000)
    page.goto(f"{server.url}/en/check/")
    outbox.locator(".receipt-code").wait_for()  # on every page, the day it arrived
    page.evaluate("""async () => {
      const db = await new Promise((ok) => {
        const open = indexedDB.open("spotcheck-outbox", 1);
        open.onsuccess = () => ok(open.result);
      });
      const store = db.transaction("receipts", "readwrite").objectStore("receipts");
      await new Promise((ok) => { store.getAll().onsuccess = (e) => {
        for (const r of e.target.result) store.put({ ...r, arrived: "2000-01-01" });
        store.transaction.oncomplete = ok; }; });
    }""")
    page.goto(f"{server.url}/en/check/")
    page.wait_for_timeout(500)
    assert outbox.is_hidden()  # not on every page for ever...
    page.goto(f"{server.url}/en/report/status")
    outbox.locator(".receipt-code").wait_for()  # ...but still where reports are


def test_online_but_unkept_a_lost_send_offers_send_now_and_lands_once(server, phone):
    phone.add_init_script(REFUSE_INDEXEDDB)
    page = phone.new_page()
    page.goto(f"{server.url}/en/report")
    fill(page, "en", "sent now, not kept")
    page.route("**/en/report", lambda route: route.abort("connectionreset")
               if route.request.method == "POST" else route.continue_())
    page.get_by_role("button", name=SEND["en"]).click()
    notice = page.locator("[data-storage-failed]")
    notice.wait_for()
    assert page.locator("#description").input_value() == "sent now, not kept"
    assert notice.get_by_text("You are offline").is_hidden()  # she is online: she may send now
    page.unroute("**/en/report")
    notice.get_by_role("button", name="Send it now").click()
    page.locator("#receipt-code").wait_for(timeout=15_000)
    assert stored(server, "sent now, not kept") == 1
