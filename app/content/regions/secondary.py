"""Sources shown under a region card that are not the responsible body's own page."""

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
    "http://straitstimes.com/singapore/24-hour-hotline-aims-to-better-help-victims-of-family-violence",
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
