"""Configuration sources and the secret key."""

import os
import stat

import pytest

from app import create_app


def test_secret_key_is_made_once_and_kept(instance):
    first = create_app({"TESTING": True}).config["SECRET_KEY"]
    key_file = instance / "secret_key"
    assert len(first) >= 64
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert create_app({"TESTING": True}).config["SECRET_KEY"] == first


def test_each_instance_gets_its_own_secret_key(tmp_path, monkeypatch):
    keys = set()
    for name in ("one", "two"):
        monkeypatch.setenv("SPOTCHECK_INSTANCE_PATH", str(tmp_path / name))
        keys.add(create_app().config["SECRET_KEY"])
    assert len(keys) == 2


def test_instance_config_file_then_environment(instance, monkeypatch):
    instance.mkdir(parents=True)
    (instance / "config.py").write_text(
        'QUICK_EXIT_URL = "https://example.org/news"\nPUBLIC_PAGE_MAX_AGE = 60\n'
    )
    monkeypatch.setenv("SPOTCHECK_PUBLIC_PAGE_MAX_AGE", "120")
    app = create_app({"TESTING": True})
    assert app.config["QUICK_EXIT_URL"] == "https://example.org/news"
    assert app.config["PUBLIC_PAGE_MAX_AGE"] == 120  # environment wins, parsed as JSON
    html = app.test_client().get("/en/").get_data(as_text=True)
    assert 'class="quick-exit" href="https://example.org/news"' in html


def test_links_use_the_address_the_server_listens_on(instance, monkeypatch):
    monkeypatch.setenv("SPOTCHECK_BIND", "0.0.0.0:8123")
    assert create_app({"TESTING": True}).config["PUBLIC_BASE_URL"] == "http://127.0.0.1:8123"
    monkeypatch.setenv("SPOTCHECK_PUBLIC_BASE_URL", "https://spotcheck.example.org")
    assert create_app({"TESTING": True}).config["PUBLIC_BASE_URL"] == (
        "https://spotcheck.example.org")


def test_the_first_start_link_names_the_real_commands(instance, monkeypatch, capsys):
    monkeypatch.setenv("SPOTCHECK_BIND", "127.0.0.1:9321")
    create_app({"TESTING": True, "SETUP_LINK_ON_START": True})
    printed = capsys.readouterr().err
    assert "http://127.0.0.1:9321/en/organizers/setup/" in printed
    assert ".venv/bin/flask --app app create-admin" in printed
    assert "SPOTCHECK_PUBLIC_BASE_URL" in printed


@pytest.mark.parametrize(("setting", "value", "named"), [
    ("PUBLIC_BASE_URL", "spotcheck.example.org", "SPOTCHECK_PUBLIC_BASE_URL"),
    ("PUBLIC_BASE_URL", "https://spotcheck.example.org/?a=1", "SPOTCHECK_PUBLIC_BASE_URL"),
    ("MAP_TILE_URL", "http://tiles.example/{z}/{x}/{y}.png", "SPOTCHECK_MAP_TILE_URL"),
    ("MAP_TILE_URL", "https://tiles.example/tile.png", "SPOTCHECK_MAP_TILE_URL"),
    ("MAP_COORDINATES", "bd09", "SPOTCHECK_MAP_COORDINATES"),
    ("SECRET_KEY", "short", "SPOTCHECK_SECRET_KEY"),
    ("TRUSTED_PROXIES", -1, "TRUSTED_PROXIES"),
    ("TRUSTED_PROXIES", "1", "TRUSTED_PROXIES"),
])
def test_bad_settings_stop_the_start_with_a_clear_message(instance, setting, value, named):
    with pytest.raises(RuntimeError, match=named):
        create_app({"TESTING": True, setting: value})
