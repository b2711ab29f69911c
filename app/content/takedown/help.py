"""Those who act for her: takedown centres, national reporting channels, hash services.

Each fact was read on the date in `checked`, in the pages `sources` lists (the body's
own pages first, then news reports and copies); docs/content-review.md has the check,
fact by fact. A field we could not confirm is left out, or says "None stated.".
Where the text is the found page's (app/content/found.py) word for word, it is the
same msgid, so the catalogs hold its Chinese once.
"""

from flask_babel import lazy_gettext as _l

from .model import Destination

CHECKED = "2026-12-06"
NONE_STATED = _l("None stated.")

HELP: tuple[Destination, ...] = (
    # --- Centres that act for victims ------------------------------------------------
    # The centre's own site could not be read here; its county and city partners'
    # pages (Miaoli, New Taipei) and the press quote it. "Proof of who you are",
    # in the first draft, was not found in any of them, so it is left out.
    Destination(
        "tw-siarc", _l("Sexual image takedown centre (性影像處理中心)"), "centre", "tw",
        _l("Taiwan's government centre asks platforms, in Taiwan and abroad, to remove "
           "sexual images posted without consent."),
        _l("The links to the images, and the accounts that posted them."),
        _l("Phone and online chat 09:00–22:00 every day; the online form takes "
           "complaints at any time."),
        "zh-hant",
        NONE_STATED,
        ("https://www.miaoli.gov.tw/social_affairs/News_Content.aspx?n=708&sms=9626&s=743994",
         "https://law.moj.gov.tw/LawClass/LawSingle.aspx?Pcode=D0080079&FLNO=13",
         "https://nchn.news/archives/96247",
         "https://news.ltn.com.tw/news/life/breakingnews/5165558",
         "https://www.cna.com.tw/news/ahel/202603130175.aspx"),
        CHECKED,
        url="https://siarc.mohw.gov.tw/", phone="02-6605-7373",
        # New Taipei ordered a pirate video site to remove an image within 72 hours; it
        # did not, was blocked on 9 March 2026 and reopened at once on a new domain (CNA).
        ignores=_l("Some sites abroad: one told to remove an image within 72 hours did "
                   "not, and came back under a new address after it was blocked (2026)."),
        limit=_l("Platforms abroad may refuse, and an image posted again needs a new "
                 "complaint."),
        rule=_l("Sexual Assault Crime Prevention Act, art. 13: a platform told by the "
                "authorities must restrict or remove the images."),
    ),
    # RainLily's form asks for the links (The Collective HK); reports could be anonymous
    # (HKFP, copied by Prologue). Telegram and LIHKG: RainLily's own newsletter 64.
    Destination(
        "hk-tada", _l("RainLily Take-Down Assistance (Ta-DA)"), "centre", "hk",
        _l("Hong Kong's RainLily asks platforms, for you, to take down intimate images "
           "shared without consent, for people of any gender."),
        _l("The links to the images. You can stay anonymous."),
        _l("Online form on RainLily's website; helpline 2375 5322."),
        "zh-hant",
        NONE_STATED,
        ("https://rainlily.org.hk/publication/2023/tada-report",
         "https://rainlily.org.hk/eng/news/2022/newsletter64",
         "https://rainlily.org.hk/eng/helpinfo",
         "https://thecollectivehk.com/%E7%A7%81%E5%AF%86%E5%BD%B1%E5%83%8F%E5%8F%97%E5%AE%B3%E4%BA%BA%E5%8F%97%E8%84%85%E8%BF%AB%E4%B8%8B%E8%A2%AB%E6%8B%8D%E6%94%9D%E6%88%96%E5%88%86%E4%BA%AB%E5%BD%B1%E5%83%8F/",
         "https://prologuejournal.com/hong-kong-ngo-alerted-to-over-1300-intimate-images-online-as-it-urges-platforms-to-honour-removal-requests"),
        CHECKED,
        url="https://rainlily.org.hk/", phone="2375 5322",
        ignores=_l("Telegram never acted on its reports in 2021; LIHKG removed only some "
                   "posts, or late."),
        limit=_l("Platforms decide. Most items RainLily reported in 2021–2023 were removed, "
                 "but Telegram and some forums largely ignored its requests."),
    ),
    # The ministry's service listing (copied by servedream) names the papers and the
    # follow-up monitoring; korea.kr the move of its calls to 1366 on 17 April 2025.
    Destination(
        "kr-d4u", _l("Digital Sex Crime Victim Support Center"), "centre", "kr",
        _l("South Korea's state centre for victims of illegal filming: counselling, "
           "deleting the footage and asking sites to delete it, then checking for "
           "re-uploads."),
        _l("Proof of who you are, and the evidence: the posts' titles and links, and "
           "images that show it is you."),
        _l("Korean is its working language. Call 1366 (24 hours, every day) or "
           "02-735-8994, or write on the counselling board at d4u.stop.or.kr."),
        "en",
        NONE_STATED,
        ("https://korea.kr/news/policyNewsView.do?newsId=148941931",
         "https://www.servedream.com/announcements/138300000038"),
        CHECKED,
        url="https://d4u.stop.or.kr/", phone="1366",
        limit=_l("Removal from sites abroad is not guaranteed, and a deletion request needs "
                 "your ID and evidence."),
    ),
    # Its address for email is not on the pages read, so only the phone and call-back.
    Destination(
        "gb-rph", _l("Revenge Porn Helpline"), "centre", "gb",
        _l("UK helpline for adults whose intimate images were shared, or threatened to be "
           "shared, without consent. It contacts platforms for you."),
        _l("You must be 18 or over and live in the UK. Have the links ready, and "
           "screenshots that show them."),
        _l("Call 0345 6000 459, Monday to Friday, 10:00–16:00, except bank holidays, or "
           "ask for a call back on its website."),
        "en",
        _l("Emails are answered in opening hours."),
        ("https://swgfl.org.uk/helplines/revenge-porn-helpline/",
         "https://revengepornhelpline.org.uk/faq/",
         "https://revengepornhelpline.org.uk/information-and-advice/about-intimate-image-abuse/"),
        CHECKED,
        url="https://revengepornhelpline.org.uk/", phone="0345 6000 459",
        limit=_l("Not a crisis line, and it cannot force a platform that ignores it."),
    ),
    Destination(
        "us-ccri", _l("CCRI Image Abuse Helpline"), "centre", "us",
        _l("Cyber Civil Rights Initiative, United States: support for victims of image-based "
           "abuse, and guidance on keeping evidence, reporting and takedown."),
        _l("Nothing to start with: just call."),
        _l("Call 844-878-2274, at any time. Its Online Removal Guide explains how to report "
           "to each large platform."),
        "en",
        NONE_STATED,
        ("https://cybercivilrights.org/ccri-safety-center/",
         "https://www.cybercivilrights.org/online-removal/",
         "https://consumer.ftc.gov/articles/what-do-if-youre-target-revenge-porn",
         "https://ovc.ojp.gov/funding/awards/15povc-23-gk-01579-nonf"),
        CHECKED,
        url="https://cybercivilrights.org/ccri-safety-center/", phone="844-878-2274",
        limit=_l("It guides you and refers you on; it does not remove content itself."),
    ),
    # --- National channels -------------------------------------------------------------
    # Its two-business-days line is on the FAQ shared by its four complaint schemes.
    Destination(
        "au-esafety", _l("eSafety Commissioner"), "national", "au",
        _l("Australia's regulator: report image-based abuse, hidden-camera footage included, "
           "at any age, and it can have it removed."),
        _l("The links or where you saw it, and a way to contact you. You need not give "
           "your name."),
        _l("Online report form at esafety.gov.au. To stay anonymous, use an email address "
           "without your name."),
        "en",
        _l("For the most urgent reports, it says you are likely to hear from it within two "
           "business days."),
        ("https://www.esafety.gov.au/report/image-based-abuse/making-a-report-faq",
         "https://esafety.gov.au/complaints-and-reporting/cyberbullying-complaints/complaint-resolution-process",
         "https://www.esafety.gov.au/image-based-abuse/action/remove-images-video/report-to-us",
         "https://www.austlii.edu.au/au/legis/cth/consol_act/osa2021154/s77.html"),
        CHECKED,
        url="https://www.esafety.gov.au/report/image-based-abuse",
        limit=_l("Only if you, the person who posted it, or the website are in Australia."),
        rule=_l("Online Safety Act 2021, s. 77: a removal notice gives the service 24 hours."),
    ),
    # 12377.cn itself could not be read here: its description and notices were read in
    # copies. Its address for email (jubao@12377.cn) was seen only there, so it is left out.
    Destination(
        "cn-12377", _l("12377 illegal content reporting"), "national", "cn",
        _l("Mainland China's official centre for reporting illegal content online, including "
           "obscene content and content that harms someone's privacy."),
        _l("The links to the posts, or what lets it find them: the app, the account, the "
           "date."),
        _l("Report on 12377.cn, or call 12377."),
        "zh-hans",
        NONE_STATED,
        ("https://twwiki.net/wiki/wj290j2z3kx9gwx.html?lang=0",
         "https://feifmx.com/domesticgd/10000159/20190808/36786516.html",
         "https://m.110ask.com/wenda/7617740026135463675.html"),
        CHECKED,
        url="https://www.12377.cn/", phone="12377",
        limit=_l("It has content removed from platforms in mainland China; it does not go "
                 "after the person who filmed you. For that, call the police on 110."),
    ),
    # iWIN's own letters to platforms (as posted on PTT) and Wikipedia cite art. 46;
    # Kinmen County points to its form.
    Destination(
        "tw-iwin", _l("iWIN, Taiwan's online content watchdog"), "national", "tw",
        _l("Takes complaints about online content harmful to children and asks platforms to "
           "remove it or restrict who can see it. It is not a government office."),
        _l("The link to the content, and what in it is harmful."),
        _l("Online complaint form on its website."),
        "zh-hant",
        NONE_STATED,
        ("https://social.kinmen.gov.tw/Content_List.aspx?n=21540875FFCE4497",
         "https://www.ly.gov.tw/Pages/Detail.aspx?nodeid=55584&pid=242348",
         "https://ctinews.com/news/items/MyWkzqP9n6",
         "https://zh.m.wikipedia.org/wiki/IWIN",
         "https://www.ettoday.net/news/20250826/3022223.htm"),
        CHECKED,
        url="https://i.win.org.tw/",
        limit=_l("Online content harmful to children can be reported to iWIN; for sexual "
                 "images of you, use the takedown centre."),
        rule=_l("Protection of Children and Youths Welfare and Rights Act, art. 46."),
    ),
    # The PCPD's own case note (2022C01) on its power to have doxxing posts removed;
    # RainLily (2023) and the PCPD's reply to it (Yahoo HK) on intimate images.
    Destination(
        "hk-pcpd", _l("Privacy Commissioner for Personal Data (PCPD)"), "national", "hk",
        _l("Hong Kong's privacy regulator. If a post discloses your name, address or other "
           "personal details, it can demand that the platform remove it, and doxxing is a "
           "crime it investigates."),
        _l("The links, and which of your personal details each post shows."),
        _l("Complain to the PCPD through its website."),
        "zh-hant",
        NONE_STATED,
        ("https://pcpd.org.hk/english/enforcement/case_notes/casenotes_2.php?id=2022C01&msg_id2=552",
         "https://pcpd.org.hk/english/news_events/media_statements/press_20191021.html",
         "https://rainlily.org.hk/coverage/2023/8/8/anti-sexual-violence-group-wants-privacy-watchdog-to-step-up-over-non-consensual-intimate-image-sharing",
         "https://hk.news.yahoo.com/%E7%A7%81%E9%9A%B1%E5%85%AC%E7%BD%B2-%E7%A7%81%E5%AF%86%E5%BD%B1%E5%83%8F%E8%8B%A5%E5%8F%AF%E4%BE%9B%E8%AD%98%E8%BE%A8%E8%BA%AB%E5%88%86%E5%8F%AF%E6%A7%8B%E6%88%90-%E5%80%8B%E4%BA%BA%E8%B3%87%E6%96%99-144419688.html"),
        CHECKED,
        url="https://www.pcpd.org.hk/",
        limit=_l("It acts only on personal data: an intimate image posted without your name "
                 "or other details may not count, and such requests have gone unanswered. "
                 "For the images, ask RainLily's Ta-DA."),
        rule=_l("Personal Data (Privacy) Ordinance, s. 64 (doxxing)."),
    ),
    # The Senate text (passed unchanged by the House, signed 19 May 2025) in the
    # Congressional Record; s. 3(a)(1)(B) lists what a valid request holds, and gives
    # platforms a year to set up the process, hence enforcement from 19 May 2026.
    Destination(
        "us-take-it-down-act", _l("TAKE IT DOWN Act request (United States)"), "national",
        "us",
        _l("A US law: a platform it covers must remove an intimate image you report within "
           "48 hours of a valid request, and make reasonable efforts to remove identical "
           "copies. The FTC enforces it from 19 May 2026."),
        _l("In writing: your signature (by hand or electronic), where the image is (the "
           "links), a statement that you believe in good faith it was published without "
           "your consent, and how to reach you."),
        _l("Use the removal form the platform must show clearly for this law, or write to "
           "it. If it does not act, you can tell the FTC."),
        "en",
        _l("48 hours after a valid request: the law's limit."),
        ("https://www.congress.gov/119/crec/2025/02/13/171/30/modified/CREC-2025-02-13-pt1-PgS988-3.htm",
         "https://consumer.ftc.gov/articles/what-do-if-youre-target-revenge-porn",
         "https://www.customsmobile.com/uscode/47/223a",
         "https://vidianews.com/?p=15416",
         "https://www.aipolicydesk.com/blog/take-it-down-act-enforcement-date-platforms-2026"),
        CHECKED,
        url="https://www.congress.gov/119/crec/2025/02/13/171/30/modified/CREC-2025-02-13-pt1-PgS988-3.htm",
        limit=_l("It binds only the platforms the law covers. The FTC acts against a "
                 "platform; it does not remove the image for you, and a platform abroad may "
                 "ignore it."),
        rule=_l("TAKE IT DOWN Act, s. 3 (47 U.S.C. 223a): remove within 48 hours of a "
                "valid request."),
    ),
    # --- Hash services -------------------------------------------------------------------
    Destination(
        "stopncii", "StopNCII.org", "hash", None,
        _l("For adults (18 or over in the image). Your phone makes a digital fingerprint of "
           "the image; the image itself never leaves your phone. Partner platforms then block "
           "matching copies."),
        _l("The image or video itself, on your own phone or computer, with you 18 or over "
           "in it. Only its fingerprint leaves the device."),
        _l("On stopncii.org, create a case from your device and write down the case number "
           "and PIN. Report posts already online to the platforms as well."),
        "en",
        NONE_STATED,
        ("https://stopncii.org/faq/",
         "https://swgfl.org.uk/magazine/stopncii-org-tackling-non-consensual-intimate-image-abuse/",
         "https://menclub.hk/thezone/31213"),
        CHECKED,
        url="https://stopncii.org/",
        ignores=_l("Copies that were cropped or edited may not match, so they stay up."),
        limit=_l("You need the image or video on your own phone or computer. It works only on "
                 "partner platforms such as Facebook, Instagram and TikTok; Telegram and "
                 "Chinese apps are not among them. Keep the case number and PIN: they cannot "
                 "be recovered."),
    ),
    # Its FAQ: use the device the image was taken on, never download one to submit it;
    # without that device, the CyberTipline (1-800-THE-LOST).
    Destination(
        "ncmec-take-it-down", "Take It Down (NCMEC)", "hash", None,
        _l("For images taken before you were 18, even if you are an adult now. Works the "
           "same way, without sending the image."),
        _l("The image or video on the device it was taken with. No name or other personal "
           "details."),
        _l("On takeitdown.ncmec.org, anonymously. Never download the image to submit it. "
           "Without that device, report to NCMEC's CyberTipline (cybertipline.org)."),
        "en",
        NONE_STATED,
        ("https://takeitdown.ncmec.org/faq/",
         "https://www.wtap.com/prnewswire/2023/02/27/ncmec-launches-new-service-that-can-help-you-take-it-down/",
         "https://talkheart2heart.org/resources/take-it-down/"),
        CHECKED,
        url="https://takeitdown.ncmec.org/", phone="1-800-843-5678",
        limit=_l("Works only on the platforms that take part, and only on public or "
                 "unencrypted ones."),
    ),
)
