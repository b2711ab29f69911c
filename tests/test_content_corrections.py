"""Issue 16's corrections to the checklists: facts a fact-checker signs, and every limit said."""

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
        limit = re.search(r'<span class="item-misses">(.+?)</span>', note, re.S)
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


# -- the found page and the report form ---------------------------------------------------

def found_text(client, lang: str = "en") -> str:
    response = client.get(f"/{lang}/found")
    assert response.status_code == 200
    return visible_text(response.get_data(as_text=True))


def test_cover_the_lens_without_pressing_or_moving_it(client):
    text = found_text(client)
    assert "cover the lens with tape or a sticker without pressing or moving it" in text
    assert "cover it with tape" not in text
    assert "不要按压或挪动它" in found_text(client, "zh-hans")


def test_the_venue_gives_a_written_record_and_the_police_the_number(client):
    text = found_text(client)
    assert "case number" not in text.split("Ask the venue", 1)[1].split("Check the rest")[0]
    assert "The report number comes from the police, not from the venue." in text
    assert "the host may be the person who put it there" in text
    assert "Airbnb has banned indoor cameras since April 2024" in text


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["never pay", "Never pay a company", "Telegram rarely acts", "Ta-DA"]),
    ("zh-hans", ["绝对不要付钱", "不要付钱给声称能收费删除影像的公司", "Telegram 很少处理举报"]),
    ("zh-hant", ["絕對不要付錢", "不要付錢給聲稱能收費刪除影像的公司", "Telegram 很少處理檢舉"]),
])
def test_sextortion_deletion_companies_and_telegram_are_named(client, lang, words):
    text = found_text(client, lang)
    for word in words:
        assert word in text


def test_services_state_their_limits_and_the_fact_checkers_corrections(client):
    text = found_text(client)
    # StopNCII: adults, own device, partner platforms only.
    assert "18 or over in the image" in text and "on your own phone or computer" in text
    assert "Telegram and Chinese apps are not among them" in text
    assert "CCRI Image Abuse Helpline" in text and "CCRI crisis helpline" not in text
    assert "09:00–22:00 every day" in text  # Taiwan's takedown centre
    assert "1366 answers 24 hours a day, every day, since April 2025." in text
    from app.content.found import SERVICES
    for service in SERVICES:
        assert service.limit and service.checked and (service.sources or service.url), service.name


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "Name the place, not a person"),
    ("zh-hans", "写地点，不要写人名"),
    ("zh-hant", "寫地點，不要寫人名"),
])
def test_the_report_form_cautions_against_naming_people(client, lang, words):
    html = client.get(f"/{lang}/report").get_data(as_text=True)
    assert f'<p class="hint" id="hint-venue">{words}' in html
    assert re.search(r'<input id="venue"[^>]*aria-describedby=" hint-venue"', html)
