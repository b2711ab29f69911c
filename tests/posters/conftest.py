"""Fixtures for the poster tests."""

import pytest

from app import create_app
from helpers import TEST_CONFIG

PUBLIC = "https://spotcheck.example"


@pytest.fixture
def poster_app(instance):
    return create_app({**TEST_CONFIG, "PUBLIC_BASE_URL": PUBLIC})
