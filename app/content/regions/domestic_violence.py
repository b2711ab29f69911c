"""Domestic-violence help by region, for the home checklist."""

from flask_babel import lazy_gettext as _l

from .model import DAY_AND_NIGHT, Helpline

# Domestic violence help, by region code: for the home checklist (issue 26), where the
# person filming or tracking her may be a partner, an ex or a relative. A line is here only
# where its number and hours were read in a public source on the day given; regions with
# no confirmed line (Macau, Canada, the EU, elsewhere) have none, and the page says so.
DV_CHECKED = "2026-12-06"
DV_HELP: dict[str, tuple[Helpline, ...]] = {
    # All-China Women's Federation line, answered by each province's federation: Guangdong's
    # federation (gdwomen.org.cn/yw/content/post_295443.html); Yunnan's hours, weekdays
    # 8:30-11:30 and 14:30-17:30, as its federation gave them (kunming.baogaosu.com/xinwen/
    # .../25177976, secondary source). Checked 2026-12-06.
    "cn": (Helpline(_l("Women’s rights hotline (12338)"), "12338",
                    _l("Hours differ by province; many answer only on weekdays, in office "
                       "hours."),
                    "http://www.gdwomen.org.cn/yw/content/post_295443.html", DV_CHECKED),),
    # SWD's 24-hour hotline: info.gov.hk press release, 5 Jun 2023. Checked 2026-12-06.
    # Harmony House's 2522 0434 could not be confirmed in the store, so it is left out.
    "hk": (Helpline(_l("Social Welfare Department hotline"), "2343 2255", DAY_AND_NIGHT,
                    "https://www.info.gov.hk/gia/general/202306/05/P2023060500553.htm",
                    DV_CHECKED),),
    # 113 保護專線, 24 hours, free: MOHW as reported by udn.com, 13 Feb 2026 (news report,
    # secondary source). Checked 2026-12-06.
    "tw": (Helpline(_l("113 Protection Hotline"), "113", DAY_AND_NIGHT,
                    "https://udn.com/news/story/7266/9329707", DV_CHECKED),),
    # National Anti-Violence Helpline, round the clock since 18 Jan 2021: Straits Times
    # (news report, secondary source). Checked 2026-12-06.
    "sg": (Helpline(_l("National Anti-Violence Helpline"), "1800 777 0000", DAY_AND_NIGHT,
                    "http://straitstimes.com/singapore/24-hour-hotline-aims-to-better-help-victims-of-family-violence",
                    DV_CHECKED),),
    # Talian Kasih: JKM names it for domestic violence (jkm.gov.my); 24 hours, every day of
    # the year: Free Malaysia Today, 26 Feb 2026 (news report). Checked 2026-12-06.
    "my": (Helpline("Talian Kasih", "15999", DAY_AND_NIGHT,
                    "https://www.jkm.gov.my/jkm/index.php?r=portal/left&id=bDRIZ0ZpLzd2NHRFK2N5TlVkS2Fwdz09",
                    DV_CHECKED),),
    # Government of Japan's campaign page: DV相談ナビ #8008 reaches the nearest support
    # centre in its hours, with a call charge; DV相談プラス 0120-279-889, free, 24 hours.
    # Checked 2026-12-06.
    "jp": (Helpline(_l("DV Soudan Plus (DV相談プラス)"), "0120-279-889",
                    _l("24 hours, every day; free. Email and chat too."),
                    "https://www.gov-online.go.jp/cam/no_dvca/dv03/", DV_CHECKED),
           Helpline(_l("DV Soudan Navi (DV相談ナビ)"), "#8008",
                    _l("Connects you to the nearest support centre during its hours; the "
                       "call is charged."),
                    "https://www.gov-online.go.jp/cam/no_dvca/dv03/", DV_CHECKED)),
    # 1366 Women's Emergency Call: easylaw.go.kr (Ministry of Government Legislation);
    # 24 hours: UN Women's global database entry. Checked 2026-12-06.
    "kr": (Helpline(_l("Women’s Emergency Call 1366"), "1366", DAY_AND_NIGHT,
                    "https://m.easylaw.go.kr/MOM/SubCsmOvRetrieve.laf?langCd=700101&csmSeq=1564&ccfNo=2&cciNo=1&cnpClsNo=1",
                    DV_CHECKED),),
    # 800-799-SAFE (7233), 24/7/365; text START to 88788: DOJ Office for Victims of Crime.
    # Checked 2026-12-06.
    "us": (Helpline(_l("National Domestic Violence Hotline"), "800-799-7233",
                    _l("24 hours, every day. You can also text START to 88788."),
                    "https://ovc.ojp.gov/news/grantee-news/national-domestic-violence-hotline-answers-6-million-contacts",
                    DV_CHECKED),),
    # Refuge's National Domestic Abuse Helpline, freephone, 24 hours. Checked 2026-12-06.
    "gb": (Helpline(_l("National Domestic Abuse Helpline (Refuge)"), "0808 2000 247",
                    _l("24 hours, every day; free."),
                    "https://refuge.org.uk/news/refuge-response-to-home-secretary-announcement-of-support-for-domestic-abuse-victims",
                    DV_CHECKED),),
    # Women's Aid 24hr National Freephone Helpline, 24/7 since Jan 2016: womensaid.ie.
    # Checked 2026-12-06.
    "ie": (Helpline(_l("Women’s Aid helpline"), "1800 341 900", DAY_AND_NIGHT,
                    "https://www.womensaid.ie/about/newsevents/news/2016/09/05/media-release-41-calls-a-day-to-womens-aid-in-2016/",
                    DV_CHECKED),),
    # 1800RESPECT, 24 hours a day, seven days a week: Department of Social Services; the
    # digits 1800 737 732: thedailyaus.com.au/stories/1800-respect-text-messaging/ (secondary
    # source). Checked 2026-12-06.
    "au": (Helpline("1800RESPECT", "1800 737 732", DAY_AND_NIGHT,
                    "https://plan4womenssafety.dss.gov.au/initiatives/1800respect", DV_CHECKED),),
    # Women's Refuge crisis line, free from any phone, 24 hours: govt.nz. Checked 2026-12-06.
    "nz": (Helpline(_l("Women’s Refuge crisis line"), "0800 733 843", DAY_AND_NIGHT,
                    "https://www.govt.nz/browse/law-crime-and-justice/abuse-harassment-domestic-violence/domestic-and-family-violence/",
                    DV_CHECKED),),
}
