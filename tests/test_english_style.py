"""One English house style for every string the site shows (docs/glossary.md, "English").

Oxford spelling: -ize verbs (organize, recognize), but centre, colour, behaviour,
neighbour, licence (noun), analyse; "toilet" and "cubicle" for the place she
checks, "torch" (a first mention may say "torch (flashlight)"). The English text
is the msgid, so the test reads messages.pot, which test_catalogs keeps current.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

POT = Path(__file__).resolve().parent.parent / "app" / "translations" / "messages.pot"

# (pattern ruled out, what the house style writes instead)
RULES = [
    (r"\brestrooms?\b", "toilet(s)"),
    (r"\bbathroom stalls?\b|\bstalls?\b", "cubicle"),
    # -ise/-isation where Oxford spelling writes -ize (words that are -ise in
    # every spelling, such as advise or disguise, are not in this list).
    (r"\b(?:organi|recogni|reali|apologi|minimi|maximi|priori|summari|emphasi|categori"
     r"|authori|speciali|personali|memori|criticis|utili|finali|customi|visuali|normali"
     r"|stabili|mobili|penali|legali|criminali|sexuali|anonymi|optimi|standardi|digiti"
     r"|synchroni|sanitis|prioriti|ideali|vandali|itemi|characteri|familiari|sympathi"
     r"|jeopardi|terrori|traumati|victimi|scrutini|publici)s(?:e|es|ed|ing|ation|ations|er|ers)\b",
     "-ize"),
    (r"\bcolor", "colour"),
    (r"\bcenters?\b|\bcentered\b", "centre"),
    (r"\b(?:milli|centi|kilo)?(?:meter|liter)s?\b", "metre, litre"),
    (r"\bbehavior", "behaviour"),
    (r"\bneighbor", "neighbour"),
    (r"\b(?:favor|honor|labor|humor|rumor)(?:s|ed|ing|able|ite|ites)?\b", "-our"),
    (r"\bgray\b", "grey"),
    (r"\b(?:defense|offense)s?\b", "defence, offence"),
    (r"\blicense\b(?! (?:it|them|a|the)\b)", "licence (the noun)"),
    (r"\banalyz", "analyse"),
    (r"\b(?:travel|cancel|label|model|signal|fuel)(?:ed|ing|er|ers)\b", "-lled, -lling"),
    (r"\btoward\b", "towards"),
    (r"\bcatalog\b", "catalogue"),
    (r"\bcell ?phones?\b", "phone"),
    (r"(?<!torch \()\bflashlights?\b", "torch (flashlight) at most"),
]
# Proper names and fixed text the rules would misread; URL slugs never reach a msgid.
ALLOWED = [
    "Digital Sex Crime Victim Support Center",  # the service's own English name (Korea)
]


def english_strings() -> list[str]:
    with POT.open("rb") as f:
        catalog = read_po(f)
    return [text for m in catalog if m.id
            for text in ([m.id] if isinstance(m.id, str) else list(m.id))]


def breaches(text: str) -> list[tuple[str, str]]:
    for name in ALLOWED:
        text = text.replace(name, "")
    return [(match.group(), instead) for pattern, instead in RULES
            for match in re.finditer(pattern, text, re.I)]


def test_every_english_string_keeps_the_house_style():
    found = {text: hits for text in english_strings() if (hits := breaches(text))}
    assert not found, "\n".join(f"{hits}: {text}" for text, hits in found.items())


@pytest.mark.parametrize("text", [
    # What the site said before the house style was enforced (issue 26).
    "Check a restroom, fitting room or hotel room for hidden cameras.",
    "Filming from the next stall, under or over the partition, happens in public toilets.",
    "First take a photo of the whole wall so the place can be recognised.",
    "Check tables, shelves and bags for a camera or phone looking toward you.",
    "Use a flashlight.",
    "A color that does not match.",
    "South Korea's center for counselling.",
    "A camera 5 millimeters wide.",
    "A suspicious behavior.",
    "Organise the evidence.",
    "We apologise.",
    "Your neighbors' Wi-Fi.",
    "A trained analyzer.",
])
def test_the_rules_catch_the_old_wording(text):
    assert breaches(text)


@pytest.mark.parametrize("text", [
    "Check a toilet cubicle with your torch (flashlight).",
    "Pinhole cameras are sold disguised as screw heads; we advise you otherwise.",
    "Organizers recognize a neighbour's camera by its colour at the centre.",
    "Digital Sex Crime Victim Support Center",
    "Install the page; a promise is not proof.",
    "Ask the licence holder; analyse the parameter.",
])
def test_the_rules_leave_the_house_style_alone(text):
    assert not breaches(text)
