"""Regions in Asia, the mainland, Hong Kong, Macau and Taiwan first."""

from flask_babel import lazy_gettext as _l

from .model import CHECKED, DAY_AND_NIGHT, LOCAL_STATION, RECHECKED, Helpline, Region

ASIA = (
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
            # The Force names it 電子報案中心 (Offbeat, police.gov.hk/offbeat/1134/chi/7900.html).
            _l("Not urgent? Report it online at the police e-Report Centre (電子報案中心): "
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
)
