"""What the logs keep: no time, no client, and nothing a URL can forge."""

import logging
import re
import runpy

import pytest
from flask.logging import default_handler

from helpers import ROOT

TIME = re.compile(r"\d{2}:\d{2}|\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def gunicorn_config():
    return runpy.run_path(str(ROOT / "scripts" / "gunicorn.conf.py"))


@pytest.mark.parametrize(("path", "logged"), [
    ("/en/check/restroom", "/en/check/restroom"),
    ("/en/x\nGET /forged 200 1 0ms", "/en/x%0AGET%20/forged%20200%201%200ms"),
    ("/en/\x1b[31mred\x1b[0m", "/en/%1B[31mred%1B[0m"),
    ("/en/\x00\x7f\t\r", "/en/%00%7F%09%0D"),
    ("/zh-hans/" + "检查".encode().decode("latin-1"), "/zh-hans/%E6%A3%80%E6%9F%A5"),
    ("/en/posters/manage/s3cr3t\n", "/en/posters/manage/[secret]"),
])
def test_the_access_log_writes_each_path_on_one_line_of_printable_ascii(
        gunicorn_config, path, logged):
    written = gunicorn_config["logged_path"](path)
    assert written == logged
    assert written.isprintable() and written.isascii() and " " not in written


def test_flasks_own_error_lines_have_no_time(app):
    # Flask writes app.logger's lines through default_handler wherever nothing
    # else handles them, as under gunicorn (pytest's own handler takes them here).
    record = app.logger.makeRecord(app.logger.name, logging.ERROR, __file__, 1,
                                   "a report could not be stored: %s", ("SQLITE_FULL",), None)
    line = default_handler.format(record)
    assert "a report could not be stored: SQLITE_FULL" in line
    assert not TIME.search(line), line
