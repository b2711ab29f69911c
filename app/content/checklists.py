"""What to check in each space: the checklists as data, translated with gettext.

Facts come from shared/CONTENT.md. Items are shared between spaces where the
same advice fits, so each sentence is translated once. An item's `key` is
stable: the phone keeps marks under it, so never rename one that has shipped.
"""

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ..vocab import SPACES


@dataclass(frozen=True)
class Item:
    key: str
    look: LazyString  # what to look at
    how: LazyString  # how to look, in one sentence
    why: LazyString  # why it matters, and the method's limits
    device: str | None = None  # a key of vocab.DEVICES: its drawing, and the report pre-fill


@dataclass(frozen=True)
class Checklist:
    space: str  # the URL slug, always English
    name: LazyString
    where: LazyString  # the places this covers
    quick: tuple[Item, ...]
    thorough: tuple[Item, ...] = ()


HOLES = Item(
    "holes",
    _l("Small holes in the walls, door and partitions"),
    _l("Scan the partitions, the door and the wall slowly, from hip height up, for pinholes, "
       "fresh filler or stickers that cover a hole."),
    _l("Cameras are often pushed through drilled holes at about pelvis height. One Korean "
       "inspection found 124 suspicious holes, 104 of them in toilets."),
)
GAPS = Item(
    "gaps",
    _l("Gaps under the door and over the partitions"),
    _l("Glance at the gap under the door and the top of each partition, and stay alert to "
       "a phone appearing there."),
    _l("Filming from the next stall, under or over the partition, is one of the most common "
       "ways people are filmed in public toilets."),
)
CEILING = Item(
    "ceiling",
    _l("The ceiling, lights and smoke detector"),
    _l("Look up at the smoke detector, the gaps around light fittings and any loose ceiling "
       "panel for a small dark dot or a lens."),
    _l("A false ceiling hides wires and power. A camera has been seen through a gap in a "
       "fitting room's ceiling."),
    "smoke-detector",
)
HOOKS = Item(
    "hooks",
    _l("Hooks, shelves and holders"),
    _l("Look at the front and underside of every hook, shelf and toilet-paper or towel "
       "holder for a pinhole or a glossy dark spot."),
    _l("They face you at close range, and nobody looks at them twice."),
    "hook",
)
BIN = Item(
    "bin",
    _l("The bin and bags near the floor"),
    _l("Look at the rim of the bin and at any bag or box near the floor without reaching "
       "in: a lens or a wire is reason enough to leave."),
    _l("Phones and cameras are hidden in bins and plastic bags, pointing up. In a train "
       "toilet, a camera shaped like a power bank was found with its wires in the bin."),
)
TOILET = Item(
    "toilet",
    _l("Around and under the toilet"),
    _l("Check behind the bowl, the flush panel and the floor around it for anything stuck "
       "on or newly added."),
    _l("Some cameras are placed low and point upward, where people rarely look."),
)
VENTS = Item(
    "vents",
    _l("Vents and exhaust fans"),
    _l("Shine your torch through the slats and look for a round, glassy dot that does not "
       "belong to the grille."),
    _l("A camera the size of a screw head has been found in a bathroom exhaust fan."),
    "vent",
)
SCREWS = Item(
    "screws",
    _l("Screws that don't match"),
    _l("Look for a screw that is newer, darker or shinier in the middle than the ones "
       "beside it."),
    _l("Pinhole cameras are sold disguised as screw heads and fit into any panel."),
    "screw",
)
OUT_OF_PLACE = Item(
    "out-of-place",
    _l("Anything that looks new or out of place"),
    _l("Ask of each object whether it belongs there, especially if it faces the toilet, "
       "the bed or where you undress."),
    _l("Cameras sold on channels like MaskPark hid in incense holders, chargers and "
       "clocks. They work because they look ordinary."),
)
MIRROR = Item(
    "mirror",
    _l("The mirror"),
    _l("Turn the lights off, press your torch flat against the glass and look for a space "
       "or a lens behind it; knock and listen for a hollow sound."),
    _l("The fingernail test is unreliable: stainless-steel mirrors on the Taipei metro "
       "caused a false alarm. Looking behind the glass tells you more."),
    "mirror",
)
LOCKERS = Item(
    "lockers",
    _l("Lockers, benches and bags left behind"),
    _l("Look at open lockers, the space under benches and any bag or phone left propped "
       "up and facing where people change."),
    _l("A phone left recording in a bag is the simplest hidden camera of all."),
)
MEDICAL_CEILING = Item(
    "medical-ceiling",
    _l("Ceiling tiles above the couch or changing area"),
    _l("Look for a ceiling tile that is out of line, or a dark dot in a tile above where "
       "you lie or undress."),
    _l("Phones hidden in false ceilings were found in a hospital in Delhi and in a nurses' "
       "changing room in Tianjin."),
    "smoke-detector",
)
TABLE_HEIGHT = Item(
    "table-height",
    _l("Shelves, trolleys and bags at table height"),
    _l("Check shelves, trolleys, boxes and bags at about table height for a phone's "
       "camera looking toward you."),
    _l("A phone at table height sees the couch and the changing corner clearly."),
)
ASK_STAFF = Item(
    "ask-staff",
    _l("Ask about any device you see"),
    _l("Before you undress, you may ask what a device is and ask for it to be covered or "
       "removed."),
    _l("Real equipment can be explained. Ultrasound rooms were among the places named in "
       "the MaskPark reports."),
)
BERTH = Item(
    "berth",
    _l("Phones and bags aimed at your berth"),
    _l("Look for a phone or bag propped up and facing your berth or the toilet door, and "
       "draw your curtain if there is one."),
    _l("Photos of women asleep in sleeper berths have been shared online."),
)
CHARGER_ON_BOARD = Item(
    "power-banks",
    _l("Power banks and chargers left behind"),
    _l("Look for a power bank, charger or cable that nobody is using, above all in the "
       "toilet and near the sink."),
    _l("On an Indian train, a camera shaped like a power bank was found in the toilet."),
    "usb-charger",
)
SMOKE_DETECTOR = Item(
    "smoke-detector",
    _l("Smoke detectors and motion sensors"),
    _l("Check whether one points at the bed, the shower or the toilet, and look into its "
       "grille with your torch for a lens."),
    _l("Smoke detectors are the disguise most often sold for hotel rooms: they sit high, "
       "see everything and are never touched."),
    "smoke-detector",
)
CHARGERS = Item(
    "chargers",
    _l("USB chargers, adapters and sockets"),
    _l("Look at each charger, adapter and socket facing the bed, shower or desk for a "
       "pinhole, especially one with nothing plugged into it."),
    _l("A charger is always connected to power, so a camera inside it can record for "
       "as long as it likes."),
    "usb-charger",
)
CLOCKS = Item(
    "clocks",
    _l("Clocks, alarm clocks and speakers"),
    _l("Look at the face and the front for a dark dot or tiny hole that doesn't match "
       "the design."),
    _l("Clocks are among the most common camera disguises sold online."),
    "clock",
)
ELECTRONICS = Item(
    "electronics",
    _l("TV boxes, routers and air purifiers"),
    _l("Look at the front of the TV box, router, air purifier or humidifier for a lens "
       "that is not a status light."),
    _l("Devices that are always on can hide a camera and power it."),
)
DECORATIONS = Item(
    "decorations",
    _l("Decorations, tissue boxes and plants facing the bed or shower"),
    _l("Pick out the objects that face the bed, bath or shower and look closely at each "
       "for a lens."),
    _l("Tissue boxes, incense holders and ornaments are sold with cameras inside."),
)
TORCH = Item(
    "torch",
    _l("Sweep with your torch for lens glint"),
    _l("Turn the lights off, hold your phone's torch next to your eye and sweep each wall "
       "slowly: a lens returns a small, sharp point of light."),
    _l("It finds many lenses but not all: the glint depends on the angle and the distance. "
       "Korean police add red film over the phone's camera and film in video mode, where "
       "a lens shows as a white glint."),
)
INFRARED = Item(
    "infrared",
    _l("Infrared lights in the dark"),
    _l("In the dark, look through your phone's camera, the front one too, for small purple "
       "or white dots your eyes cannot see."),
    _l("Night-vision cameras light the room with infrared. This may help, but it is not "
       "reliable: many rear cameras filter infrared out."),
)
CORDS = Item(
    "cords",
    _l("Follow every power cord"),
    _l("Trace each cord from the socket to its device; a cord leading to something with no "
       "clear purpose deserves a closer look."),
    _l("A camera that records for days needs power from somewhere."),
    "socket",
)
WIFI = Item(
    "wifi",
    _l("Wi-Fi network names"),
    _l("Open your phone's Wi-Fi list and look for names with camera brands, 'CAM', 'IPC' "
       "or long random codes; in a rental, ask the host what is on the network."),
    _l("This page cannot scan the network for you, and a name is a hint, not proof: many "
       "cameras record without Wi-Fi."),
)

RESTROOM = Checklist(
    "restroom",
    SPACES["restroom"],
    _l("Toilet stalls in malls, stations, offices and restaurants."),
    quick=(HOLES, GAPS, CEILING, HOOKS, BIN, TOILET, VENTS, OUT_OF_PLACE),
)
FITTING_ROOM = Checklist(
    "fitting-room",
    SPACES["fitting-room"],
    _l("Changing cubicles in clothes shops."),
    quick=(CEILING, MIRROR, HOOKS, HOLES, VENTS, GAPS, OUT_OF_PLACE),
)
HOTEL_ROOM = Checklist(
    "hotel-room",
    SPACES["hotel-room"],
    _l("Hotel rooms, guesthouses and short-term rentals."),
    quick=(SMOKE_DETECTOR, CHARGERS, CLOCKS, ELECTRONICS, DECORATIONS, MIRROR),
    thorough=(TORCH, INFRARED, CORDS, VENTS, SCREWS, HOOKS, HOLES, WIFI),
)
CHANGING_ROOM = Checklist(
    "changing-room",
    SPACES["changing-room"],
    _l("Gyms, swimming pools and staff changing rooms."),
    quick=(CEILING, LOCKERS, HOOKS, HOLES, MIRROR, VENTS, GAPS, OUT_OF_PLACE),
)
MEDICAL_ROOM = Checklist(
    "medical-room",
    SPACES["medical-room"],
    _l("Examination rooms, ultrasound rooms and changing corners in clinics."),
    quick=(ASK_STAFF, MEDICAL_CEILING, TABLE_HEIGHT, HOOKS, MIRROR, OUT_OF_PLACE),
)
TRANSPORT = Checklist(
    "transport",
    SPACES["transport"],
    _l("Train toilets, sleeper berths and station restrooms."),
    quick=(CHARGER_ON_BOARD, BIN, HOLES, HOOKS, TOILET, BERTH),
)

CHECKLISTS = {
    c.space: c
    for c in (RESTROOM, FITTING_ROOM, HOTEL_ROOM, CHANGING_ROOM, MEDICAL_ROOM, TRANSPORT)
}
