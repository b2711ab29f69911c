"""deploy/systemd/spotcheck.service is a unit systemd accepts, and runs what the README runs."""

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT

UNIT = ROOT / "deploy" / "systemd" / "spotcheck.service"
# The settings file the unit and spotcheck-flask read, and where docs/deploy.md installs it.
SETTINGS = ROOT / "deploy" / "spotcheck.env"
INSTALLED_SETTINGS = "/etc/spotcheck/spotcheck.env"


def environment_file(path: Path) -> dict[str, str]:
    """KEY=value lines as systemd reads an EnvironmentFile= (without quotes, which
    deploy/spotcheck.env promises not to use)."""
    settings = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";")):
            key, separator, value = line.partition("=")
            assert separator and key.strip().isidentifier(), line
            settings[key.strip()] = value.strip()
    return settings


def unit_environment() -> dict[str, str]:
    """What the service runs with: its EnvironmentFile=, then its Environment= lines."""
    settings = unit_settings()
    assert settings["EnvironmentFile"] == [INSTALLED_SETTINGS]
    return {**environment_file(SETTINGS),
            **dict(value.split("=", 1) for value in settings.get("Environment", []))}


def unit_settings() -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


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
