"""The takedown kit's letter writer in Chromium, Firefox and WebKit (Safari's engine,
every iPhone's), on her page in Chinese (issue 30, items 3 and 4): the Telegram
letter in English with the same letter in Chinese beside it, holding her two links
and nothing of her she did not type; the copy button; the e-mail link carrying the
letter; bad input named in Chinese beside its field, nothing she typed cleared; and
no request leaving the page with either link.

How "no request carries a link" is proven alike in all three engines: the page is
served by this module's own server (the app, in this process), whose WSGI layer keeps
every request it is asked for whole (method, path, query string, headers, body), the
service worker's fetches included. Not a request interceptor: WebKitWebDriver speaks
classic WebDriver only, with no way to watch the network. Not the suite's gunicorn
log: it keeps method and path, never the query string or a body (docs/privacy.md).
Not Resource Timing alone: it has no bodies and misses the worker's fetches. It is
read as well, for the requests to other hosts this server cannot see: every entry
the page made must be on this server (the CSP blocks the rest before they leave, and
has no report address that could carry a blocked URL out). A sendBeacon of the
links, tried once, failed this test in all three engines.
"""

import io
import os
import re
import shutil
import threading
import urllib.parse
from contextlib import ExitStack

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.config import SECRET_KEY_FILE
from helpers import TEST_CONFIG
from support.engines import wait_until

pytestmark = pytest.mark.e2e

# As she copies them from the app: one whole, one from the share sheet without https://.
LINKS = ("https://t.me/c/1874/2291", "t.me/maskpark_leaks/77")
WHOLE = ("https://t.me/c/1874/2291", "https://t.me/maskpark_leaks/77")
FOUND = "2026-12-01"
FOOTAGE = "me in a hotel bathroom, filmed from the ceiling"
# Telegram is a TAKE IT DOWN Act platform: it needs her name and a way to reach her.
NAME = "Lin Xiaoyu"
CONTACT = "she-writes@example.org"
NOT_A_LINK = "我的视频在群里"


class Recorder:
    """The app, each request it is asked for kept whole first."""

    def __init__(self, app):
        self.app = app
        self.seen: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        headers = " ".join(f"{k}={v}" for k, v in environ.items()
                           if k.startswith("HTTP_") or k in ("CONTENT_TYPE",))
        with self.lock:
            self.seen.append(" ".join([environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""),
                                      environ.get("QUERY_STRING", ""), headers,
                                      body.decode("latin-1")]))
        return self.app(environ, start_response)


class _Quiet(WSGIRequestHandler):
    def log(self, *args: object) -> None:  # no client address written anywhere
        pass


@pytest.fixture(scope="module")
def kit(tmp_path_factory, migrated_database):
    """The app with its real destinations (Telegram among them), on a loopback port,
    every request kept in `kit.seen`."""
    instance = tmp_path_factory.mktemp("letters") / "instance"
    instance.mkdir(mode=0o700)
    shutil.copyfile(migrated_database, instance / "spotcheck.sqlite3")
    (instance / SECRET_KEY_FILE).write_text(os.urandom(32).hex())
    with ExitStack() as stack:
        patch = stack.enter_context(pytest.MonkeyPatch.context())
        patch.setenv("SPOTCHECK_INSTANCE_PATH", str(instance))
        recorder = Recorder(create_app(TEST_CONFIG))
        server = make_server("127.0.0.1", 0, recorder, threaded=True, request_handler=_Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        recorder.url = f"http://127.0.0.1:{server.server_port}"
        yield recorder
        server.shutdown()
        thread.join()


def value_of(driver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).get_property("value")


def text_of(driver, selector: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, selector).get_property("textContent")


def set_day(driver, day: str) -> None:
    """The day she found them. A date field's picker differs in each engine (WebKitGTK's
    takes no keys), so its value is set as the picker sets it, with its events."""
    driver.execute_script("""
        const found = document.getElementById('td-found');
        found.value = arguments[0];
        found.dispatchEvent(new Event('input', { bubbles: true }));
        found.dispatchEvent(new Event('change', { bubbles: true }));""", day)


def retype(driver, element_id: str, text: str) -> None:
    field = driver.find_element(By.ID, element_id)
    field.clear()
    # A new line in a textarea is Shift+Enter nowhere and Enter everywhere.
    for i, line in enumerate(text.split("\n")):
        if i:
            field.send_keys(Keys.ENTER)
        field.send_keys(line)


def write(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "[data-td-form] button[type=submit]").click()


ERROR_SHOWN = """
    const error = document.getElementById(arguments[0] + '-error');
    return error && !error.hidden && error.textContent.trim() ? error.textContent : null;"""


def test_the_telegram_letter_in_english_beside_chinese_and_nothing_leaves(kit, driver, engine):
    kit.seen.clear()
    driver.get(f"{kit.url}/zh-hans/takedown")
    wait_until(driver, "return document.querySelector('#td-to') !== null", seconds=15)
    driver.find_element(By.CSS_SELECTOR, "#td-to option[value=telegram]").click()
    assert value_of(driver, "td-to") == "telegram"
    retype(driver, "td-links", "\n".join(LINKS))
    set_day(driver, FOUND)
    driver.find_element(By.ID, "td-footage").send_keys(FOOTAGE)
    driver.find_element(By.ID, "td-name").send_keys(NAME)
    driver.find_element(By.ID, "td-contact").send_keys(CONTACT)
    write(driver)
    wait_until(driver, "return !document.querySelector('[data-td-letter]').hidden")

    # In English, for Telegram; the same letter in her Chinese beside it.
    letter = text_of(driver, "#td-letter-text")
    send = driver.find_element(By.CSS_SELECTOR, "[data-td-send]")
    assert send.get_attribute("lang") == "en"
    assert letter.startswith("Hello,") and "Please remove them" in letter
    assert not re.search(r"[\u4e00-\u9fff]", letter), letter
    beside = text_of(driver, "[data-td-beside-text]")
    assert driver.find_element(By.CSS_SELECTOR, "[data-td-beside]").get_attribute(
        "lang") == "zh-Hans"
    assert driver.find_element(By.CSS_SELECTOR, "[data-td-beside]").is_displayed()
    assert beside.startswith("您好") and all(link in beside for link in WHOLE), beside
    # Both links, made whole, with her day; what she wrote; nothing she did not.
    for link in WHOLE:
        assert f"{link} (found on {FOUND})" in letter
    assert f"What they show: {FOOTAGE}" in letter
    assert f"My name: {NAME}" in letter and f"How to reach me: {CONTACT}" in letter
    assert "Telegram's Terms of Service" in letter and "TAKE IT DOWN Act" in letter
    assert "The law in" not in letter  # no region chosen: no law line
    others = letter
    for hers in (*WHOLE, FOUND, FOOTAGE, NAME, CONTACT):
        others = others.replace(hers, "")
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w|https?://|\+?\d[\d ()-]{6,}", others), others

    # The e-mail: to Telegram, the subject and the letter whole once decoded.
    href = driver.find_element(By.CSS_SELECTOR, "[data-td-mailto]").get_attribute("href")
    address, _, query = href.partition("?")
    assert address == "mailto:abuse@telegram.org"
    fields = dict(part.split("=", 1) for part in query.split("&"))
    assert set(fields) == {"subject", "body"}
    assert urllib.parse.unquote(fields["body"]) == letter
    assert urllib.parse.unquote(fields["subject"]) == text_of(driver, "#td-subject")

    copy_letter(driver, engine, letter)

    # Nothing of what she typed went anywhere: every request the server was asked
    # for (the page's, letters.json, the worker's), and every one the page made.
    secrets = {*LINKS, *WHOLE, "1874/2291", "maskpark_leaks", FOOTAGE, NAME, CONTACT}
    wanted = {variant for secret in secrets for variant in (
        secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret))}
    assert any("/zh-hans/takedown/letters.json" in seen for seen in kit.seen), kit.seen
    for seen in kit.seen:
        assert not [w for w in wanted if w in seen], seen
    elsewhere = driver.execute_script("""
        return performance.getEntriesByType('resource').map((e) => e.name)
            .filter((url) => new URL(url).origin !== location.origin);""")
    assert elsewhere == []


def copy_letter(driver, engine, letter):
    """Copy the letter with its button and paste it. All three engines let a page
    write the clipboard under WebDriver after a click (December 2026), and copy.js
    has no fallback to show but the letter already on screen (a refused copy leaves
    the button as it was): so the copy itself is asserted, and fails if refused."""
    button = driver.find_element(By.CSS_SELECTOR, "[data-copy='#td-letter-text']")
    if not button.is_displayed():
        pytest.fail(f"{engine}: no copy button")
    button.click()
    outcome = wait_until(driver, """
        const b = document.querySelector("[data-copy='#td-letter-text']");
        return b.textContent !== b.dataset.label ? b.textContent : null;""", seconds=5)
    assert outcome == button.get_attribute("data-copied") == "信已复制", (engine, outcome)
    # Pasted with Ctrl+V into an empty field made for it, as into a platform's form.
    driver.execute_script("""
        const box = document.createElement('textarea');
        box.id = 'pasted-here';
        document.body.append(box);""")
    box = driver.find_element(By.ID, "pasted-here")
    box.send_keys(Keys.CONTROL, "v")
    assert wait_until(driver, "return document.getElementById('pasted-here').value;",
                      seconds=5) == letter.strip()
    driver.execute_script("document.getElementById('pasted-here').remove();")


def test_bad_input_is_named_in_chinese_and_nothing_she_typed_is_cleared(kit, driver, engine):
    driver.get(f"{kit.url}/zh-hans/takedown")
    wait_until(driver, "return document.querySelector('#td-to') !== null", seconds=15)
    driver.find_element(By.CSS_SELECTOR, "#td-to option[value=telegram]").click()
    typed = f"{LINKS[0]}\n{NOT_A_LINK}"
    retype(driver, "td-links", typed)
    set_day(driver, FOUND)
    driver.find_element(By.ID, "td-footage").send_keys(FOOTAGE)
    driver.find_element(By.ID, "td-name").send_keys(NAME)
    driver.find_element(By.ID, "td-contact").send_keys(CONTACT)

    def kept(links: str, day: str) -> None:
        assert [value_of(driver, i) for i in ("td-to", "td-links", "td-found", "td-footage",
                                              "td-name", "td-contact")] == [
            "telegram", links, day, FOOTAGE, NAME, CONTACT]
        assert not driver.find_element(By.CSS_SELECTOR, "[data-td-letter]").is_displayed()

    def refused(field: str) -> str:
        """Its error, shown beside it, tied to it, and the field focused."""
        message = wait_until(driver, ERROR_SHOWN, field)
        element = driver.find_element(By.ID, field)
        assert element.get_attribute("aria-invalid") == "true"
        assert f"{field}-error" in element.get_attribute("aria-describedby").split()
        assert driver.execute_script("return document.activeElement.id") == field
        return message

    # A link that is not a link: its line named, in Chinese, with what she wrote.
    write(driver)
    message = refused("td-links")
    assert "第 2 行不是链接" in message and NOT_A_LINK in message, message
    kept(typed, FOUND)

    # A day after today: the field named by its Chinese label, the links' error gone.
    retype(driver, "td-links", "\n".join(LINKS))
    set_day(driver, "2099-01-01")
    write(driver)
    message = refused("td-found")
    label = driver.find_element(By.CSS_SELECTOR, "label[for=td-found]").text
    assert label == "发现日期" and message.startswith(label) and "不能晚于今天" in message
    assert not driver.find_element(By.ID, "td-links-error").is_displayed()
    assert driver.find_element(By.ID, "td-links").get_attribute("aria-invalid") is None
    kept("\n".join(LINKS), "2099-01-01")

    # Put right, the letter is written from all she kept.
    set_day(driver, FOUND)
    write(driver)
    wait_until(driver, "return !document.querySelector('[data-td-letter]').hidden")
    assert not driver.find_element(By.ID, "td-found-error").is_displayed()
    letter = text_of(driver, "#td-letter-text")
    assert all(f"{link} (found on {FOUND})" in letter for link in WHOLE), letter
