"""Regions outside Asia, and "elsewhere" for anywhere the table does not name."""

from flask_babel import lazy_gettext as _l

from .model import CHECKED, DAY_AND_NIGHT, LOCAL_STATION, RECHECKED, Helpline, Region

ELSEWHERE = (
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
