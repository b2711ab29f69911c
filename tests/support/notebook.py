"""The evidence notebook's browser tests' shared steps (tests/notebook/): what she
writes in an entry, how the page's IndexedDB is read back, and the check that none of
it left the phone."""

import base64
import json
from urllib.parse import unquote_plus

FOUND = "A black box with a pinhole above the mirror, cubicle 3"
PLACE = "Harbour View Hotel, room 1207"
TOLD = "Told the duty manager Mr Chan at 02:30; he said he would call security"
NUMBER = "RN-2026-0042871"
LINK = "https://t.me/some-channel/1234 seen 2026-12-05"
TEXTS = [FOUND, PLACE, TOLD, NUMBER, LINK]
READ_BACK = """async () => {
    const db = await new Promise((ok, no) => {
        const open = indexedDB.open("spotcheck-notebook");
        open.onsuccess = () => ok(open.result);
        open.onerror = () => no(open.error);
    });
    const all = (store) => new Promise((ok) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => ok(r.result);
    });
    const entries = await all("entries");
    const files = (await all("files")).map((f) => {
        const bytes = new Uint8Array(f.bytes);
        let text = "";
        for (let i = 0; i < bytes.length; i += 0x8000)
            text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return { id: f.id, entryId: f.entryId, isBuffer: f.bytes instanceof ArrayBuffer,
                 base64: btoa(text) };
    });
    db.close();
    return { entries, files };
}"""


def add_entry(page, photo):
    page.get_by_role("button", name="New entry").click()
    page.locator("[data-nb-files]").set_input_files(str(photo))
    page.locator("[data-nb-file] .nb-hash").wait_for()
    page.get_by_label("What you found").fill(FOUND)
    page.locator("#nb-place").fill(PLACE)
    page.get_by_role("button", name="Use my location").click()
    page.get_by_text("It stays in this entry on this phone").wait_for()
    page.locator("#nb-happened").fill("2026-12-06T02:14")
    page.get_by_label("The venue: staff, manager or host").fill(TOLD)
    page.get_by_label("Your region").select_option("hk")
    page.get_by_label("The report’s number").fill(NUMBER)
    page.get_by_label("Links to posts, channel names and dates").fill(LINK)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved on this phone.").wait_for()


def assert_nothing_of_hers_sent(sent, photo_bytes, digest, allowed_stamps=0):
    chunk = photo_bytes[5000:5048]  # any 48 bytes of the photo would do
    needles = [t.encode() for t in TEXTS] + [digest.encode(), chunk,
                                            base64.b64encode(chunk)[:40], b"22.2793", b"114.1628"]
    stamps = 0
    for method, url, headers, body in sent:
        # As sent, and as a server would read it back (percent-encoding, JSON escapes).
        text = url + json.dumps(headers, ensure_ascii=False) + body.decode("latin-1")
        where = b"\n".join(form.encode("utf-8", "surrogateescape") for form in (
            text, unquote_plus(text), unquote_plus(body.decode("utf-8", "replace")),
            json.dumps(text)))
        where += body
        if url.endswith("/api/v1/timestamp") and method == "POST":
            stamps += 1
            assert json.loads(body) == {"sha256": digest}  # the hash and nothing else
            continue
        for needle in needles:
            assert needle not in where, (needle[:40], method, url)
    assert stamps == allowed_stamps
