"""Reports from a BUILT mirror (issue 32, item 3), in Chromium: `flask mirror` run for
a live primary (gunicorn, its PUBLIC_BASE_URL), the mirror served by nginx from a
folder on its own port. The primary lists that origin in SPOTCHECK_MIRROR_ORIGINS, so
a report sent from the mirror arrives; the same files reached as localhost are another
origin, one it does not list: the report is refused, waits in the outbox, and she is
told. tests/web/test_mirroring_browser.py tests the same against one rendered page."""

import pytest

from support.browser import CODE, SEND, fill, stored
from support.mirrors import BASE, OUTBOX_ENDPOINTS, build_mirror, mirror_primary, static_nginx
from support.servers import free_port

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def mirror_port():
    return free_port()


@pytest.fixture(scope="module")
def primary(tmp_path_factory, output_dir, mirror_port):
    """gunicorn, with the mirror's origin (only) in MIRROR_ORIGINS."""
    with mirror_primary(tmp_path_factory.mktemp("primary"),
                        output_dir / "server-mirror-reports.log", mirror_port) as running:
        yield running


@pytest.fixture(scope="module")
def mirror(tmp_path_factory, migrated_database, primary, mirror_port):
    """The mirror's report form, built once for `primary`, below BASE on mirror_port."""
    folder = tmp_path_factory.mktemp("mirror-reports")
    www = build_mirror(folder, migrated_database, PUBLIC_BASE_URL=primary.url)
    with static_nginx(www, folder / "nginx", port=mirror_port):
        yield f"{BASE}en/report/index.html"


def test_a_report_from_the_built_mirror_arrives_at_the_primary(phone, primary, mirror,
                                                               mirror_port):
    page = phone.new_page()
    page.goto(f"http://127.0.0.1:{mirror_port}{mirror}")
    fill(page, "en", "sent from the built mirror")
    page.get_by_role("button", name=SEND["en"]).click()
    # The mirror's form is the report form's offline shell: the outbox sends it, and
    # lists the receipt that came back.
    outbox = page.locator("[data-outbox]")
    outbox.get_by_text("Your report was sent").wait_for(timeout=30_000)
    assert CODE.search(outbox.inner_text())
    assert stored(primary, "sent from the built mirror") == 1
    assert phone.watch.csp_messages() == []
    posts = [u for u in phone.watch.requests if u.endswith("/en/report")]
    assert posts == [f"{primary.url}/en/report"]


def test_the_same_mirror_on_an_unlisted_origin_is_refused_and_the_report_waits(
        phone, primary, mirror, mirror_port):
    page = phone.new_page()
    page.goto(f"http://localhost:{mirror_port}{mirror}")
    fill(page, "en", "sent from an unlisted origin")
    page.get_by_role("button", name=SEND["en"]).click()
    outbox = page.locator("[data-outbox]")
    outbox.get_by_text("SpotCheck could not be reached").wait_for(timeout=30_000)
    assert outbox.get_by_text("It will be sent by itself later").is_visible()
    assert stored(primary, "sent from an unlisted origin") == 0
    assert page.evaluate(OUTBOX_ENDPOINTS) == [[f"{primary.url}/en/report"]]
