"""Fixtures for the organizer tests: the clock the second factor reads."""

import pytest

from app.organizers import two_step
from helpers import START


@pytest.fixture
def clock(monkeypatch):
    """The time two_step.py sees; tests move it by whole 30-second steps."""
    now = [float(START)]
    monkeypatch.setattr(two_step, "now", lambda: now[0])
    return now
