"""The evidence notebook in a private window of Chromium, Firefox and WebKit (issue 29):
an entry with a phone's JPEG is kept byte for byte, or she is told at once that the
browser keeps nothing; a timestamp's signature is checked on the phone where the
engine's WebCrypto has Ed25519, and kept to be checked later where it has not."""

import base64
import hashlib
import json
import urllib.request

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from selenium.webdriver.common.by import By

from support.engines import open_notebook, wait_until
from support.phone_photo import phone_jpeg

pytestmark = pytest.mark.e2e

SESSION = {"private": True}

READ_BACK = """
    const done = arguments[arguments.length - 1];
    const open = indexedDB.open("spotcheck-notebook");
    open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction(["entries", "files"]);
        const entries = tx.objectStore("entries").getAll();
        const files = tx.objectStore("files").getAll();
        tx.oncomplete = () => {
            const bytes = new Uint8Array(files.result[0].bytes);
            let text = "";
            for (let i = 0; i < bytes.length; i += 0x8000)
                text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
            done({ entry: entries.result[0], count: files.result.length, base64: btoa(text) });
        };
    };
    open.onerror = () => done(null);
"""
# Saved, or an alert that says it was not.
SAVED_OR_TOLD = """
    const status = document.querySelector('[data-nb-entry-status]').textContent;
    if (status.includes('Saved on this phone')) return 'saved';
    if (status.includes('could not be saved')) return 'told';
    const failed = document.querySelector('[data-nb-failed]');
    return failed && !failed.hidden ? 'told' : null;
"""


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    path = tmp_path_factory.mktemp("notebook") / "IMG_0001.jpg"
    path.write_bytes(phone_jpeg())
    return path


def test_an_entry_is_kept_byte_for_byte_or_she_is_told(live, driver, engine, photo):
    original = photo.read_bytes()
    digest = hashlib.sha256(original).hexdigest()
    open_notebook(driver, f"{live.url}/en/notebook", engine)
    driver.find_element(By.CSS_SELECTOR, "[data-nb-new]").click()
    driver.find_element(By.CSS_SELECTOR, "[data-nb-files]").send_keys(str(photo))
    shown = wait_until(driver, "const h = document.querySelector('[data-nb-file] .nb-hash');"
                               " return h && h.textContent;", seconds=30)
    assert shown.replace(" ", "") == digest
    driver.find_element(By.ID, "nb-found").send_keys(f"found in {engine}")

    driver.find_element(By.CSS_SELECTOR, "[data-nb-stamp]").click()
    said = wait_until(driver, "return document.querySelector('[data-nb-stamp-result]')"
                              ".textContent.match(/valid\\.|checked later|did not/)", seconds=15)
    assert "did not" not in said[0], said  # valid, or kept to be checked later

    driver.find_element(By.CSS_SELECTOR, "[data-nb-save]").click()
    outcome = wait_until(driver, SAVED_OR_TOLD, seconds=15)
    if outcome == "told":
        return  # she knows, and the entry is still on the screen
    kept = driver.execute_async_script(READ_BACK)
    assert kept["count"] == 1 and base64.b64decode(kept["base64"]) == original
    assert kept["entry"]["found"] == f"found in {engine}"
    stamp = kept["entry"]["files"][0]["timestamp"]
    assert stamp["sha256"] == digest and stamp["verified"] in (True, None)
    with urllib.request.urlopen(f"{live.url}/api/v1/timestamp/key") as response:
        key = json.load(response)
    Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"])).verify(
        base64.b64decode(stamp["signature"]),
        f"spotcheck-timestamp-v1 {digest} {stamp['time']}".encode())
