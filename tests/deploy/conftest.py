"""SpotCheck as deployed: a real gunicorn behind Debian's nginx with the shipped includes.

Both listen on 127.0.0.1 only. Tests tell visitors apart by the loopback address
their connection comes from (127.0.0.2, 127.0.0.3, ...), as nginx sees them.
Without /usr/sbin/nginx the tests are skipped, but fail where CI is set: there
scripts/test must have installed it.
"""

import os

import pytest

from support.nginx import NGINX, running_nginx
from support.stack import VISITOR_USER_AGENT, files_containing, running_gunicorn

# Every source address a test in this folder sends from, and its user agents:
# none of them may be written down anywhere (docs/privacy.md, promise 1).
VISITOR_ADDRESSES = [f"127.0.0.{n}".encode() for n in range(2, 10)]
VISITOR_AGENT = VISITOR_USER_AGENT.encode()


@pytest.fixture(scope="session")
def nginx_binary():
    if not NGINX.exists():
        message = f"{NGINX} is missing: scripts/test installs Debian's nginx package"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI={os.environ['CI']} must install it")
        pytest.skip(message)
    return NGINX


@pytest.fixture(scope="session")
def stack(nginx_binary, tmp_path_factory):
    """gunicorn (3 workers, 5 reports per client per hour) and nginx in front of it.

    After every test has used it and both have stopped: no visitor's address
    or user agent is in any log, in the instance folder or in nginx's cache.
    """
    folder = tmp_path_factory.mktemp("deployed")
    with running_gunicorn(folder / "gunicorn", REPORTS_PER_CLIENT_PER_HOUR="5") as app, \
            running_nginx(folder / "nginx", app.port) as proxy:
        yield app, proxy
    leaks = files_containing([app.folder, proxy.folder], [*VISITOR_ADDRESSES, VISITOR_AGENT])
    assert leaks == [], f"visitor data written down: {leaks}"


@pytest.fixture
def gunicorn(stack):
    """The Gunicorn of the shared stack (support/stack.py)."""
    return stack[0]


@pytest.fixture
def nginx(stack):
    """The Nginx in front of it (support/stack.py)."""
    return stack[1]
