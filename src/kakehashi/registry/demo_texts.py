"""What demo organisations offer and seek, per theme, in English, Japanese and Hindi.

Written so a recommender can match across the two countries and languages: Japanese hardware offers answer
Indian needs for equipment and materials; Indian software offers answer Japanese needs for software, AI and
engineers.
"""

from __future__ import annotations

# theme -> (English, Japanese, Hindi)
OFFERS: dict[str, tuple[str, str, str]] = {
    "equipment": ("Semiconductor process and inspection equipment (etch, deposition, metrology) with installation "
                  "and maintenance support.",
                  "半導体製造装置・検査装置（エッチング、成膜、計測）の提供と据付・保守サポート。",
                  "सेमीकंडक्टर प्रोसेस और निरीक्षण उपकरण (एच, डिपोज़िशन, मेट्रोलॉजी), स्थापना और रखरखाव सहायता के साथ।"),
    "electronics": ("Sensors, embedded modules and IoT devices for factories and mobility, built to automotive "
                    "quality.",
                    "工場・モビリティ向けのセンサー、組込みモジュール、IoTデバイス。車載品質で製造。",
                    "कारखानों और मोबिलिटी के लिए सेंसर, एम्बेडेड मॉड्यूल और IoT उपकरण, ऑटोमोटिव गुणवत्ता के साथ।"),
    "fab": ("Power semiconductors and mature-node foundry capacity; process transfer know-how for new fabs.",
            "パワー半導体と成熟ノードのファウンドリ能力。新工場への製造プロセス移転のノウハウ。",
            "पावर सेमीकंडक्टर और परिपक्व-नोड फाउंड्री क्षमता; नए फैब के लिए प्रक्रिया हस्तांतरण का ज्ञान।"),
    "materials": ("High-purity silicon wafers, photoresists, specialty chemicals and gases for semiconductor fabs.",
                  "半導体工場向けの高純度シリコンウエハー、フォトレジスト、特殊化学品・ガス。",
                  "सेमीकंडक्टर फैब के लिए उच्च शुद्धता सिलिकॉन वेफर, फोटोरेज़िस्ट, विशेष रसायन और गैसें।"),
    "packaging": ("Assembly, test and advanced packaging (OSAT) services and test equipment.",
                  "後工程（組立・テスト）と先端パッケージングのサービス、テスト装置。",
                  "असेंबली, टेस्ट और एडवांस्ड पैकेजिंग (OSAT) सेवाएँ तथा टेस्ट उपकरण।"),
    "research": ("Joint research in quantum computing and supercomputing; access to our HPC systems for partners.",
                 "量子コンピューティングとスーパーコンピューティングの共同研究。パートナーにHPC環境を提供。",
                 "क्वांटम कंप्यूटिंग और सुपरकंप्यूटिंग में संयुक्त अनुसंधान; साझेदारों को HPC प्रणाली तक पहुँच।"),
    "security": ("Security operations, 5G network security testing and vulnerability assessment.",
                 "セキュリティ運用、5Gネットワークのセキュリティ検証、脆弱性診断。",
                 "सुरक्षा संचालन, 5G नेटवर्क सुरक्षा परीक्षण और कमज़ोरियों का आकलन।"),
    "ai": ("Applied AI: computer vision and language models for manufacturing, retail and public services.",
           "応用AI：製造・小売・公共サービス向けの画像認識と言語モデル。",
           "अनुप्रयुक्त AI: विनिर्माण, खुदरा और सार्वजनिक सेवाओं के लिए कंप्यूटर विज़न और भाषा मॉडल।"),
    "software": ("Embedded and enterprise software development, cloud migration and offshore development "
                 "centres with Japanese-speaking engineers.",
                 "組込み・業務ソフトウェア開発、クラウド移行、日本語対応エンジニアによるオフショア開発センター。",
                 "एम्बेडेड और एंटरप्राइज़ सॉफ्टवेयर विकास, क्लाउड माइग्रेशन और जापानी बोलने वाले इंजीनियरों के साथ ऑफशोर विकास केंद्र।"),
    "chip_design": ("VLSI chip design and verification services: RTL, physical design and design-for-test.",
                    "VLSI半導体設計・検証サービス：RTL設計、物理設計、テスト容易化設計。",
                    "VLSI चिप डिज़ाइन और सत्यापन सेवाएँ: RTL, फिज़िकल डिज़ाइन और डिज़ाइन-फॉर-टेस्ट।"),
    "dpi": ("Digital public infrastructure: consented data exchange, digital identity and real-time payments.",
            "デジタル公共インフラ：同意に基づくデータ連携、デジタルID、即時決済。",
            "डिजिटल सार्वजनिक अवसंरचना: सहमति आधारित डेटा साझा करना, डिजिटल पहचान और रियल-टाइम भुगतान।"),
    "talent": ("Training programmes and recruitment of software engineers, with Japanese language courses.",
               "ソフトウェアエンジニアの研修・採用支援と日本語講座。",
               "सॉफ्टवेयर इंजीनियरों का प्रशिक्षण और भर्ती, जापानी भाषा पाठ्यक्रमों के साथ।"),
    "investment": ("Seed and Series A investment in deep-tech start-ups, with introductions to corporate partners.",
                   "ディープテック・スタートアップへのシード・シリーズA投資と事業会社の紹介。",
                   "डीप-टेक स्टार्ट-अप में सीड और सीरीज़ A निवेश, कॉर्पोरेट साझेदारों से परिचय के साथ।"),
    "education": ("Degree programmes, internships and joint laboratories in electronics and computer science.",
                  "電子工学・情報科学の学位プログラム、インターンシップ、共同研究室。",
                  "इलेक्ट्रॉनिक्स और कंप्यूटर विज्ञान में डिग्री कार्यक्रम, इंटर्नशिप और संयुक्त प्रयोगशालाएँ।"),
    "association": ("Member network, market studies and business delegations between both countries.",
                    "会員ネットワーク、市場調査、両国間のビジネス使節団の派遣。",
                    "सदस्य नेटवर्क, बाज़ार अध्ययन और दोनों देशों के बीच व्यापार प्रतिनिधिमंडल।"),
    "government": ("Incubation, test facilities and support for companies investing in the region.",
                   "インキュベーション、試験設備、地域に投資する企業への支援。",
                   "इन्क्यूबेशन, परीक्षण सुविधाएँ और क्षेत्र में निवेश करने वाली कंपनियों को सहायता।"),
    "cert": ("Incident coordination, threat intelligence sharing and vulnerability handling.",
             "インシデント対応の調整、脅威情報の共有、脆弱性対応。",
             "घटना समन्वय, खतरे की जानकारी साझा करना और कमज़ोरियों का प्रबंधन।"),
}

SEEKS: dict[str, tuple[str, str, str]] = {
    "hardware": ("Software and AI engineering partners in India for embedded software, testing and data platforms.",
                 "組込みソフトウェア、テスト、データ基盤を担うインドのソフトウェア・AI開発パートナー。",
                 "एम्बेडेड सॉफ्टवेयर, टेस्टिंग और डेटा प्लेटफ़ॉर्म के लिए भारत में सॉफ्टवेयर और AI इंजीनियरिंग साझेदार।"),
    "fab_customer": ("Customers and joint-venture partners for new semiconductor fabs and OSAT plants in India.",
                     "インドの新しい半導体工場・後工程工場の顧客と合弁パートナー。",
                     "भारत में नए सेमीकंडक्टर फैब और OSAT संयंत्रों के लिए ग्राहक और संयुक्त उद्यम साझेदार।"),
    "equipment": ("Suppliers of semiconductor process equipment, materials and specialty gases for a new fab line.",
                  "新しい製造ラインのための半導体製造装置、材料、特殊ガスのサプライヤー。",
                  "नई फैब लाइन के लिए सेमीकंडक्टर प्रोसेस उपकरण, सामग्री और विशेष गैसों के आपूर्तिकर्ता।"),
    "japan_market": ("Japanese customers and system integrators for our software products; a partner for the "
                     "Japan market.",
                     "当社ソフトウェア製品の日本の顧客とシステムインテグレーター。日本市場のパートナー。",
                     "हमारे सॉफ्टवेयर उत्पादों के लिए जापानी ग्राहक और सिस्टम इंटीग्रेटर; जापान बाज़ार के लिए साझेदार।"),
    "devices": ("Sensors, IoT modules and electronic components from reliable Japanese manufacturers.",
                "信頼できる日本メーカーのセンサー、IoTモジュール、電子部品。",
                "विश्वसनीय जापानी निर्माताओं से सेंसर, IoT मॉड्यूल और इलेक्ट्रॉनिक पुर्ज़े।"),
    "investment": ("Investors from Japan for our Series A round and corporate venture partnerships.",
                   "シリーズAラウンドへの日本の投資家とCVCパートナー。",
                   "हमारे सीरीज़ A दौर के लिए जापान से निवेशक और कॉर्पोरेट वेंचर साझेदारी।"),
    "talent": ("Engineers and interns from India in AI, chip design and cybersecurity.",
               "AI、半導体設計、サイバーセキュリティ分野のインド人エンジニアとインターン。",
               "AI, चिप डिज़ाइन और साइबर सुरक्षा में भारत से इंजीनियर और इंटर्न।"),
    "research": ("Research partners for joint projects in semiconductors, AI safety and quantum technologies.",
                 "半導体、AI安全性、量子技術の共同研究パートナー。",
                 "सेमीकंडक्टर, AI सुरक्षा और क्वांटम प्रौद्योगिकी में संयुक्त परियोजनाओं के लिए अनुसंधान साझेदार।"),
    "startups": ("Deep-tech start-ups from both countries looking for seed funding and corporate pilots.",
                 "シード資金と事業会社での実証を求める両国のディープテック・スタートアップ。",
                 "सीड फंडिंग और कॉर्पोरेट पायलट चाहने वाले दोनों देशों के डीप-टेक स्टार्ट-अप।"),
    "security": ("Partners for threat intelligence sharing and joint incident response exercises.",
                 "脅威情報の共有と共同インシデント対応演習のパートナー。",
                 "खतरे की जानकारी साझा करने और संयुक्त घटना प्रतिक्रिया अभ्यास के लिए साझेदार।"),
}

# What each theme typically seeks, by country (Japanese hardware seeks Indian software, and the reverse).
JP_NEEDS = {"equipment": ("fab_customer", "hardware"), "electronics": ("hardware", "talent"),
            "fab": ("fab_customer", "talent"), "materials": ("fab_customer",), "packaging": ("fab_customer", "hardware"),
            "research": ("research", "talent"), "security": ("security", "talent"), "ai": ("talent", "hardware")}
IN_NEEDS = {"software": ("japan_market", "devices"), "chip_design": ("equipment", "japan_market"),
            "ai": ("japan_market", "investment"), "security": ("security", "japan_market"),
            "dpi": ("japan_market", "investment"), "electronics": ("devices", "equipment"),
            "talent": ("japan_market",), "research": ("research", "equipment"), "packaging": ("equipment",)}
OTHER_THEMES = {"investor": ("investment", "startups"), "university": ("education", "research"),
                "research_institute": ("research", "research"), "industry_association": ("association", "japan_market"),
                "government_body": ("government", "investment"), "cert": ("cert", "security")}

CLOSINGS = {
    "en": ("Pilot projects welcome.", "We answer within a week.", "Teams in both time zones.", ""),
    "ja": ("実証プロジェクト歓迎。", "1週間以内に回答します。", "英語での対応も可能です。", ""),
    "hi": ("पायलट परियोजनाओं का स्वागत है।", "हम एक सप्ताह में उत्तर देते हैं।", "अंग्रेज़ी और जापानी में सहायता।", ""),
}
KIND_WORDS = {
    "company": ("company", "企業"), "startup": ("start-up", "スタートアップ"), "investor": ("investor", "投資家"),
    "university": ("university", "大学"), "research_institute": ("research institute", "研究機関"),
    "industry_association": ("industry association", "業界団体"), "government_body": ("public body", "公的機関"),
    "cert": ("computer security incident response team", "CSIRT"),
}


def text_in(pair: tuple[str, str, str], language: str) -> str:
    """The English, Japanese or Hindi text of a theme entry."""
    return pair[{"en": 0, "ja": 1, "hi": 2}[language]]
