"""What to check in each space: the checklists as data, translated with gettext.

Facts come from shared/CONTENT.md. Items are shared between spaces where the
same advice fits, so each sentence is translated once. An item's `key` is
stable: the phone keeps marks under it, so never rename one that has shipped.
"""

from flask_babel import lazy_gettext as _l

from ..vocab import PRIVATE_SPACES, SPACES
from . import home
from .items import Checklist, Item

# Sources for the medical-room facts, from shared/CONTENT.md:
# - Tianjin, Dec 2025: a camera on a table in the nurses' changing room, lens level with
#   the tabletop. stheadline.com realtime-china/3528125 (as CONTENT.md gives it; not
#   re-checked).
# - Delhi (Dwarka, Dec 2024): a phone hidden in a hospital changing room, found when it
#   rang; Bhopal, the same day: a phone in the false ceiling of a diagnostic centre's
#   changing room. news.abplive.com/cities/delhi-hidden-camera-found-dwarka-hospital-
#   changing-room-housekeeping-staffer-arrested-1738946 (checked 2026-12-01).
# - Chaperone: Taiwan's 醫療機構醫療隱私維護規範, revised 2015
#   (mohw.gov.tw/cp-2641-21002-1.html, checked 2026-12-01; the chaperone clause itself
#   was seen in a hospital's summary of it, clinic.org.tw/patient/3).
# The honest box's figures: LAPD, SenSys 2021, National University of Singapore
# (CONTENT.md; not re-checked).
HOLES = Item(
    "holes",
    _l("Small holes in the walls, door and partitions"),
    _l("Scan the partitions, the door and the wall slowly, from the floor up and most "
       "closely around hip height, for pinholes, fresh filler or stickers over a hole."),
    # MOGEF's 2018 inspection: no camera in any of the 124 holes; each was covered with a
    # sticker (천지일보, quoting the ministry, newscj.com/news/articleView.html?idxno=558824).
    _l("Cameras are often pushed through holes drilled at about hip height, and lower "
       "beside a squat toilet. One Korean inspection found 124 suspicious holes, 104 of "
       "them in toilets; none held a camera, and the inspectors covered each with a "
       "sticker."),
    _l("A pinhole is easy to miss on a patterned or dirty surface, and a sticker can hide "
       "one."),
)
GAPS = Item(
    "gaps",
    _l("A phone over or under the partition"),
    _l("Glance at the gap under the door and the top of each partition. If a phone "
       "appears there, shout, cover yourself, leave and ask staff or the police for help "
       "at once."),
    _l("Filming from the next cubicle, under or over the partition, happens in public "
       "toilets. Note the time and the cubicle: the person may still be there, and "
       "recordings can show who came out."),
    _l("You only see it while you watch: a phone held up for a moment is easy to miss."),
)
CEILING = Item(
    "ceiling",
    _l("The ceiling, lights and smoke detector"),
    _l("Look up at the smoke detector, the gaps around light fittings and any loose ceiling "
       "panel for a small dark dot or a lens."),
    _l("A false ceiling hides wires and power. A camera has been seen through a gap in a "
       "fitting room's ceiling."),
    _l("From below you cannot see what lies above a panel, only a lens that looks out."),
    "smoke-detector",
)
HOOKS = Item(
    "hooks",
    _l("Hooks, shelves and holders"),
    _l("Look at the front and underside of every hook, shelf and toilet-paper or towel "
       "holder for a pinhole or a glossy dark spot."),
    _l("They face you at close range, and nobody looks at them twice."),
    _l("A lens the size of a pinhead can sit in a dark or patterned part and look like "
       "a screw or a mark."),
    "hook",
)
BIN = Item(
    "bin",
    _l("The bin and bags near the floor"),
    _l("Look at the rim of the bin and at any bag or box near the floor without reaching "
       "in: a lens or a wire is reason enough to leave."),
    _l("Phones and cameras are hidden in bins and plastic bags, pointing up. In a train "
       "toilet, a camera shaped like a power bank was found with its wires in the bin."),
    _l("Without reaching in you see only the top; a phone under rubbish can stay hidden."),
)
TOILET = Item(
    "toilet",
    _l("Around and under the toilet or squat pan"),
    _l("Check behind the bowl, the flush panel and the floor around it for anything stuck "
       "on or newly added."),
    _l("Some cameras are placed low and point upward, where people rarely look."),
    _l("Parts under the bowl or behind pipes cannot be seen without bending low."),
)
VENTS = Item(
    "vents",
    _l("Vents and exhaust fans"),
    _l("Shine your torch through the slats and look for a round, glassy dot that does not "
       "belong to the grille."),
    _l("A camera the size of a screw head has been found in a bathroom exhaust fan."),
    _l("Deep behind the slats a lens may give no glint at all."),
    "vent",
    lens=True,
)
AIRCON = Item(
    "aircon",
    _l("Air-conditioner vents"),
    _l("Shine your torch into the air-conditioner's outlet and the grille on the wall or "
       "ceiling, above all one that faces the bed or the bathroom."),
    _l("Air-conditioners are in almost every hotel room, sit high and have power, and "
       "their grilles are sold with cameras behind them."),
    _l("Moving louvres and dust hide a lens; you cannot see inside without opening it."),
    "vent",
    lens=True,
)
SCREWS = Item(
    "screws",
    _l("Screws that don't match"),
    _l("Look for a screw that is newer, darker or shinier in the middle than the ones "
       "beside it."),
    _l("Pinhole cameras are sold disguised as screw heads and fit into any panel."),
    _l("A camera screw can match its neighbours; only a close look may tell."),
    "screw",
)
OUT_OF_PLACE = Item(
    "out-of-place",
    _l("Anything that looks new or out of place"),
    _l("For each object, ask yourself whether it belongs there, especially if it faces "
       "the toilet, the bed or where you undress."),
    # Only incense holders are named in the MaskPark reporting (Reuters; ABC Chinese).
    _l("Cameras sold in channels like MaskPark were hidden in everyday objects such as "
       "incense holders. They work because they look ordinary."),
    _l("A camera built into a fixture that was always there will not look out of place."),
)
MIRROR = Item(
    "mirror",
    _l("The mirror"),
    _l("Turn the lights off, press your torch flat against the glass and look for a space "
       "or a lens behind it; knock and listen for a hollow sound."),
    _l("The fingernail test is unreliable: stainless-steel mirrors on the Taipei metro "
       "caused a false alarm. Looking behind the glass tells you more."),
    _l("A mirror fixed to a hollow wall sounds hollow too, so knocking alone proves "
       "nothing."),
    "mirror",
)
LOCKERS = Item(
    "lockers",
    _l("Lockers, benches and bags left behind"),
    _l("Look at open lockers, the space under benches and any bag or phone left propped "
       "up and facing where people change."),
    _l("A phone left recording in a bag is the simplest hidden camera of all."),
    _l("You cannot see inside closed lockers or bags, and may not open them."),
)
MEDICAL_CEILING = Item(
    "medical-ceiling",
    _l("Ceiling tiles above the couch or changing area"),
    _l("Look for a ceiling tile that is out of line, or a dark dot in a tile above where "
       "you lie or undress."),
    _l("In a diagnostic centre in Bhopal, a phone was hidden in the false ceiling of the "
       "changing room."),
    _l("A phone above a tile shows only a small hole; you cannot look behind it."),
    "smoke-detector",
)
TABLE_HEIGHT = Item(
    "table-height",
    _l("Tables, shelves, trolleys and bags"),
    _l("Check tables, shelves, trolleys, boxes and bags, down to the tabletop itself, for "
       "a camera or phone looking towards you."),
    _l("In Tianjin (Dec 2025) a camera sat on a table in the nurses' changing room, its "
       "lens level with the tabletop. In Delhi a phone hidden in a changing room was "
       "found only when it rang."),
    _l("A lens flush with a surface or tucked among clutter is easy to overlook."),
)
ASK_STAFF = Item(
    "ask-staff",
    _l("Ask about any device you see"),
    _l("Before you undress, you may ask what a device is and ask for it to be covered or "
       "removed."),
    _l("Real equipment can be explained. Ultrasound rooms were among the places named in "
       "the MaskPark reports."),
    _l("An answer can be wrong or a lie; if you stay uneasy, you may decline and leave."),
)
CHAPERONE = Item(
    "chaperone",
    _l("Ask for a chaperone"),
    _l("For an intimate examination you may ask for a chaperone, a staff member or "
       "someone you bring, to stay in the room, and wait until one is there."),
    _l("Medical privacy rules, such as Taiwan's, expect a chaperone when a male doctor "
       "examines a woman intimately."),
    _l("A chaperone protects you during the examination but does not check the room "
       "for cameras."),
)
BERTH = Item(
    "berth",
    _l("Phones and bags aimed at your berth"),
    _l("Look for a phone or bag propped up and facing your berth or the toilet door, and "
       "draw your curtain if there is one."),
    _l("Photos of women asleep in sleeper berths have been shared online."),
    _l("Other passengers come and go; a check now says nothing about later in the night."),
)
CHARGER_ON_BOARD = Item(
    "power-banks",
    _l("Power banks and chargers left behind"),
    _l("Look for a power bank, charger or cable that nobody is using, above all in the "
       "toilet and near the sink."),
    _l("On an Indian train, a camera shaped like a power bank was found in the toilet."),
    _l("A charger with a camera inside looks like any other; its lens can be a pinhole."),
    "usb-charger",
)
SMOKE_DETECTOR = Item(
    "smoke-detector",
    _l("Smoke detectors and motion sensors"),
    _l("Check whether one points at the bed, the shower or the toilet, and look into its "
       "grille with your torch for a lens."),
    _l("Cameras are sold disguised as smoke detectors: they sit high, see the whole room "
       "and nobody touches them."),
    _l("A real detector also has dark holes and lights; from the floor you may not tell "
       "them apart."),
    "smoke-detector",
)
CHARGERS = Item(
    "chargers",
    _l("USB chargers, adapters and sockets"),
    _l("Look at each charger, adapter and socket facing the bed, shower or desk for a "
       "pinhole, especially one with nothing plugged into it."),
    _l("A charger is always connected to power, so a camera inside it can record for "
       "as long as it likes."),
    _l("The pinhole can sit behind dark plastic that hides it from the eye."),
    "usb-charger",
)
CLOCKS = Item(
    "clocks",
    _l("Clocks, alarm clocks and speakers"),
    _l("Look at the face and the front for a dark dot or tiny hole that doesn't match "
       "the design."),
    _l("Clocks and speakers are sold online with cameras inside."),
    _l("A lens behind a dark face or a speaker grille may not show at all."),
    "clock",
)
ELECTRONICS = Item(
    "electronics",
    _l("Routers, air purifiers and humidifiers"),
    _l("Look at the front of the router, air purifier or humidifier for a lens that is "
       "not a status light."),
    _l("Devices that are always on can hide a camera and power it."),
    _l("Status lights and dark panels make a lens hard to tell apart."),
)
SCREENS = Item(
    "screens",
    _l("TVs, projectors and set-top boxes"),
    _l("In a rental, look at the frame of the TV, the projector and the set-top box for a "
       "pinhole; if one faces the bed, you may lay a cloth over it."),
    _l("Screens face the bed and sofa and have power; in a rental the host chose and "
       "placed them."),
    _l("A lens can sit behind the dark glass of a screen or a box's front, out of view."),
)
DECORATIONS = Item(
    "decorations",
    _l("Decorations, tissue boxes and plants facing the bed or shower"),
    _l("Pick out the objects that face the bed, bath or shower and look closely at each "
       "for a lens."),
    _l("Tissue boxes, incense holders and ornaments are sold with cameras inside."),
    _l("There are too many objects to open; you see only what shows on the outside."),
)
TORCH = Item(
    "torch",
    _l("Sweep with your torch for lens glint"),
    _l("Turn the lights off, hold your phone's torch next to your eye and sweep each wall "
       "slowly: a lens returns a small, sharp point of light."),
    _l("It finds many lenses but not all: the glint depends on the angle and the distance. "
       "Korean police cover the phone's camera and its flash with red film, turn the flash "
       "on and film in video mode, where a lens shows as a bright white point."),
    _l("Glass, screens and shiny plastic glint too, so a glint is a reason to look, not "
       "proof."),
    lens=True,
)
INFRARED = Item(
    "infrared",
    _l("Infrared lights in the dark"),
    _l("In the dark, look through your phone's camera, the front one too, for small purple "
       "or white dots your eyes cannot see."),
    _l("Night-vision cameras light the room with infrared. This may help, but it is not "
       "reliable: many rear cameras filter infrared out."),
    _l("A camera without night vision gives off no infrared and will not show."),
    lens=True,
)
CORDS = Item(
    "cords",
    _l("Follow every power cord"),
    _l("Trace each cord from the socket to its device; a cord leading to something with no "
       "clear purpose deserves a closer look."),
    _l("A camera that records for days needs power from somewhere."),
    _l("Battery cameras have no cord, and cords inside walls cannot be followed."),
    "socket",
)
WIFI = Item(
    "wifi",
    _l("Wi-Fi network names"),
    _l("Open your phone's Wi-Fi list and look for names with 'CAM', 'IPC', a camera app's "
       "name or a long random code. In a rental, ask the booking platform about a name "
       "like that, not the host: the host may be the one who put a camera there."),
    _l("Cheap cameras often broadcast their own network for setup, named after the camera "
       "or its app. A name like that says such a device is near, not where it is or "
       "whose."),
    _l("This page cannot scan the network for you, and a name is a hint, not proof: many "
       "cameras record without Wi-Fi, or join the host's network under a name that gives "
       "nothing away."),
)


RESTROOM = Checklist(
    "restroom",
    SPACES["restroom"],
    _l("Toilet cubicles in malls, stations, offices and restaurants."),
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
    quick=(
        SMOKE_DETECTOR, AIRCON, SCREENS, CHARGERS, CLOCKS, ELECTRONICS, DECORATIONS, MIRROR
    ),
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
    _l("Examination rooms, ultrasound rooms and changing areas in clinics."),
    quick=(ASK_STAFF, CHAPERONE, TABLE_HEIGHT, MEDICAL_CEILING, HOOKS, MIRROR, OUT_OF_PLACE),
)
TRANSPORT = Checklist(
    "transport",
    SPACES["transport"],
    _l("Toilets on trains and in stations, and sleeper berths."),
    quick=(CHARGER_ON_BOARD, BIN, HOLES, HOOKS, TOILET, BERTH),
)

# Her own home and phone: a checklist, never a kind of place to report (see vocab.py).
HOME = Checklist(
    "home",
    PRIVATE_SPACES["home"],
    _l("Cameras at home, and signs that someone watches your phone."),
    quick=(home.SAFE_PHONE, home.APPLE_ACCOUNT, home.GOOGLE_ACCOUNT, home.WECHAT,
           home.ANDROID_ACCESS, home.IPHONE_PROFILES, home.WHO_KNOWS, home.BATTERY),
    thorough=(home.HOME_CAMERAS, home.SMART_DEVICES, home.NEW_THINGS, SMOKE_DETECTOR, CHARGERS,
              CLOCKS, TORCH, home.TRACKERS),
)

CHECKLISTS = {
    c.space: c
    for c in (RESTROOM, FITTING_ROOM, HOTEL_ROOM, CHANGING_ROOM, MEDICAL_ROOM, TRANSPORT, HOME)
}
