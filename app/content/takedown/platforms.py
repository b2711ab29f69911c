"""Platforms and search engines: where the footage is posted or found, and their own forms.

Each entry was read on its own help or policy pages where they could be reached on
2026-12-06; docs/content-review.md ("Takedown destinations: platforms and search
engines") says, fact by fact, what was confirmed there and what only a secondary
source says. A field we could not confirm is left out rather than guessed.

The US TAKE IT DOWN Act (Pub. L. 119-12, s. 4(3)) covers "a website, online service,
online application, or mobile application (i) that serves the public; and (ii)(I)
that primarily provides a forum for user-generated content, including messages,
videos, images, games, and audio files" (or whose business is such images); broadband
access providers are excluded (its further exclusions were not re-read here).
So: X, Reddit and the three porn sites host what their users upload and serve the US
public (XVideos says US law does not govern it; the letter cites the Act anyway);
Telegram's channels and groups are public, user-made and "messages" are named in the
definition, so it is counted too, though it has published no TAKE IT DOWN page we
could find. Search engines index other sites and
host no user uploads, so Google Search, Bing and Baidu are not marked; the mainland
platforms do not serve the US public in the Act's sense and are not marked either.
"""

from flask_babel import lazy_gettext as _l

from .model import Destination

CHECKED = "2026-12-06"

TELEGRAM = Destination(
    "telegram", "Telegram", "platform", None,
    _l("Telegram's moderators can take down channels, groups and posts that share "
       "illegal content."),
    _l("The link to each message, channel or group (t.me/… or @…) and one line on what "
       "it shows. A report in the app is sent from your own Telegram account."),
    _l("In the app, tap the message (Android) or press and hold it (iPhone), then "
       "Report, and choose a reason. Or email the links to Telegram's takedown "
       "address."),
    "en",
    _l("None stated."),
    ("https://telegram.org/faq#q-there-39s-illegal-content-on-telegram-how-do-i-take-it-down",
     "https://telegram.org/tos",
     "https://www.thehindu.com/sci-tech/technology/telegram-has-changed-its-faq-page-language-"
     "relating-to-chat-and-group-chat-privacy/article68612641.ece",
     "https://tass.com/economy/1839687",
     "https://prologuejournal.com/hong-kong-ngo-alerted-to-over-1300-intimate-images-online-"
     "as-it-urges-platforms-to-honour-removal-requests"),
    CHECKED,
    url="https://telegram.org/faq#q-there-39s-illegal-content-on-telegram-how-do-i-take-it-down",
    email="abuse@telegram.org",
    ignores=_l("RainLily's Ta-DA service in Hong Kong says Telegram never acted on its "
               "removal requests."),
    limit=_l("Since September 2024 its answer on illegal content no longer puts private "
             "chats out of reach, but its FAQ still says it takes no requests about "
             "private groups and chats. Reports work best on channels and public groups."),
    rule=_l("Telegram's Terms of Service: no illegal pornographic content on publicly "
            "viewable channels"),
    take_it_down_act=True,
)

X = Destination(
    "x", "X", "platform", None,
    _l("X removes intimate photos and videos shared without consent, including "
       "hidden-camera footage."),
    _l("The link to each post. X may email you to ask for a document that shows who "
       "you are; it says it destroys it once the case is closed. A report under the "
       "US TAKE IT DOWN Act also needs your typed name as a signature, a short "
       "statement that you did not consent, and how to reach you."),
    _l("On the post, tap ⋯, then Private or non-consensual content. Or use X's TAKE IT "
       "DOWN Act form, which needs no X account."),
    "en",
    _l("Within 48 hours for a valid TAKE IT DOWN Act report, X's page says."),
    ("https://help.x.com/en/rules-and-policies/us-tida",
     "https://help.twitter.com/en/rules-and-policies/intimate-media",
     "https://conductatlas.com/platform/x/x-rules-and-policies/non-consensual-nudity-policy/"),
    CHECKED,
    url="https://help.x.com/forms/safety-and-sensitive-content/take-it-down",
    limit=_l("The form without an account is for people in the US; elsewhere, report "
             "from the post itself."),
    rule=_l("X's Non-consensual nudity policy"),
    take_it_down_act=True,
)

REDDIT = Destination(
    "reddit", "Reddit", "platform", None,
    _l("Reddit's rules forbid posting intimate or sexually explicit media of someone "
       "without their consent, including creepshots; Reddit's own staff remove it."),
    _l("The link to each post or comment, and a statement that it shows you and was "
       "shared without your consent."),
    _l("Use Report on the post in the app or on the website, or Reddit's report form."),
    "en",
    _l("None stated."),
    ("https://redditinc.com/policies/reddit-rules",
     "https://www.reddithelp.com/hc/en-us/articles/360043513411",
     "https://endsexualexploitation.org/articles/action-alert-call-on-reddit-to-stop-"
     "facilitating-image-based-sexual-abuse/"),
    CHECKED,
    url="https://www.reddit.com/report",
    ignores=_l("A campaign group reports one woman's video left up for four months after "
               "she asked Reddit several times."),
    rule=_l("Reddit Rule 3: never post intimate or sexually explicit media of someone "
            "without their consent"),
    take_it_down_act=True,
)

PORNHUB = Destination(
    "pornhub", "Pornhub (Aylo)", "platform", None,
    _l("Pornhub's content removal form takes requests to remove videos, including "
       "non-consensual content. Under a 2025 FTC order, Aylo must suspend what is "
       "reported while it checks, and give you a case manager if you ask."),
    _l("The link to each video and what is wrong with it, and an email address you "
       "confirm. Anyone can send a request."),
    _l("Fill in the content removal form, linked at the bottom of every page, or press "
       "Report under the video."),
    "en",
    _l("At once: Pornhub says what is reported through its form is taken down "
       "automatically as soon as you confirm your email address."),
    ("https://www.pornhub.com/information/terms",
     "https://ei.phncdn.com/static/misc/legal/Risk_Assessment_for_Pornhub_April_2025_"
     "1752958273.pdf",
     "https://consumer.ftc.gov/consumer-alerts/2025/09/protecting-kids-and-adults-online"),
    CHECKED,
    url="https://www.pornhub.com/content-removal",
    limit=_l("Copies on the company's other sites and elsewhere need their own "
             "requests."),
    rule=_l("Pornhub's Terms of Service"),
    take_it_down_act=True,
)

XVIDEOS = Destination(
    "xvideos", "XVideos", "platform", None,
    _l("XVideos says reported videos are hidden at once while its moderators review "
       "them, and that non-consensual intimate imagery is deleted and the account that "
       "uploaded it banned for good."),
    _l("The link to each video and a line saying it was filmed or shared without your "
       "consent. Leave an email address if you want to hear the outcome."),
    _l("Use the report button under the video, or XVideos' abuse report form for "
       "non-consensual content; start from its legal pages, linked here."),
    "en",
    _l("None stated."),
    ("https://info.xvideos.net/legal/repeat",
     "https://public-assets.xvideos-cdn.com/transparency/"
     "WGCZ_XVIDEOS_Risk-Assessment-Report_23_April_2025.pdf"),
    CHECKED,
    url="https://info.xvideos.net/legal/repeat",
    limit=_l("XVideos says it is based outside North America and not governed by US "
             "law. We could not confirm the address of its removal form."),
    rule=_l("XVideos' Terms of Service and Repeat Infringers Policy"),
    take_it_down_act=True,
)

XHAMSTER = Destination(
    "xhamster", "xHamster", "platform", None,
    _l("xHamster can remove a video from its site when you report it."),
    _l("The link to each video and a line saying it was filmed or shared without your "
       "consent."),
    _l("Write through xHamster's contact page, which it names as its single point of "
       "contact."),
    "en",
    _l("None stated."),
    ("https://xhamster.com/info/eu-digital-services-act",
     "https://xhamster.com/info/terms",
     "https://xhamster.com/info/contact"),
    CHECKED,
    url="https://xhamster.com/info/contact",
    limit=_l("We could not read xHamster's own pages to confirm a removal form for "
             "non-consensual content."),
    rule=_l("xHamster's Terms and conditions of Use"),
    take_it_down_act=True,
)

GOOGLE = Destination(
    "google-search", _l("Google Search"), "search", None,
    _l("Google can remove links to intimate images of you from its search results."),
    _l("The links to the images and to the pages they are on. The images must show you "
       "nude, in a sexual act or in an intimate state, shared without your consent, "
       "and you must not be paid for them now."),
    _l("Send Google's removal request from its help page. On an image result you can "
       "also tap the three dots, then Remove result."),
    "en",
    _l("None stated. Google emails you to confirm it has the request, and again to say "
       "what it did."),
    ("https://support.google.com/websearch/answer/6302812",
     "https://techbriefly.com/2026/02/11/google-launches-search-tool-to-remove-non-"
     "consensual-explicit-images/"),
    CHECKED,
    url="https://support.google.com/websearch/answer/6302812",
    limit=_l("It removes the search result, not the image on the site itself."),
    rule=_l("Google's policy on explicit or intimate personal images"),
)

BING = Destination(
    "bing", "Bing", "search", None,
    _l("Microsoft removes links to intimate images shared without consent from Bing's "
       "results everywhere, and the content itself from OneDrive and Xbox."),
    _l("The link to each image or page, your name and email, and whether you ever "
       "agreed to it being shared. A police report or court order helps but is not "
       "required."),
    _l("Fill in Microsoft's report form for non-consensual intimate images."),
    "en",
    _l("None stated."),
    ("https://www.huffingtonpost.co.uk/jacqueline-beauchere/microsoft-revenge-porn_b_7849070.html",
     "https://searchengineland.com/microsofts-revenge-porn-reporting-page-aims-to-remove-"
     "explicit-content-from-search-results-225804",
     "https://www.windowscentral.com/microsoft-has-new-way-request-revenge-porn-be-removed-"
     "bing-onedrive-and-xbox-live"),
    CHECKED,
    url="https://www.microsoft.com/en-us/concern/revengeporn",
    limit=_l("It removes the search result, not the image on the site itself."),
)

WEIBO = Destination(
    "weibo", _l("Weibo (微博)"), "platform", "cn",
    _l("Weibo can delete posts and comments that spread someone's private images and "
       "close the accounts behind them."),
    _l("The link to each post or comment, screenshots that show the date, and the "
       "reason: it invades your privacy."),
    _l("On the post, tap ⋯, then Report, and choose the privacy reason. Weibo's "
       "notices also invite reports to its @微博管理员 account."),
    "zh-hans",
    _l("None stated."),
    ("https://www.jiemian.com/article/7211411.html",
     "http://m.ffpps.com/keji/2022/0225/28338.html",
     "https://php.wlsqs.com/faq/1889577.html"),
    CHECKED,
    rule=_l("Weibo Community Convention (微博社区公约)"),
)

XIAOHONGSHU = Destination(
    "xiaohongshu", _l("Xiaohongshu (小红书)"), "platform", "cn",
    _l("Xiaohongshu can take down notes and comments that break its rules."),
    _l("The link to each note, screenshots, and the reason: it invades your privacy."),
    _l("On the note, tap ⋯, then Report. Or in the app: Me, Settings, Help and "
       "feedback, Contact customer service."),
    "zh-hans",
    _l("None stated."),
    ("http://www.beisuda.cn/product/7024.html",
     "https://www.hsxycw.com/ds/rvla5p.html"),
    CHECKED,
)

DOUYIN = Destination(
    "douyin", _l("Douyin (抖音)"), "platform", "cn",
    _l("Douyin can take down videos that break its rules or infringe your rights, "
       "including your privacy and your image."),
    _l("The link to each video and the reason. A complaint about your own image asks "
       "for proof of who you are."),
    _l("In the app, use Report on the video and choose the reason; for your image or "
       "privacy, choose an infringement complaint."),
    "zh-hans",
    _l("None stated."),
    ("http://www.fa1yi.cn/jubao/gzdt/2025-11-07/1794114.html",),
    CHECKED,
)

BILIBILI = Destination(
    "bilibili", _l("Bilibili (哔哩哔哩)"), "platform", "cn",
    _l("Bilibili can take down videos, comments and bullet comments that break its "
       "rules."),
    _l("The link to each video, the time in the video, and the reason."),
    _l("On the video, tap ⋯, then Report, and choose the reason."),
    "zh-hans",
    _l("None stated."),
    ("https://www.chazhengzhuang.com/bilibili/8434252890.html",),
    CHECKED,
)

BAIDU = Destination(
    "baidu", _l("Baidu Search (百度)"), "search", "cn",
    _l("Baidu can cut links from its search results to pages that infringe your "
       "personal information; it cannot change the pages themselves."),
    _l("The links to the pages and to the search results, proof of who you are, and "
       "why the page infringes your rights."),
    _l("Ask the website to delete the page first. Then send Baidu a rights notice "
       "(权利通知) from its personal information help page."),
    "zh-hans",
    _l("None stated."),
    ("http://help.baidu.com/personalinformation",
     "http://xkzzvc.cn/a/904.html",
     "https://www.0573cn.cn/post/10252.html"),
    CHECKED,
    url="https://help.baidu.com/personalinformation",
    limit=_l("It removes the search result, not the page itself."),
    rule=_l("Baidu's Rights Protection Statement (权利保护声明)"),
)

PLATFORMS: tuple[Destination, ...] = (
    TELEGRAM, X, REDDIT, PORNHUB, XVIDEOS, XHAMSTER,
    WEIBO, XIAOHONGSHU, DOUYIN, BILIBILI,
    GOOGLE, BING, BAIDU,
)
