"""Litestream at its shipped one-minute interval: what its files and log show of when
reports came (issue 28, item 4), and the restore drill (issue 15).

Each must wait for Litestream's minute to prove anything, so the two run at once,
each on its own gunicorn, Litestream and replica, in threads of one module fixture:
two minutes of the suite instead of three.

The timeline:
Every LTX file Litestream writes has the time it was made in its header (to the
millisecond) and as its mtime; at its default monitor-interval (1s) that is one file,
one time, per report, kept in the replica for days; and at its default log level it
writes a line per compaction (each 30 s with writes). The shipped config coarsens
the files to one a minute and logs only warnings. docs/privacy.md (promise 1, known
gaps) and docs/deploy.md ("Second copy") give the figures; bench/durability.py
measures them.
"""

import os
import re
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from support.durability import (
    LITESTREAM,
    SHIPPED_CONFIG,
    litestream_missing,
    monitor_interval,
    restore_drill,
    timeline,
)

pytestmark = pytest.mark.slow

# Twelve reports over (a little less than) a minute: with the shipped one-minute
# interval they fall into at most two of Litestream's windows, plus possibly one more
# look in which Litestream checkpoints and writes down its own bookkeeping (its
# _litestream_seq row), so its files can show at most three moments. A moment may be
# two header times (a copy, and that checkpoint right after it, ~0.2 s later). At
# Litestream's default interval (1 s), every report is a moment of its own: 13 or 14
# for these 12 (bench/durability.py).
REPORTS, SPREAD = 12, 55.0
MOST_MOMENTS = 3

@pytest.fixture(scope="module")
def minute(tmp_path_factory) -> dict[str, Future]:
    """The timeline's and the drill's runs, started together; each test waits for its own."""
    if reason := litestream_missing():
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("litestream-minute")
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield {"timeline": pool.submit(timeline, folder / "timeline", reports=REPORTS,
                                       spread=SPREAD),
               "drill": pool.submit(restore_drill, folder / "gunicorn", reports=20)}


def setting(name: str) -> str:
    found = re.findall(rf"^\s*{name}:\s*(\S+)\s*$", SHIPPED_CONFIG.read_text(), re.M)
    assert len(found) == 1, (name, found)
    return found[0]


def test_the_shipped_config_logs_only_warnings_and_copies_once_a_minute():
    assert re.search(r"^logging:\n  level: warn$", SHIPPED_CONFIG.read_text(), re.M)
    assert monitor_interval(SHIPPED_CONFIG.read_text()) == 60
    # The replica's own interval does not batch anything (each file goes as it is):
    # longer would only lose more.
    assert setting("sync-interval") == "1s"


def test_a_minute_of_reports_leaves_at_most_three_moments_and_no_log_line(minute):
    shown = minute["timeline"].result()
    print(f"\n{LITESTREAM.name}, shipped config, {REPORTS} reports over {SPREAD:g} s: {shown}")
    assert shown.reports == REPORTS
    assert shown.ltx_files > 0  # they were replicated (timeline() restores the last one)
    assert shown.moments <= MOST_MOMENTS, shown.listing()
    assert shown.mtime_moments <= MOST_MOMENTS, shown.listing()
    assert shown.timestamps <= 2 * MOST_MOMENTS, shown.listing()
    assert (shown.log_lines, shown.info_lines) == (0, 0), shown


def test_restore_drill_brings_back_every_acknowledged_report_and_photo(minute):
    drill = minute["drill"].result()
    print(f"\nrestore drill ({LITESTREAM.name}, shipped config, file replica):")
    for name, value in vars(drill).items():
        print(f"  {name:>16}: {value}")
    assert drill.restored == drill.written == 20
    assert drill.photos == drill.written
    assert drill.receipts_work
    assert drill.integrity == "ok"
