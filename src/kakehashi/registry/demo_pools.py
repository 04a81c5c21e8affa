"""Word pools the demo generator builds organisations from: places, name parts, themes and sector codes.

Japanese names are written in Japanese (富士精密株式会社), Indian ones in English with a Hindi form
(इंडस सॉफ्टवेयर लैब्स) where given. Places are real industrial clusters of each country.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A city and its prefecture/state, with the codes identifiers embed (GST state code, 2-letter code)."""

    region_en: str
    region_local: str
    city_en: str
    city_local: str
    gst: str = ""
    letters: str = ""


JP_PLACES = (
    Place("Tokyo", "東京都", "Tokyo", "東京"), Place("Osaka", "大阪府", "Osaka", "大阪"),
    Place("Kanagawa", "神奈川県", "Yokohama", "横浜"), Place("Aichi", "愛知県", "Nagoya", "名古屋"),
    Place("Fukuoka", "福岡県", "Fukuoka", "福岡"), Place("Hokkaido", "北海道", "Sapporo", "札幌"),
    Place("Miyagi", "宮城県", "Sendai", "仙台"), Place("Kyoto", "京都府", "Kyoto", "京都"),
    Place("Hyogo", "兵庫県", "Kobe", "神戸"), Place("Hiroshima", "広島県", "Hiroshima", "広島"),
    Place("Kumamoto", "熊本県", "Kikuyo", "菊陽"), Place("Ibaraki", "茨城県", "Tsukuba", "つくば"),
    Place("Shizuoka", "静岡県", "Hamamatsu", "浜松"), Place("Nagano", "長野県", "Matsumoto", "松本"),
    Place("Ishikawa", "石川県", "Kanazawa", "金沢"), Place("Mie", "三重県", "Yokkaichi", "四日市"),
    Place("Iwate", "岩手県", "Kitakami", "北上"), Place("Okayama", "岡山県", "Okayama", "岡山"),
    Place("Niigata", "新潟県", "Nagaoka", "長岡"), Place("Oita", "大分県", "Oita", "大分"),
)
IN_PLACES = (
    Place("Karnataka", "कर्नाटक", "Bengaluru", "बेंगलुरु", "29", "KA"),
    Place("Maharashtra", "महाराष्ट्र", "Pune", "पुणे", "27", "MH"),
    Place("Maharashtra", "महाराष्ट्र", "Mumbai", "मुंबई", "27", "MH"),
    Place("Telangana", "तेलंगाना", "Hyderabad", "हैदराबाद", "36", "TG"),
    Place("Tamil Nadu", "तमिलनाडु", "Chennai", "चेन्नई", "33", "TN"),
    Place("Uttar Pradesh", "उत्तर प्रदेश", "Noida", "नोएडा", "09", "UP"),
    Place("Haryana", "हरियाणा", "Gurugram", "गुरुग्राम", "06", "HR"),
    Place("Gujarat", "गुजरात", "Ahmedabad", "अहमदाबाद", "24", "GJ"),
    Place("Gujarat", "गुजरात", "Dholera", "धोलेरा", "24", "GJ"),
    Place("Assam", "असम", "Jagiroad", "जागीरोड", "18", "AS"),
    Place("Kerala", "केरल", "Kochi", "कोच्चि", "32", "KL"),
    Place("Delhi", "दिल्ली", "New Delhi", "नई दिल्ली", "07", "DL"),
    Place("West Bengal", "पश्चिम बंगाल", "Kolkata", "कोलकाता", "19", "WB"),
    Place("Odisha", "ओडिशा", "Bhubaneswar", "भुवनेश्वर", "21", "OR"),
    Place("Madhya Pradesh", "मध्य प्रदेश", "Indore", "इंदौर", "23", "MP"),
    Place("Rajasthan", "राजस्थान", "Jaipur", "जयपुर", "08", "RJ"),
    Place("Punjab", "पंजाब", "Mohali", "मोहाली", "03", "PB"),
    Place("Andhra Pradesh", "आंध्र प्रदेश", "Visakhapatnam", "विशाखापत्तनम", "37", "AP"),
    Place("Uttarakhand", "उत्तराखंड", "Dehradun", "देहरादून", "05", "UR"),
    Place("Goa", "गोवा", "Panaji", "पणजी", "30", "GA"),
)

JP_PREFIXES = (
    ("Sakura", "さくら"), ("Fuji", "富士"), ("Asahi", "朝日"), ("Hikari", "ひかり"), ("Tohoku", "東北"),
    ("Kansai", "関西"), ("Setouchi", "瀬戸内"), ("Hokuto", "北斗"), ("Yamato", "大和"), ("Midori", "みどり"),
    ("Aoba", "青葉"), ("Shinwa", "新和"), ("Nisshin", "日進"), ("Kyowa", "協和"), ("Taiyo", "太陽"),
    ("Meisei", "明星"), ("Sanyo", "山陽"), ("Toyo", "東洋"), ("Wakaba", "若葉"), ("Sora", "ソラ"),
    ("Mirai", "ミライ"), ("Hoshi", "星"), ("Tsubasa", "つばさ"), ("Akatsuki", "暁"), ("Kirin", "麒麟"),
    ("Suzuran", "すずらん"), ("Izumi", "泉"), ("Kotobuki", "寿"), ("Heiwa", "平和"), ("Shinsei", "新生"),
    ("Daiichi", "第一"), ("Chuo", "中央"), ("Seiryu", "清流"), ("Kogane", "こがね"), ("Hinode", "日の出"),
    ("Ginga", "銀河"), ("Minato", "みなと"), ("Tokiwa", "常盤"), ("Hayate", "疾風"), ("Kazahana", "風花"),
)
IN_PREFIXES = (
    ("Indus", "इंडस"), ("Ganga", "गंगा"), ("Kaveri", "कावेरी"), ("Himalaya", "हिमालय"), ("Sahyadri", "सह्याद्रि"),
    ("Deccan", "दक्कन"), ("Vayu", "वायु"), ("Agni", "अग्नि"), ("Surya", "सूर्य"), ("Akash", "आकाश"),
    ("Prithvi", "पृथ्वी"), ("Tejas", "तेजस"), ("Shakti", "शक्ति"), ("Vikram", "विक्रम"), ("Navya", "नव्या"),
    ("Lakshya", "लक्ष्य"), ("Pragati", "प्रगति"), ("Sanchar", "संचार"), ("Vidya", "विद्या"), ("Yantra", "यंत्र"),
    ("Dhruv", "ध्रुव"), ("Kalpa", "कल्प"), ("Aravali", "अरावली"), ("Narmada", "नर्मदा"), ("Godavari", "गोदावरी"),
    ("Saraswati", "सरस्वती"), ("Chakra", "चक्र"), ("Nirmaan", "निर्माण"), ("Arka", "अर्क"), ("Mitra", "मित्र"),
    ("Setu", "सेतु"), ("Anant", "अनंत"), ("Vistar", "विस्तार"), ("Sampark", "संपर्क"), ("Kiran", "किरण"),
    ("Jyoti", "ज्योति"), ("Ojas", "ओजस"), ("Tara", "तारा"), ("Megh", "मेघ"), ("Sindhu", "सिंधु"),
)

# (English, local, theme, sector codes): what a company's name says it does.
JP_CORES = (
    ("Precision", "精密", "equipment", ("semi.equipment",)),
    ("Devices", "デバイス", "electronics", ("corp.microelectronics", "corp.iot")),
    ("Semiconductor", "半導体", "fab", ("semi.fab", "semi.design")),
    ("Materials", "マテリアルズ", "materials", ("semi.materials",)),
    ("Chemical", "化学", "materials", ("semi.chemicals",)),
    ("Optics", "光学", "equipment", ("semi.equipment", "semi.display")),
    ("Electronics", "電子", "electronics", ("corp.electronics",)),
    ("Display", "ディスプレイ", "electronics", ("semi.display",)),
    ("Packaging", "パッケージング", "packaging", ("semi.packaging",)),
    ("Instruments", "計測", "equipment", ("semi.equipment", "sec.conformity")),
    ("Sensors", "センサー", "electronics", ("corp.iot", "corp.microelectronics")),
    ("Storage", "ストレージ", "electronics", ("corp.storage",)),
    ("Robotics", "ロボティクス", "electronics", ("corp.iot", "rnd.society5")),
    ("Photonics", "フォトニクス", "fab", ("semi.design", "sec.telecom")),
    ("Quantum", "量子技術", "research", ("rnd.quantum",)),
    ("Networks", "ネットワークス", "security", ("sec.telecom",)),
    ("Security", "セキュリティ", "security", ("sec.cyber",)),
    ("Data", "データ", "ai", ("ai.models", "dpi.data_exchange")),
    ("AI", "AI", "ai", ("ai.applications",)),
    ("Computing", "コンピューティング", "research", ("rnd.hpc", "ai.compute")),
    ("Gas", "ガス", "materials", ("semi.chemicals",)),
    ("Silicon", "シリコン", "materials", ("semi.materials",)),
    ("Test Systems", "テストシステムズ", "packaging", ("semi.packaging", "semi.equipment")),
    ("Mobility", "モビリティ", "electronics", ("corp.iot", "rnd.society5")),
    ("Power Devices", "パワーデバイス", "fab", ("semi.fab", "corp.electronics")),
)
IN_CORES = (
    ("Software Labs", "सॉफ्टवेयर लैब्स", "software", ("corp.it_services",)),
    ("Infotech", "इन्फोटेक", "software", ("corp.it_services",)),
    ("Semiconductors", "सेमीकंडक्टर्स", "chip_design", ("semi.design",)),
    ("Systems", "सिस्टम्स", "software", ("corp.it_services", "corp.iot")),
    ("Analytics", "एनालिटिक्स", "ai", ("ai.applications",)),
    ("Cyber Security", "साइबर सिक्योरिटी", "security", ("sec.cyber",)),
    ("Fintech", "फिनटेक", "dpi", ("dpi.payments",)),
    ("Technologies", "टेक्नोलॉजीज", "software", ("corp.it_services",)),
    ("Electronics", "इलेक्ट्रॉनिक्स", "electronics", ("corp.electronics",)),
    ("AI Labs", "एआई लैब्स", "ai", ("ai.models",)),
    ("Data Sciences", "डेटा साइंसेज", "ai", ("ai.applications", "dpi.data_exchange")),
    ("Networks", "नेटवर्क्स", "security", ("sec.telecom",)),
    ("Microsystems", "माइक्रोसिस्टम्स", "chip_design", ("semi.design", "corp.microelectronics")),
    ("Chip Design", "चिप डिज़ाइन", "chip_design", ("semi.design",)),
    ("Identity Solutions", "आइडेंटिटी सॉल्यूशंस", "dpi", ("dpi.identity",)),
    ("Health Tech", "हेल्थ टेक", "dpi", ("dpi.govtech",)),
    ("Agritech", "एग्रीटेक", "dpi", ("dpi.govtech",)),
    ("EdTech", "एडटेक", "talent", ("talent.education",)),
    ("Cloud Services", "क्लाउड सर्विसेज", "ai", ("ai.compute",)),
    ("Embedded Systems", "एम्बेडेड सिस्टम्स", "software", ("corp.iot", "corp.it_services")),
    ("Quantum Computing", "क्वांटम कंप्यूटिंग", "research", ("rnd.quantum",)),
    ("Data Exchange", "डेटा एक्सचेंज", "dpi", ("dpi.data_exchange",)),
    ("OSAT", "ओसैट", "packaging", ("semi.packaging",)),
    ("Talent Solutions", "टैलेंट सॉल्यूशंस", "talent", ("talent.staffing",)),
    ("Telecom", "टेलीकॉम", "security", ("sec.telecom",)),
)
JP_FORMS = ("KK", "Co., Ltd.", "Corporation")
IN_FORMS = (("Pvt Ltd", "प्राइवेट लिमिटेड", "PTC"), ("Ltd", "लिमिटेड", "PLC"), ("Private Limited", "प्राइवेट लिमिटेड", "PTC"))

# Names of the non-company kinds: (English template, local template, sectors); {p} prefix, {c} city; a
# template without {p} gets the prefix in front, so every (template, prefix, city) gives a distinct name.
JP_OTHER = {
    "investor": (("{p} Ventures", "{pl}ベンチャーズ", ("startup.vc",)),
                 ("{p} Capital Partners", "{pl}キャピタルパートナーズ", ("startup.vc",))),
    "university": (("{c} University of Technology", "{cl}工業大学", ("talent.education", "rnd.hpc")),
                   ("{p} University, {c}", "{pl}大学（{cl}）", ("talent.education", "ai.models"))),
    "research_institute": (("{c} Institute for Advanced Electronics", "{cl}先端エレクトロニクス研究所",
                            ("semi.design", "rnd.hpc")),
                           ("{p} Quantum Research Center, {c}", "{pl}量子研究センター（{cl}）", ("rnd.quantum",))),
    "industry_association": (("{c} Semiconductor Industry Association", "{cl}半導体産業協会", ("semi.fab",)),
                             ("{p} IoT Promotion Council, {c}", "{pl}IoT推進協議会（{cl}）", ("corp.iot",))),
    "government_body": (("{c} Industrial Technology Center", "{cl}工業技術センター", ("sec.conformity",)),
                        ("{c} Industry Promotion Agency", "{cl}産業振興機構", ("startup.incubation",))),
    "cert": (("{c} CSIRT", "{cl}CSIRT", ("sec.cyber",)),),
}
IN_OTHER = {
    "investor": (("{p} Venture Partners", "{pl} वेंचर पार्टनर्स", ("startup.vc",)),
                 ("{p} Capital", "{pl} कैपिटल", ("startup.vc",))),
    "university": (("{c} Institute of Technology", "{cl} प्रौद्योगिकी संस्थान", ("talent.education", "rnd.hpc")),
                   ("{p} University, {c}", "{pl} विश्वविद्यालय, {cl}", ("talent.education", "ai.models"))),
    "research_institute": (("Centre for {p} Electronics Research, {c}", "{pl} इलेक्ट्रॉनिक्स अनुसंधान केंद्र, {cl}",
                            ("semi.design", "rnd.hpc")),
                           ("{p} Institute of Quantum Science, {c}", "{pl} क्वांटम विज्ञान संस्थान, {cl}",
                            ("rnd.quantum",))),
    "industry_association": (("{c} Electronics Manufacturers Association", "{cl} इलेक्ट्रॉनिक्स निर्माता संघ",
                              ("corp.electronics",)),
                             ("{p} Software Association, {c}", "{pl} सॉफ्टवेयर संघ, {cl}", ("corp.it_services",))),
    "government_body": (("{c} Electronics Development Corporation", "{cl} इलेक्ट्रॉनिक्स विकास निगम",
                         ("startup.incubation",)),
                        ("{c} Digital Mission", "{cl} डिजिटल मिशन", ("dpi.govtech",))),
    "cert": (("CSIRT-{p} {c}", "सीएसआईआरटी-{pl} {cl}", ("sec.cyber",)),),
}

# Share of each kind per 100 organisations of a country (companies first).
KIND_BUCKETS = (("company", 58), ("startup", 20), ("investor", 6), ("university", 6), ("research_institute", 5),
                ("industry_association", 3), ("government_body", 1), ("cert", 1))

NIC_CODES = {"software": ("72200", "62011", "72900"), "chip_design": ("26100", "72200"), "ai": ("62099", "72200"),
             "dpi": ("63999", "74999"), "security": ("72900", "61100"), "electronics": ("26109", "32109"),
             "packaging": ("26100",), "talent": ("85499", "78100"), "research": ("72100",)}
JP_OFFICES = ("0104", "0100", "0111", "1200", "1202", "1300", "3700", "4300", "6000", "6120", "7010", "9010")
FIRST_NAMES_JP = ("Sato Yui", "Suzuki Haruto", "Takahashi Mei", "Tanaka Sota", "Ito Hina", "Watanabe Ren",
                  "Yamamoto Aoi", "Nakamura Riku", "Kobayashi Sakura", "Kato Yuto")
FIRST_NAMES_IN = ("Aarav Sharma", "Diya Patel", "Vihaan Reddy", "Ananya Iyer", "Ishaan Gupta", "Kavya Nair",
                  "Rohan Mehta", "Saanvi Rao", "Arjun Singh", "Meera Krishnan")
