"""Configuration sources and the secret key."""

import os
import stat

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
