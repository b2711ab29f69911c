"""What the shipped systemd unit and its settings file say, read as systemd reads them
(tests/deploy: the unit's own tests and the maintenance wrapper's)."""

from pathlib import Path

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
