"""The message catalogs: messages.pot is current, both Chinese catalogs complete."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
CHINESE = ["zh_Hans", "zh_Hant"]


def read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def entries(catalog) -> dict:
    # Locations (file:line) move with every edit; what matters to translators is
    # the text, its context, its Translators: note and its format flags.
    return {
        (m.id if isinstance(m.id, str) else tuple(m.id), m.context): (
            " ".join(m.auto_comments),  # wrapping differs with the line width
            tuple(sorted(m.flags - {"fuzzy"})),
        )
        for m in catalog
        if m.id
    }


def test_messages_pot_is_up_to_date(tmp_path):
    fresh = tmp_path / "messages.pot"
    pybabel = shutil.which("pybabel", path=str(Path(sys.executable).parent))
    subprocess.run(
        [
            pybabel,
            "-q",
            "extract",
            "-F",
            "pyproject.toml",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--add-comments=Translators:",
            "-o",
            str(fresh),
            "app",
            "templates",
        ],
        cwd=ROOT,
        check=True,
    )
    committed, extracted = entries(read(TRANSLATIONS / "messages.pot")), entries(read(fresh))
    assert extracted, "extraction found no strings at all"
    added = sorted(map(str, extracted.keys() - committed.keys()))
    removed = sorted(map(str, committed.keys() - extracted.keys()))
    assert not added and not removed, (
        f"messages.pot is stale, run scripts/i18n update. New: {added}. Gone: {removed}"
    )
    assert extracted == committed, "comments or flags changed: run scripts/i18n update"


@pytest.mark.parametrize("locale", CHINESE)
def test_chinese_catalog_is_complete_and_has_no_fuzzy_entry(locale):
    template = read(TRANSLATIONS / "messages.pot")
    catalog = read(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po")
    ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}
    wanted = {m.id if isinstance(m.id, str) else tuple(m.id) for m in template if m.id}
    assert wanted <= ids, f"not merged into {locale}: {sorted(map(str, wanted - ids))}"
    missing = [
        m.id
        for m in catalog
        if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"{locale} lacks translations for {missing}"
    assert not fuzzy, f"{locale} has fuzzy entries {fuzzy}"
    obsolete = list(catalog.obsolete)
    assert not obsolete, f"{locale} keeps obsolete entries {obsolete}"


@pytest.mark.parametrize("locale", CHINESE)
def test_chinese_translations_keep_their_placeholders(locale):
    catalog = read(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po")
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check()]
    assert not problems


def test_traditional_and_simplified_are_not_the_same_text():
    """A Traditional catalog copied from the Simplified one would pass the checks above."""
    hans = {m.id: m.string for m in read(TRANSLATIONS / "zh_Hans/LC_MESSAGES/messages.po") if m.id}
    hant = {m.id: m.string for m in read(TRANSLATIONS / "zh_Hant/LC_MESSAGES/messages.po") if m.id}
    same = [i for i in hans if hans[i] == hant.get(i) and any(c >= "\u4e00" for c in hans[i])]
    # A few short strings are written alike in both scripts; most are not.
    assert len(same) <= len(hans) // 10, same


# Overlays (app/web/i18n.py, Language.base) hold only the strings where a
# variety differs from its base catalog, so "complete" means something else.
OVERLAYS = {"zh_Hant_HK": "zh_Hant"}


@pytest.mark.parametrize(("overlay", "base"), OVERLAYS.items())
def test_overlay_holds_only_current_differing_translations(overlay, base):
    template = read(TRANSLATIONS / "messages.pot")
    wanted = {(m.id if isinstance(m.id, str) else tuple(m.id), m.context) for m in template if m.id}
    catalog = read(TRANSLATIONS / overlay / "LC_MESSAGES" / "messages.po")
    base_strings = {
        m.id: m.string for m in read(TRANSLATIONS / base / "LC_MESSAGES" / "messages.po") if m.id
    }
    messages = [m for m in catalog if m.id]
    assert messages, f"{overlay} is empty"
    stale = [m.id for m in messages
             if (m.id if isinstance(m.id, str) else tuple(m.id), m.context) not in wanted]
    assert not stale, f"{overlay} keeps strings the code no longer has: {stale}"
    empty = [m.id for m in messages
             if not all(m.string if isinstance(m.string, tuple) else [m.string])]
    assert not empty, f"{overlay} has empty entries (leave them out to fall back): {empty}"
    assert not [m.id for m in messages if m.fuzzy], f"{overlay} has fuzzy entries"
    same = [m.id for m in messages if m.string == base_strings.get(m.id)]
    assert not same, f"{overlay} repeats {base} word for word: {same}"
    assert not list(catalog.obsolete)
    assert not [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
