"""At home and on her own phone: the items only this checklist has (issue 26).

The checklist itself, with the items it shares with the hotel room, is HOME in
checklists.py. Keys are stable: the phone keeps marks under them.
"""

from flask_babel import lazy_gettext as _l

from .items import Item

# Drawings (static/drawings.svg) only this checklist uses. Not kinds of device on the
# report form (vocab.DEVICES): nothing here is ever reported.
DRAWINGS = {
    # Translators: a drawing's label: a small camera for watching a home or a baby.
    "home-camera": _l("Home camera"),
    # Translators: a drawing's label: a small Bluetooth tag such as an AirTag.
    "tracker": _l("Tracker tag"),
}

# At home and on her own phone (issue 26): the commonest pattern in the MaskPark reporting
# is filming by partners and relatives, and footage shared by exes. Sources, each checked
# 2026-12-06:
# - Removing stalkerware can alert the abuser and escalate the danger; plan with an
#   advocate, on a device that is not monitored: Coalition Against Stalkerware,
#   stopstalkerware.org/about/writing-about-stalkerware/; NCSA, ESET and NNEDV's tip sheet
#   (as copied at vicargroup.com/stalkerware-what.html, secondary source).
# - Safety Check: Settings > Privacy & Security > Safety Check, iOS 16 or later, with a
#   Quick Exit button; "consider potential impacts to your safety" before changes:
#   support.apple.com/en-ca/guide/personal-safety/ips2aad835e1/web. Taiwan's menu names
#   (「設定」>「隱私權與安全性」>「安全檢查」>「管理分享與取用權限」, and "the other person may
#   notice"): support.apple.com/zh-tw/guide/personal-safety/ips16ea6f2fe/web. Hong Kong's
#   「設定」>「私隱與保安」: support.apple.com/zh-hk/guide/personal-safety/ipsd4dac4a2c/web.
#   Mainland's 「设置」>「隐私与安全性」>「安全检查」: jkwshk.tv/zhzs/20250412/1783089.html and
#   gameducky.com/y/124801.html (secondary sources). Find My and Family Sharing are among the
#   sharing the Personal Safety User Guide covers (Apple, May 2023 edition).
# - Google Account devices: Security > Your devices > Manage all devices (Google's help
#   text as copied at nettivuori.com/article/see-devices-with-account-access/2366,
#   secondary source). Google Maps: profile picture > Location sharing
#   (businessinsider.com/how-to-track-someone-on-google-maps, secondary source).
# - WeChat: 我 > 设置 > 账号与安全 > 登录设备管理 (t.cj.sina.com.cn/articles/view/
#   5950582767/162aeafef00100ceu9 and readke.com/c/03154G51H022_2.html, secondary
#   sources; the menu names are the Simplified Chinese app's). QQ: a 登录设备管理 list in
#   its security settings (qqhcz.com/?id=252, secondary source; the path differs by
#   version, so none is given).
# - Android: Accessibility and device admin apps abused by stalkerware, bland names such
#   as "System Service": TechCrunch's guide as summarized at imtr.net/article/your-android-
#   phone-could-have-stalkerware-heres-how-to-remove-it-3b50 (secondary source); MITRE
#   ATT&CK, attack.mitre.org/detectionstrategies/DET0603 (device administrators listed in
#   settings).
# - iPhone profiles and device management (MDM) limit Safety Check: the Apple guide above.
#   The menu (Settings > General > VPN & Device Management) could not be confirmed at an
#   Apple page, so the item names no path.
# - Trackers: Android's unknown tracker alerts and "Scan now" (Settings > Safety &
#   emergency > Unknown tracker alerts), which "currently work with Apple AirTags"; the
#   owner is not told when the sound plays: support.google.com/android/answer/13658562.
#   iPhone's "AirTag Found Moving With You" alert, Play Sound:
#   macrumors.com/how-to/disable-an-airtag-found-moving-with-you (secondary source; Apple's
#   own page was not found in the store).
SAFE_PHONE = Item(
    "safe-phone",
    _l("First: is this phone watched?"),
    _l("If someone may be watching this phone, don’t delete apps or change passwords yet. "
       "Plan first, on a device that person has never used."),
    _l("Domestic violence services warn that removing monitoring software can alert the "
       "person who installed it, make things more dangerous and destroy evidence. A "
       "friend’s phone or a library computer is safer for planning."),
    _l("No page can tell whether this phone is watched. If you are unsure, act as if it "
       "is: what you read here may be seen."),
)
APPLE_ACCOUNT = Item(
    "apple-account",
    _l("iPhone: who can see your location and data"),
    _l("Open Settings > Privacy & Security > Safety Check > Manage Sharing & Access (iOS 16 "
       "or later) to see whom you share your location and other data with, and which "
       "devices use your Apple Account. Its Quick Exit button closes it at once."),
    _l("Someone who knows your Apple Account password, or who set up your phone, can see "
       "your location (in Find My, or through Family Sharing) and your data from another "
       "device without touching your phone."),
    _l("It shows Apple’s own sharing only, not apps installed on the phone. The other person "
       "may notice when you stop sharing, so decide that with a support service first."),
)
GOOGLE_ACCOUNT = Item(
    "google-account",
    _l("Google: devices and location sharing"),
    _l("In your Google Account, open Security and then Your devices to look for phones and "
       "computers you don’t know. In Google Maps, tap your profile picture, then Location "
       "sharing, to see who can see where you are."),
    _l("A device still signed in to your account can read your email and photos, and "
       "location sharing shows where you are as you move."),
    _l("A device’s name and place are approximate, and they don’t say who holds it. Signing "
       "it out or stopping sharing can be noticed."),
)
WECHAT = Item(
    "wechat",
    _l("WeChat and QQ: devices logged in to your account"),
    _l("In WeChat, open 我 > 设置 > 账号与安全 > 登录设备管理 (the names in the Simplified "
       "Chinese app) and look for phones, tablets or computers you don’t know. QQ has a "
       "similar list of login devices in its security settings."),
    _l("A phone or computer still logged in to your account can read your chats as they "
       "arrive."),
    _l("Device names can look strange even for your own phone, and the list says nothing "
       "about apps installed on this phone. Removing a device can be noticed."),
)
ANDROID_ACCESS = Item(
    "android-access",
    _l("Android: apps with special access"),
    _l("In Settings, look at Accessibility and at the device admin apps (often under "
       "Security; the place differs by phone) for apps you did not turn on, especially "
       "ones with bland names like “System Service”."),
    _l("Monitoring apps installed from outside the Play Store use these rights to read the "
       "screen and to resist being removed."),
    _l("Monitoring software can hide behind an ordinary name or no icon at all: an unknown "
       "name is a reason to ask for help, not proof, and an empty list proves nothing."),
)
IPHONE_PROFILES = Item(
    "iphone-profiles",
    _l("iPhone: device management you did not set up"),
    _l("In Settings, look for a configuration profile or device management (MDM) on a phone "
       "that is not from your work or school, and for anything you don’t remember "
       "allowing."),
    _l("A management profile lets someone else control settings on the phone; Apple notes "
       "it can also block parts of Safety Check."),
    _l("Most monitoring of iPhones goes through the Apple Account, not a profile, so finding "
       "none proves nothing."),
)
BATTERY = Item(
    "battery",
    _l("Battery, heat and data: weak signs only"),
    _l("Notice whether the battery drains fast, the phone runs warm or mobile data climbs "
       "while you are not using it."),
    _l("Monitoring apps send what they collect, which uses power and data."),
    _l("Age, updates and ordinary apps do the same, and well-made monitoring software may "
       "show none of it: never rely on these signs alone."),
)
WHO_KNOWS = Item(
    "who-knows",
    _l("Who has had your phone or your passcode"),
    _l("Think about who knows your passcode, set up the phone for you, or has had it alone "
       "for a while, and whether someone knows things they could only have read on it."),
    _l("Most monitoring apps need the phone in hand to install. Someone knowing what they "
       "should not is often the first sign."),
    _l("Someone may also learn things from shared accounts, a shared computer or friends, "
       "so this points to a question, not an answer."),
)
HOME_CAMERAS = Item(
    "home-cameras",
    _l("Home cameras and baby monitors"),
    _l("List the cameras and monitors in your home, including any you did not set up, and "
       "ask whose phone has the app for each: whoever holds the app can watch and listen."),
    _l("A camera put up for security or for a baby can be watched from anywhere by whoever "
       "holds its app or account."),
    _l("You cannot tell from the camera who is watching, and its light may stay off while it "
       "records."),
    "home-camera",
)
SMART_DEVICES = Item(
    "smart-devices",
    _l("Smart speakers, TVs and doorbells"),
    _l("Check which account each smart speaker, TV, video doorbell and robot vacuum is linked "
       "to, and whether its app is on someone else’s phone."),
    _l("Devices with a microphone or camera can be used from an app on someone else’s "
       "phone."),
    _l("You may not be able to open the account that controls a device, and it can be used "
       "with no sign on the device itself."),
)
NEW_THINGS = Item(
    "new-things",
    _l("New gadgets and gifts in the bedroom or bathroom"),
    _l("Look closely at anything recently put in the bedroom or bathroom that no one asked "
       "for: a charger, a clock, an ornament or a box facing the bed or the shower."),
    _l("Someone who lives with you or visits can place a camera, charge it and move it "
       "whenever they like."),
    _l("A camera built into something that was always there will not look new."),
)
TRACKERS = Item(
    "trackers",
    _l("Trackers in your bag, coat or car"),
    _l("An iPhone warns you when an AirTag that isn’t yours moves with you; tap the alert to "
       "play a sound. On Android 12 or later, open Settings > Safety & emergency > Unknown "
       "tracker alerts and tap Scan now."),
    _l("A tracker in a bag, coat lining or car shows its owner where you go. Playing the "
       "sound from Android’s alert does not tell the owner."),
    _l("Alerts can take hours, and Android’s scan finds AirTags but not every other brand, "
       "so look in your bag and car yourself. A tracker that stops can be noticed."),
    "tracker",
)
