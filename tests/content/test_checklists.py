"""The checklists' facts (app/content/checklists.py), as a fact-checker corrected them
(issue 16): sourced cases, no unsourced superlatives, and every limit said."""

import re

import pytest

from app.content.checklists import CHECKLISTS
from helpers import visible_text

SPACES = list(CHECKLISTS)


def text_of(client, space: str) -> str:
    response = client.get(f"/en/check/{space}")
    assert response.status_code == 200
    return visible_text(response.get_data(as_text=True))


def notes(client, space: str) -> dict[str, str]:
    """Each item's key and the text of its "Why, and what it can miss" note."""
    html = client.get(f"/en/check/{space}").get_data(as_text=True)
    found = re.findall(
        r'<li class="item" id="item-([a-z-]+)">.*?<details>(.*?)</details>', html, re.S
    )
    return dict(found)


def test_medical_room_cases_are_placed_where_they_happened(client):
    text = text_of(client, "medical-room")
    assert "In Tianjin (Dec 2025) a camera sat on a table in the nurses' changing room" in text
    assert "its lens level with the tabletop" in text
    assert "In Delhi a phone hidden in a changing room was found only when it rang" in text
    assert "diagnostic centre in Bhopal" in text and "false ceiling" in text
    for sentence in re.split(r"(?<=\.)\s", text):
        if "false ceiling" in sentence:
            assert "Delhi" not in sentence and "Tianjin" not in sentence, sentence


def test_the_honest_box_gives_the_studys_figures_and_detector_limits(client):
    html = client.get("/en/check/restroom").get_data(as_text=True)
    box = visible_text(re.search(r'<p class="honest">(.*?)</p>', html, re.S)[1])
    assert "46%" in box and "88.9%" in box and "about 62%" in box
    assert "No method alone is enough" in box
    assert "store-bought detector senses only cameras that transmit" in box
    assert "finds the most" not in box and "about half" not in box


def test_holes_are_checked_from_the_floor_up(client):
    text = text_of(client, "restroom")
    assert "from the floor up and most closely around hip height" in text
    assert "lower beside a squat toilet" in text
    assert "from hip height up" not in text


@pytest.mark.parametrize("space", SPACES)
def test_every_items_note_states_a_limit(client, space):
    items = notes(client, space)
    checklist = CHECKLISTS[space]
    assert list(items) == [item.key for item in checklist.quick + checklist.thorough]
    for key, note in items.items():
        limit = re.search(r'<p>[^<]+ <span>(.+?)</span></p>', note, re.S)
        assert limit and len(limit[1].strip()) > 20, key


def test_no_unsourced_superlatives(client):
    for space in SPACES:
        text = text_of(client, space)
        assert "most often sold" not in text
        assert "most common" not in text


@pytest.mark.parametrize(
    ("space", "key", "words"),
    [
        ("hotel-room", "aircon", "Air-conditioner vents"),
        ("hotel-room", "screens", "TVs, projectors and set-top boxes"),
        ("hotel-room", "wifi", "Cheap cameras often broadcast their own network"),
        ("restroom", "gaps", "If a phone appears there, shout, cover yourself, leave"),
        ("fitting-room", "gaps", "If a phone appears there, shout, cover yourself, leave"),
        ("changing-room", "gaps", "If a phone appears there, shout, cover yourself, leave"),
        ("medical-room", "chaperone", "you may ask for a chaperone"),
    ],
)
def test_new_items_render_where_they_belong(client, space, key, words):
    html = client.get(f"/en/check/{space}").get_data(as_text=True)
    item = re.search(rf'<li class="item" id="item-{key}">(.*?)</li>', html, re.S)
    assert item, f"{key} missing from {space}"
    assert words in visible_text(item[1])


def test_wifi_names_say_what_they_cannot_tell(client):
    text = text_of(client, "hotel-room")
    assert "not where it is or whose" in text
    assert "many cameras record without Wi-Fi" in text
