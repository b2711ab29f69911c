"""Regions: who to call, and what to ask the police for, where the reader is.

A reader's region is separate from her language: a Hong Kong reader may read
Traditional Chinese or English, and a wrong emergency number is the worst
mistake this site can make. So the page never guesses one number from the
language. It shows the likely regions' numbers side by side, and the region
picker (static/js/region.js, or `?region=xx` without JavaScript) turns that
into one number.

Every number was looked up in a public source, kept in `sources` with the date
in `checked` (ISO date). A field we could not confirm is left out, not guessed.
A source that is not the responsible body's own page (a news report, a copy, a
summary) is in SECONDARY, and the card says "secondary source" beside its link.
Codes are ISO 3166 alpha-2, plus "eu" (ISO's reserved code for the EU) and
"zz" (user-assigned: anywhere else).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Helpline:
    """A line to talk to someone: a person, not a form."""

    name: LazyString | str
    phone: str
    hours: LazyString
    source: str
    checked: str


@dataclass(frozen=True)
class Source:
    """A link shown under a card: where a fact was read, and whether that is the body's own page."""

    url: str
    host: str
    secondary: bool


@dataclass(frozen=True)
class Region:
    code: str
    name: LazyString
    police: str | None  # the emergency number to dial; None only for "elsewhere"
    sources: tuple[str, ...] = ()  # where `police`, `non_emergency` and `ask_for` were confirmed
    checked: str | None = None  # ISO date the sources were read
    police_note: LazyString | None = None
    non_emergency: str | None = None  # police line for what is not happening right now
    non_emergency_note: LazyString | None = None  # where there is no such line, what to do
    ask_for: LazyString | None = None  # the paper or number that proves the report was taken
    law: LazyString | None = None  # one line: the law against secret filming, by name
    law_sources: tuple[str, ...] = ()
    # Someone to talk to, the line open around the clock first; none where none was confirmed.
    talk: tuple[Helpline, ...] = ()
    # More help a reader there expects, one short sentence each (numbers written in).
    also: tuple[LazyString, ...] = ()
    also_sources: tuple[str, ...] = ()

    def shown_sources(self) -> list[Source]:
        """Every source the card links to, in order, each once, marked if it is secondary."""
        urls = (self.sources + self.law_sources + self.also_sources
                + tuple(line.source for line in self.talk))
        return [Source(url, (urlsplit(url).hostname or "").removeprefix("www."), url in SECONDARY)
                for url in dict.fromkeys(urls)]


CHECKED = "2026-12-04"  # the day this table was last read against its sources
RECHECKED = "2026-12-06"  # the facts the content review of that day corrected or added
DAY_AND_NIGHT = _l("24 hours, every day")
LOCAL_STATION = _l("No national line: call or visit the local police station.")

# Sources that are not the responsible body's own page: news reports, copies of a
# leaflet or a law, a lawyer's or a volunteer's summary. Each is shown with the label
# "secondary source", so a reader can weigh it; replace one when the official page is found.
SECONDARY = frozenset({
    # Mainland China
    "https://www.ntv.cn/content/1/593/991593556.html",
    "https://c.m.163.com/news/a/JKBD9CKU0514CC6P.html",
    "http://ysznh.com/Signaturedesign/wwdtjuwgvp.html",
    "https://cj.sina.com.cn/articles/view/7746897562/1cdc0469a001019770",
    "https://jkzy5.com/29abf91c5ab022bc/1529f6426d987f35.html",
    "https://kunming.baogaosu.com/xinwen/%E5%A6%87%E5%A5%B3%E7%BB%B4%E6%9D%83%E5%85%AC%E7%9B%8A%E6%9C%8D%E5%8A%A1%E7%83%AD%E7%BA%BF%E5%AE%9E%E7%8E%B0%E7%94%B5%E4%BF%A1/25177976",
    "http://pcpaper.cnwomen.com.cn/content/2018-07/04/050550.html?sh=top",
    # Hong Kong
    "https://clic.org.hk/en/topics/sexual_offences/I_Non-consensual_Sexual_Offences/E_Voyeurism",
    # Macau: the Judiciary Police leaflet, seen only as an uploaded copy
    "https://studylibpt.com/doc/5748745/%E6%9C%8D%E5%8B%99%E6%89%BF%E8%AB%BE-%E6%9C%8D%E5%8B%99%E6%89%BF%E8%AB%BE",
    # Taiwan
    "https://news.pts.org.tw/article/514299",
    "https://www.taipeitimes.com/News/taiwan/archives/2025/06/04/2003838030",
    "https://readerspace.com.tw/20230206-1",
    "https://udn.com/news/story/7266/9329707",
    "https://n.yam.com/Article/20240627322734",
    "https://newsday.tw/news/328180",
    "https://tw.news.yahoo.com/%E5%8D%97%E5%B8%82%E8%AD%A6%E5%B1%80%E6%8E%A8%E8%A1%8C%E5%A0%B1%E6%A1%88%E6%B5%81%E7%A8%8B%E7%B2%BE%E9%80%B2%E7%AE%A1%E5%88%B6%E6%8E%AA%E6%96%BD-%E6%8E%83%E6%8F%8F%E6%A2%9D%E7%A2%BC%E7%94%B3%E8%A8%B4%E5%8D%B3%E6%99%82%E8%99%95%E7%90%86%E6%B0%91%E7%9C%BE%E5%A0%B1%E6%A1%88-093444054.html",
    # Singapore, Malaysia, Japan
    "https://www.solidground.sg/guides/criminal-action/",
    "https://www.thestar.com.my/news/nation/2025/11/22/review-for-ng-mers-999",
    "https://medicinemalaysia.com/medicine/2015/03/16/emergency-number-is-still-999/",
    "https://www.therakyatpost.com/news/2023/09/24/police-investigate-hidden-camera-claims-in-kota-kinabalu-homestay-as-alleged-by-china-couple/",
    "https://yuhikaku.com/articles/-/13030",
    # South Korea
    "https://donga.com/news/Society/article/all/20121029/50456469/1",
    "https://newsbox.co.kr/contents/62006143f71d0169cbc02dab",
    # North America, Europe, Oceania
    "https://newsite.stepstojustice.ca/steps/abuse-and-family-violence/1-learn-what-can-happen-when-you-call-police/",
    "https://criminalnotebook.ca/index.php/Voyeurism_(Offence)",
    "https://www.newswire.ca/news-releases/government-of-canada-launches-three-digit-suicide-crisis-helpline-896472116.html",
    "https://www.kildarestreet.com/wrans/?id=2025-11-25a.1853",
    "http://www.newstalk.com/reader/47.301/69999/0/",
    "https://lifeinmind.org.au/news/lifelines-crisis-text-service-now-available-24-7",
    "https://www.scoop.co.nz/stories/PO1905/S00331/over-11-000-calls-to-105-non-emergency-number-in-12-days.htm",
})

REGIONS = {
    r.code: r
    for r in (
        Region(
            "cn", _l("Mainland China"), "110",
            # 110 is named as the police line beside 12345 (government services) in the
            # State Council's 2022 opinion. The receipt: given on the spot to a walk-in report
            # (the Ministry's "three on the spot", ntv.cn); after a 110 call-out, issued once
            # the scene is dealt with (the procedure rules, summarised by ysznh.com).
            ("http://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/zhengce/gwywj/202205/t20220516_2711529.html",
             "https://zwfwb.tj.gov.cn/zwgk/jytabl/bljggk/202412/t20241206_6799880.html",
             "https://www.ntv.cn/content/1/593/991593556.html",
             "http://ysznh.com/Signaturedesign/wwdtjuwgvp.html"),
            RECHECKED,
            non_emergency_note=_l("No national line: go to the nearest police station (派出所). "
                                  "12345 is the government service line, not the police."),
            ask_for=_l("The receipt for your report (报案回执; the rules call it 受案回执). If you "
                       "report at a police station, they must give it to you on the spot; if "
                       "officers come after a 110 call, it follows once they have dealt with "
                       "the scene, so ask for it."),
            # The revised law's article numbers, and its time limit for punishing a violation
            # (art. 22 of the old law: six months), could not be read in an official text, so
            # the line names the law and asks her to report promptly, without a number.
            law=_l("Peeping, secret filming and spreading someone's private information are "
                   "administrative violations, not crimes: they are punished with administrative "
                   "detention or a fine (Public Security Administration Punishments Law, revised, "
                   "in force 1 Jan 2026). Spreading secretly filmed sexual videos can be a crime "
                   "(Criminal Law arts. 363–364), and so can using spy cameras with serious "
                   "consequences (art. 284). Report it promptly."),
            law_sources=("https://www.spp.gov.cn/spp/fl/202506/t20250627_699863.shtml",
                         "http://jxhl.hljcourt.gov.cn/public/detail.php?id=2182",
                         "https://cj.sina.com.cn/articles/view/7746897562/1cdc0469a001019770"),
            talk=(
                Helpline(_l("National psychological assistance hotline"), "12356",
                         _l("At least 18 hours a day; hours differ by city."),
                         "https://c.m.163.com/news/a/JKBD9CKU0514CC6P.html", CHECKED),
                # Set up by the All-China Women's Federation, answered by local federations.
                Helpline(_l("Women's rights line (women's federations)"), "12338",
                         _l("Answered by your local women's federation; often in office "
                            "hours only."),
                         "https://kunming.baogaosu.com/xinwen/%E5%A6%87%E5%A5%B3%E7%BB%B4%E6%9D%83%E5%85%AC%E7%9B%8A%E6%9C%8D%E5%8A%A1%E7%83%AD%E7%BA%BF%E5%AE%9E%E7%8E%B0%E7%94%B5%E4%BF%A1/25177976",
                         RECHECKED),
            ),
            also=(
                # The Ministry made 12110 the national SMS number in 2009 and rolled it out
                # in 2012; the area-code suffix is how it is routed (People's Video, copied).
                _l("If you cannot speak, text the police: 12110 followed by the last three digits "
                   "of the local area code (Beijing: 12110010). If no reply comes, call 110."),
                _l("You can ask for a female officer (女民警) to take your statement. It is a "
                   "request: no rule guarantees one."),
                _l("Once the evidence is saved and the police know, also report the posts inside "
                   "the app (WeChat, Weibo, Xiaohongshu and Douyin each have a Report button) "
                   "and to 12377."),
            ),
            also_sources=("https://jkzy5.com/29abf91c5ab022bc/1529f6426d987f35.html",
                          "http://pcpaper.cnwomen.com.cn/content/2018-07/04/050550.html?sh=top"),
        ),
        Region(
            "hk", _l("Hong Kong"), "999",
            # 2527 7177 is the Police Hotline in the Operations Wing's pledge; the report
            # reference card and the same-sex interview are in the Crime Wing's.
            ("https://www.police.gov.hk/ppp_en/01_about_us/pp_operation.html",
             "https://www.police.gov.hk/ppp_en/01_about_us/pp_crime.html",
             "https://police.gov.hk/info/doc/pledge/2017/html/Operations/EN/OperationEN.htm",
             "https://police.gov.hk/info/doc/pledge/2017/html/Crime/EN/CrimeEN.htm"),
            RECHECKED, non_emergency="2527 7177",
            ask_for=_l("The report number, and the contact card with the phone number of the "
                       "officer in charge."),
            law=_l("Secretly watching or filming someone undressing, in the toilet or their "
                   "intimate parts, or sharing such images, is a crime (Crimes Ordinance, "
                   "ss. 159AAB–159AAE, 2021)."),
            law_sources=("https://www.info.gov.hk/gia/general/202110/08/P2021100700545.htm",
                         "https://clic.org.hk/en/topics/sexual_offences/I_Non-consensual_Sexual_Offences/E_Voyeurism"),
            talk=(Helpline(_l("Mental Health Support Hotline"), "18111", DAY_AND_NIGHT,
                           "https://news.gov.hk/eng/2023/12/20231227/20231227_162155_701.html",
                           CHECKED),),
            also=(
                _l("Not urgent? Report it online at the police e-Report Centre (網上報案中心): "
                   "you get a reference number by email."),
                _l("A victim of a sexual offence is normally interviewed in private by an officer "
                   "of the same sex."),
                _l("If you have a hearing or speech impairment, the police take emergency texts "
                   "on 992 from people who registered for it in advance."),
                _l("If your name, address or other details are posted, report it to the Privacy "
                   "Commissioner for Personal Data (PCPD): doxxing is a crime, and the PCPD asks "
                   "platforms to take the posts down."),
            ),
            also_sources=("https://police.gov.hk/offbeat/1115/eng/6873.html",
                          "https://www.info.gov.hk/gia/general/202307/12/P2023071200289.htm",
                          "https://pcpd.org.hk/english/news_events/media_statements/press_20191021.html"),
        ),
        Region(
            "mo", _l("Macau"), "999",
            # 999 and the general line are on fsm.gov.mo. The Judiciary Police's 993 line was
            # seen only in an uploaded copy of its leaflet (secondary). 110/112 and the
            # crime-report line 2857 7577 appeared only in a copy of the Public Security
            # Police's hotline list, so they are left out.
            ("https://www.fsm.gov.mo/psp/cht/psp_top5_other_5_S.html",
             "https://gov.mo/zh-hant/services/ps-2080/ps-2080a",
             "https://studylibpt.com/doc/5748745/%E6%9C%8D%E5%8B%99%E6%89%BF%E8%AB%BE-%E6%9C%8D%E5%8B%99%E6%89%BF%E8%AB%BE"),
            RECHECKED,
            _l("The Judiciary Police (司法警察局, PJ) investigate crimes; their 24-hour crime "
               "line is 993."),
            non_emergency="2857 3333",
            # What Macau's police hand over was not found: say what to ask, not its name.
            ask_for=_l("Proof that your report was taken: a report number or a copy of "
                       "the record."),
            law=_l("Filming or photographing someone against their will, or using such "
                   "images, can be a crime (Penal Code arts. 186 and 191)."),
            law_sources=("https://www.court.gov.mo/sentence/zh/41211",
                         "https://www.court.gov.mo/sentence/zh/36027"),
            # The Social Welfare Bureau's own page: its line is staffed in office hours, with
            # voicemail after, and it sends callers who need to talk now to Caritas.
            talk=(
                Helpline(_l("Caritas Life Hope hotline"), "2852 5222", DAY_AND_NIGHT,
                         "http://www.ias.gov.mo/wp-content/themes/ias/en/aboutus/departments/hotline_ias.htm",
                         RECHECKED),
                Helpline(_l("Social Welfare Bureau counselling line"), "2826 1126",
                         _l("Office hours. At other times, leave a message and a social worker "
                            "calls back in office hours."),
                         "http://www.ias.gov.mo/wp-content/themes/ias/en/aboutus/departments/hotline_ias.htm",
                         RECHECKED),
            ),
            also=(_l("Texting the police: 6330 9999, for people who registered for it in "
                     "advance."),),
            also_sources=("https://gov.mo/zh-hans/services/ps-1486/ps-1486b",),
        ),
        Region(
            "tw", _l("Taiwan"), "110",
            ("https://www.sanxia.police.ntpc.gov.tw/cp-668-115391-24.html",
             "https://news.pts.org.tw/article/514299"),
            RECHECKED, non_emergency_note=LOCAL_STATION,
            # The Criminal Investigation Bureau's form since 1 March 2023 (PTS, above).
            ask_for=_l("The case acceptance certificate (受(處)理案件證明單), which replaced "
                       "the old 三聯單 in March 2023."),
            law=_l("Filming someone's sexual images or private parts without consent, or "
                   "spreading them, is a crime (Criminal Code art. 315-1, and arts. 319-1 to "
                   "319-6, added in 2023)."),
            law_sources=("https://www.taipeitimes.com/News/taiwan/archives/2025/06/04/2003838030",
                         "https://readerspace.com.tw/20230206-1"),
            talk=(Helpline(_l("Mental health hotline"), "1925", DAY_AND_NIGHT,
                           "https://udn.com/news/story/7266/9329707", CHECKED),),
            # 二不三要 in the words the police units and the health ministry use (as quoted
            # by the press); that "any station" must take a report was seen only as the
            # name of a police rule, so the line says only that police may not refuse.
            also=(
                _l("If sexual images of you are spread, remember 二不三要: don't delete, don't "
                   "make it public; keep the evidence, record the links and the accounts that "
                   "spread them, and complain to the takedown centre (性影像處理中心)."),
                _l("Every city and county police has a women and children's unit (婦幼警察隊) "
                   "for cases like yours."),
                _l("The police may not refuse or put off taking your report (報案單一窗口)."),
                _l("You can ask for a female officer to take your statement, and for a social "
                   "worker to be with you."),
                _l("Online content harmful to children can be reported to iWIN; for sexual "
                   "images of you, use the takedown centre."),
            ),
            also_sources=("https://n.yam.com/Article/20240627322734",
                          "https://newsday.tw/news/328180",
                          "https://tw.news.yahoo.com/%E5%8D%97%E5%B8%82%E8%AD%A6%E5%B1%80%E6%8E%A8%E8%A1%8C%E5%A0%B1%E6%A1%88%E6%B5%81%E7%A8%8B%E7%B2%BE%E9%80%B2%E7%AE%A1%E5%88%B6%E6%8E%AA%E6%96%BD-%E6%8E%83%E6%8F%8F%E6%A2%9D%E7%A2%BC%E7%94%B3%E8%A8%B4%E5%8D%B3%E6%99%82%E8%99%95%E7%90%86%E6%B0%91%E7%9C%BE%E5%A0%B1%E6%A1%88-093444054.html",
                          "https://www.cypd.gov.tw/News/Details/89af3f88-a251-f648-af97-00a30859ec6b/24/11106",
                          "https://social.kinmen.gov.tw/Content_List.aspx?n=21540875FFCE4497"),
        ),
        Region(
            "sg", _l("Singapore"), "999",
            ("https://www.police.gov.sg/news-and-publications/features/The%20Line%20Between%20Life%20and%20Death",
             "https://www.solidground.sg/guides/criminal-action/"),
            CHECKED, non_emergency="1800 255 0000",
            ask_for=_l("Your police report number."),
            law=_l("Voyeurism, hidden cameras included, is a crime, and so is sharing or "
                   "threatening to share intimate images (Penal Code ss. 377BB, 377BC, 377BE)."),
            law_sources=("https://laws.sg/legislation/act-1871-pc/section-377bb",
                         "https://laws.sg/legislation/act-1871-pc/section-377be"),
            talk=(Helpline(_l("National mindline"), "1771", DAY_AND_NIGHT,
                           "https://www.moh.gov.sg/newsroom/national-mindline-1771-to-provide--round-the-clock-support-for-mental-health",
                           CHECKED),),
        ),
        Region(
            "my", _l("Malaysia"), "999",
            # No government page was found for either number; both are press reports.
            ("https://www.thestar.com.my/news/nation/2025/11/22/review-for-ng-mers-999",
             "https://medicinemalaysia.com/medicine/2015/03/16/emergency-number-is-still-999/"),
            CHECKED, _l("112 also works from a mobile phone."),
            non_emergency_note=_l("No national line: any police station must take your "
                                  "report, wherever it happened."),
            ask_for=_l("The police report number, and a copy of your report (the station may "
                       "charge a small fee)."),
            law=_l("There is no offence named for secret filming; police have used Penal Code "
                   "s. 509 (insulting modesty, intruding on privacy) for hidden cameras."),
            law_sources=("https://www.therakyatpost.com/news/2023/09/24/police-investigate-hidden-camera-claims-in-kota-kinabalu-homestay-as-alleged-by-china-couple/",),
        ),
        Region(
            "jp", _l("Japan"), "110",
            ("https://www.gov-online.go.jp/pr/media/cd/201511/201511_08.html",),
            CHECKED, non_emergency="#9110",
            ask_for=_l("The number of your report, so that you can follow it up."),
            law=_l("Secretly filming someone's sexual body parts or underwear, or passing on "
                   "such images, is a crime (Act on Punishment of Photographing Sexual Poses, "
                   "2023)."),
            law_sources=("https://yuhikaku.com/articles/-/13030",),
            talk=(Helpline(_l("Yorisoi Hotline"), "0120-279-338", DAY_AND_NIGHT,
                           "http://279338.jp/yorisoi/", CHECKED),),
        ),
        Region(
            "kr", _l("South Korea"), "112",
            ("http://www.korea.net/NewsFocus/Society/view?articleId=234923",
             "https://donga.com/news/Society/article/all/20121029/50456469/1"),
            RECHECKED, non_emergency="182",
            ask_for=_l("Your report's receipt number; later, a certificate that you reported "
                       "it (사건사고사실확인원)."),
            # The statute's own text on law.go.kr could not be read here; the wording was
            # checked against a report that quotes art. 14(1) in full.
            law=_l("Filming someone's body in a way that can cause sexual desire or shame, "
                   "against their will, or spreading the footage, is a crime (Act on Special "
                   "Cases Concerning the Punishment of Sexual Crimes, art. 14)."),
            law_sources=("https://newsbox.co.kr/contents/62006143f71d0169cbc02dab",),
            talk=(Helpline(_l("Suicide prevention line"), "109", DAY_AND_NIGHT,
                           "https://newspim.com/news/view/20240102000281", CHECKED),),
        ),
        Region(
            "us", _l("United States"), "911",
            ("https://stlouiscountymn.gov/departments-a-z/sheriff/about-the-sheriffs-office/faqs",
             "https://www.grandblanctwpmi.gov/245/Crime-Victim-Information"),
            RECHECKED, non_emergency_note=LOCAL_STATION,
            ask_for=_l("The case number (or report number), before the officer leaves."),
            # The House report on the Video Voyeurism Prevention Act: the special maritime
            # and territorial jurisdiction of the United States only.
            law=_l("Secret filming is a crime under state laws, which differ; the federal law "
                   "(18 U.S.C. § 1801) covers only federal land and buildings."),
            law_sources=("https://www.govinfo.gov/content/pkg/CRPT-108hrpt504/html/CRPT-108hrpt504.htm",),
            talk=(Helpline(_l("988 Suicide & Crisis Lifeline"), "988", DAY_AND_NIGHT,
                           "https://health.wyo.gov/publichealth/prevention/wivpp/suicide-prevention/988-suicide-crisis-lifeline",
                           CHECKED),),
        ),
        Region(
            "ca", _l("Canada"), "911",
            ("https://www.rcmp-grc.gc.ca/ab/community-communaute/report-signalez-eng.htm",
             "https://newsite.stepstojustice.ca/steps/abuse-and-family-violence/1-learn-what-can-happen-when-you-call-police/"),
            RECHECKED, non_emergency_note=LOCAL_STATION,
            ask_for=_l("The occurrence number (also called the file or incident number)."),
            law=_l("Secretly watching or recording someone where they expect privacy is a "
                   "crime (Criminal Code s. 162), and so is sharing intimate images without "
                   "consent (s. 162.1)."),
            law_sources=("https://laws-lois.justice.gc.ca/fra/lois/C-46/section-162.1.html",
                         "https://criminalnotebook.ca/index.php/Voyeurism_(Offence)"),
            # The Government of Canada's launch release, on its newswire.
            talk=(Helpline("9-8-8", "988", DAY_AND_NIGHT,
                           "https://www.newswire.ca/news-releases/government-of-canada-launches-three-digit-suicide-crisis-helpline-896472116.html",
                           RECHECKED),),
        ),
        Region(
            "gb", _l("United Kingdom"), "999",
            ("http://www.wiltshire.police.uk/contact-us/call-up",
             "http://www.south-wales.police.uk/victims-of-crime/"),
            RECHECKED, non_emergency="101",
            ask_for=_l("A crime reference number. The incident number a 101 call gives is not "
                       "the same."),
            # s. 66B and ss. 67, 67A extend to England and Wales ("E+W" on legislation.gov.uk).
            law=_l("In England and Wales, voyeurism and upskirting are crimes (Sexual Offences "
                   "Act 2003 ss. 67, 67A), and so is sharing intimate images (s. 66B). Scotland "
                   "and Northern Ireland have their own laws."),
            law_sources=("https://legislation.gov.uk/ukpga/2003/42/notes/division/5/1/53",
                         "https://legislation.gov.uk/ukpga/2003/42/section/66B/data.xht",
                         "https://www.legislation.gov.uk/asp/2016/22/part/1/crossheading/disclosure-of-an-intimate-photograph-or-film/enacted/data.html"),
            talk=(Helpline("Samaritans", "116 123", DAY_AND_NIGHT,
                           "https://www.samaritans.org/how-we-can-help/contact-samaritan/",
                           CHECKED),),
        ),
        Region(
            "ie", _l("Ireland"), "999",
            ("https://www.kildarestreet.com/wrans/?id=2025-11-25a.1853",
             "http://www.garda.ie/Controller.aspx?Page=7980"),
            CHECKED, _l("112 also works."), non_emergency_note=LOCAL_STATION,
            ask_for=_l("The PULSE incident number. A letter with it and the investigating "
                       "Garda's name should follow."),
            law=_l("Recording or sharing someone's intimate image without consent, or "
                   "threatening to, is a crime (Harassment, Harmful Communications and Related "
                   "Offences Act 2020)."),
            law_sources=("http://www.irishstatutebook.ie/eli/2020/act/32/enacted/en/print",),
            talk=(Helpline("Samaritans", "116 123", DAY_AND_NIGHT,
                           "http://www.newstalk.com/reader/47.301/69999/0/", CHECKED),),
        ),
        Region(
            "au", _l("Australia"), "000",
            ("https://www.police.wa.gov.au/contact-us/about-calling-000-and-131-444",
             "https://www.police.vic.gov.au/police-assistance-line-online-reporting-vietnamese"),
            CHECKED, non_emergency="131 444",
            # The number's name differs by state (event, incident, reference).
            ask_for=_l("The police reference number for your report."),
            law=_l("Laws on secret filming differ by state and territory; sending sexual "
                   "images of an adult online without consent is a federal crime (Criminal "
                   "Code s. 474.17A)."),
            law_sources=("https://www.legislation.gov.au/C2024A00078/asmade/2024-09-02/text/original/epub/OEBPS/document_1/document_1.html",
                         "https://www.legislation.nsw.gov.au/~/view/act/1900/40/part3/div15c/sec91q"),
            talk=(Helpline("Lifeline", "13 11 14", DAY_AND_NIGHT,
                           "https://lifeinmind.org.au/news/lifelines-crisis-text-service-now-available-24-7",
                           CHECKED),),
        ),
        Region(
            "nz", _l("New Zealand"), "111",
            ("https://www.police.govt.nz/contact-us/calling-emergency-111",
             "https://www.scoop.co.nz/stories/PO1905/S00331/over-11-000-calls-to-105-non-emergency-number-in-12-days.htm"),
            RECHECKED, non_emergency="105",
            ask_for=_l("Your Police case number (for example 123456/1234)."),
            law=_l("Making an intimate recording of someone without consent is a crime (Crimes "
                   "Act s. 216H), and so is posting one online (Harmful Digital Communications "
                   "Act s. 22A)."),
            law_sources=("http://www.legislation.govt.nz/act/public/2006/0075/latest/whole.html",
                         "https://legislation.govt.nz/act/public/2022/0003/latest/whole.html"),
            # The line's name is "Need to talk?"; the page adds its number, 1737.
            talk=(Helpline(_l("“Need to talk?” mental health line"), "1737", DAY_AND_NIGHT,
                           "https://www.health.govt.nz/news-media/news-items/phone-counselling-service-busy-following-christchurch-tragedy",
                           RECHECKED),),
        ),
        Region(
            "eu", _l("European Union"), "112",
            ("https://pulizija.gov.mt/en/emergency-services-112/",
             "https://legislation.gov.uk/eudr/2012/29/chapter/2"),
            CHECKED, non_emergency_note=_l("No EU-wide line: each country has its own."),
            ask_for=_l("A written acknowledgement of your complaint: EU law gives you the right "
                       "to one."),
            law=_l("EU law (Directive 2024/1385, art. 5) makes member states punish sharing "
                   "intimate images without consent; the law of the country you are in applies."),
            law_sources=("https://eur-lex.europa.eu/eli/dir/2024/1385",),
        ),
        Region("zz", _l("Elsewhere"), None,
               police_note=_l("Call the local emergency number. Staff or a local person can "
                              "tell you which it is.")),
    )
}

# Other spellings a browser or a reader may use for a region above.
ALIASES = {"uk": "gb"} | {
    c: "eu" for c in ("at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "gr",
                      "hu", "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "sk", "si",
                      "es", "se")
}

# The regions a page language's readers most likely are in, shown together when
# her region is not known: never one number for a language spoken in several places.
LIKELY_REGIONS = {
    "zh-hans": ("cn", "hk", "mo", "tw"),
    "zh-hant": ("tw", "hk", "mo"),
    "zh-hk": ("hk", "mo", "tw"),
    "en": ("us", "gb", "au"),
}


def find_region(code: str | None) -> Region | None:
    """The region a `?region=` value names (ISO 3166 alpha-2, any case), else None."""
    if not code or len(code) > 8:
        return None
    code = code.strip().lower()
    return REGIONS.get(ALIASES.get(code, code))


def likely_regions(lang: str) -> list[Region]:
    """The regions to show side by side for a page language when the region is unknown."""
    return [REGIONS[c] for c in LIKELY_REGIONS.get(lang, LIKELY_REGIONS["en"])]
