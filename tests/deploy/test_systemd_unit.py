"""deploy/systemd/spotcheck.service is a unit systemd accepts, and runs what the README runs."""

import shutil
import subprocess

import pytest

from helpers import ROOT
from support.units import (
    UNIT,
    unit_environment,
    unit_settings,
)


def test_systemd_analyze_verify_finds_nothing_to_complain_about(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is missing (Debian package systemd)")
    # As installed in /srv/spotcheck, here with this checkout in its place.
    unit = tmp_path / "spotcheck.service"
    unit.write_text(UNIT.read_text().replace("/srv/spotcheck", str(ROOT)))
    checked = subprocess.run(["systemd-analyze", "verify", str(unit)],
                             capture_output=True, text=True)
    assert (checked.returncode, checked.stderr.strip()) == (0, "")


def test_the_unit_runs_gunicorn_as_the_readme_does_with_logs_and_state_of_its_own():
    settings = unit_settings()
    assert settings["ExecStart"] == [
        "/srv/spotcheck/.venv/bin/python -m gunicorn -c scripts/gunicorn.conf.py"]
    environment = unit_environment()
    assert environment["SPOTCHECK_INSTANCE_PATH"] == "/var/lib/spotcheck"
    assert settings["StateDirectory"] == ["spotcheck"]
    assert environment["SPOTCHECK_ACCESS_LOG"].startswith("/var/log/spotcheck/")
    assert environment["SPOTCHECK_ERROR_LOG"].startswith("/var/log/spotcheck/")
    assert settings["LogsDirectory"] == ["spotcheck"]
    assert environment["SPOTCHECK_TRUSTED_PROXIES"] == "1"
    assert environment["SPOTCHECK_BIND"].startswith("127.0.0.1:")
    assert settings["UMask"] == ["0077"]
    assert environment["SPOTCHECK_SETUP_LINK_ON_START"] == "false"
    assert environment["SPOTCHECK_PUBLIC_BASE_URL"].startswith("https://")
    # Every app setting is in the file both read, none in the unit alone.
    assert not [v for v in settings["Environment"] if v.startswith("SPOTCHECK_")]
