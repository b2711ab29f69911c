"""The report form on a phone in the field (issue 17): offline, the receipt, a form that reads fast.

At 360×740, as she would hold it: the signal drops in restrooms, basements and
trains, and the receipt code is the one thing she must not miss.
"""

import re

import pytest

from .harness import PHONE
from .test_offline import wait_for_worker
from .test_reports import CODE, SEND, fill, stored

pytestmark = pytest.mark.e2e


@pytest.fixture
def sw_phone(browser):
    context = browser.new_context(**PHONE, service_workers="allow")
    yield context
    context.close()


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
