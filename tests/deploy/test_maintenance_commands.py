"""spotcheck-flask runs maintenance commands with exactly the service's settings
(issue 28, item 8; the security review of 2026-12-06, #14).

Before, it set only the instance folder: while no admin existed, every run (the
daily cron purge too, whose output cron mails) printed and stored a fresh setup
link on http://127.0.0.1:8000. Now the unit (EnvironmentFile=) and the wrapper
read one file, deploy/spotcheck.env, installed as /etc/spotcheck/spotcheck.env.

The wrapper runs here as installed but for its paths: the checkout is this one,
the settings file a copy whose folders are temporary ones, and `runuser` a stand-in
that writes down the environment it was given (the service's user does not exist here).
It is called with cron's PATH, /usr/bin:/bin, which has no runuser.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from helpers import ROOT
from support.units import INSTALLED_SETTINGS, SETTINGS, environment_file, unit_environment

WRAPPER = ROOT / "deploy" / "bin" / "spotcheck-flask"
RUNUSER = """#!/bin/sh
# runuser -u spotcheck -- COMMAND...: run COMMAND as we are, its environment noted.
[ "$1" = -u ] && shift 2
[ "$1" = -- ] && shift
env > "$NOTED_ENVIRONMENT"
exec "$@"
"""


def installed(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """The wrapper and its settings file with their folders moved into tmp_path."""
    instance, logs = tmp_path / "instance", tmp_path / "logs"
    instance.mkdir()
    logs.mkdir()
    settings = tmp_path / "spotcheck.env"
    settings.write_text(SETTINGS.read_text().replace("/var/lib/spotcheck", str(instance))
                        .replace("/var/log/spotcheck", str(logs)))
    text = WRAPPER.read_text()
    assert INSTALLED_SETTINGS in text and "cd /srv/spotcheck\n" in text
    wrapper = tmp_path / "spotcheck-flask"
    bin_ = tmp_path / "bin"
    assert "export PATH=/usr/local/sbin:" in text  # cron's PATH has no /usr/sbin
    wrapper.write_text(text.replace(INSTALLED_SETTINGS, str(settings))
                       .replace("cd /srv/spotcheck\n", f"cd {ROOT}\n")
                       .replace("export PATH=", f"export PATH={bin_}:"))
    bin_.mkdir()
    (bin_ / "runuser").write_text(RUNUSER)
    (bin_ / "runuser").chmod(0o755)
    environment = {"PATH": "/usr/bin:/bin", "NOTED_ENVIRONMENT": str(tmp_path / "env"),
                   "LANG": "C.UTF-8",
                   # Left over in root's shell: the file decides, not this.
                   "SPOTCHECK_SETUP_LINK_ON_START": "true"}
    return wrapper, instance, environment


def spotcheck_settings(path: Path) -> dict[str, str]:
    return {k: v for k, v in environment_file(path).items() if k.startswith("SPOTCHECK_")}


def test_the_wrapper_runs_flask_with_every_setting_the_unit_has_and_no_other(tmp_path):
    wrapper, instance, environment = installed(tmp_path)
    run = subprocess.run(["sh", str(wrapper), "--help"], env=environment,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    given = spotcheck_settings(tmp_path / "env")
    moved = {k: v.replace("/var/lib/spotcheck", str(instance))
             .replace("/var/log/spotcheck", str(tmp_path / "logs"))
             for k, v in unit_environment().items() if k.startswith("SPOTCHECK_")}
    assert given == moved
    assert given["SPOTCHECK_SETUP_LINK_ON_START"] == "false"
    assert given["SPOTCHECK_PUBLIC_BASE_URL"] == "https://spotcheck.example"


def test_a_cron_purge_on_a_site_without_admins_prints_and_stores_no_setup_link(tmp_path):
    wrapper, instance, environment = installed(tmp_path)
    run = subprocess.run(["sh", str(wrapper), "purge-reports"], env=environment,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    output = run.stdout + run.stderr
    assert "/setup/" not in output and "127.0.0.1:8000" not in output, output
    with sqlite3.connect(instance / "spotcheck.sqlite3") as db:
        links = db.execute("SELECT count(*) FROM one_time_link").fetchone()[0]
    assert links == 0
    assert oct(os.stat(instance / "spotcheck.sqlite3").st_mode & 0o777) == "0o600"
