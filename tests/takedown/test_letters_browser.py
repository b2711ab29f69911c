"""The takedown kit's letters and tracker in Chromium (issue 30, items 3 to 5): the
letter written on the phone in the destination's language, nothing she types sent
anywhere, bad input named beside its field, the tracker kept offline."""

import csv
import io
import json
import re
import time
import zipfile

import pytest
from playwright.sync_api import expect

from support.browser import PHONE, WATCH_CSP, wait_for_worker

pytestmark = pytest.mark.e2e

LINKS = ("https://t.me/c/1874/2291", "t.me/maskpark_leaks/77")
WHOLE = ("https://t.me/c/1874/2291", "https://t.me/maskpark_leaks/77")
FOOTAGE = "me in a hotel bathroom, filmed from the ceiling"
CONTACT = "she-writes@example.org"
# Words of a letter to a platform the US TAKE IT DOWN Act covers, only there.
ACT = "TAKE IT DOWN Act"


@pytest.fixture
def watched(browser):
    """A phone without a service worker, so every request the page makes reaches
    page.route; each is kept whole (method, URL, headers, body)."""
    context = browser.new_context(**PHONE, service_workers="block",
                                  permissions=["clipboard-read", "clipboard-write"])
    context.add_init_script(WATCH_CSP)
    context.sent = []
    yield context
    context.close()


def route_everything(page, sent):
    def keep(route):
        request = route.request
        sent.append((request.method, request.url, request.all_headers(),
                     request.post_data_buffer or b""))
        route.continue_()
    page.route("**/*", keep)


def write_letter(page, to, links=LINKS, found="2026-12-01", footage=FOOTAGE, contact=""):
    page.locator("#td-to").select_option(to)
    page.locator("#td-links").fill("\n".join(links))
    page.locator("#td-found").fill(found)
    page.locator("#td-footage").fill(footage)
    if contact:
        page.locator("#td-contact").fill(contact)
    page.get_by_role("button", name="Write the letter").click()


def test_the_telegram_letter_is_english_and_nothing_she_types_leaves(kit_server, watched):
    page = watched.new_page()
    route_everything(page, watched.sent)
    page.goto(f"{kit_server.url}/zh-hans/takedown")
    # Her page is in Simplified Chinese; the letter to Telegram is in English.
    page.locator("#td-to").select_option("telegram")
    page.locator("#td-links").fill("\n".join(LINKS))
    page.locator("#td-found").fill("2026-12-01")
    page.locator("#td-footage").fill(FOOTAGE)
    page.locator("#td-contact").fill(CONTACT)
    page.locator("[data-td-form] button[type=submit]").click()

    sent_text = page.locator("#td-letter-text")
    expect(sent_text).to_be_visible()
    letter = sent_text.inner_text()
    assert page.locator("[data-td-send]").get_attribute("lang") == "en"
    assert letter.startswith("Hello,") and "Please remove them" in letter
    assert not re.search(r"[\u4e00-\u9fff]", letter), letter  # English only
    for link in WHOLE:
        assert f"{link} (found on 2026-12-01)" in letter
    assert f"What they show: {FOOTAGE}" in letter
    assert "Telegram's Terms of Service" in letter
    # What she gave, and nothing she did not: no name line, no law line, not the Act.
    assert f"How to reach me: {CONTACT}" in letter
    assert "My name" not in letter and "The law in" not in letter and ACT not in letter
    assert page.locator("#td-subject").inner_text() == (
        "Request to remove intimate images of me posted without my consent")
    # Beside it, the same letter in her language.
    beside = page.locator("[data-td-beside-text]").inner_text()
    assert "您好" in beside and all(link in beside for link in WHOLE)
    # The e-mail: to Telegram's address, subject and body encoded, opened by her.
    href = page.locator("[data-td-mailto]").get_attribute("href")
    assert href.startswith("mailto:abuse@telegram.org?subject=Request%20to%20remove")
    assert "https%3A%2F%2Ft.me%2Fmaskpark_leaks%2F77" in href

    page.locator("[data-copy='#td-letter-text']").click()
    expect(page.locator("[data-copy='#td-letter-text']")).not_to_have_text(
        page.locator("[data-copy='#td-letter-text']").get_attribute("data-label"))
    assert page.evaluate("navigator.clipboard.readText()") == letter

    page.locator("[data-td-track]").click()
    items = page.locator("[data-td-list] li")
    expect(items).to_have_count(2)
    assert sorted(items.locator(".td-link").all_inner_texts()) == sorted(WHOLE)

    assert page.evaluate("window.__cspViolations") == []

    # Nothing she typed went anywhere: not the links (whole, bare or encoded), not
    # what she wrote, not her address.
    assert watched.sent, "the page's own requests were seen"
    # The letters' text came as one file the same for everyone: asked for with no
    # query and no body, before she typed anything and after.
    asked = [(m, url, body) for m, url, _, body in watched.sent if "/letters.json" in url]
    assert asked == [("GET", f"{kit_server.url}/zh-hans/takedown/letters.json", b"")], asked
    secrets = [*LINKS, *WHOLE, "1874/2291", "maskpark_leaks", FOOTAGE, CONTACT, "she-writes"]
    for method, url, headers, body in watched.sent:
        blob = " ".join([method, url, *headers.values(), body.decode("latin-1")])
        for secret in secrets:
            variants = {secret, secret.replace("/", "%2F"), secret.replace(" ", "%20"),
                        secret.replace(" ", "+")}
            assert not any(v in blob for v in variants), (secret, url)


def test_her_region_law_is_chosen_and_the_letters_by_hand_are_a_link_away(kit_server, watched):
    page = watched.new_page()
    page.goto(f"{kit_server.url}/en/takedown?region=tw")
    # The writer came with letters.json, her region's law chosen in it.
    expect(page.locator("#td-law")).to_have_value("tw")
    assert page.locator("[data-td-nojs]").is_hidden()
    # Without JavaScript: no writer, and the letters with blanks one link away.
    context = watched.browser.new_context(**PHONE, java_script_enabled=False)
    try:
        bare = context.new_page()
        bare.goto(f"{kit_server.url}/en/takedown")
        assert bare.locator("#td-to").count() == 0
        bare.locator("[data-td-nojs] a").click()
        bare.locator("summary", has_text="The letter in English").click()
        expect(bare.locator(".td-blank pre").first).to_contain_text("[link] (found on")
    finally:
        context.close()


def test_the_act_paragraph_only_for_a_covered_platform(kit_server, watched):
    page = watched.new_page()
    page.goto(f"{kit_server.url}/en/takedown")
    write_letter(page, "x")
    letter = page.locator("#td-letter-text").inner_text()
    assert ACT in letter and "within 48 hours" in letter
    assert page.locator("[data-td-mailto]").is_hidden()  # X has a form, no address
    assert page.locator("[data-td-open-form]").get_attribute("href") == "https://help.x.com/forms/intimate-media"
    write_letter(page, "telegram")
    assert ACT not in page.locator("#td-letter-text").inner_text()
    # To Weibo in Simplified Chinese, with the law of the region she chose.
    page.locator("#td-law").select_option("hk")
    write_letter(page, "weibo")
    letter = page.locator("#td-letter-text").inner_text()
    assert page.locator("[data-td-send]").get_attribute("lang") == "zh-Hans"
    assert letter.startswith("您好") and "中国香港" in letter and "《微博社区公约》" in letter
    assert "The law in Hong Kong" in page.locator("[data-td-beside-text]").inner_text()


ZH_ERRORS = {
    "not-link": "第 2 行不是链接",
    "future": "不能晚于今天",
    "empty": "请至少写一个链接",
}


def test_bad_input_is_named_in_her_language_and_kept(kit_server, watched):
    page = watched.new_page()
    page.goto(f"{kit_server.url}/zh-hans/takedown")
    page.locator("#td-to").select_option("telegram")
    page.locator("#td-footage").fill(FOOTAGE)
    submit = page.locator("[data-td-form] button[type=submit]")
    links = page.locator("#td-links")
    found = page.locator("#td-found")

    # An empty letter: no link.
    submit.click()
    expect(page.locator("#td-links-error")).to_contain_text(ZH_ERRORS["empty"])
    expect(links).to_be_focused()
    assert links.get_attribute("aria-invalid") == "true"
    assert "td-links-error" in links.get_attribute("aria-describedby")
    assert page.locator("[data-td-letter]").is_hidden()

    # A link that is not one: named by its line, what she typed kept.
    typed = "https://t.me/c/1874/2291\n我的视频在群里"
    links.fill(typed)
    submit.click()
    expect(page.locator("#td-links-error")).to_contain_text(ZH_ERRORS["not-link"])
    expect(page.locator("#td-links-error")).to_contain_text("我的视频在群里")
    expect(links).to_be_focused()
    assert links.input_value() == typed

    # A day after today.
    links.fill("\n".join(LINKS))
    found.fill("2099-01-01")
    submit.click()
    expect(page.locator("#td-found-error")).to_contain_text(ZH_ERRORS["future"])
    expect(found).to_be_focused()
    assert found.get_attribute("aria-invalid") == "true"
    assert page.locator("#td-links-error").is_hidden()
    assert links.get_attribute("aria-invalid") is None
    kept = (found.input_value(), links.input_value(), page.locator("#td-footage").input_value())
    assert kept == ("2099-01-01", "\n".join(LINKS), FOOTAGE)

    # A link's own day after today: named by its line.
    found.fill("2026-12-01")
    links.fill(f"{LINKS[0]}\n{LINKS[1]} 2099-01-01")
    submit.click()
    expect(page.locator("#td-links-error")).to_contain_text("第 2 行的日期晚于今天：2099-01-01")
    expect(links).to_be_focused()
    assert page.locator("#td-found-error").is_hidden()

    links.fill(f"{LINKS[0]}\n{LINKS[1]} 2026-11-30")
    submit.click()
    expect(page.locator("#td-letter-text")).to_contain_text(f"{WHOLE[1]} (found on 2026-11-30)")
    assert page.locator("#td-found-error").is_hidden()
    assert found.get_attribute("aria-invalid") is None


KIT_KEPT = """async (only) => {
    for (const name of await caches.keys()) {
      if (only && name !== only) continue;
      const cache = await caches.open(name);
      const all = await Promise.all(kit.map((url) => cache.match(url)));
      if (all.every(Boolean)) return true;
    }
    return false;
}"""


def wait_for_kit(page, kept: bool, cache: str = "", seconds: float = 30) -> None:
    """Until a worker's cache (or `cache`) holds the kit's page and scripts (kept), or
    none does. (page.evaluate awaits the promise; wait_for_function would not.)"""
    deadline = time.monotonic() + seconds
    script = KIT_KEPT.replace("kit.map", "['/en/takedown', ...[...document.querySelectorAll("
                              "'script[src*=takedown], link[rel=modulepreload][href*=takedown],"
                              " link[rel=stylesheet][href*=takedown]')].map("
                              "(e) => e.getAttribute('src') || e.getAttribute('href'))].map")
    while page.evaluate(script, cache) != kept:
        assert time.monotonic() < deadline, f"the kit is {'not ' if kept else ''}kept"
        time.sleep(0.1)


def test_the_tracker_keeps_the_links_offline(kit_server, browser):
    context = browser.new_context(**PHONE, service_workers="allow")
    try:
        page = context.new_page()
        page.goto(f"{kit_server.url}/en/takedown")
        wait_for_worker(page)
        write_letter(page, "telegram")
        page.get_by_role("button", name="I sent it: track these links").click()
        expect(page.locator("[data-td-list] li")).to_have_count(2)
        # The worker keeps the kit once a link is tracked.
        wait_for_kit(page, kept=True)

        # A deploy: the new worker's install keeps the kit, as it keeps her languages.
        kit_server.flask_app.extensions["spotcheck_precache_version"] = "next-deploy"
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        wait_for_kit(page, kept=True, cache="spotcheck-next-deploy")

        context.set_offline(True)
        page.reload()
        items = page.locator("[data-td-list] li")
        expect(items).to_have_count(2)
        assert sorted(items.locator(".td-link").all_inner_texts()) == sorted(WHOLE)
        # Still usable offline: a state changed, a letter written.
        items.first.locator("select").select_option("removed")
        expect(page.locator("[data-td-tracker-status]")).to_have_text("Kept on this phone.")
        write_letter(page, "x")
        expect(page.locator("#td-letter-text")).to_contain_text(ACT)

        # Emptied, the tracker lets the worker drop the kit.
        context.set_offline(False)
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Delete the tracker").click()
        expect(page.locator("[data-td-list] li")).to_have_count(0)
        wait_for_kit(page, kept=False)
    finally:
        context.close()


# How many links the tracker holds, read from IndexedDB (page.evaluate awaits it).
TRACKED = """() => new Promise((resolve) => {
    const open = indexedDB.open('spotcheck-takedown', 1);
    open.onsuccess = () => {
      const r = open.result.transaction('links').objectStore('links').count();
      r.onsuccess = () => { open.result.close(); resolve(r.result); };
    };
})"""


def test_the_tracker_by_hand_goes_into_the_notebook_export_and_its_deletion(kit_server, watched):
    page = watched.new_page()
    page.goto(f"{kit_server.url}/en/takedown")
    page.get_by_text("Add a link by hand").click()
    link = page.locator("#td-add-link")
    # Refused, named beside the field, kept as typed.
    link.fill("my video in the group")
    page.get_by_role("button", name="Add to the tracker").click()
    expect(page.locator("#td-add-link-error")).to_have_text(re.compile("This is not a link"))
    expect(link).to_be_focused()
    assert link.input_value() == "my video in the group"
    for typed, to in ((LINKS[1], "telegram"), ("https://pornsite.example/v/8812", "")):
        link.fill(typed)
        page.locator("#td-add-to").select_option(to)
        page.locator("#td-add-date").fill("2026-12-02")
        page.get_by_role("button", name="Add to the tracker").click()
        expect(link).to_have_value("")
    items = page.locator("[data-td-list] li")
    expect(items).to_have_count(2)
    expect(items.filter(has_text="pornsite")).to_contain_text(
        "Reported to Somewhere else on 2026-12-02")
    telegram = items.filter(has_text="maskpark")
    telegram.locator("select").select_option("back")
    expect(page.locator("[data-td-tracker-status]")).to_have_text("Kept on this phone.")
    # Back again: a new letter for it, added to what she had typed.
    page.locator("#td-links").fill("https://t.me/c/1/1")
    telegram.get_by_role("button", name="Write a letter for it again").click()
    assert page.locator("#td-to").input_value() == "telegram"
    expect(page.locator("#td-links")).to_have_value(f"https://t.me/c/1/1\n{WHOLE[1]}")
    expect(page.locator("#td-links")).to_be_focused()
    elsewhere = items.filter(has_text="pornsite")
    assert elsewhere.get_by_role("button", name="Write a letter").is_hidden()

    page.goto(f"{kit_server.url}/en/notebook")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export everything (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    kept = json.loads(archive.read("takedown-tracker.json"))
    assert kept["format"] == "spotcheck-takedown-tracker-v1"
    by_link = {r["link"]: r for r in kept["links"]}
    assert set(by_link) == {WHOLE[1], "https://pornsite.example/v/8812"}
    telegram_kept = by_link[WHOLE[1]]
    assert [telegram_kept[k] for k in ("destination", "where", "state", "reported")] == [
        "telegram", "Telegram", "back", "2026-12-02"]
    assert kept["language"] == "en" and kept["state_labels"]["back"] == "Back again"
    rows = list(csv.reader(io.StringIO(archive.read("takedown-tracker.csv").decode("utf-8-sig"))))
    # The kit's own words, as on its page (the Chinese: tests/notebook/test_export_browser.py).
    assert rows[0] == ["Link", "Reported to", "Reported to (code)", "Day reported", "State",
                       "Look again on", "Last changed (UTC)"]
    assert sorted(r[0] for r in rows[1:]) == sorted(by_link)
    [telegram_row] = [r for r in rows[1:] if r[0] == WHOLE[1]]
    assert telegram_row[1:6] == ["Telegram", "telegram", "2026-12-02", "Back again", "2026-12-09"]

    # Delete everything offers the tracker too.
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.locator("[data-nb-delete-all]").click()
    deadline = time.monotonic() + 10
    while page.evaluate(TRACKED) != 0:
        assert time.monotonic() < deadline, "the tracker was not deleted"
        time.sleep(0.1)
    assert len(asked) == 2 and "holds 2 links" in asked[1]


# What she may type as a link: the forms she copies from an app's share sheet or
# address bar are accepted (made whole with https://); anything else is refused.
LINK_FORMS = {
    "https://t.me/c/1874/2291": "https://t.me/c/1874/2291",
    "http://forum.example.cn/thread-88.html": "http://forum.example.cn/thread-88.html",
    "HTTPS://X.COM/someone/status/1": "HTTPS://X.COM/someone/status/1",
    "t.me/maskpark_leaks/77": "https://t.me/maskpark_leaks/77",
    "www.xiaohongshu.com/explore/65a1?xsec=1": "https://www.xiaohongshu.com/explore/65a1?xsec=1",
    "  weibo.com/u/123  ": "https://weibo.com/u/123",
    "javascript:alert(1)": None,
    "ftp://files.example.com/v.mp4": None,
    "my video in the group": None,
    "http://localhost/x": None,
    "https://exa mple.com/": None,
    "@maskpark_leaks": None,
    "": None,
}


def test_which_links_are_links(kit_server, watched):
    page = watched.new_page()
    page.goto(f"{kit_server.url}/en/takedown")
    preload = page.locator("link[rel=modulepreload][href*='takedown-letter.js']")
    module = preload.get_attribute("href")
    got = page.evaluate("""async ([url, forms]) => {
        const { normalizeLink, readLinks } = await import(url);
        const links = Object.fromEntries(forms.map((f) => [f, normalizeLink(f)]));
        const typed = "t.me/a/1 2026-11-30\\n\\nnot a link\\nx.com/b 2099-01-01";
        const read = readLinks(typed, "2026-12-01", "2026-12-06");
        return { links, read };
    }""", [module, list(LINK_FORMS)])
    assert got["links"] == LINK_FORMS
    assert got["read"]["links"] == [{"link": "https://t.me/a/1", "date": "2026-11-30"}]
    assert got["read"]["problems"] == [
        {"kind": "not-link", "n": 2, "text": "not a link"},
        {"kind": "future", "n": 3, "text": "x.com/b 2099-01-01", "date": "2099-01-01"}]
