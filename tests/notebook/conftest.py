"""The notebook's browser tests' phone and photo (test_notebook_browser.py,
test_export_browser.py)."""

import pytest

from support.browser import PHONE
from support.phone_photo import phone_jpeg


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    """A phone's JPEG with GPS EXIF, on disk as she would choose it."""
    path = tmp_path_factory.mktemp("photos") / "IMG_20261206_021400.jpg"
    path.write_bytes(phone_jpeg())
    return path


@pytest.fixture
def recorded(browser):
    """A phone without a service worker (every request reaches the page's own
    listeners) and where she allowed her location; every request is kept whole."""
    context = browser.new_context(**PHONE, service_workers="block",
                                  geolocation={"latitude": 22.2793, "longitude": 114.1628,
                                               "accuracy": 20},
                                  permissions=["geolocation"])
    context.sent = []
    context.on("request", lambda r: context.sent.append(
        (r.method, r.url, r.all_headers(), r.post_data_buffer or b"")))
    yield context
    context.close()
